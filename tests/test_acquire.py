"""The acquire stage against a real local HTTP server, real files and the MockFetcher.

Hermetic: the server binds 127.0.0.1 on a free port; address checks use literal IPs or a
patched resolver, so no test needs DNS or the network.
"""

from __future__ import annotations

import io
import ipaddress
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from storyline.acquire import Unchanged, acquire, pinned
from storyline.acquire import sources as sources_module
from storyline.acquire.feeds import feed_entries, is_feed
from storyline.acquire.fetch import (
    FetchResult,
    HttpFetcher,
    MockFetcher,
    MockResponse,
    check_address,
)
from storyline.acquire.sources import expand_sources, load_file
from storyline.errors import (
    AddressRefused,
    FeedError,
    FetchError,
    SourceNotFound,
    StorylineError,
    TooLarge,
)
from storyline.model import Document, content_hash
from storyline.settings import Options

ETAG = '"v1"'
LAST_MODIFIED = "Wed, 02 Feb 2022 10:00:00 GMT"
PAGE = b"<!doctype html><html><head><title>Live: Ukraine</title></head><body>live</body></html>"
MB = 1024 * 1024
HUGE = 50 * MB
CAP = 20 * MB


def story(name: str) -> bytes:
    return f"<!doctype html><html><body><h1>Story {name}</h1></body></html>".encode()


FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Live desk</title><link>http://example.test/</link>
<item><title>Story A</title><link>/story/a</link><pubDate>Thu, 24 Feb 2022 04:00:00 GMT</pubDate></item>
<item><title>Missing story</title><link>/missing</link></item>
<item><title>Story C</title><link>story/c</link></item>
</channel></rss>"""


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        with self.server.lock:
            self.server.requests.append((path, dict(self.headers)))
            self.server.hits[path] = self.server.hits.get(path, 0) + 1
            hits = self.server.hits[path]
        port = self.server.server_address[1]
        if path == "/page":
            fresh = self.headers.get("If-None-Match") == ETAG or (
                self.headers.get("If-Modified-Since") == LAST_MODIFIED
            )
            if fresh:
                self._send(304, ETag=ETAG)
            else:
                self._send(200, PAGE, Content_Type="text/html; charset=UTF-8", ETag=ETAG,
                           Last_Modified=LAST_MODIFIED)
        elif parts[0] == "redirect":
            left = int(parts[1])
            # Alternate relative and absolute Locations: both must be followed.
            target = "/page" if left == 0 else f"/redirect/{left - 1}"
            if left % 2:
                target = f"http://127.0.0.1:{port}{target}"
            self._send(302, Location=target)
        elif path == "/to-file":
            self._send(302, Location="file:///etc/passwd")
        elif parts[0] == "flaky":  # /flaky/<key>/<failures>
            if hits <= int(parts[2]):
                self._send(500, b"oops")
            else:
                self._send(200, b"recovered", Content_Type="text/plain")
        elif parts[0] == "throttled":  # /throttled/<key>/<retry-after>
            if hits == 1:
                self._send(429, Retry_After=parts[2])
            else:
                self._send(200, b"ok", Content_Type="text/plain")
        elif parts[0] == "status":
            self._send(int(parts[1]), b"status page")
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, b"late")
        elif path == "/huge-declared":
            # Declares 50 MB but sends 10 bytes: only a Content-Length check says TooLarge.
            self._send(200, b"x" * 10, Content_Length=str(HUGE))
        elif path == "/huge":
            self._stream_huge()
        elif path == "/unlabelled":
            self._send(200, PAGE)
        elif path == "/feed.xml":
            self._send(200, FEED, Content_Type="application/rss+xml")
        elif parts[0] == "story":
            self._send(200, story(parts[1]), Content_Type="text/html")
        else:
            self._send(404, b"not found")

    def _stream_huge(self) -> None:
        """50 MB with no Content-Length (read until close), counting what got out."""
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        chunk = b"a" * (256 * 1024)
        sent = 0
        try:
            while sent < HUGE:
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:  # the client hung up at its cap
            pass
        finally:
            self.server.huge_sent.append(sent)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hits: dict[str, int] = {}
        self.huge_sent: list[int] = []

    def handle_error(self, request, client_address) -> None:
        pass  # clients that time out or hit a cap hang up on purpose

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.requests]


@pytest.fixture(scope="module")
def server():
    httpd = _Server()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


LOCAL = Options(allow_private=True, retries=3, backoff=0.5, timeout=5.0)


@pytest.fixture
def fetcher(sleeps):
    with HttpFetcher(LOCAL, sleep=sleeps.append) as http:
        yield http


# --- HttpFetcher against the local server -------------------------------------------------


def test_fetch_returns_body_validators_and_clean_media_type(server, fetcher):
    before = datetime.now(timezone.utc)
    result = fetcher.fetch(server.url("/page"))
    assert result.status == 200
    assert result.content == PAGE
    assert result.media_type == "text/html"
    assert (result.etag, result.last_modified) == (ETAG, LAST_MODIFIED)
    assert result.url == server.url("/page")
    assert result.not_modified is False
    assert result.fetched_at.tzinfo is not None
    assert before <= result.fetched_at <= datetime.now(timezone.utc)
    headers = server.requests[-1][1]
    assert headers["User-Agent"] == LOCAL.user_agent
    assert "If-None-Match" not in headers


def test_matching_etag_or_last_modified_gets_304(server, fetcher):
    by_etag = fetcher.fetch(server.url("/page"), etag=ETAG)
    assert (by_etag.status, by_etag.not_modified, by_etag.content) == (304, True, b"")
    assert server.requests[-1][1]["If-None-Match"] == ETAG
    by_date = fetcher.fetch(server.url("/page"), last_modified=LAST_MODIFIED)
    assert by_date.not_modified is True
    assert by_date.last_modified == LAST_MODIFIED  # kept from the request when not echoed
    assert server.requests[-1][1]["If-Modified-Since"] == LAST_MODIFIED
    stale = fetcher.fetch(server.url("/page"), etag='"v0"')
    assert (stale.status, stale.not_modified, stale.content) == (200, False, PAGE)


def test_redirect_chain_is_followed(server, fetcher):
    before = len(server.paths())
    result = fetcher.fetch(server.url("/redirect/3"))
    assert result.url == server.url("/page")
    assert result.content == PAGE
    assert server.paths()[before:] == ["/redirect/3", "/redirect/2", "/redirect/1", "/redirect/0", "/page"]


def test_too_many_redirects_fail(server, fetcher):
    with pytest.raises(FetchError, match="too many redirects"):
        fetcher.fetch(server.url("/redirect/9"))


def test_proxy_variables_are_ignored(server, fetcher, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens: a proxied fetch fails
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert fetcher.fetch(server.url("/page")).content == PAGE


def test_redirect_to_a_non_http_scheme_is_refused(server, fetcher):
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch(server.url("/to-file"))


def test_500_then_200_is_retried_after_a_backoff(server, fetcher, sleeps):
    result = fetcher.fetch(server.url("/flaky/once/1"))
    assert result.content == b"recovered"
    assert server.hits["/flaky/once/1"] == 2
    assert len(sleeps) == 1
    assert 0.5 <= sleeps[0] <= 0.5 * 1.1


def test_retries_are_bounded_and_backoff_doubles(server, fetcher, sleeps):
    with pytest.raises(FetchError, match=r"HTTP 503.*after 4 attempts") as caught:
        fetcher.fetch(server.url("/status/503"))
    assert caught.value.code == "E102"
    assert server.hits["/status/503"] == 4
    assert len(sleeps) == 3
    for slept, base in zip(sleeps, [0.5, 1.0, 2.0]):
        assert base <= slept <= base * 1.1


def test_retry_after_is_honoured_up_to_30_seconds(server, fetcher, sleeps):
    assert fetcher.fetch(server.url("/throttled/short/7")).content == b"ok"
    assert fetcher.fetch(server.url("/throttled/long/3600")).content == b"ok"
    assert sleeps == [7.0, 30.0]


def test_404_fails_at_once_with_its_status(server, fetcher, sleeps):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.fetch(server.url("/status/404"))
    assert server.hits["/status/404"] == 1
    assert sleeps == []


def test_slow_server_times_out_and_is_retried(server, sleeps):
    options = LOCAL.with_(timeout=0.3, retries=1)
    started = time.monotonic()
    with HttpFetcher(options, sleep=sleeps.append) as http:
        with pytest.raises(FetchError, match="timed out after 0.3 s"):
            http.fetch(server.url("/slow"))
    assert time.monotonic() - started < 1.4  # two 0.3 s attempts, not the 1.5 s response
    assert len(sleeps) == 1


def test_declared_oversize_body_is_refused_before_reading(server, fetcher):
    with pytest.raises(TooLarge, match="52,428,800 bytes") as caught:
        fetcher.fetch(server.url("/huge-declared"))
    assert caught.value.code == "E104"


def test_streamed_oversize_body_is_cut_off_at_the_cap(server):
    started = time.monotonic()
    with HttpFetcher(LOCAL.with_(max_bytes=CAP)) as http:
        with pytest.raises(TooLarge, match="20,971,520-byte cap"):
            http.fetch(server.url("/huge"))
    assert time.monotonic() - started < 10
    deadline = time.monotonic() + 5
    while not server.huge_sent and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.huge_sent and server.huge_sent[-1] < HUGE  # the client hung up early


def test_only_http_and_https_are_fetched(fetcher):
    with pytest.raises(FetchError, match="only http and https"):
        fetcher.fetch("ftp://127.0.0.1/file")


# --- check_address -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://10.0.0.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://127.0.0.1:8080/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fc00::1]/", "private"),
        ("http://100.64.0.1/", "not global"),
    ],
)
def test_non_public_addresses_are_refused(url, why):
    with pytest.raises(AddressRefused, match=why) as caught:
        check_address(url, allow_private=False)
    assert caught.value.code == "E103"
    check_address(url, allow_private=True)  # allowed when asked


@pytest.mark.parametrize("url", ["http://93.184.216.34/", "https://[2606:4700:4700::1111]/"])
def test_public_addresses_pass(url):
    assert check_address(url, allow_private=False) is None


def _resolver(*addresses: str):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]
    return getaddrinfo


def test_a_name_is_refused_if_any_address_it_resolves_to_is_private(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.216.34", "10.1.2.3"))
    with pytest.raises(AddressRefused, match=r"news\.test \(resolves to 10\.1\.2\.3\)"):
        check_address("https://news.test/live", allow_private=False)
    monkeypatch.setattr(socket, "getaddrinfo", _resolver("93.184.216.34"))
    check_address("https://news.test/live", allow_private=False)


def test_unresolvable_host_is_a_fetch_error(monkeypatch):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match="cannot resolve host 'nowhere.test'") as caught:
        check_address("http://nowhere.test/", allow_private=False)
    assert caught.value.code == "E102"


# --- connecting to the checked address (DNS rebinding) -----------------------------------

PUBLIC = "93.184.216.34"
PUBLIC_2 = "93.184.216.35"
PUBLIC_V6 = "2606:4700:4700::1111"


class FakeDNS:
    """getaddrinfo from a table: each name's answers are given in turn and the last one
    repeats, as a zero-TTL name can answer differently on every lookup."""

    def __init__(self, table: dict[str, list[tuple[str, ...]]]) -> None:
        self.table = {name: list(answers) for name, answers in table.items()}
        self.lookups: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        self.lookups.append(host)
        answers = self.table.get(host)
        if not answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addresses = answers.pop(0) if len(answers) > 1 else answers[0]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                 (a, port)) for a in addresses]


class Upstream:
    """The inner transport: records each request it is handed and answers by Host and path."""

    def __init__(self, routes: dict[str, httpx.Response]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self.answer)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.routes.get(f"{request.headers['Host']}{request.url.path}", httpx.Response(404))

    def urls(self) -> list[str]:
        return [str(request.url) for request in self.requests]


def redirect(location: str) -> httpx.Response:
    return httpx.Response(302, headers={"Location": location})


def ok(body: bytes = PAGE) -> httpx.Response:
    return httpx.Response(200, content=body, headers={"Content-Type": "text/html"})


GUARDED = Options(retries=0)  # private addresses refused


@pytest.fixture
def dns(monkeypatch):
    def install(table: dict[str, list[tuple[str, ...]]]) -> FakeDNS:
        fake = FakeDNS(table)
        monkeypatch.setattr(socket, "getaddrinfo", fake)
        return fake
    return install


def test_a_rebinding_name_is_connected_to_at_the_address_that_was_checked(dns):
    fake = dns({"news.test": [(PUBLIC,), ("127.0.0.1",)]})
    upstream = Upstream({"news.test/live": ok()})
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        assert http.fetch("http://news.test/live").content == PAGE
        assert fake.lookups == ["news.test"]  # one lookup, and the connection went to its answer
        assert upstream.urls() == [f"http://{PUBLIC}/live"]
        with pytest.raises(AddressRefused, match=r"news\.test \(resolves to 127\.0\.0\.1\)"):
            http.fetch("http://news.test/live")  # the name now points inside
    assert fake.lookups == ["news.test", "news.test"]
    assert upstream.urls() == [f"http://{PUBLIC}/live"]  # nothing was sent to 127.0.0.1


def test_https_keeps_the_name_for_host_sni_and_certificate_checks(dns):
    dns({"news.test": [(PUBLIC_V6,)]})
    upstream = Upstream({"news.test:8443/live": ok()})
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        result = http.fetch("https://news.test:8443/live?page=2")
    assert result.url == "https://news.test:8443/live?page=2"
    (sent,) = upstream.requests
    assert str(sent.url) == f"https://[{PUBLIC_V6}]:8443/live?page=2"
    assert sent.headers["Host"] == "news.test:8443"
    assert sent.extensions["sni_hostname"] == "news.test"
    assert "timeout" in sent.extensions  # the client's own extensions are kept


def test_plain_http_sets_no_sni_and_an_ip_literal_is_not_looked_up(dns):
    fake = dns({})
    upstream = Upstream({PUBLIC + "/a": ok()})
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        http.fetch(f"http://{PUBLIC}/a")
    assert fake.lookups == []
    assert "sni_hostname" not in upstream.requests[0].extensions


def test_a_name_with_one_private_address_among_public_ones_is_refused(dns):
    fake = dns({"news.test": [(PUBLIC, "10.1.2.3")]})
    upstream = Upstream({"news.test/live": ok()})
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        with pytest.raises(AddressRefused, match=r"resolves to 10\.1\.2\.3") as caught:
            http.fetch("https://news.test/live")
    assert caught.value.code == "E103"
    assert fake.lookups == ["news.test"]
    assert upstream.requests == []


def test_every_redirect_hop_is_looked_up_once_and_pinned(dns):
    fake = dns({"news.test": [(PUBLIC,)], "cdn.test": [(PUBLIC_V6, PUBLIC_2)]})
    upstream = Upstream({
        "news.test/a": redirect("https://cdn.test/b"),
        "cdn.test/b": redirect("/c"),
        "cdn.test/c": ok(),
    })
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        result = http.fetch("http://news.test/a")
    assert result.url == "https://cdn.test/c"
    assert fake.lookups == ["news.test", "cdn.test", "cdn.test"]
    assert upstream.urls() == [f"http://{PUBLIC}/a", f"https://[{PUBLIC_V6}]/b", f"https://[{PUBLIC_V6}]/c"]
    assert [r.headers["Host"] for r in upstream.requests] == ["news.test", "cdn.test", "cdn.test"]
    assert [r.extensions.get("sni_hostname") for r in upstream.requests] == [None, "cdn.test", "cdn.test"]


@pytest.mark.parametrize("table, location", [
    ({"news.test": [(PUBLIC,)], "intranet.test": [("10.0.0.5",)]}, "http://intranet.test/admin"),
    ({"news.test": [(PUBLIC,), ("127.0.0.1",)]}, "/admin"),  # the same name, rebound
    ({"news.test": [(PUBLIC,)], "meta.test": [("169.254.169.254",)]}, "http://meta.test/latest/meta-data/"),
])
def test_a_redirect_to_a_name_that_resolves_privately_is_refused(dns, table, location):
    dns(table)
    upstream = Upstream({"news.test/live": redirect(location), "news.test/admin": ok(b"secret")})
    with HttpFetcher(GUARDED, transport=upstream.transport) as http:
        with pytest.raises(AddressRefused):
            http.fetch("http://news.test/live")
    assert upstream.urls() == [f"http://{PUBLIC}/live"]


def test_a_retry_is_checked_again_and_a_rebound_name_refused(dns):
    dns({"news.test": [(PUBLIC,), ("127.0.0.1",)]})
    upstream = Upstream({"news.test/live": httpx.Response(503)})
    with HttpFetcher(GUARDED.with_(retries=2), sleep=lambda s: None, transport=upstream.transport) as http:
        with pytest.raises(AddressRefused, match="127.0.0.1"):
            http.fetch("http://news.test/live")
    assert upstream.urls() == [f"http://{PUBLIC}/live"]


def test_an_unreachable_address_falls_back_to_the_next_checked_one(dns):
    dns({"news.test": [(PUBLIC_V6, PUBLIC)]})
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == PUBLIC_V6:
            raise httpx.ConnectError("network is unreachable", request=request)
        return ok()

    with HttpFetcher(GUARDED, transport=httpx.MockTransport(answer)) as http:
        assert http.fetch("http://news.test/live").content == PAGE
    assert seen == [f"http://[{PUBLIC_V6}]/live", f"http://{PUBLIC}/live"]


def test_allow_private_sends_requests_unchanged_without_a_lookup(dns):
    fake = dns({})
    upstream = Upstream({"intranet.test/x": ok()})
    with HttpFetcher(Options(allow_private=True), transport=upstream.transport) as http:
        http.fetch("https://intranet.test/x")
    assert fake.lookups == []
    assert upstream.urls() == ["https://intranet.test/x"]
    assert "sni_hostname" not in upstream.requests[0].extensions


def test_a_pinned_request_reaches_a_real_server_with_the_name_in_host(server):
    """pin() against httpx's own transport: it connects to the IP, never looks the name up."""
    port = server.server_address[1]
    request = httpx.Request("GET", f"http://news.test:{port}/page", headers={"User-Agent": "t"})
    with httpx.HTTPTransport(trust_env=False) as transport:
        response = transport.handle_request(pinned.pin(request, ipaddress.ip_address("127.0.0.1")))
        response.read()
    assert response.status_code == 200
    assert server.requests[-1][1]["Host"] == f"news.test:{port}"


