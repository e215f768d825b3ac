"""The tables of the store, in SQLAlchemy Core, portable between SQLite and PostgreSQL.

Times are ISO 8601 text, never the backend's datetime type: SQLite has none, and
PostgreSQL's ``timestamptz`` keeps the instant but drops the offset a page gave.
``IsoDateTime`` stores ``datetime.isoformat()`` and reads it back with
``datetime.fromisoformat``, so a datetime returns equal *and* with the same utcoffset;
naive stays naive. Ordering uses a separate UTC column (``posts.published_utc``).

Each enrichment list of a Post (entities, quotes, quantities, times, events) has its own
table with the fields of its model class plus ``post_id`` and ``ordinal`` (list order).
The tables here are the current shape; ``migrations.py`` records how a database gets there.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class IsoDateTime(sa.types.TypeDecorator):
    """A datetime as ISO 8601 text with its offset exactly as given (naive stays naive)."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)


class IsoDate(sa.types.TypeDecorator):
    """A date as ISO 8601 text ('2022-01-26'), so it sorts and compares as text."""

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None or isinstance(value, str):
            return value
        return value.isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(value)


metadata = sa.MetaData()

# Recorded migrations: one row per applied step (see migrations.py).
schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("applied_at", IsoDateTime, nullable=False),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("hash", sa.Text, primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("media_type", sa.Text, nullable=False),
    sa.Column("fetched_at", IsoDateTime),
    sa.Column("first_seen", IsoDateTime, nullable=False),
)

# What the polite fetcher remembers per URL for conditional requests.
fetch_state = sa.Table(
    "fetch_state",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("hash", sa.Text),
    sa.Column("checked_at", IsoDateTime, nullable=False),
)

