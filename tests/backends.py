"""Both database backends for the store and API suites: a SQLite file under pytest's
tmp_path, and, when STORYLINE_TEST_POSTGRESQL_URL names a server (a URL whose user may
CREATE DATABASE, e.g. postgresql://postgres@127.0.0.1:5432/postgres; .ci/run starts
Debian's PostgreSQL 15 and sets it), a new PostgreSQL database per test, dropped after.
The `databases` fixture (conftest.py) hands them out."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from storyline.store.database import create_engine

POSTGRESQL_URL = os.environ.get("STORYLINE_TEST_POSTGRESQL_URL")


class Databases:
    """Hands out new empty databases of one backend and removes them afterwards."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder, self.created = backend, folder, []
        self.admin = None
        if backend == "postgresql":
            self.admin = create_engine(POSTGRESQL_URL).execution_options(
                isolation_level="AUTOCOMMIT"
            )

    def new(self) -> str:
        name = f"storyline_test_{uuid.uuid4().hex[:12]}"
        if self.admin is None:
            return str(self.folder / f"{name}.db")
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if self.admin is not None:
            with self.admin.connect() as conn:
                for name in self.created:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self.admin.dispose()
