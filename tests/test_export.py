"""Exports of the stories: every format parses back, carries the provenance, and text
from the (untrusted) pages cannot inject markup into the Markdown."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from storyline.assemble.export import to_markdown
from storyline.cli import app
from tests.conftest import ingested_examples

pytest.importorskip("onnxruntime", reason="story clustering needs onnxruntime (installed by make)")


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    return ingested_examples(tmp_path_factory, "export")


def _export(db: str, fmt: str) -> str:
    result = CliRunner().invoke(app, ["export", "--format", fmt, "--db", db])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_jsonl_has_stories_then_posts(db: str) -> None:
    rows = [json.loads(line) for line in _export(db, "jsonl").splitlines()]
    kinds = [r["type"] for r in rows]
    assert kinds == sorted(kinds, key=lambda k: k != "story") and "post" in kinds
    story_posts = {p["id"] for r in rows if r["type"] == "story" for p in r["posts"]}
    assert story_posts == {r["id"] for r in rows if r["type"] == "post"}


def test_csv_is_one_row_a_story(db: str) -> None:
    stories = json.loads(CliRunner().invoke(app, ["stories", "--db", db, "--json"]).stdout)
    table = list(csv.DictReader(io.StringIO(_export(db, "csv"))))
    assert len(table) == len(stories)
    assert {r["story_id"] for r in table} == {s["id"] for s in stories}
    assert all(int(r["post_count"]) == len(r["post_ids"].split(" | ")) for r in table)


def test_jsonld_is_a_live_blog_with_an_update_a_story(db: str, tmp_path) -> None:
    out = tmp_path / "timeline.jsonld"
    result = CliRunner().invoke(app, ["export", "--format", "jsonld", "--db", db, "--out", str(out)])
    assert result.exit_code == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["@type"] == "LiveBlogPosting"
    updates = document["liveBlogUpdate"]
    assert updates and all(u["@type"] == "BlogPosting" and u["headline"] and u["publisher"] for u in updates)


def test_markdown_groups_by_day_and_escapes_page_text(db: str) -> None:
    text = _export(db, "md")
    assert text.startswith("# Timeline") and "## 2025-03-10" in text and "## 2025-03-12" in text
    story = {"id": "s1", "title": "<script>alert(1)</script> *bold* [link](http://x)", "day": "2025-01-01",
             "happened": None, "first_report": {"outlet": "A|B", "post_id": "p", "published": None},
             "outlets": ["A|B"], "independent_count": 1, "related": [], "posts": [{"id": "p"}], "quotes": []}
    md = to_markdown([story])
    assert "<script>" not in md and "\\<script\\>" in md and "\\*bold\\*" in md and "\\[link\\]" in md


def test_unknown_format_is_one_clear_error(db: str) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "xml", "--db", db])
    assert result.exit_code == 2 and "E010" in result.output
