"""Saving one parsed document: document, blog and posts in one transaction.

A post whose id is new is inserted; one whose id is stored with the same content hash only
has its position and last_seen refreshed (and its enrichment rewritten when the stages
that made it changed: ``made_by``); one with a different hash keeps its old text in
``post_revisions`` and its row is replaced with revision + 1. Because ids are made from the
headline when a page has no native id, a new id is first matched against the blog's posts
that vanished from this parse (``similarity.match_edits``): a match is an edit of that
post and keeps the old id. Statements are executemany batches: a save costs a handful of
round trips whatever the number of posts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from ..errors import StoreError
from ..model import Parsed, Post
from . import rows, schema
from .schema import IsoDateTime
from .entities import merge_entities
from .similarity import EDIT_CANDIDATES, match_edits, tokens


@dataclass
class SaveResult:
    """What one save did, by post id (ids as stored: an edit keeps its old id)."""

    blog_id: str
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)
    unchanged_ids: list[str] = field(default_factory=list)
    # parsed id -> stored id, for new ids recognised as edits of a vanished post
    matched: dict[str, str] = field(default_factory=dict)

    @property
    def new(self) -> int:
        return len(self.new_ids)

    @property
    def updated(self) -> int:
        return len(self.updated_ids)

    @property
    def unchanged(self) -> int:
        return len(self.unchanged_ids)

    def as_dict(self) -> dict[str, Any]:
        return {
            "blog_id": self.blog_id,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "new_ids": list(self.new_ids),
            "updated_ids": list(self.updated_ids),
            "unchanged_ids": list(self.unchanged_ids),
            "matched": dict(self.matched),
        }


@dataclass
class _Stored:
    """What the classification needs to know about a stored post."""

    revision: int
    content_hash: str
    made_by: str


def check_parsed(parsed: Parsed) -> None:
    """Refuse, before touching the database, what cannot be stored as one document."""
    if parsed.blog is None:
        raise StoreError("nothing to store: the document has no blog", parsed.document.source)
    blog_id = parsed.blog.id
    seen: set[str] = set()
    for post in parsed.posts:
        if post.blog_id != blog_id:
            raise StoreError(
                f"post {post.id!r} belongs to blog {post.blog_id!r}, not to {blog_id!r}",
                parsed.document.source,
            )
        if post.id in seen:
            raise StoreError(
                f"post id {post.id!r} occurs twice in one document", parsed.document.source
            )
        seen.add(post.id)


def save_parsed(conn: sa.Connection, parsed: Parsed, made_by: str, now: datetime) -> SaveResult:
    """Write one document inside the caller's transaction (check_parsed first)."""
    blog = parsed.blog
    assert blog is not None
    _lock_blog(conn, blog.id)
    _upsert_document(conn, parsed, now)
    blog_existed = _upsert_blog(conn, parsed, now)
    stored = _stored_posts(conn, [post.id for post in parsed.posts])
    matched: dict[str, str] = {}
    if blog_existed:
        matched = _match_edits(conn, blog.id, parsed.posts, stored)
        stored.update(_stored_posts(conn, list(matched.values())))
    result = SaveResult(blog_id=blog.id, matched=matched)
    writes = _plan(parsed.posts, stored, matched, result, made_by, now)

    posts = schema.posts
    by_id = posts.c.id == sa.bindparam("b_id")
    if writes.replaced:
        _record_revisions(conn, result.updated_ids, now)
        conn.execute(sa.update(posts).where(by_id), writes.replaced)
    if writes.inserted:
        conn.execute(sa.insert(posts), writes.inserted)
    if writes.touched:
        conn.execute(sa.update(posts).where(by_id), writes.touched)
    if writes.children:
        lock_corpus(conn, "entities")
        merge_entities(conn, parsed, now)
    _replace_children(conn, writes.children, replaced_ids=result.updated_ids + writes.refreshed)
    return result


@dataclass
class _Writes:
    """Row batches for one save; `b_id` is the id a replaced or touched row is found by."""

    inserted: list[dict[str, Any]] = field(default_factory=list)
    replaced: list[dict[str, Any]] = field(default_factory=list)
    touched: list[dict[str, Any]] = field(default_factory=list)
    children: list[tuple[str, Post]] = field(default_factory=list)  # (stored id, post)
    refreshed: list[str] = field(default_factory=list)  # unchanged text, enrichment rewritten


def _plan(
    parsed_posts: list[Post],
    stored: dict[str, _Stored],
    matched: dict[str, str],
    result: SaveResult,
    made_by: str,
    now: datetime,
) -> _Writes:
    """Sort each post into new / updated / unchanged and build its rows."""
    writes = _Writes()
    for post in parsed_posts:
        post_id = matched.get(post.id, post.id)
        old = stored.get(post_id)
        row = rows.post_row(post, made_by=made_by, now=now)
        row["id"] = post_id
        if old is None:
            writes.inserted.append(row)
            writes.children.append((post_id, post))
            result.new_ids.append(post_id)
        elif old.content_hash == row["content_hash"]:
            touched = {"b_id": post_id, "position": post.position, "last_seen": now, "made_by": old.made_by}
            if old.made_by != made_by and "enrich." in made_by:
                # same text, other enrich version: refresh what it derives (a run without
                # enrichment leaves the stored enrichment alone)
                touched["made_by"] = made_by
                writes.children.append((post_id, post))
                writes.refreshed.append(post_id)
            writes.touched.append(touched)
            result.unchanged_ids.append(post_id)
        else:
            del row["id"], row["first_seen"]
            row.update(b_id=post_id, revision=old.revision + 1)
            writes.replaced.append(row)
            writes.children.append((post_id, post))
            result.updated_ids.append(post_id)
    return writes


