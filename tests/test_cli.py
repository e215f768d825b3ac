"""The contract users see: `storyline parse --json`, `ingest` (idempotent, one line per
bad input, exit code), `posts` and `timeline`, run through the real CLI."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

from tests.conftest import EXAMPLES

runner = CliRunner()

POST_KEYS = {"id", "headline", "body", "published", "precision", "kind", "entities", "quotes",
             "quantities", "times", "events"}
BLOG_KEYS = {"title", "outlet", "url", "day", "key_points", "posts"}


def _run(*args: str, input: bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{") or line.startswith("[")]


def test_parse_json_contract_on_every_example_format():
    result = _run("parse", str(EXAMPLES), "--json")
    assert result.exit_code == 0, result.output
    pages = _json_lines(result.stdout)
    readers = {p["reader"] for p in pages}
    assert readers == {"jsonld", "html", "text"}
    assert len(pages) >= 7  # 3 + 3 pages + the text blog (+ feed entries)
    for page in pages:
        assert BLOG_KEYS <= set(page)
        assert page["day"] and page["outlet"] and page["title"]
        assert len(page["posts"]) >= 10
        for post in page["posts"]:
            assert POST_KEYS <= set(post)
            assert post["kind"] in {"news", "media", "housekeeping"}
            assert post["precision"] in {"minute", "day"}
            assert isinstance(post["body"], list)


def test_parse_keeps_zones_and_escaped_markup():
    result = _run("parse", str(EXAMPLES / "meridian-post-2025-03-11.html"), "--json")
    page = _json_lines(result.stdout)[0]
    assert page["posts"][0]["published"].endswith("-04:00")
    assert any("<script>" in p["headline"] for p in page["posts"])  # shown as text, never run


def test_parse_stdin():
    text = (EXAMPLES / "northgate-wire-live.txt").read_bytes()
    result = _run("parse", "-", "--json", input=text)
    assert result.exit_code == 0
    assert _json_lines(result.stdout)[0]["outlet"] == "Northgate Wire"


def test_ingest_is_idempotent_and_lists_posts(tmp_path):
    db = str(tmp_path / "s.db")
    first = _run("ingest", str(EXAMPLES), "--db", db, "--json")
    assert first.exit_code == 0, first.output
    totals = _json_lines(first.stdout)[0]["totals"]
    assert totals["new"] > 100 and totals["failed"] == 0
    second = _run("ingest", str(EXAMPLES), "--db", db, "--json")
    again = _json_lines(second.stdout)[0]["totals"]
    assert again["new"] == 0 and again["updated"] == 0 and again["unchanged"] == totals["new"] + totals["unchanged"]
    posts = _json_lines(_run("posts", "--db", db, "--json", "--outlet", "Northgate Wire").stdout)[0]
    assert posts and {p["outlet"] for p in posts} == {"Northgate Wire"}
    timeline = _json_lines(_run("timeline", "--db", db, "--json").stdout)[0]
    outlets = {p["outlet"] for day in timeline for story in day["stories"] for p in story["posts"]}
    assert outlets == {"Harbour Courier", "The Meridian Post", "Northgate Wire"}
    days = [day["day"] for day in timeline]
    assert days == sorted(days)
    human = _run("timeline", "--db", db)
    assert human.exit_code == 0 and "2025-03-12" in human.stdout


def test_edited_page_records_a_revision(tmp_path):
    db = str(tmp_path / "s.db")
    page = tmp_path / "live.txt"
    original = (EXAMPLES / "northgate-wire-live.txt").read_text(encoding="utf-8")
    page.write_text(original, encoding="utf-8")
    _run("ingest", str(page), "--db", db)
    marker = "Follow our live coverage throughout Wednesday for all the latest."
    assert marker in original
    page.write_text(original.replace(marker, marker + "\n\nThis post was corrected at noon."), encoding="utf-8")
    result = _run("ingest", str(page), "--db", db, "--json")
    totals = _json_lines(result.stdout)[0]["totals"]
    assert totals["updated"] == 1 and totals["new"] == 0


def _bad_inputs(tmp_path: Path) -> list[Path]:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    gz = tmp_path / "page.txt"
    gz.write_bytes(gzip.compress(b"hello"))
    article = tmp_path / "article.html"
    article.write_text("<html><head><title>One story</title></head><body><h1>One story</h1>"
                       "<p>Just one article, not a live blog.</p></body></html>")
    return [empty, binary, gz, article]


def test_bad_inputs_fail_one_line_each_and_the_batch_goes_on(tmp_path):
    db = str(tmp_path / "s.db")
    good = EXAMPLES / "northgate-wire-live.txt"
    _run("ingest", str(good), "--db", db)
    bad = _bad_inputs(tmp_path)
    missing = str(tmp_path / "nope.html")
    result = _run("ingest", *map(str, bad), missing, str(EXAMPLES / "harbour-courier-2025-03-10.html"), "--db", db, "--json")
    assert result.exit_code == 1
    report = _json_lines(result.stdout)[0]
    statuses = {Path(r["source"]).name: r for r in report["sources"]}
    codes = {name: r["error"]["code"] for name, r in statuses.items() if r["status"] == "failed"}
    assert codes == {"empty.txt": "E201", "photo.html": "E202", "page.txt": "E202", "article.html": "E203", "nope.html": "E101"}
    assert statuses["harbour-courier-2025-03-10.html"]["new"] > 10
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert len(error_lines) == 5 and all(" E" in line for line in error_lines)
    # Nothing stored before was lost.
    posts = _json_lines(_run("posts", "--db", db, "--json", "--outlet", "Northgate Wire").stdout)[0]
    assert len(posts) >= 30


def test_broken_json_ld_falls_back_to_the_dom(tmp_path):
    page = (EXAMPLES / "harbour-courier-2025-03-10.html").read_text(encoding="utf-8")
    start = page.index('<script type="application/ld+json">')
    broken = page[: start + 40] + "{{{ not json" + page[start + 40:]
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    result = _run("parse", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert "broken JSON-LD" in result.stderr
    parsed = _json_lines(result.stdout)[0]
    assert parsed["reader"] == "html" and len(parsed["posts"]) >= 10


def test_non_utf8_page(tmp_path):
    text = (EXAMPLES / "northgate-wire-live.txt").read_text(encoding="utf-8")
    text = text.replace("Follow our live coverage", "Café owners say — follow our live coverage", 1)
    path = tmp_path / "latin.txt"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    result = _run("parse", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert "not UTF-8" in result.stderr
    assert any("Café" in " ".join(p["body"]) for p in _json_lines(result.stdout)[0]["posts"])


def test_huge_page_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.html"
    with path.open("wb") as f:
        f.seek(50 * 1024 * 1024)
        f.write(b"\0")
    result = _run("parse", str(path), "--json")
    assert result.exit_code == 1
    assert "E104" in result.stderr


def test_bad_date_option():
    result = _run("parse", str(EXAMPLES / "northgate-wire-live.txt"), "--date", "March 3")
    assert result.exit_code == 2 and "E300" in result.output


def test_control_characters_from_a_page_never_reach_the_output(tmp_path):
    """ESC sequences (here: retitle the terminal), BEL and NUL, written raw, as JSON
    escapes and as HTML character references, are dropped by the readers; C1 characters
    (inside real pages' mojibake) are kept as text."""
    import re

    raw = "Talks\x1b]0;pwned\x07 resume\x00"
    posts = [
        {"@type": "BlogPosting", "headline": f"{raw} {i}", "datePublished": f"2025-03-10T0{i}:00:00+00:00",
         "articleBody": f"Body {i} with\u009b2J escapes and a tab\there."}
        for i in range(1, 4)
    ]
    page = ("<html><head><script type='application/ld+json'>"
            + json.dumps({"@type": "LiveBlogPosting", "headline": "Live", "liveBlogUpdate": posts})
            + "</script></head><body><h1>Live &#27;[2J</h1></body></html>")
    path = tmp_path / "controls.html"
    path.write_text(page, encoding="utf-8")
    result = _run("parse", str(path), "--json")
    assert result.exit_code == 0, result.output
    (parsed,) = _json_lines(result.output)
    texts = [parsed["title"]] + [p["headline"] for p in parsed["posts"]] + [x for p in parsed["posts"] for x in p["body"]]
    assert all(not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", t) for t in texts), texts
    assert "with\u009b2J escapes" in " ".join(texts)
    assert parsed["posts"][0]["headline"].startswith("Talks]0;pwned resume")
    assert "a tab here" in " ".join(texts)  # readers make whitespace plain
