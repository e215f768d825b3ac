"""Series the web UI draws: posts per outlet per day, and the daily cooperation–conflict
score of the events reported (enrich/events.py scores each action from −10 to +10)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from . import schema


def posts_per_outlet_day(conn: sa.Connection) -> list[dict[str, Any]]:
    """[{day, outlet, posts}] for news posts with a day, by day then outlet."""
    posts, blogs = schema.posts, schema.blogs
    query = (
        sa.select(posts.c.day, blogs.c.outlet, sa.func.count().label("posts"))
        .join(blogs, blogs.c.id == posts.c.blog_id)
        .where(posts.c.day.is_not(None), posts.c.kind == "news")
        .group_by(posts.c.day, blogs.c.outlet)
        .order_by(posts.c.day, blogs.c.outlet)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


def daily_event_score(conn: sa.Connection) -> list[dict[str, Any]]:
    """[{day, score, events}]: the mean score of the day's events, denied ones left out
    (a denial reports that something did not happen)."""
    posts, events = schema.posts, schema.post_events
    query = (
        sa.select(posts.c.day, sa.func.avg(events.c.score).label("score"), sa.func.count().label("events"))
        .join(posts, posts.c.id == events.c.post_id)
        .where(posts.c.day.is_not(None), events.c.modality != "denied")
        .group_by(posts.c.day)
        .order_by(posts.c.day)
    )
    return [{**dict(row), "score": round(float(row["score"]), 3)} for row in conn.execute(query).mappings()]
