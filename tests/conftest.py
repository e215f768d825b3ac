"""Shared fixtures. Tests that read ../shared skip with a message when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.backends import POSTGRESQL_URL, Databases

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed live blogs not found at {SEEDS} (../shared is only on developer and CI machines)")
    return SEEDS


def seed(name_prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed live blogs not found at {SEEDS}")
    return next(SEEDS.glob(name_prefix + "*"))


@pytest.fixture(scope="session")
def seed_posts() -> list:
    """Every post of the five seeds, parsed and enriched once per test run, with its outlet."""
    if not SEEDS.is_dir():
        pytest.skip(f"seed live blogs not found at {SEEDS} (../shared is only on developer and CI machines)")
    from storyline.model import Document
    from storyline.pipeline import default_pipeline
    from storyline.settings import Options

    pipeline, rows = default_pipeline(enrich=True), []
    for path in sorted(SEEDS.glob("*.txt")):
        parsed = pipeline.run(Document(source=str(path), content=path.read_bytes(), media_type="text/plain"), Options())
        rows += [(p, parsed.blog.outlet if parsed.blog else "") for p in parsed.posts]
    return rows


@pytest.fixture(params=["sqlite", "postgresql"])
def databases(request, tmp_path_factory):
    if request.param == "postgresql" and not POSTGRESQL_URL:
        pytest.skip("PostgreSQL: set STORYLINE_TEST_POSTGRESQL_URL to run")
    made = Databases(request.param, tmp_path_factory.mktemp("db"))
    yield made
    made.drop_all()


def ingested_examples(tmp_path_factory, name: str) -> str:
    """A new SQLite database with examples/ ingested through the real CLI (enrichment,
    stories and their vectors, stored conflicts); its path. For module-scoped fixtures."""
    from typer.testing import CliRunner

    from storyline.cli import app

    db = str(tmp_path_factory.mktemp(name) / f"{name}.db")
    result = CliRunner().invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    return db
