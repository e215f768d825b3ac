"""Internal evidence for a page's dates: weekday+date pairs ("Monday, January 31"),
dates in the text ("on Jan. 27"), day markers ("Follow ... throughout Friday"), page
notes ("Here are the updates for January 26"), and dates in URLs ("/2022/1/26/").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

from .stamps import MONTHS, WEEKDAYS

_WD = r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MON = r"(?P<mon>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t|tember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<y>(?:19|20)\d\d)"
# "January 26", "Jan. 27, 2022", "7 February", "Monday 7 February", "Monday, January 31".
MONTH_DAY = re.compile(
    rf"(?:\b{_WD},?\s+)?(?:\b{_MON}\s+{_D}\b(?:,?\s+{_Y}\b)?|\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon2>January|February|March|April|May|June|July|August|September|October|November|December)\b(?:,?\s+(?P<y2>(?:19|20)\d\d)\b)?)"
)
_DAY_MARKER = re.compile(
    rf"(?:(?:throughout|all\s+day|on|for|this)\s+|\b(?=\w+[’']s\s+(?:live|coverage|updates|blog))){_WD}\b",
)
_PAGE_DAY = re.compile(
    rf"(?:updates|news|developments|events|coverage|blog)\s+(?:for|from|on|of)\s+(?:{_WD},?\s+)?{_MON}\s+{_D}\b(?:,?\s+{_Y})?",
    re.I,
)
_POINTER = re.compile(r"read\s+(?:all\s+)?(?:the\s+)?(?:updates|coverage)\s+from", re.I)
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d\d)[/-](?P<m>\d{1,2}|[a-z]{3})[/-](?P<d>\d{1,2})(?:/|-|$|\b)", re.I
)


@dataclass(frozen=True, slots=True)
class DateMention:
    month: int
    day: int
    year: int | None
    weekday: int | None
    text: str
    future: bool = False  # announced ("will vote on Monday, March 17"), not reported


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key) or MONTHS[key[:3]]


_FUTURE_CUE = re.compile(
    r"\b(?:will|would|shall|to be held|to take place|set to|scheduled|due|next|upcoming|expected|plans? to|begins?|opens?)\b", re.I
)


def _announced(text: str, start: int) -> bool:
    before = text[max(0, start - 80): start]
    before = re.split(r"[.!?]\s", before)[-1]
    return bool(_FUTURE_CUE.search(before))


def find_mentions(text: str) -> list[DateMention]:
    out = []
    for m in MONTH_DAY.finditer(text):
        mon = m.group("mon") or m.group("mon2")
        day = int(m.group("d") or m.group("d2"))
        year_raw = m.group("y") or m.group("y2")
        if not 1 <= day <= 31:
            continue
        wd = m.group("wd")
        out.append(
            DateMention(
                month=month_number(mon), day=day, year=int(year_raw) if year_raw else None,
                weekday=WEEKDAYS[wd.lower()] if wd else None, text=m.group(0),
                future=_announced(text, m.start()),
            )
        )
    return out


def day_marker(text: str) -> int | None:
    """The weekday an opener post names as its day ('throughout Thursday')."""
    m = _DAY_MARKER.search(text)
    if not m:
        return None
    return WEEKDAYS[m.group("wd").lower()]


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def years_for_weekday(month: int, day: int, weekday: int, latest: date) -> list[int]:
    """Years, most recent first (not after `latest`), in which month/day falls on weekday."""
    years = []
    for year in range(latest.year + 1, latest.year - 40, -1):
        d = _valid(year, month, day)
        if d and d <= latest and d.weekday() == weekday:
            years.append(year)
    return years


def infer_year(mentions: list[DateMention], now: date) -> tuple[int | None, str]:
    """The year an undated page is from: weekday+date pairs first, then written years.

    A pair counts toward the most recent year, not in the future, in which that date
    falls on that weekday; pairs may announce a date up to ~2 months ahead of the page,
    so 'not in the future' allows that much slack past `now`.
    """
    latest = now + timedelta(days=62)
    votes: Counter[int] = Counter()
    for m in mentions:
        if m.weekday is not None:
            if m.year is not None:
                d = _valid(m.year, m.month, m.day)
                if d and d.weekday() == m.weekday:
                    votes[m.year] += 2
                continue
            years = years_for_weekday(m.month, m.day, m.weekday, latest)
            if years:
                votes[years[0]] += 2
    if votes:
        return votes.most_common(1)[0][0], "weekday+date"
    written = Counter(m.year for m in mentions if m.year and m.year <= now.year)
    if written:
        return written.most_common(1)[0][0], "written year"
    return None, ""


def page_day(texts: list[str]) -> tuple[int, int, int | None] | None:
    """(month, day, year) from lines like 'Here are the updates for January 26'."""
    for text in texts:
        for m in _PAGE_DAY.finditer(text):
            if _POINTER.search(text[max(0, m.start() - 25): m.start() + 25]):
                continue
            return month_number(m.group("mon")), int(m.group("d")), int(m.group("y")) if m.group("y") else None
    return None


def pointer_day(texts: list[str]) -> DateMention | None:
    """'Read all the updates from Thursday, February 24' names the previous day's page."""
    for text in texts:
        p = _POINTER.search(text)
        if p:
            found = find_mentions(text[p.end():])
            if found:
                return found[0]
    return None


def url_day(url: str | None) -> date | None:
    if not url:
        return None
    m = _URL_DATE.search(urlsplit(url).path)
    if not m:
        return None
    month = m.group("m")
    month_n = int(month) if month.isdigit() else MONTHS.get(month.lower())
    if not month_n:
        return None
    return _valid(int(m.group("y")), month_n, int(m.group("d")))


def first_announced(mentions: list[DateMention], year: int) -> date | None:
    """The earliest date the page announces as coming: an upper bound for its days."""
    dates = sorted(d for m in mentions if m.future and m.year in (None, year) and (d := _valid(year, m.month, m.day)))
    return dates[0] if dates else None


def anchor_from_mentions(mentions: list[DateMention], year: int) -> date | None:
    """The earliest date of the page's cluster of mentioned dates.

    Live blogs mention recent past days and upcoming ones; the earliest mention of the
    cluster is a lower bound for the page's first day. Mentions more than 10 days before
    the median are history ("in March 2014"), not the news cycle.
    """
    dates = sorted(
        d for m in mentions if not m.future and (m.year in (None, year)) and (d := _valid(year, m.month, m.day))
    )
    if not dates:
        return None
    median = dates[len(dates) // 2]
    cluster = [d for d in dates if d >= median - timedelta(days=10)]
    return cluster[0]
