"""The text every extractor of the enrich stage reads: one post's headline and paragraphs
joined as `Post.text`, with paragraph and sentence spans, the spaCy entities over it and
the post's own time (the anchor for "on Friday", "last night").

Offsets are characters in `Post.text` ("\\n\\n" between paragraphs), so every quote,
figure and time reference can point back into the post it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PARAGRAPH_BREAK = "\n\n"

# A sentence ends at . ! ? (with closing quotes or brackets after it) followed by space and
# a capital, a digit or an opening quote. Abbreviations that end in a full stop and are
# usually followed by a name are not ends: "Mr. Biden", "U.S. troops", "Jan. 31".
# Atomic runs: a long run of "?" or "." with no space after it must not backtrack (linear).
_SENTENCE_END = re.compile(r"""(?<![.!?…])(?>[.!?…]+)(?>["”’')\]]*)\s+(?=["“‘(\[]?[A-Z0-9])""")
_NOT_AN_END = re.compile(
    r"""(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Rep|Sen|Gov|Pres|St|Jr|Sr|No|vs|Rev|Hon|Adm|Cmdr|Brig|Fr|"""
    r"""Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Corp|Co|Ltd|approx|est)\.|\b[A-Z]\.(?:[A-Z]\.)*)$"""
)


@dataclass(slots=True)
class EntitySpan:
    """One named entity as the NER found it (before canonicalisation)."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, ...
    start: int
    end: int


@dataclass(slots=True)
class PostText:
    text: str
    paragraphs: list[tuple[int, int]]  # spans of the paragraphs; the headline first if any
    has_headline: bool
    published: datetime | None = None  # the post's own time: the anchor for relative times
    day_only: bool = False  # True when only the post's day is known (no minute)
    entities: list[EntitySpan] = field(default_factory=list)
    doc: Any = None  # the spaCy Doc over `text`, when spaCy ran
    _sentences: list[tuple[int, int]] | None = None

    @classmethod
    def build(
        cls, headline: str, body: list[str], published: datetime | None = None, day_only: bool = False
    ) -> "PostText":
        parts = [headline, *body] if headline else list(body)
        spans: list[tuple[int, int]] = []
        at = 0
        for part in parts:
            spans.append((at, at + len(part)))
            at += len(part) + len(PARAGRAPH_BREAK)
        return cls(PARAGRAPH_BREAK.join(parts), spans, bool(headline), published, day_only)

    @property
    def headline_span(self) -> tuple[int, int] | None:
        return self.paragraphs[0] if self.has_headline and self.paragraphs else None

    def paragraph_at(self, offset: int) -> int:
        """Index of the paragraph holding `offset` (the last one before it when in a gap)."""
        found = 0
        for i, (start, _end) in enumerate(self.paragraphs):
            if start <= offset:
                found = i
            else:
                break
        return found

    @property
    def sentences(self) -> list[tuple[int, int]]:
        """Sentence spans: paragraphs split at sentence ends (a headline is one sentence)."""
        if self._sentences is None:
            self._sentences = [s for start, end in self.paragraphs for s in split_sentences(self.text, start, end)]
        return self._sentences

    def sentence_index(self, offset: int) -> int:
        found = 0
        for i, (start, _end) in enumerate(self.sentences):
            if start <= offset:
                found = i
            else:
                break
        return found

    def entities_in(self, start: int, end: int) -> list[EntitySpan]:
        return [e for e in self.entities if e.start >= start and e.end <= end]


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end], trimmed of surrounding spaces."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    at = start
    for match in _SENTENCE_END.finditer(text, start, end):
        before = text[max(at, match.start() - 12) : match.start() + 1]
        if text[match.start()] == "." and _NOT_AN_END.search(before):
            continue
        spans.append((at, match.end()))
        at = match.end()
    if at < end:
        spans.append((at, end))
    return [trim_span(text, s, e) for s, e in spans if text[s:e].strip()]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the spaces at its ends."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
