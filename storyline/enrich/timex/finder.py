"""Where the time expressions are: one compiled alternation of patterns (families), scanned
once over the text, then widened by the modifiers TimeML keeps in the extent ("early",
"the end of", "about").

Each hit is (family, start, end); `resolver.py` reads the words of the hit. Patterns are
tried in order at each word start and the first that matches wins, so longer and more
specific families come first.
"""

from __future__ import annotations

import re
from typing import Iterator

from .lexicon import APPROX, CLOCK, DAYNUM, MON, NUMBER, PART, SEASON, UNIT, WD, YEAR, ZONE

_MON = f"(?-i:{MON})"
_WD = f"(?-i:{WD})"
_WD_ANY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_DAYWORD = r"(?:today|tonight|yesterday|tomorrow)"
_ORD = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_HOLIDAY = (
    r"(?-i:Christmas(?:\s+(?:Day|Eve))?|New\s+Year['’]s(?:\s+(?:Day|Eve))?|Boxing\s+Day|Halloween|"
    r"Valentine['’]s\s+Day|Independence\s+Day|Veterans\s+Day|Bastille\s+Day|St\.?\s+Patrick['’]s\s+Day|"
    r"Thanksgiving(?:\s+Day)?|Easter(?:\s+Sunday)?|Labor\s+Day|Memorial\s+Day)"
)
_REL = r"(?:this|next|last|past|coming|previous|following|current|same|that|upcoming|prior|preceding)"

FAMILIES: list[tuple[str, str]] = [
    ("iso", r"\d{4}-[01]\d-[0-3]\d(?:[T ][012]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-][01]\d:?\d\d)?)?(?![\d-])"),
    ("numdate", r"[01]?\d/[0-3]?\d/(?:\d{4}|\d{2})(?![\d/])"),
    ("clock",
     rf"(?:{CLOCK}|\d{{1,2}}(?::\d\d)?\s+in\s+the\s+(?:morning|afternoon|evening))"
     rf"(?:\s*\(?{ZONE}\)?(?![a-z])|\s+local\s+time|\s+(?-i:[A-Z][a-z]+)\s+time)?"
     rf"(?:,?\s+(?:on\s+)?(?:{_WD}(?:,?\s+{_MON}\s*{DAYNUM})?|{_DAYWORD}|{_MON}\s*{DAYNUM}))?"),
    ("date",
     rf"(?:{_WD},?\s+)?(?:the\s+)?(?:{_MON}\s*{DAYNUM}(?:\s*(?:-|–|to|through|and)\s*{DAYNUM}(?![\d:]))?"
     rf"|{DAYNUM}\s+(?:of\s+)?{_MON}(?:\s*(?:-|–|to)\s*{DAYNUM})?)(?:,?\s+{YEAR})?"),
    ("holiday", rf"{_HOLIDAY}(?:,?\s+{YEAR})?(?![\w-])"),
    ("month", rf"(?:(?:this|last|next|past|coming|that)\s+)?{_MON}(?:,?\s+(?:of\s+)?{YEAR})?"),
    ("weekday", rf"(?:(?:last|next|this|coming|past|this\s+coming|this\s+past)\s+)?(?:{_WD}|{_WD_ANY}(?=\s+{PART}))(?:\s+{PART})?"),
    ("dayword",
     rf"(?:the\s+day\s+(?:before|after)\s+(?:yesterday|tomorrow)|{_DAYWORD}|overnight|"
     rf"(?:this|last|tomorrow|yesterday)\s+{PART})(?:\s+{PART})?"),
    ("ago",
     rf"(?:(?:{APPROX})\s+)?(?:{NUMBER})[\s-]+{UNIT}(?:\s+or\s+so)?\s+(?:ago|earlier|later|from\s+now|hence|back)\b"),
    ("quarter",
     rf"(?:(?:the|this|last|next)\s+)?(?:(?:fiscal|calendar)[\s-]+)?(?:(?:{_ORD}|final|latest|current|previous|prior|same|"
     rf"most\s+recent|recent|year-earlier|year-ago|year\s+earlier|comparable)[\s-]+)(?:(?:fiscal|calendar)[\s-]+)?quarter"
     rf"(?:\s+of\s+(?:fiscal\s+)?(?:{YEAR}|(?:this|last|next)\s+year))?|(?:the|this|last|next)\s+quarter|Q[1-4](?:\s+{YEAR})?"
     rf"|the\s+(?:first|second|latter)\s+half(?:\s+of\s+(?:{YEAR}|(?:this|last|next|the)\s+year))?"),
    ("yearago", r"(?:the\s+)?year[\s-](?:earlier|ago)(?:\s+period)?(?![\w-])"),
    ("theyear", r"the\s+(?:(?:full\s+|entire\s+|whole\s+)?year|weekend)(?![\w-])(?!\s+(?:of|in|before|after|to)\b)"),
    ("decade", r"(?:the\s+)?(?:(?:early|mid|late)[\s-]*)?(?:(?:1\d|20)\d0['’]?s|['’]\d0s|the\s+(?:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))(?![\w-])"),
    ("century", r"(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)|(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[\s-]first))[\s-]+century"),
    ("season", rf"(?:(?:this|last|next|coming|past|that|the)\s+)?{SEASON}(?:,?\s+(?:of\s+)?{YEAR})?(?![\w-])"),
    ("relunit",
     rf"(?:the\s+)?{_REL}\s+(?:(?:{NUMBER})\s+)?{UNIT}(?:\s+or\s+so)?(?![\w-])"
     rf"|(?:the\s+)?(?:end|beginning|start|middle|turn|rest|remainder)\s+of\s+the\s+(?:year|month|week|decade|century|day|quarter)\b"
     rf"|the\s+day\s+(?:before|after)\b|the\s+(?:next|following|previous)\s+(?:{PART})"),
    ("vagueplural", r"(?:recent|coming|upcoming|the\s+coming|the\s+past\s+few|past\s+few)\s+(?:days|weeks|months|years|decades|hours)\b|(?<=for )(?:days|weeks|months|years|decades|hours)(?!\s+(?:of|ago|to|later|earlier))\b"),
    ("set",
     rf"(?:daily|weekly|monthly|yearly|hourly|nightly|"
     rf"every\s+(?:other\s+)?(?:(?:{NUMBER})\s+)?(?:{UNIT}|{_WD}|{PART}|{SEASON})|each\s+(?:{UNIT}|{_WD}|{PART})|"
     rf"(?:once|twice|three\s+times|four\s+times|\d+\s+times)\s+(?:a|an|per|every)\s+{UNIT})(?![\w-])"),
    ("duration",
     rf"(?:(?:{APPROX})\s+)?(?:the\s+)?(?:(?:first|last|past|next|previous|following|initial|final|coming|recent|remaining|"
     rf"another|additional|further|extra)\s+)?(?:{NUMBER})(?:\s+|-(?!quarter))(?:{UNIT})(?:[\s-]long)?(?:\s+or\s+so)?(?![\w-])(?!\s+old)"),
    ("vague",
     r"(?:right\s+)?now|currently|recently|nowadays|these\s+days|the\s+past|the\s+future|"
     r"lately|at\s+present|any\s+time\s+soon|in\s+the\s+near\s+future"),
    ("year", rf"(?:(?:fiscal|calendar|FY|model\s+year)[\s-]*)?(?:the\s+year\s+)?{YEAR}(?:\s*[-–/]\s*(?:\d\d|{YEAR})(?![\d]))?"),
]

