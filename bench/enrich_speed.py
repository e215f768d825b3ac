"""Enrichment throughput and memory on the UKP Live Blog Corpus, against a bare spaCy NER pass.

    python -m bench.enrich_speed [--limit N] [--workers 2]     # from the repo root

For the posts of ../shared/data/liveblogs-ukp (guardian-test + bbc-test, ~33k posts; every
blog, or the first N blogs alternating between the two collections):

- bare NER: spaCy's small English model with only its `ner` component (what storyline
  loads), `nlp.pipe` over the same post texts — the floor any enrichment pays;
- enrich: the whole enrich stage (`enrich_posts`, one call per blog as the pipeline makes
  it: NER + quotes + figures + times + events + entity linking), one core;
- ratio enrich / bare NER on the same texts, in the same run (goal <= 1.5);
- two cores: the blogs split over a pool of worker processes (fork: the model loaded once
  in the parent is shared), wall-clock posts/s (goal >= 100 posts/s);
- the rules alone: each extractor's time over the already-annotated texts, and the
  slowest single post (bounded time per post);
- peak RSS of the process (getrusage; includes the corpus held in memory).

The UKP text is lower-cased and tokenised ("it 's been a packed day ."), so NER finds fewer
names than on real pages and the quote rules see no capitals: throughput, not quality, is
what this corpus measures here. Quality is measured in bench/tempeval.py,
bench/polnear_quotes.py, bench/seeds_enrich.py and bench/seeds_events.py.
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import sys
import time

from bench.ukp_throughput import CORPUS, load_corpus
from storyline.enrich import _EXTRACTORS, enrich_posts, post_text
from storyline.enrich.entities import link_entities
from storyline.enrich.nlp import annotate, load_nlp
from storyline.model import Post

RATIO_GOAL = 1.5
TWO_CORE_GOAL = 100  # posts/s


def corpus_posts(limit: int | None) -> list[list[Post]]:
    """One list of posts per blog, with the posts' own times (the anchors)."""
    blogs = []
    for b, spec in enumerate(load_corpus(limit=limit).specs):
        posts = [
            Post(id=f"b{b}p{i}", blog_id=f"b{b}", position=i, headline=p.headline, body=list(p.paragraphs),
                 published=p.published, precision="minute", day=p.published.date())
            for i, p in enumerate(spec.posts)
        ]
        blogs.append(posts)
    return blogs


def _copy(blogs: list[list[Post]]) -> list[list[Post]]:
    return [[Post(p.id, p.blog_id, p.position, p.headline, list(p.body), published=p.published,
                  precision=p.precision, day=p.day) for p in posts] for posts in blogs]


def bare_ner(blogs: list[list[Post]]) -> float:
    nlp = load_nlp()
    texts = [post_text(p).text for posts in blogs for p in posts]
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def enrich_all(blogs: list[list[Post]]) -> float:
    start = time.perf_counter()
    for posts in blogs:
        enrich_posts(posts)
    return time.perf_counter() - start


def _enrich_share(blogs: list[list[Post]]) -> int:
    for posts in blogs:
        enrich_posts(posts)
    return sum(len(p) for p in blogs)


def enrich_parallel(blogs: list[list[Post]], workers: int) -> float:
    shares = [blogs[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    start = time.perf_counter()
    with context.Pool(workers) as pool:
        done = sum(pool.map(_enrich_share, shares))
    assert done == sum(len(p) for p in blogs)
    return time.perf_counter() - start


def rules_breakdown(blogs: list[list[Post]]) -> tuple[dict[str, float], float]:
    """Seconds per extractor over pre-annotated texts, and the slowest post (all rules)."""
    texts = [list(annotate([post_text(p) for p in posts])) for posts in blogs]
    totals = {name: 0.0 for name, _ in _EXTRACTORS} | {"linking": 0.0}
    slowest = 0.0
    for posts, annotated in zip(blogs, texts):
        for text in annotated:
            post_start = time.perf_counter()
            for name, extract in _EXTRACTORS:
                t = time.perf_counter()
                extract(text)
                totals[name] += time.perf_counter() - t
            slowest = max(slowest, time.perf_counter() - post_start)
        t = time.perf_counter()
        link_entities(posts, annotated)
        totals["linking"] += time.perf_counter() - t
    return totals, slowest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N blogs (default: all 540)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of the NER/enrich pair; medians printed")
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"UKP corpus not found at {CORPUS}: nothing to measure (it ships in ../shared)")
        return 0
    load_nlp()
    blogs = corpus_posts(args.limit)
    n_posts = sum(len(p) for p in blogs)
    n_words = sum(len(post_text(p).text.split()) for posts in blogs for p in posts)
    print(f"UKP: {len(blogs)} blogs, {n_posts:,} posts, {n_words:,} words")

    ner_times, enrich_times = [], []
    for _ in range(args.repeat):
        ner_times.append(bare_ner(blogs))
        enrich_times.append(enrich_all(_copy(blogs)))
    ner, enrich = statistics.median(ner_times), statistics.median(enrich_times)
    ratio = enrich / ner
    print(f"bare spaCy NER (1 core):   {ner:7.1f} s  {n_posts / ner:7.1f} posts/s  {n_words / ner:9,.0f} words/s")
    print(f"enrich stage (1 core):     {enrich:7.1f} s  {n_posts / enrich:7.1f} posts/s  {n_words / enrich:9,.0f} words/s")
    print(f"ratio enrich / bare NER:   {ratio:.2f}  (goal <= {RATIO_GOAL}: {'pass' if ratio <= RATIO_GOAL else 'FAIL'})")

    wall = enrich_parallel(_copy(blogs), args.workers)
    rate = n_posts / wall
    print(f"enrich stage ({args.workers} workers):  {wall:7.1f} s  {rate:7.1f} posts/s  {n_words / wall:9,.0f} words/s"
          f"  (goal >= {TWO_CORE_GOAL} posts/s: {'pass' if rate >= TWO_CORE_GOAL else 'FAIL'})")

    totals, slowest = rules_breakdown(_copy(blogs))
    rules = sum(totals.values())
    print(f"rules alone: {rules:.1f} s = {1000 * rules / n_posts:.2f} ms/post; slowest post {1000 * slowest:.1f} ms")
    for name, seconds in totals.items():
        print(f"  {name:<11} {seconds:6.2f} s  {1000 * seconds / n_posts:6.3f} ms/post")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
