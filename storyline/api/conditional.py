"""ETag / 304 for every read, as a route class the API's routers use.

A GET answers with a weak ETag made of the database, its data version (it changes
whenever anything readers see changes), the storyline version (a new version may shape
responses differently) and the request's path and query, and with `Cache-Control:
no-cache` (clients keep the body but ask again each time). A request whose If-None-Match
holds that tag gets 304 with no body, before the view runs at all.

The same tag keys a small in-process cache of response bodies: a page many clients ask
for (the first page of the timeline, of posts, of quotes) is computed once per data
version. A new data version makes new tags, so nothing stale is ever served.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from datetime import date, datetime, time, timezone
from typing import Any, Callable, Coroutine

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..errors import BadRequest

CACHE_CONTROL = "no-cache"


def store_of(request: Request) -> Any:
    return request.app.state.store


def entity_tag(request: Request, version: str | None = None) -> str:
    """The weak ETag of what this GET would answer now (reads the data version unless
    given)."""
    store = store_of(request)
    version = store.data_version() if version is None else version
    key = "\x1f".join([__version__, store.url, version, request.url.path, request.url.query])
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


class Bodies:
    """Response bodies by ETag, least recently used out first."""

    # Bounds: a page of 50 posts with their enrichment is ~100-200 KB, a page of stories
    # ~50 KB; 512 pages and 64 MB hold every page a UI session touches across many users.
    MAX_ENTRIES = 512
    MAX_BYTES = 64 * 1024 * 1024

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[bytes, dict[str, str]]] = OrderedDict()
        self._bytes = 0

    def get(self, etag: str) -> tuple[bytes, dict[str, str]] | None:
        found = self._items.get(etag)
        if found is not None:
            self._items.move_to_end(etag)
        return found

    def put(self, etag: str, body: bytes, headers: dict[str, str]) -> None:
        if etag in self._items or len(body) > self.MAX_BYTES // 8:
            return
        self._items[etag] = (body, headers)
        self._bytes += len(body)
        while len(self._items) > self.MAX_ENTRIES or self._bytes > self.MAX_BYTES:
            _, (dropped, _) = self._items.popitem(last=False)
            self._bytes -= len(dropped)


# One per process, used only from the event loop's thread. Keys name the database, so
# apps over different databases in one process (tests) never share an entry.
bodies = Bodies()
_KEPT_HEADERS = ("content-type", "link")


def matches(if_none_match: str | None, etag: str) -> bool:
    """Weak comparison (RFC 9110 13.1.2): W/ prefixes ignored; '*' matches any."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def refuse_nul(request: Request) -> None:
    """A NUL in a query or an id is never a real filter, and PostgreSQL refuses such
    strings with a driver error: answer it as the client's mistake (E502), not the
    database's."""
    if "\x00" in str(request.query_params) or "%00" in request.url.query:
        raise BadRequest("NUL character in the query string", "query")
    raw_path = request.scope.get("raw_path") or b""
    if "\x00" in request.url.path or b"%00" in raw_path:
        raise BadRequest("NUL character in the address", "path")


def _moment(text: str, *, end: bool = False) -> datetime | None:
    """A day or an instant as a naive UTC datetime; a day's `end` is its last instant
    (until is inclusive of the whole day). None when it does not parse (validation says so)."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        return datetime.combine(day, time.max if end else time.min)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is None else moment.astimezone(timezone.utc).replace(tzinfo=None)


def refuse_reversed_range(request: Request) -> None:
    """since after until selects nothing, silently: say so (E502), as the web UI does."""
    since, until = request.query_params.get("since"), request.query_params.get("until")
    if since and until:
        first, last = _moment(since), _moment(until, end=True)
        if first is not None and last is not None and first > last:
            raise BadRequest(f"since {since} is after until {until}", "since")


class ConditionalRoute(APIRoute):
    """An API route whose GETs carry an ETag and answer If-None-Match with 304."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def conditional(request: Request) -> Response:
            refuse_nul(request)
            refuse_reversed_range(request)
            if request.method not in ("GET", "HEAD"):
                return await handler(request)
            # Known and unchanged (SQLite, no commit since): tagged here, without the trip
            # to a worker thread that reading it takes.
            known = store_of(request).known_data_version()
            etag = entity_tag(request, known) if known is not None else await run_in_threadpool(entity_tag, request)
            headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
            if matches(request.headers.get("if-none-match"), etag):
                return Response(status_code=304, headers=headers)
            kept = bodies.get(etag)
            if kept is not None:
                return Response(kept[0], headers={**kept[1], **headers})
            response = await handler(request)
            if response.status_code == 200:
                response.headers.update(headers)
                if isinstance(getattr(response, "body", None), bytes):
                    bodies.put(etag, response.body, {k: response.headers[k] for k in _KEPT_HEADERS if k in response.headers})
            return response

        return conditional
