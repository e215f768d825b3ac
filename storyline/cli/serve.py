"""`storyline serve`: the REST API (under /api) and the web UI over one database, with
uvicorn. Binds to 127.0.0.1 unless told otherwise; writes (POST /api/ingest) need the
token in STORYLINE_API_TOKEN and are refused without one."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, Optional

import typer

from ..settings import database_url
from . import DbOption, _fail, _options, app, err, out


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Address to bind (default 127.0.0.1; env STORYLINE_HOST).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default 8000; env STORYLINE_PORT; 0 picks a free one).", min=0, max=65535)] = None,
    db: DbOption = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="Server processes (default 1). Each answers requests on a core of its own and holds its "
             "own copy of the search vectors and the model (~0.6 GB at 100k posts).")] = 1,
) -> None:
    """Serve the web UI and the REST API (schema at /api/openapi.json)."""
    import uvicorn

    from ..errors import StorylineError
    from ..serve.app import create_app

    options = _options(host=host, port=port, database_url=database_url(db) if db else None)
    try:
        web = create_app(options)  # with workers, only to refuse a bad database here, in one line
    except StorylineError as exc:
        _fail(exc)
        raise typer.Exit(2) from exc
    if not is_loopback(options.host):
        if options.api_token:
            err.print(f"warning: serving on {options.host}, reachable from other machines; writes need the API token")
        else:
            err.print(f"warning: serving on {options.host}, reachable from other machines, with no API token: "
                      "reads are open to anyone who can reach it, and writes are refused "
                      "(set STORYLINE_API_TOKEN to allow POST /api/ingest)")
    shown = f"[{options.host}]" if ":" in options.host else options.host
    writes = "writes need the API token" if options.api_token else "read-only: set STORYLINE_API_TOKEN to allow writes"
    if workers == 1:
        out.print(f"storyline serving {web.state.store.url} at http://{shown}:{options.port}/ "
                  f"(API at /api, schema at /api/openapi.json; {writes})", markup=False, soft_wrap=True)
        uvicorn.run(web, host=options.host, port=options.port, log_level="info")
        return
    _serve_with_workers(web, options, workers, shown, writes)


def _serve_with_workers(web: Any, options: Any, workers: int, shown: str, writes: str) -> None:
    """uvicorn's worker processes on one socket bound here (so that --port 0 can say which
    port it got). Each worker builds its app from the environment, as create_app() does,
    so the options given as flags travel there as STORYLINE_* variables."""
    import os
    import socket as sockets

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    url = web.state.store.url
    web.state.store.close()  # the workers open their own
    os.environ["STORYLINE_DATABASE_URL"] = options.database_url
    config = uvicorn.Config("storyline.serve.app:create_app", factory=True, host=options.host, port=options.port,
                            workers=workers, log_level="info")
    bound = config.bind_socket()
    # uvicorn binds with protocol 0, and asyncio sets TCP_NODELAY only on connections whose
    # socket says IPPROTO_TCP: without it every keep-alive answer waits ~40 ms for the
    # client's delayed ACK (uvicorn issue #3149; measured 56 ms a search instead of 15).
    socket = sockets.socket(bound.family, bound.type, sockets.IPPROTO_TCP, fileno=bound.detach())
    port = socket.getsockname()[1]
    out.print(f"storyline serving {url} at http://{shown}:{port}/ with {workers} worker processes "
              f"(API at /api, schema at /api/openapi.json; {writes})", markup=False, soft_wrap=True)
    Multiprocess(config, sockets=[socket]).run()
