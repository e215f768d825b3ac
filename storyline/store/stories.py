"""Stories in the store: which posts still need a story, the stored vectors, writing a
clustering step, and reading stories back with their posts for the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

import numpy as np
import sqlalchemy as sa

from ..model import Post, Story
from . import queries, rows, schema

@dataclass(frozen=True)
class StoryFilter:
    day: date | None = None
    since: date | None = None
    until: date | None = None  # inclusive
    outlet: str | None = None
    entity_ids: tuple[str, ...] | None = None  # stories with a post naming one of these
    action: str | None = None  # stories with a post reporting this event type
    limit: int | None = None
    newest_first: bool = False
    offset: int = 0  # rows to skip (pages of the API)
    story_ids: tuple[str, ...] | None = None  # only these stories


def _outlets(conn: sa.Connection) -> dict[str, str]:
    blogs = schema.blogs
    return {blog_id: outlet or "" for blog_id, outlet in conn.execute(sa.select(blogs.c.id, blogs.c.outlet))}


def unclustered(conn: sa.Connection) -> list[tuple[Post, str]]:
    """Posts with no story yet (housekeeping never gets one), oldest first."""
    posts, members = schema.posts, schema.story_posts
    query = (
        sa.select(posts)
        .where(posts.c.kind != "housekeeping")
        .where(~sa.exists().where(members.c.post_id == posts.c.id))
    )
    found = queries.with_children(conn, conn.execute(query).mappings().all())
    outlets = _outlets(conn)
    return [(p, outlets.get(p.blog_id, "")) for p in found]


@dataclass
class Member:
    post: Post
    outlet: str
    story_id: str
    duplicate_of: str | None


def clustered_between(conn: sa.Connection, first: date, last: date) -> list[Member]:
    """Every post of the stories that have a post whose day lies in [first, last]: whole
    stories, so a story's outlets and counts are recomputed from all of its posts."""
    posts, members = schema.posts, schema.story_posts
    near = (
        sa.select(members.c.story_id).join(posts, posts.c.id == members.c.post_id)
        .where(posts.c.day >= first, posts.c.day <= last)
    )
    query = (
        sa.select(posts, members.c.story_id, members.c.duplicate_of)
        .join(members, members.c.post_id == posts.c.id)
        .where(members.c.story_id.in_(near))
    )
    found = conn.execute(query).mappings().all()
    loaded = queries.with_children(conn, found)
    outlets = _outlets(conn)
    return [Member(p, outlets.get(p.blog_id, ""), row["story_id"], row["duplicate_of"]) for p, row in zip(loaded, found)]


def load_vectors(conn: sa.Connection, posts: Iterable[Post], model: str) -> dict[str, np.ndarray]:
    """Stored vectors of these posts made by `model` from their current text."""
    table = schema.post_vectors
    wanted = {p.id: p.content_hash() for p in posts}
    found: dict[str, np.ndarray] = {}
    for batch in rows.chunks(list(wanted)):
        query = sa.select(table.c.post_id, table.c.content_hash, table.c.vector).where(
            table.c.post_id.in_(batch), table.c.model == model
        )
        for post_id, content_hash, blob in conn.execute(query):
            if wanted.get(post_id) == content_hash:
                found[post_id] = np.frombuffer(blob, dtype=np.float32).copy()
    return found


def save_vectors(conn: sa.Connection, vectors: dict[str, tuple[str, np.ndarray]], model: str) -> None:
    """post id -> (content hash, vector); replaces what was stored for those posts."""
    table = schema.post_vectors
    for batch in rows.chunks(list(vectors)):
        conn.execute(sa.delete(table).where(table.c.post_id.in_(batch)))
    if vectors:
        conn.execute(sa.insert(table), [
            {"post_id": pid, "model": model, "content_hash": h, "vector": np.asarray(v, dtype=np.float32).tobytes()}
            for pid, (h, v) in vectors.items()
        ])


def save_assignments(conn: sa.Connection, members: list[tuple[str, str, str | None]], stories: list[Story],
                     now: datetime) -> None:
    """New memberships (post id, story id, duplicate_of) and the touched stories' rows."""
    table = schema.stories
    ids = [s.id for s in stories]
    stored = set()
    for batch in rows.chunks(ids):
        stored |= {row[0] for row in conn.execute(sa.select(table.c.id).where(table.c.id.in_(batch)))}
    for story in stories:
        values = _story_row(story, now)
        if story.id in stored:
            conn.execute(sa.update(table).where(table.c.id == story.id).values(values))
        else:
            conn.execute(sa.insert(table).values(id=story.id, **values))
    if members:
        conn.execute(sa.insert(schema.story_posts), [
            {"post_id": p, "story_id": s, "duplicate_of": d, "added_at": now} for p, s, d in members
        ])


