"""ETag / 304 for every read, as a route class the API's routers use.

A GET answers with a weak ETag made of the store's data version (it changes whenever
anything readers see changes), the storyline version (a new version may shape responses
differently) and the request's path and query, and with `Cache-Control: no-cache`
(clients keep the body but ask again each time). A request whose If-None-Match holds that
tag gets 304 with no body, before the view runs at all.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Coroutine

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..errors import BadRequest

CACHE_CONTROL = "no-cache"


def store_of(request: Request) -> Any:
    return request.app.state.store


def entity_tag(request: Request) -> str:
    """The weak ETag of what this GET would answer now (reads the data version)."""
    version = store_of(request).data_version()
    key = f"{__version__}\x1f{version}\x1f{request.url.path}\x1f{request.url.query}"
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


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
    """A NUL in a query is never a real filter, and PostgreSQL refuses such strings with a
    driver error: answer it as the client's mistake (E502), not the database's."""
    if "\x00" in str(request.query_params) or "%00" in request.url.query:
        raise BadRequest("NUL character in the query string", "query")


class ConditionalRoute(APIRoute):
    """An API route whose GETs carry an ETag and answer If-None-Match with 304."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def conditional(request: Request) -> Response:
            refuse_nul(request)
            if request.method not in ("GET", "HEAD"):
                return await handler(request)
            etag = await run_in_threadpool(entity_tag, request)
            headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
            if matches(request.headers.get("if-none-match"), etag):
                return Response(status_code=304, headers=headers)
            response = await handler(request)
            if response.status_code == 200:
                response.headers.update(headers)
            return response

        return conditional
