"""Time expressions: find (finder.py), resolve against an anchor (resolver.py), and turn
TIMEX3 values into intervals (calendar.py). `storyline.enrich.times` is the entry point."""
