"""Records -> JSON-ready dicts: the shapes of `storyline parse --json` and the other
commands' `--json` (DESIGN.md "Contracts"). ISO 8601 everywhere; `published` carries the
zone where known, and is a plain date when only the day is known."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from .model import Blog, Parsed, Post


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def post_to_dict(post: Post, outlet: str | None = None) -> dict[str, Any]:
    published = iso(post.published) if post.precision == "minute" else iso(post.day)
    out: dict[str, Any] = {
        "id": post.id,
        "blog_id": post.blog_id,
        "position": post.position,
        "headline": post.headline,
        "body": post.body,
        "published": published,
        "precision": post.precision,
        "dated_how": post.dated_how,
        "day": iso(post.day),
        "kind": post.kind,
        "stamp_text": post.stamp_text,
        "captions": post.captions,
        "links": [asdict(link) for link in post.links],
        "revision": post.revision,
        "entities": _plain([asdict(m) for m in post.entities]),
        "quotes": _plain([asdict(q) for q in post.quotes]),
        "quantities": _plain([asdict(q) for q in post.quantities]),
        "times": _plain([asdict(t) for t in post.times]),
        "events": _plain([asdict(e) for e in post.events]),
    }
    if outlet is not None:
        out["outlet"] = outlet
    return out


def blog_to_dict(blog: Blog) -> dict[str, Any]:
    return {
        "id": blog.id,
        "title": blog.title,
        "outlet": blog.outlet,
        "url": blog.url,
        "day": iso(blog.day),
        "day_how": blog.day_how,
        "byline": blog.byline,
        "key_points": blog.key_points,
        "summary": blog.summary,
        "language": blog.language,
        "reader": blog.reader,
    }


def parsed_to_dict(parsed: Parsed) -> dict[str, Any]:
    assert parsed.blog is not None
    out = blog_to_dict(parsed.blog)
    out["source"] = parsed.document.source
    out["warnings"] = parsed.warnings
    out["posts"] = [post_to_dict(p) for p in parsed.posts]
    out["entities"] = [
        {"id": e.id, "name": e.name, "type": e.type, "aliases": e.aliases, "roles": e.roles} for e in parsed.entities
    ]
    return out
