"""Load test of the REST API: `storyline serve` (uvicorn) on a SQLite database of 100k posts.

    python -m bench.api_load [--posts 100000] [--clients 50] [--seconds 20] [--rebuild]

1. The database (built once, cached under /tmp; --rebuild makes it again). Synthesized from
   the UKP live-blog corpus (../shared/data/liveblogs-ukp, ~32k posts in 540 blogs): every
   post is enriched once by the real enrich stage and embedded once with MiniLM; the
   corpus is then saved again as copies (new blog and post ids, the same outlets, every
   time moved by COPY_SHIFT so copies never share a clustering window) until there are
   `--posts` posts, each copy with the enrichment and vector of its original (the same
   text). Saved through Store.save, then placed in stories by cluster.update_stories
   (no embedding: the vectors are stored first).
2. `storyline serve` in a subprocess on a free loopback port, pinned to one CPU; the load
   generator (this process: asyncio, a bare keep-alive HTTP/1.1 client) is pinned to the
   other, so the two do not fight for a core (the machine has two; other work on it still
   adds noise).
3. For the read mix (timeline, stories, one story, posts, quotes, entities) and for search
   queries (two words from corpus headlines, full text and vectors), three runs each:
   - service time: one client, one request at a time: what a request costs with no queue;
   - saturation: `--clients` clients, each sending its next request as soon as the last
     is answered, for `--seconds`: the most requests/s the server gives; its latency is
     mostly queueing (about clients / throughput);
   - paced: `--clients` clients, each pausing THINK_S on average (exponential) before its
     first request and between requests, for `--seconds`: ~clients / THINK_S requests/s
     offered, the load the goals are judged at (the saturation run's goals are printed too).
   Before them, the floor: /api/health (no database) at saturation, for FLOOR_SECONDS.
   Each prints requests/s, p50/p95/p99 latency, errors, and the p95 per endpoint.

Goals (issue 5): API p95 <= 50 ms, search p95 <= 100 ms, zero errors.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import os
import pickle
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
import numpy as np

from bench.ukp_throughput import CORPUS, load_corpus

API_P95_GOAL_MS = 50.0
SEARCH_P95_GOAL_MS = 100.0
BUILD = "v1"  # bump when the synthesis changes: the cache is keyed by it
CACHE = Path(tempfile.gettempdir())
# Copies are moved this far in time: beyond the clustering window (a few days) and the
# year of the originals, so a copy starts stories of its own rather than joining its original.
COPY_SHIFT = timedelta(days=400)
FLOOR_SECONDS = 10.0  # the floor only needs enough requests for a stable p99
SERVICE_SECONDS = 8.0  # one client: a few hundred requests of each endpoint
# A client's mean pause between requests in the paced runs: one request a second is a
# reader clicking as fast as pages appear (people read for several seconds), so 50 such
# clients are a busy newsroom, not an idle one.
THINK_S = 1.0
WARMUP = 3  # requests per endpoint before timing (first use loads MiniLM, warms caches)
SEED = 5
# The server's background warm-up (assembling conflicts a database lacks: ~105 s of CPU at
# 100k posts; a database built by this bench has them already) ends before this; past it,
# measure anyway.
WARM_LIMIT_S = 300.0
# The read mix: (weight, endpoint name). One page of 50 is what the web UI asks for.
READ_MIX = [(3, "timeline"), (3, "stories"), (4, "story"), (1, "latest posts"), (3, "posts"), (1, "posts by outlet"),
            (2, "quotes"), (1, "quotes by day"), (2, "entities"), (1, "people")]


# -- the database ------------------------------------------------------------------------------

def _base(cache: Path) -> tuple[list[tuple], np.ndarray, dict]:
    """The UKP corpus as (blog, posts, entities) with real enrichment, and one MiniLM
    vector per post; kept in `cache` (pickle + .npy) so a rebuild does not redo them."""
    vectors_file = cache.with_suffix(".npy")
    if cache.exists() and vectors_file.exists():
        with cache.open("rb") as handle:
            blogs, info = pickle.load(handle)
        return blogs, np.load(vectors_file), info
    from storyline.cluster.embed import embed
    from storyline.cluster.features import embedding_text
    from storyline.enrich import enrich_posts
    from storyline.model import Blog, Post, content_hash

    corpus = load_corpus(CORPUS)
    blogs = []
    started = time.perf_counter()
    for b, spec in enumerate(corpus.specs):
        blog_id = "b" + content_hash(spec.url or f"ukp-{b}")[:16]
        posts = [Post(id=f"p{content_hash(f'{blog_id}/{k}')[:16]}", blog_id=blog_id, position=k, headline=p.headline,
                      body=list(p.paragraphs), published=p.published, precision="minute", dated_how="metadata",
                      day=p.published.date()) for k, p in enumerate(spec.posts)]
        entities = enrich_posts(posts)
        blog = Blog(id=blog_id, title=spec.title, outlet=spec.outlet, url=spec.url or None, day=spec.day,
                    key_points=spec.key_points, reader="synthetic")
        blogs.append((blog, posts, entities))
        if b % 50 == 0:
            print(f"  enriched {b}/{len(corpus.specs)} blogs ({time.perf_counter() - started:.0f} s)", flush=True)
    enrich_s = time.perf_counter() - started
    started = time.perf_counter()
    vectors = embed([embedding_text(p) for _, posts, _ in blogs for p in posts], threads=2)
    info = {"enrich_s": enrich_s, "embed_s": time.perf_counter() - started}
    with cache.open("wb") as handle:
        pickle.dump((blogs, info), handle)
    np.save(vectors_file, vectors)
    return blogs, vectors, info


def _copy(blog, posts, k: int):
    """Copy k of a blog: new ids, every time moved by k * COPY_SHIFT."""
    from storyline.model import content_hash

    if k == 0:
        return blog, posts
    shift = COPY_SHIFT * k
    blog_id = "b" + content_hash(f"{blog.id}#copy{k}")[:16]
    moved = lambda t: t + shift if t is not None else None  # noqa: E731
    copied = [dataclasses.replace(
        p, id=f"p{content_hash(f'{p.id}#copy{k}')[:16]}", blog_id=blog_id, published=moved(p.published),
        day=moved(p.published).date() if p.published else p.day,
        times=[dataclasses.replace(t, start=moved(t.start), end=moved(t.end), anchor=moved(t.anchor)) for t in p.times],
    ) for p in posts]
    url = f"{blog.url}#copy{k}" if blog.url else None
    return dataclasses.replace(blog, id=blog_id, url=url, day=blog.day + shift if blog.day else None), copied


def build_database(path: Path, wanted: int) -> None:
    """Save copies of the enriched corpus until `wanted` posts, then make the stories."""
    from storyline.cluster.embed import VERSION
    from storyline.assemble.stored import refresh_conflicts
    from storyline.cluster.update import update_stories
    from storyline.model import Document, Parsed
    from storyline.store import open_store
    from storyline.store import stories as stored
    from storyline.store.database import write_transaction

    blogs, vectors, info = _base(CACHE / f"storyline-api-load-{BUILD}-ukp.pickle")
    base_posts = sum(len(p) for _, p, _ in blogs)
    print(f"  corpus: {base_posts} UKP posts in {len(blogs)} blogs; enriched in {info['enrich_s']:.0f} s, "
          f"embedded (MiniLM) in {info['embed_s']:.0f} s", flush=True)
    vector_of = {}
    row = 0
    for _, posts, _ in blogs:
        for p in posts:
            vector_of[p.id] = vectors[row]
            row += 1
    building = path.with_suffix(".building")
    for stale in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
        stale.unlink(missing_ok=True)
    store = open_store(f"sqlite:///{building}")
    saved, copies, started = 0, 0, time.perf_counter()
    try:
        for k in range(wanted // base_posts + 1):
            for blog, posts, entities in blogs:
                if saved >= wanted:
                    break
                originals = posts[: wanted - saved]
                blog_k, copied = _copy(blog, originals, k)
                document = Document(source=f"synthetic:{blog_k.id}", content=blog_k.id.encode(), media_type="text/plain")
                store.save(Parsed(document=document, blog=blog_k, posts=copied, entities=entities), made_by="bench.api_load")
                with write_transaction(store.engine) as conn:
                    stored.save_vectors(conn, {c.id: (c.content_hash(), vector_of[o.id]) for c, o in zip(copied, originals)},
                                        VERSION)
                saved += len(copied)
            copies = k + 1
        print(f"  saved {saved} posts ({copies} copies of the corpus) in {time.perf_counter() - started:.0f} s", flush=True)

        def no_embedding(texts: list[str]) -> np.ndarray:
            raise RuntimeError(f"{len(texts)} posts without a stored vector")

        started = time.perf_counter()
        placed = update_stories(store, embedder=no_embedding)
        print(f"  stories: {placed.new_stories} for {placed.posts} posts in {time.perf_counter() - started:.0f} s", flush=True)
        assembled = refresh_conflicts(store)
        print(f"  conflicts: {assembled.conflicts} in {assembled.weeks} weeks, assembled in {assembled.seconds:.0f} s", flush=True)
    finally:
        store.close()
    building.rename(path)


def describe_database(path: Path) -> str:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        count = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608 (fixed names)
                 for t in ("blogs", "posts", "stories", "post_quotes", "post_entities", "entities", "post_vectors")}
    return (f"{count['posts']} posts in {count['blogs']} blogs, {count['stories']} stories, {count['post_quotes']} quotes, "
            f"{count['post_entities']} mentions of {count['entities']} entities, {count['post_vectors']} vectors")


# -- what the clients ask ------------------------------------------------------------------------

@dataclasses.dataclass
class Choices:
    """Values drawn from the database for the requests' paths."""

    story_ids: list[str]
    days: list[str]
    outlet_days: list[tuple[str, str]]
    words: list[str]

    @classmethod
    def of(cls, path: Path, rng: random.Random) -> "Choices":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            story_ids = [r[0] for r in conn.execute("SELECT id FROM stories ORDER BY random() LIMIT 5000")]
            days = [r[0] for r in conn.execute("SELECT DISTINCT day FROM stories WHERE day IS NOT NULL")]
            outlet_days = [tuple(r) for r in conn.execute(
                "SELECT DISTINCT b.outlet, p.day FROM posts p JOIN blogs b ON b.id = p.blog_id WHERE p.day IS NOT NULL")]
            headlines = [r[0] for r in conn.execute("SELECT headline FROM posts WHERE headline != '' ORDER BY random() LIMIT 3000")]
        words = sorted({w for h in headlines for w in h.split() if w.isalpha() and len(w) >= 5})
        rng.shuffle(words)
        return cls(story_ids, days, outlet_days, words)

    def read(self, rng: random.Random) -> tuple[str, str]:
        name = rng.choices([n for _, n in READ_MIX], weights=[w for w, _ in READ_MIX])[0]
        day = rng.choice(self.days)
        outlet, outlet_day = rng.choice(self.outlet_days)
        path = {
            "timeline": f"/api/timeline?since={day}&until={day}&limit=50",
            "stories": f"/api/stories?day={day}&limit=50",
            "story": f"/api/stories/{rng.choice(self.story_ids)}",
            "latest posts": "/api/posts?limit=50",
            "posts": f"/api/posts?day={day}&limit=50",
            "posts by outlet": f"/api/posts?outlet={quote(outlet)}&day={outlet_day}&limit=50",
            "quotes": "/api/quotes?limit=50",
            "quotes by day": f"/api/quotes?day={day}&limit=50",
            "entities": "/api/entities?limit=50",
            "people": "/api/entities?type=PERSON&limit=50",
        }[name]
        return name, path

    def search(self, rng: random.Random) -> tuple[str, str]:
        return "search", f"/api/search?q={quote(' '.join(rng.sample(self.words[:400], 2)))}&limit=20"

    @staticmethod
    def floor(rng: random.Random) -> tuple[str, str]:
        return "health", "/api/health"


