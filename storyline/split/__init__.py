"""split: a Page -> the Blog and its Posts (headline, body, kind, captions, links).

Pages with structured updates (JSON-LD, DOM post containers) map one update to one post;
pages read as blocks are cut into posts by `segment`. Ids and times come later (date,
identify): this stage decides only what each post is.
"""

from __future__ import annotations

from ..errors import NotALiveBlog
from ..model import Blog, Link, Parsed, Post, Update
from ..read import shapes
from ..read.text import classify_line
from .kinds import post_kind
from .segment import segment

# A live blog has several updates; a page with fewer is an article or an index page.
MIN_POSTS = 2


def split_page(parsed: Parsed) -> Parsed:
    page = parsed.page
    assert page is not None
    if page.updates:
        posts = [_post_from_update(u, i) for i, u in enumerate(page.updates)]
        posts = [p for p in posts if p.headline or p.body]
    else:
        draft = segment(page.blocks)
        page.title = page.title or draft.title
        page.byline = page.byline or draft.byline
        page.key_points = page.key_points or draft.key_points
        page.summary = page.summary or draft.summary
        parsed.notes.extend(draft.notes)
        posts = []
        for index, d in enumerate(draft.posts):
            kind = "housekeeping" if d.housekeeping else post_kind(d.headline, d.body, d.captions, d.links)
            posts.append(
                Post(
                    id="", blog_id="", position=index, headline=d.headline, body=d.body,
                    kind=kind, captions=d.captions, links=d.links, native_id=d.anchor,
                    stamp_text=d.stamp.text if d.stamp else None,
                    published=d.stamp.when if d.stamp and d.stamp.when else None,
                )
            )
    news_like = [p for p in posts if p.kind != "housekeeping"]
    if len(news_like) < MIN_POSTS:
        raise NotALiveBlog(
            f"found {len(news_like)} update(s) in a {page.reader} page; "
            "a live blog has several (is this a single article?)"
        )
    for index, post in enumerate(posts):
        post.position = index
    parsed.blog = Blog(
        id="", title=page.title.strip() or (posts[0].headline if posts else ""),
        outlet=page.outlet, url=page.url, day=None, byline=page.byline,
        key_points=page.key_points, summary=page.summary, language=page.language,
        reader=page.reader, document_hash=parsed.document.hash,
    )
    parsed.posts = posts
    return parsed


def _post_from_update(update: Update, index: int) -> Post:
    body: list[str] = []
    captions = list(update.captions)
    links = list(update.links)
    for paragraph in update.paragraphs:
        text = paragraph.strip()
        if not text:
            continue
        block = classify_line(text)
        if block.kind in {"promo", "chrome"}:
            continue
        if block.kind == "caption":
            captions.append(text)
        elif block.kind == "link":
            links.append(Link(text))
        else:
            body.append(shapes.strip_bullet(text) or text)
    headline = update.headline.strip()
    housekeeping = shapes.is_opener(headline or (body[0] if body else ""))
    kind = "housekeeping" if housekeeping else post_kind(headline, body, captions, links)
    return Post(
        id="", blog_id="", position=index, headline=headline, body=body, kind=kind,
        published=update.published, precision="minute" if update.published else None,
        dated_how="metadata" if update.published else None, captions=captions, links=links,
        native_id=update.native_id, url=update.url, stamp_text=update.stamp_text,
    )
