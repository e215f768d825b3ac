"""Shared fixtures. Tests that read ../shared skip with a message when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

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
