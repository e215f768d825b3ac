"""Conflicts assembled ahead of reading: each story page shows its conflicts without working
them out (issue 5: at 100k posts that took a story page from ~1 ms to 50-300 ms).

    refresh_conflicts(store)  # after an ingest; `storyline serve` runs it on start

A story shows the conflicts its posts take part in, found among the posts around it: the
posts of its week's window, from the Monday before its day less WINDOW to the Sunday after
plus WINDOW (claims further apart than WINDOW are never compared, conflicts.py). Stories of
one week share one window, so conflicts are stored per week (store/conflicts.py).

A refresh compares each day's posts with what they were when last assembled (a signature
per day) and redoes only the weeks whose window holds a changed day: an ingest of one day
redoes five weeks. Weeks are done in chunks of CHUNK_WEEKS, each chunk in its own
transaction, and a day is marked done only once every week it belongs to is done: a kill
leaves finished chunks in place, and the next refresh redoes the rest. Until a week is
current, story pages work its conflicts out when read (serve/views.py), as before.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Callable

import sqlalchemy as sa

from ..model import Conflict, Post
from ..cluster.update import shift_day
from ..store import conflicts as stored
from ..store import queries, schema
from ..store.database import store_errors, write_transaction
from ..store.writer import lock_corpus
from .claims import claim_conflicts, may_claim_text
from .conflicts import WINDOW, figure_conflicts

# Weeks assembled per transaction: each reads its weeks' days plus the windows' margins
# (8 weeks = 56 days + 34 days of margin: 1.6x the posts read once), and holds the write
# lock for one chunk only (~1-3 s at 100k posts), so ingests are not kept waiting.
CHUNK_WEEKS = 8
WEEK = timedelta(days=7)


@dataclass
class Refreshed:
    days: int = 0  # days whose posts had changed
    weeks: int = 0  # weeks assembled again
    conflicts: int = 0  # conflicts stored for those weeks
    seconds: float = 0.0


def week_of(day: date) -> date:
    """The Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def window(week: date) -> tuple[date, date]:
    """The days (inclusive) whose posts make the conflicts of the week starting `week`."""
    return shift_day(week, -WINDOW.days), shift_day(week, 6 + WINDOW.days)


def weeks_holding(day: date) -> list[date]:
    """The Mondays whose window holds `day`: from day - 6 - WINDOW to day + WINDOW (five)."""
    earliest = shift_day(day, -(6 + WINDOW.days))
    first, last = shift_day(earliest, -earliest.weekday() % 7), week_of(shift_day(day, WINDOW.days))
    return [first + WEEK * i for i in range((last - first).days // 7 + 1)]


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    """A conflict as JSON: its claims' dates and times as ISO 8601 text."""
    return {"id": conflict.id, "about": conflict.about,
            "claims": [{k: v.isoformat() if isinstance(v, (date, datetime)) else v for k, v in claim.items()}
                       for claim in conflict.claims]}


def week_conflicts(rows: list[tuple[Post, str]], may_claim: Callable[[Post], bool] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(kind, conflict) of one window's (post, outlet) rows: figures, then claims. Claims are
    looked for only in posts with a claim phrase (`may_claim`, by default the regex)."""
    may_claim = may_claim or (lambda post: may_claim_text(post.text))
    found = [("figures", conflict_json(c)) for c in figure_conflicts(rows)]
    found += [("claims", conflict_json(c)) for c in claim_conflicts([r for r in rows if may_claim(r[0])])]
    return found


def refresh_conflicts(store: Any, stop: Callable[[], bool] | None = None) -> Refreshed:
    """Assemble again the weeks whose posts changed since they were last assembled (all of
    them the first time). `stop()` true ends it between chunks (the work done stays)."""
    started = time.perf_counter()
    result = Refreshed()
    with store_errors(f"assemble conflicts in {store.url}", store.url):
        with store.engine.connect() as conn:
            live = stored.day_signatures(conn)
            recorded = stored.assembled_signatures(conn)
        changed = {d for d in live.keys() | recorded.keys() if live.get(d) != recorded.get(d)}
        result.days = len(changed)
        holding = {d: weeks_holding(d) for d in changed}
        weeks = sorted({w for found in holding.values() for w in found})
        last_week_of = {d: found[-1] for d, found in holding.items()}
        for start in range(0, len(weeks), CHUNK_WEEKS):
            if stop is not None and stop():
                break
            chunk = weeks[start:start + CHUNK_WEEKS]
            with write_transaction(store.engine) as conn:
                lock_corpus(conn, "conflicts")
                for week, found in _assemble(conn, chunk):
                    stored.replace_week(conn, week, found)
                    result.conflicts += len(found)
                done = [d for d, last in last_week_of.items() if last <= chunk[-1]]
                stored.record_days(conn, {d: live[d] for d in done if d in live}, [d for d in done if d not in live])
                for d in done:
                    del last_week_of[d]
            result.weeks += len(chunk)
    result.seconds = time.perf_counter() - started
    return result


def _assemble(conn: sa.Connection, weeks: list[date]) -> list[tuple[date, list[tuple[str, dict[str, Any]]]]]:
    """Each week's conflicts, from the posts of the weeks' windows read once; runs of
    consecutive weeks share their reads, weeks far apart are read on their own."""
    outlets = dict(conn.execute(sa.select(schema.blogs.c.id, schema.blogs.c.outlet)).all())
    out = []
    for run in _runs(weeks):
        first, last = window(run[0])[0], window(run[-1])[1]
        posts = queries.select_posts(conn, queries.PostFilter(first_day=first, last_day=last, newest_first=False))
        rows = [(p, outlets.get(p.blog_id) or "") for p in posts if p.kind != "housekeeping"]
        phrases = {p.id: may_claim_text(p.text) for p, _ in rows}
        for week in run:
            since, until = window(week)
            inside = [r for r in rows if since <= r[0].day <= until]
            out.append((week, week_conflicts(inside, lambda post, known=phrases: known[post.id])))
    return out


def _runs(weeks: list[date]) -> list[list[date]]:
    runs: list[list[date]] = []
    for week in weeks:
        if runs and week - runs[-1][-1] == WEEK:
            runs[-1].append(week)
        else:
            runs.append([week])
    return runs
