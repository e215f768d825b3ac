"""Sentence-embedding speed, load time and memory (storyline.cluster.embed).

    python -m bench.embed_speed [--texts 2000] [--repeat 3]     # from the repo root

Texts are windows of 30 words (a sentence) and 60 words (a headline and its lead) cut
from the posts of ../shared/data/liveblogs-ukp (lower-cased and tokenised, so the word
pieces per text are printed beside each figure); without the corpus, from a fixed
synthetic vocabulary. Printed:

- load time: importing onnxruntime and tokenizers and building the session, cold;
- RSS before and after the load, and the process's peak at the end;
- texts per CPU-second on one core (intra-op threads = 1, the default) per batch size
  (medians of --repeat runs; BATCH_SIZE in embed.py is chosen from this), and with 2
  threads; wall-clock rates beside them, which match only on an otherwise idle machine;
- the time of one 10,000-word text (cut to 256 word pieces).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "liveblogs-ukp"
BATCH_SIZES = (1, 8, 16, 32, 64)


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def corpus_words(limit_words: int) -> list[str]:
    """Words of UKP posts in file order, or a synthetic stream when the corpus is absent."""
    import json

    words: list[str] = []
    for path in sorted(CORPUS.glob("*/*.json")) if CORPUS.is_dir() else []:
        blog = json.loads(path.read_text(encoding="utf-8"))
        for document in blog.get("documents", []):
            for text in [document.get("title") or ""] + list(document.get("text") or []):
                if isinstance(text, str):
                    words.extend(text.split())
        if len(words) >= limit_words:
            return words[:limit_words]
    if len(words) < limit_words:
        rng = random.Random(7)
        vocab = ("troops border talks minister said sanctions president forces russia ukraine kyiv "
                 "moscow nato embassy statement meeting week officials military exercises gas "
                 "pipeline germany helmets weapons security council diplomats").split()
        words.extend(rng.choice(vocab) for _ in range(limit_words - len(words)))
    return words


def windows(words: list[str], size: int, count: int) -> list[str]:
    return [" ".join(words[i * size:(i + 1) * size]) for i in range(count)]


def rate(embedder, texts: list[str], batch_size: int, repeat: int) -> tuple[float, float]:
    """Texts per second of process CPU time and of wall-clock time (medians of `repeat`)."""
    cpu, wall = [], []
    for _ in range(repeat):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        embedder.embed(texts, batch_size=batch_size)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return len(texts) / statistics.median(cpu), len(texts) / statistics.median(wall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts per length (default 2000)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    if hasattr(os, "getloadavg"):
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock rates are only "
              f"one-core figures on an idle machine; CPU-second rates hold under load)")
    before = rss_mb()
    start = time.perf_counter()
    from storyline.cluster.embed import MAX_TOKENS, load_embedder

    embedder = load_embedder(threads=1)
    load = time.perf_counter() - start
    after = rss_mb()
    print(f"load (imports + session, cold): {load:.2f} s; RSS {before:.0f} MB before, {after:.0f} MB after "
          f"(+{after - before:.0f} MB)")

    source = "UKP posts" if CORPUS.is_dir() else "synthetic words (UKP corpus not found)"
    words = corpus_words(60 * args.texts)
    embedder.embed(windows(words, 30, 64))  # warm-up: first runs allocate
    for size, label in ((30, "30-word sentences"), (60, "60-word headline+lead")):
        texts = windows(words, size, args.texts)
        pieces = statistics.mean(len(embedder._word_pieces(t)) for t in texts)
        print(f"{label} ({source}, {len(texts)} texts, {pieces:.0f} word pieces each on average):")
        for batch_size in BATCH_SIZES:
            cpu, wall = rate(embedder, texts, batch_size, args.repeat)
            print(f"  1 thread,  batch {batch_size:>3}: {cpu:6.1f} texts per CPU-second  ({wall:6.1f}/s wall)")
        cpu, wall = rate(load_embedder(threads=2), texts, 32, args.repeat)
        print(f"  2 threads, batch  32: {cpu:6.1f} texts per CPU-second  ({wall:6.1f}/s wall)")

    long_text = " ".join(words[:10_000]) if len(words) >= 10_000 else " ".join(corpus_words(10_000))
    start = time.perf_counter()
    embedder.embed([long_text])
    print(f"one 10,000-word text (cut to {MAX_TOKENS} word pieces): {1000 * (time.perf_counter() - start):.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
