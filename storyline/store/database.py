"""Engines for the store: URL handling, SQLite connection settings, transactions, errors.

SQLite gets WAL (readers never block the writer), ``synchronous=NORMAL`` (durable across
a killed process; a power cut may lose the last commits but never corrupts), foreign keys
and a 5 s busy timeout, set on every new connection. Python's sqlite3 driver, left alone,
neither BEGINs before DDL nor before SELECT, so a migration would not be atomic and a
read-then-write save could see stale rows: we turn its transaction handling off and emit
BEGIN ourselves — ``BEGIN IMMEDIATE`` for writes, so that two writers queue on the busy
timeout instead of failing when one upgrades a read lock (SQLAlchemy's documented recipe,
"Transactions with SQLite and the sqlite3 driver").
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator

import sqlalchemy as sa
from sqlalchemy import event

from ..errors import StoreError, StorylineError
from ..settings import database_url

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
BUSY_TIMEOUT_MS = 5000
_WRITE = "storyline_write"  # execution option: this transaction will write


def mask(url: sa.URL | str) -> str:
    """The URL as shown to users: any password replaced by ***, a SQLite path as typed."""
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        return str(url)
    if parsed.get_backend_name() == "sqlite":
        return (
            f"{parsed.drivername}:///{parsed.database}"
            if parsed.database
            else f"{parsed.drivername}://"
        )
    return parsed.render_as_string(hide_password=True)


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def create_engine(url: str) -> sa.Engine:
    """An engine for a SQLAlchemy URL or a bare SQLite path, with storyline's settings."""
    text = database_url(url)
    try:
        parsed = sa.make_url(text)
    except sa.exc.ArgumentError as exc:
        raise StoreError(f"not a database URL: {exc}", text) from exc
    where = mask(parsed)
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise StoreError(
            f"unsupported database {parsed.get_backend_name()!r}: "
            "use sqlite:///PATH or postgresql://...",
            where,
        )
    if parsed.drivername in ("postgresql", "postgres"):  # psycopg 3 is the driver storyline ships
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        _make_parent_folder(parsed, where)
    try:
        engine = sa.create_engine(parsed, json_serializer=_json_dumps)
    except ImportError as exc:
        raise StoreError(
            f"the database driver is not installed ({exc.name or exc}); for PostgreSQL: "
            "pip install 'psycopg[binary]'",
            where,
        ) from exc
    except sa.exc.SQLAlchemyError as exc:
        raise StoreError(f"cannot use this database URL: {exc}", where) from exc
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _make_parent_folder(url: sa.URL, where: str) -> None:
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return
    try:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the database folder: {exc.strerror or exc}", where
        ) from exc


def _configure_sqlite(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _use_wal(cursor: Any) -> None:
    """Switch a database to WAL. The switch does not wait on the busy timeout: when several
    processes open a new database at once, all but one get "database is locked" (seen in
    the three-writer test about one run in three), so it is retried for as long as the busy
    timeout would have waited."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


@contextlib.contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One transaction that will write: committed on success, rolled back on any error."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextlib.contextmanager
def store_errors(what: str, where: str) -> Iterator[None]:
    """Turn driver and SQL errors into StoreError('cannot <what>: <why>', where)."""
    try:
        yield
    except StorylineError:
        raise
    except sa.exc.DBAPIError as exc:
        raise StoreError(f"cannot {what}: {_driver_message(exc)}", where) from exc
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise StoreError(f"cannot {what}: {exc}", where) from exc


def _driver_message(exc: sa.exc.DBAPIError) -> str:
    """The driver's own words, without SQLAlchemy's statement dump."""
    original = exc.orig
    text = str(original).strip() if original is not None else str(exc)
    first = text.splitlines()[0] if text else type(original).__name__
    hints = {
        "unable to open database file": " (is the path a folder, or not writable?)",
        "database is locked": " (another process is writing; retry later)",
        "readonly database": " (no permission to write the file or its folder)",
    }
    return first + next((hint for key, hint in hints.items() if key in first), "")
