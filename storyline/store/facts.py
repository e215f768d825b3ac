"""Reading enrichment back across posts: quotes by speaker, entities, figures by what they
count. Each row carries its source post (id, outlet, time, headline) — every fact is shown
with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa

from ..enrich.names import name_key
from . import schema


def _like(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ in it taken literally."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class FactFilter:
    day: date | None = None
    outlet: str | None = None
    limit: int | None = None
    offset: int = 0  # rows to skip (pages of the API)
    first_day: date | None = None  # posts of these days, inclusive
    last_day: date | None = None


def _source_columns() -> list[Any]:
    posts, blogs = schema.posts, schema.blogs
    return [
        posts.c.id.label("post_id"), posts.c.published, posts.c.precision, posts.c.day,
        posts.c.headline, blogs.c.outlet, posts.c.published_utc,
    ]


def _scoped(query: sa.Select, child: sa.Table, where: FactFilter) -> sa.Select:
    posts, blogs = schema.posts, schema.blogs
    query = query.join(posts, posts.c.id == child.c.post_id).join(blogs, blogs.c.id == posts.c.blog_id)
    if where.day is not None:
        query = query.where(posts.c.day == where.day)
    if where.first_day is not None:
        query = query.where(posts.c.day >= where.first_day)
    if where.last_day is not None:
        query = query.where(posts.c.day <= where.last_day)
    if where.outlet is not None:
        query = query.where(blogs.c.outlet == where.outlet)
    # By day, then by instant; a post known only to the day opens its day; no day: last.
    undated = sa.case((posts.c.day.is_(None), 1), else_=0)
    day_only = sa.case((posts.c.published_utc.is_(None), 0), else_=1)
    query = query.order_by(undated, posts.c.day, day_only, posts.c.published_utc, posts.c.id, child.c.ordinal)
    return _page(query, where.limit, where.offset)


def _page(query: sa.Select, limit: int | None, offset: int) -> sa.Select:
    if limit:
        query = query.limit(limit)
    return query.offset(offset) if offset else query


def entity_ids_named(conn: sa.Connection, name: str) -> list[str]:
    """Entities a user's NAME means: any stored spelling, the surname, or the canonical name."""
    key = name_key(name)
    if not key:
        return []
    keys = schema.entity_keys
    wanted = [f"p:{key}", f"n:{key}"] + ([f"ps:{key}"] if len(key.split()) == 1 else [])
    found = {row[0] for row in conn.execute(sa.select(keys.c.entity_id).where(keys.c.key.in_(wanted)))}
    table = schema.entities
    like = _like(name)
    found |= {row[0] for row in conn.execute(sa.select(table.c.id).where(sa.func.lower(table.c.name).like(like, escape="\\")))}
    return sorted(found)


def select_quotes(conn: sa.Connection, speaker: str | None, where: FactFilter) -> list[dict[str, Any]]:
    quotes, entities = schema.post_quotes, schema.entities
    query = sa.select(
        quotes.c.text, quotes.c.speaker, quotes.c.speaker_as_written, quotes.c.cue, quotes.c.kind,
        quotes.c.speaker_id, entities.c.name.label("speaker_name"), *_source_columns(),
    ).select_from(quotes).outerjoin(entities, entities.c.id == quotes.c.speaker_id)
    if speaker:
        ids = entity_ids_named(conn, speaker)
        like = _like(speaker)
        query = query.where(sa.or_(quotes.c.speaker_id.in_(ids), sa.func.lower(quotes.c.speaker).like(like, escape="\\"),
                                   sa.func.lower(quotes.c.speaker_as_written).like(like, escape="\\")))
    rows = []
    for row in conn.execute(_scoped(query, quotes, where)).mappings():
        item = dict(row)
        item["speaker"] = item.pop("speaker_name") or item["speaker"]
        rows.append(item)
    return rows


def select_entities(conn: sa.Connection, kind: str | None, limit: int | None, offset: int = 0,
                    entity_id: str | None = None) -> list[dict[str, Any]]:
    table, mentions, quotes = schema.entities, schema.post_entities, schema.post_quotes
    mention_count = (
        sa.select(mentions.c.entity_id, sa.func.count().label("n"), sa.func.count(sa.distinct(mentions.c.post_id)).label("posts"))
        .group_by(mentions.c.entity_id).subquery()
    )
    quote_count = sa.select(quotes.c.speaker_id, sa.func.count().label("q")).group_by(quotes.c.speaker_id).subquery()
    query = (
        sa.select(table, sa.func.coalesce(mention_count.c.n, 0).label("mentions"),
                  sa.func.coalesce(mention_count.c.posts, 0).label("posts"), sa.func.coalesce(quote_count.c.q, 0).label("quotes"))
        .outerjoin(mention_count, mention_count.c.entity_id == table.c.id)
        .outerjoin(quote_count, quote_count.c.speaker_id == table.c.id)
        .order_by(sa.desc("mentions"), table.c.name)
    )
    if kind:
        query = query.where(table.c.type == kind.upper())
    if entity_id is not None:
        query = query.where(table.c.id == entity_id)
    return [dict(row) for row in conn.execute(_page(query, limit, offset)).mappings()]


def select_figures(conn: sa.Connection, what: str | None, where: FactFilter) -> list[dict[str, Any]]:
    table = schema.post_quantities
    query = sa.select(
        table.c.text, table.c.value, table.c.high, table.c.unit, table.c.what, table.c.qualifier, table.c.currency,
        *_source_columns(),
    ).select_from(table)
    if what:
        for word in what.lower().split():
            stem = word[:-1] if word.endswith("s") and len(word) > 3 else word  # "troops" finds "troop"
            query = query.where(sa.func.lower(table.c.what).like(_like(stem), escape="\\"))
    return [dict(row) for row in conn.execute(_scoped(query, table, where)).mappings()]


def announcing_post_ids(conn: sa.Connection) -> list[str]:
    """Posts with a time reference to the future (what the calendar is made from), oldest
    first as the timeline orders posts."""
    posts, times = schema.posts, schema.post_times
    query = (
        sa.select(posts.c.id).where(posts.c.id.in_(sa.select(times.c.post_id).where(times.c.future.is_(True))))
        .order_by(sa.case((posts.c.published_utc.is_(None), 1), else_=0), posts.c.published_utc, posts.c.day,
                  posts.c.position, posts.c.id)
    )
    return [row[0] for row in conn.execute(query)]


def post_texts(conn: sa.Connection, first_day: date | None, last_day: date | None) -> list[tuple[str, str]]:
    """(post id, text as Post.text makes it) of the news and media posts of those days:
    for cheap text tests before whole posts with their enrichment are read."""
    posts = schema.posts
    query = sa.select(posts.c.id, posts.c.headline, posts.c.body).where(posts.c.kind != "housekeeping")
    if first_day is not None:
        query = query.where(posts.c.day >= first_day)
    if last_day is not None:
        query = query.where(posts.c.day <= last_day)
    return [(pid, "\n\n".join([headline, *body]) if headline else "\n\n".join(body))
            for pid, headline, body in conn.execute(query)]
