"""The calendar of announced events and its iCalendar export: hand-built posts, posts
through the enrich stage, the seeds (skipped without ../shared), and bad input."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from storyline.assemble.calendar import MAX_TITLE_WORDS, scheduled_events
from storyline.assemble.ics import escape_text, fold, to_ics
from storyline.model import Event, Mention, Post, ScheduledEvent, TimeRef

from .conftest import SEEDS

UTC = timezone.utc


def make_post(pid: str, headline: str, body: list[str], *, published: datetime | None = None,
              day: date | None = None) -> Post:
    return Post(id=pid, blog_id="b-" + pid, position=0, headline=headline, body=body, published=published,
                day=day or (published.date() if published else None),
                precision="minute" if published else "day")


def at(post: Post, text: str, start: datetime, end: datetime, *, future: bool = True, kind: str = "date",
       value: str | None = None) -> TimeRef:
    """A TimeRef for the first occurrence of `text` in the post."""
    offset = post.text.index(text)
    ref = TimeRef(text=text, start=start, end=end, future=future, kind=kind, offset=offset,
                  value=value or start.date().isoformat())
    post.times.append(ref)
    return ref


def day(y: int, m: int, d: int, tz=None) -> tuple[datetime, datetime]:
    start = datetime(y, m, d, tzinfo=tz)
    return start, start + timedelta(days=1)


# -- hand-built posts -----------------------------------------------------------------------

def test_one_event_announced_by_two_outlets_is_one_entry_with_both_sources():
    a = make_post("a", "Mayors to gather in Lyon", ["The mayors of the twelve largest cities will gather in Lyon on Thursday for a climate summit."],
                  published=datetime(2023, 5, 8, 9, 0, tzinfo=UTC))
    at(a, "on Thursday", *day(2023, 5, 11, UTC))
    b = make_post("b", "Climate summit", ["A climate summit of city mayors is scheduled in Lyon on May 11, organisers said."],
                  day=date(2023, 5, 9))
    at(b, "May 11", *day(2023, 5, 11))
    events = scheduled_events([(a, "Alpha"), (b, "Beta")])
    assert len(events) == 1
    event = events[0]
    assert event.start.date() == date(2023, 5, 11) and event.all_day and event.precision == "day"
    assert set(event.source_post_ids) == {"a", "b"}
    assert {s["outlet"] for s in event.sources} == {"Alpha", "Beta"}
    assert {s["as_written"] for s in event.sources} == {"on Thursday", "May 11"}
    assert "lyon" in event.title.lower() and len(event.title.split()) <= MAX_TITLE_WORDS
    assert "thursday" not in event.title.lower()  # the time expression is not part of the title
    assert event.id.startswith("ev-")


def test_different_events_on_the_same_day_stay_apart():
    a = make_post("a", "", ["The central bank will announce its rate decision on Wednesday."], day=date(2023, 6, 12))
    at(a, "on Wednesday", *day(2023, 6, 14))
    b = make_post("b", "", ["A football final between Porto and Lille will be played in Madrid on Wednesday."], day=date(2023, 6, 12))
    at(b, "on Wednesday", *day(2023, 6, 14))
    events = scheduled_events([(a, "Alpha"), (b, "Beta")])
    assert len(events) == 2
    assert {e.source_post_ids[0] for e in events} == {"a", "b"}


def test_a_vague_time_in_the_same_post_takes_the_precise_date():
    p = make_post("p", "Prime minister to visit Oslo next month",
                  ["The prime minister will visit Oslo next month.", "Her office said the visit will be on 9 March."],
                  day=date(2023, 2, 10))
    at(p, "next month", datetime(2023, 3, 1), datetime(2023, 4, 1), value="2023-03")
    at(p, "9 March", *day(2023, 3, 9))
    events = scheduled_events([(p, "Alpha")])
    assert len(events) == 1
    assert events[0].start == datetime(2023, 3, 9) and events[0].precision == "day"
    assert "oslo" in events[0].title.lower()


def test_a_month_does_not_chain_two_dated_events():
    """'talks next month' overlaps both Mar 7 and Mar 9; Mar 7 and Mar 9 stay two events."""
    a = make_post("a", "", ["Trade talks between Peru and Chile will resume in Lima on Tuesday."], day=date(2023, 3, 1))
    at(a, "on Tuesday", *day(2023, 3, 7))
    b = make_post("b", "", ["Trade talks between Peru and Chile will resume in Lima on Thursday."], day=date(2023, 3, 2))
    at(b, "on Thursday", *day(2023, 3, 9))
    c = make_post("c", "", ["Trade talks between Peru and Chile will resume in Lima next month."], day=date(2023, 2, 20))
    at(c, "next month", datetime(2023, 3, 1), datetime(2023, 4, 1), value="2023-03")
    starts = sorted(e.start.date() for e in scheduled_events([(a, "A"), (b, "B"), (c, "C")]))
    assert date(2023, 3, 7) in starts and date(2023, 3, 9) in starts


@pytest.mark.parametrize("sentence, expression", [
    ("An attack could happen next week, analysts said.", "next week"),  # speculation
    ("If the talks fail next week, sanctions follow.", "next week"),  # a condition
    ("Negotiations will continue into February.", "February"),  # a continuation
    ("The ceasefire has held since December.", "December"),  # past, wrongly marked future
    ("More next week.", "next week"),  # no action at all
])
def test_times_that_are_not_events_are_dropped(sentence, expression):
    p = make_post("p", "", [sentence], day=date(2023, 1, 10))
    at(p, expression, datetime(2023, 1, 16), datetime(2023, 1, 23))
    assert scheduled_events([(p, "A")]) == []


def test_open_ended_long_and_past_times_are_dropped():
    p = make_post("p", "", ["The minister will travel to Kenya in the coming days.",
                            "Elections will be held this year.", "The summit will take place on Monday."],
                  day=date(2023, 1, 10))
    p.times.append(TimeRef(text="in the coming days", start=datetime(2023, 1, 10), end=None, future=True,
                           value="FUTURE_REF", offset=p.text.index("in the coming days")))
    at(p, "this year", datetime(2023, 1, 1), datetime(2024, 1, 1), value="2023")
    at(p, "on Monday", *day(2023, 1, 2))  # before the post's day
    assert scheduled_events([(p, "A")]) == []


def test_two_clock_times_in_one_sentence_are_one_event_in_utc():
    p = make_post("p", "", ["The council vote was delayed until 4pm local time (21:00 GMT), diplomats said."], day=date(2023, 2, 3))
    at(p, "4pm local time", datetime(2023, 2, 3, 16), datetime(2023, 2, 3, 16, 1), kind="time")
    at(p, "21:00 GMT", datetime(2023, 2, 3, 21), datetime(2023, 2, 3, 21, 1), kind="time")
    events = scheduled_events([(p, "A")])
    assert len(events) == 1
    event = events[0]
    assert event.start == datetime(2023, 2, 3, 21, tzinfo=UTC) and not event.all_day and event.precision == "time"
    assert event.end is None  # only the start instant is known
    assert "vote" in event.title.lower()


def test_a_coded_event_links_differently_worded_reports():
    a = make_post("a", "", ["Lula will host Macron in Brasilia on Friday."], day=date(2023, 3, 20))
    at(a, "on Friday", *day(2023, 3, 24))
    a.events.append(Event("Lula", "consult", "Macron", "planned", 4.0, text=a.body[0]))
    b = make_post("b", "", ["Brazil's president is set to receive the French leader on March 24."], day=date(2023, 3, 21))
    at(b, "March 24", *day(2023, 3, 24))
    b.events.append(Event("Lula", "consult", "Macron", "planned", 4.0, text=b.body[0]))
    events = scheduled_events([(a, "A"), (b, "B")])
    assert len(events) == 1 and len(events[0].sources) == 2


def test_event_ids_are_stable_and_independent_of_input_order():
    a = make_post("a", "", ["The parliament will vote on the budget on Tuesday."], day=date(2023, 4, 3))
    at(a, "on Tuesday", *day(2023, 4, 4))
    b = make_post("b", "", ["Lawmakers are due to vote on the budget on April 4."], day=date(2023, 4, 3))
    at(b, "April 4", *day(2023, 4, 4))
    first = scheduled_events([(a, "A"), (b, "B")])
    second = scheduled_events([(b, "B"), (a, "A")])
    assert [e.id for e in first] == [e.id for e in second]
    assert len(first) == 1 and first[0].id


def test_mentions_give_demonyms_their_country():
    a = make_post("a", "", ["Four Danish jets are due to arrive in Lithuania on Thursday."], day=date(2023, 1, 9))
    at(a, "on Thursday", *day(2023, 1, 12))
    a.entities.append(Mention("Danish", "e1", a.text.index("Danish"), a.text.index("Danish") + 6, "NORP", name="Denmark"))
    b = make_post("b", "", ["Denmark will deploy four fighter jets to Lithuania on January 12."], day=date(2023, 1, 10))
    at(b, "January 12", *day(2023, 1, 12))
    b.entities.append(Mention("Denmark", "e1", 0, 7, "GPE", name="Denmark"))
    assert len(scheduled_events([(a, "A"), (b, "B")])) == 1


# -- through the enrich stage -----------------------------------------------------------------

def test_enriched_posts_make_the_calendar():
    from storyline.enrich import enrich_posts

    posts = [
        make_post("a1", "Ministers will meet in Vienna on Friday",
                  ["The foreign ministers of France and Italy will meet in Vienna on Friday to discuss energy prices."],
                  published=datetime(2022, 3, 1, 10, 0, tzinfo=UTC)),
        make_post("b1", "Energy talks set for Vienna",
                  ["France and Italy are set to hold talks in Vienna on March 4, officials said."], day=date(2022, 3, 1)),
        make_post("c1", "Analysts fear escalation",
                  ["An attack could happen next week, analysts warned.", "The ceasefire has held since January.", "More next week."],
                  published=datetime(2022, 3, 2, 9, 0)),
    ]
    enrich_posts(posts)
    events = scheduled_events([(p, p.id[0].upper()) for p in posts])
    assert len(events) == 1, [e.title for e in events]
    assert events[0].start.date() == date(2022, 3, 4)  # 'Friday' from Tuesday 1 March, and 'March 4'
    assert set(events[0].source_post_ids) == {"a1", "b1"}


# -- the seeds ----------------------------------------------------------------------------------

def _on(events: list[ScheduledEvent], when: date, *words: str) -> list[ScheduledEvent]:
    return [e for e in events if e.start and e.start.date() == when and all(w in e.title.lower() for w in words)]


def test_seed_calendar_facts(seed_posts):
    events = scheduled_events(seed_posts)
    # Newsweek (Jan 28): the open UN Security Council meeting on Monday, January 31.
    council = _on(events, date(2022, 1, 31), "security", "council")
    assert council and council[0].all_day and {s["outlet"] for s in council[0].sources} == {"Newsweek"}
    # Newsweek (Jan 27): Scholz at the White House "next month", then "Monday 7 February": one entry.
    scholz = [e for e in _on(events, date(2022, 2, 7)) if any("7 February" in s["as_written"] for s in e.sources)]
    assert len(scholz) == 1 and {s["as_written"] for s in scholz[0].sources} >= {"next month", "Monday 7 February"}
    # The new round of talks in Berlin in two weeks (Feb 9): carried by Al Jazeera and Newsweek.
    berlin = _on(events, date(2022, 2, 9))
    assert len(berlin) == 1 and {s["outlet"] for s in berlin[0].sources} == {"Al Jazeera", "Newsweek"}
    assert len(berlin[0].sources) >= 4
    # The Beijing Olympics open on February 4: both outlets, one entry.
    olympics = _on(events, date(2022, 2, 4))
    assert len(olympics) == 1 and {s["outlet"] for s in olympics[0].sources} == {"Al Jazeera", "Newsweek"}
    # CNN (Jan 21): Blinken briefs EU foreign ministers on Monday Jan 24.
    assert _on(events, date(2022, 1, 24), "blinken")
    # The Biden-Zelensky call: 'Thursday afternoon' and '2 p.m.' -> one entry at 14:00.
    call = [e for e in events if e.start == datetime(2022, 1, 27, 14)]
    assert len(call) == 1 and call[0].precision == "time"
    # What is not an event: "since December" read as a future December, "in the coming days",
    # "an invasion ... in February remains a possibility", "this year".
    assert not [e for e in events if e.start and e.start.year == 2022 and e.start.month == 12]
    assert not any(s["as_written"] in ("the coming days", "the coming weeks", "this year", "now")
                   for e in events for s in e.sources)
    assert all(len(e.title.split()) <= MAX_TITLE_WORDS for e in events)
    assert len({e.id for e in events}) == len(events)


def test_seed_calendar_exports_as_icalendar(seed_posts):
    events = scheduled_events(seed_posts)
    text = to_ics(events, "Ukraine, Jan–Feb 2022", stamp=datetime(2022, 3, 1, tzinfo=UTC))
    _check_ics_shape(text)
    assert text.count("BEGIN:VEVENT") == len(events)
    assert "DTSTART;VALUE=DATE:20220131" in text
    icalendar = pytest.importorskip("icalendar")
    calendar = icalendar.Calendar.from_ical(text)
    parsed = [c for c in calendar.walk("VEVENT")]
    assert len(parsed) == len(events)
    assert {str(c["UID"]) for c in parsed} == {f"{e.id}@storyline" for e in events}
    council = next(c for c in parsed if c.decoded("DTSTART") == date(2022, 1, 31))
    assert "Newsweek" in str(council["DESCRIPTION"])


# -- iCalendar writing ------------------------------------------------------------------------

def _check_ics_shape(text: str) -> None:
    """Our own strict reading: CRLF only, lines of at most 75 octets, continuations start
    with one space, unfolded TEXT values carry no unescaped comma or semicolon."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    unfolded = re.sub(r"\r\n ", "", text).split("\r\n")[:-1]
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    for line in unfolded:
        name, _, value = line.partition(":")
        if name in ("SUMMARY", "DESCRIPTION", "X-WR-CALNAME"):
            assert not re.search(r"(?<!\\)[,;]", value.replace("\\\\", "")), line


