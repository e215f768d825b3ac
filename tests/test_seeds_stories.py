"""The stories gold on the seeds (tests/gold/seeds_stories.json), its pair scorer, and the
clustering measured against it (bench/seeds_stories.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench import seeds_stories as bench
from storyline.model import Post

GOLD = Path(__file__).parent / "gold" / "seeds_stories.json"
SPLIT = Path(__file__).parent / "gold" / "seeds.json"
needs_seeds = pytest.mark.skipif(not bench.SEEDS.is_dir(), reason=f"seeds not found at {bench.SEEDS} (../shared)")

# Floors for pair F1 of storyline.cluster.stories.cluster_posts on the seeds: measured minus
# about one pair (python -m bench.seeds_stories prints them); floors only rise.
OURS_F1_FLOOR = 0.80  # measured 0.828 (P 1.000, R 0.706: 12 of 17 pairs, none wrong)
# The held-out check by blog (bench.seeds_stories.TUNE_SEEDS / HELD_OUT_SEEDS, each clustered
# on its own): rules were judged on the tune blogs only.
TUNE_F1_FLOOR = 0.78  # measured 0.857 (9 of 12 pairs, none wrong); one pair fewer: 0.800
HELD_OUT_F1_FLOOR = 0.5  # measured 0.800 (2 of 3 pairs, none wrong); one pair fewer: 0.500
HELD_OUT_PRECISION_FLOOR = 0.6  # measured 1.000 over 143 posts; one wrong pair: 0.667
# TF-IDF single-link is a weak baseline (issue 4: about 0.4); above this the gold would be too
# lenient about "same development" or the scorer broken. Measured best: 0.32 at >= 0.40.
TFIDF_F1_CEILING = 0.7


# --- the gold ------------------------------------------------------------------------------

def test_gold_names_every_news_post_once_and_nothing_else():
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    news = {(seed, p["line"]) for seed, s in split.items() for p in s["posts"] if p["kind"] == "news"}
    every = {(seed, p["line"]) for seed, s in split.items() for p in s["posts"]}
    seen: list[tuple[str, int]] = []
    for story in data["stories"]:
        assert story["posts"], story
        assert 0 < len(story["what"].split()) <= 12, story["what"]
        seen += [(seed, line) for seed, line in story["posts"]]
    assert set(seen) <= every, sorted(set(seen) - every)
    assert len(seen) == len(set(seen)), "a post is in two stories"
    assert set(seen) == news, sorted(news ^ set(seen))


def test_gold_related_pairs_point_at_two_different_stories():
    data = json.loads(GOLD.read_text(encoding="utf-8"))
    n = len(data["stories"])
    for a, b in data["related"]:
        assert 0 <= a < b < n


def test_gold_has_cross_outlet_and_same_outlet_stories():
    stories = bench.load_gold()
    multi = [s for s in stories if len(s) > 1]
    assert len(multi) == 13 and len(bench.pairs_of(stories)) == 17
    assert any(len({seed for seed, _ in s}) > 1 for s in multi)
    assert any(len({seed for seed, _ in s}) == 1 for s in multi)


# --- the scorer ----------------------------------------------------------------------------

def test_pair_scores_on_hand_made_groups():
    gold = [["a", "b", "c"], ["d", "e"], ["f"]]  # pairs ab ac bc de
    pred = [["a", "b"], ["c", "d", "e"], ["f"]]  # pairs ab cd ce de: ab, de right
    s = bench.pair_scores(pred, gold)
    assert (s.tp, s.predicted, s.gold) == (2, 4, 4)
    assert s.precision == pytest.approx(0.5) and s.recall == pytest.approx(0.5) and s.f1 == pytest.approx(0.5)


def test_pair_scores_edges():
    gold = [["a", "b"], ["c"]]
    assert bench.pair_scores(gold, gold).f1 == 1.0
    nothing = bench.pair_scores([["a"], ["b"], ["c"]], gold)  # all singletons: no pair claimed
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 0.0, 0.0)
    everything = bench.pair_scores([["a", "b", "c"]], gold)
    assert everything.precision == pytest.approx(1 / 3) and everything.recall == 1.0
    # members outside the universe (unmapped or non-news posts) count for nothing
    assert bench.pair_scores([["a", "b", "x"]], gold, universe={"a", "b", "c"}).precision == 1.0
    assert bench.pair_scores([], []).f1 == 1.0


def test_single_link_chains_and_respects_threshold():
    sim = np.array([[1, 0.8, 0.1], [0.8, 1, 0.7], [0.1, 0.7, 1]])
    assert sorted(map(sorted, bench.single_link(sim, 0.75))) == [[0, 1], [2]]
    assert sorted(map(sorted, bench.single_link(sim, 0.7))) == [[0, 1, 2]]  # a-b-c chain
    assert bench.single_link(np.zeros((0, 0)), 0.5) == []


def _post(headline: str, body: list[str], position: int = 0) -> Post:
    return Post(id=f"p{position}", blog_id="b", position=position, headline=headline, body=body)


def test_map_posts_finds_posts_by_headline_or_paragraph():
    lines = [
        "Page title",
        "",
        "Ministers meet in a small town",
        "The ministers met on Monday to talk about grain.",
        "",
        "No headline here, the first paragraph opens this post and is long",
        "A second paragraph of the headless post.",
    ]
    gold = [{"line": 3, "kind": "news"}, {"line": 6, "kind": "news"}]
    posts = [
        _post("Ministers  meet in a small town", ["The ministers met on Monday to talk about grain."], 0),
        _post("", ["No headline here, the first paragraph opens this post and is long", "A second paragraph of the headless post."], 1),
        _post("A headline the page never had", ["Text that is nowhere on the page at all."], 2),
    ]
    mapped = bench.map_posts(posts, lines, gold)
    assert [m["line"] if m else None for m in mapped] == [3, 6, None]


def test_map_posts_uses_each_gold_post_once():
    lines = ["Same headline", "body one of the first post here", "Same headline", "body two of the second post"]
    gold = [{"line": 1, "kind": "news"}, {"line": 3, "kind": "news"}]
    posts = [_post("Same headline", ["body one of the first post here"], 0), _post("Same headline", ["body two of the second post"], 1)]
    assert [m["line"] for m in bench.map_posts(posts, lines, gold)] == [1, 3]


def test_map_posts_survives_empty_and_odd_input():
    assert bench.map_posts([], [], []) == []
    assert bench.map_posts([_post("", [])], ["", ""], [{"line": 1, "kind": "news"}]) == [None]


def test_main_without_seeds_says_so(tmp_path, capsys):
    assert bench.main(["--seeds", str(tmp_path / "absent")]) == 0
    assert "nothing to score" in capsys.readouterr().out


# --- on the seeds (../shared) --------------------------------------------------------------

@pytest.fixture(scope="module")
def items():
    return bench.seed_posts()


@needs_seeds
def test_every_gold_news_post_is_found_among_parsed_posts(items):
    found = bench.scored_ids(items)
    assert len(found) >= 235, f"only {len(found)} of 240 news posts mapped"
    ids = [i.gold_id for i in items if i.gold_id]
    assert len(ids) == len(set(ids))


@needs_seeds
def test_items_are_in_publication_order(items):
    days = [i.post.day for i in items if i.post.day]
    assert days == sorted(days)
    for seed in {i.seed for i in items if i.seed.startswith(("000", "003"))}:  # undated pages: oldest first
        positions = [i.post.position for i in items if i.seed == seed]
        assert positions == sorted(positions, reverse=True)


@needs_seeds
def test_tfidf_baseline_runs_and_stays_weak(items):
    gold = bench.load_gold()
    sim = bench.tfidf_similarity([bench.lead_text(i.post) for i in items])
    t, s, _ = bench.best(bench.sweep(sim, bench.TFIDF_THRESHOLDS, items, gold))
    assert s.gold == 17
    assert 0.0 < s.f1 < TFIDF_F1_CEILING, (t, s)


@needs_seeds
def test_cluster_posts_floor(items):
    cluster_posts = bench.ours()
    if cluster_posts is None:
        pytest.skip("storyline.cluster.stories.cluster_posts is not importable yet")
    s, groups = bench.run_ours(items, bench.load_gold(), cluster_posts)
    flat = [k for g in groups for k in g]
    assert len(flat) == len(set(flat)) and set(flat) <= set(range(len(items)))
    assert s.f1 >= OURS_F1_FLOOR, s


@needs_seeds
def test_held_out_blogs_floor(items):
    cluster_posts = bench.ours()
    if cluster_posts is None:
        pytest.skip("storyline.cluster.stories.cluster_posts is not importable yet")
    gold = bench.load_gold()
    tune, _ = bench.run_ours(bench.subset(items, bench.TUNE_SEEDS), gold, cluster_posts)
    held, _ = bench.run_ours(bench.subset(items, bench.HELD_OUT_SEEDS), gold, cluster_posts)
    assert (tune.gold, held.gold) == (12, 3)
    assert tune.f1 >= TUNE_F1_FLOOR, tune
    assert held.f1 >= HELD_OUT_F1_FLOOR and held.precision >= HELD_OUT_PRECISION_FLOOR, held
