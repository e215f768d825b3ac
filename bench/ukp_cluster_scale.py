"""Story clustering at scale: the whole UKP live-blog test corpus (~33k posts) from scratch,
then posts added one at a time to the full index.

    python -m bench.ukp_cluster_scale [--limit N] [--enrich] [--vectors FILE.npy] [--added 200]

Posts are made straight from the corpus (bench.ukp_throughput.load_corpus: headline,
sentences as paragraphs, the post's time), not parsed: this measures the cluster stage.
By default posts are NOT enriched: the index then works from sentence vectors, wording
(copies) and publication time only; `--enrich` runs the enrich stage on every blog first
(about a minute per 5k posts on two cores; UKP text is lower-cased, so names are found far
less often than on real pages). Steps, each timed on its own:

1. embeddings of every post's headline and lead (all-MiniLM-L6-v2, int8 ONNX, 2 threads);
   `--vectors FILE.npy` caches them (computed and saved when absent);
2. clustering from scratch: every post but the held-out ones, in publication order
   (`cluster_posts`); goal <= 120 s;
3. the held-out posts (`--added`, drawn at random with a fixed seed) added one at a time
   to the full index, vectors given: p50/p95 ms per post; goal p95 <= 50 ms. The time to
   embed one post alone is printed beside it (a live feed pays both);
4. peak RSS of the process, story count, size distribution, copies found, related links.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from bench.ukp_throughput import CORPUS, load_corpus
from storyline.model import Post, content_hash

SCRATCH_GOAL_S = 120.0
ADD_P95_GOAL_MS = 50.0
SEED = 4


def corpus_posts(limit: int | None) -> list[tuple[Post, str]]:
    corpus = load_corpus(CORPUS, limit)
    items: list[tuple[Post, str]] = []
    for b, spec in enumerate(corpus.specs):
        blog_id = "b" + content_hash(spec.url or f"ukp-{b}")[:16]
        for k, p in enumerate(spec.posts):
            post = Post(id=f"p{content_hash(f'{blog_id}/{k}')[:16]}", blog_id=blog_id, position=k,
                        headline=p.headline, body=list(p.paragraphs), published=p.published,
                        precision="minute", day=p.published.date())
            items.append((post, spec.outlet))
    return items


def enrich_all(items: list[tuple[Post, str]]) -> None:
    from storyline.enrich import enrich_posts

    by_blog: dict[str, list[Post]] = {}
    for post, _ in items:
        by_blog.setdefault(post.blog_id, []).append(post)
    for posts in by_blog.values():
        enrich_posts(posts)


def vectors_for(items: list[tuple[Post, str]], cache: Path | None) -> tuple[np.ndarray, float, bool]:
    from storyline.cluster.embed import embed
    from storyline.cluster.features import embedding_text

    if cache is not None and cache.exists():
        vectors = np.load(cache)
        if len(vectors) == len(items):
            return vectors, 0.0, True
    start = time.perf_counter()
    vectors = embed([embedding_text(p) for p, _ in items], threads=2)
    took = time.perf_counter() - start
    if cache is not None:
        np.save(cache, vectors)
    return vectors, took, False


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def size_histogram(sizes: list[int]) -> str:
    bins = [(1, 1), (2, 2), (3, 5), (6, 10), (11, 50), (51, 10**9)]
    parts = []
    for lo, hi in bins:
        n = sum(1 for s in sizes if lo <= s <= hi)
        label = str(lo) if lo == hi else (f"{lo}+" if hi == 10**9 else f"{lo}-{hi}")
        parts.append(f"{label}: {n}")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N blogs (both collections alternate)")
    parser.add_argument("--enrich", action="store_true", help="run the enrich stage on every post first")
    parser.add_argument("--vectors", type=Path, default=None, help="cache of the post vectors (.npy)")
    parser.add_argument("--added", type=int, default=200, help="posts added one at a time at the end")
    args = parser.parse_args(argv)

    from storyline.cluster.embed import embed
    from storyline.cluster.features import embedding_text
    from storyline.cluster.stories import StoryIndex, cluster_posts

    t = time.perf_counter()
    items = corpus_posts(args.limit)
    print(f"corpus: {len(items)} posts in {len({p.blog_id for p, _ in items})} blogs "
          f"({time.perf_counter() - t:.1f} s to load)")
    if args.enrich:
        t = time.perf_counter()
        enrich_all(items)
        print(f"enrich: {time.perf_counter() - t:.1f} s")
    else:
        print("enrich: off (vectors, wording and time only; --enrich to add entities, quotes, figures)")
    vectors, embed_s, cached = vectors_for(items, args.vectors)
    if cached:
        print(f"embeddings: read from {args.vectors} (delete it to time them)")
    else:
        print(f"embeddings: {embed_s:.1f} s ({len(items) / max(embed_s, 1e-9):.0f} posts/s, 2 threads)")

    rng = random.Random(SEED)
    held = set(rng.sample(range(len(items)), min(args.added, len(items) // 10)))
    base = [i for i in range(len(items)) if i not in held]
    index = StoryIndex()
    t = time.perf_counter()
    cluster_posts([items[i] for i in base], vectors[base], index=index)
    scratch = time.perf_counter() - t
    verdict = "ok" if scratch <= SCRATCH_GOAL_S else "OVER GOAL"
    print(f"cluster from scratch: {len(base)} posts in {scratch:.1f} s "
          f"({len(base) / scratch:.0f} posts/s; goal <= {SCRATCH_GOAL_S:.0f} s: {verdict})")

    times = []
    held_order = sorted(held, key=lambda i: items[i][0].published)
    for i in held_order:
        post, outlet = items[i]
        t = time.perf_counter()
        index.add(post, outlet, vectors[i])
        times.append((time.perf_counter() - t) * 1000)
    if times:
        p50, p95 = np.percentile(times, [50, 95])
        verdict = "ok" if p95 <= ADD_P95_GOAL_MS else "OVER GOAL"
        embed([embedding_text(items[held_order[0]][0])])  # load once, untimed
        one = []
        for i in held_order[:50]:
            t = time.perf_counter()
            embed([embedding_text(items[i][0])])
            one.append((time.perf_counter() - t) * 1000)
        print(f"add one post to {len(base)}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms "
              f"over {len(times)} posts (goal p95 <= {ADD_P95_GOAL_MS:.0f} ms: {verdict}); "
              f"embedding one post alone: p50 {np.percentile(one, 50):.1f} ms")
    print(f"peak RSS: {peak_rss_mb():.0f} MB")

    stories = index.stories()
    sizes = [len(s.post_ids) for s in stories]
    copies = sum(len(s.duplicates) for s in stories)
    multi_outlet = sum(1 for s in stories if len(s.outlets) > 1)
    related = sum(len(s.related) for s in stories) // 2
    print(f"stories: {len(stories)} for {len(index)} posts; sizes {size_histogram(sizes)}")
    print(f"  stories with both outlets: {multi_outlet}; copies marked: {copies}; related links: {related}")
    by_blogs = Counter(len({index_post_blog(index, pid) for pid in s.post_ids}) for s in stories if len(s.post_ids) > 1)
    print(f"  multi-post stories by number of blogs they span: {dict(sorted(by_blogs.items()))}")
    for s in sorted(stories, key=lambda s: -len(s.post_ids))[:5]:
        print(f"  largest: {len(s.post_ids)} posts, {s.outlets}: {s.title[:90]!r}")
    return 0


def index_post_blog(index, post_id: str) -> str:
    return index.post(post_id).blog_id


if __name__ == "__main__":
    sys.exit(main())
