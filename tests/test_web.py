"""The web UI in-process (starlette's TestClient over the ASGI app) on the bundled examples:
every page answers with what a reader expects and the CSP header; filters, day navigation
and the htmx fragments work; unknown ids and bad input give HTML error pages; and text
from an ingested page that tries to run script is shown as text on every page."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from pathlib import Path
from urllib.parse import quote

import lxml.html
import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from storyline.cli import app as cli
from storyline.serve import create_app, views
from storyline.settings import Options
from storyline.web.templating import TEMPLATES, http_url
from tests.conftest import EXAMPLES

pytest.importorskip("onnxruntime", reason="story clustering needs onnxruntime (installed by make)")

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS = "javascript:alert(1)"


def ingest(db: Path, *sources: Path) -> None:
    result = CliRunner().invoke(cli, ["ingest", *map(str, sources), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = tmp_path_factory.mktemp("web") / "web.db"
    ingest(db, EXAMPLES)
    with TestClient(create_app(Options(database_url=f"sqlite:///{db}"))) as made:
        yield made


@pytest.fixture(scope="module")
def store(client: TestClient):
    return client.app.state.store


def page(client: TestClient, url: str, status: int = 200, **headers: str) -> lxml.html.HtmlElement:
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def texts(tree: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def pages(store) -> list[str]:
    """One URL of every kind of page the UI has."""
    story = views.stories(store, limit=1)[0]
    person = views.entities(store, "PERSON", limit=1)[0]
    return ["/", "/?day=2025-03-11", f"/stories/{story['id']}", f"/posts/{story['posts'][0]['id']}", "/entities",
            "/entities?type=PERSON", f"/entities/{quote(person['id'], safe=':')}", "/search", "/search?q=dam",
            "/charts", "/charts?what=troops", "/calendar", "/brief", "/brief?day=2025-03-10"]


def test_every_page_answers_with_the_csp(client: TestClient, store) -> None:
    for url in pages(store):
        response = client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe" not in csp
        tree = lxml.html.fromstring(response.text)
        assert tree.xpath("//meta[@name='viewport']"), url
        assert texts(tree, "//header//nav//a")[0] == "storyline"
        assert not tree.xpath("//*[@style]"), f"{url}: inline style attributes are blocked by the CSP"
        assert all(s.get("src", "").startswith("/static/") or s.get("type") == "application/json"
                   for s in tree.xpath("//script")), f"{url}: inline script"


def test_static_files_are_served(client: TestClient) -> None:
    for name in ("app.css", "app.js", "favicon.svg", "vendor/chart.umd.min.js", "vendor/htmx.min.js",
                 "vendor/chart.js.LICENSE.md", "vendor/htmx.LICENSE"):
        assert client.get(f"/static/{name}").status_code == 200, name


def test_timeline_shows_stories_by_day_with_provenance(client: TestClient, store) -> None:
    tree = page(client, "/")
    assert texts(tree, "//section[@class='day']/h2/a") == ["Mon 10 Mar 2025", "Tue 11 Mar 2025", "Wed 12 Mar 2025"]
    cards = tree.xpath("//article[@class='story-card']")
    stories = views.stories(store)
    assert len(cards) == len(stories)
    by_title = {s["title"]: s for s in stories}
    multi = next(s for s in stories if len(s["outlets"]) == 3 and s["quotes"])
    card = next(c for c in cards if " ".join(c.xpath("string(.//h3)").split()) == multi["title"])
    assert card.xpath(".//h3/a/@href") == [f"/stories/{multi['id']}"]
    assert sorted(texts(card, ".//span[contains(@class, 'badge')]")) == sorted(multi["outlets"])
    provenance = texts(card, ".//p[@class='provenance']")[0]
    assert f"First reported by {multi['first_report']['outlet']}" in provenance
    assert f"{multi['independent_count']} independent outlets" in provenance
    assert texts(card, ".//blockquote/footer")[0] == f"— {multi['quotes'][0]['speaker']}"
    assert all(t in by_title for t in texts(tree, "//article[@class='story-card']/h3"))
    with_figures = next(c for c in cards if c.xpath(".//p[@class='figures']"))
    assert with_figures.xpath(".//span[@class='figure']")


def test_timeline_filters(client: TestClient, store) -> None:
    only = page(client, "/?outlet=Northgate+Wire")
    cards = only.xpath("//article[@class='story-card']")
    assert cards and all("Northgate Wire" in texts(c, ".//span[contains(@class, 'badge')]") for c in cards)
    assert only.xpath("//select[@name='outlet']/option[@selected]/@value") == ["Northgate Wire"]

    named = texts(page(client, "/?entity=Lenz"), "//article[@class='story-card']/h3")
    assert named and len(named) < len(views.stories(store))
    assert named == [s["title"] for s in views.stories(store, entity="Lenz")]

    aid = texts(page(client, "/?action=aid"), "//article[@class='story-card']/h3")
    assert aid == [s["title"] for s in views.stories(store, action="aid")] and aid

    one_day = page(client, "/?since=2025-03-11&until=2025-03-11")
    assert texts(one_day, "//section[@class='day']/h2/a") == ["Tue 11 Mar 2025"]
    assert texts(page(client, "/?since=2025-03-12"), "//section[@class='day']/h2/a") == ["Wed 12 Mar 2025"]
    nothing = page(client, "/?outlet=Nobody")
    assert "No stories match these filters" in texts(nothing, "//p[@class='empty']")[0]


def test_day_navigation(client: TestClient) -> None:
    tree = page(client, "/?day=2025-03-11&outlet=Harbour+Courier")
    assert tree.xpath("//nav[@class='day-nav']/a[@rel='prev']/@href") == ["/?outlet=Harbour+Courier&day=2025-03-10"]
    assert tree.xpath("//nav[@class='day-nav']/a[@rel='next']/@href") == ["/?outlet=Harbour+Courier&day=2025-03-12"]
    assert texts(tree, "//nav[@class='day-nav']/span[@class='range']") == ["Tue 11 Mar 2025"]
    first = page(client, "/?day=2025-03-10")
    assert not first.xpath("//a[@rel='prev']") and first.xpath("//a[@rel='next']")
    assert len(first.xpath("//details[@class='all-days']//a")) == 3


def test_htmx_asks_for_the_results_only(client: TestClient) -> None:
    response = client.get("/?day=2025-03-12", headers={"HX-Request": "true"})
    assert response.status_code == 200 and "<html" not in response.text and "story-card" in response.text
    assert "HX-Request" in response.headers["vary"]
    whole = client.get("/?day=2025-03-12", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in whole.text


def test_bad_input_gives_an_html_error_page(client: TestClient) -> None:
    for url, status, words in [
        ("/?since=yesterday", 400, "'yesterday' is not a date"),
        ("/?since=2025-03-12&until=2025-03-10", 400, "is after until"),
        ("/?action=party", 400, "'party' is not an event type"),
        ("/entities?type=ALIEN", 400, "'ALIEN' is not one of"),
        ("/search?q=dam&kind=rumour", 400, "'rumour' is not one of"),
        ("/brief?day=2020-01-01", 404, "no posts on 2020-01-01"),
        ("/no/such/page", 404, "no such page"),
    ]:
        tree = page(client, url, status)
        line = texts(tree, "//p[@class='error-line']")[0]
        assert re.match(r"^E\d{3} ", line) and words in line, (url, line)
        assert tree.xpath("//a[@href='/']"), "the error page leads back"


def test_a_nul_character_is_a_bad_request_not_a_database_failure(client: TestClient) -> None:
    """PostgreSQL refuses strings with NUL (a driver error, shown as 503 'Unavailable'):
    a NUL in the address is the client's mistake, a 400 on either backend."""
    for url in ("/?outlet=a%00", "/?entity=%00", "/search?q=x&outlet=%00", "/charts?what=a%00",
                "/stories/%00", "/posts/a%00b", "/entities/%00"):
        tree = page(client, url, 400)
        assert texts(tree, "//h1") == ["Bad request"], url
        assert "NUL" in texts(tree, "//p[@class='error-line']")[0], url


