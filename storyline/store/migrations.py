"""Recorded schema migrations: an ordered list of steps, each applied once and written down.

``MIGRATIONS`` is the list of ``(version, name, apply(connection))``. ``migrate(engine)``
applies, in order, every step newer than the database's recorded version, each in its own
transaction together with its ``schema_migrations`` row, so a step is either fully applied
and recorded or not at all (SQLite — with the BEGIN handling of ``database.py`` — and
PostgreSQL both have transactional DDL). Running it again is a no-op. A database recorded
at a version this code does not know was written by a newer storyline: ``SchemaError``.

Adding a step: append ``(N, "what it does", function)``; never edit or reorder a step that
has shipped. Migration 1 creates the tables of ``schema.V1_TABLES`` as they stand in
``schema.py``; the first change to those tables must first freeze the version-1
definitions here (copy them into migration 1), so that a new database replays exactly the
history an old one went through. The same holds for migrations 2 and 3, which create
the enrichment, entity and story tables from ``schema.py``: before a later step changes one
of those tables, freeze its current shape into ``history.py`` and have step 2 or 3 use it.
Migration 4 (the search index, ``search_index.py``) is written out as SQL there, frozen.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import sqlalchemy as sa

from ..errors import SchemaError
from . import changes, history, schema, search_index
from .database import mask, write_transaction

Step = tuple[int, str, Callable[[sa.Connection], None]]


def _create_v1_tables(conn: sa.Connection) -> None:
    schema.metadata.create_all(
        conn, tables=[t for t in schema.V1_TABLES if t is not schema.schema_migrations]
    )
    for table in history.v1_enrichment_tables():
        table.create(conn)


def _enrichment_v2(conn: sa.Connection) -> None:
    """Version 1's enrichment tables were never filled (no enrich stage yet): drop and
    create them in their new shape, with the corpus's entities beside them."""
    for table in reversed(history.v1_enrichment_tables()):
        table.drop(conn, checkfirst=True)
    schema.metadata.create_all(conn, tables=[*schema.ENRICHMENT_TABLES, schema.entities, schema.entity_keys])


def _stories_v3(conn: sa.Connection) -> None:
    schema.metadata.create_all(conn, tables=schema.STORY_TABLES)


def _alerts_v5(conn: sa.Connection) -> None:
    """The alert tables as schema.py has them; freeze them here before they change."""
    schema.metadata.create_all(conn, tables=schema.ALERT_TABLES)


def _conflicts_v6(conn: sa.Connection) -> None:
    """The stored conflict tables as schema.py has them; freeze them here before they
    change. Empty at first: the next ingest, or `storyline serve` in the background, fills
    them (assemble/stored.py); until then a story's conflicts are worked out when read."""
    schema.metadata.create_all(conn, tables=schema.CONFLICT_TABLES)
    # Covers store/conflicts.py day_signatures: a story page checks its week's 35 days
    # from the index alone (100k posts: 2.3 -> 1.2 ms per page, bench.api_load's database).
    # Plain DDL: an sa.Index would attach itself to schema.posts, and migration 1 would then
    # create it for every new database made later in the same process.
    conn.exec_driver_sql("CREATE INDEX ix_posts_day_signature ON posts (day, revision, made_by)")


def _alert_marks_v7(conn: sa.Connection) -> None:
    """alert_marks as schema.py has it (freeze it here before it changes), and an index
    for finding the posts stored since a mark."""
    schema.alert_marks.create(conn)
    conn.exec_driver_sql("CREATE INDEX ix_posts_first_seen ON posts (first_seen)")  # plain DDL: see _conflicts_v6


MIGRATIONS: list[Step] = [
    (
        1,
        "create documents, fetch_state, blogs, posts, post_revisions and enrichment tables",
        _create_v1_tables,
    ),
    (2, "enrichment tables with offsets, ranges and anchors; entities and entity_keys", _enrichment_v2),
    (3, "post_vectors, stories and story_posts", _stories_v3),
    (4, "full-text index of post headlines and bodies, kept in sync; post_vectors change count",
     search_index.create_v4),
    (5, "fired_alerts and alert_deliveries for storyline watch", _alerts_v5),
    (6, "conflicts, conflict_posts and conflict_days: conflicts assembled per week", _conflicts_v6),
    (7, "alert_marks: up to when each rule set's alerts were checked", _alert_marks_v7),
    (8, "PostgreSQL: data_changes, a counter every commit that changes what readers see moves", changes.create_v8),
]

LATEST_VERSION = MIGRATIONS[-1][0]

# Any fixed number: the key of PostgreSQL's advisory lock that makes migrators take turns.
_PG_LOCK_KEY = 7_340_113_201


def _take_migration_lock(conn: sa.Connection) -> None:
    """Serialise concurrent migrators (on SQLite, BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def recorded_version(conn: sa.Connection) -> int:
    """The newest version recorded in the database (0 for a new database)."""
    version = schema.schema_migrations.c.version
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(version), 0))).scalar_one())


def migrate(engine: sa.Engine, steps: list[Step] | None = None) -> list[int]:
    """Bring the database up to date; return the versions applied now ([] when up to date)."""
    steps = sorted(MIGRATIONS if steps is None else steps, key=lambda step: step[0])
    known = steps[-1][0] if steps else 0
    with write_transaction(engine) as conn:
        _take_migration_lock(conn)
        schema.schema_migrations.create(conn, checkfirst=True)
        current = recorded_version(conn)
    if current > known:
        raise SchemaError(
            f"database schema is at version {current}, this storyline knows versions up to "
            f"{known}: upgrade storyline to use this database",
            mask(engine.url),
        )
    applied: list[int] = []
    for version, name, apply in steps:
        if version <= current:
            continue
        with write_transaction(engine) as conn:
            _take_migration_lock(conn)
            if recorded_version(conn) >= version:  # another process got there first
                continue
            apply(conn)
            conn.execute(
                sa.insert(schema.schema_migrations).values(
                    version=version, name=name, applied_at=datetime.now(timezone.utc)
                )
            )
        applied.append(version)
    return applied
