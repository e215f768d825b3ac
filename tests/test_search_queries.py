"""Query vectors for search (store/search_queries.py): texts from many threads embedded
together, a lone text at once, errors to every waiting caller, recent texts remembered."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from storyline.errors import ModelMissing
from storyline.store.search_queries import QueryBatcher


class SlowModel:
    """A stand-in model: one row per text (its length, its first letter), and a run that
    takes `seconds` so that callers pile up behind it."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.calls: list[list[str]] = []
        self.started = threading.Event()

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        self.started.set()
        time.sleep(self.seconds)
        return np.array([[len(t), ord(t[0])] for t in texts], dtype=np.float32)


def test_a_lone_text_runs_at_once_alone() -> None:
    model = SlowModel(0.0)
    batcher = QueryBatcher(model)
    assert batcher("flood").tolist() == [5.0, ord("f")]
    assert model.calls == [["flood"]]


def test_texts_that_wait_while_a_batch_runs_go_together() -> None:
    model = SlowModel(0.2)
    batcher = QueryBatcher(model)
    texts = [f"query {i}" for i in range(12)]
    with ThreadPoolExecutor(12) as pool:
        first = pool.submit(batcher, "first")
        assert model.started.wait(5)
        rest = [pool.submit(batcher, t) for t in texts]
        time.sleep(0.1)  # all twelve are waiting on the first run
        assert first.result().tolist() == [5.0, ord("f")]
        vectors = [f.result() for f in rest]
    assert [v.tolist() for v in vectors] == [[len(t), ord(t[0])] for t in texts]
    assert model.calls[0] == ["first"] and sorted(model.calls[1]) == sorted(texts)
    assert batcher.batches == [1, 12]


def test_a_batch_holds_at_most_most_texts() -> None:
    model = SlowModel(0.2)
    batcher = QueryBatcher(model, most=4)
    with ThreadPoolExecutor(11) as pool:
        pool.submit(batcher, "first")
        assert model.started.wait(5)
        rest = [pool.submit(batcher, f"q{i}") for i in range(10)]
        for future in rest:
            future.result()
    assert [len(call) for call in model.calls] == [1, 4, 4, 2]


def test_an_error_reaches_every_caller_of_its_batch_and_is_not_remembered() -> None:
    fail = threading.Event()
    fail.set()

    def model(texts: list[str]) -> np.ndarray:
        time.sleep(0.1)
        if fail.is_set():
            raise ModelMissing("sentence embeddings need onnxruntime")
        return np.ones((len(texts), 3), dtype=np.float32)

    batcher = QueryBatcher(model)
    with ThreadPoolExecutor(5) as pool:
        futures = [pool.submit(batcher, f"q{i}") for i in range(5)]
        errors = [f.exception() for f in futures]
    assert all(isinstance(e, ModelMissing) for e in errors)
    fail.clear()  # the model is installed now: nothing failed is kept
    assert batcher("q0").tolist() == [1.0, 1.0, 1.0]


def test_recent_texts_are_remembered_read_only_and_the_oldest_forgotten() -> None:
    model = SlowModel(0.0)
    batcher = QueryBatcher(model, remembered=2)
    first = batcher("alpha")
    assert batcher("alpha") is first and model.calls == [["alpha"]]
    with pytest.raises(ValueError):
        first[0] = 0.0  # shared by every caller: nobody may change it
    batcher("beta")
    batcher("gamma")  # alpha is the oldest of three: forgotten
    batcher("alpha")
    assert model.calls == [["alpha"], ["beta"], ["gamma"], ["alpha"]]


def test_many_threads_get_their_own_vectors() -> None:
    model = SlowModel(0.002)
    batcher = QueryBatcher(model, remembered=0)
    texts = [f"{chr(97 + i % 26)}{'x' * (i % 7)}" for i in range(300)]
    with ThreadPoolExecutor(16) as pool:
        vectors = list(pool.map(batcher, texts))
    assert [v.tolist() for v in vectors] == [[len(t), ord(t[0])] for t in texts]
    assert sum(len(call) for call in model.calls) == 300


def test_batched_minilm_vectors_match_one_at_a_time() -> None:
    pytest.importorskip("onnxruntime", reason="MiniLM is installed by make (requirements.lock)")
    from storyline.cluster.embed import embed

    texts = ["bridge reopens", "how many people were evacuated from the flooded district", "sanctions",
             "talks in Geneva", "xyzzy"]
    try:
        alone = np.stack([embed([t])[0] for t in texts])
    except ModelMissing as exc:
        pytest.skip(str(exc))
    together = embed(texts, batch_size=len(texts))  # what a batch of waiting queries runs
    np.testing.assert_allclose(together, alone, atol=2e-5)


def test_a_model_giving_too_few_rows_fails_every_caller_and_strands_none() -> None:
    calls = []

    def model(texts: list[str]) -> np.ndarray:
        calls.append(len(texts))
        time.sleep(0.05)
        return np.ones((max(0, len(texts) - 1), 3), dtype=np.float32)

    batcher = QueryBatcher(model)
    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(batcher, f"q{i}") for i in range(6)]
        errors = [f.exception(timeout=10) for f in futures]
    assert all(isinstance(e, ValueError) for e in errors)
    assert len({id(e) for e in errors}) == len(errors)  # each caller raises its own
    time.sleep(0.2)
    assert sum(calls) == 6 and 0 not in calls  # nobody left spinning on empty runs


def test_an_interrupted_leader_raises_alone_and_the_others_are_embedded() -> None:
    first = threading.Event()

    def model(texts: list[str]) -> np.ndarray:
        if "leader" in texts:
            first.set()
            time.sleep(0.2)  # the others queue behind this run
            raise SystemExit(3)
        return np.full((len(texts), 2), 7.0, dtype=np.float32)

    batcher = QueryBatcher(model)
    with ThreadPoolExecutor(5) as pool:
        leader = pool.submit(batcher, "leader")
        assert first.wait(5)
        others = [pool.submit(batcher, f"q{i}") for i in range(4)]
        assert isinstance(leader.exception(timeout=10), SystemExit)
        assert [f.result(timeout=10).tolist() for f in others] == [[7.0, 7.0]] * 4
