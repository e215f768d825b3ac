"""PostgreSQL's data version (migration 8): a counter that every committed change to what
readers see moves by one, so an API read learns whether anything changed from one row
instead of counting tables (queries.data_version: 26-34 ms per read at 100k rows on
PostgreSQL 15, where SQLite has PRAGMA data_version; store/commits.py).

The counter is bumped by a constraint trigger deferred to commit time, once per
transaction (a transaction-local setting remembers it did), in the committing transaction
itself: readers see the new number exactly when they can see the new rows, and the row
lock on the counter is taken last, after every advisory lock a writer holds, so writers
only queue for it at commit, never deadlock on it. Frozen: a later change is a new step.
"""

from __future__ import annotations

import sqlalchemy as sa

# Every table a reader's page is made from (not fetch_state, documents or the alert log).
WATCHED = ("blogs", "posts", "post_revisions", "post_entities", "post_quotes", "post_quantities", "post_times",
           "post_events", "entities", "entity_keys", "post_vectors", "stories", "story_posts", "conflicts",
           "conflict_posts", "conflict_days")

_FUNCTION = """
CREATE FUNCTION storyline_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('storyline.data_changed', true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config('storyline.data_changed', txid_current()::text, true);
        UPDATE data_changes SET n = n + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END $$
"""


def create_v8(conn: sa.Connection) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite: PRAGMA data_version and the fingerprint of queries.data_version
    conn.exec_driver_sql("CREATE TABLE data_changes (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)")
    conn.exec_driver_sql("INSERT INTO data_changes VALUES (1, 0)")
    conn.exec_driver_sql(_FUNCTION)
    for table in WATCHED:
        conn.exec_driver_sql(
            f"CREATE CONSTRAINT TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION storyline_data_changed()"
        )


def counter(conn: sa.Connection) -> int:
    return int(conn.exec_driver_sql("SELECT n FROM data_changes WHERE id = 1").scalar_one())