def test_ics_escapes_folds_and_dates():
    long_title = "Talks; round two, in Zürich — “quoted” \\ backslash " + "ünïcödé " * 20
    events = [
        ScheduledEvent(long_title, datetime(2023, 5, 11), datetime(2023, 5, 12), ["a"], id="ev-1", all_day=True,
                       sources=[{"outlet": "Alpha, Inc.", "post_id": "a", "published": "2023-05-08",
                                 "as_written": "Thursday", "text": "Line one\nline two; with, marks"}]),
        ScheduledEvent("Vote", datetime(2023, 2, 3, 21, tzinfo=UTC), None, ["b"], id="ev-2", all_day=False, precision="time"),
        ScheduledEvent("Floating", datetime(2023, 2, 3, 16), None, ["c"], id="ev-3", all_day=False, precision="time"),
        ScheduledEvent("No date", None, None, ["d"], id="ev-4"),
    ]
    text = to_ics(events, "Test; calendar", stamp=datetime(2023, 1, 1, tzinfo=UTC))
    _check_ics_shape(text)
    assert text.count("BEGIN:VEVENT") == 3  # the event without a start is left out
    assert "DTSTART;VALUE=DATE:20230511\r\n" in text and "DTEND;VALUE=DATE:20230512\r\n" in text
    assert "DTSTART:20230203T210000Z\r\n" in text and "DTSTART:20230203T160000\r\n" in text
    assert "DTSTAMP:20230101T000000Z" in text
    icalendar = pytest.importorskip("icalendar")
    parsed = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert str(parsed[0]["SUMMARY"]) == long_title
    assert "line two; with, marks" in str(parsed[0]["DESCRIPTION"])
    assert parsed[1].decoded("DTSTART") == datetime(2023, 2, 3, 21, tzinfo=UTC)


