"""The data model of storyline: every record that flows between stages, defined once.

The flow (see README): acquire -> Document; read -> Page (Blocks or Updates);
split -> Blog + Posts; date -> Posts with published times; enrich -> Mentions,
Quotes, Quantities, TimeRefs, Events; cluster -> Stories; assemble -> Conflicts,
ScheduledEvents. The store, the CLI's JSON and the exports derive from these classes;
adding a field touches this module plus a store migration.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal

PostKind = Literal["news", "media", "housekeeping"]
Precision = Literal["minute", "day"]
# How a post's time was known: written on the post, given by structured metadata,
# relative to the page time ("2h ago"), or inferred from page order and day markers.
DatedHow = Literal["explicit", "metadata", "relative", "inferred"]
BlockKind = Literal[
    "title", "heading", "paragraph", "bullet", "caption", "timestamp", "link", "promo", "chrome",
    "byline",
]


def content_hash(data: bytes | str) -> str:
    """SHA-256 hex digest used for documents and post revisions."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@dataclass(slots=True)
class Source:
    """An outlet: 'Al Jazeera', 'Newsweek', 'CNN'."""

    name: str
    domain: str | None = None


@dataclass(slots=True)
class Document:
    """Bytes as acquired, before any reading."""

    source: str  # what the user named: a path, a URL, '-', or 'feed-url#entry'
    content: bytes
    media_type: str  # 'text/html', 'text/plain', 'application/rss+xml', ...
    url: str | None = None
    fetched_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    hash: str = ""

    def __post_init__(self) -> None:
        if not self.hash:
            self.hash = content_hash(self.content)


@dataclass(slots=True)
class Block:
    """One piece of a page in reading order: what the readers hand to the splitter.

    `certain` is True when markup says what the block is (an <h2>, a <time>), False
    when the plain-text reader guessed it from the shape of the line.
    """

    kind: BlockKind
    text: str
    certain: bool = False
    when: datetime | None = None  # for timestamps read from markup (<time datetime>)
    href: str | None = None  # for links
    anchor: str | None = None  # a native post id carried by markup (id="post-123")
    line: int | None = None  # 1-based source line, for plain text


@dataclass(slots=True)
class Link:
    text: str
    href: str | None = None


@dataclass(slots=True)
class Update:
    """A post as structured data gives it (JSON-LD liveBlogUpdate, a DOM post container)."""

    headline: str
    paragraphs: list[str]
    published: datetime | None = None
    modified: datetime | None = None
    native_id: str | None = None
    url: str | None = None
    captions: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    stamp_text: str | None = None  # a time written in the post, when no machine time


@dataclass(slots=True)
class Page:
    """What a reader made of a Document: metadata plus either updates or blocks."""

    reader: str  # 'jsonld', 'html', 'text'
    title: str = ""
    outlet: str | None = None
    url: str | None = None
    byline: str | None = None
    published: datetime | None = None  # page-level time from metadata
    modified: datetime | None = None
    language: str | None = None
    key_points: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Blog:
    id: str
    title: str
    outlet: str | None
    url: str | None
    day: date | None  # the page's own day: the date of its newest day section
    byline: str | None = None
    key_points: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    language: str | None = None
    reader: str | None = None
    day_how: str | None = None  # what pinned the day: 'option', 'metadata', 'url', 'stamps', 'text'
    document_hash: str | None = None


@dataclass(slots=True)
class Entity:
    """A person, organisation or place under one canonical name across the corpus."""

    id: str  # stable: derived from type + canonical name
    name: str  # canonical name: 'Vladimir Putin'
    type: str  # PERSON, ORG, GPE, LOC, NORP
    aliases: list[str] = field(default_factory=list)  # 'Putin', 'Russia's president'
    roles: list[str] = field(default_factory=list)  # 'Russian President', 'Kremlin spokesman'
    # What the store matches this entity by across documents (spellings, surname, placed
    # roles: 'role:russia:president'); made by enrich/entities.py, not shown.
    keys: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Mention:
    """An entity named in a post. Offsets are characters in `Post.text`."""

    text: str
    entity_id: str | None
    start: int
    end: int
    type: str
    name: str | None = None  # the canonical name, filled by canonicalisation
    role: str | None = None  # a title written next to the name: 'Kremlin spokesman'