def test_a_database_failure_is_a_503_page(client: TestClient, monkeypatch) -> None:
    from storyline.errors import StoreError

    def refuse(store):
        raise StoreError("database is locked <b>now</b>", where="sqlite:///web.db")

    monkeypatch.setattr(views, "days", refuse)
    tree = page(client, "/", 503)
    assert texts(tree, "//h1") == ["Unavailable"]
    line = texts(tree, "//p[@class='error-line']")[0]
    assert line.startswith(StoreError.code) and "database is locked <b>now</b>" in line and not tree.xpath("//b")


def test_unknown_story_is_a_404_page_with_the_id_escaped(client: TestClient) -> None:
    response = client.get("/stories/" + quote(SCRIPT, safe=""))
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert SCRIPT not in response.text and html.escape(SCRIPT) in response.text
    assert "content-security-policy" in response.headers
    assert page(client, "/stories/s0000000000000000", 404).xpath("//h1/text()") == ["Not found"]
    page(client, "/posts/nope", 404)
    page(client, "/entities/person:nobody", 404)


def test_story_page_shows_every_outlet_side_by_side(client: TestClient, store) -> None:
    story = next(s for s in views.stories(store) if len(s["outlets"]) == 3 and s["quotes"])
    full = views.story(store, story["id"])
    tree = page(client, f"/stories/{story['id']}")
    assert texts(tree, "//h1") == [story["title"]]
    columns = tree.xpath("//div[@class='versions']/section[@class='version']")
    assert next(c.get("aria-label") for c in columns) == story["first_report"]["outlet"]
    assert sorted(c.get("aria-label") for c in columns) == sorted(story["outlets"])
    for post in full["posts"]:
        column = next(c for c in columns if c.get("aria-label") == post["outlet"])
        assert texts(column, f".//article[@id='post-{post['id']}']/h4") == [post["headline"]]
        assert " ".join(post["body"][0].split()) in texts(column, f".//article[@id='post-{post['id']}']/p")
    quotes = texts(tree, "//section[@aria-labelledby='quotes-title']//blockquote/footer")
    assert any(full["quotes"][0]["speaker"] in q for q in quotes)
    back = tree.xpath("//p[@class='back']/a/@href")
    assert back == [f"/?day={story['day']}"]
    related = tree.xpath("//ul[@class='related']//a/@href")
    assert related == [f"/stories/{r['id']}" for r in full["related"]]
    for href in related[:2]:
        page(client, href)


