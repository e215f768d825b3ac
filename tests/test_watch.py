"""`storyline watch` against real local HTTP servers: a live blog that grows, is edited,
answers 304s and goes down for a while; alerts to a JSON Lines file and to a webhook
receiver that fails its first POST. The clock and every sleep are injected: eleven rounds
of a 60-second watch run in a few seconds."""

from __future__ import annotations

import itertools
import json
import random
import threading
from datetime import date, datetime, timezone
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.errors import ConfigError, DeliveryError
from storyline.model import Document, Post, Quantity
from storyline.pipeline import default_pipeline
from storyline.settings import Options
from storyline.store import open_store
from storyline.store.migrations import LATEST_VERSION, MIGRATIONS
from storyline.watch import (
    Alerter,
    PollOutcome,
    Watcher,
    WatchSession,
    WebhookSink,
    build_sinks,
    load_rules,
    match_post,
    parse_rules,
)
from storyline.watch.alerts import figure_crosses, keyword_pattern
from tests.conftest import EXAMPLES
from tests.render import LiveBlogSpec, PostSpec, render_dom_html, render_jsonld_html

EVERY = 60.0
EDITED = 2  # index (oldest first) of the Harbour Courier post edited in the last phase


# -- the live blogs -------------------------------------------------------------------------


def _example_posts(name: str) -> tuple[str, str, list[PostSpec]]:
    """An example page's title, outlet and posts, oldest first, to re-serve a growing page."""
    path = EXAMPLES / name
    document = Document(source=str(path), content=path.read_bytes(), media_type="text/html")
    parsed = default_pipeline(enrich=False).run(document, Options())
    posts = sorted(parsed.posts, key=lambda p: p.published)
    return parsed.blog.title, parsed.blog.outlet, [PostSpec(p.headline, p.body, p.published) for p in posts]


class LiveBlog:
    """One page of a live blog at a given phase, rendered as its outlet renders it."""

    def __init__(self, name: str, url: str, render, counts: dict[str, int], validator: str) -> None:
        self.title, self.outlet, self.posts = _example_posts(name)
        self.url, self.render, self.counts, self.validator = url, render, counts, validator

    def page(self, phase: str) -> bytes:
        posts = list(self.posts[: self.counts[phase]])
        if phase == "C" and self.render is render_jsonld_html:  # an update edited after publication
            old = posts[EDITED]
            body = [old.paragraphs[0].replace("40,000", "42,000"),
                    *old.paragraphs[1:], "The evacuation order falls under the state of emergency."]
            posts[EDITED] = PostSpec(old.headline, body, old.published)
        spec = LiveBlogSpec(self.title, self.outlet, self.url, date(2025, 3, 10), posts=posts[::-1])
        return self.render(spec).encode("utf-8")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def phase_at(now: float) -> str:
    """A at first; B from round 3; down from round 4 until after round 6; C from then on."""
    if now < 120:
        return "A"
    if now < 180:
        return "B"
    return "down" if now < 360 else "C"


