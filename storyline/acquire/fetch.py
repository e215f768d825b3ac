"""Fetching URLs politely: the `Fetcher` seam, the httpx implementation and its fake.

The policy lives here because only the fetcher sees every hop: http/https only, no
private/loopback/link-local addresses unless allowed (checked on each redirect hop and
retry, at connection time, by pinned.PinnedTransport), a timeout, a size cap, conditional
requests, and bounded retries with backoff.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Protocol
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError, TooLarge
from ..settings import Options
from .pinned import PinnedTransport, check_address  # noqa: F401 (check_address: re-exported)

# Five hops covers http->https, a canonical-host and a trailing-slash redirect with room
# to spare; longer chains are loops or trackers.
MAX_REDIRECTS = 5
# A server may ask for a longer pause, but a batch should not stall on one source.
MAX_RETRY_AFTER = 30.0
# Jitter is up to this fraction of the delay, so parallel workers do not retry in step.
JITTER = 0.1
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"
)


@dataclass(slots=True)
class FetchResult:
    """What one fetch returned, after redirects; `content` is empty for a 304."""

    url: str
    status: int
    content: bytes
    media_type: str
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    not_modified: bool = False


class Fetcher(Protocol):
    """The one seam for getting bytes from the network."""

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult: ...


def media_type_of(content_type: str | None) -> str:
    """'text/HTML; charset=utf-8' -> 'text/html'."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def check_scheme(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a bad port raises here, not deep inside httpx)
    except ValueError as exc:
        raise FetchError(f"bad URL {url!r}: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https URLs are fetched, not {url!r}")
    if not parts.hostname:
        raise FetchError(f"no host in URL {url!r}")


@dataclass(slots=True)
class _Redirect:
    location: str


class _Retryable(Exception):
    """A failure worth another attempt; `delay` is the server's Retry-After, if any."""

    def __init__(self, message: str, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), capped at MAX_RETRY_AFTER."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = (when - (now or datetime.now(timezone.utc))).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class HttpFetcher:
    """A polite httpx fetcher: see the module docstring for the rules it keeps."""

    def __init__(
        self,
        options: Options,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`transport`, if given, receives the requests after the address policy has
        pinned them (tests pass an httpx.MockTransport)."""
        self.options = options
        self._sleep = sleep
        self._transport = transport
        self._client: httpx.Client | None = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:  # lazily: a batch of local files never needs one
            self._client = httpx.Client(
                timeout=self.options.timeout,
                headers={"User-Agent": self.options.user_agent, "Accept": ACCEPT},
                follow_redirects=False,  # each hop is a request of its own, checked and pinned
                trust_env=False,  # stages never read the environment (no proxy variables)
                transport=PinnedTransport(self.options.allow_private, self._transport),
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def __enter__(self) -> "HttpFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_scheme(current)  # the address is checked where it is connected to
            outcome = self._get_with_retries(current, headers)
            if isinstance(outcome, FetchResult):
                if outcome.not_modified and not outcome.etag:
                    outcome.etag = etag
                if outcome.not_modified and not outcome.last_modified:
                    outcome.last_modified = last_modified
                return outcome
            current = urljoin(current, outcome.location)
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            try:
                return self._get_once(url, headers)
            except _Retryable as failure:
                if attempt == attempts - 1:
                    raise FetchError(f"{failure} (after {attempts} attempts)") from failure.__cause__
                delay = failure.delay
                if delay is None:
                    delay = self.options.backoff * 2**attempt
                    delay += random.uniform(0, delay * JITTER)
                self._sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _get_once(self, url: str, headers: dict[str, str]) -> FetchResult | _Redirect:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                return self._take(url, response)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out after {self.options.timeout:g} s") from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            raise _Retryable(f"connection failed: {exc or type(exc).__name__}") from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"request failed: {exc}") from exc

    def _take(self, url: str, response: httpx.Response) -> FetchResult | _Redirect:
        status = response.status_code
        if status in REDIRECT_STATUSES:
            location = response.headers.get("Location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location")
            return _Redirect(location)
        if status == 429 or status >= 500:
            delay = retry_after_seconds(response.headers.get("Retry-After"))
            raise _Retryable(f"HTTP {status} {response.reason_phrase}".rstrip(), delay)
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}".rstrip())
        fetched_at = datetime.now(timezone.utc)
        content = b"" if status == 304 else self._read_capped(response)
        return FetchResult(
            url=url,
            status=status,
            content=content,
            media_type=media_type_of(response.headers.get("Content-Type")),
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            fetched_at=fetched_at,
            not_modified=status == 304,
        )

    def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.options.max_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise TooLarge(f"body of {int(declared):,} bytes is over the {cap:,}-byte cap")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():  # decoded, so a gzip bomb is capped too
            size += len(chunk)
            if size > cap:
                raise TooLarge(f"body is over the {cap:,}-byte cap")
            chunks.append(chunk)
        return b"".join(chunks)


@dataclass(slots=True)
class MockResponse:
    """A canned answer for `MockFetcher`."""

    content: bytes | str = b""
    status: int = 200
    media_type: str = "text/html"
    etag: str | None = None
    last_modified: str | None = None
    url: str | None = None  # the final URL, when the real one would have redirected


Canned = MockResponse | Exception
MockCall = tuple[str, str | None, str | None]


class MockFetcher:
    """A `Fetcher` that answers from a dict; a list gives successive answers (the last repeats)."""

    def __init__(self, responses: dict[str, Canned | list[Canned]]) -> None:
        self.responses = {
            url: list(answer) if isinstance(answer, list) else [answer]
            for url, answer in responses.items()
        }
        self.calls: list[MockCall] = []

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        self.calls.append((url, etag, last_modified))
        queue = self.responses.get(url)
        if not queue:
            raise FetchError(f"HTTP 404 (MockFetcher has no response for {url})")
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        if answer.status >= 400:
            raise FetchError(f"HTTP {answer.status}")
        unchanged = (etag is not None and etag == answer.etag) or (
            last_modified is not None and last_modified == answer.last_modified
        )
        content = answer.content.encode("utf-8") if isinstance(answer.content, str) else answer.content
        return FetchResult(
            url=answer.url or url,
            status=304 if unchanged else answer.status,
            content=b"" if unchanged else content,
            media_type=answer.media_type,
            etag=answer.etag,
            last_modified=answer.last_modified,
            not_modified=unchanged or answer.status == 304,
        )
