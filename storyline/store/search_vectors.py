"""Nearest posts to a query vector, over the stored post vectors held in memory.

The vectors of ``post_vectors`` (one model's, and only those made from a post's current
text) are read once into a float32 matrix with each row's outlet, kind and day as small
integer codes, and kept per database until ``post_vector_changes`` (counted by triggers,
migration 4) says they changed. Filters are applied to the matrix rows by their codes;
search.py checks the filters again in SQL on the rows it returns, so codes gone stale since
loading can hide a post but never show a wrong one.

A query is answered in one of three ways (bench/search_speed.py measures them):

- under ``INDEXED_ROWS`` rows, by scoring every row (one matrix-vector product);
- when a filter passes at most ``NARROW_ROWS`` rows, by scoring exactly those rows;
- otherwise through inverted lists (``vector_lists.py``): the rows are stored list by list,
  the lists nearest the query propose ``RERANKED_PER_RESULT`` candidates per result wanted,
  and the candidates are scored exactly. At 100,000 UKP posts that is ~3.5 ms a query
  (p95 ~3.9) instead of ~13 ms, finding 95% of the exact top 300, and the first page of
  fused hits is 97% the same (bench/search_speed.py).

Returned cosines are always exact, and ties go to the row stored first, so every way ranks
the rows it scores alike. The lists are trained on the first load (~1.6 s at 100k rows, on
top of ~1.2 s reading them) and kept across reloads of the same database until the rows
have doubled; a reload only assigns the rows to them (~0.9 s). They take a third of the
matrix's memory again (49 MB beside 146 MB at 100k rows).

``MIN_SIMILARITY``: below this cosine a post is not a vector candidate. Without a floor a
query with no match would still "find" its nearest posts. Measured on the examples corpus
(all-MiniLM-L6-v2, headline + lead vectors): the best post for queries about nothing in it
scored 0.06-0.29 ("recipe for chocolate cake" 0.06, "xyzzy" 0.13, "bitcoin price" 0.27,
"NEAR(" 0.29), while posts on a query's topic scored 0.31-0.69 ("evacuation" 0.31-0.49,
"bridge reopen" 0.57-0.69, "how many people died" 0.56-0.62). tests/test_search.py checks
both ends; re-run it after changing the floor or the model.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import sqlalchemy as sa

from .vector_lists import InvertedLists, Partition, arrange, train

MIN_SIMILARITY = 0.30
# Databases whose vectors one process keeps: an API serves one, tests open many.
CACHED_DATABASES = 2
# Under this many rows every row is scored. bench/search_speed.py --tune (samples of the
# 100k UKP rows, 300 results): the exact scan takes 1.0 ms at 10,000 rows, 2.6 ms at 20,000
# and 6.6 ms at 50,000; the index 1.0, 1.7 and 2.7 ms, finding 95-96% of the exact top 300.
# Below 20,000 it would save under a millisecond for the ~5% it misses.
INDEXED_ROWS = 20_000
# A filter passing at most this many rows has exactly those rows scored (gathered from the
# matrix, ~0.45 ms per 1,000) instead of going through the lists (~3.5 ms at 100k rows,
# however many pass). bench/search_speed.py --tune at 100k: 5,000 passing rows 2.2 ms
# exactly against 3.4 ms through the lists, 10,000 rows 4.6 against 3.7 ms.
NARROW_ROWS = 8_000
# Candidates the lists propose per result wanted, scored exactly. bench/search_speed.py
# --tune at 100k UKP posts, 300 results, half the rows probed: 4 per result found 93.3% of
# the exact top 300 (3.3 ms a query), 5 94.2% (3.4 ms), 7 95.2% (3.6 ms), 10 95.7% (3.9 ms).
RERANKED_PER_RESULT = 7


@dataclass
class VectorFilter:
    outlet: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass
class VectorIndex:
    """Stored vectors of one model as a matrix, with what the filters need per row. With
    `lists`, every per-row array is stored in list order."""

    changes: int  # post_vector_changes when read
    post_ids: list[str]
    matrix: np.ndarray  # (n, dim) float32, rows of norm 1
    outlets: np.ndarray  # int32 codes into outlet_codes
    kinds: np.ndarray  # int32 codes into kind_codes
    days: np.ndarray  # int32 date ordinals, -1 when a post has no day
    outlet_codes: dict[str, int] = field(default_factory=dict)
    kind_codes: dict[str, int] = field(default_factory=dict)
    lists: InvertedLists | None = None  # None: too few rows to be worth it

    def nearest(self, query: np.ndarray, where: VectorFilter, n: int,
                exact: bool = False) -> list[tuple[str, float]]:
        """Up to n (post id, cosine) pairs, most similar first, at least MIN_SIMILARITY.
        `exact` scores every row even when the lists would answer (bench, tests)."""
        if not len(self.post_ids) or n <= 0:
            return []
        query = np.asarray(query, dtype=np.float32)
        keep = self._mask(where)
        if exact or self.lists is None:
            scores = self.matrix @ query
            rows = np.arange(len(scores))
            if keep is not None:
                rows = np.flatnonzero(keep)
                scores = scores[rows]
        else:
            rows = self._rows_to_score(self.lists, query, keep, n)
            scores = self.matrix[rows] @ query
        best_rows, best_scores = _best(rows, scores, n)
        post_ids = self.post_ids
        return [(post_ids[row], score) for row, score in zip(best_rows.tolist(), best_scores.tolist())]

    @staticmethod
    def _rows_to_score(lists: InvertedLists, query: np.ndarray, keep: np.ndarray | None, n: int) -> np.ndarray:
        if keep is not None:
            passing = np.flatnonzero(keep)
            if len(passing) <= NARROW_ROWS:
                return passing
        return lists.candidates(query, keep, RERANKED_PER_RESULT * n)

    def _mask(self, where: VectorFilter) -> np.ndarray | None:
        keep = None

        def both(condition: np.ndarray) -> np.ndarray:
            return condition if keep is None else keep & condition

        if where.outlet is not None:
            keep = both(self.outlets == self.outlet_codes.get(where.outlet, -1))
        if where.kind is not None:
            keep = both(self.kinds == self.kind_codes.get(where.kind, -1))
        if where.since is not None:
            keep = both(self.days >= where.since.toordinal())
        if where.until is not None:
            keep = both((self.days >= 0) & (self.days <= where.until.toordinal()))
        return keep


def _best(rows: np.ndarray, scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The n best rows and their scores, at least MIN_SIMILARITY, best first; of equal
    scores, the lower row (so the ways of scoring agree on ties, such as copies of one vector)."""
    n = min(n, len(scores))
    if n == 0:
        return rows[:0], scores[:0]
    cut = np.partition(scores, len(scores) - n)[len(scores) - n]
    top = np.flatnonzero(scores >= max(cut, MIN_SIMILARITY))
    top = top[np.lexsort((rows[top], -scores[top]))][:n]
    return rows[top], scores[top]