def test_each_name_gets_its_own_connection_pool_without_proxies(dns, monkeypatch):
    """Two names on one address never share a TLS connection made for the other's name;
    the least recently used pool is closed past MAX_POOLS."""
    names = [f"host{n}.test" for n in range(pinned.MAX_POOLS + 1)]
    dns({name: [(PUBLIC,)] for name in names})
    made: dict[str, RecordingTransport] = {}

    class RecordingTransport(httpx.BaseTransport):
        def __init__(self, **kwargs) -> None:
            self.kwargs, self.closed = kwargs, False

        def handle_request(self, request):
            made.setdefault(request.headers["Host"], self)
            assert made[request.headers["Host"]] is self
            return httpx.Response(200)

        def close(self) -> None:
            self.closed = True

    monkeypatch.setattr(httpx, "HTTPTransport", RecordingTransport)
    with httpx.Client(transport=pinned.PinnedTransport(allow_private=False), trust_env=False) as client:
        for name in names[:2] + names[:1]:  # host0 again reuses its pool
            client.get(f"https://{name}/")
        assert made[names[0]] is not made[names[1]]
        assert made[names[0]].kwargs["trust_env"] is False and "proxy" not in made[names[0]].kwargs
        for name in names[2:]:  # one name too many: host1, used least recently, goes
            client.get(f"https://{name}/")
        assert [name for name, t in made.items() if t.closed] == [names[1]]
    assert all(t.closed for t in made.values())


