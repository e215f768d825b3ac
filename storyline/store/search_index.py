"""Migration 4: the full-text index of posts and the change count of post_vectors, as SQL.

Frozen like every shipped step (see ``migrations.py``): change the index with a new step.

SQLite (FTS5). ``post_search_text`` holds each post's headline and its body paragraphs
joined by newlines, under a stable integer ``doc``; ``post_search`` is an FTS5 index over
it (external content, so the text is stored once), tokenised with ``porter unicode61
remove_diacritics 2``: case and accents folded, English words stemmed ("floods",
"flooding" -> "flood"). The integer key exists because ``posts`` has a text primary key,
and the implicit rowid of such a table may be renumbered by VACUUM. Triggers on ``posts``
keep the text in step with every insert, edit (UPDATE OF headline, body) and delete,
whoever writes; triggers on ``post_search_text`` keep the FTS5 index in step with the text.

PostgreSQL. ``posts.search_document`` is a stored generated ``tsvector`` (headline weight
A, body weight B, the ``english`` configuration) with a GIN index: PostgreSQL recomputes it
on every insert and update, and computes it for existing rows when the column is added.

Both: ``post_vector_changes`` counts writes to ``post_vectors`` (triggers), so a process
holding the vectors in memory (``search.py``) knows in one row read whether they changed.

A later step that rebuilds ``posts`` on SQLite (create, copy, drop, rename) drops the
triggers on it with the old table: it must create them again.
"""

from __future__ import annotations

import sqlalchemy as sa

# Body paragraphs (a JSON array of strings) as one text, one paragraph per line.
_SQLITE_BODY_TEXT = (
    "CASE WHEN json_valid({body}) "
    "THEN coalesce((SELECT group_concat(value, char(10)) FROM json_each({body})), '') "
    "ELSE coalesce({body}, '') END"
)

_SQLITE = [
    """CREATE TABLE IF NOT EXISTS post_search_text (
        doc INTEGER PRIMARY KEY,
        post_id TEXT NOT NULL UNIQUE,
        headline TEXT NOT NULL,
        body TEXT NOT NULL
    )""",
    """CREATE VIRTUAL TABLE IF NOT EXISTS post_search USING fts5(
        headline, body, content='post_search_text', content_rowid='doc',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    # Existing posts (idempotent: only those not indexed yet), then the index rebuilt from
    # the text table, before the triggers exist.
    (
        "INSERT INTO post_search_text (post_id, headline, body) "
        f"SELECT id, headline, {_SQLITE_BODY_TEXT.format(body='body')} FROM posts "
        "WHERE id NOT IN (SELECT post_id FROM post_search_text)"
    ),
    "INSERT INTO post_search (post_search) VALUES ('rebuild')",
    # One segment: the next ingest (10k posts into 90k) then ran at 3,300 posts/s instead of
    # 2,000, its first merges having less to rewrite; 0.4 s more at 90k posts.
    "INSERT INTO post_search (post_search) VALUES ('optimize')",
    f"""CREATE TRIGGER IF NOT EXISTS posts_search_insert AFTER INSERT ON posts BEGIN
        DELETE FROM post_search_text WHERE post_id = new.id;
        INSERT INTO post_search_text (post_id, headline, body)
        VALUES (new.id, new.headline, {_SQLITE_BODY_TEXT.format(body='new.body')});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS posts_search_update AFTER UPDATE OF headline, body ON posts BEGIN
        UPDATE post_search_text SET headline = new.headline,
            body = {_SQLITE_BODY_TEXT.format(body='new.body')}
        WHERE post_id = new.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS posts_search_delete AFTER DELETE ON posts BEGIN
        DELETE FROM post_search_text WHERE post_id = old.id;
    END""",
    """CREATE TRIGGER IF NOT EXISTS post_search_text_insert AFTER INSERT ON post_search_text BEGIN
        INSERT INTO post_search (rowid, headline, body) VALUES (new.doc, new.headline, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS post_search_text_delete AFTER DELETE ON post_search_text BEGIN
        INSERT INTO post_search (post_search, rowid, headline, body)
        VALUES ('delete', old.doc, old.headline, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS post_search_text_update AFTER UPDATE ON post_search_text BEGIN
        INSERT INTO post_search (post_search, rowid, headline, body)
        VALUES ('delete', old.doc, old.headline, old.body);
        INSERT INTO post_search (rowid, headline, body) VALUES (new.doc, new.headline, new.body);
    END""",
    """CREATE TABLE IF NOT EXISTS post_vector_changes (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        changes INTEGER NOT NULL
    )""",
    (
        "INSERT INTO post_vector_changes (id, changes) SELECT 1, 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM post_vector_changes)"
    ),
    *(
        f"""CREATE TRIGGER IF NOT EXISTS post_vectors_count_{what.lower()} AFTER {what} ON post_vectors BEGIN
            UPDATE post_vector_changes SET changes = changes + 1;
        END"""
        for what in ("INSERT", "UPDATE", "DELETE")
    ),
]

# tsvector is limited to 1 MB (1,048,575 bytes), and a save fails past it. The worst text
# costs ~6 bytes of tsvector a character (one-letter words in 4-byte letters: 100,000
# characters gave 600 kB; 200,000 characters of two-letter ones 1.07 MB), so the first
# 2,000 characters of a headline and 120,000 of a body are indexed: at most ~750 kB, and
# a live-blog post is a few thousand characters (tests/test_search.py, huge headline).
_POSTGRESQL = [
    """CREATE OR REPLACE FUNCTION storyline_post_text(body json) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE WHEN json_typeof(body) = 'array'
            THEN coalesce((SELECT string_agg(value, E'\\n') FROM json_array_elements_text(body)), '')
            ELSE coalesce(body #>> '{}', '') END""",
    """ALTER TABLE posts ADD COLUMN IF NOT EXISTS search_document tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, left(headline, 2000)), 'A')
            || setweight(to_tsvector('english'::regconfig, left(storyline_post_text(body), 120000)), 'B')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS ix_posts_search_document ON posts USING gin (search_document)",
    """CREATE TABLE IF NOT EXISTS post_vector_changes (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        changes BIGINT NOT NULL
    )""",
    "INSERT INTO post_vector_changes (id, changes) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
    """CREATE OR REPLACE FUNCTION storyline_count_vector_changes() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE post_vector_changes SET changes = changes + 1;
            RETURN NULL;
        END $$""",
    """CREATE OR REPLACE TRIGGER post_vectors_count_changes
        AFTER INSERT OR UPDATE OR DELETE ON post_vectors
        FOR EACH STATEMENT EXECUTE FUNCTION storyline_count_vector_changes()""",
]


def create_v4(conn: sa.Connection) -> None:
    """Create the index and its triggers and index the posts already stored (idempotent)."""
    statements = _POSTGRESQL if conn.dialect.name == "postgresql" else _SQLITE
    for statement in statements:
        conn.exec_driver_sql(statement)
