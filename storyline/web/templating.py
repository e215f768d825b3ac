"""Rendering pages: one Jinja2 environment with autoescape always on, and the few filters
the templates need to show untrusted page data safely (links only when http(s)).

Every string that came from an ingested page is untrusted. Templates print it through
autoescape and never mark it safe; this module builds no HTML from data.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..assemble.export import utc_text

TEMPLATES = Path(__file__).parent / "templates"
# Outlet badges take one of this many colours (static/app.css .outlet-0 ... .outlet-7),
# chosen by a hash of the name so an outlet keeps its colour on every page.
OUTLET_COLOURS = 8


def http_url(url: Any) -> str | None:
    """`url` when it is an absolute http(s) address, else None: pages may carry
    `javascript:` or `data:` links, which must never become an href."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ord(ch) < 33 for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def outlet_colour(outlet: Any) -> int:
    """The colour index of an outlet's badge and chart series."""
    return zlib.crc32(str(outlet or "").encode()) % OUTLET_COLOURS


def outlet_class(outlet: Any) -> str:
    return f"outlet-{outlet_colour(outlet)}"


def day_label(day: Any) -> str:
    """'Mon 10 Mar 2025' for an ISO date (or the text unchanged when it is none)."""
    try:
        when = day if isinstance(day, date) else date.fromisoformat(str(day)[:10])
    except ValueError:
        return str(day or "")
    return when.strftime("%a %d %b %Y").replace(" 0", " ")


def when_text(moment: Any) -> str:
    """A published time on one clock (UTC, as the CLI prints it): 'YYYY-MM-DD HH:MM UTC',
    the date alone when only the day is known."""
    text = utc_text(moment.isoformat() if isinstance(moment, (date, datetime)) else moment)
    return text + " UTC" if len(text) == 16 else text


def local_time(moment: Any) -> str:
    """An announced event's time on the clock of the page that announced it: '14:00
    (UTC+01:00)'; '' for a day or a bare midnight (a day resolved from "on Friday")."""
    try:
        when = datetime.fromisoformat(str(moment))
    except ValueError:
        return ""
    if len(str(moment)) <= 10 or (when.hour, when.minute) == (0, 0):
        return ""
    offset = when.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return when.strftime("%H:%M") + zone


def number(value: Any) -> str:
    """12000.0 -> '12,000'; 6.8 -> '6.8'."""
    if not isinstance(value, (int, float)):
        return str(value if value is not None else "")
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def path_part(value: Any) -> str:
    """An id as one segment of a path ("person:dario-lenz" stays readable)."""
    return quote(str(value), safe=":")


def with_query(path: str, params: dict[str, Any] | None = None, **more: Any) -> str:
    """`path` with the given query parameters (empty ones left out)."""
    merged = {**(params or {}), **more}
    kept = [(k, str(v)) for k, v in merged.items() if v not in (None, "", False)]
    return path + ("?" + urlencode(kept) if kept else "")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(http_url=http_url, outlet_class=outlet_class, day_label=day_label, when=when_text,
                       number=number, path_part=path_part,
                       local_time=local_time)
    env.globals.update(with_query=with_query)
    return env


environment = _environment()


def is_fragment_request(request: Request) -> bool:
    """htmx asks for the part of a page it swaps in (HX-Request), not the whole page;
    a history restore (HX-History-Restore-Request) needs the whole page."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-History-Restore-Request") != "true"


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    page = environment.get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(page, status_code=status, headers={"Vary": "HX-Request"})
