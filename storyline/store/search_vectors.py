"""Nearest posts to a query vector: brute force over the stored post vectors, held in memory.

The vectors of ``post_vectors`` (one model's, and only those made from a post's current
text) are read once into a float32 matrix with each row's outlet, kind and day as small
integer codes, and kept per database until ``post_vector_changes`` (counted by triggers,
migration 4) says they changed. A query is then one matrix-vector product: 100,000 x 384
floats is ~150 MB and answers in a few milliseconds (bench/search_speed.py). Filters
are applied to the matrix rows by their codes; search.py checks the filters again in SQL on
the rows it returns, so codes gone stale since loading can hide a post but never show a
wrong one.

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

MIN_SIMILARITY = 0.30
# Databases whose vectors one process keeps: an API serves one, tests open many.
CACHED_DATABASES = 2


@dataclass
class VectorFilter:
    outlet: str | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive


@dataclass
class VectorIndex:
    """Stored vectors of one model as a matrix, with what the filters need per row."""

    changes: int  # post_vector_changes when read
    post_ids: list[str]
    matrix: np.ndarray  # (n, dim) float32, rows of norm 1
    outlets: np.ndarray  # int32 codes into outlet_codes
    kinds: np.ndarray  # int32 codes into kind_codes
    days: np.ndarray  # int32 date ordinals, -1 when a post has no day
    outlet_codes: dict[str, int] = field(default_factory=dict)
    kind_codes: dict[str, int] = field(default_factory=dict)

    def nearest(self, query: np.ndarray, where: VectorFilter, n: int) -> list[tuple[str, float]]:
        """Up to n (post id, cosine) pairs, most similar first, at least MIN_SIMILARITY."""
        if not len(self.post_ids) or n <= 0:
            return []
        scores = self.matrix @ np.asarray(query, dtype=np.float32)
        keep = self._mask(where)
        if keep is not None:
            scores = np.where(keep, scores, -np.inf)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.post_ids[i], float(scores[i])) for i in top if scores[i] >= MIN_SIMILARITY]

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


_cache: OrderedDict[tuple[str, str], VectorIndex] = OrderedDict()
_lock = threading.Lock()


def vector_index(conn: sa.Connection, model: str) -> VectorIndex | None:
    """The stored vectors of `model` (None when there are none), loaded at most once per
    change of post_vectors."""
    changes = conn.exec_driver_sql("SELECT changes FROM post_vector_changes").scalar()
    key = (_database_key(conn.engine.url), model)
    with _lock:
        index = _cache.get(key)
        if index is None or index.changes != changes:
            index = _load(conn, model, int(changes or 0))
            _cache[key] = index
        _cache.move_to_end(key)
        while len(_cache) > CACHED_DATABASES:
            _cache.popitem(last=False)
    return index if index.post_ids else None


def forget_vectors() -> None:
    """Drop every cached matrix (tests, or to free the memory)."""
    with _lock:
        _cache.clear()


def _database_key(url: sa.URL) -> str:
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:"):
        url = url.set(database=os.path.abspath(url.database))
    return url.render_as_string(hide_password=False)


def _load(conn: sa.Connection, model: str, changes: int) -> VectorIndex:
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
