"""Reading posts and blogs back as model records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from ..model import Blog, Post
from . import changes, rows, schema


@dataclass(frozen=True)
class PostFilter:
    """Which posts, in which order. `since` is inclusive, `until` exclusive (UTC instants;
    naive values are taken as UTC, as stored naive times are)."""

    outlet: str | None = None
    day: date | None = None
    kind: str | None = None
    blog_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    newest_first: bool = True
    limit: int | None = None
    offset: int = 0
    first_day: date | None = None  # posts of these days (inclusive), timed or not
    last_day: date | None = None


def select_posts(conn: sa.Connection, where: PostFilter) -> list[Post]:
    posts = schema.posts
    query = sa.select(posts)
    if where.outlet is not None:
        query = query.join(schema.blogs, schema.blogs.c.id == posts.c.blog_id).where(
            schema.blogs.c.outlet == where.outlet
        )
    if where.day is not None:
        query = query.where(posts.c.day == where.day)
    if where.first_day is not None:
        query = query.where(posts.c.day >= where.first_day)
    if where.last_day is not None:
        query = query.where(posts.c.day <= where.last_day)
    if where.kind is not None:
        query = query.where(posts.c.kind == where.kind)
    if where.blog_id is not None:
        query = query.where(posts.c.blog_id == where.blog_id)
    if where.since is not None:
        query = query.where(posts.c.published_utc >= rows.utc_key(where.since))
    if where.until is not None:
        query = query.where(posts.c.published_utc < rows.utc_key(where.until))
    # Timeless posts last in both directions; on the page, position 0 is the newest.
    undated = sa.case((posts.c.published_utc.is_(None), 1), else_=0)
    if where.newest_first:
        order = [undated, posts.c.published_utc.desc(), posts.c.position, posts.c.id]
    else:
        order = [undated, posts.c.published_utc, posts.c.position.desc(), posts.c.id]
    query = query.order_by(*order).offset(where.offset or None)
    if where.limit is not None:
        query = query.limit(where.limit)
    found = conn.execute(query).mappings().all()
    return with_children(conn, found)


def posts_by_id(conn: sa.Connection, post_ids: list[str]) -> dict[str, Post]:
    posts = schema.posts
    found: dict[str, Post] = {}
    for batch in rows.chunks(post_ids):
        loaded = with_children(conn, conn.execute(sa.select(posts).where(posts.c.id.in_(batch))).mappings().all())
        found.update((p.id, p) for p in loaded)
    return found


def get_post(conn: sa.Connection, post_id: str) -> Post | None:
    row = (
        conn.execute(sa.select(schema.posts).where(schema.posts.c.id == post_id)).mappings().first()
    )
    return None if row is None else with_children(conn, [row])[0]


def with_children(conn: sa.Connection, post_rows: list[sa.RowMapping]) -> list[Post]:
    """Posts with their enrichment lists, loaded per table in id batches."""
    ids = [row["id"] for row in post_rows]
    lists: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for attr, (table, _) in rows.CHILD_TABLES.items():
        for batch in rows.chunks(ids):
            query = (
                sa.select(table)
                .where(table.c.post_id.in_(batch))
                .order_by(table.c.post_id, table.c.ordinal)
            )
            for child in conn.execute(query).mappings():
                lists[child["post_id"]][attr].append(rows.child_from_row(attr, child))
    return [
        rows.post_from_row(row, {attr: lists[row["id"]][attr] for attr in rows.CHILD_TABLES})
        for row in post_rows
    ]


def post_revisions(conn: sa.Connection, post_id: str) -> list[dict[str, Any]]:
    table = schema.post_revisions
    query = sa.select(table).where(table.c.post_id == post_id).order_by(table.c.revision)
    return [dict(row) for row in conn.execute(query).mappings()]


def select_blogs(conn: sa.Connection, blog_id: str | None = None) -> list[Blog]:
    table = schema.blogs
    undated = sa.case((table.c.day.is_(None), 1), else_=0)  # NULLs sort differently per backend
    query = sa.select(table).order_by(
        undated, table.c.day.desc(), sa.func.coalesce(table.c.outlet, ""), table.c.id
    )
    if blog_id is not None:
        query = query.where(table.c.id == blog_id)
    return [rows.blog_from_row(row) for row in conn.execute(query).mappings()]


def counts(conn: sa.Connection) -> dict[str, int]:
    tables = {
        "blogs": schema.blogs,
        "posts": schema.posts,
        "revisions": schema.post_revisions,
        "documents": schema.documents,
        "stories": schema.stories,
    }
    return {
        name: int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
        for name, table in tables.items()
    }


def data_version(conn: sa.Connection) -> str:
    """A fingerprint that changes whenever anything a reader sees changes: blogs saved
    (their updated_at moves on every change), posts added or revised, enrichment
    refreshed (made_by of the newest post), stories made or grown. Cheap enough to run on
    every API read (ETag) on SQLite, which reads it only after a commit (store/commits.py):
    max() over indexed or small tables and counts. PostgreSQL keeps a counter instead
    (store/changes.py)."""
    if conn.dialect.name == "postgresql":
        return f"pg:{changes.counter(conn)}"
    blogs, posts, stories = schema.blogs, schema.posts, schema.stories
    parts = conn.execute(sa.select(
        sa.select(sa.func.count()).select_from(blogs).scalar_subquery(),
        sa.select(sa.func.max(blogs.c.updated_at)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(schema.post_revisions).scalar_subquery(),
        sa.select(sa.func.count()).select_from(stories).scalar_subquery(),
        sa.select(sa.func.max(stories.c.updated_at)).scalar_subquery(),
        sa.select(sa.func.count()).select_from(schema.story_posts).scalar_subquery(),
    )).one()
    return "|".join("" if p is None else str(p) for p in parts) + f"|{posts.name}"
