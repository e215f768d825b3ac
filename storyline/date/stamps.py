"""Read the time stamps live blogs print on posts: "4:44 p.m. ET, January 21, 2022",
"17:40 GMT", "Friday 21 January 2022 16.44 GMT", "2h ago", "2022-01-21T16:44:00Z".

`parse_stamp` returns the parts that are written (a stamp may give only a time, or a
date without a year); the date stage fills in the rest from the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}

# Abbreviations newsrooms print after times. Regional names map to IANA zones so that
# "ET" is -05:00 in January and -04:00 in July.
ZONES: dict[str, str] = {
    "ET": "America/New_York", "EST": "America/New_York", "EDT": "America/New_York",
    "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver",
    "PT": "America/Los_Angeles", "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "BST": "Europe/London", "UK": "Europe/London",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin", "EET": "Europe/Kiev",
    "EEST": "Europe/Kiev", "MSK": "Europe/Moscow", "IST": "Asia/Kolkata",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}

_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
_TIME = r"(?P<hour>[01]?\d|2[0-3])(?:[:.](?P<minute>[0-5]\d))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
_ZONE = r"(?P<zone>" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"

_DATE_MDY = rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
_DATE_DMY = rf"{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?"
_ISO_DT = re.compile(
    r"^\s*(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)(Z|[+-]\d\d:?\d\d)?)?\s*$"
)
_RELATIVE = re.compile(
    r"^\s*(?:(?P<n>\d{1,3}|an?|one)\s*(?P<unit>s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s+ago|(?P<now>just now))\s*$",
    re.I,
)
_SEP = r"[\s,·|•–—-]*"


def _group(name: str, pattern: str) -> str:
    """Rename the groups of a sub-pattern so two of them can sit in one regex."""
    return re.sub(r"\(\?P<(\w+)>", lambda m: f"(?P<{m.group(1)}_{name}>", pattern)


_DATE_ANY = "(?:" + _group("a", _DATE_MDY) + "|" + _group("b", _DATE_DMY) + ")"
# A whole line that is nothing but a stamp: optional weekday, date, time and zone, in
# either order ("4:44 p.m. ET, January 21, 2022" or "Friday 21 January 2022 16.44 GMT").
_STAMP_LINE = re.compile(
    rf"^\s*(?:(?:updated|posted|published)\s*:?\s*)?(?:{_WEEKDAY}{_SEP})?"
    rf"(?:(?P<date1>{_DATE_ANY}){_SEP}(?:at\s+)?)?"
    rf"(?P<time>{_TIME})(?:\s*{_ZONE})?"
    rf"(?:{_SEP}(?:{_group('w2', _WEEKDAY)}{_SEP})?(?P<date2>{_group('c', _DATE_MDY)}|{_group('d', _DATE_DMY)}))?\s*$",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Stamp:
    """The parts of a printed time stamp; missing parts are None."""

    text: str
    time: time | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    zone: str | None = None  # abbreviation as printed
    ago: timedelta | None = None  # for "2h ago"
    exact: datetime | None = None  # for ISO stamps with a date and time

    @property
    def has_date(self) -> bool:
        return self.month is not None and self.day is not None

    def tz(self) -> tzinfo | None:
        return zone_for(self.zone) if self.zone else None

    def resolve(self, on: date | None, default_tz: tzinfo | None = None) -> datetime | None:
        """A full datetime once the missing date is known (or None)."""
        if self.exact is not None:
            return self.exact
        if self.time is None:
            return None
        if self.has_date and self.year is not None:
            on = date(self.year, self.month, self.day)  # type: ignore[arg-type]
        if on is None:
            return None
        tz = self.tz() or default_tz
        return datetime.combine(on, self.time, tzinfo=tz)


@lru_cache(maxsize=64)
def zone_for(abbreviation: str) -> tzinfo:
    name = ZONES.get(abbreviation.upper())
    if name is None:
        raise KeyError(abbreviation)
    return timezone.utc if name == "UTC" else ZoneInfo(name)


def _hour24(hour: int, ampm: str | None) -> int | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm.lower().startswith("p")
        return (hour % 12) + (12 if pm else 0)
    return hour


def _date_parts(m: re.Match[str], *suffixes: str) -> tuple[int | None, int | None, int | None]:
    for s in suffixes:
        month = m.group(f"month_{s}")
        if month:
            key = month.lower().rstrip(".")
            return int(m.group(f"day_{s}")), MONTHS.get(key, MONTHS.get(key[:3])), (
                int(m.group(f"year_{s}")) if m.group(f"year_{s}") else None
            )
    return None, None, None


def parse_stamp(text: str) -> Stamp | None:
    """Parse a line that is a time stamp and nothing else; None if it is not one."""
    line = text.strip()
    if not line or len(line) > 64:
        return None
    iso = _ISO_DT.match(line)
    if iso:
        return _parse_iso(line, iso)
    rel = _RELATIVE.match(line)
    if rel:
        if rel.group("now"):
            return Stamp(text=line, ago=timedelta(0))
        n_raw = rel.group("n").lower()
        n = 1 if n_raw in {"a", "an", "one"} else int(n_raw)
        unit = rel.group("unit").lower()[0]
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
        return Stamp(text=line, ago=timedelta(seconds=n * seconds))
    m = _STAMP_LINE.match(line)
    if not m:
        return None
    hour = _hour24(int(m.group("hour")), m.group("ampm"))
    minute = int(m.group("minute")) if m.group("minute") else None
    if hour is None:
        return None
    # A bare number ("2022", "12") is not a time: demand minutes, or am/pm.
    if minute is None and not m.group("ampm"):
        return None
    day, month, year = _date_parts(m, "a", "b", "c", "d")
    weekday_raw = m.group("weekday") or m.group("weekday_w2")
    weekday = WEEKDAYS.get(weekday_raw.lower().rstrip(".")) if weekday_raw else None
    if month is not None and day is not None and not _valid_day(year or 2000, month, day):
        return None
    return Stamp(
        text=line, time=time(hour, minute or 0), day=day, month=month, year=year,
        weekday=weekday, zone=(m.group("zone") or None) and m.group("zone").upper(),
    )


def _valid_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _parse_iso(line: str, m: re.Match[str]) -> Stamp | None:
    try:
        if m.group(2) is None:
            d = date.fromisoformat(m.group(1))
            return Stamp(text=line, day=d.day, month=d.month, year=d.year)
        value = datetime.fromisoformat(line.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    return Stamp(
        text=line, time=value.timetz().replace(tzinfo=None), day=value.day, month=value.month,
        year=value.year, exact=value,
    )


def parse_machine_time(value: str | None) -> datetime | None:
    """Parse an ISO 8601 value from markup (datetime attributes, JSON-LD); None if invalid."""
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return None  # a date alone is not a time; callers read dates with parse_machine_date
    text = text.replace("Z", "+00:00")
    text = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_machine_date(value: str | None) -> date | None:
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"\s*(\d{4})-(\d\d)-(\d\d)", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
