"""Search over posts: full-text rank and vector similarity, fused by reciprocal rank.

    hits = search(conn, "bridge reopens", SearchFilter(outlet="Harbour Courier"), embedding)

Ranking, in three steps:

1. **Full text** (the index of migration 4, ``search_index.py``). The query is cut into safe
   terms (``search_terms.py``); a post must contain every term (the last one also as a
   prefix; quoted words as a phrase). SQLite orders matches by BM25 with a headline match
   weighing 2.5 times a body match; PostgreSQL by ``ts_rank_cd`` over the weighted
   ``tsvector`` (headline A = 1.0, body B = 0.4: the same 2.5 ratio), normalised by
   document length as BM25 is. Both stem English words ("floods" finds "flooding").
2. **Vectors**, when the posts have stored vectors and the embedding model is installed:
   the query is embedded with the model that made them (all-MiniLM-L6-v2) and compared by
   cosine with the stored post vectors (``search_vectors.py``: every one up to 20,000,
   beyond that the nearest lists of an inverted-file index, ``vector_lists.py``, whose
   candidates are scored exactly); posts under a similarity floor are not candidates. This side finds posts that say the same thing in other words.
3. **Fusion**: each side's top ``CANDIDATES`` are merged by Reciprocal Rank Fusion, a
   post's score being the sum over the sides that found it of 1 / (RRF_K + rank). Ties go to
   the better full-text rank, then the post id.

Filters (outlet, kind, a day range) apply to both sides before ranking, and are checked
again on the rows of the page returned. SQL for both backends, full-text ranking and
highlighting, is in ``search_fulltext.py``. Each hit carries which sides found it, at which ranks,
and its headline and a snippet of its body as ``[text, is_match]`` segments (the caller
escapes and marks up the matches itself: page text is untrusted).

Many at once (a server): Store.search embeds the query first (``search_queries.py``: the
queries that arrive while the model runs are embedded together), then waits for a turn
(``search_turn``) before it takes a connection and runs the three steps.
"""

from __future__ import annotations

import heapq
from collections import deque
import os
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import sqlalchemy as sa

from ..errors import ConfigError, ModelMissing
from . import schema
from .search_fulltext import full_text_ranking, hit_texts
from .search_queries import QueryEmbedding, minilm_embedding  # noqa: F401 (the embedding search takes)
from .search_terms import Terms, parse_query, segments, snippet
from .search_vectors import VectorFilter, vector_index

# Reciprocal Rank Fusion's constant, as proposed by Cormack, Clarke and Büttcher (SIGIR
# 2009), who found k = 60 near-best across TREC runs and insensitive around there. It makes
# rank 1 worth only ~1.6x rank 30, so one side's top hit cannot drown a post that both
# sides rank well, and it needs no calibration between BM25 and cosine scales.
RRF_K = 60
# Candidates taken from each side before fusion. A post deep in one list still reaches the
# first page when the other side ranks it high, so a shorter list changes pages: the first
# 20 hits shared with a 1,000-deep fusion, over the 200 queries of bench/search_speed.py at
# 100k posts, were 86% at 50, 91% at 100 and 97% at 300, for a mean of 41, 42 and 45 ms (58 ms at 1,000).
# Deeper pages (offset + limit) take as many as they need, up to MAX_DEPTH.
CANDIDATES = 300
MAX_DEPTH = 1000
FULL_TEXT, VECTOR = "text", "vector"
# Searches on SQLite take turns, at most as many at once as the process has CPUs to run
# them (the rest wait, in arrival order, before taking a connection): a search is ~15 ms
# of this process's CPU, so running more at once only makes each finish later. bench/
# api_load.py, 100k posts, one core, 50 clients pausing ~1 s (~47 searches/s): p95
# 93-100 ms (3 runs) with every search at once, 74-77 ms one at a time, 86-94 ms two at a
# time. On PostgreSQL part of a search is the database server's work: not limited.
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