_cache: OrderedDict[tuple[str, str], VectorIndex] = OrderedDict()
_lock = threading.Lock()


def vector_index(conn: sa.Connection, model: str) -> VectorIndex | None:
    """The stored vectors of `model` (None when there are none), loaded at most once per
    change of post_vectors; the lists trained for the previous load are kept."""
    changes = conn.exec_driver_sql("SELECT changes FROM post_vector_changes").scalar()
    key = (_database_key(conn.engine.url), model)
    with _lock:
        index = _cache.get(key)
        if index is None or index.changes != changes:
            trained = index.lists.partition if index is not None and index.lists is not None else None
            index = with_lists(read_vectors(conn, model, int(changes or 0)), trained)
            _cache[key] = index
        _cache.move_to_end(key)
        while len(_cache) > CACHED_DATABASES:
            _cache.popitem(last=False)
    return index if index.post_ids else None


def vectors_stored(url: sa.URL, model: str) -> bool | None:
    """Whether this database held vectors of `model` when they were last loaded in this
    process (None: not loaded yet). Tells a search whether to embed its query."""
    with _lock:
        index = _cache.get((_database_key(url), model))
    return None if index is None else bool(index.post_ids)


def forget_vectors() -> None:
    """Drop every cached matrix (tests, or to free the memory)."""
    with _lock:
        _cache.clear()


def with_lists(index: VectorIndex, trained: Partition | None = None, min_rows: int | None = None) -> VectorIndex:
    """`index` stored list by list, with lists from `trained` while they still serve (or
    newly trained); `index` itself when it has fewer than `min_rows` (INDEXED_ROWS) rows."""
    if not index.post_ids or len(index.post_ids) < (INDEXED_ROWS if min_rows is None else min_rows):
        return index
    partition = trained if trained is not None and trained.serves(index.matrix) else train(index.matrix)
    order, lists = arrange(index.matrix, partition)
    return VectorIndex(
        changes=index.changes, post_ids=[index.post_ids[i] for i in order], matrix=index.matrix[order],
        outlets=index.outlets[order], kinds=index.kinds[order], days=index.days[order],
        outlet_codes=index.outlet_codes, kind_codes=index.kind_codes, lists=lists,
    )


def _database_key(url: sa.URL) -> str:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        url = url.set(database=os.path.abspath(url.database))
    return url.render_as_string(hide_password=False)


def read_vectors(conn: sa.Connection, model: str, changes: int) -> VectorIndex:
    """The stored vectors of `model` in post id order, without lists."""
    # The change count was read first: a write landing during the load makes the next
    # search load again, never keeps stale vectors under a new count.
    query = sa.text(
        "SELECT v.post_id, v.vector, b.outlet, p.kind, p.day FROM post_vectors v "
        "JOIN posts p ON p.id = v.post_id AND p.content_hash = v.content_hash "
        "JOIN blogs b ON b.id = p.blog_id WHERE v.model = :model ORDER BY v.post_id"
    )
    post_ids, blobs, outlets, kinds, days = [], [], [], [], []
    outlet_codes: dict[str, int] = {}
    kind_codes: dict[str, int] = {}
    width = None
    for post_id, blob, outlet, kind, day in conn.execute(query, {"model": model}):
        blob = bytes(blob)
        width = width or len(blob)
        if len(blob) != width or width % 4:
            continue  # a vector of another size: not this model's
        post_ids.append(post_id)
        blobs.append(blob)
        outlets.append(outlet_codes.setdefault(outlet or "", len(outlet_codes)))
        kinds.append(kind_codes.setdefault(kind, len(kind_codes)))
        days.append(date.fromisoformat(day).toordinal() if day else -1)
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), (width or 4) // 4)
    return VectorIndex(
        changes=changes, post_ids=post_ids, matrix=matrix,
        outlets=np.array(outlets, dtype=np.int32), kinds=np.array(kinds, dtype=np.int32),
        days=np.array(days, dtype=np.int32), outlet_codes=outlet_codes, kind_codes=kind_codes,
    )
