"""The enrich stage as a whole: wired into the pipeline, bounded on bad input, and one
failing rule costs one field of one post, not the document (sentences written for these tests)."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from typer.testing import CliRunner

import storyline.enrich as enrich
from storyline.cli import app
from storyline.enrich import enrich_posts
from storyline.enrich.text import PostText, split_sentences
from storyline.model import Post
from storyline.pipeline import default_pipeline

WHEN = datetime(2022, 1, 28, 15, 30, tzinfo=timezone.utc)


def _post(body: list[str], headline: str = "Talks resume") -> Post:
    return Post(id="p", blog_id="b", position=0, headline=headline, body=body, published=WHEN, precision="minute",
                day=WHEN.date())


def test_every_field_is_filled_on_an_ordinary_post() -> None:
    post = _post([
        "Russian Foreign Minister Sergei Lavrov said on Friday that more than 100,000 troops would stay.",
        '"We will not withdraw," Lavrov told reporters in Moscow. The talks will resume next week.',
        "The US imposed sanctions on three Russian banks.",
    ])
    entities = enrich_posts([post])
    assert any(m.name == "Sergei Lavrov" for m in post.entities)
    assert post.quotes and post.quotes[0].speaker == "Sergei Lavrov" and post.quotes[0].cue
    assert any(q.value == 100_000 and "troops" in (q.what or "") for q in post.quantities)
    friday = next(t for t in post.times if t.text.lower().endswith("friday"))
    assert friday.start.date().isoformat() == "2022-01-28"  # a Friday post: "said on Friday" is that day
    assert any(e.action == "sanction" for e in post.events)
    assert any(e.name == "Sergei Lavrov" and e.type == "PERSON" for e in entities)
    for quote in post.quotes:  # offsets point into the post's text
        assert post.text[quote.start:quote.end] == quote.text


def test_event_actors_are_canonical() -> None:
    post = _post(["Russian troops began drills near the border on Thursday, and Ukraine condemned them."])
    enrich_posts([post])
    assert any(e.actor == "Russia" for e in post.events)


def test_bad_input_is_bounded_and_sensible() -> None:
    sentence = "Officials said 12 trucks left on Monday, and “the talks,” he said, “will go on. "
    huge = _post([sentence * 8_000])  # ~100,000 words, unbalanced quote marks
    others = [
        _post(["“" * 500, "”" * 500, "'" * 1000]),
        _post(['"One." "Two words here." "Three more words now." "And four words in this."'] * 50),
        _post(["Переговоры продолжатся в понедельник, заявил Песков.", "会谈将于下周继续。"]),
        _post(["Figures like 1e9 or 2012–13 or 1,2,3 are odd.", "?" * 20_000, "." * 20_000]),
        _post([], headline=""),
    ]
    start = time.perf_counter()
    warnings: list[str] = []
    enrich_posts([huge, *others], warnings)
    assert time.perf_counter() - start < 60
    assert any("characters" in w for w in warnings)  # the cut is reported
    assert huge.quantities and huge.times
    assert others[-1].quotes == [] and others[-1].entities == []


def test_one_failing_rule_costs_one_field(monkeypatch) -> None:
    def broken(text: PostText) -> list:
        raise ValueError("boom")

    monkeypatch.setattr(enrich, "_EXTRACTORS", (("quotes", broken),) + enrich._EXTRACTORS[1:])
    post = _post(['"We are ready to talk," the minister said on Monday about 5,000 helmets.'])
    warnings: list[str] = []
    enrich_posts([post], warnings)
    assert post.quotes == [] and post.quantities and post.times
    assert any("quotes failed" in w for w in warnings)


def test_sentences_split_at_ends_not_abbreviations() -> None:
    text = 'Mr. Biden met U.S. officials. "Yes," she said! Then Jan. 31 came. End'
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ['Mr. Biden met U.S. officials.', '"Yes," she said!', "Then Jan. 31 came.", "End"]
    start = time.perf_counter()
    split_sentences("?" * 200_000 + " x" + "." * 200_000)
    assert time.perf_counter() - start < 1


def test_pipeline_and_parse_json_carry_enrichment(tmp_path) -> None:
    from tests.conftest import EXAMPLES

    assert "enrich.v1" in default_pipeline(enrich=True).signature
    page = EXAMPLES / "northgate-wire-live.txt"
    result = CliRunner().invoke(app, ["parse", str(page), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout.splitlines()[0])
    posts = data["posts"]
    for field in ("entities", "quotes", "quantities", "times", "events"):
        assert any(p[field] for p in posts), field
    quote = next(q for p in posts for q in p["quotes"])
    assert {"text", "speaker", "speaker_as_written", "cue", "kind"} <= set(quote)
    when = next(t for p in posts for t in p["times"])
    assert {"text", "start", "end", "anchor"} <= set(when)
    assert data["entities"] and all({"id", "name", "type"} <= set(e) for e in data["entities"])
    plain = CliRunner().invoke(app, ["parse", str(page), "--json", "--no-enrich"])
    assert all(not p["quotes"] for p in json.loads(plain.stdout.splitlines()[0])["posts"])
