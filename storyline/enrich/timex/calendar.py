"""TIMEX3 values and the intervals they name.

A value names a calendar unit ('2022-01-31', '2022-W05', '2022-02', '2022-Q1', '2022-SP',
'2022', '199', '2022-01-27TEV', '2022-01-27T14:00'); `interval` turns it into [start, end)
in a zone, and `narrow` keeps the early / middle / late third of it ("mid-February").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

# parts of the day as hours [from, to) -- to may pass midnight; "last night" is the
# evening before, so the night starts at 18:00
PART_HOURS = {"MO": (5, 12), "AF": (12, 18), "EV": (18, 22), "NI": (18, 30), "DT": (8, 18)}
SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}  # meteorological: three months each

_VALUE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:(?P<m>\d\d)(?:-(?P<d>\d\d)(?:T(?:(?P<hh>\d\d)(?::(?P<mm>\d\d))?|(?P<part>MO|AF|EV|NI|DT)))?)?"
    r"|W(?P<w>\d\d)(?P<we>-WE)?|Q(?P<q>[1-4])|H(?P<h>[12])|(?P<s>SP|SU|FA|WI)))?$"
    r"|^(?P<dec>\d{3})$|^(?P<cen>\d{2})$"
)


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date, weekend: bool = False) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}" + ("-WE" if weekend else "")


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def add_quarters(y: int, q: int, n: int) -> tuple[int, int]:
    k = y * 4 + (q - 1) + n
    return k // 4, k % 4 + 1


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def interval(value: str, zone: tzinfo | None) -> tuple[datetime, datetime] | None:
    """[start, end) of the unit a TIMEX3 value names, or None when it names none."""
    m = _VALUE.match(value)
    if not m:
        return None
    g = m.groupdict()
    if g["dec"]:
        y = int(g["dec"]) * 10
        return _at(date(y, 1, 1), zone), _at(date(y + 10, 1, 1), zone)
    if g["cen"]:
        y = int(g["cen"]) * 100
        return _at(date(max(y, 1), 1, 1), zone), _at(date(y + 100, 1, 1), zone)
    y = int(g["y"])
    try:
        if g["d"]:
            d = date(y, int(g["m"]), int(g["d"]))
            if g["hh"]:
                start = datetime.combine(d, time(int(g["hh"]), int(g["mm"] or 0)), zone)
                return start, start + (timedelta(minutes=1) if g["mm"] else timedelta(hours=1))
            if g["part"]:
                a, b = PART_HOURS[g["part"]]
                base = datetime.combine(d, time(0), zone)
                return base + timedelta(hours=a), base + timedelta(hours=b)
            return _at(d, zone), _at(d + timedelta(days=1), zone)
        if g["m"]:
            ny, nm = add_months(y, int(g["m"]), 1)
            return _at(date(y, int(g["m"]), 1), zone), _at(date(ny, nm, 1), zone)
        if g["w"]:
            mon = date.fromisocalendar(y, int(g["w"]), 1)
            if g["we"]:
                return _at(mon + timedelta(days=5), zone), _at(mon + timedelta(days=7), zone)
            return _at(mon, zone), _at(mon + timedelta(days=7), zone)
        if g["q"] or g["h"] or g["s"]:
            if g["q"]:
                first, n = (int(g["q"]) - 1) * 3 + 1, 3
            elif g["h"]:
                first, n = (int(g["h"]) - 1) * 6 + 1, 6
            else:
                first, n = SEASON_MONTHS[g["s"]], 3
            ey, em = add_months(y, first, n)
            return _at(date(y, first, 1), zone), _at(date(ey, em, 1), zone)
        return _at(date(y, 1, 1), zone), _at(date(y + 1, 1, 1), zone)
    except ValueError:  # 2022-02-30, week 54
        return None


def narrow(span: tuple[datetime, datetime], mod: str | None) -> tuple[datetime, datetime]:
    """The START / MID / END third of an interval (months cut at the 10th and 20th)."""
    if mod not in ("START", "MID", "END"):
        return span
    start, end = span
    i = ("START", "MID", "END").index(mod)
    if start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        if months == 1:  # early = 1-10, mid = 11-20, late = 21-end
            cuts = [start, start.replace(day=11), start.replace(day=21), end]
            return cuts[i], cuts[i + 1]
        if months % 3 == 0:
            k = months // 3
            a = add_months(start.year, start.month, k * i)
            b = add_months(start.year, start.month, k * (i + 1))
            return start.replace(year=a[0], month=a[1]), start.replace(year=b[0], month=b[1])
    days = (end.date() - start.date()).days
    if days >= 3:
        cut = [0, round(days / 3), round(2 * days / 3), days]
        return start + timedelta(days=cut[i]), start + timedelta(days=cut[i + 1])
    third = (end - start) / 3
    return start + third * i, start + third * (i + 1)


def _at(d: date, zone: tzinfo | None) -> datetime:
    return datetime.combine(d, time(0), zone)
