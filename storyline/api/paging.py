"""Cursor pagination for every list the API returns.

A page is `{"items": [...], "next_cursor": "..." | null}` plus a `Link: <url>; rel="next"`
header. The cursor is opaque to clients: URL-safe base64 of a small JSON object holding
the offset of the next item and a digest of the request's filters (path and query, less
`cursor` and `limit`), with a check over both. A cursor that does not decode, fails its
check, or comes back with other filters is refused (E502). It is a position, not a
secret: whoever forges one reaches an offset they could reach by paging.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Callable

from fastapi import Query, Request, Response

from ..errors import BadRequest

DEFAULT_LIMIT = 50  # items a page when the client does not say: one screen of cards
MAX_LIMIT = 500  # a page's ceiling: bounds one response's work and size (a page of posts ~ 1 MB)
MAX_OFFSET = 10**9  # beyond any corpus; keeps a forged offset a plain integer for the database
_NOT_FILTERS = frozenset({"cursor", "limit"})


def filters_digest(request: Request) -> str:
    """What a cursor is tied to: the path and every query parameter but the position."""
    params = sorted((k, v) for k, v in request.query_params.multi_items() if k not in _NOT_FILTERS)
    text = json.dumps([request.url.path, params], ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check(offset: int, filters: str) -> str:
    return hashlib.sha256(f"storyline-cursor|{offset}|{filters}".encode()).hexdigest()[:12]


def encode_cursor(offset: int, filters: str) -> str:
    body = json.dumps({"o": offset, "f": filters, "c": _check(offset, filters)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, filters: str) -> int:
    """The offset a cursor holds, if it was made for these filters."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        body = json.loads(raw)
        offset, made_for, check = body["o"], body["f"], body["c"]
    except (binascii.Error, ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise BadRequest("cursor does not decode: pass next_cursor back unchanged", "cursor") from None
    if not (isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset <= MAX_OFFSET
            and isinstance(made_for, str) and check == _check(offset, made_for)):
        raise BadRequest("cursor fails its check: pass next_cursor back unchanged", "cursor")
    if made_for != filters:
        raise BadRequest("cursor was made for other filters: start again without a cursor", "cursor")
    return offset


@dataclass(frozen=True)
class PageRequest:
    """Where a page starts and how long it is, with the request it answers."""

    offset: int
    limit: int
    filters: str
    request: Request
    response: Response

    def answer(self, load: Callable[[int, int], list[Any]]) -> dict[str, Any]:
        """A page from `load(offset, limit)`: asks for one item more than the page to know
        whether a next page exists, without counting the whole list."""
        found = load(self.offset, self.limit + 1)
        return self.of(found[: self.limit], more=len(found) > self.limit)

    def slice(self, everything: list[Any]) -> dict[str, Any]:
        """A page of a list already in memory (views computed over the whole corpus)."""
        return self.of(everything[self.offset: self.offset + self.limit],
                       more=len(everything) > self.offset + self.limit)

    def of(self, items: list[Any], *, more: bool, consumed: int | None = None) -> dict[str, Any]:
        """`consumed`: how far the page moved the offset, when items are not one a row
        (the timeline groups its stories by day)."""
        next_cursor = None
        if more:
            next_cursor = encode_cursor(self.offset + (len(items) if consumed is None else consumed), self.filters)
            url = self.request.url.include_query_params(cursor=next_cursor, limit=self.limit)
            self.response.headers["Link"] = f'<{url}>; rel="next"'
        return {"items": items, "next_cursor": next_cursor}


def page_request(
    request: Request,
    response: Response,
    limit: int = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"items a page (at most {MAX_LIMIT})"),
    cursor: str | None = Query(None, max_length=512, description="next_cursor of the previous page"),
) -> PageRequest:
    filters = filters_digest(request)
    offset = decode_cursor(cursor, filters) if cursor else 0
    return PageRequest(offset, limit, filters, request, response)
