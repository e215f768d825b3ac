"""All outlets' posts merged in time order.

Posts known to the minute sort by their instant; posts known only to the day sort within
their day after the timed ones (newest first) in their page's own order, since a page
lists them newest first. Nothing about the page order across outlets is assumed.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Iterable, TypeVar

from ..model import Post

T = TypeVar("T")


def _key(post: Post) -> tuple[date, int, float, int]:
    day = post.day or (post.published.date() if post.published else date.min)
    if post.precision == "minute" and post.published is not None:
        moment = post.published if post.published.tzinfo else post.published.replace(tzinfo=timezone.utc)
        return (day, 1, moment.timestamp(), -post.position)
    return (day, 0, 0.0, -post.position)


def merge_posts(rows: Iterable[tuple[Post, T]], newest_first: bool = True) -> list[tuple[Post, T]]:
    """(post, extra) pairs in timeline order, newest first unless told otherwise."""
    ordered = sorted(rows, key=lambda row: _key(row[0]))
    return ordered[::-1] if newest_first else ordered


def undated_last(rows: list[tuple[Post, T]]) -> list[tuple[Post, T]]:
    return [r for r in rows if r[0].day] + [r for r in rows if not r[0].day]
