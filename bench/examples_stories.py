"""Score story clustering on the project's example corpus (examples/: a fictional three-day
flood covered by three outlets) against the gold made from examples/README.md
(tests/gold/examples_stories.json; tests/gold/README.md says how it was made).

    python -m bench.examples_stories [-v]

This is the out-of-sample check beside bench.seeds_stories: the seed gold has 17 pairs,
too few to tune on; this gold has 93 pairs of other outlets, other wording and a crisis
rather than a diplomatic row. Every example page is parsed and enriched with the default
pipeline; a parsed post is the gold post of the same outlet and headline. All parsed posts
go to each clusterer; pairs of gold posts are scored (housekeeping posts are not in the
gold and are ignored). Printed in one run, as in bench.seeds_stories:
  A  single-link on MiniLM cosine of headline + lead, thresholds 0.50 ... 0.95;
  B  the same on TF-IDF cosine (English stop words);
  ours  `storyline.cluster.stories.cluster_posts`.
`-v` lists the wrong and missed pairs of each method's best run (outlet and headline).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Sequence

from bench.seeds_stories import (PairScore, _row, lead_text, pairs_of, print_baselines, score_groups,
                                 scored_ids)
from storyline.model import Document, Post

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLD = ROOT / "tests" / "gold" / "examples_stories.json"
PAGE_SUFFIXES = (".html", ".txt")

PostKey = tuple[str, str]  # (outlet, headline)


@dataclass(frozen=True)
class ExamplePost:
    """A parsed, enriched example post; `gold_id` is its (outlet, headline) when the gold has
    it. The field names match bench.seeds_stories.SeedPost so its scorers apply."""

    page: str
    post: Post
    outlet: str
    gold_id: PostKey | None
    gold_kind: str | None  # "news" for posts in the gold, None for housekeeping


def load_gold(path: Path = GOLD) -> list[list[PostKey]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [[(outlet, headline) for outlet, headline in story["posts"]] for story in data["stories"]]


@lru_cache(maxsize=2)
def _example_posts(examples: Path, gold_path: Path) -> tuple[ExamplePost, ...]:
    from storyline.acquire.sources import guess_media_type
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    keys = {key for story in load_gold(gold_path) for key in story}
    items: list[ExamplePost] = []
    for path in sorted(examples.iterdir()):
        if path.suffix not in PAGE_SUFFIXES:
            continue
        content = path.read_bytes()
        doc = Document(source=str(path), content=content, media_type=guess_media_type(str(path), content))
        parsed = default_pipeline(enrich=True).run(doc, Options())
        outlet = (parsed.blog.outlet if parsed.blog else None) or path.stem
        for post in parsed.posts:
            key = (outlet, (post.headline or "").strip())
            known = key in keys
            items.append(ExamplePost(path.name, post, outlet, key if known else None, "news" if known else None))
    return tuple(items)


def example_posts(examples: Path = EXAMPLES, gold_path: Path = GOLD) -> list[ExamplePost]:
    """Every parsed, enriched post of the example pages, page by page (parsed once per process)."""
    return list(_example_posts(Path(examples).resolve(), Path(gold_path).resolve()))


def run_ours(items: Sequence[ExamplePost], gold: list[list[PostKey]],
             cluster_posts: Callable) -> tuple[PairScore, list[list[int]]]:
    groups = [list(g) for g in cluster_posts([(i.post, i.outlet) for i in items])]
    return score_groups(groups, items, gold), groups


def pair_errors(groups: Iterable[Iterable[int]], items: Sequence[ExamplePost], gold: list[list[PostKey]]) -> list[str]:
    keep = scored_ids(items)
    pred = pairs_of([[items[k].gold_id for k in g if items[k].gold_id] for g in groups], keep)
    true = pairs_of(gold, keep)

    def show(pair: frozenset) -> str:
        a, b = sorted(pair)
        return "  ".join(f"{p[0].replace('The ', '')[:2]}:{p[1][:55]!r}" for p in (a, b))

    return ([f"  wrong   {show(p)}" for p in sorted(pred - true, key=sorted)]
            + [f"  missed  {show(p)}" for p in sorted(true - pred, key=sorted)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=Path, default=EXAMPLES)
    ap.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed pairs")
    args = ap.parse_args(argv)
    gold = load_gold()
    items = example_posts(args.examples)
    keep = scored_ids(items)
    gold_posts = {k for s in gold for k in s}
    print(f"gold: {len(gold)} stories, {sum(len(s) > 1 for s in gold)} with >= 2 posts, {len(pairs_of(gold))} pairs; "
          f"gold posts parsed {len(keep)}/{len(gold_posts)}; parsed posts {len(items)} "
          f"({sum(i.gold_id is None for i in items)} not in the gold: housekeeping)")
    texts = [lead_text(i.post) for i in items]
    results = print_baselines(texts, items, gold)
    from storyline.cluster.stories import cluster_posts

    s, groups = run_ours(items, gold, cluster_posts)
    print(_row("ours cluster_posts", s))
    results.append(("ours", groups))
    if args.verbose:
        for label, groups in results:
            print(f"\n{label}: pair errors")
            print("\n".join(pair_errors(groups, items, gold)) or "  none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
