"""The REST API as clients see it, in-process through httpx (Starlette's TestClient), on
SQLite and PostgreSQL: every endpoint on the ingested examples checked against its schema
in /api/openapi.json, cursor pages, ETag / 304, error bodies with codes, POST /api/ingest
with its token, size cap and address guard, and hostile query strings."""

from __future__ import annotations

import base64
import functools
import http.server
import json
import threading
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app as cli
from storyline.serve import views
from storyline.serve.app import create_app
from storyline.settings import Options
from tests.backends import POSTGRESQL_URL, Databases
from tests.conftest import EXAMPLES

pytest.importorskip("onnxruntime", reason="stories need onnxruntime (installed by make)")

TOKEN = "test-token-9f2c"
PAGE = EXAMPLES / "harbour-courier-2025-03-10.html"


# -- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory) -> Iterator[Databases]:
    """New databases of one backend (the conftest `databases` fixture, at module scope so
    the examples are ingested once per backend)."""
    if request.param == "postgresql" and not POSTGRESQL_URL:
        pytest.skip("PostgreSQL: set STORYLINE_TEST_POSTGRESQL_URL to run")
    made = Databases(request.param, tmp_path_factory.mktemp("api"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def corpus(backend: Databases) -> str:
    """A database with the bundled examples ingested by `storyline ingest`."""
    url = backend.new()
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES), "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="module")
def api(corpus: str) -> Iterator[TestClient]:
    with TestClient(create_app(Options(database_url=corpus, api_token=TOKEN))) as client:
        yield client


@pytest.fixture(scope="module")
def spec(api: TestClient) -> dict[str, Any]:
    response = api.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _writable(backend: Databases, **options: Any) -> TestClient:
    """A client on a new, empty database of the backend (for the write tests)."""
    return TestClient(create_app(Options(database_url=backend.new(), **{"api_token": TOKEN, **options})))


# -- checking bodies against the OpenAPI schema --------------------------------------------------

def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def check(value: Any, schema: dict[str, Any], spec: dict[str, Any], where: str = "$") -> None:
    """Assert that `value` fits the JSON Schema (the subset OpenAPI 3.1 from pydantic
    uses). Stricter than the schema on one point: an object key that the schema does not
    declare fails, so the schema cannot fall behind what the views send."""
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        failures = []
        for option in schema["anyOf"]:
            try:
                check(value, option, spec, where)
                return
            except AssertionError as exc:
                failures.append(str(exc))
        raise AssertionError(f"{where}: fits none of {len(failures)} shapes: {failures}")
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        assert isinstance(value, dict), f"{where}: {value!r} is not an object"
        properties = schema.get("properties", {})
        missing = set(schema.get("required", ())) - set(value)
        assert not missing, f"{where}: missing {sorted(missing)}"
        extra = schema.get("additionalProperties")
        if properties:
            unknown = set(value) - set(properties)
            assert not unknown, f"{where}: keys the schema does not declare: {sorted(unknown)}"
        for key, item in value.items():
            if key in properties:
                check(item, properties[key], spec, f"{where}.{key}")
            elif isinstance(extra, dict):
                check(item, extra, spec, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), f"{where}: {value!r} is not an array"
        if "prefixItems" in schema:
            assert len(value) == len(schema["prefixItems"]), f"{where}: {value!r} has the wrong length"
            for i, (item, sub) in enumerate(zip(value, schema["prefixItems"])):
                check(item, sub, spec, f"{where}[{i}]")
        elif "items" in schema:
            for i, item in enumerate(value):
                check(item, schema["items"], spec, f"{where}[{i}]")
    elif kind is not None:
        python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None)}[kind]
        assert isinstance(value, python) and (kind == "boolean" or not isinstance(value, bool)), \
            f"{where}: {value!r} is not {kind}"
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"


def response_schema(spec: dict[str, Any], template: str, method: str = "get") -> dict[str, Any]:
    return spec["paths"][template][method]["responses"]["200"]["content"]["application/json"]["schema"]


