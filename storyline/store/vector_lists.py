"""Inverted lists over unit vectors (IVF): which rows are worth scoring for a query.

The rows are cut into about sqrt(n) lists by spherical k-means (assign by the largest dot
product, a centroid is the normalised mean of its rows), trained on a fixed-seed sample so
that the same rows always make the same lists. The caller stores its rows permuted so that
each list is one contiguous slice. A query ranks the centroids and takes the best lists
until they hold ``PROBED_SHARE`` of the rows that pass its filter (and at least as many as
it wants candidates); those rows are scored on their first ``REDUCED_DIMENSIONS``
principal axes (a third of the bytes of a whole row), and the best of them are handed back
to be scored exactly (search_vectors.py).

Why probe so wide, and score reduced rows: a query is a few words, and a few words lie far
from every post (its best post scores ~0.4-0.6), so its top 300 is spread over many lists
and the centroids rank those lists poorly: at 100k UKP posts, probing 30% of the rows
finds 89.6% of the exact top 300, 50% finds 95.2%. Scoring whole rows in half the lists
takes ~9 ms a query, scoring them on 128 axes ~3.6 ms for about as much (96.2% against
95.2%; bench/search_speed.py --tune).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# The lists and the axes are trained on TRAINING_ROWS_PER_LIST x lists rows drawn with SEED
# (any fixed number: the same rows make the same lists), in LLOYD_ITERATIONS steps from rows
# of the sample as first centroids. bench/search_speed.py --tune at 100k UKP posts (316
# lists): 32 rows a list x 8 steps trained in 1.3 s and found 94.5% of the exact top 300,
# 64 x 4 1.4 s and 95.2%, 64 x 8 1.6 s and 95.2%, 64 x 16 2.3 s and 95.2%, 128 x 8 3.0 s
# and 94.9%.
SEED = 20_250_311
TRAINING_ROWS_PER_LIST = 64
LLOYD_ITERATIONS = 8
# The principal axes a probed row is scored on before the exact pass. bench/search_speed.py
# --tune at 100k UKP posts, half the rows probed: 64 axes found 84.3% of the exact top 300
# (first page of fused hits 92.3% the same, 2.7 ms a query), 96 axes 92.4% (96.0%, 3.3 ms),
# 128 axes 95.2% (97.1%, 3.8 ms), 192 axes 96.1% (97.3%, 5.1 ms), all 384 96.2% (97.3%,
# 9.1 ms).
REDUCED_DIMENSIONS = 128
# Share of the passing rows the probed lists must hold. bench/search_speed.py --tune at 100k
# UKP posts, 128 axes: 30% found 89.6% of the exact top 300 (first page 93.8% the same,
# 2.7 ms a query), 40% 93.4% (95.9%, 3.2 ms), 50% 95.2% (97.1%, 3.6 ms), 60% 96.4% (98.1%,
# 4.0 ms). Re-run it before changing this, the axes or the embedding model.
PROBED_SHARE = 0.5
# Retrain once the rows have grown this much since the lists were trained: until then new
# rows only join their nearest list (lists grow, the share probed stays the same).
RETRAIN_GROWTH = 2.0
# Rows scored per assignment pass, to keep the (rows x lists) product near 10 MB.
CHUNK_ROWS = 8192


@dataclass(frozen=True)
class Partition:
    """Trained once per database and kept across reloads: the centroids of the lists and
    the principal axes rows are reduced to."""

    centroids: np.ndarray  # (lists, dim) float32, rows of norm 1
    axes: np.ndarray  # (dim, REDUCED_DIMENSIONS) float32
    trained_rows: int

    def serves(self, matrix: np.ndarray) -> bool:
        """Whether these lists still fit `matrix` (same width, not grown past retraining)."""
        return matrix.shape[1] == self.centroids.shape[1] and len(matrix) < RETRAIN_GROWTH * self.trained_rows


@dataclass(frozen=True)
class InvertedLists:
    """Rows grouped by nearest centroid: list i is rows starts[i]:starts[i + 1]."""

    partition: Partition
    starts: np.ndarray  # (lists + 1,) int64
    reduced: np.ndarray  # (rows, REDUCED_DIMENSIONS) float32, the rows on the axes

    def candidates(self, query: np.ndarray, keep: np.ndarray | None, count: int) -> np.ndarray:
        """Up to `count` rows passing `keep` (None: all), best by reduced score, in the lists
        nearest the query; the lists probed hold PROBED_SHARE of the passing rows, and at
        least `count` of them when there are that many."""
        passing = np.diff(self.starts) if keep is None else np.diff(np.r_[0, np.cumsum(keep)][self.starts])
        ranked = np.argsort(-(self.partition.centroids @ query), kind="stable")
        held = np.cumsum(passing[ranked])
        wanted = min(int(held[-1]), max(math.ceil(PROBED_SHARE * held[-1]), count))
        probed = np.sort(ranked[:int(np.searchsorted(held, wanted)) + 1])
        rows, scores = self._scored(probed, self.partition.axes.T @ query)
        if keep is not None:
            inside = keep[rows]
            rows, scores = rows[inside], scores[inside]
        if len(rows) > count:
            rows = rows[np.argpartition(-scores, count - 1)[:count]]
        return np.sort(rows)

    def _scored(self, probed: np.ndarray, reduced_query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows of the probed lists and their reduced scores; lists next to each other
        in storage are read as one slice."""
        breaks = np.flatnonzero(np.diff(probed) != 1) + 1
        begins = self.starts[probed[np.r_[0, breaks]]]
        ends = self.starts[probed[np.r_[breaks - 1, len(probed) - 1]] + 1]
        rows = np.concatenate([np.arange(b, e) for b, e in zip(begins, ends)])
        scores = np.empty(len(rows), dtype=np.float32)
        at = 0
        for b, e in zip(begins, ends):
            np.dot(self.reduced[b:e], reduced_query, out=scores[at:at + e - b])
            at += e - b
        return rows, scores


