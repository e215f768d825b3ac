"""identify: stable ids for blogs and posts, so re-ingesting a page adds nothing.

A post keeps its id across fetches: from its native id (JSON-LD @id, the DOM's
id="post-…") when the page has one, else from outlet, day and headline. An edited
headline on a page without native ids yields a new id; the store matches such a post to
the one it replaces by text similarity and records a revision instead.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from urllib.parse import urlsplit, urlunsplit

from ..model import Blog, Parsed, Post


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def normalise_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def canonical_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), "", ""))


def blog_id(blog: Blog) -> str:
    if blog.url:
        return "b" + _digest("url", canonical_url(blog.url))
    return "b" + _digest("page", normalise_key(blog.outlet or ""), blog.day, normalise_key(blog.title))


def post_key(post: Post) -> str:
    if post.native_id:
        return "native:" + post.native_id
    if post.url and "#" in post.url:
        return "url:" + post.url
    lead = post.headline or (post.body[0][:120] if post.body else "")
    return f"text:{post.day}:{normalise_key(lead)}"


def identify(parsed: Parsed) -> Parsed:
    blog = parsed.blog
    assert blog is not None
    blog.id = blog_id(blog)
    scope = normalise_key(blog.outlet) if blog.outlet else blog.id
    seen: Counter[str] = Counter()
    for post in parsed.posts:
        key = post_key(post)
        seen[key] += 1
        # The same headline twice on one page ("Good morning…" on each day) stays distinct.
        occurrence = seen[key]
        post.id = "p" + _digest(scope, key, occurrence if occurrence > 1 else "")
        post.blog_id = blog.id
    return parsed
