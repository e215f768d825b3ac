"""Score story clustering on the seed live blogs against the hand-made gold of which posts
report the same development (tests/gold/seeds_stories.json; tests/gold/README.md says how
it was made).

    python -m bench.seeds_stories [--seeds ../shared/seeds] [-v]

Every seed is parsed and enriched with the default pipeline; each parsed post is mapped to
its gold post (seed file + first line in tests/gold/seeds.json) by finding its headline or
first paragraphs on a seed line inside a gold post's line range. All mapped posts, in
publication order, go to each clusterer; scoring counts PAIRS of gold news posts: a pair is
predicted when both posts share a cluster, and right when the gold puts them in one story.
Printed in one run:
  A  single-link on MiniLM cosine of headline + lead, thresholds 0.50 ... 0.95;
  B  the same on TF-IDF cosine (English stop words);
  ours  `storyline.cluster.stories.cluster_posts`, when it exists.
`-v` lists the wrong and missed pairs of each method's best run (post ids and the first
words of their headlines, read from the seeds at run time).

Then the held-out check by blog: the posts of TUNE_SEEDS and of HELD_OUT_SEEDS are each
clustered on their own and scored on the gold pairs inside them, ours beside both baselines'
best thresholds (chosen on that subset, so the baselines' figures there are optimistic).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Callable, Hashable, Iterable, Sequence

import numpy as np

from bench.seeds_enrich import _clean, _fold, gold_post_ranges, line_index, post_parts
from storyline.model import Document, Post

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds_stories.json"
SPLIT_GOLD = ROOT / "tests" / "gold" / "seeds.json"
# 0.50 ... 0.95 step 0.05, as issue 4 asks for the MiniLM baseline; TF-IDF cosines run lower
# (unrelated posts share few content words), so its sweep starts at 0.10 to reach its peak.
MINILM_THRESHOLDS = tuple(round(0.50 + 0.05 * i, 2) for i in range(10))
TFIDF_THRESHOLDS = tuple(round(0.10 + 0.05 * i, 2) for i in range(18))
# A finer grid, printed beside the 0.05 steps: the peak falls between them.
FINE_THRESHOLDS = tuple(round(0.50 + 0.01 * i, 2) for i in range(46))
# Paragraphs shorter than this are not searched for inside longer lines (too many false hits).
MIN_CONTAINED = 20

# The held-out split by blog (seed file prefixes). The clusterer's rules are judged on the
# tune blogs; the held-out blogs are only scored. 000, 001 (Jan 26-27) and 004 (Jan 21) hold
# 12 of the 17 gold pairs, all the cross-outlet ones but two; 002 (Jan 28) and 003 (Feb 25)
# hold 3 pairs and 143 posts, so the held-out figure is mostly a precision check. The two
# gold pairs between 002 and 000/001 fall in neither subset (they count in the overall run).
TUNE_SEEDS = ("000", "001", "004")
HELD_OUT_SEEDS = ("002", "003")

PostId = tuple[str, int]  # (seed file, first line of the post in tests/gold/seeds.json)


@dataclass(frozen=True)
class SeedPost:
    """A parsed, enriched post of a seed with the gold post it maps to (None when unmapped)."""

    seed: str
    post: Post
    outlet: str
    gold_id: PostId | None
    gold_kind: str | None  # the gold's kind: only "news" posts are scored


@dataclass(frozen=True)
class PairScore:
    tp: int
    predicted: int  # predicted pairs
    gold: int  # gold pairs

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


# --- gold ----------------------------------------------------------------------------------

def load_gold(path: Path = GOLD) -> list[list[PostId]]:
    """The gold stories as lists of post ids (every news post of the seeds is in one)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [[(seed, int(line)) for seed, line in story["posts"]] for story in data["stories"]]


def load_split_gold(path: Path = SPLIT_GOLD) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def pairs_of(groups: Iterable[Iterable[Hashable]], keep: set | None = None) -> set[frozenset]:
    """Unordered pairs of members sharing a group; members outside `keep` are ignored."""
    out: set[frozenset] = set()
    for group in groups:
        members = sorted({m for m in group if keep is None or m in keep}, key=repr)
        out.update(frozenset(p) for p in combinations(members, 2))
    return out