@dataclass(slots=True)
class Quote:
    """A direct quote. Offsets are characters in `Post.text` (the quoted words only)."""

    text: str
    speaker: str | None  # canonical entity name
    speaker_as_written: str | None  # 'he', 'the top US diplomat', 'Peskov'
    cue: str | None = None  # 'said', 'told reporters', 'tweeted'
    kind: str = "direct"  # direct, partial (quoted words inside the writer's sentence), block, headline, tweet
    start: int = 0
    end: int = 0
    speaker_id: str | None = None  # Entity.id of the speaker
    speaker_type: str | None = None  # PERSON or ORG


@dataclass(slots=True)
class Quantity:
    """A figure: '$4 or $5 billion' -> value 4e9, high 5e9, unit 'USD', what 'aid'."""

    text: str
    value: float | None
    unit: str | None  # 'USD', 'CZK', 'percent', 'day', or None for a plain count
    what: str | None  # what is counted: 'Russian troops', 'shells'
    qualifier: str | None = None  # 'more than', 'about', 'up to', 'thousands of'
    currency: str | None = None  # ISO 4217 when the unit is money
    high: float | None = None  # upper end of a range ('$4 or $5 billion', '10-15')
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class TimeRef:
    """A time expression resolved to an interval [start, end) against an anchor."""

    text: str
    start: datetime | None
    end: datetime | None
    anchor: datetime | None = None  # the time the expression was resolved against
    anchor_how: str | None = None  # 'published' (the post's time), 'day', 'document'
    value: str | None = None  # TIMEX3-style value: '2022-01-31', '2022-W05', 'P2W'
    kind: str = "date"  # date, time, duration, set
    future: bool = False  # announced: 'will meet on Monday', 'in two weeks'
    offset: int = 0  # character offset in `Post.text`


@dataclass(slots=True)
class Event:
    """An action between actors, coded in storyline's PLOVER-like ontology
    (storyline/enrich/events.py holds the table of actions and scores)."""

    actor: str | None
    action: str
    target: str | None
    modality: str  # happened, planned, threatened, conditional, denied
    score: float  # cooperation (+10) to conflict (-10)
    text: str = ""  # the sentence
    trigger: str | None = None  # the words that named the action: 'imposed sanctions'


@dataclass(slots=True)
class Post:
    """One live-blog update."""

    id: str
    blog_id: str
    position: int  # 0 = first on the page as published (usually the newest)
    headline: str
    body: list[str]
    kind: PostKind = "news"
    published: datetime | None = None
    precision: Precision | None = None
    dated_how: DatedHow | None = None
    day: date | None = None
    stamp_text: str | None = None  # the time as written on the page
    captions: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    native_id: str | None = None
    url: str | None = None
    revision: int = 1
    entities: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    times: list[TimeRef] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join([self.headline, *self.body]) if self.headline else "\n\n".join(self.body)

    def content_hash(self) -> str:
        """Hash of what a reader sees; a change means a new revision."""
        return content_hash("\x1f".join([self.headline, *self.body, *self.captions]))


@dataclass(slots=True)
class Story:
    id: str
    title: str
    happened: datetime | None
    first_seen: datetime | None
    post_ids: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    independent_count: int = 0
    conflict_ids: list[str] = field(default_factory=list)
    # Added with the cluster stage (cluster/stories.py), matching the store's stories table:
    day: date | None = None  # the first report's day (posts without a time still have one)
    first_post_id: str | None = None
    first_outlet: str | None = None
    related: list[str] = field(default_factory=list)  # ids of stories of the same thread
    duplicates: dict[str, str] = field(default_factory=dict)  # copy's post id -> original's


@dataclass(slots=True)
class Conflict:
    id: str
    about: str
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class ScheduledEvent:
    """An announced future event (assemble/calendar.py): [start, end) as resolved from the
    posts that announced it; `end` is None when only a start instant is known."""

    title: str
    start: datetime | None
    end: datetime | None
    source_post_ids: list[str] = field(default_factory=list)
    # Added for the calendar (issue 4): a stable id (the iCalendar UID), whether the
    # interval is whole days, how precise it is ('time', 'day', 'week', 'month'), and each
    # announcing post as {outlet, post_id, published, as_written, text}.
    id: str = ""
    all_day: bool = True
    precision: str = "day"
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Parsed:
    """One document's result: the blog and its posts (what `storyline parse` prints)."""

    document: Document
    page: Page | None = None
    blog: Blog | None = None
    posts: list[Post] = field(default_factory=list)
    # Lines about the blog itself ("Here are the updates for January 26"), kept as
    # evidence for dating but never shown as posts.
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The document's entities after enrichment: one per person/organisation/place, with
    # aliases and roles; the store merges them into the corpus's entities on save.
    entities: list[Entity] = field(default_factory=list)


def field_names(cls: type) -> list[str]:
    return [f.name for f in fields(cls)]