def lock_corpus(conn: sa.Connection, what: str) -> None:
    """PostgreSQL: one writer at a time of a corpus-wide table ('entities', 'stories');
    different blogs may be saved side by side, but two of them may name the same new
    person. (SQLite's BEGIN IMMEDIATE locks the whole file already.)"""
    _lock_blog(conn, "corpus:" + what)


def _lock_blog(conn: sa.Connection, blog_id: str) -> None:
    """PostgreSQL: one writer per blog at a time (SQLite's BEGIN IMMEDIATE locks the file)."""
    if conn.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(blog_id.encode()).digest()[:8], "big", signed=True)
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _upsert_document(conn: sa.Connection, parsed: Parsed, now: datetime) -> None:
    doc = parsed.document
    table = schema.documents
    values = {
        "source": doc.source,
        "url": doc.url,
        "media_type": doc.media_type,
        "fetched_at": doc.fetched_at,
    }
    exists = conn.execute(sa.select(table.c.hash).where(table.c.hash == doc.hash)).first()
    if exists:
        conn.execute(sa.update(table).where(table.c.hash == doc.hash).values(values))
    else:
        conn.execute(sa.insert(table).values(hash=doc.hash, first_seen=now, **values))


def _upsert_blog(conn: sa.Connection, parsed: Parsed, now: datetime) -> bool:
    """Insert the blog or update its changed fields; True when it was already stored."""
    assert parsed.blog is not None
    table = schema.blogs
    values = rows.blog_row(parsed.blog)
    old = conn.execute(sa.select(table).where(table.c.id == values["id"])).mappings().first()
    if old is None:
        conn.execute(sa.insert(table).values(first_seen=now, updated_at=now, **values))
        return False
    if any(old[name] != value for name, value in values.items()):
        conn.execute(
            sa.update(table).where(table.c.id == values["id"]).values(updated_at=now, **values)
        )
    return True


def _stored_posts(conn: sa.Connection, ids: list[str]) -> dict[str, _Stored]:
    posts = schema.posts
    found: dict[str, _Stored] = {}
    for batch in rows.chunks(ids):
        query = sa.select(posts.c.id, posts.c.revision, posts.c.content_hash, posts.c.made_by).where(
            posts.c.id.in_(batch)
        )
        for post_id, revision, content_hash, made_by in conn.execute(query):
            found[post_id] = _Stored(revision, content_hash, made_by)
    return found


def _match_edits(
    conn: sa.Connection, blog_id: str, parsed_posts: list[Post], stored: dict[str, _Stored]
) -> dict[str, str]:
    """New ids that are edits of posts of this blog absent from the parse: new id -> old id."""
    new = {
        post.id: tokens(post.headline, post.body) for post in parsed_posts if post.id not in stored
    }
    if not new:
        return {}
    posts = schema.posts
    query = (
        sa.select(posts.c.id, posts.c.headline, posts.c.body)
        .where(posts.c.blog_id == blog_id)
        .order_by(posts.c.last_seen.desc(), posts.c.id)
        .limit(EDIT_CANDIDATES + len(parsed_posts))
    )
    present = {post.id for post in parsed_posts}
    vanished = {
        post_id: tokens(headline, body)
        for post_id, headline, body in conn.execute(query)
        if post_id not in present
    }
    return match_edits(new, dict(list(vanished.items())[:EDIT_CANDIDATES]))


def _record_revisions(conn: sa.Connection, post_ids: list[str], now: datetime) -> None:
    """Copy the current text of these posts into post_revisions, server-side."""
    posts, revisions = schema.posts, schema.post_revisions
    for batch in rows.chunks(post_ids):
        source = sa.select(
            posts.c.id,
            posts.c.revision,
            posts.c.headline,
            posts.c.body,
            posts.c.captions,
            posts.c.content_hash,
            sa.literal(now, IsoDateTime),
        ).where(posts.c.id.in_(batch))
        columns = [
            "post_id",
            "revision",
            "headline",
            "body",
            "captions",
            "content_hash",
            "recorded_at",
        ]
        conn.execute(sa.insert(revisions).from_select(columns, source))


def _replace_children(
    conn: sa.Connection, posts: list[tuple[str, Post]], replaced_ids: list[str]
) -> None:
    for attr, (table, _) in rows.CHILD_TABLES.items():
        for batch in rows.chunks(replaced_ids):
            conn.execute(sa.delete(table).where(table.c.post_id.in_(batch)))
    batches: dict[sa.Table, list[dict[str, Any]]] = {}
    for post_id, post in posts:
        for table, table_rows in rows.child_rows(post_id, post).items():
            batches.setdefault(table, []).extend(table_rows)
    for table, table_rows in batches.items():
        if table_rows:
            conn.execute(sa.insert(table), table_rows)
