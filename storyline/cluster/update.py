"""Bringing the stored stories up to date after an ingest: every stored post without a
story is put into one, in order of publication, against the stories already stored around
its days. Existing memberships are restored as they were stored, so story ids never change;
new posts only join stories or open new ones. One transaction: all of a step or nothing.

Vectors are made once per post text (MiniLM, cluster/embed.py) and kept in `post_vectors`,
so a later step reuses them (and search, issue 5, can too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Callable

import numpy as np

from ..store import Store
from ..store import stories as stored
from ..store.database import store_errors, write_transaction
from ..store.writer import lock_corpus
from .features import embedding_text
from .stories import StoryIndex, publication_key

# Stored posts this many days either side of the new posts' days are loaded as context: the
# index itself only compares posts within its own window (stories.WINDOW_DAYS), so a
# margin one day wider loses nothing.
CONTEXT_DAYS = 4


@dataclass
class ClusterResult:
    posts: int = 0  # posts given a story in this step
    new_stories: int = 0
    joined: int = 0  # posts that joined an existing story
    duplicates: int = 0  # posts marked as near-identical copies
    story_ids: list[str] = field(default_factory=list)  # stories created or changed


def shift_day(day: date, days: int) -> date:
    """The day moved by `days`, held inside the calendar (a page dated 9999-12-31 exists)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def update_stories(store: Store, embedder: Callable[[list[str]], np.ndarray] | None = None,
                   now: datetime | None = None) -> ClusterResult:
    """Give every stored post without a story its story; return what changed."""
    from .embed import VERSION, embed

    from threadpoolctl import threadpool_limits

    embedder = embedder or embed
    now = now or datetime.now(timezone.utc)
    result = ClusterResult()
    # One BLAS thread: the index multiplies small matrices by one vector at a time, where a
    # second thread costs more than it gives (measured 0.28 ms vs 6.7 ms for 10,000 x 384
    # on a busy 2-core machine).
    with threadpool_limits(1, user_api="blas"), store_errors(f"cluster stories in {store.url}", store.url), write_transaction(store.engine) as conn:
        lock_corpus(conn, "stories")
        pending = stored.unclustered(conn)
        if not pending:
            return result
        days = [p.day for p, _ in pending if p.day is not None]
        context = stored.clustered_between(conn, shift_day(min(days), -CONTEXT_DAYS), shift_day(max(days), CONTEXT_DAYS)) if days else []
        everyone = [m.post for m in context] + [p for p, _ in pending]
        vectors = stored.load_vectors(conn, everyone, VERSION)
        missing = [p for p in everyone if p.id not in vectors]
        if missing:
            made = embedder([embedding_text(p) for p in missing])
            fresh = {p.id: (p.content_hash(), v) for p, v in zip(missing, made)}
            stored.save_vectors(conn, fresh, VERSION)
            vectors.update({pid: v for pid, (_h, v) in fresh.items()})

        index = StoryIndex(embedder=embedder)
        for member in sorted(context, key=lambda m: publication_key(m.post)):
            index.restore(member.post, member.outlet, vectors[member.post.id], member.story_id, member.duplicate_of)
        members: list[tuple[str, str, str | None]] = []
        touched: dict[str, None] = {}
        for i, post in sorted(enumerate(p for p, _ in pending), key=lambda item: publication_key(item[1])):
            assignment = index.add(post, pending[i][1], vectors[post.id])
            members.append((post.id, assignment.story_id, assignment.duplicate_of))
            touched[assignment.story_id] = None
            result.posts += 1
            result.new_stories += assignment.new_story
            result.joined += not assignment.new_story
            result.duplicates += assignment.duplicate_of is not None
        result.story_ids = list(touched)
        stored.save_assignments(conn, members, [index.story(sid) for sid in touched], now)
    return result