def _story_row(story: Story, now: datetime) -> dict[str, Any]:
    return {
        "title": story.title, "happened": story.happened, "happened_utc": rows.utc_key(story.happened),
        "day": story.day, "first_seen": story.first_seen, "first_outlet": story.first_outlet,
        "first_post_id": story.first_post_id, "outlets": list(story.outlets),
        "independent_count": story.independent_count, "post_count": len(story.post_ids),
        "related": list(story.related), "updated_at": now,
    }


def select_stories(conn: sa.Connection, where: StoryFilter) -> list[Story]:
    table, members, posts = schema.stories, schema.story_posts, schema.posts
    query = sa.select(table)
    if where.story_ids is not None:
        query = query.where(table.c.id.in_(where.story_ids))
    if where.day is not None:
        query = query.where(table.c.day == where.day)
    if where.since is not None:
        query = query.where(table.c.day >= where.since)
    if where.until is not None:
        query = query.where(table.c.day <= where.until)
    if where.outlet is not None:
        in_outlet = (
            sa.select(members.c.story_id).join(posts, posts.c.id == members.c.post_id)
            .join(schema.blogs, schema.blogs.c.id == posts.c.blog_id).where(schema.blogs.c.outlet == where.outlet)
        )
        query = query.where(table.c.id.in_(in_outlet))
    if where.entity_ids is not None:
        naming = sa.select(members.c.story_id).join(
            schema.post_entities, schema.post_entities.c.post_id == members.c.post_id
        ).where(schema.post_entities.c.entity_id.in_(where.entity_ids))
        query = query.where(table.c.id.in_(naming))
    if where.action is not None:
        acting = sa.select(members.c.story_id).join(
            schema.post_events, schema.post_events.c.post_id == members.c.post_id
        ).where(schema.post_events.c.action == where.action)
        query = query.where(table.c.id.in_(acting))
    # NULLs sort first on SQLite and last on PostgreSQL: order them explicitly. A story
    # known only to the day opens its day.
    undated = sa.case((table.c.day.is_(None), 1), else_=0)
    timed = sa.case((table.c.happened_utc.is_(None), 0), else_=1)
    when = [table.c.day.desc(), timed.desc(), table.c.happened_utc.desc()] if where.newest_first \
        else [table.c.day, timed, table.c.happened_utc]
    query = query.order_by(undated, *when, table.c.id)
    if where.limit:
        query = query.limit(where.limit)
    if where.offset:
        query = query.offset(where.offset)
    found = conn.execute(query).mappings().all()
    post_ids = _post_ids(conn, [r["id"] for r in found])
    return [_story(r, post_ids.get(r["id"], ([], {}))) for r in found]


def _post_ids(conn: sa.Connection, story_ids: list[str]) -> dict[str, tuple[list[str], dict[str, str]]]:
    members, posts = schema.story_posts, schema.posts
    out: dict[str, tuple[list[str], dict[str, str]]] = {}
    for batch in rows.chunks(story_ids):
        query = (
            sa.select(members.c.story_id, members.c.post_id, members.c.duplicate_of)
            .join(posts, posts.c.id == members.c.post_id)
            .where(members.c.story_id.in_(batch))
            .order_by(members.c.story_id, sa.case((posts.c.published_utc.is_(None), 0), else_=1),
                      posts.c.published_utc, posts.c.id)
        )
        for story_id, post_id, duplicate_of in conn.execute(query):
            ids, dups = out.setdefault(story_id, ([], {}))
            ids.append(post_id)
            if duplicate_of:
                dups[post_id] = duplicate_of
    return out


def _story(row: Any, members: tuple[list[str], dict[str, str]]) -> Story:
    return Story(
        id=row["id"], title=row["title"], happened=row["happened"], first_seen=row["first_seen"],
        post_ids=members[0], outlets=list(row["outlets"]), independent_count=row["independent_count"],
        day=row["day"], first_post_id=row["first_post_id"], first_outlet=row["first_outlet"],
        related=list(row["related"]), duplicates=members[1],
    )
