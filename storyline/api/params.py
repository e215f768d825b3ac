"""Query parameters shared by the API's routes, named as the CLI's options. A value that
does not parse is answered with E502 (serve/app.py turns validation errors into it)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated, Literal, Optional

from fastapi import Query

# Longest name or phrase a filter takes: far beyond any outlet, person or figure name, and
# short enough that a hostile query costs the database nothing.
NAME_LENGTH = 200

Outlet = Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="the outlet's name, as stored")]
Day = Annotated[Optional[date], Query(description="only this day (YYYY-MM-DD)")]
Since = Annotated[Optional[date], Query(description="from this day (YYYY-MM-DD), inclusive")]
Until = Annotated[Optional[date], Query(description="up to this day (YYYY-MM-DD), inclusive")]
Entity = Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="stories naming this person, body or place")]
Action = Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="stories reporting this event type (sanction, attack ...)")]
NewestFirst = Annotated[bool, Query(description="newest day first")]
PostKind = Optional[Literal["news", "media", "housekeeping"]]
Kind = Annotated[PostKind, Query(description="news, media or housekeeping")]
# A post's time bounds: a day (whole days, `until` inclusive) or an instant (UTC when no zone).
Instant = Annotated[Optional[date | datetime], Query(description="YYYY-MM-DD or an ISO 8601 instant")]


def since_instant(value: date | datetime | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time(), tzinfo=timezone.utc)


def until_instant(value: date | datetime | None) -> datetime | None:
    """`until` as the store's exclusive bound: a day includes all of that day."""
    if value is None or isinstance(value, datetime):
        return value
    if value == date.max:
        return None  # the end of the calendar: no bound
    return datetime.combine(value + timedelta(days=1), time(), tzinfo=timezone.utc)