_MASTER = re.compile(
    r"(?<![\w$€£.])(?<!\d[-–])(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in FAMILIES) + r")(?![\d])",
    re.I,
)
# modifiers before an expression, kept in its extent: -> TimeML mod
_MOD_BEFORE = re.compile(
    r"(?:the\s+)?(?:(?P<start>early|earlier|the\s+beginning\s+of|the\s+start\s+of|beginning\s+of|start\s+of)|"
    r"(?P<mid>mid|the\s+middle\s+of|middle\s+of|mid-?)|"
    r"(?P<end>late|later|the\s+end\s+of|end\s+of|the\s+close\s+of|end-)|(?P<approx>" + APPROX + r"))[\s-]*$",
    re.I,
)
_DATEISH = {"theyear", "date", "month", "weekday", "dayword", "quarter", "decade", "season", "relunit", "year", "holiday", "century"}
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|of|by|until|till|from|to|for|through|throughout|before|after|during|early|late|mid|"
    r"between|and|or|around|about|circa|spring|summer|fall|autumn|winter|year|season|end|start|beginning|"
    r"the|his|her|its|their|our|['’]s)|[(—–])\s*$",
    re.I,
)
_YEAR_AFTER = re.compile(r"^(?:\s*(?:[.,;:)!?\"”’]|$|['’]s\b|-\d)|\s+(?:and|or|to|through|when|as|after|before|until|levels?|figures?|period|season|elections?|budget|election|census|levels?|deadline)\b)", re.I)
_WEAK_BEFORE = re.compile(r"(?:and|or|the|his|her|its|their|our|['’]s|about|around|[(—–])\s*$", re.I)
_PLURAL_AFTER = re.compile(r"\s+(?!(?:elections|games|olympics|polls|talks|accords|protests|riots|floods|attacks|sales|results|earnings)\b)[a-z]+s\b")
_LOWER_MONTH = re.compile(r"(?:may|march|sat|sun|wed)\b")