def quote(text: str) -> str:
    from urllib.parse import quote as escape

    return escape(text, safe="")


# -- the load ----------------------------------------------------------------------------------

class Connection:
    """One keep-alive HTTP/1.1 connection, as lean as a client can be, so that the
    generator's own time stays small beside the server's."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> int:
        reused = self.writer is not None
        try:
            return await self._exchange(path)
        except (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError):
            if not reused:
                raise
            # The server closed the connection while it sat idle (uvicorn keeps one 5 s):
            # what any HTTP client does, once, on a new connection.
            self.close()
            return await self._exchange(path)

    async def _exchange(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), None)
        if length is None:
            raise ValueError("response without Content-Length")
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclasses.dataclass
class Run:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = dataclasses.field(default_factory=lambda: defaultdict(int))
    server_cpu_s: float | None = None  # CPU seconds the server processes used during the run

    def all(self) -> np.ndarray:
        return np.array([x for xs in self.latencies.values() for x in xs]) * 1000

    def p95(self) -> float:
        return float(np.percentile(self.all(), 95))

    def report(self) -> str:
        every = self.all()
        p50, p95, p99 = np.percentile(every, [50, 95, 99])
        lines = [f"{self.name}: {len(every)} requests in {self.seconds:.1f} s = {len(every) / self.seconds:.0f} req/s; "
                 f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, max {every.max():.0f} ms; "
                 f"errors {sum(self.errors.values())}" + (f" {dict(self.errors)}" if self.errors else "")
                 + (f"; server CPU {self.server_cpu_s * 1000 / len(every):.1f} ms a request"
                    if self.server_cpu_s is not None else "")]
        if len(self.latencies) > 1:
            for name, xs in sorted(self.latencies.items()):
                ms = np.array(xs) * 1000
                lines.append(f"    {name:<16} {len(ms):>6} requests  p50 {np.percentile(ms, 50):6.1f} ms  "
                             f"p95 {np.percentile(ms, 95):6.1f} ms")
        return "\n".join(lines)


async def first_requests(host: str, port: int, choices: "Choices") -> str:
    """Each endpoint's first answer after the server starts: caches kept per data version
    (the entity list, the corpus-wide conflicts a story shows, the search vectors and
    model) are made here, once per data version; the runs after it do not include it."""
    connection, rng, times = Connection(host, port), random.Random(SEED), {}
    wanted = [name for _, name in READ_MIX] + ["search"]
    while wanted:
        name, path = choices.search(rng) if wanted[0] == "search" else choices.read(rng)
        if name != wanted[0]:
            continue
        started = time.perf_counter()
        await connection.get(path)
        times[wanted.pop(0)] = time.perf_counter() - started
    connection.close()
    return ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in times.items())


async def load(host: str, port: int, name: str, pick, clients: int, seconds: float, think: float = 0.0,
               seed: int = SEED, cpu: Callable[[], float | None] | None = None) -> Run:
    """`clients` connections, each sending its next request when the last is answered
    (after a pause of `think` seconds on average, exponentially distributed, if given).
    Each run draws its requests with a seed of its own: the server remembers the vectors of
    recent search queries (store/search_queries.py), so a run repeating an earlier run's
    queries would not pay for embedding them."""
    run = Run(name)
    warm = Connection(host, port)
    rng = random.Random(seed)
    for _ in range(WARMUP * 10):
        await warm.get(pick(rng)[1])
    warm.close()
    cpu_before = cpu() if cpu else None

    async def client(i: int, deadline: float) -> None:
        # What a client asks depends on the run's seed; when it pauses does not, so that
        # every paced run offers the same load (a seed of its own moved it by up to 10%).
        rng, pauses, connection = random.Random(seed * 1_000 + i + 1), random.Random(SEED + i), Connection(host, port)
        if think:  # paced clients start as they would go on, not all in the same instant
            await asyncio.sleep(pauses.expovariate(1 / think))
        while time.perf_counter() < deadline:
            endpoint, path = pick(rng)
            started = time.perf_counter()
            try:
                status = await connection.get(path)
            except (OSError, ValueError, asyncio.IncompleteReadError) as exc:
                run.errors[f"{endpoint}: {type(exc).__name__}"] += 1
                connection.close()
                connection = Connection(host, port)
                continue
            run.latencies[endpoint].append(time.perf_counter() - started)
            if status != 200:
                run.errors[f"{endpoint}: HTTP {status}"] += 1
            if think:
                await asyncio.sleep(min(pauses.expovariate(1 / think), max(0.0, deadline - time.perf_counter())))
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i, started + seconds) for i in range(clients)))
    run.seconds = time.perf_counter() - started
    cpu_after = cpu() if cpu else None
    if cpu_before is not None and cpu_after is not None:
        run.server_cpu_s = cpu_after - cpu_before
    return run


def process_tree_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by a process and all its descendants
    (the uvicorn workers), from /proc; None where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(process_tree_cpu(int(child)) or 0.0 for child in children)


# -- the server ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, cpu: int | None, log: Path, workers: int = 1) -> tuple[subprocess.Popen, int]:
    """`storyline serve` on a free loopback port (pinned to `cpu`), once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "STORYLINE_API_TOKEN"}  # reads only
    process = subprocess.Popen(
        [sys.executable, "-m", "storyline.cli", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
        preexec_fn=(lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"storyline serve exited: {log.read_text()[-2000:]}") from None
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("storyline serve did not start within 60 s")


def wait_until_warm(port: int, limit: float = WARM_LIMIT_S) -> float:
    """Seconds until /api/health says "ok" (the server learns the stored posts in the
    background after it starts; the runs measure the server people use after that)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            if client.get("/api/health").json().get("status") == "ok":
                break
        time.sleep(0.5)
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--only", choices=("reads", "search"), help="run one mix (and the floor) only")
    parser.add_argument("--workers", type=int, default=1,
                        help="server processes (serve --workers); above 1 the server and the load generator share "
                             "every CPU instead of one each")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: the UKP corpus is not at {CORPUS}")
        return 0
    db = CACHE / f"storyline-api-load-{BUILD}-{args.posts}.db"
    if args.rebuild or not db.exists():
        print(f"building {db} (once; cached)", flush=True)
        build_database(db, args.posts)
    print(f"database: {db}: {describe_database(db)}")
    print(f"  synthesized: UKP posts (real text, enrichment and MiniLM vectors) saved as copies "
          f"{COPY_SHIFT.days} days apart with new ids until {args.posts} posts; stories by cluster.update_stories")
    choices = Choices.of(db, random.Random(SEED))
    cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    server_cpu, client_cpu = (cpus[0], cpus[1]) if len(cpus) >= 2 and args.workers == 1 else (None, None)
    log = CACHE / "storyline-api-load-server.log"
    server, port = start_server(db, server_cpu, log, args.workers)
    if client_cpu is not None:
        os.sched_setaffinity(0, {client_cpu})
        print(f"server (uvicorn, one process) pinned to CPU {server_cpu}; load generator to CPU {client_cpu}")
    elif args.workers > 1:
        print(f"server: {args.workers} uvicorn worker processes; they and the load generator share all "
              f"{len(cpus) or os.cpu_count()} CPUs")
    else:
        print("one CPU: server and load generator share it (figures are pessimistic)")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine adds noise)")
    clients, seconds = args.clients, args.seconds
    jobs: list[tuple] = [("floor /api/health", Choices.floor, clients, FLOOR_SECONDS, 0.0)]
    mixes = [(n, p) for n, p in (("reads", choices.read), ("search", choices.search)) if args.only in (None, n)]
    for name, pick in mixes:
        jobs += [(f"{name}, service time (1 client)", pick, 1, SERVICE_SECONDS, 0.0),
                 (f"{name}, saturation ({clients} clients, no pause)", pick, clients, seconds, 0.0),
                 (f"{name}, paced ({clients} clients, {THINK_S:g} s mean pause)", pick, clients, seconds, THINK_S)]
    try:
        print(f"warm-up (conflicts not yet assembled, in the background): {wait_until_warm(port):.1f} s; "
              f"requests are answered meanwhile, more slowly", flush=True)
        print(f"first requests after start (caches made once per data version): "
              f"{asyncio.run(first_requests('127.0.0.1', port, choices))}", flush=True)
        cpu = functools.partial(process_tree_cpu, server.pid)
        runs = [asyncio.run(load("127.0.0.1", port, *job, seed=SEED + number, cpu=cpu))
                for number, job in enumerate(jobs)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; keep-alive connections; no ETags sent "
          "(every read is computed or taken from the body cache)")
    for run in runs:
        print(run.report())
    errors = sum(sum(r.errors.values()) for r in runs)
    by_name = {r.name.split(",")[0] + ("/paced" if "paced" in r.name else "/saturation" if "saturation" in r.name else ""): r
               for r in runs}
    for load_kind in ("paced", "saturation"):
        verdicts = []
        for name, label, goal in (("reads", "API", API_P95_GOAL_MS), ("search", "search", SEARCH_P95_GOAL_MS)):
            run = by_name.get(f"{name}/{load_kind}")
            if run is not None:
                verdicts.append(f"{label} p95 {run.p95():.1f} ms (<= {goal:.0f}: {'ok' if run.p95() <= goal else 'OVER GOAL'})")
        print(f"goals at {load_kind}: {'; '.join(verdicts)}")
    print(f"errors: {errors} ({'ok' if not errors else 'NOT ZERO'})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
