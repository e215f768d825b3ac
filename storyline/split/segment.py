"""Blocks -> draft posts: cut the block stream at headlines, attach time stamps, keep
captions and link stubs apart from the body, and put the page's key points and intro on
the blog. Shared by the plain-text reader and the DOM reader's fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Block, Link
from ..read import shapes


@dataclass(slots=True)
class DraftPost:
    headline: str = ""
    body: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    stamp: Block | None = None
    anchor: str | None = None
    line: int | None = None
    housekeeping: bool = False

    @property
    def empty(self) -> bool:
        return not self.headline and not self.body


@dataclass(slots=True)
class Draft:
    title: str = ""
    byline: str | None = None
    key_points: list[str] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines about the blog: closers, intro captions
    posts: list[DraftPost] = field(default_factory=list)


def stamp_side(blocks: list[Block]) -> str:
    """Whether this page prints time stamps 'before' or 'after' the headline they date."""
    before = after = 0
    meaningful = [b for b in blocks if b.kind not in {"caption", "promo", "chrome"}]
    for index, block in enumerate(meaningful):
        if block.kind != "timestamp":
            continue
        nxt = meaningful[index + 1] if index + 1 < len(meaningful) else None
        prev = meaningful[index - 1] if index else None
        if nxt is not None and nxt.kind == "heading":
            before += 1
        if prev is not None and prev.kind == "heading":
            after += 1
    return "after" if after > before else "before"


def _demote_questions(blocks: list[Block]) -> None:
    """A guessed headline ending in '?' with no paragraph under it is a rhetorical
    question closing the previous post ("But who is ...? Click here to find out.")."""
    for index, block in enumerate(blocks):
        if block.kind != "heading" or block.certain or not block.text.rstrip("\"'”’").endswith("?"):
            continue
        following = next((b for b in blocks[index + 1:] if b.kind not in {"caption", "chrome"}), None)
        if following is None or following.kind != "paragraph":
            block.kind = "paragraph"


def segment(blocks: list[Block]) -> Draft:
    _demote_questions(blocks)
    draft = Draft()
    side = stamp_side(blocks)
    current: DraftPost | None = None
    pending_stamp: Block | None = None
    in_promo = False

    def start(**kwargs: object) -> DraftPost:
        nonlocal current
        post = DraftPost(**kwargs)  # type: ignore[arg-type]
        draft.posts.append(post)
        current = post
        return post

    for block in blocks:
        kind = block.kind
        if kind == "title":
            draft.title = draft.title or block.text
            continue
        if kind == "byline":
            draft.byline = draft.byline or block.text
            continue
        if kind == "promo":
            in_promo = True
            continue
        if kind == "chrome":
            continue
        if kind == "bullet" and in_promo:
            continue
        in_promo = False
        if kind == "heading":
            post = start(headline=block.text, anchor=block.anchor, line=block.line)
            post.housekeeping = shapes.is_opener(block.text)
            if side == "before" and pending_stamp is not None:
                post.stamp, pending_stamp = pending_stamp, None
            continue
        if kind == "timestamp":
            if side == "after" and current is not None and current.stamp is None and not current.body:
                current.stamp = block
            elif side == "before":
                if pending_stamp is not None:  # two stamps in a row: the first dated a post with no headline
                    start(stamp=pending_stamp, line=pending_stamp.line)
                pending_stamp = block
            else:
                start(stamp=block, line=block.line)
            continue
        if pending_stamp is not None and kind == "paragraph":
            # A stamp followed by text with no headline: a post without a headline.
            start(stamp=pending_stamp, line=pending_stamp.line, anchor=block.anchor)
            pending_stamp = None
        if current is None:
            _add_to_intro(draft, block)
            continue
        if kind == "paragraph":
            if shapes.CLOSER.search(block.text) and shapes.is_opener(block.text):
                draft.notes.append(block.text)
            elif shapes.is_opener(block.text) and not current.housekeeping and not current.body:
                # An opener as a post's first paragraph (under a stamp or a headline) belongs
                # to that post; with no headline above it, the post is about the blog.
                current.housekeeping = not current.headline
                current.body.append(block.text)
            elif shapes.starts_section(block.text) and not current.housekeeping:
                # A greeting after a post's body opens the day's first post, undated.
                post = start(line=block.line)
                post.housekeeping = True
                post.body.append(block.text)
            else:
                current.body.append(block.text)
        elif kind == "bullet":
            current.body.append(block.text)
        elif kind == "caption":
            current.captions.append(block.text)
        elif kind == "link":
            current.links.append(Link(block.text, block.href))
    if pending_stamp is not None:
        start(stamp=pending_stamp, line=pending_stamp.line)
    draft.posts = [p for p in draft.posts if not p.empty]
    return draft


def _add_to_intro(draft: Draft, block: Block) -> None:
    if block.kind == "bullet":
        draft.key_points.append(block.text)
    elif block.kind == "paragraph":
        if shapes.is_opener(block.text):
            draft.notes.append(block.text)
        else:
            draft.summary.append(block.text)
    elif block.kind == "caption":
        draft.notes.append(block.text)