# Words an expression can start with: the master regex is tried only where one of these
# (or a digit) starts a word -- a fifth of the words of news text -- which makes the scan
# ~10x faster than letting the regex try every position (bench/tempeval.py prints words/s).
_TRIGGERS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday mon tue tues wed thu thurs fri sat sun today tonight yesterday tomorrow
    overnight the this last next past coming previous following current same that upcoming
    prior preceding a an one two three four five six seven eight nine ten eleven twelve
    thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty
    sixty seventy eighty ninety hundred dozen couple half few several many dozens hundreds
    about around almost nearly approximately roughly more less fewer up at some over under
    just only early earlier late later mid end beginning start middle turn rest remainder
    daily weekly monthly yearly hourly nightly every each once twice now right currently
    recently nowadays these lately any in fiscal calendar fy model christmas new boxing
    halloween valentine independence veterans bastille st thanksgiving easter labor memorial
    spring summer fall autumn winter year q1 q2 q3 q4 days weeks months years decades hours
    noon midday midnight first second third fourth fifth sixth seventh eighth ninth tenth
    eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth
    nineteenth twentieth final latest most recent comparable""".split()
)
_WORD = re.compile(r"['’]?\w+")


def scan(text: str) -> Iterator[tuple[str, int, int, str | None, str]]:
    """(family, start, end, mod, modifier word) of each time expression, left to right,
    not overlapping; mod is TimeML's START / MID / END."""
    done = 0
    for token in _WORD.finditer(text):
        at = token.start()
        if at < done:
            continue
        word = token.group(0)
        if not (word[0].isdigit() or word.lower() in _TRIGGERS or word[0] in "'’" and word[1:2].isdigit()):
            continue
        m = _MASTER.match(text, at)
        if m is None:
            continue
        done = m.end()
        family = m.lastgroup or ""
        start, end = m.span()
        word = m.group(0)
        if not _plausible(family, word, text, start, end):
            continue
        mod, modword = None, ""
        if family in _DATEISH or family in ("duration", "ago", "clock"):
            before = _MOD_BEFORE.search(text, max(0, start - 22), start)
            if before and (family in _DATEISH or before.group("approx")) and not (
                before.group("approx") and word[:4].lower() == "the "
            ):
                mod = next((k.upper() for k in ("start", "mid", "end") if before.group(k)), None)
                if mod and family in ("duration", "ago"):
                    mod = None
                modword = before.group(0).strip().lower()
                start = before.start()
        yield family, start, end, mod, modword


def _plausible(family: str, word: str, text: str, start: int, end: int) -> bool:
    """Reject the common false hits: 'may'/'march' as verbs, bare numbers that are not
    years, 'fall'/'spring' as verbs, 'now' inside 'know-how'-like words."""
    if family == "month":
        if re.fullmatch(r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?", word):
            return False  # "Jan" alone is more often a name (Jan Kavan) than a month
        lowered = word.split()[-1]
        if _LOWER_MONTH.match(lowered) or lowered in ("May", "March") and not word[:1].islower() and " " not in word:
            before = text[max(0, start - 20):start]
            return bool(re.search(r"\b(?:in|since|until|by|of|during|through|before|after|from|to|early|late|mid|last|next|this|end|the)[\s-]*$", before, re.I))
        return True
    if family == "year":
        if re.search(r"[-–/]", word[4:]) and not re.search(r"[-–/]\s*(?:\d\d)$|[-–/]\s*\d{4}$", word):
            return False
        if re.match(r"(?i)fiscal|calendar|fy|model|the\s+year", word):
            return True
        before = _YEAR_BEFORE.search(text, max(0, start - 14), start)
        if before and _WEAK_BEFORE.search(before.group(0)) and _PLURAL_AFTER.match(text, end):
            return False  # "and 1990 troops": a count
        return bool(before or _YEAR_AFTER.match(text[end:end + 12]))
    if family == "season":
        if re.match(r"(?i)(?:this|last|next|coming|past|that|the)\s", word) or re.search(r"\d$", word):
            return True
        return bool(re.search(r"\b(?:in|during|since|until|by|through|over|before|after|early|late|mid)[\s-]*$", text[max(0, start - 12):start], re.I))
    if family == "duration" and re.match(r"(?i)an?\s", word):
        # "$5 a year", "four flights a week": a rate, not a stretch of time
        if re.search(r"(?:\d|%|\b(?:million|billion|thousand|hundred|times|once|twice)|[a-z]s)\s*$", text[max(0, start - 20):start]):
            return False
    if family == "vague" and word.lower() == "now":
        return not re.match(r"\s*(?:that|-)", text[end:end + 6])  # 'now that' is a conjunction
    return True