def test_near_identical_copies_are_marked(client: TestClient, store) -> None:
    story = next((s for s in views.stories(store) if any(p["duplicate_of"] for p in s["posts"])), None)
    if story is None:
        pytest.skip("no near-identical copies in this corpus")
    copy = next(p for p in story["posts"] if p["duplicate_of"])
    tree = page(client, f"/stories/{story['id']}")
    note = tree.xpath(f"//article[@id='post-{copy['id']}']/p[@class='copy-note']")
    assert note and "Near-identical copy" in note[0].text_content()
    assert note[0].xpath(".//a/@href") == [f"#post-{copy['duplicate_of']}"]
    assert tree.xpath(f"//article[@id='post-{copy['duplicate_of']}']")


def test_conflicting_figures_show_on_their_story(client: TestClient, store) -> None:
    conflict = views.conflicts(store)["figures"][0]
    post_id = conflict["claims"][0]["post_id"]
    story_id = views.story_ids_of_posts(store, [post_id])[post_id]
    tree = page(client, f"/stories/{story_id}")
    shown = texts(tree, "//section[@aria-labelledby='conflicts-title']//li/strong")
    assert {c["text"] for c in conflict["claims"]} <= set(shown)


def test_contradicting_claims_show_on_their_story(client: TestClient, store, monkeypatch) -> None:
    story = next(s for s in views.stories(store) if len(s["posts"]) >= 2)
    first, second = story["posts"][:2]
    claim = {"id": "cl-test", "about": "Valmora: troops at the dam", "claims": [
        {"side": "troops arriving", "outlet": first["outlet"], "post_id": first["id"], "published": first["published"],
         "said_by": "Keravia", "sentence": f"Troops are arriving {SCRIPT}."},
        {"side": "troops leaving", "outlet": second["outlet"], "post_id": second["id"], "published": second["published"],
         "said_by": None, "sentence": "Troops are leaving."}]}
    monkeypatch.setattr(views, "_story_conflicts", lambda store, found, posts: [claim])  # the examples have none
    tree = page(client, f"/stories/{story['id']}")
    section = tree.xpath("//section[@aria-labelledby='conflicts-title']")[0]
    assert "Valmora: troops at the dam" in texts(section, ".//h3")
    assert {"troops arriving", "troops leaving"} <= set(texts(section, ".//li/strong"))
    assert any("(Keravia says)" in t for t in texts(section, ".//li"))
    assert any(SCRIPT in t for t in texts(section, ".//span[@class='sentence']"))