def pair_scores(pred_groups: Iterable[Iterable[Hashable]], gold_groups: Iterable[Iterable[Hashable]],
                universe: set | None = None) -> PairScore:
    """Pair precision/recall/F1 of a clustering; with `universe`, only its members count."""
    pred, gold = pairs_of(pred_groups, universe), pairs_of(gold_groups, universe)
    return PairScore(tp=len(pred & gold), predicted=len(pred), gold=len(gold))


# --- mapping parsed posts to gold posts ---------------------------------------------------

def _lines_holding(text: str, lines: list[str], index: dict[str, list[int]]) -> list[int]:
    """Seed lines equal to the paragraph, else (for a long enough one) lines it starts or sits in."""
    key = _clean(text)
    if not key:
        return []
    exact = index.get(key)
    if exact:
        return exact
    folded = _fold(key)
    hits = [n for n, raw in enumerate(lines, 1) if raw.strip() and _fold(_clean(raw)) == folded]
    if hits or len(key) < MIN_CONTAINED:
        return hits
    for n, raw in enumerate(lines, 1):
        line = _fold(_clean(raw))
        if len(line) >= MIN_CONTAINED and (folded in line or line in folded):
            hits.append(n)
    return hits


def map_posts(posts: Sequence[Post], lines: list[str], gold_posts: list[dict]) -> list[dict | None]:
    """The gold post of each parsed post, or None. A post maps to the gold post whose line range
    holds its headline (or first paragraph); when that text is not found, its next paragraphs
    are tried. Each gold post is used once; page order breaks ties between equal texts."""
    index = line_index(lines)
    ranges = gold_post_ranges(gold_posts, len(lines))
    used: set[int] = set()
    out: list[dict | None] = []
    for post in posts:
        found = None
        for part in post_parts(post)[:3]:
            for number in _lines_holding(part, lines, index):
                hit = next((r for r in ranges if r[1] <= number <= r[2] and r[1] not in used), None)
                if hit is not None:
                    found = hit[0]
                    break
            if found is not None:
                break
        if found is not None:
            used.add(found["line"])
        out.append(found)
    return out


def _order_key(item: SeedPost, rank: float) -> tuple:
    """Publication order: day, then time of day (the page's time, else the post's place among
    that page's posts of the day, oldest first), then seed name."""
    post = item.post
    if post.published is not None and post.precision == "minute":
        local = post.published
        fraction = (local.hour * 60 + local.minute) / 1440
        day = local.date()
    else:
        fraction, day = rank, post.day
    return (day or datetime.min.replace(tzinfo=timezone.utc).date(), fraction, item.seed)


def publication_order(items: list[SeedPost]) -> list[SeedPost]:
    by_page_day: dict[tuple, list[SeedPost]] = {}
    for item in items:
        by_page_day.setdefault((item.seed, item.post.day), []).append(item)
    rank: dict[int, float] = {}
    for group in by_page_day.values():
        oldest_first = sorted(group, key=lambda i: -i.post.position)  # pages run newest first
        for k, item in enumerate(oldest_first):
            rank[id(item)] = k / len(group)
    return sorted(items, key=lambda i: _order_key(i, rank[id(i)]))


@lru_cache(maxsize=2)
def _seed_posts(seeds: Path, split_gold_path: Path) -> tuple[SeedPost, ...]:
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    split = load_split_gold(split_gold_path)
    items: list[SeedPost] = []
    for name, gold_seed in sorted(split.items()):
        path = seeds / name
        lines = path.read_text(encoding="utf-8").split("\n")
        doc = Document(source=str(path), content=path.read_bytes(), media_type="text/plain")
        parsed = default_pipeline(enrich=True).run(doc, Options())
        outlet = (parsed.blog.outlet if parsed.blog else None) or gold_seed.get("outlet") or name
        for post, gold in zip(parsed.posts, map_posts(parsed.posts, lines, gold_seed["posts"])):
            gid = (name, gold["line"]) if gold else None
            items.append(SeedPost(name, post, outlet, gid, gold["kind"] if gold else None))
    return tuple(publication_order(items))


def seed_posts(seeds: Path = SEEDS, split_gold_path: Path = SPLIT_GOLD) -> list[SeedPost]:
    """Every parsed, enriched post of the seeds, in publication order, with its gold id and outlet.
    Parsed once per process (the pipeline takes a few seconds)."""
    return list(_seed_posts(Path(seeds).resolve(), Path(split_gold_path).resolve()))