def test_the_schema_check_catches_drift(spec: dict[str, Any]) -> None:
    """The checker the read tests rely on fails on what it must catch."""
    schema = response_schema(spec, "/api/posts/{post_id}")
    for bad in ({"id": "p1"}, {"items": [], "next_cursor": None}):
        with pytest.raises(AssertionError):
            check(bad, schema, spec)
    page = response_schema(spec, "/api/stories")
    with pytest.raises(AssertionError, match="does not declare"):
        check({"items": [], "next_cursor": None, "total": 3}, page, spec)
    with pytest.raises(AssertionError, match="not integer"):
        check({"items": [], "next_cursor": None}, {"type": "integer"}, spec)
    check({"items": [], "next_cursor": None}, page, spec)


# -- reads -------------------------------------------------------------------------------------

def _ids(api: TestClient) -> dict[str, str]:
    story = next(s for s in api.get("/api/stories", params={"limit": 500}).json()["items"] if len(s["outlets"]) > 1)
    person = api.get("/api/entities", params={"type": "PERSON", "limit": 1}).json()["items"][0]
    return {"post_id": story["posts"][0]["id"], "story_id": story["id"], "entity_id": person["id"]}


def _reads(api: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    """(path template, path, query) of every JSON read."""
    ids = _ids(api)
    return [
        ("/api/health", "/api/health", {}),
        ("/api/blogs", "/api/blogs", {}),
        ("/api/posts", "/api/posts", {}),
        ("/api/posts", "/api/posts", {"outlet": "Harbour Courier", "day": "2025-03-11", "kind": "news"}),
        ("/api/posts", "/api/posts", {"since": "2025-03-11", "until": "2025-03-11T12:00:00+00:00", "oldest_first": "true"}),
        ("/api/posts/{post_id}", f"/api/posts/{ids['post_id']}", {}),
        ("/api/stories", "/api/stories", {}),
        ("/api/stories", "/api/stories", {"day": "2025-03-10", "outlet": "Northgate Wire", "newest_first": "true"}),
        ("/api/stories", "/api/stories", {"since": "2025-03-11", "until": "2025-03-12", "entity": "Lenz"}),
        ("/api/stories", "/api/stories", {"action": "protest"}),
        ("/api/stories/{story_id}", f"/api/stories/{ids['story_id']}", {}),
        ("/api/timeline", "/api/timeline", {}),
        ("/api/timeline", "/api/timeline", {"outlet": "The Meridian Post", "newest_first": "true"}),
        ("/api/entities", "/api/entities", {"type": "PERSON"}),
        ("/api/entities/{entity_id}", f"/api/entities/{ids['entity_id']}", {}),
        ("/api/quotes", "/api/quotes", {}),
        ("/api/quotes", "/api/quotes", {"speaker": "Lenz", "day": "2025-03-10", "outlet": "Harbour Courier"}),
        ("/api/figures", "/api/figures", {"what": "troops"}),
        ("/api/figures", "/api/figures", {"day": "2025-03-12", "outlet": "The Meridian Post"}),
        ("/api/conflicts", "/api/conflicts", {}),
        ("/api/conflicts", "/api/conflicts", {"what": "troops"}),
        ("/api/conflicts", "/api/conflicts", {"kind": "claims"}),
        ("/api/calendar", "/api/calendar", {}),
        ("/api/brief", "/api/brief", {"day": "2025-03-11", "points": "3"}),
        ("/api/charts/posts-per-outlet", "/api/charts/posts-per-outlet", {}),
        ("/api/charts/event-score", "/api/charts/event-score", {}),
        ("/api/charts/figure", "/api/charts/figure", {"what": "troops"}),
        ("/api/search", "/api/search", {"q": "dam troops"}),
        ("/api/search", "/api/search", {"q": "\"state of emergency\"", "outlet": "Harbour Courier", "since": "2025-03-10",
                                        "until": "2025-03-12", "kind": "news", "semantic": "false"}),
    ]


def test_every_read_fits_its_schema_with_headers(api: TestClient, spec: dict[str, Any]) -> None:
    for template, path, query in _reads(api):
        response = api.get(path, params=query)
        assert response.status_code == 200, (path, query, response.text)
        body = response.json()
        check(body, response_schema(spec, template), spec, f"{path}?{query}")
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        if template != "/api/health":
            assert response.headers["etag"].startswith('W/"') and response.headers["cache-control"] == "no-cache"
        if "items" in body and template not in ("/api/conflicts",) and not query:
            assert body["items"], f"{path} is empty on the examples"


def test_reads_say_what_the_views_say(api: TestClient) -> None:
    """Nothing a view returns is lost or changed on its way through the response models."""
    store = api.app.state.store
    ids = _ids(api)

    def same(path: str, expected: Any, **query: Any) -> None:
        assert api.get(path, params=query).json() == json.loads(json.dumps(expected)), path

    same("/api/posts", {"items": views.posts(store, limit=5), "next_cursor": api.get("/api/posts?limit=5").json()["next_cursor"]}, limit=5)
    same(f"/api/posts/{ids['post_id']}", views.post(store, ids["post_id"]))
    same(f"/api/stories/{ids['story_id']}", views.story(store, ids["story_id"]))
    same(f"/api/entities/{ids['entity_id']}", views.person(store, ids["entity_id"]))
    assert api.get("/api/stories", params={"limit": 500}).json()["items"] == json.loads(json.dumps(views.stories(store)))
    assert api.get("/api/quotes", params={"limit": 500}).json()["items"] == views.quotes(store)
    assert api.get("/api/figures", params={"limit": 500}).json()["items"] == views.figures(store)
    assert api.get("/api/calendar", params={"limit": 500}).json()["items"] == views.calendar(store)
    found = views.conflicts(store)
    assert api.get("/api/conflicts", params={"limit": 500}).json()["items"] == found["figures"] + found["claims"]
    assert api.get("/api/conflicts", params={"kind": "claims"}).json()["items"] == found["claims"][:50]
    same("/api/brief", views.brief(store, __import__("datetime").date(2025, 3, 11), 3), day="2025-03-11", points=3)


def test_conflicts_take_both_kinds_of_claim(spec: dict[str, Any]) -> None:
    """Figures that disagree and contradicting claims share the Conflict shape (the
    examples have no contradicting claims, so their side is checked here)."""
    from storyline.api import schemas

    figure = {"value": 12000.0, "high": None, "unit": None, "qualifier": "about", "what": "troops", "outlet": "A",
              "post_id": "p1", "published": "2025-03-11", "text": "about 12,000 troops", "sentence": "About 12,000 troops."}
    opposed = {"side": "arriving", "outlet": "B", "post_id": "p2", "published": None, "said_by": None,
               "sentence": "Troops arrived at the dam."}
    conflict = spec["components"]["schemas"]["Conflict"]
    for claims in ([figure, figure], [opposed, {**opposed, "side": "leaving"}]):
        body = {"id": "c", "about": "troops", "claims": claims}
        check(body, conflict, spec)
        assert schemas.Conflict.model_validate(body).model_dump(mode="json") == body
    with pytest.raises(AssertionError):
        check({"id": "c", "about": "x", "claims": [{"side": "arriving"}]}, conflict, spec)


def test_calendar_ics_is_icalendar(api: TestClient) -> None:
    response = api.get("/api/calendar.ics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert response.text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in response.text
    assert response.headers["etag"]


# -- pages -------------------------------------------------------------------------------------

def _key(path: str, item: dict[str, Any]) -> Any:
    if path == "/api/timeline":
        return tuple(s["id"] for s in item["stories"])
    if "id" in item:
        return item["id"]
    if "text" in item:  # a quote or figure: its post and words
        return (item["post_id"], item["text"], item.get("speaker_as_written"), item.get("value"))
    if "post_id" in item:  # a search hit
        return item["post_id"]
    return json.dumps(item, sort_keys=True)


def _walk(api: TestClient, path: str, query: dict[str, Any], limit: int) -> list[Any]:
    """Every item, page by page, following the Link header and next_cursor (which agree)."""
    items, cursor, pages = [], None, 0
    while True:
        response = api.get(path, params={**query, "limit": limit, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor, pages = body["next_cursor"], pages + 1
        if cursor is None:
            assert "link" not in response.headers
            return items
        assert f"cursor={cursor}" in response.headers["link"] and response.headers["link"].endswith('rel="next"')
        assert pages < 1000


@pytest.mark.parametrize("path,query", [
    ("/api/posts", {}), ("/api/posts", {"outlet": "Northgate Wire"}), ("/api/blogs", {}), ("/api/stories", {}),
    ("/api/timeline", {}), ("/api/entities", {}), ("/api/quotes", {}), ("/api/figures", {}), ("/api/calendar", {}),
    ("/api/conflicts", {}), ("/api/conflicts", {"what": "people"}), ("/api/search", {"q": "flood"}),
])
def test_pages_walk_every_item_exactly_once(api: TestClient, path: str, query: dict[str, Any]) -> None:
    whole = api.get(path, params={**query, "limit": 500}).json()
    assert whole["next_cursor"] is None
    walked = _walk(api, path, query, limit=7)
    if path == "/api/timeline":  # a day cut by a page's end goes on on the next page
        assert [s["id"] for d in walked for s in d["stories"]] == [s["id"] for d in whole["items"] for s in d["stories"]]
        return
    assert [_key(path, i) for i in walked] == [_key(path, i) for i in whole["items"]]
    assert len(whole["items"]) > 7 or path in ("/api/conflicts", "/api/blogs"), f"{path}: too few items to page"


def _cursor(api: TestClient, path: str = "/api/posts", **query: Any) -> str:
    cursor = api.get(path, params={**query, "limit": 3}).json()["next_cursor"]
    assert cursor
    return cursor


def test_tampered_or_foreign_cursors_are_refused(api: TestClient) -> None:
    cursor = _cursor(api)
    body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps({**body, "o": 1000}).encode()).decode().rstrip("=")
    flipped = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    for bad in (forged, flipped, "not-a-cursor", "e30", cursor + "!!", "%00"):
        response = api.get("/api/posts", params={"cursor": bad})
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "E502"
    # A cursor belongs to its filters and its list; the page size may change.
    for path, query in (("/api/posts", {"outlet": "Harbour Courier"}), ("/api/stories", {}), ("/api/quotes", {})):
        response = api.get(path, params={**query, "cursor": cursor})
        assert response.status_code == 400 and response.json()["error"]["code"] == "E502"
    assert api.get("/api/posts", params={"cursor": cursor, "limit": 10}).status_code == 200


# -- ETag / 304 ----------------------------------------------------------------------------------

def test_etag_answers_304_without_a_body(api: TestClient) -> None:
    first = api.get("/api/stories", params={"limit": 5})
    etag = first.headers["etag"]
    again = api.get("/api/stories", params={"limit": 5}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and again.headers["cache-control"] == "no-cache"
    assert "content-security-policy" in again.headers
    listed = api.get("/api/stories", params={"limit": 5}, headers={"If-None-Match": f'"x", {etag.removeprefix("W/")}'})
    assert listed.status_code == 304
    assert api.get("/api/stories", params={"limit": 6}, headers={"If-None-Match": etag}).status_code == 200
    assert api.get("/api/stories", params={"limit": 5}, headers={"If-None-Match": '"other"'}).status_code == 200
    assert api.get("/api/posts", headers={"If-None-Match": "*"}).status_code == 304


# -- errors and hostile queries ----------------------------------------------------------------------

def test_unknown_ids_are_404_with_code(api: TestClient) -> None:
    for path in ("/api/posts/nope", "/api/stories/s0000000000000000", "/api/entities/person:nobody",
                 "/api/posts/..%2F..%2Fetc%2Fpasswd", "/api/nothing-here"):
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "E501"
        assert "default-src 'none'" in response.headers["content-security-policy"]


def test_nul_in_an_id_is_a_bad_request_on_both_backends(api: TestClient) -> None:
    for path in ("/api/stories/%00", "/api/posts/a%00b", "/api/entities/%00"):
        response = api.get(path)
        assert response.status_code == 400, (path, response.text)
        assert response.json()["error"]["code"] == "E502"


@pytest.mark.parametrize("path", ["/api/stories", "/api/timeline", "/api/posts", "/api/search?q=flood"])
def test_since_after_until_is_a_bad_request(api: TestClient, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = api.get(f"{path}{joiner}since=2025-03-12&until=2025-03-10")
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "E502"
    same_day = api.get(f"{path}{joiner}since=2025-03-10T10:00:00Z&until=2025-03-10")
    assert same_day.status_code in (200, 400) and "is after until" not in same_day.text


def test_head_answers_like_get_without_a_body(api: TestClient) -> None:
    for path in ("/api/stories", "/api/health", "/", "/api/openapi.json"):
        got, head = api.get(path), api.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b""
        assert head.headers.get("etag") == got.headers.get("etag")
        assert head.headers["content-type"] == got.headers["content-type"]


@pytest.mark.parametrize("query", [
    "limit=0", "limit=-1", "limit=501", "limit=abc", "limit=1e3", "day=2025-13-45", "day=yesterday",
    "kind=everything", "since=2025-03-10T25:61", "cursor=" + "A" * 600, "outlet=" + "x" * 5000, "outlet=a%00b",
])
def test_bad_filters_are_400_with_code(api: TestClient, query: str) -> None:
    response = api.get(f"/api/posts?{query}")
    assert response.status_code == 400, (query, response.text)
    assert response.json()["error"]["code"] == "E502"


@pytest.mark.parametrize("path", [
    "/api/posts?outlet=' OR '1'='1", "/api/posts?outlet=Harbour Courier'; DROP TABLE posts; --",
    "/api/quotes?speaker=%25", "/api/quotes?speaker=_", "/api/figures?what=%25%25", "/api/stories?entity=%25",
    "/api/stories?action=' OR 1=1 --", "/api/search?q=\" OR NEAR(", "/api/search?q=*", "/api/search?q=%22%22%22",
    "/api/search?q=a:b AND -c^2", "/api/conflicts?what=<script>alert(1)</script>", "/api/entities/%3Cscript%3E",
    "/api/posts?outlet=Ha%C3%BFrbour%F0%9F%8C%8A", "/api/posts?day=2025-03-10&day=2025-03-11",
    "/api/stories?since=0001-01-01&until=9999-12-31", "/api/posts?until=9999-12-31",
])
def test_hostile_queries_get_an_answer_not_a_crash(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code in (200, 400, 404), (path, response.text)
    body = response.json()
    if response.status_code == 200 and "items" in body:
        if "outlet=" in path or "speaker=" in path or "entity=" in path or "action=" in path:
            assert body["items"] == [], path  # wildcards and quotes are taken literally
    else:
        assert "error" in body or response.status_code == 200
    assert api.get("/api/posts", params={"limit": 1}).json()["items"]  # the database is still there


# -- POST /api/ingest -----------------------------------------------------------------------------

def _upload(client: TestClient, content: bytes, name: str = "page.html", token: str | None = TOKEN, **form: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/ingest", headers=headers, files={"page": (name, content, "text/html")}, data=form)


def test_ingest_needs_the_token(backend: Databases) -> None:
    with _writable(backend) as client:
        page = PAGE.read_bytes()
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                        {"Authorization": f"Bearer {TOKEN}x"}, {"Authorization": "Bearer"}):
            response = client.post("/api/ingest", headers=headers, files={"page": ("p.html", page, "text/html")})
            assert response.status_code == 401, headers
            assert response.json()["error"]["code"] == "E503"
            assert response.headers["www-authenticate"].startswith("Bearer")
        assert client.get("/api/posts").json()["items"] == []
    with TestClient(create_app(Options(database_url=backend.new()))) as closed:
        response = closed.post("/api/ingest", headers={"Authorization": "Bearer anything"}, json={"url": "https://example.org/"})
        assert response.status_code == 401 and "STORYLINE_API_TOKEN" in response.json()["error"]["message"]


def test_ingest_an_upload_then_garbage_loses_nothing(backend: Databases, spec: dict[str, Any]) -> None:
    with _writable(backend, max_bytes=2_000_000) as client:
        before = client.get("/api/posts")
        response = _upload(client, PAGE.read_bytes(), name=PAGE.name)
        assert response.status_code == 200, response.text
        report = response.json()
        check(report, response_schema(spec, "/api/ingest", "post"), spec)
        row = report["sources"][0]
        assert row["status"] == "ok" and row["outlet"] == "Harbour Courier" and row["new"] == 14
        assert report["stories"]["posts"] > 0 and report["stories_error"] is None
        assert before.json()["items"] == [] and len(client.get("/api/posts").json()["items"]) == 14  # no stale body
        after = client.get("/api/posts", params={"limit": 100}, headers={"If-None-Match": before.headers["etag"]})
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert len(after.json()["items"]) == 14 and client.get("/api/stories").json()["items"]
        again = _upload(client, PAGE.read_bytes(), name=PAGE.name).json()
        assert again["totals"] == {"new": 0, "updated": 0, "unchanged": 14, "failed": 0}

        etag = client.get("/api/posts").headers["etag"]
        garbage = {"E202": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "E201": b"",
                   "E203": b"<html><head><title>One</title></head><body><p>Just one article.</p></body></html>"}
        for code, content in garbage.items():
            response = _upload(client, content)
            assert response.status_code == 400, (code, response.text)
            assert response.json()["error"]["code"] == code
        too_big = _upload(client, b"<p>" + b"x" * 2_100_000 + b"</p>")
        assert too_big.status_code == 400 and too_big.json()["error"]["code"] == "E104"
        for body, kind in ((b"--x\r\nnot multipart", "multipart/form-data; boundary=x"), (b"{", "application/json"),
                           (b'{"url": 5}', "application/json"), (b"url=x", "application/x-www-form-urlencoded")):
            response = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": kind}, content=body)
            assert response.status_code == 400 and response.json()["error"]["code"] == "E502", (body, response.text)
        no_file = client.post("/api/ingest", headers={"Authorization": f"Bearer {TOKEN}"}, data={"outlet": "x"},
                              files={"other": ("a.txt", b"a")})
        assert no_file.status_code == 400 and no_file.json()["error"]["code"] == "E502"
        assert client.get("/api/posts").headers["etag"] == etag  # nothing stored, nothing lost
        assert len(client.get("/api/posts", params={"limit": 100}).json()["items"]) == 14


@pytest.fixture(scope="module")
def example_server() -> Iterator[str]:
    """The examples folder over HTTP on the loopback address."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(EXAMPLES))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_a_url_refuses_loopback_unless_allowed(backend: Databases, example_server: str) -> None:
    url = f"{example_server}/northgate-wire-live.txt"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with _writable(backend) as guarded:
        response = guarded.post("/api/ingest", headers=auth, json={"url": url})
        assert response.status_code == 400 and response.json()["error"]["code"] == "E103"
        for bad in ("/etc/passwd", "file:///etc/passwd", "-", "examples/*.html", "ftp://example.org/x", "http://"):
            response = guarded.post("/api/ingest", headers=auth, json={"url": bad})
            assert response.status_code == 400 and response.json()["error"]["code"] == "E502", bad
        assert guarded.get("/api/posts").json()["items"] == []
    with _writable(backend, allow_private=True) as allowed:
        response = allowed.post("/api/ingest", headers=auth, json={"url": url, "outlet": "Wire Copy"})
        assert response.status_code == 200, response.text
        assert response.json()["sources"][0]["new"] == 35
        posts = allowed.get("/api/posts", params={"outlet": "Wire Copy", "limit": 100}).json()["items"]
        assert len(posts) == 35
        missing = allowed.post("/api/ingest", headers=auth, json={"url": f"{example_server}/nope.html"})
        assert missing.status_code == 400 and missing.json()["error"]["code"] == "E102"


def test_a_write_by_another_process_changes_the_etag(backend: Databases) -> None:
    """The data version is cached per commit count on SQLite: a write through another
    connection (here `storyline ingest`) must still change every ETag and body."""
    with _writable(backend) as client:
        url = client.app.state.store.engine.url.render_as_string(hide_password=False)
        first = client.get("/api/stories")
        assert first.json()["items"] == []
        result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES / "northgate-wire-live.txt"), "--db", url, "--json"])
        assert result.exit_code == 0, result.output
        again = client.get("/api/stories", headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 200 and again.headers["etag"] != first.headers["etag"]
        assert again.json()["items"]


def test_serve_binds_loopback_by_default_and_warns_off_it(monkeypatch, tmp_path) -> None:
    import uvicorn

    bound: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port, **_: bound.update(host=host, port=port))
    for name in ("STORYLINE_API_TOKEN", "STORYLINE_HOST", "STORYLINE_PORT"):
        monkeypatch.delenv(name, raising=False)
    db = str(tmp_path / "serve.db")
    result = CliRunner().invoke(cli, ["serve", "--db", db])
    assert result.exit_code == 0, result.output
    assert bound == {"host": "127.0.0.1", "port": 8000}
    assert "http://127.0.0.1:8000/" in result.stdout and "warning" not in result.output
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "0.0.0.0", "--port", "8123"])
    assert bound == {"host": "0.0.0.0", "port": 8123}
    assert "warning" in result.output and "STORYLINE_API_TOKEN" in result.output
    monkeypatch.setenv("STORYLINE_API_TOKEN", TOKEN)
    result = CliRunner().invoke(cli, ["serve", "--db", db, "--host", "::1"])
    assert bound["host"] == "::1" and "warning" not in result.output and "[::1]" in result.stdout


def test_serve_with_workers_answers_from_several_processes_on_one_port(tmp_path) -> None:
    """`serve --workers 2 --port 0`: one socket bound by the parent (the address printed is
    the port it got), two worker processes answering on it, all gone after SIGTERM."""
    import os
    import signal
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    db = tmp_path / "workers.db"
    result = CliRunner().invoke(cli, ["ingest", str(EXAMPLES / "northgate-wire-live.txt"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    server = subprocess.Popen([sys.executable, "-m", "storyline.cli", "serve", "--db", str(db), "--port", "0",
                               "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
    try:
        line = ""
        while "storyline serving" not in line:
            line = server.stdout.readline()
            assert line or server.poll() is None, "serve exited before printing its address"
        assert "with 2 worker processes" in line
        address = line.split(" at ", 1)[1].split("/ ", 1)[0]
        assert address.startswith("http://127.0.0.1:") and not address.endswith(":0")
        answered = None
        for _ in range(100):  # the workers start after the address is printed
            try:
                with urllib.request.urlopen(f"{address}/api/posts?limit=2", timeout=5) as response:
                    answered = json.load(response)
                break
            except OSError:
                time.sleep(0.2)
        assert answered is not None and len(answered["items"]) == 2
        # Keep-alive answers come at once: without TCP_NODELAY on the workers' connections
        # (uvicorn issue #3149) each waited ~40 ms for the client's delayed ACK.
        import http.client
        import statistics

        connection = http.client.HTTPConnection(address.removeprefix("http://"), timeout=10)
        took = []
        for _ in range(15):
            began = time.perf_counter()
            connection.request("GET", "/api/posts?limit=2")
            assert connection.getresponse().read()
            took.append(time.perf_counter() - began)
        connection.close()
        assert statistics.median(took[1:]) < 0.030, took
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) >= 2, children  # the workers (and uvicorn's own helper, if any)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert output.count("Finished server process") == 2, output


def test_the_server_uses_one_blas_thread_while_it_runs(tmp_path) -> None:
    """Searches run side by side on threads; BLAS's own threads only spin on their small
    products (serve/app.py). The limit is the server's: restored when it stops."""
    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = blas_threads()
    with TestClient(create_app(Options(database_url=f"sqlite:///{tmp_path / 'blas.db'}"))) as client:
        assert client.get("/api/health").status_code == 200
        assert blas_threads() <= {1}
    assert blas_threads() == before


def test_health_says_warming_until_the_background_learning_ends(backend: Databases) -> None:
    with _writable(backend) as client:  # a TestClient context runs the lifespan (the learner)
        learner = client.app.state.learner
        learner.join(timeout=60)
        assert not learner.is_alive()
        assert client.get("/api/health").json() == {"status": "ok"}