def test_post_page_links_to_its_story(client: TestClient, store) -> None:
    story = views.stories(store, limit=1)[0]
    tree = page(client, f"/posts/{story['posts'][0]['id']}")
    assert texts(tree, "//h1") == [story["posts"][0]["headline"]]
    assert tree.xpath("//p[@class='back']/a/@href") == [f"/stories/{story['id']}"]


def test_entities_and_a_persons_quotes_over_time(client: TestClient, store) -> None:
    tree = page(client, "/entities?type=PERSON")
    rows = tree.xpath("//table[@class='entities']/tbody/tr")
    assert rows and {r.xpath("string(td[2])") for r in rows} == {"PERSON"}
    assert len(page(client, "/entities").xpath("//table[@class='entities']/tbody/tr")) > len(rows)
    lenz = next(r for r in rows if r.xpath("string(td[1]/a)") == "Dario Lenz")
    person = page(client, lenz.xpath("td[1]/a/@href")[0])
    assert texts(person, "//h1") == ["Dario Lenz"]
    days = texts(person, "//section[@class='day']/h3")
    assert days == sorted(set(days), key=days.index) and days[0] == "Mon 10 Mar 2025"
    quotes = texts(person, "//blockquote/p")
    assert quotes and any("Forty minutes" in q for q in quotes)
    assert person.xpath("//a[@href='/?entity=Dario+Lenz']")