def test_fold_never_splits_a_character():
    line = "SUMMARY:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n ")
    assert "".join(pieces) == line
    assert all(len(p.encode("utf-8")) <= 74 for p in pieces[1:]) and len(pieces[0].encode("utf-8")) <= 75
    assert escape_text("a,b;c\\d\ne\r\nf\x07") == "a\\,b\\;c\\\\d\\ne\\nf"


# -- bad input ----------------------------------------------------------------------------------

def test_bad_input_is_skipped_not_fatal():
    empty = make_post("e", "", [])
    no_times = make_post("n", "Nothing planned", ["Nothing happened today."], day=date(2023, 1, 1))
    broken = make_post("x", "", ["The summit will open on Monday."], day=date(2023, 1, 1))
    broken.times += [
        TimeRef("on Monday", datetime(2023, 1, 2), None, future=True, offset=10),  # no end
        TimeRef("on Monday", datetime(2023, 1, 3), datetime(2023, 1, 2), future=True, offset=10),  # end before start
        TimeRef("on Friday", datetime(2023, 1, 6), datetime(2023, 1, 7), future=True, offset=10_000),  # not in the text
        TimeRef("on Monday", None, None, future=True, offset=0),
    ]
    undated = make_post("u", "", ["The summit will open on Monday."])  # no published time, no day
    at(undated, "on Monday", *day(2023, 1, 2))
    events = scheduled_events([(empty, ""), (no_times, "A"), (broken, "B"), (undated, None)])  # type: ignore[list-item]
    assert [e.source_post_ids for e in events] == [["u"]]


