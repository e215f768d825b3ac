"""Where alerts go: a line on stdout, a JSON Lines file, or a webhook (POST JSON, retried).

Every sink has one method, `send(alert)`, which returns when the alert is delivered and
raises DeliveryError (E600) when it cannot be. A webhook on a private, loopback or
link-local address is refused unless private addresses are allowed, as fetching is: at
startup, and on every POST by the same pinned transport (acquire/pinned.py).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx

from ..acquire.fetch import JITTER, retry_after_seconds
from ..acquire.pinned import PinnedTransport, check_address
from ..errors import AddressRefused, DeliveryError, FetchError
from ..settings import Options
from .rules import SinkSpec

Alert = dict[str, Any]


class Sink(Protocol):
    name: str

    def send(self, alert: Alert) -> None: ...


# C0 and C1 control characters but tab and newline: ESC, BEL and CSI in page text would
# reach the terminal as commands (a title change, colours, a cleared or hidden screen).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def for_terminal(line: str, *, as_json: bool = False) -> str:
    """`line` with its control characters dropped, or in JSON written as \\u escapes
    (json.dumps leaves DEL and C1 characters raw when ensure_ascii is off)."""
    if as_json:
        return _CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", line)
    return _CONTROL.sub("", line)


def alert_line(alert: Alert) -> str:
    """The one line a person reads: rule, what matched, the post or story it is about."""
    line = f"alert [{alert['rule']}] {alert['kind']} {alert['matched']}"
    post, story = alert.get("post"), alert.get("story")
    if post:
        line += f": {post.get('headline') or '(no headline)'} — {post.get('outlet') or 'unknown outlet'}"
        line += f", {post['published']}" if post.get("published") else ""
    elif story:
        line += f": {story.get('title')} — {', '.join(story.get('outlets') or [])}"
    return line


class StdoutSink:
    """One line per alert on stdout: readable, or the alert's JSON with `as_json`."""

    def __init__(self, name: str = "stdout", *, as_json: bool = False, stream: TextIO | None = None) -> None:
        self.name = name
        self.as_json = as_json
        self._stream = stream

    def send(self, alert: Alert) -> None:
        stream = self._stream or sys.stdout
        line = json.dumps({"type": "alert", **alert}, ensure_ascii=False) if self.as_json else alert_line(alert)
        stream.write(for_terminal(line, as_json=self.as_json) + "\n")
        stream.flush()


class FileSink:
    """Appends each alert as one JSON line; the file is opened per alert, so it can be
    rotated or tailed while the watcher runs."""

    def __init__(self, name: str, path: str | Path) -> None:
        self.name = name
        self.path = Path(path)

    def send(self, alert: Alert) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(alert, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise DeliveryError(f"cannot append to {self.path}: {exc.strerror or exc}", self.name) from exc


class WebhookSink:
    """POSTs each alert as JSON; 5xx, 429 and network failures are retried with backoff
    (Options.retries, Options.backoff doubled each time, Retry-After honoured); any other
    status is a refusal. Redirects are not followed: a hop could lead to a private address."""

    def __init__(self, name: str, url: str, options: Options, *, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.name = name
        self.url = url
        self.options = options
        self._sleep = sleep
        self.check_address()  # before anything is opened: a refused webhook is a startup error
        self._client = httpx.Client(  # `transport` gets the pinned requests (tests: a MockTransport)
            timeout=options.timeout, follow_redirects=False, trust_env=False,
            transport=PinnedTransport(options.allow_private, transport),
            headers={"User-Agent": options.user_agent, "Content-Type": "application/json"},
        )

    def check_address(self) -> None:
        try:
            check_address(self.url, self.options.allow_private)
        except (AddressRefused, FetchError) as exc:
            raise self._refused(exc) from exc

    def _refused(self, exc: AddressRefused | FetchError) -> DeliveryError:
        message = str(exc).replace("refusing to fetch from", "refusing to post alerts to")
        return DeliveryError(message, self.name)

    def send(self, alert: Alert) -> None:
        body = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        attempts = self.options.retries + 1
        for attempt in range(attempts):
            try:
                why, delay = self._post_once(body)
            except (AddressRefused, FetchError) as exc:  # the name resolves elsewhere now
                raise self._refused(exc) from exc
            if why is None:
                return
            if delay is None:  # a refusal: trying again would get the same answer
                raise DeliveryError(f"webhook {self.url} refused the alert: {why}", self.name)
            if attempt == attempts - 1:
                raise DeliveryError(f"webhook {self.url} failed: {why} (after {attempts} attempts)", self.name)
            self._sleep(delay or self._backoff(attempt))

    def _post_once(self, body: bytes) -> tuple[str | None, float | None]:
        """(None, None) on success; else why, and the delay before a retry (0: our own
        backoff) or None when retrying is pointless."""
        try:
            response = self._client.post(self.url, content=body)
        except httpx.TimeoutException:
            return f"timed out after {self.options.timeout:g} s", 0.0
        except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
            return f"connection failed: {exc or type(exc).__name__}", 0.0
        except httpx.HTTPError as exc:
            return f"request failed: {exc}", None
        status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
        if response.is_success:
            return None, None
        if response.status_code == 429 or response.status_code >= 500:
            return status, retry_after_seconds(response.headers.get("Retry-After")) or 0.0
        return status, None

    def _backoff(self, attempt: int) -> float:
        delay = self.options.backoff * 2**attempt
        return delay + random.uniform(0, delay * JITTER)

    def close(self) -> None:
        self._client.close()


def build_sinks(specs: dict[str, SinkSpec], options: Options, *, as_json: bool = False,
                sleep: Callable[[float], None] = time.sleep) -> dict[str, Sink]:
    """A sink for each spec of the rules file; DeliveryError if a webhook is refused."""
    sinks: dict[str, Sink] = {}
    for name, spec in specs.items():
        if spec.kind == "stdout":
            sinks[name] = StdoutSink(name, as_json=as_json)
        elif spec.kind == "file":
            sinks[name] = FileSink(name, spec.address)
        else:
            sinks[name] = WebhookSink(name, spec.address, options, sleep=sleep)
    return sinks


def close_sinks(sinks: dict[str, Sink]) -> None:
    for sink in sinks.values():
        close = getattr(sink, "close", None)
        if close is not None:
            close()