def scored_ids(items: Sequence[SeedPost]) -> set[PostId]:
    """The gold news posts that were found among the parsed posts: what the pairs range over."""
    return {i.gold_id for i in items if i.gold_id is not None and i.gold_kind == "news"}


def score_groups(groups: Iterable[Iterable[int]], items: Sequence[SeedPost], gold: list[list[PostId]]) -> PairScore:
    """Pair scores of groups of item indices (items not in any group are singletons)."""
    as_ids = [[items[k].gold_id for k in group if items[k].gold_id is not None] for group in groups]
    return pair_scores(as_ids, gold, scored_ids(items))


# --- baselines ----------------------------------------------------------------------------

def lead_text(post: Post) -> str:
    """Headline + lead paragraph (the first paragraph and the next when there is no headline)."""
    parts = [p for p in post_parts(post) if p and p.strip()]
    return " ".join(parts[:2])


def single_link(similarity: np.ndarray, threshold: float) -> list[list[int]]:
    """Connected components of the graph linking items with similarity >= threshold."""
    n = similarity.shape[0]
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rows, cols = np.nonzero(np.triu(similarity >= threshold - 1e-9, k=1))
    for a, b in zip(rows.tolist(), cols.tolist()):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra
    groups: dict[int, list[int]] = {}
    for k in range(n):
        groups.setdefault(find(k), []).append(k)
    return list(groups.values())


