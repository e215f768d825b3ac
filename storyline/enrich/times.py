"""Time expressions in a post, resolved against the post's own time.

    find_times(pt)            every expression in the post -> [TimeRef], in text order
    resolve_expression(...)   one expression given as text (the TempEval bench uses it)

The finder (timex/finder.py) is one compiled regex over the text; the resolver
(timex/resolver.py) turns each hit into a TIMEX3 value using the anchor, the tense of its
sentence and the last date the post named; timex/calendar.py turns values into intervals.
No dateparser here: it is slow and blind to tense (bench/tempeval.py compares the two).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta, timezone

from ..model import TimeRef
from .text import PostText, split_sentences
from .timex import calendar as cal
from .timex.finder import scan
from .timex.resolver import Context, Resolved, resolve, tense

# families whose value does not depend on the anchor (kept when a post has no time)
_ABSOLUTE = {"iso", "numdate", "decade", "century", "duration", "set", "vagueplural"}
_HAS_YEAR = re.compile(r"\b\d{4}\b")


def find_times(pt: PostText) -> list[TimeRef]:
    """Every time expression of the post, resolved against `pt.published`."""
    text = pt.text
    if not text:
        return []
    sentences = pt.sentences
    starts = [s for s, _ in sentences]
    anchor = pt.published
    how = "day" if pt.day_only else "published"
    ctx = Context(anchor or datetime(2000, 1, 1, tzinfo=timezone.utc), day_only=pt.day_only)
    found: list[TimeRef] = []
    for family, start, end, mod, modword in scan(text):
        i = bisect_right(starts, start) - 1
        s_start, s_end = sentences[i] if i >= 0 else (0, len(text))
        ctx.before = text[max(s_start, start - 200):start]
        ctx.after = text[end:min(max(s_end, end), end + 120)]
        words = text[start:end]
        if anchor is None and family not in _ABSOLUTE and not _HAS_YEAR.search(words):
            continue
        core = _core(words, modword)
        resolved = resolve(family, core, ctx, modword)
        if resolved is None or anchor is None and resolved.kind not in ("duration", "set") and not _HAS_YEAR.search(words):
            continue
        ref = _timeref(words, start, resolved, mod, ctx, anchor, how)
        found.append(ref)
        _remember(ctx, family, resolved)
    return found


def resolve_expression(
    text: str, anchor: datetime, context_before: str = "", context_after: str = "",
    anchor_how: str = "published", day_only: bool = False,
) -> TimeRef | None:
    """Resolve one expression given as text ("last Friday", "mid-February") against
    `anchor`, reading tense from the words around it; None when no expression is in it."""
    lead = context_before[-200:]
    full = lead + text + context_after[:120]
    a, b = len(lead), len(lead) + len(text)
    hits = [h for h in scan(full) if h[1] < b and a < h[2]]
    if not hits:
        return None
    family, start, end, mod, modword = max(hits, key=lambda h: min(h[2], b) - max(h[1], a))
    sentences = split_sentences(full, 0, a) if a else []
    ctx = Context(
        anchor, day_only=day_only,
        before=full[sentences[-1][0] if sentences else 0:start] if start > 0 else "",
        after=full[end:],
    )
    resolved = resolve(family, _core(full[start:end], modword), ctx, modword)
    if resolved is None:
        return None
    return _timeref(full[start:end], start - a, resolved, mod, ctx, anchor, anchor_how)


def _core(words: str, modword: str) -> str:
    """The words without the modifier the finder added in front ("early", "about")."""
    if modword and words.lower().startswith(modword):
        rest = words[len(modword):].lstrip(" -")
        return rest or words
    return words


def _timeref(words: str, offset: int, r: Resolved, mod: str | None, ctx: Context,
             anchor: datetime | None, how: str) -> TimeRef:
    zone = ctx.anchor.tzinfo
    start = end = None
    kind = r.kind
    if kind in ("date", "time"):
        if r.value == "PRESENT_REF":
            start, end = cal.interval(cal.day_value(ctx.today), zone) or (None, None)
        elif r.value == "PAST_REF":
            end = ctx.anchor
        elif r.value == "FUTURE_REF":
            start = ctx.anchor
        else:
            span = r.span or cal.interval(r.value, zone)
            if span is not None:
                if r.zone_hours is not None and zone is not None:
                    stated = timezone(timedelta(hours=r.zone_hours))
                    start = span[0].replace(tzinfo=stated).astimezone(zone)
                    span = (start, start + (span[1] - span[0]))
                start, end = span if r.span else cal.narrow(span, r.mod or mod)
        if "T" in r.value and r.value[:4].isdigit() and re.search(r"T\d", r.value):
            kind = "time"
    elif r.span is not None:
        start, end = r.span
    future = r.value == "FUTURE_REF" or (
        (r.future or (kind in ("date", "time") and tense(ctx) == "future"))
        and start is not None and end is not None and end > ctx.anchor
    )
    if anchor is None:
        future = False
    return TimeRef(
        text=words, start=start, end=end, anchor=anchor, anchor_how=how if anchor else None,
        value=r.value, kind=kind, future=bool(future), offset=offset,
    )


def _remember(ctx: Context, family: str, r: Resolved) -> None:
    """Keep what later narrative phrases ("the next day", "that year") count from."""
    v = r.value
    if re.match(r"\d{4}-\d\d-\d\d", v):
        ctx.ref_day = date.fromisoformat(v[:10])
        ctx.ref_year = ctx.ref_day.year
    elif re.fullmatch(r"\d{4}(?:-\d\d)?", v):
        ctx.ref_year = int(v[:4])
        ctx.ref_day = None if family in ("year", "month") else ctx.ref_day
    elif family == "quarter" and re.fullmatch(r"\d{4}-Q\d", v):
        ctx.ref_quarter = (int(v[:4]), int(v[-1]))


__all__ = ["find_times", "resolve_expression"]
