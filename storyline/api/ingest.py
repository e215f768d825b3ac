"""POST /api/ingest: store a live blog from a URL (JSON `{"url": ...}`) or from an
uploaded page (multipart, file field `page`), the same way `storyline ingest` does
(storyline/ingest.py), and answer with the rows `ingest --json` prints.

Writes need `Authorization: Bearer <token>` matching the API token (compared in constant
time); with no token configured the API takes no writes at all. URLs are fetched by the
polite fetcher, which refuses private and loopback addresses unless the server allows
them. Uploads are capped at the configured size before they are parsed. The work runs in
the thread pool, one ingest at a time per process, so SQLite sees one writer.
"""

from __future__ import annotations

import hmac
import json
import threading
from datetime import date
from typing import Any, Optional
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import BadRequest, TooLarge, Unauthorized, describe
from ..model import Document
from ..settings import Options
from . import schemas
from .conditional import store_of

router = APIRouter(tags=["ingest"])
bearer = HTTPBearer(auto_error=False, description="the API token (STORYLINE_API_TOKEN)")

# Room around the page in a multipart body: boundaries, part headers and the two small
# form fields. Generous: a real form adds a few hundred bytes.
MULTIPART_OVERHEAD = 64 * 1024
# A JSON request is a URL and two short names.
JSON_LIMIT = 16 * 1024

_one_writer = threading.Lock()  # one ingest at a time in this process
_pipeline: Any = None  # built (and spaCy loaded) by the first ingest, kept for the next

REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": schemas.IngestRequest.model_json_schema()},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["page"], "properties": {
            "page": {"type": "string", "format": "binary", "description": "the page (HTML or text)"},
            "outlet": {"type": "string"}, "date": {"type": "string", "format": "date"},
        },
    }},
}}}


def check_token(options: Options, credentials: HTTPAuthorizationCredentials | None) -> None:
    expected = options.api_token
    if not expected:
        raise Unauthorized("this server takes no writes: no API token is set "
                           "(set STORYLINE_API_TOKEN=<a long random secret> and restart `storyline serve`)",
                           "Authorization")
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        raise Unauthorized("a write needs the header Authorization: Bearer <the API token>", "Authorization")


@router.post("/ingest", response_model=schemas.IngestReport, openapi_extra=REQUEST_BODY, responses={
    **schemas.ERRORS, 401: {"model": schemas.ErrorBody, "description": "no token, a wrong one, or writes are off (E503)"},
})
async def ingest(request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Depends(bearer)) -> Any:
    """Fetch a URL (or take an uploaded page), read, enrich and store its posts, and
    place them in stories. A page that cannot be read is a 400 with its error code (E2xx);
    nothing stored before is touched."""
    options: Options = request.app.state.options
    try:
        check_token(options, credentials)
    except Unauthorized as exc:
        from ..serve.app import error_body

        return JSONResponse(error_body(exc), status_code=exc.status, headers={"WWW-Authenticate": 'Bearer realm="storyline"'})
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        document, read_options = await _uploaded(request, options)
        sources = [document]
    elif media_type == "application/json":
        asked = await _asked(request)
        read_options = options.with_(outlet=asked.outlet or options.outlet, date=asked.date or options.date)
        sources = [asked.url]
    else:
        raise BadRequest('send JSON {"url": ...} or a multipart/form-data upload with the file in field "page"',
                         "Content-Type")
    return await run_in_threadpool(ingest_sources, store_of(request), sources, read_options)


def ingest_sources(store: Any, sources: list[Document | str], options: Options) -> dict[str, Any]:
    """Store each source (a Document, or a URL to fetch) and update the stories; the
    report of `ingest --json` plus why stories failed, if they did. Raises the first
    error when nothing could be stored."""
    from ..acquire import acquire
    from ..ingest import place_in_stories, report, store_document, store_item

    with _one_writer:
        pipeline = _shared_pipeline()
        results = []
        for source in sources:
            if isinstance(source, Document):
                results.append(store_document(store, pipeline, source, options))
            else:
                results += [store_item(store, pipeline, item, options)
                            for item in acquire([source], options, validators=store.fetch_state)]
        errors = [r.error for r in results if r.error is not None]
        if errors and len(errors) == len(results):
            raise errors[0]
        try:
            clustered, cluster_error = place_in_stories(store), None
        except Exception as exc:  # the posts are stored; the next ingest places them
            clustered, cluster_error = False, describe(exc, "stories")
    answer = report([r.row for r in results], clustered)
    answer["stories_error"] = cluster_error.as_dict() if cluster_error else None
    return answer


def _shared_pipeline() -> Any:
    """The enriching pipeline, built once: loading spaCy's model takes seconds."""
    global _pipeline
    if _pipeline is None:
        from ..enrich.nlp import load_nlp
        from ..pipeline import default_pipeline

        load_nlp()  # a missing model is one clear error (E351)
        _pipeline = default_pipeline(enrich=True)
    return _pipeline


async def _asked(request: Request) -> schemas.IngestRequest:
    body = await _capped_body(request, JSON_LIMIT)
    try:
        asked = schemas.IngestRequest.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        raise BadRequest(f'the body must be JSON {{"url": "https://..."}}: {exc}'.splitlines()[0], "body") from None
    parts = urlsplit(asked.url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise BadRequest("url must be an http(s) URL; to send a page, upload it as multipart field 'page'", "url")
    return asked


async def _uploaded(request: Request, options: Options) -> tuple[Document, Options]:
    """The uploaded page as a Document (its type sniffed, not taken from the client)."""
    from starlette.requests import Request as StarletteRequest

    from ..acquire.sources import guess_media_type

    body = await _capped_body(request, options.max_bytes + MULTIPART_OVERHEAD)

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        async with StarletteRequest(request.scope, replay).form(max_files=1, max_fields=4) as form:
            upload, outlet, day = form.get("page"), form.get("outlet"), form.get("date")
            if not isinstance(upload, UploadFile):
                raise BadRequest('the upload needs the page as file field "page"', "page")
            content = await upload.read(options.max_bytes + 1)
            name = upload.filename or "page"
    except StarletteHTTPException as exc:  # a multipart body that does not parse
        raise BadRequest(f"multipart body does not parse: {exc.detail}", "body") from None
    if len(content) > options.max_bytes:
        raise TooLarge(f"the page is over the {options.max_bytes:,}-byte cap", name)
    try:
        read_options = options.with_(outlet=str(outlet) if outlet else options.outlet,
                                     date=date.fromisoformat(str(day)) if day else options.date)
    except ValueError:
        raise BadRequest(f"date {day!r} is not YYYY-MM-DD", "date") from None
    source = f"upload:{name}"
    return Document(source=source, content=content, media_type=guess_media_type(name, content)), read_options


async def _capped_body(request: Request, cap: int) -> bytes:
    """The request body, refused (E104) as soon as it passes `cap` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise TooLarge(f"the request body of {int(declared):,} bytes is over the {cap:,}-byte cap", "body")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLarge(f"the request body is over the {cap:,}-byte cap", "body")
        chunks.append(chunk)
    return b"".join(chunks)


