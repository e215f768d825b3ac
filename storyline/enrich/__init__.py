"""enrich: who is named, who said what, which figures, which times, which events — per post.

    PostText.build   headline + paragraphs -> one text with paragraph/sentence spans (text.py)
    annotate         spaCy NER over every post of the document in one batch (nlp.py)
    find_quotes      direct quotes, block quotes, headline quotes, tweets + speakers (quotes.py)
    find_quantities  figures: value, unit, qualifier, what is counted (quantities.py)
    find_times       time expressions resolved against the post's own time (times.py)
    find_events      actor/action/target/modality/score in a PLOVER-like ontology (events.py)
    link_entities    mentions -> canonical entities across the document (entities.py)

Every extractor reads the same `PostText`; offsets point into `Post.text`. One extractor
failing on one post becomes a warning on the document; the rest of the post and the batch
go on.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Callable

from ..model import Entity, Parsed, Post
from ..pipeline import stage
from ..settings import Options
from .entities import link_entities
from .events import find_events
from .nlp import annotate
from .quantities import find_quantities
from .quotes import find_quotes
from .text import PostText
from .times import find_times

ENRICH_STAGE = "enrich.v1"
# Rules read at most this much of one post (~50k words, ten times the longest post in the
# UKP corpus); a longer post is enriched on its first part and a warning says so.
MAX_RULE_CHARS = 300_000

_EXTRACTORS: tuple[tuple[str, Callable[[PostText], list]], ...] = (
    ("quotes", find_quotes),
    ("quantities", find_quantities),
    ("times", find_times),
    ("events", find_events),
)


def post_text(post: Post) -> PostText:
    """The enrich view of a post, anchored at its own time (else its day, at midnight)."""
    anchor: datetime | None = post.published
    day_only = post.precision != "minute"
    if day_only and post.day is not None:
        zone = post.published.tzinfo if post.published is not None else None
        anchor = datetime.combine(post.day, time(0), zone)
    return PostText.build(post.headline, post.body, anchor, day_only)


def enrich_posts(posts: list[Post], warnings: list[str] | None = None) -> list[Entity]:
    """Fill entities, quotes, quantities, times and events on each post, in place; return
    the entities of these posts under their canonical names."""
    warnings = warnings if warnings is not None else []
    texts = [post_text(p) for p in posts]
    for post, text in zip(posts, annotate(texts)):
        if len(text.text) > MAX_RULE_CHARS:
            warnings.append(f"post {post.id or post.position}: {len(text.text):,} characters; enriched the first {MAX_RULE_CHARS:,}")
            text = _truncated(text)
        for name, extract in _EXTRACTORS:
            try:
                setattr(post, name, extract(text))
            except Exception as exc:  # one rule failing on one post must not stop the document
                setattr(post, name, [])
                warnings.append(f"post {post.id or post.position}: {name} failed ({type(exc).__name__}: {exc})")
    return link_entities(posts, texts)


def _truncated(text: PostText) -> PostText:
    cut = PostText(
        text.text[:MAX_RULE_CHARS],
        [(s, min(e, MAX_RULE_CHARS)) for s, e in text.paragraphs if s < MAX_RULE_CHARS],
        text.has_headline, text.published, text.day_only,
        [e for e in text.entities if e.end <= MAX_RULE_CHARS], text.doc,
    )
    return cut


@stage(ENRICH_STAGE, needs={"ids"}, adds={"enrichment"})
def enrich_parsed(parsed: Parsed, options: Options) -> Parsed:
    parsed.entities = enrich_posts(parsed.posts, parsed.warnings)
    return parsed


__all__ = ["ENRICH_STAGE", "enrich_parsed", "enrich_posts", "post_text"]
