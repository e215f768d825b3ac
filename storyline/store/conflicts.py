"""Stored conflicts (migration 6): what assemble/stored.py writes and the story pages read.

Conflicts are kept per week: the rows of week W (its Monday) are the conflicts found among
the posts of W's window, and a story whose day falls in W shows those its posts take part
in. Whether a week's rows are current is told by the days: `conflict_days` holds, for every
day that had posts when conflicts were last assembled, the day's signature then; a week is
current when every day of its window has the same signature now (`day_signatures`).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Iterable

import sqlalchemy as sa

from . import rows, schema


def day_signatures(conn: sa.Connection, first_day: date | None = None, last_day: date | None = None) -> dict[date, str]:
    """Day -> what its posts are: how many, their revisions (an edit moves the sum) and the
    stages that made them (a re-enrichment moves min or max). One indexed GROUP BY."""
    posts = schema.posts
    query = (sa.select(posts.c.day, sa.func.count(), sa.func.sum(posts.c.revision),
                       sa.func.min(posts.c.made_by), sa.func.max(posts.c.made_by))
             .where(posts.c.day.is_not(None)).group_by(posts.c.day))
    if first_day is not None:
        query = query.where(posts.c.day >= first_day)
    if last_day is not None:
        query = query.where(posts.c.day <= last_day)
    return {day: f"{count}|{revisions}|{low}|{high}" for day, count, revisions, low, high in conn.execute(query)}


def assembled_signatures(conn: sa.Connection, first_day: date | None = None,
                         last_day: date | None = None) -> dict[date, str]:
    """Day -> its signature when conflicts were last assembled with it."""
    days = schema.conflict_days
    query = sa.select(days.c.day, days.c.signature)
    if first_day is not None:
        query = query.where(days.c.day >= first_day)
    if last_day is not None:
        query = query.where(days.c.day <= last_day)
    return dict(conn.execute(query).all())


def replace_week(conn: sa.Connection, week: date, found: list[tuple[str, dict[str, Any]]]) -> None:
    """The conflicts of one week, (kind, conflict as JSON: id, about, claims), in order."""
    conflicts, members = schema.conflicts, schema.conflict_posts
    conn.execute(sa.delete(members).where(members.c.week == week))
    conn.execute(sa.delete(conflicts).where(conflicts.c.week == week))
    seen: set[str] = set()
    heads, links = [], []
    for position, (kind, conflict) in enumerate(found):
        if conflict["id"] in seen:  # one id is one conflict, whichever side found it first
            continue
        seen.add(conflict["id"])
        heads.append({"week": week, "id": conflict["id"], "kind": kind, "about": conflict["about"],
                      "claims": conflict["claims"], "position": position})
        posts = {claim["post_id"] for claim in conflict["claims"] if claim.get("post_id")}
        links.extend({"week": week, "conflict_id": conflict["id"], "post_id": p} for p in sorted(posts))
    if heads:
        conn.execute(sa.insert(conflicts), heads)
    if links:
        conn.execute(sa.insert(members), links)


def record_days(conn: sa.Connection, signatures: dict[date, str], gone: Iterable[date] = ()) -> None:
    """Remember the days assembled (their signatures), and forget days without posts now."""
    days = schema.conflict_days
    done = list(signatures) + list(gone)
    for batch in rows.chunks(done):
        conn.execute(sa.delete(days).where(days.c.day.in_(batch)))
    if signatures:
        conn.execute(sa.insert(days), [{"day": d, "signature": s} for d, s in signatures.items()])


def week_is_current(conn: sa.Connection, first_day: date, last_day: date) -> bool:
    """Whether every day of first_day..last_day was assembled as its posts are now."""
    return day_signatures(conn, first_day, last_day) == assembled_signatures(conn, first_day, last_day)


def week_conflicts(conn: sa.Connection, week: date, post_ids: list[str]) -> list[dict[str, Any]]:
    """The stored conflicts of `week` that one of these posts takes part in, in order."""
    conflicts, members = schema.conflicts, schema.conflict_posts
    wanted: set[str] = set()
    for batch in rows.chunks(post_ids):
        wanted.update(conn.execute(sa.select(members.c.conflict_id).where(
            members.c.week == week, members.c.post_id.in_(batch))).scalars())
    if not wanted:
        return []
    found = conn.execute(sa.select(conflicts.c.id, conflicts.c.about, conflicts.c.claims)
                         .where(conflicts.c.week == week, conflicts.c.id.in_(sorted(wanted)))
                         .order_by(conflicts.c.position)).all()
    return [{"id": cid, "about": about, "claims": claims if isinstance(claims, list) else json.loads(claims)}
            for cid, about, claims in found]