# --- acquire over HTTP ---------------------------------------------------------------------


def test_acquire_refuses_loopback_unless_allowed(server):
    url = server.url("/page?refused")
    before = len(server.requests)
    [refused] = list(acquire([url], Options()))
    assert isinstance(refused, AddressRefused)
    assert refused.code == "E103"
    assert refused.where == url
    assert refused.line().startswith(f"E103 {url}: refusing to fetch from 127.0.0.1")
    assert len(server.requests) == before  # nothing was sent

    [document] = list(acquire([url], Options(allow_private=True)))
    assert isinstance(document, Document)
    assert (document.source, document.url, document.content) == (url, url, PAGE)
    assert document.media_type == "text/html"
    assert (document.etag, document.last_modified) == (ETAG, LAST_MODIFIED)
    assert document.fetched_at is not None and document.fetched_at.tzinfo is not None
    assert document.hash == content_hash(PAGE)


def test_acquire_sends_stored_validators_and_yields_unchanged(server):
    url = server.url("/page")
    asked: list[str] = []

    def validators(u: str):
        asked.append(u)
        return (ETAG, LAST_MODIFIED)

    items = list(acquire([url], Options(allow_private=True), validators=validators))
    assert items == [Unchanged(url, url)]
    assert asked == [url]
    # Never fetched before: validators give None, the page comes back whole.
    [document] = list(acquire([url], Options(allow_private=True), validators=lambda u: None))
    assert document.content == PAGE


