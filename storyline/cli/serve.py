"""`storyline serve`: the REST API (under /api) and the web UI over one database, with
uvicorn. Binds to 127.0.0.1 unless told otherwise; writes (POST /api/ingest) need the
token in STORYLINE_API_TOKEN and are refused without one."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Optional

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
) -> None:
    """Serve the web UI and the REST API (schema at /api/openapi.json)."""
    import uvicorn

    from ..errors import StorylineError
    from ..serve.app import create_app

    options = _options(host=host, port=port, database_url=database_url(db) if db else None)
    try:
        web = create_app(options)
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
    out.print(f"storyline serving {web.state.store.url} at http://{shown}:{options.port}/ "
              f"(API at /api, schema at /api/openapi.json; {writes})", markup=False, soft_wrap=True)
    uvicorn.run(web, host=options.host, port=options.port, log_level="info")