def test_search_highlights_the_match(client: TestClient, store) -> None:
    if not hasattr(store, "search"):
        pytest.skip("Store.search has not landed")
    tree = page(client, "/search?q=dam+release&match=words")
    hits = tree.xpath("//li[@class='hit']")
    assert hits
    marked = [m.text_content().lower() for m in tree.xpath("//li[@class='hit']//mark")]
    assert marked and all("dam" in m or "releas" in m for m in marked)
    assert all(h.xpath(".//h2/a/@href")[0].startswith(("/stories/", "/posts/")) for h in hits)
    only = page(client, "/search?q=dam&outlet=Harbour+Courier")
    assert {t for t in texts(only, "//li[@class='hit']//span[contains(@class, 'badge')]")} == {"Harbour Courier"}
    fragment = client.get("/search?q=dam", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "hit" in fragment.text


def test_charts_carry_their_data_as_json_and_as_tables(client: TestClient, store) -> None:
    tree = page(client, "/charts?what=troops")
    posts = json.loads(tree.xpath("//script[@id='posts-data']")[0].text)
    assert posts["days"] == ["2025-03-10", "2025-03-11", "2025-03-12"]
    assert [s["values"] for s in posts["series"]] == [s["values"] for s in views.chart_posts_per_outlet(store)["series"]]
    score = json.loads(tree.xpath("//script[@id='score-data']")[0].text)
    assert score == views.chart_event_score(store)
    figure = json.loads(tree.xpath("//script[@id='figure-data']")[0].text)
    assert figure["what"] == "troops" and figure["series"]
    assert {c.get("data-chart") for c in tree.xpath("//canvas")} == {"posts-per-outlet", "event-score", "figure"}
    tables = tree.xpath("//details[@class='chart-table']//table")
    assert len(tables) == 3
    assert len(tables[0].xpath("tbody/tr")) == 3
    figure_rows = texts(tables[2], "tbody/tr/td[4]")
    assert any("12,000 troops" in t for t in figure_rows)
    assert tree.xpath("//script[@src='/static/vendor/chart.umd.min.js']")
    default = page(client, "/charts")
    assert default.xpath("//input[@name='what']/@value") == [views.figure_choices(store)[0]]


def test_calendar_and_its_ics_file(client: TestClient, store) -> None:
    tree = page(client, "/calendar")
    events = views.calendar(store)
    assert len(tree.xpath("//li[@class='event']")) == len(events) > 0
    assert texts(tree, "//li[@class='event']/h3")[0] == events[0]["title"]
    assert tree.xpath("//a[@href='/calendar.ics']")
    ics = client.get("/calendar.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.startswith("BEGIN:VCALENDAR") and "attachment" in ics.headers["content-disposition"]


def test_key_points_of_a_day_link_to_stories(client: TestClient, store) -> None:
    tree = page(client, "/brief")
    assert texts(tree, "//h1") == ["Key points of Wed 12 Mar 2025"]
    tree = page(client, "/brief?day=2025-03-11")
    brief = views.brief(store, date(2025, 3, 11))
    assert texts(tree, "//ol[@class='key-points']/li/p[@class='point']") == [k["text"] for k in brief["key_points"]]
    for href in tree.xpath("//ol[@class='key-points']//a/@href")[:3]:
        assert href.startswith("/stories/")
        page(client, href)
    assert tree.xpath("//a[@rel='prev']/@href") == ["/brief?day=2025-03-10"]


def test_templates_never_mark_data_safe() -> None:
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert "|safe" not in source.replace(" ", "") and "Markup(" not in source, template.name
        assert "autoescape false" not in source, template.name


@pytest.mark.parametrize("url, safe", [
    ("https://example.com/a?b=1#c", True), ("http://example.com", True),
    (JS, False), ("JaVaScRiPt:alert(1)", False), (" javascript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("data:text/html,<script>alert(1)</script>", False), ("vbscript:msgbox(1)", False), ("//evil.example/x", False),
    ("/relative", False), ("https:no-host", False), (None, False), ("", False),
])
def test_only_http_urls_become_links(url, safe) -> None:
    assert (http_url(url) is not None) == safe


# -- a page that tries to run script --------------------------------------------------------


def hostile_dom_page() -> str:
    """A live blog in the DOM form whose outlet, title, URL, headlines, bodies, quotes and
    links carry script."""
    e = html.escape

    def post(n: int, time: str, headline: str, paragraphs: list[str]) -> str:
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (f'<article class="live-post" id="post-{n}"><header class="post-header">'
                f'<time datetime="2025-03-11T{time}:00+00:00">{time}</time><h2>{headline}</h2></header>'
                f'<div class="post-body">{body}</div></article>')

    posts = [
        post(3, "15:00", e(f"Dam breach {SCRIPT} feared in Sennport"),
             [e(f"Officials said {SCRIPT} 12,000 people were evacuated {IMG} from Sennport on Tuesday."),
              e(f'"We will not back down {SCRIPT}," Dario Lenz said.'),
              f'Read more <a href="{JS}">here {e(IMG)}</a> and <a href="JaVaScRiPt:alert(2)">there</a>.']),
        post(2, "12:00", e(f"Talks collapse {IMG}"),
             [e(f"Keravia said 15,000 troops {IMG} had massed at the border, Lenz said."),
              e(f'"This is {IMG} unacceptable," said Dario Lenz, the Keravian Foreign Minister.')]),
        post(1, "09:00", e("Flood warning for Sennport on Friday"),
             [e(f"The summit {SCRIPT} will meet on Friday, officials said. 9,000 people evacuated overnight.")]),
    ]
    outlet = f"Evil {SCRIPT} Gazette {IMG}"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{e(SCRIPT)} live - {e(outlet)}</title>'
            f'<meta property="og:site_name" content="{e(outlet)}">'
            f'<meta property="og:title" content="Flood live {e(SCRIPT)} {e(IMG)}">'
            f'<meta property="og:url" content="{JS}"><link rel="canonical" href="{JS}">'
            '<meta property="article:published_time" content="2025-03-11T08:00:00+00:00"></head>'
            f'<body class="template-liveblog"><main><h1 class="headline">Flood live {e(SCRIPT)} {e(IMG)}</h1>'
            f'<div class="live-feed" id="live-feed">{"".join(posts)}</div></main></body></html>')


def hostile_jsonld_page() -> str:
    """A JSON-LD live blog whose publisher, headlines and update URLs carry script."""
    updates = [
        {"@type": "BlogPosting", "url": JS, "headline": f"Dam breach {SCRIPT} feared in Sennport",
         "datePublished": "2025-03-11T15:10:00+00:00",
         "articleBody": f"Officials said {SCRIPT} 12,000 people were evacuated {IMG} from Sennport.\n\n"
                        f"\"We will not back down {SCRIPT},\" Dario Lenz said."},
        {"@type": "BlogPosting", "url": "data:text/html,<script>alert(1)</script>", "headline": f"Talks collapse {IMG}",
         "datePublished": "2025-03-11T12:10:00+00:00", "articleBody": f"Keravia said 15,000 troops {IMG} had massed at the border."},
    ]
    data = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "url": "javascript:alert(2)", "headline": f"Live {SCRIPT}",
            "datePublished": "2025-03-11T08:00:00+00:00",
            "publisher": {"@type": "Organization", "name": f"Other {IMG} Daily {SCRIPT}"}, "liveBlogUpdate": updates}
    block = json.dumps(data).replace("</", "<\\/")  # as publishers write </script> inside JSON-LD
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>Live</title>'
            f'<script type="application/ld+json">{block}</script></head><body><p>live</p></body></html>')


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> TestClient:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "evil-gazette.html").write_text(hostile_dom_page(), encoding="utf-8")
    (folder / "other-daily.html").write_text(hostile_jsonld_page(), encoding="utf-8")
    ingest(folder / "h.db", folder / "evil-gazette.html", folder / "other-daily.html")
    with TestClient(create_app(Options(database_url=f"sqlite:///{folder / 'h.db'}"))) as made:
        yield made