def train(matrix: np.ndarray) -> Partition:
    """Centroids of about sqrt(n) lists by spherical k-means, and the principal axes, from a
    fixed-seed sample of the rows (same rows, same partition)."""
    lists = max(1, round(math.sqrt(len(matrix))))
    rng = np.random.default_rng(SEED)
    size = min(len(matrix), TRAINING_ROWS_PER_LIST * lists)
    sample = matrix[np.sort(rng.choice(len(matrix), size, replace=False))]
    centroids = sample[np.sort(rng.choice(size, lists, replace=False))]
    for _ in range(LLOYD_ITERATIONS):
        centroids = _recentred(sample, centroids)
    return Partition(centroids=centroids, axes=_principal_axes(sample), trained_rows=len(matrix))


def arrange(matrix: np.ndarray, partition: Partition) -> tuple[np.ndarray, InvertedLists]:
    """The order to store the rows in (list by list) and the lists over the rows so ordered."""
    nearest, _ = _nearest(matrix, partition.centroids)
    order = np.argsort(nearest, kind="stable")
    sizes = np.bincount(nearest, minlength=len(partition.centroids))
    starts = np.r_[0, np.cumsum(sizes)].astype(np.int64)
    reduced = np.ascontiguousarray((matrix @ partition.axes)[order], dtype=np.float32)
    return order, InvertedLists(partition=partition, starts=starts, reduced=reduced)


def _nearest(rows: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's nearest centroid and its dot product with it."""
    nearest = np.empty(len(rows), dtype=np.int64)
    best = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), CHUNK_ROWS):
        products = rows[start:start + CHUNK_ROWS] @ centroids.T
        nearest[start:start + len(products)] = products.argmax(axis=1)
        best[start:start + len(products)] = products.max(axis=1)
    return nearest, best


def _recentred(sample: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """One Lloyd step. A centroid left without rows (two first centroids on copies of one
    row) restarts on the rows its neighbours serve worst."""
    nearest, best = _nearest(sample, centroids)
    counts = np.bincount(nearest, minlength=len(centroids))
    filled = np.flatnonzero(counts)
    order = np.argsort(nearest, kind="stable")
    sums = np.add.reduceat(sample[order], np.r_[0, np.cumsum(counts[filled])[:-1]], axis=0)
    moved = centroids.copy()
    moved[filled] = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    empty = np.flatnonzero(counts == 0)
    if len(empty):
        moved[empty] = sample[np.argsort(best, kind="stable")[:len(empty)]]
    return moved.astype(np.float32)


def _principal_axes(sample: np.ndarray) -> np.ndarray:
    """The sample's top REDUCED_DIMENSIONS principal axes, as columns. Scores on them rank
    rows as the full scores' projection does: the mean only shifts every score alike."""
    centred = sample - sample.mean(axis=0)
    values, vectors = np.linalg.eigh(centred.T.astype(np.float64) @ centred)
    top = np.argsort(-values, kind="stable")[:REDUCED_DIMENSIONS]
    return np.ascontiguousarray(vectors[:, top], dtype=np.float32)