class Turns:
    """At most `size` holders at once; the others get their turn first come, first served
    (a freed turn is handed to the oldest waiter, never taken by a newcomer)."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiters: deque[threading.Lock] = deque()
        self._lock = threading.Lock()

    def __enter__(self) -> "Turns":
        with self._lock:
            if self._free and not self._waiters:
                self._free -= 1
                return self
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        waiter.acquire()  # released by the holder that hands its turn over
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            if self._waiters:
                self._waiters.popleft().release()
            else:
                self._free += 1


_turns = Turns(_CPUS)


def search_turn(backend: str) -> AbstractContextManager[Any]:
    """Hold while a search on `backend` (a dialect name) runs (see _turns)."""
    return _turns if backend == "sqlite" else nullcontext()


@dataclass(frozen=True)
class SearchFilter:
    """Which posts may be found, and which page of the ranking to return."""

    outlet: str | None = None
    since: date | None = None  # the post's day, inclusive
    until: date | None = None  # inclusive
    kind: str | None = None  # news, media or housekeeping
    limit: int = 20
    offset: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.limit, int) or not 1 <= self.limit <= MAX_DEPTH:
            raise ConfigError(f"search limit must be 1 to {MAX_DEPTH}, not {self.limit!r}")
        if not isinstance(self.offset, int) or self.offset < 0:
            raise ConfigError(f"search offset must be 0 or more, not {self.offset!r}")


def search(conn: sa.Connection, query: str, where: SearchFilter,
           embedding: QueryEmbedding | None = None) -> list[dict[str, Any]]:
    """One page of hits for `query`, best first (see the module docstring)."""
    terms = parse_query(query)
    depth = min(MAX_DEPTH, max(CANDIDATES, where.offset + where.limit))
    rankings: dict[str, list[str]] = {}
    if terms:
        rankings[FULL_TEXT] = full_text_ranking(conn, terms, where, depth)
    if embedding is not None and query and query.strip():
        rankings[VECTOR] = vector_ranking(conn, query, where, depth, embedding)
    fused = fuse(rankings, best=where.offset + where.limit)[where.offset:]
    return _hits(conn, fused, terms, where)


def fuse(rankings: dict[str, list[str]], k: int = RRF_K,
         best: int | None = None) -> list[tuple[str, float, dict[str, int]]]:
    """(post id, RRF score, rank on each side that found it), best first; only the `best`
    first when given (a page needs offset + limit of ~600 candidates)."""
    scores: dict[str, float] = {}
    found: dict[str, dict[str, int]] = {}
    for side, ranked in rankings.items():
        for rank, post_id in enumerate(ranked, start=1):
            scores[post_id] = scores.get(post_id, 0.0) + 1.0 / (k + rank)
            found.setdefault(post_id, {})[side] = rank

    def order(post_id: str) -> tuple[float, int, str]:
        return -scores[post_id], found[post_id].get(FULL_TEXT, MAX_DEPTH + 1), post_id

    ranked_ids = sorted(scores, key=order) if best is None else heapq.nsmallest(best, scores, key=order)
    return [(post_id, scores[post_id], found[post_id]) for post_id in ranked_ids]


def hit_json(hit: dict[str, Any]) -> dict[str, Any]:
    """A hit with its time and day as ISO 8601 text, ready for JSON."""
    return {**hit, "published": hit["published"].isoformat() if hit["published"] else None,
            "day": hit["day"].isoformat() if hit["day"] else None}


# -- vectors -------------------------------------------------------------------------------


def vector_ranking(conn: sa.Connection, query: str, where: SearchFilter, depth: int,
                   embedding: QueryEmbedding) -> list[str]:
    """Post ids by cosine to the query, best first; [] when no vectors are stored."""
    index = vector_index(conn, embedding.model)
    if index is None:
        return []
    try:
        vector = embedding.embed(query)
    except ModelMissing:  # the model is optional: full text alone then
        return []
    if not np.any(vector):  # a text without word pieces: nothing to compare
        return []
    found = index.nearest(vector, VectorFilter(where.outlet, where.kind, where.since, where.until), depth)
    return [post_id for post_id, _ in found]


# -- hits ----------------------------------------------------------------------------------


def _hits(conn: sa.Connection, fused: list[tuple[str, float, dict[str, int]]], terms: Terms,
          where: SearchFilter) -> list[dict[str, Any]]:
    if not fused:
        return []
    stored = _hit_rows(conn, [pid for pid, _, _ in fused], where)
    texts = hit_texts(conn, list(stored), terms)
    hits = []
    for post_id, score, ranks in fused:
        row = stored.get(post_id)
        if row is None:  # gone, or fails a filter the vector side saw stale
            continue
        headline, body = texts.get(post_id, (row["headline"], ""))
        hits.append({
            "post_id": post_id, "blog_id": row["blog_id"], "outlet": row["outlet"] or "",
            "headline": row["headline"], "published": row["published"], "precision": row["precision"],
            "day": row["day"], "kind": row["kind"], "story_id": row["story_id"],
            "score": score, "matched": [side for side in (FULL_TEXT, VECTOR) if side in ranks],
            "ranks": dict(ranks), "headline_segments": segments(headline), "snippet": snippet(body),
        })
    return hits


def _hit_rows(conn: sa.Connection, post_ids: list[str], where: SearchFilter) -> dict[str, Any]:
    """The rows of these posts that pass the filters (checked here, on a page of rows: in
    SQL, SQLite may start from every post of the outlet)."""
    posts, blogs, members = schema.posts, schema.blogs, schema.story_posts
    query = (
        sa.select(posts.c.id, posts.c.blog_id, blogs.c.outlet, posts.c.headline,
                  posts.c.published, posts.c.precision, posts.c.day, posts.c.kind, members.c.story_id)
        .join(blogs, blogs.c.id == posts.c.blog_id)
        .outerjoin(members, members.c.post_id == posts.c.id)
        .where(posts.c.id.in_(post_ids))
    )
    return {row["id"]: row for row in conn.execute(query).mappings() if _passes(row, where)}


def _passes(row: Any, where: SearchFilter) -> bool:
    day = row["day"]
    return ((where.outlet is None or row["outlet"] == where.outlet)
            and (where.kind is None or row["kind"] == where.kind)
            and (where.since is None or (day is not None and day >= where.since))
            and (where.until is None or (day is not None and day <= where.until)))
