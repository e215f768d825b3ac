"""Search speed at 100,000 posts: full text, vectors and both fused, against a LIKE scan.

    python -m bench.search_speed [--posts 100000] [--queries 200] [--keep DB] [--seed 5]

1. A SQLite database of `--posts` posts: the UKP live-blog corpus (../shared/data/
   liveblogs-ukp, ~32k posts, via bench.ukp_cluster_scale.corpus_posts) repeated with new ids
   and days moved on a year per copy until the count is reached; without the corpus, posts
   of random words drawn with Zipf weights. Posts are stored at schema version 3 (no search
   index), with a random unit vector each in post_vectors (embedding 100k posts would take
   ~30 min and tells nothing about search speed). `--vectors FILE.npy` gives the corpus's
   real MiniLM vectors instead (the cache `bench.ukp_cluster_scale --vectors` writes, one
   row per UKP post in corpus order; copies share their original's vector): the vector side
   then finds posts, so the fused lists and pages are as in real use.
2. Index build: migration 4 on that database (index every stored post) is timed, and the
   database size before and after is printed. The last 20,000 posts are saved in two
   halves, before and after the index exists: what keeping it in step costs an ingest.
3. `--queries` queries drawn from the stored text with a fixed seed: common words, rare
   words (2-5 posts in a sample), two words from one headline, a quoted two-word phrase from
   a headline, and a word being typed (a prefix). Each is timed end to end through
   Store.search: full text alone; vector side alone (embedding the query with MiniLM when
   installed, then the matrix product); both fused; both fused with the biggest outlet and
   the middle half of the days; both fused within the busiest day (a narrow filter).
   p50 / p95 / p99 in ms. Goal: p95 <= 100 ms for the fused search.
4. Peer / floor: the naive way, `LIKE '%word%'` on headline and body for every word,
   newest first, on the same database (50 of the queries: for a rare word it scans every
   row, for a common one it stops at the 20 newest).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import numpy as np

from storyline.model import Blog, Document, Parsed, Post, content_hash
from storyline.store import Store, migrate, open_store
from storyline.store.database import create_engine, write_transaction
from storyline.store.migrations import MIGRATIONS
from storyline.store.search import (
    CANDIDATES,
    QueryEmbedding,
    SearchFilter,
    vector_ranking,
)
from storyline.store.search_terms import STOP_WORDS
from storyline.store.search_vectors import vector_index

P95_GOAL_MS = 100.0
DIM = 384
LIKE_QUERIES = 50
INGEST_SAMPLE = 10_000
WORD = re.compile(r"[^\W\d_]{3,}")


# -- the database ----------------------------------------------------------------------------


def corpus_posts(n: int, seed: int) -> tuple[list[tuple[Post, str]], str, int]:
    """n posts, where they come from, and how many distinct posts were repeated."""
    from bench.ukp_throughput import CORPUS

    if CORPUS.is_dir():
        from bench.ukp_cluster_scale import corpus_posts as ukp_posts

        base, source = ukp_posts(None), f"UKP live blogs ({CORPUS})"
    else:
        base, source = _random_posts(min(n, 30_000), seed), "random Zipf words (UKP corpus not found)"
    items: list[tuple[Post, str]] = []
    copy = 0
    while len(items) < n:
        for post, outlet in base:
            if len(items) == n:
                break
            items.append((_copied(post, copy), outlet))
        copy += 1
    return items, f"{source}, {copy} cop{'y' if copy == 1 else 'ies'}", len(base)


def _copied(post: Post, copy: int) -> Post:
    if copy == 0:
        return post
    shift = timedelta(days=365 * copy)
    return Post(id=f"{post.id}c{copy}", blog_id=f"{post.blog_id}c{copy}", position=post.position,
                headline=post.headline, body=list(post.body), precision=post.precision,
                published=post.published + shift if post.published else None,
                day=post.day + shift if post.day else None)


def _random_posts(n: int, seed: int) -> list[tuple[Post, str]]:
    rng = random.Random(seed)
    vocabulary = [f"{a}{b}{c}" for a in "bcdfgklmnprstv" for b in "aeiou" for c in ("ran", "lis", "mot", "ven", "dor")]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    items = []
    for i in range(n):
        words = rng.choices(vocabulary, weights, k=110)
        day = date(2020, 1, 1) + timedelta(days=i // 400)
        items.append((Post(id=f"r{i}", blog_id=f"rb{i // 40}", position=i % 40, headline=" ".join(words[:10]),
                           body=[" ".join(words[10:60]), " ".join(words[60:])], day=day, precision="day"),
                      ["North", "South", "East"][i // 40 % 3]))
    return items


def _blog_start(items: list[tuple[Post, str]], at: int) -> int:
    """The first index at or after `at` where a blog begins (a blog is saved whole)."""
    while 0 < at < len(items) and items[at][0].blog_id == items[at - 1][0].blog_id:
        at += 1
    return at


def save_posts(store: Store, items: list[tuple[Post, str]]) -> float:
    """Save blog by blog; the time taken."""
    blogs: dict[str, list[tuple[Post, str]]] = {}
    for post, outlet in items:
        blogs.setdefault(post.blog_id, []).append((post, outlet))
    start = time.perf_counter()
    for blog_id, posts in blogs.items():
        days = [p.day for p, _ in posts if p.day]
        blog = Blog(id=blog_id, title=f"Live: {blog_id}", outlet=posts[0][1], url=None, day=max(days) if days else None)
        document = Document(source=blog_id, content=blog_id.encode(), media_type="text/plain")
        store.save(Parsed(document=document, blog=blog, posts=[p for p, _ in posts]))
    return time.perf_counter() - start


def save_vectors(store: Store, items: list[tuple[Post, str]], model: str, seed: int,
                 real: np.ndarray | None) -> None:
    """Random unit vectors, or row i % len(real) of the real ones."""
    rng = np.random.default_rng(seed)
    table = "post_vectors"
    for start in range(0, len(items), 5000):
        batch = items[start:start + 5000]
        if real is not None:
            vectors = real[np.arange(start, start + len(batch)) % len(real)].astype(np.float32)
        else:
            vectors = rng.standard_normal((len(batch), DIM)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        with write_transaction(store.engine) as conn:
            conn.exec_driver_sql(
                f"INSERT INTO {table} (post_id, model, content_hash, vector) VALUES (?, ?, ?, ?)",
                [(p.id, model, p.content_hash(), v.tobytes()) for (p, _), v in zip(batch, vectors)],
            )


def database_bytes(path: Path, store: Store) -> int:
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(f.stat().st_size for f in path.parent.glob(path.name + "*"))


# -- queries -----------------------------------------------------------------------------------


def make_queries(items: list[tuple[Post, str]], count: int, seed: int) -> list[tuple[str, str]]:
    """(kind, query) pairs drawn from the stored text."""
    rng = random.Random(seed)
    sample = rng.sample(items, min(20_000, len(items)))
    df: Counter[str] = Counter()
    for post, _ in sample:
        df.update(set(_words(post.headline + " " + " ".join(post.body))))
    common = [w for w, _ in df.most_common(300)]
    rare = [w for w, c in df.items() if 2 <= c <= 5]
    headlines = [ws for ws in (_words(p.headline) for p, _ in sample) if len(ws) >= 3]
    shares = {"common word": 0.25, "rare word": 0.2, "two words": 0.25, "phrase": 0.2, "prefix": 0.1}
    queries: list[tuple[str, str]] = []
    for kind, share in shares.items():
        for _ in range(round(count * share)):
            if kind == "common word":
                q = rng.choice(common)
            elif kind == "rare word":
                q = rng.choice(rare)
            elif kind == "two words":
                q = " ".join(rng.sample(rng.choice(headlines), 2))
            elif kind == "phrase":
                ws = rng.choice(headlines)
                i = rng.randrange(len(ws) - 1)
                q = f'"{ws[i]} {ws[i + 1]}"'
            else:
                w = rng.choice([w for w in common if len(w) >= 6])
                q = w[:rng.randint(4, len(w) - 1)]
            queries.append((kind, q))
    return queries[:count]


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text.lower()) if w not in STOP_WORDS]


# -- timing ------------------------------------------------------------------------------------


def timed(run: Callable[[str], object], queries: list[tuple[str, str]]) -> tuple[np.ndarray, list[int]]:
    took, found = [], []
    for _, query in queries:
        start = time.perf_counter()
        result = run(query)
        took.append((time.perf_counter() - start) * 1000)
        found.append(len(result))  # type: ignore[arg-type]
    return np.array(took), found


def line(name: str, took: np.ndarray, found: list[int] | None = None) -> str:
    p50, p95, p99 = np.percentile(took, [50, 95, 99])
    hits = f"   {np.mean(found):5.1f} hits/query" if found is not None else ""
    return f"  {name:<38} p50 {p50:7.1f}  p95 {p95:7.1f}  p99 {p99:7.1f} ms{hits}"


def query_embedding() -> tuple[QueryEmbedding, str]:
    from storyline.cluster.embed import VERSION
    from storyline.errors import ModelMissing
    from storyline.store.search import minilm_embedding

    embedding = minilm_embedding()
    try:
        embedding.embed("warm up")
        return embedding, "MiniLM (int8 ONNX)"
    except ModelMissing:
        def fake(text: str) -> np.ndarray:
            v = np.random.default_rng(int(content_hash(text)[:8], 16)).standard_normal(DIM).astype(np.float32)
            return v / np.linalg.norm(v)

        return QueryEmbedding(VERSION, fake), "a random vector per query (MiniLM not installed)"


def like_scan(store: Store) -> Callable[[str], list]:
    """The naive search: every word somewhere in headline or body, newest first."""

    def run(query: str) -> list:
        words = _words(query.replace('"', " ")) or [query.strip('"')]
        where = " AND ".join("(headline LIKE ? OR body LIKE ?)" for _ in words)
        params = [f"%{w}%" for w in words for _ in (0, 1)]
        with store.engine.connect() as conn:
            return conn.exec_driver_sql(
                f"SELECT id FROM posts WHERE {where} ORDER BY published_utc DESC LIMIT 20", tuple(params)).fetchall()

    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it (reused when present)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--vectors", type=Path, help="the UKP posts' MiniLM vectors (.npy, corpus order)")
    args = parser.parse_args(argv)
    from storyline.cluster.embed import VERSION

    folder = Path(tempfile.mkdtemp(prefix="search-speed-"))
    path = args.keep or folder / "search.db"
    items, source, base = corpus_posts(args.posts, args.seed)
    print(f"search speed: {len(items):,} posts from {source}; {args.queries} queries")
    reuse = args.keep is not None and path.exists()
    if reuse:
        store = open_store(str(path))
        print(f"  database {path} reused ({store.counts()['posts']:,} posts)")
    else:
        engine = create_engine(str(path))
        migrate(engine, MIGRATIONS[:3])
        store = Store(engine)
        # The last two slices of INGEST_SAMPLE posts time saving without and with the index.
        first, second = _blog_start(items, len(items) - 2 * INGEST_SAMPLE), _blog_start(items, len(items) - INGEST_SAMPLE)
        took = save_posts(store, items[:first])
        print(f"  stored at schema 3 (no index): {took:.1f} s, {first / took:,.0f} posts/s")
        without = (second - first) / save_posts(store, items[first:second])
        before = database_bytes(path, store)
        start = time.perf_counter()
        migrate(store.engine)
        built = time.perf_counter() - start
        after = database_bytes(path, store)
        print(f"  index build (migration 4 on {second:,} stored posts): {built:.1f} s")
        print(f"  database size: {before / 2**20:,.0f} MB before the index, {after / 2**20:,.0f} MB after "
              f"(+{(after - before) / 2**20:,.0f} MB)")
        with_index = (len(items) - second) / save_posts(store, items[second:])
        print(f"  ingest of {INGEST_SAMPLE:,} more posts: {without:,.0f} posts/s without the index, "
              f"{with_index:,.0f} with it kept in step")
        real = None
        if args.vectors is not None:
            real = np.load(args.vectors)
            if len(real) != base:
                print(f"  {args.vectors}: {len(real):,} vectors for {base:,} corpus posts: random vectors instead")
                real = None
        save_vectors(store, items, VERSION, args.seed, real)
        print(f"  post vectors: {'real MiniLM vectors from ' + str(args.vectors) if real is not None else 'random'}")

    queries = make_queries(items, args.queries, args.seed)
    random.Random(args.seed).shuffle(queries)  # kinds mixed: the LIKE subset too
    embedding, embedder = query_embedding()
    print(f"  query vectors: {embedder}")
    with store.engine.connect() as conn:
        start = time.perf_counter()
        index = vector_index(conn, VERSION)
        print(f"  vector matrix load (once per change of post_vectors): {time.perf_counter() - start:.2f} s, "
              f"{index.matrix.nbytes / 2**20 if index else 0:,.0f} MB")
    days = sorted(p.day for p, _ in items if p.day)
    middle = (days[len(days) // 4], days[3 * len(days) // 4])  # the middle half of the posts
    busiest = Counter(days).most_common(1)[0][0]
    share_of_day = days.count(busiest) / len(items)
    outlet = Counter(o for _, o in items).most_common(1)[0][0]
    by_kind = Counter(kind for kind, _ in queries)
    print("  queries: " + ", ".join(f"{n} {kind}" for kind, n in by_kind.items()))

    text_only = _store_search(store, None)
    full_text, found_text = timed(lambda q: text_only(q), queries)
    with store.engine.connect() as conn:
        vectors, found_vec = timed(lambda q: vector_ranking(conn, q, SearchFilter(), CANDIDATES, embedding), queries)
    embed_only, _ = timed(lambda q: [embedding.embed(q)], queries)
    search_with = _store_search(store, embedding)
    fused, found_fused = timed(lambda q: search_with(q), queries)
    filtered, found_filtered = timed(lambda q: search_with(q, outlet=outlet, since=middle[0], until=middle[1]), queries)
    one_day, found_day = timed(lambda q: search_with(q, since=busiest, until=busiest), queries)
    like, found_like = timed(like_scan(store), queries[:LIKE_QUERIES])
    # Like for like: the same 50 queries through the fused search.
    fused_50 = fused[:LIKE_QUERIES]

    print("latency over the queries (end to end: a page of 20 hits with snippets):")
    print(line("full text (FTS5 BM25)", full_text, found_text))
    print(line("vector side (embed + 1 x N product)", vectors, found_vec))
    print(line("  of which embedding the query", embed_only))
    print(line("fused (RRF)", fused, found_fused))
    print(line("fused + outlet + middle half of days", filtered, found_filtered))
    print(line(f"fused + one day ({share_of_day:.1%} of posts)", one_day, found_day))
    print("by query kind, fused p95: " + ", ".join(
        f"{kind} {np.percentile([t for (k, _), t in zip(queries, fused) if k == kind], 95):.1f} ms" for kind in by_kind))
    print(f"peer / floor, the first {LIKE_QUERIES} queries:")
    print(line("LIKE '%word%' scan, newest first", like, found_like))
    print(line("fused search, same queries", fused_50))
    print(f"  fused search is {np.percentile(like, 50) / np.percentile(fused_50, 50):.0f}x faster at p50 and "
          f"{np.percentile(like, 95) / np.percentile(fused_50, 95):.0f}x at p95 than the LIKE scan")
    p95 = float(np.percentile(fused, 95))
    print(f"goal: fused search p95 <= {P95_GOAL_MS:.0f} ms at {len(items):,} posts: "
          f"{'met' if p95 <= P95_GOAL_MS else 'NOT met'} ({p95:.1f} ms)")
    store.close()
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _store_search(store: Store, embedding: QueryEmbedding | None) -> Callable[..., list]:
    """What Store.search does, with this query embedding (None: full text alone)."""
    from storyline.store.search import search

    def run(query: str, **filters: object) -> list:
        with store.engine.connect() as conn:
            return search(conn, query, SearchFilter(**filters), embedding)  # type: ignore[arg-type]

    return run


if __name__ == "__main__":
    sys.exit(main())
