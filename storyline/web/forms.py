"""The pages' GET forms read into typed filters. Browsers send empty fields as empty
strings, so every field arrives as text: empty means "not given", anything unreadable is a
BadRequest (shown as a 400 page), never a crash."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from fastapi import Request

from ..errors import BadRequest

# Days the timeline shows when no day or range is asked for: the latest week of coverage
# (a live story's news cycle; the examples' three days fit on one page).
DEFAULT_DAYS = 7
# Stories on one timeline page: one busy week of a big archive stays one readable page.
STORIES_PER_PAGE = 200
MAX_TEXT = 200  # characters of a name or query typed in a form


def refuse_nul(request: Request) -> None:
    """A NUL in the address is never a real name or id, and PostgreSQL refuses strings
    holding one with a driver error (a 503 page): answer it as the client's mistake."""
    if "\x00" in request.url.path or "\x00" in str(request.query_params) or "%00" in request.url.query:
        raise BadRequest("NUL character in the address")


def text(value: str | None, name: str) -> str | None:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{name}: at most {MAX_TEXT} characters")
    return value or None


def day(value: str | None, name: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def whole(value: str | None, name: str, default: int, low: int = 0, high: int = 1_000_000) -> int:
    value = (value or "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise BadRequest(f"{name}: {number} is outside {low}..{high}")
    return number


@dataclass
class TimelineFilters:
    """The timeline form: one day, or a range (both ends inclusive); outlet, entity, event type."""

    day: date | None = None
    since: date | None = None
    until: date | None = None
    outlet: str | None = None
    entity: str | None = None
    action: str | None = None
    offset: int = 0

    @classmethod
    def read(cls, params: dict[str, str], actions: set[str]) -> TimelineFilters:
        found = cls(day=day(params.get("day"), "day"), since=day(params.get("since"), "since"),
                    until=day(params.get("until"), "until"), outlet=text(params.get("outlet"), "outlet"),
                    entity=text(params.get("entity"), "entity"), action=text(params.get("action"), "action"),
                    offset=whole(params.get("offset"), "offset", 0))
        if found.action and found.action not in actions:
            raise BadRequest(f"action: {found.action!r} is not an event type ({', '.join(sorted(actions))})")
        if found.since and found.until and found.since > found.until:
            raise BadRequest(f"since {found.since} is after until {found.until}")
        if found.day:
            found.since = found.until = found.day
            found.day = None
        return found

    def with_default_range(self, days: list[str]) -> TimelineFilters:
        """The latest DEFAULT_DAYS days with stories when no range was asked for."""
        if self.since or self.until or not days:
            return self
        return TimelineFilters(**{**asdict(self), "since": date.fromisoformat(days[-DEFAULT_DAYS:][0])})

    def store_filters(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "outlet": self.outlet, "entity": self.entity,
                "action": self.action, "limit": STORIES_PER_PAGE + 1, "offset": self.offset}

    def params(self) -> dict[str, Any]:
        """The form as query parameters (for links that keep the filters)."""
        single = self.since is not None and self.since == self.until
        return {"day": self.since if single else None, "since": None if single else self.since,
                "until": None if single else self.until, "outlet": self.outlet, "entity": self.entity,
                "action": self.action}


def neighbour_days(days: list[str], since: date | None, until: date | None) -> tuple[str | None, str | None]:
    """The nearest day with stories before `since` and after `until` (day navigation)."""
    before = [d for d in days if since and d < since.isoformat()]
    after = [d for d in days if until and d > until.isoformat()]
    return (before[-1] if before else None), (after[0] if after else None)

