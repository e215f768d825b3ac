"""The web application: `create_app(options)` builds the REST API (under /api) and the
web UI (everything else) over one Store.

Every response carries a Content-Security-Policy that allows nothing from other origins
and no inline script or style: the pages show text from pages we ingested, which are
untrusted, and the UI's own script and style are files under /static.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import BadRequest, NotFound, ServeError, StoreError, StorylineError
from ..settings import Options, build_options
from ..store import open_store

STATIC = Path(__file__).parent.parent / "web" / "static"

CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """SECURITY_HEADERS on every response that does not set them itself (plain ASGI: the
    `@app.middleware` kind re-streams each body through a queue: /api/health gave 1,715
    requests/s at saturation with it, 2,365 without)."""

    _HEADERS = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {bytes(name).lower() for name, _ in headers}
                headers += [(name, value) for name, value in self._HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """Answer HEAD as GET without the body (FastAPI's GET routes take no HEAD; uptime
    monitors and `curl -I` send it): the headers, ETag and length of the GET."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: dict) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def create_app(options: Options | None = None) -> FastAPI:
    """The API and web UI over the database in `options` (default: built from the
    environment and ./storyline.toml, as the CLI does)."""
    options = options or build_options()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from threadpoolctl import threadpool_limits

        # One BLAS thread: requests run side by side on threads (and --workers on processes),
        # and one search multiplies small matrices by one vector, where BLAS's own threads
        # only spin. Unpinned on 2 cores, a search cost 76 ms of CPU with them, 15 without.
        blas = threadpool_limits(1, user_api="blas")
        stop = threading.Event()
        learner = threading.Thread(target=_warm_up, args=(app.state.store, stop), name="assemble", daemon=True)
        app.state.learner = learner
        learner.start()
        try:
            yield
        finally:
            stop.set()
            learner.join(timeout=5)
            app.state.store.close()
            blas.restore_original_limits()

    app = FastAPI(
        title="storyline", version=__version__, lifespan=lifespan,
        description="Live blogs from many outlets as one dated, attributed timeline.",
        openapi_url="/api/openapi.json", docs_url=None, redoc_url=None,  # the docs pages load from a CDN
    )
    app.state.options = options
    app.state.store = open_store(options.database_url)

    _error_handlers(app)
    from .. import api, web

    app.include_router(api.router, prefix="/api")
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app


def _warm_up(store: Any, stop: threading.Event) -> None:
    """Bring the stored conflicts up to date (assemble/stored.py: a database written by an
    older storyline, or an ingest killed before it assembled), so story pages read them
    instead of working them out. When the database cannot be written (a read-only copy),
    learn the claim phrases instead (views.learn_claim_phrases): worked-out conflicts then
    cost less. A failure only means story pages work their conflicts out themselves.
    Then load what the first search needs (Store.prepare_search: ~3 s at 100k posts), so
    that no searcher waits for it."""
    from ..assemble.stored import refresh_conflicts
    from .views import learn_claim_phrases

    try:
        refresh_conflicts(store, stop=stop.is_set)
    except StorylineError:
        try:
            learn_claim_phrases(store, stop)
        except Exception:  # noqa: BLE001 (a warm-up: never worth failing the server for)
            pass
    except Exception:  # noqa: BLE001
        pass
    if stop.is_set():
        return
    try:
        store.prepare_search()
    except Exception:  # noqa: BLE001 (the first search loads them itself)
        return


def error_body(error: StorylineError) -> dict[str, Any]:
    return {"error": error.as_dict()}


def status_of(error: StorylineError) -> int:
    if isinstance(error, ServeError):
        return error.status
    if isinstance(error, StoreError):
        return 503  # the database is unreachable or refused: try again later
    return 400  # a bad option, date or page given by the client


def _error_handlers(app: FastAPI) -> None:
    """Errors as JSON with storyline's codes under /api; the web UI renders its own pages
    for the rest (storyline/web error_page)."""

    def answer(request: Request, error: StorylineError) -> Any:
        if not request.url.path.startswith("/api"):
            from ..web import error_page

            return error_page(request, error, status_of(error))
        return JSONResponse(error_body(error), status_code=status_of(error))

    @app.exception_handler(StorylineError)
    async def storyline_error(request: Request, exc: StorylineError) -> Any:
        return answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Any:
        where = "; ".join(".".join(str(p) for p in e.get("loc", ())) + ": " + str(e.get("msg", "")) for e in exc.errors())
        return answer(request, BadRequest(f"bad request: {where}"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 404:
            return answer(request, NotFound(f"no such page: {request.url.path}"))
        error = ServeError(str(exc.detail))
        error.status = exc.status_code
        return answer(request, error)
