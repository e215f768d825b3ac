"""Score contradicting claims on the seed live blogs against the hand-made gold
(tests/gold/seeds_claims.json; tests/gold/README.md says how it was made).

    python -m bench.seeds_claims [--seeds ../shared/seeds] [-v]

Every seed is parsed and enriched with the default pipeline, and each parsed post is mapped
to its gold post (seed file + first line in tests/gold/seeds.json) as bench.seeds_stories
does. A method predicts PAIRS of posts that contradict each other; a pair is right when the
gold puts its posts on opposite sides of one conflict. Printed in one run:
  storyline   `storyline.assemble.claims.claim_conflicts` (the pairs across the sides of
              each conflict it reports);
  naive       two posts within the window whose headlines name a common entity, one of
              them with a negation word and the other without;
  events      two posts within the window with a coded event of the same actor and target,
              one denied and the other not (same action), or opposite actions (mobilize /
              retreat, agree / reject): what the stored events alone give.
Also printed: how many predicted pairs the gold lists as non-conflicts (two times, two
things, a month apart). `-v` lists each method's wrong and missed pairs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import timedelta
from itertools import combinations
from pathlib import Path
from typing import Callable, Hashable

from bench.seeds_stories import SEEDS, SPLIT_GOLD, PairScore, SeedPost, _seed_posts
from storyline.assemble.claims import claim_conflicts
from storyline.assemble.conflicts import _when

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "seeds_claims.json"

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|deny|denies|denied|refuses?|refused|rejects?|rejected|cannot)\b|n['’]t\b", re.I)
_OPPOSITE_ACTIONS = {frozenset({"mobilize", "retreat"}), frozenset({"agree", "reject"}), frozenset({"support", "accuse"})}

Pair = frozenset


def load_gold(path: Path = GOLD) -> tuple[set[Pair], set[Pair], timedelta]:
    """Gold contradicting pairs (posts on opposite sides of one conflict), listed
    non-conflicts, and the window the gold was read with."""
    data = json.loads(path.read_text(encoding="utf-8"))
    pairs: set[Pair] = set()
    for conflict in data["conflicts"]:
        sides = [[(seed, line) for seed, line, _claim_line in side["posts"]] for side in conflict["sides"]]
        for a, b in combinations(sides, 2):
            pairs.update(Pair({x, y}) for x in a for y in b if x != y)
    non = {Pair((seed, line) for seed, line in item["posts"]) for item in data["non_conflicts"]}
    return pairs, non, timedelta(days=data["window_days"])


def _key(item: SeedPost) -> Hashable:
    return item.gold_id if item.gold_id is not None else ("?", item.post.id)


def storyline_pairs(items: list[SeedPost], window: timedelta) -> set[Pair]:
    by_id = {item.post.id: item for item in items}
    pairs: set[Pair] = set()
    for conflict in claim_conflicts([(item.post, item.outlet) for item in items], window=window):
        for a, b in combinations(conflict.claims, 2):
            if a["side"] != b["side"] and a["post_id"] != b["post_id"]:
                pairs.add(Pair({_key(by_id[a["post_id"]]), _key(by_id[b["post_id"]])}))
    return pairs


def _lead(item: SeedPost) -> tuple[str, set[str]]:
    """A post's headline (else its first paragraph) and the entities named in it."""
    post = item.post
    text = post.headline or (post.body[0] if post.body else "")
    return text, {m.name or m.text for m in post.entities if m.end <= len(text)}


def _within(a: SeedPost, b: SeedPost, window: timedelta) -> bool:
    wa, wb = _when(a.post), _when(b.post)
    return wa is not None and wb is not None and abs(wa - wb) <= window


def naive_pairs(items: list[SeedPost], window: timedelta) -> set[Pair]:
    leads = [(item, *_lead(item)) for item in items if item.post.kind != "housekeeping"]
    pairs: set[Pair] = set()
    for (a, ta, ea), (b, tb, eb) in combinations(leads, 2):
        if ea & eb and bool(_NEGATION.search(ta)) != bool(_NEGATION.search(tb)) and _within(a, b, window):
            pairs.add(Pair({_key(a), _key(b)}))
    return pairs


def events_pairs(items: list[SeedPost], window: timedelta) -> set[Pair]:
    coded = [(item, e) for item in items if item.post.kind != "housekeeping" for e in item.post.events if e.actor]
    pairs: set[Pair] = set()
    for (a, x), (b, y) in combinations(coded, 2):
        if a.post.id == b.post.id or x.actor != y.actor or x.target != y.target or not _within(a, b, window):
            continue
        denied = x.action == y.action and (x.modality == "denied") != (y.modality == "denied")
        if denied or frozenset({x.action, y.action}) in _OPPOSITE_ACTIONS:
            pairs.add(Pair({_key(a), _key(b)}))
    return pairs


METHODS: dict[str, Callable[[list[SeedPost], timedelta], set[Pair]]] = {
    "storyline": storyline_pairs, "naive": naive_pairs, "events": events_pairs,
}


def score(predicted: set[Pair], gold: set[Pair]) -> PairScore:
    return PairScore(tp=len(predicted & gold), predicted=len(predicted), gold=len(gold))


def run(seeds: Path = SEEDS) -> dict[str, tuple[PairScore, int, set[Pair]]]:
    """Each method's score, how many non-conflicts it predicts, and its pairs."""
    gold, non, window = load_gold()
    items = list(_seed_posts(seeds, SPLIT_GOLD))
    out = {}
    for name, method in METHODS.items():
        pairs = method(items, window)
        out[name] = (score(pairs, gold), len(pairs & non), pairs)
    return out


def _describe(pair: Pair, lines: dict[str, list[str]]) -> str:
    parts = []
    for seed, line in sorted(pair, key=repr):
        text = lines[seed][line - 1] if seed in lines and isinstance(line, int) else str(line)
        parts.append(f"{seed[:3]}:{line} {text[:60]}")
    return "  |  ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"seeds not found at {args.seeds}", file=sys.stderr)
        return 2
    gold, _non, window = load_gold()
    results = run(args.seeds)
    print(f"contradicting claims on the seeds: {len(gold)} gold pairs, window {window.days} days")
    print(f"{'method':<10} {'pairs':>6} {'right':>6} {'P':>6} {'R':>6} {'F1':>6} {'non-conflicts':>14}")
    for name, (s, non_hits, _pairs) in results.items():
        print(f"{name:<10} {s.predicted:>6} {s.tp:>6} {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f} {non_hits:>14}")
    if args.verbose:
        lines = {p.name: p.read_text(encoding="utf-8").split("\n") for p in args.seeds.glob("*.txt")}
        for name, (_s, _n, pairs) in results.items():
            print(f"\n{name}: wrong")
            for pair in sorted(pairs - gold, key=repr)[:40]:
                print("  ", _describe(pair, lines))
            print(f"{name}: missed")
            for pair in sorted(gold - pairs, key=repr):
                print("  ", _describe(pair, lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
