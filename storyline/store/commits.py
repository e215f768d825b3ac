"""Whether anything was committed to a SQLite database since the last look, in microseconds:
`PRAGMA data_version` on a connection kept for asking it changes whenever any other
connection, of this process or another, commits. Store.data_version uses it to skip its
fingerprint query (counts over the large tables, ~20 ms at 100k posts) while nothing changed.
PostgreSQL has no such counter: there the fingerprint is read every time."""

from __future__ import annotations

import threading
from typing import Any

import sqlalchemy as sa


class CommitWatch:
    def __init__(self, engine: sa.Engine) -> None:
        proxied = engine.raw_connection()
        self._connection: Any = proxied.driver_connection  # a sqlite3.Connection
        proxied.detach()  # kept apart from the pool, so it never runs a write of its own
        self._lock = threading.Lock()

    @classmethod
    def of(cls, engine: sa.Engine) -> "CommitWatch | None":
        """A watch for a SQLite file; None for PostgreSQL and in-memory databases (a
        memory database is one per connection, so another connection sees nothing)."""
        database = engine.url.database or ""
        if engine.dialect.name != "sqlite" or database in ("", ":memory:") or "mode=memory" in database:
            return None
        return cls(engine)

    def count(self) -> int:
        with self._lock:
            cursor = self._connection.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._connection.close()
