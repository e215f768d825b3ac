"""Model records <-> table rows: the only place that knows how a Post or Blog is laid out.

Column names are the model's field names, so the mapping is mechanical; times and dates
are converted by the column types of ``schema.py``.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

import sqlalchemy as sa

from ..model import Blog, Event, Link, Mention, Post, Quantity, Quote, TimeRef, field_names
from . import schema

# Post attribute -> (table, model class) for each enrichment list.
CHILD_TABLES: dict[str, tuple[sa.Table, type]] = {
    "entities": (schema.post_entities, Mention),
    "quotes": (schema.post_quotes, Quote),
    "quantities": (schema.post_quantities, Quantity),
    "times": (schema.post_times, TimeRef),
    "events": (schema.post_events, Event),
}
_CHILD_FIELDS = {attr: field_names(cls) for attr, (_, cls) in CHILD_TABLES.items()}
POST_COLUMNS = [name for name in field_names(Post) if name not in CHILD_TABLES]
BLOG_COLUMNS = field_names(Blog)


def utc_key(moment: datetime | None) -> str | None:
    """Fixed-width UTC ISO text that sorts like the instant ('2022-01-26T09:30:00.000000+00:00').

    Naive times are taken as UTC: the page gave no zone, so this is the best order known.
    At the very ends of the calendar (year 1 or 9999) an offset can push the instant out of
    range; the wall time is used there.
    """
    if moment is None:
        return None
    if moment.utcoffset() is not None:
        try:
            moment = moment.astimezone(timezone.utc)
        except OverflowError:
            pass
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "+00:00"


def post_row(post: Post, *, made_by: str, now: datetime) -> dict[str, Any]:
    """The posts-table row of a post as first seen now."""
    row = {name: getattr(post, name) for name in POST_COLUMNS}
    row["links"] = [{"text": link.text, "href": link.href} for link in post.links]
    row["published_utc"] = utc_key(post.published)
    row["content_hash"] = post.content_hash()
    row["made_by"] = made_by
    row["first_seen"] = now
    row["last_seen"] = now
    return row


def child_rows(post_id: str, post: Post) -> dict[sa.Table, list[dict[str, Any]]]:
    """Rows of each enrichment table for one post, in list order."""
    out: dict[sa.Table, list[dict[str, Any]]] = {}
    for attr, (table, _) in CHILD_TABLES.items():
        names = _CHILD_FIELDS[attr]
        out[table] = [
            {"post_id": post_id, "ordinal": i, **{name: getattr(item, name) for name in names}}
            for i, item in enumerate(getattr(post, attr))
        ]
    return out


def post_from_row(row: Mapping[str, Any], children: Mapping[str, list[Any]] | None = None) -> Post:
    values = {name: row[name] for name in POST_COLUMNS}
    values["links"] = [Link(**link) for link in row["links"]]
    values["body"] = list(row["body"])
    values["captions"] = list(row["captions"])
    return Post(**values, **(children or {}))


def child_from_row(attr: str, row: Mapping[str, Any]) -> Any:
    _, cls = CHILD_TABLES[attr]
    return cls(**{name: row[name] for name in _CHILD_FIELDS[attr]})


def blog_row(blog: Blog) -> dict[str, Any]:
    row = {name: getattr(blog, name) for name in BLOG_COLUMNS}
    row["key_points"] = list(blog.key_points)
    row["summary"] = list(blog.summary)
    return row


def blog_from_row(row: Mapping[str, Any]) -> Blog:
    return Blog(**{name: row[name] for name in BLOG_COLUMNS})


def chunks(items: Iterable[Any], size: int = 500) -> Iterable[list[Any]]:
    """Slices for IN (...) lists: keeps statements under every backend's parameter limit."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
