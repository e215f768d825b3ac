"""Query vectors for search: one text at a time from many threads, embedded together.

    embedding = minilm_embedding()
    vector = embedding.embed("bridge reopens")  # L2-normalised, read-only

A server answers searches on many threads at once, and each needs its query embedded. Run
one by one, every query pays for streaming the model's weights through the CPU for a few
word pieces: bench/search_speed.py's 200 queries took a median 2.9 ms each alone, 2.2 ms
each two at a time, 1.9 ms four at a time and 1.7 ms eight at a time (one core). So
``QueryBatcher`` lets the first thread that finds the model idle embed its text at once (a
lone query waits for nothing), and the texts that arrive while a batch runs go together as
the next one. The last ``REMEMBERED_QUERIES`` texts keep their vectors: the pages of one
query, and the same words searched again with other filters, embed once.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np

# Texts per batch: the embedder's own batch (cluster/embed.py BATCH_SIZE); more gains
# nothing per text, and the last text of a batch waits for all of them.
MOST_PER_BATCH = 16
# Vectors of recent query texts kept per process: 1,024 x 384 float32 is 1.5 MB, more than
# the distinct queries a team sends in the minutes a results page stays open.
REMEMBERED_QUERIES = 1024


@dataclass(frozen=True)
class QueryEmbedding:
    """How to embed a query so that it compares with the stored post vectors of `model`."""

    model: str  # post_vectors.model
    embed: Callable[[str], np.ndarray]  # one L2-normalised vector


class _Waiting:
    __slots__ = ("text", "vector", "error", "done")

    def __init__(self, text: str) -> None:
        self.text = text
        self.vector: np.ndarray | None = None
        self.error: BaseException | None = None
        self.done = False


class QueryBatcher:
    """`embed_many(texts) -> (len(texts), dim)` called for one text at a time from any
    number of threads: texts that wait while a batch runs go together as the next batch."""

    def __init__(self, embed_many: Callable[[list[str]], np.ndarray], most: int = MOST_PER_BATCH,
                 remembered: int = REMEMBERED_QUERIES) -> None:
        self._embed_many = embed_many
        self._most = most
        self._remembered = remembered
        self._changed = threading.Condition()
        self._waiting: list[_Waiting] = []
        self._running = False
        self._recent: OrderedDict[str, np.ndarray] = OrderedDict()
        self.batches: list[int] = []  # sizes of the last batches run (bench, tests)

    def __call__(self, text: str) -> np.ndarray:
        with self._changed:
            known = self._recent.get(text)
            if known is not None:
                self._recent.move_to_end(text)
                return known
            mine = _Waiting(text)
            self._waiting.append(mine)
            while not mine.done:
                if self._running:
                    self._changed.wait()
                else:
                    self._run_next(mine)
        if mine.error is not None:
            raise mine.error
        assert mine.vector is not None
        return mine.vector

    def _run_next(self, mine: _Waiting) -> None:
        """Embed the oldest waiting texts (the lock held on entry and on return, released
        while the model runs). Whatever happens, no text of the batch is left waiting: an
        error reaches each caller (a copy of its own), and an interruption of the thread
        running the batch (KeyboardInterrupt, SystemExit) is raised in that thread only,
        the other texts going back to wait for the next run."""
        batch, self._waiting = self._waiting[:self._most], self._waiting[self._most:]
        self._running = True
        vectors: np.ndarray | None = None
        error: Exception | None = None
        finished = False
        self._changed.release()
        try:
            try:
                vectors = np.asarray(self._embed_many([item.text for item in batch]), dtype=np.float32)
                if vectors.ndim != 2 or len(vectors) != len(batch):
                    raise ValueError(f"the model gave {vectors.shape} for {len(batch)} texts")
            except Exception as exc:  # noqa: BLE001 (handed to every caller of the batch)
                error, vectors = exc, None
            finished = True
        finally:
            self._changed.acquire()
            self._running = False
            if finished:
                for row, item in enumerate(batch):
                    if vectors is not None:
                        vector = vectors[row].copy()
                        vector.flags.writeable = False  # shared by every caller of the same text
                        item.vector = self._remember(item.text, vector)
                    else:
                        item.error = error if item is mine else _own_copy(error)
                    item.done = True
                del self.batches[:-100]
                self.batches.append(len(batch))
            else:  # interrupted: the others wait for the next run; this thread's text is dropped
                self._waiting[:0] = [item for item in batch if item is not mine]
                self._waiting = [item for item in self._waiting if item is not mine]
            self._changed.notify_all()

    def _remember(self, text: str, vector: np.ndarray) -> np.ndarray:
        if self._remembered <= 0:
            return vector
        self._recent[text] = vector
        self._recent.move_to_end(text)
        while len(self._recent) > self._remembered:
            self._recent.popitem(last=False)
        return vector


def _own_copy(error: Exception | None) -> Exception | None:
    """A copy of `error` for one more thread to raise (one exception object raised in many
    threads would gather all their tracebacks), chained to the original."""
    if error is None:
        return None
    try:
        copied = copy.copy(error)
    except Exception:  # noqa: BLE001 (an exception that cannot be copied: share it)
        return error
    copied.__cause__, copied.__traceback__ = error, None
    return copied


def embedded_now(embedding: QueryEmbedding, query: str) -> QueryEmbedding | None:
    """`embedding` with `query`'s vector made now (before a search takes its turn, so that
    the queries waiting for one are embedded together); None when the model is missing
    (the search is then by words alone, as it would be anyway)."""
    from ..errors import ModelMissing

    try:
        vector = embedding.embed(query)
    except ModelMissing:
        return None
    return QueryEmbedding(embedding.model, lambda text: vector if text == query else embedding.embed(text))


_minilm: QueryEmbedding | None = None
_minilm_lock = threading.Lock()


def minilm_embedding() -> QueryEmbedding:
    """The model the stories stage embeds posts with (cluster/embed.py), batched across
    threads; it loads, once per process, on the first query that has vectors to compare with."""
    global _minilm
    with _minilm_lock:
        if _minilm is None:
            from ..cluster.embed import VERSION, embed

            _minilm = QueryEmbedding(VERSION, QueryBatcher(lambda texts: embed(texts, batch_size=MOST_PER_BATCH)))
        return _minilm
