from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from storyline.date.evidence import find_mentions, infer_year, url_day
from storyline.date.stamps import parse_stamp
from storyline.model import Document
from storyline.pipeline import default_pipeline
from storyline.settings import Options


@pytest.mark.parametrize(
    "text, hhmm, ymd, zone",
    [
        ("4:44 p.m. ET, January 21, 2022", (16, 44), (2022, 1, 21), "ET"),
        ("17:40 GMT", (17, 40), None, "GMT"),
        ("Friday 21 January 2022 16.44 GMT", (16, 44), (2022, 1, 21), "GMT"),
        ("Jan 21, 2022 4:44 PM EST", (16, 44), (2022, 1, 21), "EST"),
        ("10.30am BST", (10, 30), None, "BST"),
        ("Updated 12:05 a.m. ET", (0, 5), None, "ET"),
    ],
)
def test_printed_stamps(text, hhmm, ymd, zone):
    stamp = parse_stamp(text)
    assert stamp is not None and stamp.time == time(*hhmm) and stamp.zone == zone
    assert (stamp.year, stamp.month, stamp.day) == (ymd or (None, None, None))


@pytest.mark.parametrize("text", ["2022", "The latest on the talks", "12", "Live Updates", "13:75 GMT"])
def test_non_stamps(text):
    assert parse_stamp(text) is None


def test_et_is_new_york_time_by_date():
    winter = parse_stamp("4:44 p.m. ET, January 21, 2022").resolve(None)
    summer = parse_stamp("4:44 p.m. ET, July 21, 2022").resolve(None)
    assert winter.utcoffset() == timedelta(hours=-5) and summer.utcoffset() == timedelta(hours=-4)


def test_relative_stamps():
    assert parse_stamp("2h ago").ago == timedelta(hours=2)
    assert parse_stamp("35 mins ago").ago == timedelta(minutes=35)


def test_year_from_weekday_and_date_pairs():
    mentions = find_mentions("The vote will take place on Monday, January 31 and talks on Monday 7 February.")
    assert infer_year(mentions, date(2026, 11, 21)) == (2022, "weekday+date")


def test_url_dates():
    assert url_day("https://www.aljazeera.com/news/2022/1/26/ukraine-live") == date(2022, 1, 26)
    assert url_day("https://www.theguardian.com/world/live/2022/feb/24/x") == date(2022, 2, 24)


def _parse(text: str, **options) -> object:
    doc = Document(source="t.txt", content=text.encode(), media_type="text/plain")
    return default_pipeline().run(doc, Options(**options))


def _page(posts: list[tuple[str, str]], title: str = "Harbour talks: live updates") -> str:
    parts = [title, ""]
    for stamp, headline in posts:
        if stamp:
            parts += [stamp, ""]
        parts += [headline, "", f"Officials said more about {headline.lower()} today.", ""]
    return "\n".join(parts)


def test_midnight_rollover_on_a_newest_first_page():
    parsed = _parse(
        _page([("00:40 GMT", "Ferries resume after the storm"), ("23:50 GMT", "Storm reaches the coast"),
               ("21:10 GMT", "Warnings issued for the islands")]),
        date=date(2024, 3, 12),
    )
    got = [p.published for p in parsed.posts]
    assert got[0] == datetime(2024, 3, 12, 0, 40, tzinfo=timezone.utc)
    assert got[1] == datetime(2024, 3, 11, 23, 50, tzinfo=timezone.utc)
    assert got[2].date() == date(2024, 3, 11)
    assert all(p.precision == "minute" for p in parsed.posts)


def test_small_disorder_is_not_a_new_day():
    parsed = _parse(
        _page([("1:02 p.m. ET, March 4, 2024", "Mayor visits the harbour"), ("1:33 p.m. ET, March 4, 2024", "Harbour reopens"),
               ("12:56 p.m. ET, March 4, 2024", "Crews clear the quay")])
    )
    assert {p.day for p in parsed.posts} == {date(2024, 3, 4)}
    assert parsed.posts[1].published.hour == 13 and parsed.posts[1].published.minute == 33


def test_relative_stamp_uses_page_time():
    now = datetime(2024, 5, 2, 12, 0, tzinfo=timezone.utc)
    parsed = _parse(_page([("2h ago", "Bridge closed to traffic"), ("3h ago", "Engineers inspect bridge")]), now=now)
    assert parsed.posts[0].published == now - timedelta(hours=2)
    assert parsed.posts[0].dated_how == "relative"


def test_day_openers_split_days_and_pin_the_year():
    text = "\n".join([
        "Harbour standoff: live updates", "",
        "Council confirms vote", "", "The council will vote on Monday, March 17 on the plan.", "",
        "Good morning and welcome to our live blog", "", "Follow our coverage throughout Wednesday.", "",
        "Ferry operators strike", "", "Ferry crews walked out over pay on Tuesday.", "",
        "Unions meet ministers", "", "Talks lasted three hours.", "",
        "Good morning and welcome to our live blog", "", "Follow our coverage throughout Tuesday.", "",
    ])
    parsed = _parse(text, now=datetime(2026, 11, 21, tzinfo=timezone.utc))
    days = [p.day for p in parsed.posts]
    # March 17 is a Monday in 2025: Tuesday and Wednesday sections are March 11 and 12.
    assert days == [date(2025, 3, 12)] * 2 + [date(2025, 3, 11)] * 3
    assert parsed.blog.day == date(2025, 3, 12)
    assert all(p.precision == "day" and p.dated_how == "inferred" for p in parsed.posts)


def test_date_option_overrides():
    parsed = _parse(_page([("", "Ferries resume"), ("", "Storm passes")]), date=date(2023, 6, 1))
    assert parsed.blog.day == date(2023, 6, 1) and parsed.blog.day_how == "option"
    assert {p.day for p in parsed.posts} == {date(2023, 6, 1)}


def test_newsweek_seed_spans_two_days(seeds_dir):
    path = next(seeds_dir.glob("001_*"))
    doc = Document(source=str(path), content=path.read_bytes(), media_type="text/plain")
    parsed = default_pipeline().run(doc, Options())
    assert parsed.blog.day == date(2022, 1, 27)
    assert {p.day for p in parsed.posts} == {date(2022, 1, 26), date(2022, 1, 27)}