def hostile_pages(store) -> list[str]:
    stories = views.stories(store)
    urls = ["/", "/?day=2025-03-11", "/entities", "/charts?what=people", "/charts?what=troops", "/calendar",
            "/brief?day=2025-03-11", "/search?q=alert", "/search?q=script+alert&match=words",
            f"/?outlet={quote('Evil ' + SCRIPT)}", f"/?entity={quote(SCRIPT)}", "/search?q=" + quote(SCRIPT)]
    urls += [f"/stories/{s['id']}" for s in stories]
    urls += [f"/posts/{p['id']}" for p in views.posts(store)]
    urls += [f"/entities/{quote(e['id'], safe=':')}" for e in views.entities(store)]
    return urls


def assert_inert(url: str, text: str) -> None:
    tree = lxml.html.fromstring(text)
    for script in tree.xpath("//script"):
        assert script.get("src", "").startswith("/static/") or script.get("type") == "application/json", url
        assert "alert" not in (script.text or "") or script.get("type") == "application/json", url
    assert not tree.xpath("//img"), f"{url}: an <img> from page data became an element"
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{url}: event handler attribute {name}"
            if name in ("href", "src", "action"):
                flat = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not flat.startswith(("javascript:", "data:", "vbscript:")), f"{url}: {name}={value}"
    assert SCRIPT not in text and "<img src=x" not in text, url


