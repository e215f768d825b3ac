"""Adding up the counters of benchmark scores: one per file, summed for the total."""

from __future__ import annotations

from collections import Counter
from dataclasses import fields
from typing import Any


def add_counts(total: Any, part: Any) -> None:
    """Add `part`'s dataclass fields into `total`: numbers summed, Counters updated, lists extended."""
    for f in fields(total):
        mine, theirs = getattr(total, f.name), getattr(part, f.name)
        if isinstance(mine, Counter):
            mine.update(theirs)
        elif isinstance(mine, list):
            mine.extend(theirs)
        else:
            setattr(total, f.name, mine + theirs)