def test_acquire_follows_redirects_and_sniffs_unlabelled_bodies(server):
    redirected, unlabelled = acquire(
        [server.url("/redirect/2"), server.url("/unlabelled")], Options(allow_private=True)
    )
    assert redirected.source == server.url("/redirect/2")
    assert redirected.url == server.url("/page")
    assert unlabelled.media_type == "text/html"


def test_acquire_expands_a_remote_feed_and_one_bad_entry_does_not_stop_it(server):
    feed = server.url("/feed.xml")
    a, missing, c = acquire([feed], Options(allow_private=True, retries=0))
    assert isinstance(a, Document) and isinstance(c, Document)
    assert (a.source, a.url, a.content) == (f"{feed}#Story A", server.url("/story/a"), story("a"))
    assert (c.source, c.url, c.content) == (f"{feed}#Story C", server.url("/story/c"), story("c"))
    assert isinstance(missing, FetchError)
    assert missing.where == f"{feed}#Missing story"
    assert "HTTP 404" in missing.message


def test_acquire_batch_goes_on_past_bad_sources(server, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Russia-Ukraine live\n", encoding="utf-8")
    missing_url = server.url("/status/404")
    items = list(acquire([str(tmp_path / "nope.html"), missing_url, str(good)],
                         Options(allow_private=True)))
    assert [type(i) for i in items] == [SourceNotFound, FetchError, Document]
    assert items[0].where == str(tmp_path / "nope.html")
    assert items[1].where == missing_url
    assert items[2].content == b"Russia-Ukraine live\n"


# --- local sources -------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files = {
        "b.html": "<html><body>b</body></html>",
        "a.txt": "plain",
        "README.md": "# read me",
        ".hidden.html": "<html></html>",
        "photo.png": "\x89PNG",
        "sub/c.htm": "<!doctype html><p>c</p>",
        "sub/deeper/d.json": "{}",
        ".git/e.html": "<html></html>",
        "empty/.keep": "",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_folder_is_walked_recursively_sorted_skipping_hidden_readme_and_other_kinds(tree):
    expanded = expand_sources([str(tree)])
    assert expanded == [str(tree / n) for n in ("a.txt", "b.html", "sub/c.htm", "sub/deeper/d.json")]


def test_globs_files_dash_and_urls_expand_in_order(tree):
    expanded = expand_sources([
        str(tree / "*.html"), "-", str(tree / "**" / "*.json"), "https://news.test/live",
        str(tree / "a.txt"),
    ])
    assert expanded == [str(tree / "b.html"), "-", str(tree / "sub/deeper/d.json"),
                        "https://news.test/live", str(tree / "a.txt")]


def test_names_that_match_nothing_become_error_items_and_the_rest_goes_on(tree):
    missing, no_match, empty, ftp, found = expand_sources([
        str(tree / "missing.html"), str(tree / "*.xml"), str(tree / "empty"), "ftp://x/y",
        str(tree / "b.html"),
    ])
    assert isinstance(missing, SourceNotFound) and missing.where == str(tree / "missing.html")
    assert missing.code == "E101"
    assert isinstance(no_match, SourceNotFound) and "pattern" in no_match.message
    assert isinstance(empty, SourceNotFound) and empty.where == str(tree / "empty")
    assert isinstance(ftp, FetchError) and ftp.where == "ftp://x/y"
    assert found == str(tree / "b.html")


@pytest.mark.parametrize(
    "name, content, media_type",
    [
        ("page.html", b"<p>fragment</p>", "text/html"),
        ("saved.txt", b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body>x</body></html>", "text/html"),
        ("feed.xml", b'<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>',
         "application/rss+xml"),
        ("feed.txt", b"<?xml version='1.0'?><!-- c --><feed xmlns='http://www.w3.org/2005/Atom'/>",
         "application/atom+xml"),
        ("data.xml", b'<?xml version="1.0"?><data/>', "application/xml"),
        ("ld.json", b'{"@type": "LiveBlogPosting"}', "application/json"),
        ("seed.txt", b"Russia-Ukraine crisis\n\n10:00 GMT - Talks end", "text/plain"),
        ("notes", b"no extension, plain words", "text/plain"),
        ("a.xhtml", b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"/>',
         "text/html"),
    ],
)
def test_local_file_media_type_from_extension_and_sniffing(tmp_path, name, content, media_type):
    path = tmp_path / name
    path.write_bytes(content)
    document = load_file(str(path), Options())
    assert document.media_type == media_type
    assert (document.source, document.content, document.url, document.fetched_at) == (
        str(path), content, None, None)
    assert document.hash == content_hash(content)


def test_oversize_file_is_refused_without_being_opened(tmp_path, monkeypatch):
    big = tmp_path / "big.html"
    with open(big, "wb") as handle:
        handle.truncate(30 * MB)  # sparse: cheap to make

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(sources_module, "open", no_open, raising=False)
    with pytest.raises(TooLarge, match="31,457,280 bytes") as caught:
        load_file(str(big), Options(max_bytes=CAP))
    assert caught.value.where == str(big)


def test_empty_file_is_a_document_not_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    [document] = acquire([str(tmp_path / "empty.txt")], Options())
    assert isinstance(document, Document) and document.content == b""


def test_stdin_is_read_and_sniffed():
    html = b"  <!DOCTYPE html><html><body>live</body></html>"
    [document] = acquire(["-"], Options(), stdin=io.BytesIO(html))
    assert (document.source, document.content, document.media_type, document.url) == (
        "-", html, "text/html", None)
    [plain] = acquire(["-"], Options(), stdin=io.BytesIO(b"10:00 - update"))
    assert plain.media_type == "text/plain"
    [empty] = acquire(["-"], Options(), stdin=io.BytesIO(b""))
    assert isinstance(empty, Document) and empty.content == b""


def test_oversize_stdin_is_too_large():
    [error] = acquire(["-"], Options(max_bytes=10), stdin=io.BytesIO(b"x" * 11))
    assert isinstance(error, TooLarge) and error.where == "-"


# --- feeds ---------------------------------------------------------------------------------

LOCAL_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Desk</title>
<item><title>One</title><link>posts/one.html</link>
  <pubDate>Thu, 24 Feb 2022 05:30:00 +0200</pubDate></item>
<item><title>Two spaced</title><link>posts/two%20b.txt</link></item>
<item><title>Gone</title><link>posts/gone.html</link></item>
<item><title>Embedded</title><content:encoded><![CDATA[<p>Sirens in Kyiv</p>]]></content:encoded></item>
<item><title>Remote</title><link>https://news.test/live</link></item>
</channel></rss>"""


@pytest.fixture
def local_feed(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "one.html").write_bytes(story("one"))
    (tmp_path / "posts" / "two b.txt").write_bytes(b"two as text")
    path = tmp_path / "feed.xml"
    path.write_text(LOCAL_FEED, encoding="utf-8")
    return path


def test_local_feed_entries_resolve_against_the_feed_folder(local_feed):
    document = load_file(str(local_feed), Options())
    assert is_feed(document)
    one, two, gone, embedded, remote = feed_entries(document)
    folder = local_feed.parent
    assert (one.title, one.link) == ("One", str(folder / "posts" / "one.html"))
    assert one.published == datetime(2022, 2, 24, 3, 30, tzinfo=timezone.utc)
    assert two.link == str(folder / "posts" / "two b.txt")
    assert embedded.link is None and embedded.content == "<p>Sirens in Kyiv</p>"
    assert remote.link == "https://news.test/live"


def test_acquire_local_feed_reads_linked_files_and_embedded_content(local_feed):
    feed = str(local_feed)
    fetcher = MockFetcher({"https://news.test/live": MockResponse("<html>remote</html>")})
    one, two, gone, embedded, remote = acquire([feed], Options(), fetcher=fetcher)
    assert (one.source, one.content, one.url, one.media_type) == (
        f"{feed}#One", story("one"), None, "text/html")
    assert (two.source, two.content, two.media_type) == (
        f"{feed}#Two spaced", b"two as text", "text/plain")
    assert isinstance(gone, SourceNotFound) and gone.where == f"{feed}#Gone"
    assert (embedded.source, embedded.content, embedded.media_type) == (
        f"{feed}#Embedded", b"<p>Sirens in Kyiv</p>", "text/html")
    assert (remote.url, remote.content) == ("https://news.test/live", b"<html>remote</html>")
    assert fetcher.calls == [("https://news.test/live", None, None)]


def test_remote_feed_links_resolve_against_the_feed_url_and_never_to_local_files():
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Live</title>
<entry><title>Rel</title><link href="live/1"/><updated>2022-02-24T04:00:00Z</updated></entry>
<entry><title>Local</title><link href="file:///etc/passwd"/></entry>
</feed>"""
    feed_url = "https://news.test/feeds/atom.xml"
    fetcher = MockFetcher({
        feed_url: MockResponse(atom, media_type="application/atom+xml"),
        "https://news.test/feeds/live/1": MockResponse("<html>one</html>"),
    })
    rel, local = acquire([feed_url], Options(), fetcher=fetcher)
    assert rel.url == "https://news.test/feeds/live/1"
    assert isinstance(local, FeedError) and local.where == f"{feed_url}#Local"
    assert [call[0] for call in fetcher.calls] == [feed_url, "https://news.test/feeds/live/1"]


def test_unparseable_and_empty_feeds_are_feed_errors(tmp_path):
    broken = tmp_path / "broken.rss"
    broken.write_bytes(b"this is not a feed at all")
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
                      b"</channel></rss>")
    with pytest.raises(FeedError, match="cannot parse feed"):
        feed_entries(load_file(str(broken), Options()))
    bad, none = acquire([str(broken), str(empty)], Options())
    assert isinstance(bad, FeedError) and bad.code == "E105" and bad.where == str(broken)
    assert isinstance(none, FeedError) and "no entries" in none.message


def test_a_feed_on_stdin_resolves_links_against_the_working_folder(local_feed, monkeypatch):
    monkeypatch.chdir(local_feed.parent)
    first, *_ = acquire(["-"], Options(), stdin=io.BytesIO(local_feed.read_bytes()),
                        fetcher=MockFetcher({}))
    assert (first.source, first.content) == ("-#One", story("one"))


# --- MockFetcher ---------------------------------------------------------------------------


def test_mock_fetcher_answers_canned_responses_and_records_calls():
    fetcher = MockFetcher({
        "https://a.test/": MockResponse("<p>é</p>", etag='"e1"', url="https://a.test/final"),
        "https://b.test/": FetchError("connection refused"),
        "https://c.test/": MockResponse(status=503),
    })
    result = fetcher.fetch("https://a.test/", last_modified="Tue, 01 Feb 2022 00:00:00 GMT")
    assert isinstance(result, FetchResult)
    assert (result.content, result.url, result.status, result.etag) == (
        "<p>é</p>".encode(), "https://a.test/final", 200, '"e1"')
    with pytest.raises(FetchError, match="connection refused"):
        fetcher.fetch("https://b.test/")
    with pytest.raises(FetchError, match="HTTP 503"):
        fetcher.fetch("https://c.test/")
    with pytest.raises(FetchError, match="no response for https://d.test/"):
        fetcher.fetch("https://d.test/", etag='"x"')
    assert fetcher.calls == [
        ("https://a.test/", None, "Tue, 01 Feb 2022 00:00:00 GMT"),
        ("https://b.test/", None, None),
        ("https://c.test/", None, None),
        ("https://d.test/", '"x"', None),
    ]


def test_mock_fetcher_serves_a_changing_page_and_304s_a_matching_etag():
    url = "https://live.test/blog"
    fetcher = MockFetcher({url: [MockResponse("v1", etag='"1"'), MockResponse("v2", etag='"2"')]})
    first = fetcher.fetch(url)
    assert (first.content, first.etag) == (b"v1", '"1"')
    second = fetcher.fetch(url, etag='"1"')  # the page changed since: a full answer
    assert (second.content, second.not_modified) == (b"v2", False)
    third = fetcher.fetch(url, etag='"2"')  # the last response repeats, and now matches
    assert (third.status, third.not_modified, third.content) == (304, True, b"")


def test_acquire_with_a_mock_fetcher_needs_no_dns_and_tracks_changes():
    url = "https://live.test/blog"
    fetcher = MockFetcher({url: [MockResponse("v1", etag='"1"'), MockResponse("v2", etag='"2"')]})
    stored: dict[str, tuple[str | None, str | None]] = {}

    def run() -> list[StorylineError | Document | Unchanged]:
        items = list(acquire([url], Options(), fetcher=fetcher, validators=stored.get))
        for item in items:
            if isinstance(item, Document):
                stored[item.url] = (item.etag, item.last_modified)
        return items

    [v1] = run()
    [v2] = run()
    [same] = run()
    assert (v1.content, v2.content) == (b"v1", b"v2")
    assert same == Unchanged(url, url)
    assert fetcher.calls == [(url, None, None), (url, '"1"', None), (url, '"2"', None)]


def test_unexpected_exceptions_become_error_items_with_where():
    url = "https://live.test/boom"
    [error] = acquire([url], Options(), fetcher=MockFetcher({url: RuntimeError("boom")}))
    assert isinstance(error, StorylineError)
    assert (error.code, error.where) == ("E000", url)
    assert "RuntimeError: boom" in error.message