class LiveBlogServer(ThreadingHTTPServer):
    """Serves /courier (JSON-LD, ETag) and /meridian (DOM HTML, Last-Modified only). While
    down, /courier answers 500 and /meridian closes the connection without a word."""

    daemon_threads = True

    def __init__(self, clock: Clock) -> None:
        super().__init__(("127.0.0.1", 0), _LiveBlogHandler)
        self.clock = clock
        self.blogs = {
            "/courier": LiveBlog("harbour-courier-2025-03-10.html", "https://harbourcourier.example/live/orna-flood",
                                 render_jsonld_html, {"A": 4, "B": 7, "C": 9}, "etag"),
            "/meridian": LiveBlog("meridian-post-2025-03-10.html", "https://meridianpost.example/live/sennport-flood",
                                  render_dom_html, {"A": 3, "B": 6, "C": 8}, "last-modified"),
        }
        self.log: list[tuple[str, float, int, str | None]] = []  # path, clock, status, validator sent

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _LiveBlogHandler(BaseHTTPRequestHandler):
    server: LiveBlogServer

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        blog = self.server.blogs.get(self.path)
        phase = phase_at(self.server.clock.now)
        sent = self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since")
        if blog is None:
            return self._answer(404, b"", sent)
        if phase == "down":
            if self.path == "/meridian":
                self.server.log.append((self.path, self.server.clock.now, 0, sent))
                self.close_connection = True
                return
            return self._answer(500, b"down for maintenance", sent)
        body = blog.page(phase)
        validator = f'"{phase}"' if blog.validator == "etag" else formatdate(1741600000 + ord(phase), usegmt=True)
        header = "ETag" if blog.validator == "etag" else "Last-Modified"
        if sent == validator:
            return self._answer(304, b"", sent, {header: validator})
        self._answer(200, body, sent, {header: validator, "Content-Type": "text/html; charset=utf-8"})

    def _answer(self, status: int, body: bytes, sent: str | None, headers: dict[str, str] | None = None) -> None:
        self.server.log.append((self.path, self.server.clock.now, status, sent))
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class WebhookReceiver(ThreadingHTTPServer):
    """Takes alerts by POST; the first `fail_first` POSTs get a 500."""

    daemon_threads = True

    def __init__(self, fail_first: int = 1) -> None:
        super().__init__(("127.0.0.1", 0), _WebhookHandler)
        self.fail_first = fail_first
        self.attempts = 0
        self.received: list[dict] = []

    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _WebhookHandler(BaseHTTPRequestHandler):
    server: WebhookReceiver

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.attempts += 1
        failing = self.server.attempts <= self.server.fail_first
        if not failing:
            assert self.headers["Content-Type"] == "application/json"
            self.server.received.append(json.loads(body))
        self.send_response(500 if failing else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()


def _serving(server: ThreadingHTTPServer):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def blogs(clock):
    server = LiveBlogServer(clock)
    _serving(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def receiver():
    server = WebhookReceiver(fail_first=1)
    _serving(server)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def pipeline():
    return default_pipeline(enrich=True)


def _rules(tmp_path: Path, webhook: str) -> Path:
    path = tmp_path / "alerts.toml"
    path.write_text(f"""
[sinks.log]
file = "alerts.jsonl"
[sinks.hook]
webhook = "{webhook}"

[[rules]]
name = "emergency"
keyword = "State of  Emergency"
per = "post"
to = ["log", "hook"]

[[rules]]
name = "evacuations"
event = "evacuate"
per = "post"
to = ["log", "hook"]

[[rules]]
name = "solvani"
entity = "Solvani"
to = ["log", "hook"]

[[rules]]
name = "two outlets"
story_outlets = 2
to = ["log", "hook"]
""", encoding="utf-8")
    return path


# -- the whole watch ------------------------------------------------------------------------


def test_watch_ingests_a_growing_blog_through_an_outage_and_fires_each_alert_once(
    tmp_path, clock, blogs, receiver, pipeline
):
    options = Options(allow_private=True, retries=2)
    no_wait = lambda seconds: None
    config = load_rules(_rules(tmp_path, receiver.url()))
    sinks = build_sinks(config.sinks, options, sleep=no_wait)
    failures: list = []
    reports: list = []
    from storyline.acquire import HttpFetcher

    with open_store(str(tmp_path / "watch.db")) as store:
        alerter = Alerter(store, config, sinks, report=failures.append)
        session = WatchSession(store, pipeline, options, fetcher=HttpFetcher(options, sleep=no_wait),
                               alerter=alerter, report=failures.append)
        watcher = Watcher([blogs.url("/courier"), blogs.url("/meridian")], EVERY, session.poll,
                          end_round=lambda r: reports.append(session.finish_round(r)),
                          clock=clock, sleep=clock.sleep, jitter=0.0)
        assert watcher.run(rounds=11) == 11
        session.close()

        # Polled on the interval; after the outage began, at 2x then 4x the interval.
        for path in ("/courier", "/meridian"):
            times = sorted({t for p, t, _s, _v in blogs.log if p == path})
            assert times == [0, 60, 120, 180, 300, 540, 600]
        courier = [(t, status, sent) for p, t, status, sent in blogs.log if p == "/courier"]
        assert courier[0] == (0, 200, None)
        assert courier[1] == (60, 304, '"A"')  # If-None-Match from the stored ETag
        assert [s for t, s, _ in courier if t in (180, 300)] == [500] * 6  # 3 attempts per poll
        assert courier[-2:] == [(540, 200, '"B"'), (600, 304, '"C"')]  # changed since B; then not
        meridian = [(t, status, sent) for p, t, status, sent in blogs.log if p == "/meridian"]
        assert meridian[1][1] == 304 and meridian[1][2].endswith("GMT")  # If-Modified-Since
        assert [s for t, s, _ in meridian if t in (180, 300)] == [0] * 6  # connection closed

        # Incremental: each round stored only what was new or edited.
        by_round = {r.round.number: r.totals() for r in reports}
        assert [by_round[n]["new"] for n in range(1, 12)] == [7, 0, 6, 0, 0, 0, 0, 0, 0, 4, 0]
        assert by_round[10]["updated"] == 1 and by_round[11]["not_modified"] == 2
        assert [by_round[n]["failed"] for n in (4, 6)] == [2, 2] and by_round[10]["failed"] == 0
        assert [len(reports[n - 1].round.waiting) for n in (5, 7, 8, 9, 10)] == [2, 2, 2, 2, 0]
        assert len(failures) == 4 and {f.code for f in failures} == {"E102"}
        assert any("HTTP 500" in f.message for f in failures)

        counts = {blog.outlet: len(store.posts(blog_id=blog.id)) for blog in store.blogs()}
        assert counts == {"Harbour Courier": 9, "The Meridian Post": 8}
        edited = next(p for p in store.posts(outlet="Harbour Courier") if p.headline.startswith("About 40,000"))
        assert edited.revision == 2 and "42,000" in edited.body[0]
        assert "40,000" in store.revisions(edited.id)[0]["body"][0]

        # Alerts: each fired once, to both sinks; the webhook's first POST failed and was retried.
        filed = [json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text().splitlines()]
        keys = [a["key"] for a in filed]
        assert len(keys) == len(set(keys))
        assert sorted(a["key"] for a in receiver.received) == sorted(keys)
        assert receiver.attempts == len(keys) + 1
        fired_in = {a["key"]: n for r in reports for n in [r.round.number] for a in r.alerts.fired}
        assert set(fired_in) == set(keys)

        emergency = {a["post"]["headline"]: fired_in[a["key"]] for a in filed if a["rule"] == "emergency"}
        assert emergency == {
            "Keravia declares state of emergency": 1,
            "President declares state of emergency in Orna valley": 3,
            "About 40,000 moved out of flooded districts": 10,  # the edit added the words
        }
        evacuations = [(a["post"]["id"], fired_in[a["key"]]) for a in filed if a["rule"] == "evacuations"]
        assert evacuations == [(edited.id, 1)]  # the edit still matches: not fired again

        solvani = [a for a in filed if a["rule"] == "solvani"]
        mentioning = [p for p in store.posts() if p.headline.startswith(("Solvani:", "Valmora's prime minister"))]
        assert len(mentioning) == 2 and {fired_in[a["key"]] for a in solvani} == {3}
        story_of = {pid: s.id for s in store.stories() for pid in s.post_ids}
        assert len(solvani) == len({story_of[p.id] for p in mentioning})  # once per story
        assert solvani[0]["matched"] == "Radek Solvani"  # the rule said "Solvani"

        shared = [a for a in filed if a["rule"] == "two outlets"]
        stories = {s.id: s for s in store.stories()}
        assert shared and len({a["story"]["id"] for a in shared}) == len(shared)
        assert all(len(stories[a["story"]["id"]].outlets) == 2 for a in shared)
        assert {s.id for s in stories.values() if len(s.outlets) >= 2} == {a["story"]["id"] for a in shared}

        # A restart sees the same posts and stories again and fires nothing.
        again = Alerter(store, config, sinks, report=failures.append)
        assert again.check([p.id for p in store.posts()], list(stories)) == []
        assert again.run([p.id for p in store.posts()], list(stories)).fired == []
    assert len(receiver.received) == len(keys)


def test_a_webhook_that_stays_down_gets_the_alert_in_a_later_round(tmp_path, pipeline):
    receiver = WebhookReceiver(fail_first=4)  # retries=1: two rounds of two attempts, then it answers
    _serving(receiver)
    try:
        options = Options(allow_private=True, retries=1)
        config = parse_rules({"sinks": {"hook": {"webhook": receiver.url()}},
                              "rules": [{"name": "dead", "figure": "dead", "above": 5, "to": ["hook"]}]})
        sinks = build_sinks(config.sinks, options, sleep=lambda s: None)
        failures: list = []
        with open_store(str(tmp_path / "w.db")) as store:
            session = WatchSession(store, pipeline, options, cluster=False,
                                   alerter=Alerter(store, config, sinks, report=failures.append))
            page = EXAMPLES / "harbour-courier-2025-03-10.html"
            first = session.finish_round(_round(session.poll(str(page))))
            assert len(first.alerts.fired) == 1 and first.alerts.failed == 1 and receiver.received == []
            second = session.finish_round(_round(session.poll(str(page))))  # nothing new, delivery retried
            assert second.alerts.fired == [] and second.alerts.failed == 1
            third = session.finish_round(_round(session.poll(str(page))))
            assert third.alerts.delivered == 1 and third.alerts.failed == 0
            assert [a["post"]["headline"] for a in receiver.received] == ["At least nine dead, police say"]
            assert receiver.attempts == 5
            assert [f.code for f in failures] == ["E600", "E600"]
            assert "after 2 attempts" in failures[0].message
    finally:
        receiver.shutdown()
        receiver.server_close()


def _round(outcome: PollOutcome):
    from storyline.watch import Round

    return Round(1, [outcome])


def test_stop_ends_the_round_between_documents(tmp_path, pipeline):
    """A feed of three pages: a stop requested while the first is stored leaves one page stored."""
    with open_store(str(tmp_path / "s.db")) as store:
        session = WatchSession(store, pipeline, Options(), cluster=False)
        outcome = session.poll(str(EXAMPLES / "feed.xml"), stopping=lambda: True)
        assert len(store.blogs()) == 1 and outcome.new_ids and not outcome.errors
        again = session.poll(str(EXAMPLES / "feed.xml"))
        assert len(store.blogs()) == 3 and again.not_modified == 1  # the stored page is skipped


def test_a_feed_answering_304_still_has_its_growing_page_polled(tmp_path, clock, pipeline):
    from storyline.acquire import MockFetcher, MockResponse

    page = LiveBlog("harbour-courier-2025-03-10.html", "https://harbourcourier.example/live/orna-flood",
                    render_jsonld_html, {"A": 4, "B": 7}, "etag")
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Courier</title>'
            '<item><title>Orna flood live</title><link>https://harbourcourier.example/live</link></item>'
            '</channel></rss>')
    fetcher = MockFetcher({
        "https://harbourcourier.example/feed.xml": MockResponse(feed, media_type="application/rss+xml", etag='"f1"'),
        "https://harbourcourier.example/live": [MockResponse(page.page("A"), etag='"A"')] * 2
                                               + [MockResponse(page.page("B"), etag='"B"')],
    })
    with open_store(str(tmp_path / "f.db")) as store:
        session = WatchSession(store, pipeline, Options(), fetcher=fetcher, cluster=False)
        feed_url = "https://harbourcourier.example/feed.xml"
        rounds = [session.poll(feed_url) for _ in range(3)]
    assert [len(r.new_ids) for r in rounds] == [4, 0, 3] and rounds[1].not_modified == 1
    assert fetcher.calls == [
        (feed_url, None, None), ("https://harbourcourier.example/live", None, None),
        (feed_url, '"f1"', None), ("https://harbourcourier.example/live", '"A"', None),
        (feed_url, '"f1"', None), ("https://harbourcourier.example/live", '"A"', None),
    ]


def test_watch_cli_one_round_against_the_live_blog(tmp_path, blogs, receiver):
    from storyline.cli import app

    rules = _rules(tmp_path, receiver.url())
    db = str(tmp_path / "cli.db")
    result = CliRunner().invoke(app, ["watch", blogs.url("/courier"), "--rounds", "1", "--db", db,
                                      "--rules", str(rules), "--allow-private", "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    round_ = next(line for line in lines if line["type"] == "round")
    assert round_["round"] == 1 and round_["totals"]["new"] == 4 and round_["sources"][0]["reached"]
    assert round_["alerts"]["fired"] >= 1 and round_["alerts"]["failed"] == 0
    assert {a["rule"] for a in json.loads("[" + ",".join(
        (tmp_path / "alerts.jsonl").read_text().splitlines()) + "]")} == {"evacuations"}

    refused = CliRunner().invoke(app, ["watch", blogs.url("/courier"), "--rounds", "1", "--db", db])
    assert refused.exit_code == 1 and "E103" in refused.output and "--allow-private" in refused.output


def _stop_a_watch_process(db: Path, blogs, stop_signal: int) -> str:
    """A real `storyline watch` process: once its first round is printed (4 new posts), it
    gets `stop_signal` during the wait; it must exit 0. Its stderr."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "storyline.cli", "watch", blogs.url("/courier"), "--every", "30",
               "--db", str(db), "--allow-private", "--json"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=Path(__file__).resolve().parents[1])  # rounds are flushed as they end
    try:
        first = json.loads(process.stdout.readline())  # blocks until round 1 is printed
        assert first["type"] == "round" and first["totals"]["new"] == 4
        process.send_signal(stop_signal)
        _out, errors = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, errors
    return errors


def test_ctrl_c_stops_the_watch_cleanly(tmp_path, blogs):
    """A real process: the first round is stored, Ctrl-C during the wait ends it with exit 0."""
    import signal

    db = tmp_path / "c.db"
    errors = _stop_a_watch_process(db, blogs, signal.SIGINT)
    assert "stopping after the document in progress" in errors
    with open_store(str(db)) as store:
        assert len(store.posts()) == 4


# -- the schedule ---------------------------------------------------------------------------


def test_backoff_doubles_per_failure_is_capped_and_resets_on_success():
    clock = Clock()
    polled: list[float] = []
    down_until = 60 * 40

    def poll(source, stopping):
        polled.append(clock.now)
        return PollOutcome(source, reached=clock.now >= down_until)

    watcher = Watcher(["u"], 60, poll, clock=clock, sleep=clock.sleep, jitter=0.0, backoff_cap=600)
    watcher.run(rounds=50)
    gaps = [round((b - a) / 60) for a, b in itertools.pairwise(polled)]
    assert gaps[:5] == [2, 4, 8, 10, 10]  # 2x, 4x, 8x the interval, then the 10-minute cap
    assert polled[-1] == 60 * 49 and gaps[-3:] == [1, 1, 1]  # back on every round after success


def test_jitter_keeps_rounds_within_ten_percent():
    clock = Clock()
    starts: list[float] = []
    watcher = Watcher(["u"], 60, lambda s, stop: starts.append(clock.now) or PollOutcome(s),
                      clock=clock, sleep=clock.sleep, rng=random.Random(7))
    watcher.run(rounds=200)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert 54 <= min(gaps) < 57 and 63 < max(gaps) <= 66
    assert watcher.run(until=clock.now - 1) == 0  # --until in the past: no round starts


def test_stop_from_a_poll_ends_the_round_and_the_run():
    calls: list[str] = []
    watcher = None

    def poll(source, stopping):
        calls.append(source)
        watcher.stop()
        assert stopping()
        return PollOutcome(source)

    ended = []
    watcher = Watcher(["a", "b", "c"], 60, poll, end_round=ended.append, sleep=lambda s: pytest.fail("slept"))
    assert watcher.run() == 1
    assert calls == ["a"] and ended[0].stopped and len(ended) == 1


def test_a_failing_poll_is_reported_not_raised():
    def poll(source, stopping):
        raise RuntimeError("bug")

    ended = []
    Watcher(["a"], 60, poll, end_round=ended.append).run(rounds=1)
    outcome = ended[0].outcomes[0]
    assert not outcome.reached and "RuntimeError" in outcome.errors[0].message


# -- rules, matching and sinks --------------------------------------------------------------


@pytest.mark.parametrize("rules, why", [
    ({"rules": [{"name": "x"}]}, "exactly one of"),
    ({"rules": [{"keyword": "a", "entity": "b"}]}, "exactly one of"),
    ({"rules": [{"event": "flood"}]}, "unknown event type"),
    ({"rules": [{"figure": "dead"}]}, "above = N or below = N"),
    ({"rules": [{"keyword": "dam", "above": 3}]}, "belong to figure rules"),
    ({"rules": [{"keyword": "dam", "to": ["pager"]}]}, "sinks defined"),
    ({"rules": [{"story_outlets": 1}]}, "2 or more"),
    ({"rules": [{"keyword": "a", "name": "n"}, {"keyword": "b", "name": "n"}]}, "unique"),
    ({"sinks": {"s": {"webhook": "ftp://x"}}}, "http(s) URL"),
    ({"sinks": {"s": {"file": "a", "webhook": "http://x"}}}, "exactly one of"),
    ({"rule": []}, "unknown tables"),
])
def test_bad_rules_are_config_errors(rules, why):
    with pytest.raises(ConfigError, match=why.replace("(", r"\(").replace(")", r"\)")):
        parse_rules(rules)


def test_rules_file_errors_name_the_file(tmp_path):
    path = tmp_path / "alerts.toml"
    path.write_text("[[rules]]\nkeyword = \n")
    with pytest.raises(ConfigError) as caught:
        load_rules(path)
    assert caught.value.code == "E010" and caught.value.where == str(path)


def test_example_rules_file_loads():
    config = load_rules(EXAMPLES / "alerts.toml")
    assert {r.kind for r in config.rules} == {"entity", "keyword", "event", "figure", "story_outlets"}
    assert config.sinks["log"].address == str(EXAMPLES / "alerts.jsonl")


def test_keywords_match_whole_words_in_any_case():
    pattern = keyword_pattern("Talvik  Dam")
    assert pattern.search("repairs at the TALVIK\ndam will last")
    assert not pattern.search("Talvik Dams") and not pattern.search("Talvik Damage")
    post = Post("p", "b", 0, "Dam damage", ["The damaged dam."])
    rule = parse_rules({"rules": [{"keyword": "dam"}]}).rules[0]
    assert match_post(rule, post, frozenset()) == "Dam"
    assert match_post(parse_rules({"rules": [{"keyword": "damag"}]}).rules[0], post, frozenset()) is None


def test_figures_cross_thresholds_by_what_they_count():
    above, below, percent = parse_rules({"rules": [
        {"name": "a", "figure": "people dead", "above": 15},
        {"name": "b", "figure": "troops", "below": 5000},
        {"name": "c", "figure": "homes", "above": 50, "unit": "percent"},
    ]}).rules
    assert figure_crosses(above, Quantity("19", 19, None, "people dead"))
    assert not figure_crosses(above, Quantity("14", 14, None, "people dead"))
    assert figure_crosses(above, Quantity("10-20", 10, None, "people dead", high=20))
    assert not figure_crosses(above, Quantity("19", 19, None, "injured"))
    assert figure_crosses(below, Quantity("fewer than 3,000", 3000, None, "Valmoran troop"))
    assert not figure_crosses(below, Quantity("12,000", 12000, None, "troops"))
    assert figure_crosses(percent, Quantity("60%", 60, "percent", "homes"))
    assert not figure_crosses(percent, Quantity("60", 60, None, "homes"))


def test_webhook_to_a_private_address_is_refused_without_allow_private():
    with pytest.raises(DeliveryError) as caught:
        WebhookSink("hook", "http://127.0.0.1:9/hook", Options())
    assert caught.value.code == "E600" and "--allow-private" in caught.value.message
    assert "post alerts to" in caught.value.message


def test_webhook_client_errors_are_not_retried():
    import httpx

    calls = []

    def answer(request):
        calls.append(request)
        return httpx.Response(404)

    sink = WebhookSink("hook", "http://hooks.example/x", Options(allow_private=True),
                       transport=httpx.MockTransport(answer), sleep=lambda s: pytest.fail("slept"))
    with pytest.raises(DeliveryError, match="refused the alert: HTTP 404"):
        sink.send({"rule": "r"})
    assert len(calls) == 1 and json.loads(calls[0].content) == {"rule": "r"}


def _rebinding_dns(monkeypatch, *answers: str) -> list[str]:
    """getaddrinfo answering `answers` in turn (the last repeats); returns the lookups."""
    import socket

    lookups: list[str] = []
    queue = list(answers)

    def getaddrinfo(host, port, *args, **kwargs):
        lookups.append(host)
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_webhook_posts_to_the_address_it_checked_with_the_name_kept(monkeypatch):
    import httpx

    lookups = _rebinding_dns(monkeypatch, "93.184.216.34")
    calls = []

    def answer(request):
        calls.append(request)
        return httpx.Response(204)

    sink = WebhookSink("hook", "https://hooks.test/x", Options(), transport=httpx.MockTransport(answer))
    sink.send({"rule": "r"})
    assert lookups == ["hooks.test", "hooks.test"]  # the startup check, then one per POST
    (sent,) = calls
    assert str(sent.url) == "https://93.184.216.34/x"
    assert sent.headers["Host"] == "hooks.test" and sent.extensions["sni_hostname"] == "hooks.test"
    assert json.loads(sent.content) == {"rule": "r"}


def test_webhook_whose_name_rebinds_to_loopback_is_refused_without_posting(monkeypatch):
    import httpx

    lookups = _rebinding_dns(monkeypatch, "93.184.216.34", "127.0.0.1")
    calls = []
    sink = WebhookSink("hook", "http://hooks.test/x", Options(retries=2),
                       transport=httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(204)),
                       sleep=lambda s: pytest.fail("slept"))
    with pytest.raises(DeliveryError, match=r"post alerts to hooks\.test \(resolves to 127\.0\.0\.1\)") as caught:
        sink.send({"rule": "r"})
    assert caught.value.code == "E600"
    assert lookups == ["hooks.test", "hooks.test"] and calls == []


def test_alert_tables_come_with_migration_five(tmp_path):
    assert (5, "fired_alerts and alert_deliveries for storyline watch") in [(v, n) for v, n, _ in MIGRATIONS]
    assert LATEST_VERSION >= 5
    with open_store(str(tmp_path / "m.db")) as store:
        import sqlalchemy as sa

        names = set(sa.inspect(store.engine).get_table_names())
    assert {"fired_alerts", "alert_deliveries"} <= names


def test_alert_log_fires_once_and_keeps_deliveries_on_both_backends(databases):
    """The fire-once memory and the pending deliveries, on SQLite and PostgreSQL."""
    from storyline.store.alerts import AlertLog

    now = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)
    with open_store(databases.new()) as store:
        log = AlertLog(store, clock=lambda: now)
        alert = ("rule-a:story-1", "rule-a", {"rule": "rule-a", "text": "<b>x</b> ünïcode"}, ("file", "hook"))
        assert log.record_new([alert, alert]) == ["rule-a:story-1"]
        assert log.record_new([alert]) == []  # a restart or a later round: not again
        pending = sorted(log.pending(), key=lambda d: d.sink)
        assert [(d.key, d.sink, d.attempts) for d in pending] == [("rule-a:story-1", "file", 0), ("rule-a:story-1", "hook", 0)]
        assert pending[0].payload == alert[2]
        log.delivered(pending[0])
        log.failed(pending[1], "HTTP 503")
        (left,) = log.pending()
        assert (left.sink, left.attempts) == ("hook", 1)
        log.abandon(left, "gave up")
        assert log.pending() == []


def test_an_alert_keeps_the_payload_of_its_first_match(databases):
    """Two posts of one story match in one round: the alert sinks get is the first report's
    (Alerter.check orders posts first report first), not the last one's."""
    from storyline.store.alerts import AlertLog

    now = datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc)
    with open_store(databases.new()) as store:
        log = AlertLog(store, clock=lambda: now)
        first = ("dead|story:s1", "dead", {"post": {"id": "first-report"}}, ("stdout",))
        echo = ("dead|story:s1", "dead", {"post": {"id": "echo"}}, ("stdout",))
        assert log.record_new([first, echo]) == ["dead|story:s1"]
        (pending,) = log.pending()
        assert pending.payload == {"post": {"id": "first-report"}}


def test_sigterm_stops_the_watch_as_ctrl_c_does(tmp_path, blogs):
    """systemd, Docker and kill send SIGTERM: the watch ends its round (stories, alerts)
    and exits 0 instead of dying between a save and the alerts on it."""
    import signal

    errors = _stop_a_watch_process(tmp_path / "t.db", blogs, signal.SIGTERM)
    assert "stopping after the document in progress" in errors


def test_an_alert_line_prints_no_terminal_escapes_from_page_text():
    """The stdout sink's line carries a headline and outlet from an untrusted page: its ESC,
    BEL and C1 characters must not reach the terminal (JSON output escapes them already)."""
    import io
    import re

    from storyline.watch.sinks import StdoutSink

    alert = {"rule": "dam\x1b[2J", "kind": "keyword", "matched": "dam\x07",
             "post": {"headline": "Dam \x1b]0;pwned\x07 breach \x9b31m", "outlet": "Esc\x1b[31m Daily",
                      "published": "2025-03-11T10:00:00+00:00"}}
    for as_json in (False, True):
        stream = io.StringIO()
        StdoutSink(as_json=as_json, stream=stream).send(alert)
        line = stream.getvalue()
        assert "breach" in line and "Daily" in line
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", line.rstrip("\n")), repr(line)


def test_posts_saved_before_a_kill_are_checked_after_the_restart(tmp_path, pipeline):
    """A watch killed between saving a page and checking its alerts: the restarted watch
    checks what was stored since its last check, so the alert is not lost; a database a
    rule set first watches now is not checked back through its archive."""
    config = parse_rules({"sinks": {"log": {"file": str(tmp_path / "alerts.jsonl")}},
                          "rules": [{"name": "dead", "figure": "dead", "above": 5, "to": ["log"]}]})
    sinks = build_sinks(config.sinks, Options(), sleep=lambda s: None)
    page = EXAMPLES / "harbour-courier-2025-03-10.html"
    with open_store(str(tmp_path / "k.db")) as store:
        archive = WatchSession(store, pipeline, Options(), cluster=False)  # stored before any rule watched
        archive.poll(str(EXAMPLES / "meridian-post-2025-03-10.html"))
        first = WatchSession(store, pipeline, Options(), cluster=False, alerter=Alerter(store, config, sinks))
        outcome = first.poll(str(page))
        assert outcome.new_ids  # saved; then killed before finish_round checked them
        restarted = WatchSession(store, pipeline, Options(), cluster=False, alerter=Alerter(store, config, sinks))
        again = restarted.finish_round(_round(restarted.poll(str(page))))  # nothing new on the page itself
        assert [a["post"]["headline"] for a in again.alerts.fired] == ["At least nine dead, police say"]
        later = restarted.finish_round(_round(restarted.poll(str(page))))
        assert later.alerts.fired == []  # checked once: the mark moved on
