"""Records -> JSON-ready dicts: the shapes of `storyline parse --json` and the other
commands' `--json` (DESIGN.md "Contracts"). ISO 8601 everywhere; `published` carries the
zone where known, and is a plain date when only the day is known."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import cache
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
    if is_dataclass(value) and not isinstance(value, type):
        return _record(value)
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _record(record: Any) -> dict[str, Any]:
    """A record as a JSON-ready dict, field by field: what dataclasses.asdict gives, without
    its deep copies (a page of posts spent most of its time copying strings)."""
    out = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        out[name] = value if value is None or isinstance(value, (str, int, float)) else _plain(value)
    return out


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
        "links": _plain(post.links),
        "revision": post.revision,
        "entities": _plain(post.entities),
        "quotes": _plain(post.quotes),
        "quantities": _plain(post.quantities),
        "times": _plain(post.times),
        "events": _plain(post.events),
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