def test_naive_and_aware_times_mix():
    a = make_post("a", "", ["The summit of Nordic leaders will open in Oslo on Monday."], published=datetime(2023, 1, 5, 8, tzinfo=UTC))
    at(a, "on Monday", *day(2023, 1, 9, UTC))
    b = make_post("b", "", ["Nordic leaders will open their summit in Oslo on January 9."], published=datetime(2023, 1, 6, 8))
    at(b, "January 9", *day(2023, 1, 9))
    c = make_post("c", "", ["A Baltic energy conference will start in Riga on January 10."], day=date(2023, 1, 6))
    at(c, "January 10", *day(2023, 1, 10))
    events = scheduled_events([(a, "A"), (b, "B"), (c, "C")])
    assert [e.start.date() for e in events] == [date(2023, 1, 9), date(2023, 1, 10)]
    assert len(events[0].sources) == 2
    _check_ics_shape(to_ics(events))


def test_many_announcements_stay_fast():
    import time as clock

    rows = []
    for i in range(2000):
        p = make_post(f"p{i}", "", [f"Delegation {i % 50} will visit the port of Gdansk on Friday."], day=date(2023, 1, 2))
        at(p, "on Friday", *day(2023, 1, 6))
        rows.append((p, f"Outlet {i % 7}"))
    began = clock.perf_counter()
    events = scheduled_events(rows)
    assert clock.perf_counter() - began < 20
    assert sum(len(e.sources) for e in events) == 2000