def tfidf_similarity(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(stop_words="english").fit_transform(texts)
    except ValueError:  # no words at all
        return np.zeros((len(texts), len(texts)))
    return (matrix @ matrix.T).toarray()


def minilm_similarity(texts: list[str]) -> np.ndarray:
    from storyline.cluster.embed import embed

    vectors = embed(texts)
    return vectors @ vectors.T


def sweep(similarity: np.ndarray, thresholds: Sequence[float], items: Sequence[SeedPost],
          gold: list[list[PostId]]) -> list[tuple[float, PairScore, list[list[int]]]]:
    return [(t, score_groups(g := single_link(similarity, t), items, gold), g) for t in thresholds]


def best(runs: list[tuple[float, PairScore, list[list[int]]]]) -> tuple[float, PairScore, list[list[int]]]:
    return max(runs, key=lambda r: (r[1].f1, -r[0]))


def ours() -> Callable | None:
    try:
        from storyline.cluster.stories import cluster_posts
    except ImportError:
        return None
    return cluster_posts


def run_ours(items: Sequence[SeedPost], gold: list[list[PostId]], cluster_posts: Callable) -> tuple[PairScore, list[list[int]]]:
    groups = [list(g) for g in cluster_posts([(i.post, i.outlet) for i in items])]
    return score_groups(groups, items, gold), groups


def subset(items: Sequence[SeedPost], seeds: Sequence[str]) -> list[SeedPost]:
    """The items of the seeds whose file names start with one of `seeds`, in the same order."""
    return [i for i in items if i.seed.startswith(tuple(seeds))]


def print_split(items: Sequence[SeedPost], gold: list[list[PostId]], cluster_posts: Callable | None,
                splits: Sequence[tuple[str, Sequence[str]]] = (("tune", TUNE_SEEDS), ("held-out", HELD_OUT_SEEDS))
                ) -> dict[str, PairScore]:
    """Ours and both baselines on each subset of blogs, each subset clustered on its own."""
    out: dict[str, PairScore] = {}
    print("\nheld-out check by blog (each subset clustered on its own)")
    for label, seeds in splits:
        part = subset(items, seeds)
        texts = [lead_text(i.post) for i in part]
        name = f"{label} ({', '.join(seeds)})"
        n_gold = len(pairs_of(gold, scored_ids(part)))
        print(f"{name}: {len(part)} posts, {n_gold} gold pairs")
        try:
            _, s, _ = best(sweep(minilm_similarity(texts), FINE_THRESHOLDS, part, gold))
            print(_row("  A MiniLM best", s))
        except Exception as exc:  # onnxruntime or the model package missing
            print(f"  A MiniLM: skipped ({type(exc).__name__})")
        _, s, _ = best(sweep(tfidf_similarity(texts), TFIDF_THRESHOLDS, part, gold))
        print(_row("  B TF-IDF best", s))
        if cluster_posts is not None:
            out[label], _ = run_ours(part, gold, cluster_posts)
            print(_row("  ours", out[label]))
    return out


# --- report -------------------------------------------------------------------------------

def _headline(pid: PostId, seeds: Path, cache: dict) -> str:
    if pid[0] not in cache:
        cache[pid[0]] = (seeds / pid[0]).read_text(encoding="utf-8").split("\n")
    words = _clean(cache[pid[0]][pid[1] - 1]).split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def pair_errors(groups: Iterable[Iterable[int]], items: Sequence[SeedPost], gold: list[list[PostId]],
                seeds: Path) -> list[str]:
    keep = scored_ids(items)
    pred = pairs_of([[items[k].gold_id for k in g if items[k].gold_id] for g in groups], keep)
    true = pairs_of(gold, keep)
    cache: dict = {}

    def show(pair: frozenset) -> str:
        a, b = sorted(pair)
        return "  ".join(f"{p[0][:3]}:{p[1]} {_headline(p, seeds, cache)!r}" for p in (a, b))

    return ([f"  wrong   {show(p)}" for p in sorted(pred - true, key=sorted)]
            + [f"  missed  {show(p)}" for p in sorted(true - pred, key=sorted)])


def _row(label: str, s: PairScore) -> str:
    return f"{label:30} P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}  ({s.tp} right of {s.predicted} predicted, {s.gold} gold)"


def print_baselines(texts: list[str], items: list, gold: list, verbose: bool = False,
                    notes: tuple[str, str] = ("", "")) -> list[tuple[str, list[list[int]]]]:
    """Print the MiniLM and TF-IDF single-link sweeps and their best thresholds; return
    each baseline's best groups (for the -v error listing)."""
    results: list[tuple[str, list[list[int]]]] = []
    try:
        minilm = minilm_similarity(texts)
    except Exception as exc:  # onnxruntime or the model package missing
        print(f"A MiniLM single-link: skipped ({type(exc).__name__}: {exc})")
    else:
        runs = sweep(minilm, MINILM_THRESHOLDS, items, gold)
        print(f"A MiniLM single-link (headline + lead){notes[0]}")
        for t, s, _ in runs:
            print(_row(f"  >= {t:.2f}", s))
        t, s, groups = best(runs)
        print(_row(f"  best (>= {t:.2f})", s))
        ft, fs, _ = best(sweep(minilm, FINE_THRESHOLDS, items, gold))
        print(_row(f"  best, 0.01 grid (>= {ft:.2f})", fs))
        results.append((f"A MiniLM >= {t:.2f}", groups))
    runs = sweep(tfidf_similarity(texts), TFIDF_THRESHOLDS, items, gold)
    t, s, groups = best(runs)
    print(f"B TF-IDF single-link (headline + lead, English stop words){notes[1]}")
    if verbose:
        for rt, rs, _ in runs:
            print(_row(f"  >= {rt:.2f}", rs))
    print(_row(f"  best (>= {t:.2f})", s))
    results.append((f"B TF-IDF >= {t:.2f}", groups))
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=SEEDS)
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed pairs")
    args = ap.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"seeds not found at {args.seeds}: nothing to score")
        return 0
    gold = load_gold()
    items = seed_posts(args.seeds)
    keep = scored_ids(items)
    news_total = sum(p["kind"] == "news" for s in load_split_gold().values() for p in s["posts"])
    multi = [s for s in gold if len(s) > 1]
    print(f"gold: {len(gold)} stories, {len(multi)} with >= 2 posts, {len(pairs_of(gold))} pairs; "
          f"news posts mapped {len(keep)}/{news_total}; parsed posts {len(items)} "
          f"({sum(i.gold_id is None for i in items)} unmapped)")
    if len(pairs_of(gold, keep)) != len(pairs_of(gold)):
        print(f"  pairs over mapped posts: {len(pairs_of(gold, keep))}")
    texts = [lead_text(i.post) for i in items]
    results = print_baselines(texts, items, gold, verbose=args.verbose,
                              notes=("; issue 4 says it peaks near F1 0.5", "; issue 4 says about 0.4"))

    cluster_posts = ours()
    if cluster_posts is None:
        print("ours: not available yet (storyline.cluster.stories.cluster_posts)")
    else:
        s, groups = run_ours(items, gold, cluster_posts)
        print(_row("ours cluster_posts", s))
        results.append(("ours", groups))
    print_split(items, gold, cluster_posts)

    if args.verbose:
        for label, groups in results:
            print(f"\n{label}: pair errors")
            print("\n".join(pair_errors(groups, items, gold, args.seeds)) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
