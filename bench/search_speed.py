"""Search speed at 100,000 posts: full text, vectors and both fused, against a LIKE scan.

    python -m bench.search_speed [--posts 100000] [--queries 200] [--keep DB] [--seed 5]
                                 [--vectors FILE.npy] [--tune]

1. A SQLite database of `--posts` posts: the UKP live-blog corpus (../shared/data/
   liveblogs-ukp, ~32k posts, via bench.ukp_cluster_scale.corpus_posts) repeated with new ids
   and days moved on a year per copy until the count is reached; without the corpus, posts
   of random words drawn with Zipf weights. Posts are stored at schema version 3 (no search
   index), with a random unit vector each in post_vectors (embedding 100k posts would take
   ~30 min and tells nothing about search speed). `--vectors FILE.npy` gives the corpus's
   real MiniLM vectors instead (the cache `bench.ukp_cluster_scale --vectors` writes, or
   bench.api_load's /tmp/storyline-api-load-v1-ukp.npy: one row per UKP post in corpus
   order; copies share their original's vector): the vector side then finds posts, so the
   fused lists and pages are as in real use. Random vectors have no neighbours: the vector
   index figures mean little without real ones.
2. Index build: migration 4 on that database (index every stored post) is timed, and the
   database size before and after is printed. The last 20,000 posts are saved in two
   halves, before and after the index exists: what keeping it in step costs an ingest.
   The vector index (search_vectors.py, vector_lists.py): reading the vectors, training
   its lists, and building it again with the lists trained, timed; its memory.
3. `--queries` queries drawn from the stored text with a fixed seed: common words, rare
   words (2-5 posts in a sample), two words from one headline, a quoted two-word phrase from
   a headline, and a word being typed (a prefix). Each is timed end to end through
   Store.search: full text alone; vector side alone (embedding the query with MiniLM when
   installed, then the vector index); both fused; both fused with the biggest outlet and
   the middle half of the days; both fused within the busiest day (a narrow filter).
   p50 / p95 / p99 in ms. Goal: p95 <= 100 ms for the fused search.
4. Peer / floor: the naive way, `LIKE '%word%'` on headline and body for every word,
   newest first, on the same database (50 of the queries: for a rare word it scans every
   row, for a common one it stops at the 20 newest).
5. The vector side alone, the query vectors made: the exact scan of every row against
   the index, p50 / p95 ms a query, the share of the exact top 300 the index also returns,
   and the share of the first 20 fused hits (the full-text side as search() ranks it) that
   are the same; with no filter and the two filters of 3. Goal: index p95 <= 5 ms with
   the first page >= 95% the same. `--tune` adds the figures behind the index's constants
   (rows, filter width, share probed, candidates, axes): ~2 minutes more.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from storyline.model import Blog, Document, Parsed, Post, content_hash
from storyline.store import Store, migrate, open_store, search_vectors, vector_lists
from storyline.store.database import create_engine, write_transaction
from storyline.store.migrations import MIGRATIONS
from storyline.store.search import (
    CANDIDATES,
    QueryEmbedding,
    SearchFilter,
    fuse,
    vector_ranking,
)
from storyline.store.search_fulltext import full_text_ranking
from storyline.store.search_terms import STOP_WORDS, parse_query
from storyline.store.search_vectors import (
    INDEXED_ROWS,
    VectorFilter,
    VectorIndex,
    read_vectors,
    vector_index,
    with_lists,
)

P95_GOAL_MS = 100.0
INDEX_P95_GOAL_MS = 5.0
FIRST_PAGE_GOAL = 0.95
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
        df.update(sorted(set(_words(post.headline + " " + " ".join(post.body)))))  # not in hash order: same queries every run
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
    from storyline.cluster.embed import VERSION, embed
    from storyline.errors import ModelMissing
    from storyline.store.search_queries import QueryBatcher

    # As search() embeds, less the memory of recent texts: each run below embeds every
    # query again, as a server does for queries it has not seen.
    embedding = QueryEmbedding(VERSION, QueryBatcher(lambda texts: embed(texts, batch_size=len(texts)), remembered=0))
    try:
        embedding.embed("warm up")
        return embedding, "MiniLM (int8 ONNX)"
    except ModelMissing:
        def fake(text: str) -> np.ndarray:
            v = np.random.default_rng(int(content_hash(text)[:8], 16)).standard_normal(DIM).astype(np.float32)
            return v / np.linalg.norm(v)

        return QueryEmbedding(VERSION, fake), "a random vector per query (MiniLM not installed)"


def embedding_batches(queries: list[tuple[str, str]], sizes: tuple[int, ...] = (1, 2, 4, 8, 16)) -> dict[int, float]:
    """Median ms per query of embedding the queries `size` at a time (one model run each)."""
    from storyline.cluster.embed import embed

    texts = [text for _, text in queries]
    found = {}
    for size in sizes:
        per_query = []
        for start in range(0, len(texts) - size + 1, size):
            began = time.perf_counter()
            embed(texts[start:start + size], batch_size=size)
            per_query.append((time.perf_counter() - began) * 1000 / size)
        found[size] = float(np.median(per_query))
    return found


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


# -- the vector index ---------------------------------------------------------------------------


@dataclass
class IndexFigures:
    """The index against the exact scan over the same queries and filter."""

    exact_ms: np.ndarray
    index_ms: np.ndarray
    recall: float  # mean share of the exact top CANDIDATES the index also returns
    first_page: float  # mean share of the first 20 fused hits that are the same

    def line(self, name: str, pages: bool = True) -> str:
        (e50, e95), (i50, i95) = np.percentile(self.exact_ms, [50, 95]), np.percentile(self.index_ms, [50, 95])
        page = f"; first page {self.first_page:.3f}" if pages else ""
        return (f"  {name:<32} exact p50 {e50:5.1f} p95 {e95:5.1f} ms, index p50 {i50:4.1f} p95 {i95:4.1f} ms; "
                f"recall@{CANDIDATES} {self.recall:.3f}{page}")


def embedded(queries: list[tuple[str, str]], embedding: QueryEmbedding) -> list[tuple[str, np.ndarray]]:
    """(query, vector) for the queries that have one."""
    vectors = [(query, np.asarray(embedding.embed(query), dtype=np.float32)) for _, query in queries]
    return [(query, vector) for query, vector in vectors if np.any(vector)]


def text_rankings(store: Store, queries: list[tuple[str, np.ndarray]], where: SearchFilter) -> list[list[str]]:
    with store.engine.connect() as conn:
        return [full_text_ranking(conn, terms, where, CANDIDATES) if (terms := parse_query(q)) else []
                for q, _ in queries]


def compare_index(index: VectorIndex, queries: list[tuple[str, np.ndarray]], where: SearchFilter,
                  texts: list[list[str]]) -> IndexFigures:
    """Each query through index.nearest and the exact scan, timed, with what they found."""
    vector_filter = VectorFilter(where.outlet, where.kind, where.since, where.until)
    exact_ms, index_ms, recall, first_page = [], [], [], []
    for (_, vector), text in zip(queries, texts):
        start = time.perf_counter()
        exact = [pid for pid, _ in index.nearest(vector, vector_filter, CANDIDATES, exact=True)]
        exact_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        found = [pid for pid, _ in index.nearest(vector, vector_filter, CANDIDATES)]
        index_ms.append((time.perf_counter() - start) * 1000)
        if exact:
            recall.append(len(set(exact) & set(found)) / len(exact))
        page, exact_page = (_first_page(text, ranked) for ranked in (found, exact))
        if exact_page:
            first_page.append(len(set(page) & set(exact_page)) / len(exact_page))
    return IndexFigures(np.array(exact_ms), np.array(index_ms), float(np.mean(recall or [1.0])),
                        float(np.mean(first_page or [1.0])))


def _first_page(text: list[str], vector: list[str]) -> list[str]:
    """The first 20 hits as search() fuses them (before reading their rows)."""
    rankings = {name: ranked for name, ranked in (("text", text), ("vector", vector)) if ranked}
    return [post_id for post_id, _, _ in fuse(rankings)[:20]]


def index_build(conn, model: str) -> tuple[VectorIndex, VectorIndex]:
    """The stored vectors as read, and indexed; prints what each step takes."""
    start = time.perf_counter()
    stored = read_vectors(conn, model, 0)
    read_s = time.perf_counter() - start
    start = time.perf_counter()
    index = with_lists(stored)
    trained_s = time.perf_counter() - start
    if index.lists is None:
        print(f"  vector matrix read: {read_s:.2f} s, {stored.matrix.nbytes / 2**20:,.0f} MB "
              f"(under {INDEXED_ROWS:,} rows: no index)")
        return stored, index
    start = time.perf_counter()
    with_lists(stored, index.lists.partition)
    reused_s = time.perf_counter() - start
    lists = index.lists
    print(f"  vector matrix read (once per change of post_vectors): {read_s:.2f} s, "
          f"{index.matrix.nbytes / 2**20:,.0f} MB; index {lists.reduced.nbytes / 2**20:,.0f} MB more "
          f"({len(lists.starts) - 1} lists, {lists.reduced.shape[1]} axes)")
    print(f"  index build: {trained_s:.2f} s training the lists (first load, or rows doubled), "
          f"{reused_s:.2f} s reusing them (every other reload)")
    return stored, index


def tune_index(stored: VectorIndex, index: VectorIndex, queries: list[tuple[str, np.ndarray]],
               texts: list[list[str]], items: list[tuple[Post, str]]) -> None:
    """The figures behind the index's constants: INDEXED_ROWS, NARROW_ROWS, PROBED_SHARE,
    REDUCED_DIMENSIONS and RERANKED_PER_RESULT."""
    everything = SearchFilter()
    print("vector index: rows (INDEXED_ROWS; the first N posts by id, a random sample):")
    for rows in (5_000, 10_000, 20_000, 50_000):
        if rows < len(stored.post_ids):
            part = VectorIndex(changes=0, post_ids=stored.post_ids[:rows], matrix=stored.matrix[:rows],
                               outlets=stored.outlets[:rows], kinds=stored.kinds[:rows], days=stored.days[:rows])
            part = with_lists(part, min_rows=0)
            print(compare_index(part, queries, everything, texts).line(f"{rows:,} rows", pages=False))
    print("vector index: a filter passing N rows, exact over those rows or through the lists (NARROW_ROWS):")
    days = sorted((p.day for p, _ in items if p.day), reverse=True)
    for rows in (2_000, 5_000, 10_000, 20_000, 40_000):
        where = SearchFilter(since=days[min(rows, len(days)) - 1])
        for narrow, name in ((10**9, "exact"), (0, "lists")):
            with _setting(search_vectors, "NARROW_ROWS", narrow):
                figures = compare_index(index, queries, where, [[] for _ in queries])
            print(figures.line(f"{rows:,} rows, {name}", pages=False))
    print("vector index: share of rows probed (PROBED_SHARE), candidates per result (RERANKED_PER_RESULT):")
    for share, reranked in ((0.3, 7), (0.4, 7), (0.5, 7), (0.6, 7), (0.5, 4), (0.5, 5), (0.5, 10)):
        with _setting(vector_lists, "PROBED_SHARE", share), _setting(search_vectors, "RERANKED_PER_RESULT", reranked):
            print(compare_index(index, queries, everything, texts).line(f"{share:.0%} probed, {reranked} per result"))
    print("vector index: training (TRAINING_ROWS_PER_LIST, LLOYD_ITERATIONS; lists retrained):")
    for per_list, iterations in ((64, 4), (32, 8), (64, 8), (128, 8), (64, 16)):
        with _setting(vector_lists, "TRAINING_ROWS_PER_LIST", per_list), \
                _setting(vector_lists, "LLOYD_ITERATIONS", iterations):
            start = time.perf_counter()
            retrained = with_lists(stored)
            took = time.perf_counter() - start
        print(compare_index(retrained, queries, everything, texts).line(
            f"{per_list}/list x {iterations}: {took:.1f} s"))
    print("vector index: principal axes a probed row is scored on (REDUCED_DIMENSIONS; lists retrained):")
    for axes in (64, 96, 128, 192, 384):
        with _setting(vector_lists, "REDUCED_DIMENSIONS", axes):
            print(compare_index(with_lists(stored), queries, everything, texts).line(f"{axes} axes"))


@contextmanager
def _setting(module: object, name: str, value: object) -> Iterator[None]:
    before = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it (reused when present)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--vectors", type=Path, help="the UKP posts' MiniLM vectors (.npy, corpus order)")
    parser.add_argument("--tune", action="store_true", help="also the figures behind the vector index's constants")
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
        stored, _ = index_build(conn, VERSION)
        index = vector_index(conn, VERSION)  # what search() uses, loaded before the timing
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
    batched = embedding_batches(queries) if embedder.startswith("MiniLM") else {}
    search_with = _store_search(store, embedding)
    fused, found_fused = timed(lambda q: search_with(q), queries)
    filtered, found_filtered = timed(lambda q: search_with(q, outlet=outlet, since=middle[0], until=middle[1]), queries)
    one_day, found_day = timed(lambda q: search_with(q, since=busiest, until=busiest), queries)
    like, found_like = timed(like_scan(store), queries[:LIKE_QUERIES])
    # Like for like: the same 50 queries through the fused search.
    fused_50 = fused[:LIKE_QUERIES]

    print("latency over the queries (end to end: a page of 20 hits with snippets):")
    print(line("full text (FTS5 BM25)", full_text, found_text))
    print(line("vector side (embed + index)", vectors, found_vec))
    print(line("  of which embedding the query", embed_only))
    if batched:  # what search_queries.QueryBatcher gains when queries arrive together
        print("  embedding queries that arrive together, ms per query (median over batches): " + ", ".join(
            f"{size} at a time {ms:.2f}" for size, ms in batched.items()))
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
    if index is not None:
        with_vectors = embedded(queries, embedding)
        texts = text_rankings(store, with_vectors, SearchFilter())
        print(f"vector side alone, {len(with_vectors)} query vectors, {CANDIDATES} candidates: the exact scan of "
              f"every row against the index (recall of the exact top {CANDIDATES}; share of the first 20 fused "
              "hits that are the same):")
        unfiltered = compare_index(index, with_vectors, SearchFilter(), texts)
        print(unfiltered.line("all posts"))
        for name, where in (("outlet + middle half of days", SearchFilter(outlet=outlet, since=middle[0], until=middle[1])),
                            (f"one day ({share_of_day:.1%} of posts)", SearchFilter(since=busiest, until=busiest))):
            print(compare_index(index, with_vectors, where, text_rankings(store, with_vectors, where)).line(name))
        if args.tune:
            tune_index(stored, index, with_vectors, texts, items)
        p95 = float(np.percentile(unfiltered.index_ms, 95))
        met = p95 <= INDEX_P95_GOAL_MS and unfiltered.first_page >= FIRST_PAGE_GOAL
        print(f"goal: vector index p95 <= {INDEX_P95_GOAL_MS:.0f} ms with the first page >= {FIRST_PAGE_GOAL:.0%} "
              f"the same: {'met' if met else 'NOT met'} ({p95:.1f} ms, {unfiltered.first_page:.1%})")
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
