"""Time expressions: found in a post and resolved against the post's own time."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from storyline.enrich.text import PostText
from storyline.enrich.times import find_times, resolve_expression

from .conftest import SHARED, seed

UTC = timezone.utc
KYIV = ZoneInfo("Europe/Kyiv")
# Friday 28 January 2022, 15:30 UTC
FRIDAY = datetime(2022, 1, 28, 15, 30, tzinfo=UTC)


def times(body: str, anchor: datetime | None = FRIDAY, day_only: bool = False, headline: str = ""):
    return find_times(PostText.build(headline, [body], anchor, day_only))


def one(body: str, anchor: datetime | None = FRIDAY, **kw):
    found = times(body, anchor, **kw)
    assert len(found) == 1, [(t.text, t.value) for t in found]
    return found[0]


def day(y: int, m: int, d: int, zone=UTC) -> datetime:
    return datetime(y, m, d, tzinfo=zone)


# ---------------------------------------------------------------- weekdays and tense


def test_said_on_friday_in_a_friday_post_is_that_day():
    t = one("The mayor of Dunmore said on Friday that the bridge was closed.")
    assert (t.value, t.start, t.end, t.future) == ("2022-01-28", day(2022, 1, 28), day(2022, 1, 29), False)
    assert t.anchor == FRIDAY and t.anchor_how == "published" and t.kind == "date"


def test_will_meet_on_monday_is_the_coming_monday_and_future():
    t = one("The two envoys will meet on Monday in Vilmora.")
    assert t.value == "2022-01-31" and t.future


def test_past_weekday_is_the_latest_such_day():
    assert one("Crews repaired the line on Tuesday.").value == "2022-01-25"
    assert one("The council voted on Saturday to close the port.").value == "2022-01-22"


def test_future_cues_pick_the_next_day():
    assert one("The report is due on Wednesday.").value == "2022-02-02"
    assert one("A vote is scheduled for Thursday.").value == "2022-02-03"
    t = one("The ferry resumes next Monday.")
    assert t.value == "2022-01-31" and t.future


def test_last_and_next_skip_today():
    assert one("Talks collapsed last Friday.").value == "2022-01-21"
    assert one("Talks resume next Friday.").value == "2022-02-04"


def test_weekday_with_part_of_day_and_with_date():
    t = one("Shelling resumed on Wednesday night, officials said.")
    assert t.value == "2022-01-26TNI" and t.start == datetime(2022, 1, 26, 18, tzinfo=UTC)
    t = one("The summit opens on Monday, January 31, in Osterby.")
    assert t.text == "Monday, January 31" and t.value == "2022-01-31"


# ---------------------------------------------------------------- days and parts of days


def test_yesterday_today_tomorrow():
    found = times("Yesterday the river rose; today it is falling and tomorrow it may flood again.")
    assert [t.value for t in found] == ["2022-01-27", "2022-01-28", "2022-01-29"]
    assert [t.future for t in found] == [False, False, True]


def test_last_night_is_the_evening_before():
    t = one("Sirens sounded across the city last night.")
    assert t.value == "2022-01-27TNI"
    assert t.start == datetime(2022, 1, 27, 18, tzinfo=UTC) and t.end <= datetime(2022, 1, 28, 12, tzinfo=UTC)


def test_this_morning_and_tonight():
    assert one("The minister arrived this morning.").value == "2022-01-28TMO"
    assert one("A curfew begins tonight.").value == "2022-01-28TNI"


def test_a_post_late_at_night():
    late = datetime(2022, 1, 29, 1, 30, tzinfo=KYIV)  # 01:30 on Saturday, Kyiv time
    t = one("Explosions were heard tonight near the airport.", late)
    assert t.value == "2022-01-28TNI" and t.start == datetime(2022, 1, 28, 18, tzinfo=KYIV)
    t = one("The mayor spoke yesterday.", late)
    assert t.value == "2022-01-28" and t.start.tzinfo is KYIV


def test_day_only_anchor():
    t = one("The envoy left on Thursday.", day(2022, 1, 28), day_only=True)
    assert t.value == "2022-01-27" and t.anchor_how == "day"


def test_clock_times_to_the_minute():
    t = one("The briefing starts at 14:00 GMT.", datetime(2022, 1, 28, 9, 0, tzinfo=KYIV))
    assert t.kind == "time" and t.value == "2022-01-28T14:00"
    assert t.start == datetime(2022, 1, 28, 16, 0, tzinfo=KYIV) and t.end - t.start == timedelta(minutes=1)
    t = one("The convoy left at 3pm on Wednesday.")
    assert t.value == "2022-01-26T15:00" and t.start == datetime(2022, 1, 26, 15, tzinfo=UTC)


# ---------------------------------------------------------------- weeks, months, vague stretches


def test_earlier_and_later_this_week():
    t = one("Earlier this week the ministry denied the report.")
    assert t.value == "2022-W04" and (t.start, t.end) == (day(2022, 1, 24), day(2022, 1, 29))
    t = one("A decision is expected later this week.")
    assert (t.start, t.end) == (day(2022, 1, 29), day(2022, 1, 31)) and t.future


def test_next_month_and_last_week():
    t = one("Elections will be held next month.")
    assert (t.value, t.start, t.end, t.future) == ("2022-02", day(2022, 2, 1), day(2022, 3, 1), True)
    assert one("Prices rose last week.").value == "2022-W03"


def test_mid_february_and_the_late_spring():
    t = one("The drills last until mid-February.")
    assert t.text == "mid-February" and t.value == "2022-02" and (t.start, t.end) == (day(2022, 2, 11), day(2022, 2, 21))
    t = one("The offensive is expected in the late spring.")
    assert t.text == "the late spring" and t.value == "2022-SP" and (t.start, t.end) == (day(2022, 5, 1), day(2022, 6, 1))


def test_in_two_weeks_is_the_day_fourteen_days_on():
    t = one("A new round of talks will take place in two weeks.")
    assert t.text == "two weeks" and t.value == "2022-02-11" and t.future


def test_durations():
    t = one("The strike lasted five days.")
    assert (t.kind, t.value, t.start, t.end) == ("duration", "P5D", None, None)
    assert one("They negotiated for two weeks.").value == "P2W"
    t = one("Output fell over the past two months.")
    assert t.value == "P2M" and t.end == FRIDAY
    assert one("The plan took several years.").value == "PXY"
    assert one("Crews needed 24 hours.").value == "PT24H"


def test_ago():
    assert one("The dam was built three years ago.").value == "2019"
    assert one("She resigned two days ago.").value == "2022-01-26"


def test_present_past_future_refs():
    assert one("The border is now closed.").value == "PRESENT_REF"
    t = one("The envoy recently visited Osterby.")
    assert t.value == "PAST_REF" and t.end == FRIDAY and t.start is None


def test_sets():
    assert one("The ferry sails daily.").kind == "set"
    assert one("Inspectors visit every Monday.").value == "XXXX-WXX-1"


# ---------------------------------------------------------------- dates and years


def test_dates_with_and_without_year():
    assert one("The treaty was signed on March 3, 1994.").value == "1994-03-03"
    assert one("The deal was signed on 7 January.").value == "2022-01-07"
    assert one("The vote is planned for February 12.").value == "2022-02-12"
    assert one("A record was kept since 2021-11-30.").value == "2021-11-30"


def test_year_boundary_january_in_a_late_december_post():
    t = one("The embassy will reopen on January 3.", datetime(2021, 12, 30, 10, tzinfo=UTC))
    assert t.value == "2022-01-03" and t.future
    t = one("The embassy closed on December 28.", datetime(2022, 1, 2, 10, tzinfo=UTC))
    assert t.value == "2021-12-28"


def test_month_alone_follows_tense():
    assert one("The inquiry opened in November.").value == "2021-11"
    assert one("The inquiry will report in March.").value == "2022-03"


def test_years_decades_quarters():
    assert one("The fort was rebuilt in 1990.").value == "1990"
    t = one("Trade grew through the 1990s.")
    assert t.value == "199" and t.start == day(1990, 1, 1)
    assert one("Sales fell in the third quarter.").value == "2021-Q3"


def test_narrative_reference_the_next_day():
    found = times("The ship docked on January 5. The crew left the next day.")
    assert [t.value for t in found] == ["2022-01-05", "2022-01-06"]


def test_offsets_point_into_the_text():
    body = "Officials said on Friday that talks will resume next month."
    for t in times(body, headline="Talks to resume"):
        text = "Talks to resume\n\n" + body
        assert text[t.offset:t.offset + len(t.text)] == t.text


def test_resolve_expression_reads_tense_from_context():
    a = resolve_expression("Monday", FRIDAY, "The committee will meet on ", ".")
    b = resolve_expression("Monday", FRIDAY, "The committee met on ", ".")
    assert (a.value, b.value) == ("2022-01-31", "2022-01-24")
    assert resolve_expression("no time here", FRIDAY) is None


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   ", "1e9", "Затем, в понедельник, 5 февраля", "星期五下午三点", "((((", "May may march"])
def test_bad_input_gives_sensible_or_empty(text):
    for t in times(text):
        assert t.text and t.value


def test_season_range_and_numbers_are_not_times():
    found = times("The 2012–13 season cost 1e9 dollars, and 1990 troops were sent.")
    assert [t.text for t in found] == ["2012–13"]
    assert found[0].start == day(2012, 1, 1) and found[0].end == day(2014, 1, 1)


def test_no_anchor_keeps_only_absolute_expressions():
    found = times("On Friday, five days after the vote of March 3, 2021, talks resumed.", anchor=None)
    assert sorted(t.value for t in found) == ["2021-03-03", "P5D"]
    assert all(t.anchor is None for t in found)


def test_100k_word_post_in_bounded_linear_time():
    sentence = "Officials said on Friday that the talks will resume next month after a pause of five days. "
    small = sentence * 60  # ~1,000 words
    big = sentence * 6_000  # ~100,000 words
    t0 = time.perf_counter()
    n_small = len(times(small))
    small_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n_big = len(times(big))
    big_s = time.perf_counter() - t0
    assert n_big == 100 * n_small
    assert big_s < 5.0 and big_s < 300 * small_s + 0.5  # linear: 100x the text, not 10,000x


def test_speed_per_100_word_post():
    post = ("The minister said on Tuesday that troops would leave within two weeks, and talks "
            "are planned for early next month. Last night officials met in Osterby; a decision "
            "is due by March 3. ") * 3
    pt = PostText.build("Talks set for next week", [post], FRIDAY)
    words = len(pt.text.split())
    find_times(pt)
    best = float("inf")
    for _ in range(7):  # the best of several rounds: robust to other load on a shared machine
        t0 = time.process_time()
        for _ in range(40):
            pt._sentences = None
            find_times(pt)
        best = min(best, (time.process_time() - t0) / 40)
    per_100_words_ms = best * 1000 * 100 / words
    # goal ~0.5 ms (measured 0.45-0.8); the bound catches a regression of 4x, not machine noise
    assert per_100_words_ms < 3.0


# ---------------------------------------------------------------- real data


def test_al_jazeera_seed_times_fall_in_jan_to_mar_2022():
    from storyline.enrich import post_text
    from storyline.model import Document
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    path = seed("000_")
    parsed = default_pipeline().run(Document(source=str(path), content=path.read_bytes(), media_type="text/plain"), Options())
    found = [t for post in parsed.posts for t in find_times(post_text(post))]
    dated = [t for t in found if t.kind in ("date", "time") and t.start and t.end and t.value not in ("PRESENT_REF",)]
    assert len(dated) >= 15
    days = [t for t in dated if t.end - t.start <= timedelta(days=7)]  # days, weeks, times
    assert len(days) >= 10 and all(date(2022, 1, 1) <= t.start.date() < date(2022, 4, 1) for t in days), [
        (t.text, t.value) for t in days if not date(2022, 1, 1) <= t.start.date() < date(2022, 4, 1)
    ]
    # months named without a year: the page's winter ("set to take place in November" is 2021)
    months = [t for t in dated if timedelta(days=7) < t.end - t.start < timedelta(days=40)]
    assert all(date(2021, 11, 1) <= t.start.date() < date(2022, 4, 1) for t in months), [(t.text, t.value) for t in months]


TEMPEVAL = SHARED / "data" / "tempeval3"
# platinum-test value F1 (end to end) measured by bench/tempeval.py (78.33), minus 0.5 points;
# raise it when the bench improves, never lower it
PLATINUM_VALUE_F1_FLOOR = 77.8


def test_tempeval_platinum_value_f1_floor():
    if not (TEMPEVAL / "platinum-test").is_dir():
        pytest.skip(f"TempEval-3 data not found at {TEMPEVAL}")
    import io

    from bench.tempeval import run

    result = run("platinum-test", peer=False, out=io.StringIO())
    assert result["value_f1"] * 100 >= PLATINUM_VALUE_F1_FLOOR