def test_hostile_page_text_is_shown_as_text_everywhere(hostile: TestClient) -> None:
    store = hostile.app.state.store
    outlets = views.outlet_names(store)
    assert any(SCRIPT in o for o in outlets) and any(IMG in o for o in outlets), outlets
    urls = hostile_pages(store)
    assert len(urls) > 15
    for url in urls:
        response = hostile.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        assert_inert(url, response.text)
    timeline = lxml.html.fromstring(hostile.get("/").text)
    headlines = texts(timeline, "//article[@class='story-card']/h3")
    assert any(SCRIPT in h for h in headlines) and any(IMG in h for h in headlines)
    assert any(SCRIPT in b for b in texts(timeline, "//span[contains(@class, 'badge')]"))
    assert html.escape(SCRIPT, quote=False) in hostile.get("/").text


def test_hostile_quotes_links_and_urls_stay_inert(hostile: TestClient) -> None:
    store = hostile.app.state.store
    post = next(p for p in views.posts(store) if p["links"])
    tree = lxml.html.fromstring(hostile.get(f"/posts/{post['id']}").text)
    shown = texts(tree, "//article//li")
    assert any("link not shown" in t for t in shown), "a javascript: link is listed as text, not as a link"
    assert any(SCRIPT in q for q in texts(tree, "//blockquote/p"))
    story = next(s for s in views.stories(store) if any(SCRIPT in p["headline"] for p in s["posts"]))
    full = views.story(store, story["id"])
    assert any((p["url"] or "").startswith(("javascript:", "data:")) for p in full["posts"]), "the test needs a hostile URL"
    tree = lxml.html.fromstring(hostile.get(f"/stories/{story['id']}").text)
    assert not tree.xpath("//a[@class='original']"), "a javascript: post URL never becomes an 'original' link"
    assert any(SCRIPT in h for h in texts(tree, "//article[@class='post']/h4"))


def test_hostile_ids_in_the_address_are_escaped(hostile: TestClient) -> None:
    for url in ("/stories/" + quote(IMG, safe=""), "/entities/" + quote(SCRIPT, safe=""), "/brief?day=" + quote(SCRIPT),
                "/?since=" + quote(IMG), "/search?q=x&offset=" + quote(SCRIPT)):
        response = hostile.get(url)
        assert response.status_code in (400, 404), url
        assert_inert(url, response.text)


def test_every_template_and_static_file_is_package_data() -> None:
    """A normal install (not only `pip install -e .`) ships the pages' files."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[1]
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["storyline"]
    web = root / "storyline" / "web"
    files = [p for folder in ("templates", "static") for p in (web / folder).rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        relative = path.relative_to(root / "storyline").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) and relative.count("/") == pattern.count("/")
                   for pattern in patterns), f"{relative} is not in [tool.setuptools.package-data]"


def test_claim_phrases_are_learned_ahead_and_a_stop_is_honoured(store) -> None:
    import threading

    views._CLAIM_PHRASES.clear()
    tested = views.learn_claim_phrases(store, threading.Event(), days_at_once=1)
    texts = store.post_texts()
    assert tested == len(texts) > 0
    assert all((pid, hash(text)) in views._CLAIM_PHRASES for pid, text in texts)
    stopped = threading.Event()
    stopped.set()
    assert views.learn_claim_phrases(store, stopped) == 0