blogs = sa.Table(
    "blogs",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("outlet", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("day", IsoDate),
    sa.Column("byline", sa.Text),
    sa.Column("key_points", sa.JSON, nullable=False),
    sa.Column("summary", sa.JSON, nullable=False),
    sa.Column("language", sa.Text),
    sa.Column("reader", sa.Text),
    sa.Column("day_how", sa.Text),
    sa.Column("document_hash", sa.Text),
    sa.Column("first_seen", IsoDateTime, nullable=False),
    sa.Column("updated_at", IsoDateTime, nullable=False),
    sa.Index("ix_blogs_outlet", "outlet"),
)

posts = sa.Table(
    "posts",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("blog_id", sa.Text, sa.ForeignKey("blogs.id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("published", IsoDateTime),  # with its offset exactly as given
    sa.Column("published_utc", sa.Text),  # fixed-width UTC ISO text: sorts as text
    sa.Column("precision", sa.Text),
    sa.Column("dated_how", sa.Text),
    sa.Column("day", IsoDate),
    sa.Column("stamp_text", sa.Text),
    sa.Column("captions", sa.JSON, nullable=False),
    sa.Column("links", sa.JSON, nullable=False),
    sa.Column("native_id", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("made_by", sa.Text, nullable=False),
    sa.Column("first_seen", IsoDateTime, nullable=False),
    sa.Column("last_seen", IsoDateTime, nullable=False),
    sa.Index("ix_posts_blog_id", "blog_id"),
    sa.Index("ix_posts_published_utc", "published_utc"),
    sa.Index("ix_posts_day", "day"),
)

# Earlier versions of a post: written when a save replaces a post's text.
post_revisions = sa.Table(
    "post_revisions",
    metadata,
    sa.Column("post_id", sa.Text, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("captions", sa.JSON, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),
    sa.Column("recorded_at", IsoDateTime, nullable=False),
)


def _post_child(name: str, *columns: sa.Column) -> sa.Table:
    """A table holding one enrichment list of a post, in list order."""
    return sa.Table(
        name,
        metadata,
        sa.Column(
            "post_id", sa.Text, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("ordinal", sa.Integer, primary_key=True, autoincrement=False),
        *columns,
    )


post_entities = _post_child(  # model.Mention
    "post_entities",
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("entity_id", sa.Text),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("name", sa.Text),
    sa.Column("role", sa.Text),
    sa.Index("ix_post_entities_entity_id", "entity_id"),
)
post_quotes = _post_child(  # model.Quote
    "post_quotes",
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("speaker_as_written", sa.Text),
    sa.Column("cue", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("speaker_id", sa.Text),
    sa.Column("speaker_type", sa.Text),
    sa.Index("ix_post_quotes_speaker_id", "speaker_id"),
)
post_quantities = _post_child(  # model.Quantity
    "post_quantities",
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("value", sa.Double),
    sa.Column("unit", sa.Text),
    sa.Column("what", sa.Text),
    sa.Column("qualifier", sa.Text),
    sa.Column("currency", sa.Text),
    sa.Column("high", sa.Double),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
)
post_times = _post_child(  # model.TimeRef
    "post_times",
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("start", IsoDateTime),
    sa.Column("end", IsoDateTime),
    sa.Column("anchor", IsoDateTime),
    sa.Column("anchor_how", sa.Text),
    sa.Column("value", sa.Text),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("future", sa.Boolean, nullable=False),
    sa.Column("offset", sa.Integer, nullable=False),
)
post_events = _post_child(  # model.Event
    "post_events",
    sa.Column("actor", sa.Text),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("modality", sa.Text, nullable=False),
    sa.Column("score", sa.Double, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("trigger", sa.Text),
)

# The corpus's entities (model.Entity): one row per person, body or place, whatever the
# spellings; `entity_keys` holds the keys (name, surname, role) that later documents'
# entities are matched by (enrich/names.py, store/entities.py).
entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("aliases", sa.JSON, nullable=False),
    sa.Column("roles", sa.JSON, nullable=False),
    sa.Column("first_seen", IsoDateTime, nullable=False),
)
entity_keys = sa.Table(
    "entity_keys",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("entity_id", sa.Text, sa.ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_entity_keys_entity_id", "entity_id"),
)

# Sentence embeddings of posts (cluster/embed.py): float32 bytes, with the model that made them.
post_vectors = sa.Table(
    "post_vectors",
    metadata,
    sa.Column("post_id", sa.Text, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("content_hash", sa.Text, nullable=False),  # the post text the vector was made from
    sa.Column("vector", sa.LargeBinary, nullable=False),
)

# Stories (model.Story): the same development across posts and outlets. Ids never change.
stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("happened", IsoDateTime),
    sa.Column("happened_utc", sa.Text),  # sorts as text, like posts.published_utc
    sa.Column("day", IsoDate),
    sa.Column("first_seen", IsoDateTime),
    sa.Column("first_outlet", sa.Text),
    sa.Column("first_post_id", sa.Text),
    sa.Column("outlets", sa.JSON, nullable=False),
    sa.Column("independent_count", sa.Integer, nullable=False),
    sa.Column("post_count", sa.Integer, nullable=False),
    sa.Column("related", sa.JSON, nullable=False),
    sa.Column("updated_at", IsoDateTime, nullable=False),
    sa.Index("ix_stories_happened_utc", "happened_utc"),
    sa.Index("ix_stories_day", "day"),
)
story_posts = sa.Table(
    "story_posts",
    metadata,
    sa.Column("post_id", sa.Text, sa.ForeignKey("posts.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("story_id", sa.Text, sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
    sa.Column("duplicate_of", sa.Text),  # a near-identical copy of this post id (not independent)
    sa.Column("added_at", IsoDateTime, nullable=False),
    sa.Index("ix_story_posts_story_id", "story_id"),
)
STORY_TABLES = [post_vectors, stories, story_posts]

# Alerts that fired (storyline watch): one row per alert key, so a restart never fires an
# alert twice, and one row per (alert, sink) until that sink has taken it.
fired_alerts = sa.Table(
    "fired_alerts",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),  # rule name | what it matched (watch/alerts.py)
    sa.Column("rule", sa.Text, nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),  # the alert as the sinks receive it
    sa.Column("fired_at", IsoDateTime, nullable=False),
)
alert_deliveries = sa.Table(
    "alert_deliveries",
    metadata,
    sa.Column("key", sa.Text, sa.ForeignKey("fired_alerts.key", ondelete="CASCADE"), primary_key=True),
    sa.Column("sink", sa.Text, primary_key=True),
    sa.Column("attempts", sa.Integer, nullable=False),  # delivery rounds tried so far
    sa.Column("delivered_at", IsoDateTime),  # None: still to deliver
    sa.Column("last_error", sa.Text),
)
ALERT_TABLES = [fired_alerts, alert_deliveries]
# Up to when a rule set's alerts were checked (migration 7): a watch that restarts after a
# kill checks the posts stored since, not only its own round's.
alert_marks = sa.Table(
    "alert_marks",
    metadata,
    sa.Column("rules", sa.Text, primary_key=True),  # watch/alerts.py rules_key
    sa.Column("checked_until", IsoDateTime, nullable=False),  # the store's clock
)

# Conflicts assembled ahead of reading (assemble/stored.py): for each week (its Monday), the
# conflicts found among the posts of that week's window, which a story of that week shows
# when its posts take part. `conflict_days` records what each day's posts were when they
# were last assembled, so a later refresh redoes only the weeks whose posts changed.
conflicts = sa.Table(
    "conflicts",
    metadata,
    sa.Column("week", IsoDate, primary_key=True),  # the Monday of the stories that show it
    sa.Column("id", sa.Text, primary_key=True),  # model.Conflict.id
    sa.Column("kind", sa.Text, nullable=False),  # figures | claims
    sa.Column("about", sa.Text, nullable=False),
    sa.Column("claims", sa.JSON, nullable=False),  # model.Conflict.claims, ISO 8601 times
    sa.Column("position", sa.Integer, nullable=False),  # the order the assembler gave
)
conflict_posts = sa.Table(
    "conflict_posts",
    metadata,
    sa.Column("week", IsoDate, primary_key=True),
    sa.Column("conflict_id", sa.Text, primary_key=True),
    sa.Column("post_id", sa.Text, primary_key=True),
    sa.ForeignKeyConstraint(["week", "conflict_id"], ["conflicts.week", "conflicts.id"], ondelete="CASCADE"),
    sa.Index("ix_conflict_posts_post_id", "post_id"),
)
conflict_days = sa.Table(
    "conflict_days",
    metadata,
    sa.Column("day", IsoDate, primary_key=True),
    sa.Column("signature", sa.Text, nullable=False),  # store/conflicts.py day_signatures
)
CONFLICT_TABLES = [conflicts, conflict_posts, conflict_days]

ENRICHMENT_TABLES = [post_entities, post_quotes, post_quantities, post_times, post_events]

# The tables of migration 1 still in their version-1 shape (the enrichment tables of
# version 1 are frozen in history.py).
V1_TABLES = [schema_migrations, documents, fetch_state, blogs, posts, post_revisions]
