"""The web UI in a real browser: Debian's chromium driven by Playwright, against uvicorn
serving the bundled examples (and, separately, hostile pages) on a loopback port.

Every page a test opens is watched: a console error, an uncaught exception, a CSP
violation or a JavaScript dialog fails the test. Screenshots of the timeline and a story
(wide and phone width) go to SCREENSHOTS for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storyline.serve import create_app
from storyline.settings import Options
from tests.conftest import EXAMPLES
from tests.test_web import SCRIPT, hostile_dom_page, hostile_jsonld_page, ingest

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path("/tmp")
PHONE = {"width": 375, "height": 812}
WIDE = {"width": 1280, "height": 900}

if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (pip install -e .[test])")
pytest.importorskip("onnxruntime", reason="story clustering needs onnxruntime (installed by make)")


def serve(database: Path) -> Iterator[str]:
    """uvicorn in a background thread on a free loopback port; yields the base URL."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Options(database_url=f"sqlite:///{database}"))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "examples.db"
    ingest(db, EXAMPLES)
    yield from serve(db)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-hostile")
    (folder / "evil-gazette.html").write_text(hostile_dom_page(), encoding="utf-8")
    (folder / "other-daily.html").write_text(hostile_jsonld_page(), encoding="utf-8")
    ingest(folder / "h.db", folder / "evil-gazette.html", folder / "other-daily.html")
    yield from serve(folder / "h.db")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page whose console errors, uncaught exceptions, CSP violations and dialogs are kept."""

    def __init__(self, browser: Any, viewport: dict[str, int], javascript: bool = True) -> None:
        self.context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"uncaught: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, url: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.ok, url
        self.page.wait_for_load_state("networkidle")
        return self.page

    def assert_clean(self) -> None:
        assert not self.dialogs, f"a page opened a dialog: {self.dialogs}"
        assert not self.problems, "\n".join(self.problems)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def wide(browser: Any) -> Iterator[Watched]:
    watched = Watched(browser, WIDE)
    yield watched
    try:
        watched.assert_clean()
    finally:
        watched.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Watched]:
    watched = Watched(browser, PHONE)
    yield watched
    try:
        watched.assert_clean()
    finally:
        watched.close()


def horizontal_overflow(page: Any) -> int:
    """Pixels the page is wider than the viewport (0 when nothing sticks out)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def test_open_the_timeline_and_click_into_a_story(site: str, wide: Watched) -> None:
    page = wide.open(site + "/")
    cards = page.locator("article.story-card")
    assert cards.count() > 20
    assert page.locator("section.day h2").first.inner_text().startswith("Mon 10 Mar 2025")
    page.screenshot(path=str(SCREENSHOTS / "storyline-timeline.png"))
    three = page.locator("article.story-card", has=page.locator("span.badge >> nth=2")).first
    title = three.locator("h3").inner_text()
    three.locator("h3 a").click()
    page.wait_for_url("**/stories/*")
    assert page.locator("h1").inner_text() == title
    versions = page.locator("div.versions > section.version")
    assert versions.count() == 3
    for i in range(3):
        column = versions.nth(i)
        assert column.locator("span.badge").inner_text()
        assert column.locator("article.post h4").first.inner_text()
        assert column.locator("article.post p").count() >= 2  # the time and at least one paragraph
    boxes = [versions.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["y"] == boxes[1]["y"] == boxes[2]["y"], "on a wide screen the versions stand side by side"
    page.screenshot(path=str(SCREENSHOTS / "storyline-story.png"), full_page=True)
    page.locator("p.back a").click()
    page.wait_for_url("**/?day=*")
    assert page.locator("article.story-card h3", has_text=title).count() == 1


def test_filters_update_the_timeline_in_place(site: str, wide: Watched) -> None:
    page = wide.open(site + "/")
    everything = page.locator("article.story-card").count()
    page.select_option("select#f-outlet", "Northgate Wire")
    page.wait_for_url(lambda url: url.endswith(("/?outlet=Northgate+Wire", "/?outlet=Northgate%20Wire")))
    page.wait_for_function(f"document.querySelectorAll('article.story-card').length < {everything}")
    cards = page.locator("article.story-card")
    assert cards.count() > 0
    for i in range(cards.count()):
        assert "Northgate Wire" in cards.nth(i).locator("span.badge").all_inner_texts()
    page.locator("nav.day-nav details summary").click()
    page.locator("nav.day-nav details a", has_text="Tue 11 Mar 2025").click()
    page.wait_for_url("**day=2025-03-11*")
    assert page.locator("section.day h2").all_inner_texts()[0].startswith("Tue 11 Mar 2025")
    assert "outlet=Northgate+Wire" in page.url or "outlet=Northgate%20Wire" in page.url


def test_search_shows_a_highlighted_result(site: str, wide: Watched) -> None:
    page = wide.open(site + "/search")
    page.fill("input#s-q", "dam release")
    page.press("input#s-q", "Enter")
    page.wait_for_url(lambda url: "/search?q=dam" in url and "release" in url)
    first = page.locator("li.hit").first
    first.wait_for()
    marks = page.locator("li.hit mark")
    assert marks.count() > 0
    assert any(word in marks.first.inner_text().lower() for word in ("dam", "releas"))
    background = marks.first.evaluate("m => getComputedStyle(m).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), "the match is highlighted"
    first.locator("h2 a").click()
    page.wait_for_url("**/stories/*")


CANVAS_INK = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) ink++; }
  return ink;
}"""


def test_charts_render_without_errors_or_csp_violations(site: str, wide: Watched) -> None:
    page = wide.open(site + "/charts?what=troops")
    page.wait_for_selector("canvas[data-drawn='true']")
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() == 3
    for i in range(3):
        canvas = canvases.nth(i)
        assert canvas.get_attribute("data-drawn") == "true"
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 100
        assert canvas.evaluate(CANVAS_INK) > 2000, f"{canvas.get_attribute('data-chart')} chart is blank"
    assert page.locator("details.chart-table[open]").count() == 0, "tables fold away once the charts are drawn"
    page.screenshot(path=str(SCREENSHOTS / "storyline-charts.png"), full_page=True)


def test_core_pages_read_without_javascript(site: str, browser: Any) -> None:
    watched = Watched(browser, WIDE, javascript=False)
    try:
        page = watched.open(site + "/")
        assert page.locator("article.story-card").count() > 20
        page = watched.open(site + "/charts")
        assert page.locator("details.chart-table[open] table").count() == 3
        watched.assert_clean()
    finally:
        watched.close()


def test_phone_width_has_no_horizontal_overflow(site: str, phone: Watched) -> None:
    page = phone.open(site + "/")
    assert horizontal_overflow(page) <= 0
    page.screenshot(path=str(SCREENSHOTS / "storyline-timeline-phone.png"))
    page.locator("article.story-card", has=page.locator("span.badge >> nth=2")).first.locator("h3 a").click()
    page.wait_for_url("**/stories/*")
    page.wait_for_load_state("networkidle")
    assert horizontal_overflow(page) <= 0
    versions = page.locator("div.versions > section.version")
    boxes = [versions.nth(i).bounding_box() for i in range(versions.count())]
    assert len({b["x"] for b in boxes}) == 1, "on a phone the versions are stacked"
    page.screenshot(path=str(SCREENSHOTS / "storyline-story-phone.png"), full_page=True)
    for path in ("/search?q=dam", "/charts", "/entities", "/calendar", "/brief"):
        assert horizontal_overflow(phone.open(site + path)) <= 0, path


def test_script_in_an_ingested_headline_shows_as_text(hostile_site: str, wide: Watched) -> None:
    page = wide.open(hostile_site + "/")
    headline = page.locator("article.story-card h3", has_text=SCRIPT).first
    assert SCRIPT in headline.inner_text()
    assert page.locator("span.badge", has_text=SCRIPT).count() > 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    headline.locator("a").click()
    page.wait_for_url("**/stories/*")
    page.wait_for_load_state("networkidle")
    assert SCRIPT in page.locator("h1").inner_text()
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    hrefs = page.evaluate("[...document.querySelectorAll('a[href]')].map(a => a.href)")
    assert all(h.startswith((hostile_site, "http://", "https://")) for h in hrefs), hrefs
    for path in ("/search?q=alert", "/entities", "/charts?what=troops", "/calendar", "/brief?day=2025-03-11"):
        wide.open(hostile_site + path)
        assert page.evaluate("document.querySelectorAll('img').length") == 0, path
    assert not wide.dialogs


def test_hostile_pages_do_not_overflow_a_phone(hostile_site: str, phone: Watched) -> None:
    page = phone.open(hostile_site + "/")
    assert horizontal_overflow(page) <= 0
    story = page.locator("article.story-card h3 a").first.get_attribute("href")
    assert horizontal_overflow(phone.open(hostile_site + story)) <= 0
