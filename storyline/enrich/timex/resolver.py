"""What a found time expression means: its TIMEX3 value, resolved against the anchor (the
post's own time) with the tense of its sentence ("said on Friday" is the Friday just gone,
"will meet on Monday" the coming one) and the last date the text named ("the next day").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import calendar as cal
from .lexicon import HOLIDAYS, MONTHS, ORDINALS, PARTS_OF_DAY, SEASONS, SMALL_NUMBERS, UNITS, VAGUE_COUNTS, WEEKDAYS, ZONES


@dataclass(slots=True)
class Resolved:
    value: str
    kind: str = "date"  # date, time, duration, set
    mod: str | None = None  # START / MID / END third of the value's unit
    future: bool = False  # the words themselves point ahead ("tomorrow", "next week")
    span: tuple[datetime, datetime] | None = None  # when not the value's whole unit
    zone_hours: float | None = None  # a clock time's stated zone ("14:00 GMT")


@dataclass(slots=True)
class Context:
    """What a resolver may read besides the expression: the anchor, the words around it in
    its sentence (for tense) and what the text named before (for "the next day")."""

    anchor: datetime
    before: str = ""
    after: str = ""
    ref_day: date | None = None
    ref_year: int | None = None
    ref_quarter: tuple[int, int] | None = None
    day_only: bool = False

    @property
    def today(self) -> date:
        return self.anchor.date()


_IRREGULAR_PAST = (
    "fell|rose|went|came|took|made|saw|gave|left|met|held|began|lost|won|struck|shot|fled|flew|sent|"
    "spent|led|knew|thought|brought|bought|sought|caught|fought|ran|stood|spoke|broke|chose|drove|wrote|"
    "grew|drew|threw|felt|kept|became|got|forgot|sold|paid|laid|found|heard|wound|swore|tore|woke|"
    "stole|hung|sank|sang|rang|shook|slid|split|spread|quit|oversaw|withdrew|undertook|overtook"
)
# Tense cues, nearest to the expression wins. Future forms are tried first at a position,
# so "scheduled" / "expected" (which end in -ed) count as future.
_TENSE = re.compile(
    r"(?P<f>\b(?:will|won['’]t|shall|going\s+to|would|plans?\s+to|planning|planned|scheduled|due|expected|expects?|"
    r"set\s+to|upcoming|intends?\s+to|hopes?\s+to|aims?\s+to|(?:is|are)\s+to|next|coming|postponed|delayed|"
    r"until|as\s+soon\s+as|slated|set\s+for)\b|['’]ll\b)|"
    r"\b(?P<p>was|were|had|did|said|told|ago|last|earlier|been|yesterday|" + _IRREGULAR_PAST + "|"
    r"(?!(?:need|indeed|speed|feed|seed|proceed|exceed|succeed|bed|red|shed|hundred|sacred|naked|wicked|breed|greed|deed|weed)\b)[a-z]{2,}ed)\b"
)
# how far into the sentence a tense cue is looked for, in characters before / after
_TENSE_BEFORE, _TENSE_AFTER = 90, 60


def tense(ctx: Context) -> str | None:
    """'past', 'future' or None, from the cue nearest to the expression in its sentence."""
    last = None
    for last in _TENSE.finditer(ctx.before[-_TENSE_BEFORE:]):
        pass
    if last is None:
        last = _TENSE.search(ctx.after[:_TENSE_AFTER])
    if last is None:
        return None
    return "future" if last.group("f") else "past"


def number(words: str) -> float | None:
    """1, 2.5, 'two', 'twenty-four', 'a couple of' -> value; None for 'several' (vague)."""
    w = re.sub(r"\s+", " ", words.strip().lower())
    half = 0.0
    if w.endswith(" and a half"):
        w, half = w[: -len(" and a half")], 0.5
    if w in VAGUE_COUNTS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", w):
        return float(w) + half
    if w in SMALL_NUMBERS:
        return SMALL_NUMBERS[w] + half
    parts = re.split(r"[\s-]", w)
    if len(parts) == 2 and parts[0] in SMALL_NUMBERS and parts[1] in SMALL_NUMBERS:
        return SMALL_NUMBERS[parts[0]] + SMALL_NUMBERS[parts[1]] + half
    return None


def _fmt(n: float) -> str:
    return str(int(n)) if n == int(n) else f"{n:g}"


def duration_value(n: float | None, unit: str) -> str:
    """P2W, PT3H, P10Y (a decade), PXY (several years)."""
    letter = UNITS[unit]
    if letter == "DE":
        return "PXDE" if n is None else f"P{_fmt(n * 10)}Y"
    if letter == "CE":
        return "PXCE" if n is None else f"P{_fmt(n * 100)}Y"
    if letter == "2W":
        return "PXW" if n is None else f"P{_fmt(n * 2)}W"
    if n == 0.5 and letter in ("Y", "TH", "D"):
        return {"Y": "P6M", "TH": "PT30M", "D": "PT12H"}[letter]
    count = "X" if n is None else _fmt(n)
    return f"PT{count}{letter[1]}" if letter.startswith("T") else f"P{count}{letter}"


def unit_of(word: str) -> str:
    w = word.lower()
    if w in ("centuries",):
        return "century"
    return w[:-1] if w.endswith("s") and w[:-1] in UNITS else w


# ---------------------------------------------------------------- calendar choices


# a day this near the anchor wins over the tense's choice when that is most of a year away
# (tbaq-train: "payable Dec. 15" in a past-tense sentence of a November story)
_NEAR_DAYS = 62


def pick_year(today: date, month: int, day: int, how: str | None, weekday: int | None = None) -> date | None:
    """The year for a day named without one: the nearest such day, the latest one not
    after `today` when the sentence is past, the first one not before it when future."""
    options = []
    for y in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(y, month, day))
        except ValueError:
            continue
    if not options:
        return None
    if weekday is not None:
        matching = [d for d in options if d.weekday() == weekday]
        if matching:
            options = matching
    nearest = min(options, key=lambda d: (abs((d - today).days), d > today))
    if how == "past":
        past = [d for d in options if d <= today]
        chosen = max(past) if past else nearest
    elif how == "future":
        ahead = [d for d in options if d >= today]
        chosen = min(ahead) if ahead else nearest
    else:
        return nearest
    # a tense cue far from the words can mislead: a day within a month of the anchor
    # beats one most of a year away (measured on tbaq-train: months wrongly a year off)
    if abs((chosen - today).days) > 200 and abs((nearest - today).days) <= _NEAR_DAYS:
        return nearest
    return chosen


def pick_month_year(today: date, month: int, how: str | None) -> int:
    here = today.year * 12 + today.month - 1
    options = [(y, (y * 12 + month - 1) - here) for y in (today.year - 1, today.year, today.year + 1)]
    nearest = min(options, key=lambda o: (abs(o[1]), o[1] > 0))
    if how == "past":
        chosen = max((o for o in options if o[1] <= 0), key=lambda o: o[1])
    elif how == "future":
        chosen = min((o for o in options if o[1] >= 0), key=lambda o: o[1])
    else:
        return today.year
    # as for days: a month at most three away beats one nine or more away
    return nearest[0] if abs(chosen[1]) >= 9 and abs(nearest[1]) <= 3 else chosen[0]


def weekday_date(today: date, weekday: int, how: str | None, explicit: str = "") -> date:
    """Which day "Friday" names: 'said on Friday' in a Friday post is that day; past tense
    the latest such day up to today, future the first from today on; "last" / "next"
    skip today; "this" is the day in the current week."""
    back = (today.weekday() - weekday) % 7
    ahead = (weekday - today.weekday()) % 7
    if explicit in ("last", "past", "this past"):
        return today - timedelta(days=back or 7)
    if explicit in ("next", "coming", "this coming"):
        return today + timedelta(days=ahead or 7)
    if explicit == "this":
        return cal.monday(today) + timedelta(days=weekday)
    if how == "past":
        return today - timedelta(days=back)
    if how == "future":
        return today + timedelta(days=ahead)
    # no tense: news reports what happened, so the past day unless the next one is much nearer
    return today - timedelta(days=back) if back <= ahead + 1 else today + timedelta(days=ahead)


def easter(y: int) -> date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(y, month, (h + l - 7 * m + 33 * month + 19) % 32)


def holiday_date(name: str, y: int) -> date:
    key = re.sub(r"\s+", " ", name.lower().replace("’", "'"))
    if key in HOLIDAYS:
        return date(y, *HOLIDAYS[key])
    if key.startswith("thanksgiving"):
        first = date(y, 11, 1)
        return first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    if key.startswith("easter"):
        return easter(y)
    if key == "labor day":
        first = date(y, 9, 1)
        return first + timedelta(days=(0 - first.weekday()) % 7)
    if key == "memorial day":
        last = date(y, 5, 31)
        return last - timedelta(days=last.weekday())
    return date(y, 1, 1)


# ---------------------------------------------------------------- families

_NUM = r"(?P<n>\d+(?:\.\d+)?|[a-z]+(?:[\s-](?:one|two|three|four|five|six|seven|eight|nine))?|a\s+dozen|a\s+couple(?:\s+of)?|couple\s+of|half\s+an?|a\s+few|dozens\s+of|hundreds\s+of)(?:\s+and\s+a\s+half)?"
_UNIT_RE = r"(?P<u>seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?|century|centuries)"
_AGO = re.compile(rf"(?:.*?\s)?(?P<num>{_NUM})[\s-]+{_UNIT_RE}(?:\s+or\s+so)?\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)$")
_DURATION = re.compile(
    rf"^(?:(?:about|around|almost|nearly|approximately|roughly|more\s+than|less\s+than|fewer\s+than|up\s+to|at\s+least|at\s+most|some|over|under|just|only)\s+)?"
    rf"(?:the\s+)?(?:(?P<rel>first|last|past|next|previous|following|initial|final|coming|recent|remaining|another|additional|further|extra)\s+)?"
    rf"(?P<num>{_NUM})(?:\s+|-){_UNIT_RE}"
)
_RELUNIT = re.compile(rf"^(?P<the>the\s+)?(?P<rel>[a-z]+)\s+(?:(?P<num>{_NUM})\s+)?{_UNIT_RE}")
_DATE_MDY = re.compile(r"^(?:(?P<wd>[a-z]+)\.?,?\s+)?(?:the\s+)?(?P<mon>[a-z]+)\.?\s*(?P<d>\d+)(?:st|nd|rd|th)?(?:\s*(?:-|–|to|through|and)\s*(?P<d2>\d+)\S*)?(?:,?\s+(?P<y>\d{4}))?$")
_DATE_DMY = re.compile(r"^(?:(?P<wd>[a-z]+)\.?,?\s+)?(?:the\s+)?(?P<d>\d+)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>[a-z]+)\.?(?:\s*(?:-|–|to)\s*(?P<d2>\d+))?(?:,?\s+(?P<y>\d{4}))?$")
_CLOCK = re.compile(
    r"^(?:(?P<noon>noon|midday)|(?P<midnight>midnight)|(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?(?::\d{2})?\s*"
    r"(?:(?P<ap>[ap])\.?m\b\.?|o'clock|h(?:rs|ours)?|in\s+the\s+(?P<part>morning|afternoon|evening))?)"
    r"(?:\s*\(?(?P<zone>" + "|".join(sorted(ZONES, key=len, reverse=True)) + r")(?P<zoff>[+-]\d{1,2}(?::?\d\d)?)?\)?(?![a-z])|\s+(?P<local>local\s+time|[a-z]+\s+time))?"
    r"(?:,?\s+(?:on\s+)?(?P<tail>.+))?$"
)


def resolve(family: str, words: str, ctx: Context, modword: str = "") -> Resolved | None:
    """The value of one expression found by the finder (`family` names its pattern)."""
    w = re.sub(r"\s+", " ", words.strip()).lower().replace("’", "'")
    if not w:
        return None
    handler = _HANDLERS.get(family)
    return handler(w, ctx, modword) if handler else None


def _day(d: date, part: str | None = None, future: bool = False, mod: str | None = None) -> Resolved:
    return Resolved(cal.day_value(d) + (f"T{part}" if part else ""), future=future, mod=mod)


def _iso(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:[t ](\d\d):(\d\d))?", w)
    if not m:
        return None
    try:
        d = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    if m[4]:
        return Resolved(f"{d.isoformat()}T{m[4]}:{m[5]}", kind="time")
    return _day(d)


def _numdate(w: str, ctx: Context, modword: str) -> Resolved | None:
    a, b, y = (int(x) for x in w.split("/"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    month, day = (a, b) if a <= 12 else (b, a)
    try:
        return _day(date(y, month, day))
    except ValueError:
        return None


def _date(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = _DATE_MDY.match(w) or _DATE_DMY.match(w)
    if not m or m["mon"].rstrip(".") not in MONTHS:
        return None
    month, day = MONTHS[m["mon"].rstrip(".")], int(m["d"])
    weekday = WEEKDAYS.get(m["wd"] or "")
    if m["y"]:
        try:
            d = date(int(m["y"]), month, day)
        except ValueError:
            return None
    else:
        d = pick_year(ctx.today, month, day, tense(ctx), weekday)
        if d is None:
            return None
    r = _day(d)
    if m["d2"] and int(m["d2"]) > day:
        try:
            last = d.replace(day=int(m["d2"]))
            r.span = (cal.interval(cal.day_value(d), ctx.anchor.tzinfo)[0],
                      cal.interval(cal.day_value(last), ctx.anchor.tzinfo)[1])
        except ValueError:
            pass
    return r


def _month(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(?:(?P<rel>this|last|next|past|coming|that)\s+)?(?P<mon>[a-z]+)\.?(?:,?\s+(?:of\s+)?(?P<y>\d{4}))?$", w)
    if not m or m["mon"] not in MONTHS:
        return None
    month, rel = MONTHS[m["mon"]], m["rel"]
    here = ctx.today.year * 12 + ctx.today.month - 1
    if m["y"]:
        y = int(m["y"])
    elif rel in ("last", "past"):
        y = ctx.today.year if month < ctx.today.month else ctx.today.year - 1
    elif rel in ("next", "coming"):
        y = ctx.today.year if month > ctx.today.month else ctx.today.year + 1
    elif rel == "this":
        y = ctx.today.year
    elif rel == "that" and ctx.ref_year:
        y = ctx.ref_year
    else:
        y = pick_month_year(ctx.today, month, tense(ctx))
    return Resolved(cal.month_value(y, month), future=(y * 12 + month - 1) > here)


def _weekday(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(?:(?P<rel>last|next|this coming|this past|this|coming|past)\s+)?(?P<wd>[a-z]+)\.?(?:\s+(?P<part>[a-z]+))?$", w)
    if not m or m["wd"] not in WEEKDAYS:
        return None
    how = tense(ctx)
    d = weekday_date(ctx.today, WEEKDAYS[m["wd"]], how, m["rel"] or "")
    part = PARTS_OF_DAY.get(m["part"] or "")
    return _day(d, part, future=m["rel"] in ("next", "coming", "this coming"))


def _tonight_day(ctx: Context) -> date:
    # a post at 01:30 saying "tonight" means the night that began the evening before
    late = not ctx.day_only and ctx.anchor.hour < 4
    return ctx.today - timedelta(days=1) if late else ctx.today


def _dayword(w: str, ctx: Context, modword: str) -> Resolved | None:
    parts = w.split()
    t = ctx.today
    part = PARTS_OF_DAY.get(parts[-1]) if len(parts) > 1 or parts[0] == "overnight" else None
    head = " ".join(parts[:-1]) if part and len(parts) > 1 else w
    if w == "overnight":
        night = t - timedelta(days=1) if ctx.day_only or ctx.anchor.hour < 14 else t
        return _day(night, "NI")
    if head == "the day before yesterday":
        return _day(t - timedelta(days=2), part)
    if head == "the day after tomorrow":
        return _day(t + timedelta(days=2), part, future=True)
    if head in ("today", "this"):
        r = _day(t, part)
        if modword in ("earlier", "later") and not part:
            day = cal.interval(r.value, ctx.anchor.tzinfo)
            if day:
                r.span = (day[0], ctx.anchor) if modword == "earlier" else (ctx.anchor, day[1])
            r.future = modword == "later"
        return r
    if head == "tonight":
        return _day(_tonight_day(ctx), "NI", future=True)
    if head == "yesterday":
        return _day(t - timedelta(days=1), part)
    if head == "tomorrow":
        return _day(t + timedelta(days=1), part, future=True)
    if head == "last":
        return _day(t - timedelta(days=1) if part in ("NI", "EV") else t, part)
    return None


_REL_FORWARD = {"next": 1, "coming": 1, "upcoming": 1, "following": 1}
_REL_BACK = {"last": -1, "past": -1, "previous": -1, "prior": -1, "preceding": -1}
_NARRATIVE = {"following", "previous", "preceding", "same", "that", "prior", "next"}


def _unit_value(unit: str, base: date, n: int, ref_year: int | None = None) -> str | None:
    """The value of the unit `n` steps from the one holding `base` (n=0: that unit)."""
    if unit in ("day", "night"):
        return cal.day_value(base + timedelta(days=n))
    if unit in ("week", "weekend"):
        return cal.week_value(base + timedelta(weeks=n), weekend=unit == "weekend")
    if unit == "month":
        return cal.month_value(*cal.add_months(base.year, base.month, n))
    if unit == "quarter":
        y, q = cal.add_quarters(*cal.quarter_of(base), n)
        return f"{y}-Q{q}"
    if unit == "year":
        return str(base.year + n)
    if unit == "decade":
        return str(base.year // 10 + n)
    if unit == "century":
        return f"{base.year // 100 + n:02d}"
    return None


def _relunit(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(?:the )?(?P<edge>end|beginning|start|middle|turn|rest|remainder) of the (?P<u>[a-z]+)$", w)
    if m:
        value = _unit_value(m["u"], ctx.ref_day or ctx.today if m["u"] == "day" else ctx.today, 0)
        if value is None:
            return None
        mod = {"end": "END", "turn": "END", "middle": "MID", "rest": None, "remainder": None}.get(m["edge"], "START")
        return Resolved(value, mod=mod, future=m["edge"] in ("rest", "remainder"))
    m = re.match(r"the day (before|after)$", w)
    if m:
        base = ctx.ref_day or ctx.today
        return _day(base + timedelta(days=-1 if m[1] == "before" else 1))
    m = re.match(r"the (next|following|previous) (morning|afternoon|evening|night)$", w)
    if m:
        base = ctx.ref_day or ctx.today
        return _day(base + timedelta(days=-1 if m[1] == "previous" else 1), PARTS_OF_DAY[m[2]])
    m = _RELUNIT.match(w)
    if not m:
        return None
    rel, unit = m["rel"], unit_of(m["u"])
    if unit not in UNITS:
        return None
    if not m["num"] and m["u"].endswith("s") and unit != "century":
        # "the coming days", "the past weeks": no count, just a direction
        ahead = rel in ("next", "coming", "upcoming", "following")
        r = Resolved("FUTURE_REF" if ahead else "PAST_REF", future=ahead)
        return r
    if m["num"]:  # "the past two months": a duration, anchored at the post's time
        n = number(m["num"])
        r = Resolved(duration_value(n, unit), kind="duration")
        if n is not None and rel in ("past", "last", "next", "coming"):
            r.span = _stretch(ctx.anchor, n, unit, rel in ("next", "coming"))
            r.future = rel in ("next", "coming")
        return r
    if unit in ("second", "minute", "hour") or (m["the"] and rel in ("past", "last") and unit in ("week", "month", "day", "decade", "century")):
        # "the past week": the stretch up to now, as TimeML writes it (P1W)
        r = Resolved(duration_value(1, unit), kind="duration")
        r.span = _stretch(ctx.anchor, 1, unit, False) if unit != "decade" else None
        return r
    base, step = ctx.today, 0
    if rel in _NARRATIVE and (m["the"] or rel == "that"):
        ref = ctx.ref_day or ctx.today
        if unit == "year" and ctx.ref_year and not ctx.ref_day:
            ref = date(ctx.ref_year, 1, 1)
        base = ref
        step = {"following": 1, "next": 1, "previous": -1, "preceding": -1, "prior": -1}.get(rel, 0)
    elif rel in _REL_FORWARD or (rel == "next" and not m["the"]):
        step = 1
    elif rel in _REL_BACK:
        step = -1
    elif rel == "next":
        step = 1
    if unit == "weekend" and step == 0 and rel in ("this", "current") and ctx.today.weekday() == 6:
        base = ctx.today - timedelta(days=1)
    value = _unit_value(unit, base, step)
    if value is None:
        return None
    r = Resolved(value, future=step > 0 and base == ctx.today)
    if modword in ("earlier", "later") and step == 0 and base == ctx.today:
        whole = cal.interval(value, ctx.anchor.tzinfo)
        if whole:
            day = cal.interval(cal.day_value(ctx.today), ctx.anchor.tzinfo)
            # "earlier this week" = Monday .. the anchor's day; "later this week" = the
            # next day .. Sunday
            r.span = (whole[0], day[1]) if modword == "earlier" else (day[1], whole[1])
            r.future = modword == "later"
    return r


def _stretch(anchor: datetime, n: float, unit: str, forward: bool) -> tuple[datetime, datetime] | None:
    days = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1, "night": 1, "week": 7,
            "weekend": 7, "fortnight": 14, "month": 30.44, "quarter": 91.3, "year": 365.25, "decade": 3652.5,
            "century": 36525}[unit] * n
    if days > 3_000_000:
        return None
    delta = timedelta(days=days)
    return (anchor, anchor + delta) if forward else (anchor - delta, anchor)


def _ago(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = _AGO.match(w)
    if not m:
        return None
    n, unit = number(m["num"]), unit_of(m["u"])
    forward = m["dir"] in ("later", "from now", "hence")
    if n is None:
        return Resolved("FUTURE_REF" if forward else "PAST_REF", future=forward)
    base = ctx.today
    if m["dir"] in ("earlier", "later") and ctx.ref_day is not None:
        base = ctx.ref_day  # "three days later": after the last day the text named
    sign = 1 if forward else -1
    if unit in ("second", "minute", "hour"):
        at = ctx.anchor + sign * timedelta(hours=n if unit == "hour" else n / 60 if unit == "minute" else n / 3600)
        return Resolved(at.strftime("%Y-%m-%dT%H:%M" if unit != "hour" else "%Y-%m-%dT%H"), kind="time", future=forward)
    if unit == "year" and n == 1 and ("quarter" in ctx.before + ctx.after or ctx.ref_quarter):
        # "a year ago" beside a quarter's results is that quarter a year before
        y, q = ctx.ref_quarter or cal.add_quarters(*cal.quarter_of(ctx.today), -1)
        return Resolved(f"{y - 1}-Q{q}")
    value = _shifted(base, n, unit, sign, weeks_as_days=False) or ("FUTURE_REF" if forward else "PAST_REF")
    return Resolved(value, future=forward)


def _shifted(base: date, n: float, unit: str, sign: int, weeks_as_days: bool) -> str | None:
    """The value of the day / week / month / year `n` units from `base`."""
    k = int(n) if n == int(n) else n
    if unit in ("day", "night") or weeks_as_days and unit in ("week", "fortnight"):
        days = n * {"week": 7, "fortnight": 14}.get(unit, 1)
        return cal.day_value(base + timedelta(days=sign * days))
    if unit in ("week", "fortnight"):
        return cal.week_value(base + timedelta(weeks=sign * n * (2 if unit == "fortnight" else 1)))
    if unit == "month" and k == int(k):
        return cal.month_value(*cal.add_months(base.year, base.month, sign * int(k)))
    if unit == "quarter" and k == int(k):
        y, q = cal.add_quarters(*cal.quarter_of(base), sign * int(k))
        return f"{y}-Q{q}"
    if unit in ("year", "decade", "century") and k == int(k):
        return str(base.year + sign * int(k) * {"year": 1, "decade": 10, "century": 100}[unit])
    return None


def _quarter(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"q([1-4])(?: (\d{4}))?$", w)
    if m:
        return Resolved(f"{m[2] or ctx.today.year}-Q{m[1]}")
    y_named = re.search(r"of (?:fiscal )?(\d{4}|this year|last year|next year|the year)$", w)
    year = None
    if y_named:
        g = y_named[1]
        year = int(g) if g.isdigit() else ctx.today.year + {"this year": 0, "the year": 0, "last year": -1, "next year": 1}[g]
    half = re.search(r"\b(first|second|latter) half", w)
    if half:
        return Resolved(f"{year or ctx.today.year}-H{1 if half[1] == 'first' else 2}")
    current = cal.quarter_of(ctx.today)
    completed = cal.add_quarters(*current, -1)
    reference = ctx.ref_quarter or completed
    ordinal = re.search(r"\b(first|second|third|fourth|1st|2nd|3rd|4th|final)\b", w)
    if ordinal:
        q = 4 if ordinal[1] == "final" else ORDINALS[ordinal[1]]
        if year is None:
            year = ctx.today.year
            how = tense(ctx)
            if how == "past" and q > current[1]:
                year -= 1
            elif how == "future" and q < current[1] - 1:  # the quarter just ended is reported on
                year += 1
        return Resolved(f"{year}-Q{q}", future=(year, q) > current)
    if re.search(r"year[- ](?:earlier|ago)|comparable", w):
        y, q = cal.add_quarters(*reference, -4)
    elif re.search(r"\b(?:current|this)\b", w):
        y, q = current
    elif re.search(r"\bnext\b", w):
        y, q = cal.add_quarters(*current, 1)
    elif re.search(r"\b(?:previous|prior)\b", w):
        y, q = cal.add_quarters(*reference, -1)
    elif re.search(r"\blast\b", w) and not w.startswith("the"):
        y, q = completed
    else:  # "the quarter", "the latest quarter", "the same quarter"
        y, q = reference
    return Resolved(f"{y}-Q{q}", future=(y, q) > current)


def _decade(w: str, ctx: Context, modword: str) -> Resolved | None:
    mod = None
    m = re.search(r"\b(early|mid|late)", w)
    if m:
        mod = {"early": "START", "mid": "MID", "late": "END"}[m[1]]
    m = re.search(r"(\d{4})'?s", w)
    if m:
        return Resolved(m[1][:3], mod=mod)
    m = re.search(r"'(\d)0s", w)
    if m:
        century = "19" if int(m[1]) >= 3 else "20"
        return Resolved(century + m[1], mod=mod)
    words = ["twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"]
    for i, word in enumerate(words):
        if word in w:
            return Resolved(f"19{i + 2}", mod=mod)
    return None


def _century(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.search(r"(\d{1,2})(?:st|nd|rd|th)|([a-z]+(?:[ -]first)?)[ -]century", w)
    if not m:
        return None
    n = int(m[1]) if m[1] else ORDINALS.get(m[2].replace("-", " "))
    return Resolved(f"{n - 1:02d}") if n else None


def _season(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(?:(?P<rel>this|last|next|coming|past|that|the) )?(?P<s>[a-z]+)(?:,? (?:of )?(?P<y>\d{4}))?$", w)
    if not m or m["s"] not in SEASONS:
        return None
    code = SEASONS[m["s"]]
    order = ["SP", "SU", "FA", "WI"]
    t = ctx.today
    cur_code = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA", 11: "FA"}.get(t.month, "WI")
    cur_year = t.year - 1 if t.month <= 2 else t.year
    cur = cur_year * 4 + order.index(cur_code)
    if m["y"]:
        return Resolved(f"{m['y']}-{code}")
    candidates = [y * 4 + order.index(code) for y in (t.year - 2, t.year - 1, t.year, t.year + 1)]
    rel, how = m["rel"], tense(ctx)
    if rel in ("last", "past"):
        k = max(c for c in candidates if c < cur)
    elif rel in ("next", "coming"):
        k = min(c for c in candidates if c > cur)
    elif rel == "that" and ctx.ref_year:
        k = ctx.ref_year * 4 + order.index(code)
    elif rel == "this" or how is None:
        k = (cur_year if code == "WI" else t.year) * 4 + order.index(code)
    elif how == "past":
        k = max(c for c in candidates if c <= cur)
    else:
        k = min(c for c in candidates if c >= cur)
    return Resolved(f"{k // 4}-{order[k % 4]}", future=k > cur)


def _holiday(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.match(r"(?P<name>.+?)(?:,? (?P<y>\d{4}))?$", w)
    name = m["name"]
    if m["y"]:
        return _day(holiday_date(name, int(m["y"])))
    options = [holiday_date(name, y) for y in (ctx.today.year - 1, ctx.today.year, ctx.today.year + 1)]
    how = tense(ctx)
    if how == "past":
        d = max(o for o in options if o <= ctx.today)
    elif how == "future":
        d = min(o for o in options if o >= ctx.today)
    else:
        d = min(options, key=lambda o: abs((o - ctx.today).days))
    return _day(d, future=d > ctx.today)


def _vagueplural(w: str, ctx: Context, modword: str) -> Resolved | None:
    unit = unit_of(w.split()[-1])
    if w.startswith(("recent",)):
        return Resolved("PAST_REF")
    if "coming" in w:
        return Resolved("FUTURE_REF", future=True)
    return Resolved(duration_value(None, unit), kind="duration")


def _set(w: str, ctx: Context, modword: str) -> Resolved | None:
    simple = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y",
              "hourly": "PT1H", "nightly": "P1D", "quarterly": "P3M"}
    if w in simple:
        return Resolved(simple[w], kind="set")
    m = re.match(r"(?:every|each)(?: other)?(?: (?P<num>.+?))? (?P<x>[a-z]+)$", w)
    if m:
        x = m["x"]
        if x in WEEKDAYS:
            return Resolved(f"XXXX-WXX-{WEEKDAYS[x] + 1}", kind="set")
        if x in PARTS_OF_DAY:
            return Resolved(f"XXXX-XX-XXT{PARTS_OF_DAY[x]}", kind="set")
        if x in SEASONS:
            return Resolved(f"XXXX-{SEASONS[x]}", kind="set")
        unit = unit_of(x)
        if unit in UNITS:
            n = number(m["num"]) if m["num"] else 1
            if "other" in w:
                n = 2
            return Resolved(duration_value(n, unit), kind="set")
        return None
    unit = unit_of(w.split()[-1])
    return Resolved(duration_value(1, unit), kind="set") if unit in UNITS else None


def _duration(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = _DURATION.match(w)
    if not m:
        return None
    unit = unit_of(m["u"])
    if unit not in UNITS:
        return None
    n = number(m["num"])
    if n is None and m["num"].strip() not in VAGUE_COUNTS:
        return None
    if n is not None and not m["rel"] and re.search(r"\bin\s*$", ctx.before) and tense(ctx) != "past":
        # "talks resume in two weeks": the day (month, year) that far on
        if unit in ("second", "minute", "hour"):
            at = ctx.anchor + timedelta(hours=n * {"hour": 1, "minute": 1 / 60, "second": 1 / 3600}[unit])
            return Resolved(at.strftime("%Y-%m-%dT%H:%M"), kind="time", future=True)
        value = _shifted(ctx.today, n, unit, 1, weeks_as_days=True)
        if value:
            return Resolved(value, future=True)
    r = Resolved(duration_value(n, unit), kind="duration")
    if n is not None and m["rel"] in ("past", "last", "next", "coming", "recent"):
        forward = m["rel"] in ("next", "coming")
        r.span = _stretch(ctx.anchor, n, unit, forward)
        r.future = forward
    return r


def _vague(w: str, ctx: Context, modword: str) -> Resolved | None:
    if w in ("recently", "lately", "the past"):
        return Resolved("PAST_REF")
    if w in ("the future", "in the near future", "any time soon"):
        return Resolved("FUTURE_REF", future=True)
    return Resolved("PRESENT_REF")


def _year(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = re.search(r"(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?$", w)
    if not m:
        return None
    r = Resolved(m[1], future=int(m[1]) > ctx.today.year)
    if m[2]:
        last = int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
        if int(m[1]) < last <= int(m[1]) + 10:
            r.span = (cal.interval(m[1], ctx.anchor.tzinfo)[0], cal.interval(str(last), ctx.anchor.tzinfo)[1])
    return r


def _clock(w: str, ctx: Context, modword: str) -> Resolved | None:
    m = _CLOCK.match(w)
    if not m:
        return None
    if m["noon"]:
        hh, mm = 12, 0
    elif m["midnight"]:
        hh, mm = 0, 0
    else:
        hh, mm = int(m["h"]), int(m["m"] or 0)
        if m["ap"] == "p" and hh < 12 or m["part"] in ("afternoon", "evening") and hh < 12:
            hh += 12
        elif m["ap"] == "a" and hh == 12:
            hh = 0
    if hh > 23 or mm > 59:
        return None
    day = ctx.today
    tail = m["tail"]
    if tail:
        family = "weekday" if tail.split()[0].rstrip(".,") in WEEKDAYS and not re.search(r"\d", tail) else (
            "dayword" if tail in ("today", "tonight", "yesterday", "tomorrow") else "date")
        found = resolve(family, tail, ctx)
        if found is None or not re.match(r"\d{4}-\d\d-\d\d$", found.value[:10]):
            return None
        day = date.fromisoformat(found.value[:10])
    elif not ctx.day_only:
        how = tense(ctx)
        minutes, now = hh * 60 + mm, ctx.anchor.hour * 60 + ctx.anchor.minute
        if how == "past" and minutes > now + 30:
            day -= timedelta(days=1)  # "attacked at 10pm", told in a post at 9am: last night
        elif how == "future" and minutes < now - 30:
            day += timedelta(days=1)
    zone = None
    if m["zone"] and m["zone"] in ZONES:
        zone = ZONES[m["zone"]]
        if m["zoff"]:
            sign = -1 if m["zoff"][0] == "-" else 1
            hhmm = m["zoff"][1:].replace(":", "")
            zone += sign * (int(hhmm[:2] if len(hhmm) > 2 else hhmm) + (int(hhmm[2:]) / 60 if len(hhmm) > 2 else 0))
    elif m["zone"] and m["zone"] not in ZONES:
        return None
    r = Resolved(f"{day.isoformat()}T{hh:02d}:{mm:02d}", kind="time", zone_hours=zone)
    return r


def _yearago(w: str, ctx: Context, modword: str) -> Resolved | None:
    """'the year-earlier period': the same quarter a year before beside quarterly
    figures, else last year."""
    if "quarter" in ctx.before + ctx.after or ctx.ref_quarter:
        y, q = ctx.ref_quarter or cal.add_quarters(*cal.quarter_of(ctx.today), -1)
        return Resolved(f"{y - 1}-Q{q}")
    return Resolved(str(ctx.today.year - 1))


def _theyear(w: str, ctx: Context, modword: str) -> Resolved | None:
    """'the year': a stretch of a year after 'for' / 'over' (P1Y), else the anchor's year;
    'the weekend': the last one in a past sentence, else the coming one."""
    if w.endswith("weekend"):
        t = ctx.today
        if t.weekday() >= 5:
            return Resolved(cal.week_value(t, weekend=True))
        past = tense(ctx) == "past"
        return Resolved(cal.week_value(t + timedelta(weeks=-1 if past else 0), weekend=True), future=not past)
    if re.search(r"\b(?:for|over|during|through|throughout)\s*$", ctx.before) and not modword:
        return Resolved("P1Y", kind="duration")
    return Resolved(str(ctx.ref_year or ctx.today.year))


_HANDLERS = {
    "yearago": _yearago, "theyear": _theyear,
    "iso": _iso, "numdate": _numdate, "clock": _clock, "date": _date, "holiday": _holiday,
    "month": _month, "weekday": _weekday, "dayword": _dayword, "ago": _ago, "quarter": _quarter,
    "decade": _decade, "century": _century, "season": _season, "relunit": _relunit,
    "vagueplural": _vagueplural, "set": _set, "duration": _duration, "vague": _vague, "year": _year,
}
