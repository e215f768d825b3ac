"""Render a live blog described by a `LiveBlogSpec` as the three page forms storyline reads:
HTML with schema.org LiveBlogPosting JSON-LD, HTML with only DOM post containers, and
plain text as copied out of a browser. Used by the round-trip property tests
(tests/test_roundtrip.py) and the UKP throughput benchmark (bench/ukp_throughput.py).

Posts are rendered in `spec.posts` order, which is page order: newest first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from typing import NamedTuple
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")


class PostSpec(NamedTuple):
    headline: str  # may be "" for a post without a headline
    paragraphs: list[str]
    published: datetime  # aware


@dataclass
class LiveBlogSpec:
    title: str
    outlet: str
    url: str
    day: date
    key_points: list[str] = field(default_factory=list)
    posts: list[PostSpec] = field(default_factory=list)  # page order: newest first


def _clock(when: datetime) -> str:
    """'4:44' — the short time a live blog prints beside a post."""
    return f"{when.hour % 12 or 12}:{when.minute:02d}"


def eastern_stamp(when: datetime) -> str:
    """'4:44 p.m. ET, January 21, 2022' (CNN's form) for an aware datetime."""
    local = when.astimezone(EASTERN)
    half = "a.m." if local.hour < 12 else "p.m."
    return f"{_clock(local)} {half} ET, {local:%B} {local.day}, {local.year}"


def _json_for_script(data: object) -> str:
    """JSON that cannot close its <script> element early."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


def _post_anchor(spec: LiveBlogSpec, index: int) -> str:
    return f"post-{len(spec.posts) - index}"  # numbered oldest = 1, as CMSs number them


def _head(spec: LiveBlogSpec, extra: str = "") -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(spec.title)} | {escape(spec.outlet)}</title>\n"
        f"<link rel=\"canonical\" href=\"{escape(spec.url)}\">\n"
        f"<meta property=\"og:site_name\" content=\"{escape(spec.outlet)}\">\n"
        f"<meta property=\"og:title\" content=\"{escape(spec.title)}\">\n"
        f"{extra}</head>\n"
    )


def _key_points_html(spec: LiveBlogSpec) -> str:
    if not spec.key_points:
        return ""
    items = "".join(f"<li>{escape(point)}</li>\n" for point in spec.key_points)
    return f"<ul class=\"key-points\">\n{items}</ul>\n"


def render_jsonld_html(spec: LiveBlogSpec) -> str:
    """A page whose posts are only in its LiveBlogPosting JSON-LD (the body has the title
    and key points but no post markup, so a DOM fallback cannot hide a JSON-LD bug)."""
    times = [p.published for p in spec.posts]
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "@id": spec.url,
        "url": spec.url,
        "headline": spec.title,
        "publisher": {"@type": "Organization", "name": spec.outlet},
        "coverageStartTime": min(times).isoformat() if times else None,
        "coverageEndTime": max(times).isoformat() if times else None,
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "@id": f"{spec.url}#{_post_anchor(spec, index)}",
                "headline": post.headline,
                "datePublished": post.published.isoformat(),
                "articleBody": "\n\n".join(post.paragraphs),
            }
            for index, post in enumerate(spec.posts)
        ],
    }
    script = f"<script type=\"application/ld+json\">\n{_json_for_script(data)}\n</script>\n"
    return (
        _head(spec, script)
        + f"<body>\n<main>\n<h1>{escape(spec.title)}</h1>\n{_key_points_html(spec)}</main>\n</body>\n</html>\n"
    )


def render_dom_html(spec: LiveBlogSpec) -> str:
    """A page with no JSON-LD: one <article class="live-post"> per post."""
    articles = []
    for index, post in enumerate(spec.posts):
        paragraphs = "".join(f"<p>{escape(p)}</p>\n" for p in post.paragraphs)
        headline = f"<h2>{escape(post.headline)}</h2>\n" if post.headline else ""
        articles.append(
            f"<article class=\"live-post\" id=\"{_post_anchor(spec, index)}\">\n"
            f"<time datetime=\"{post.published.isoformat()}\">{_clock(post.published)}</time>\n"
            f"{headline}{paragraphs}</article>\n"
        )
    return (
        _head(spec)
        + f"<body>\n<main>\n<h1>{escape(spec.title)}</h1>\n{_key_points_html(spec)}"
        + f"<div class=\"live-posts\">\n{''.join(articles)}</div>\n</main>\n</body>\n</html>\n"
    )


def render_text(spec: LiveBlogSpec) -> str:
    """The page as plain text copied from a browser: title, key points, then per post a
    stamp line in US Eastern time, the headline and the paragraphs, blank-line separated."""
    lines = [spec.title, ""]
    if spec.key_points:
        lines.extend(f"  • {point}" for point in spec.key_points)
        lines.append("")
    for post in spec.posts:
        lines.extend([eastern_stamp(post.published), ""])
        if post.headline:
            lines.extend([post.headline, ""])
        for paragraph in post.paragraphs:
            lines.extend([paragraph, ""])
    return "\n".join(lines)


RENDERERS = {"jsonld": render_jsonld_html, "dom": render_dom_html, "text": render_text}
MEDIA_TYPES = {"jsonld": "text/html", "dom": "text/html", "text": "text/plain"}
