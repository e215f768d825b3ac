"""Entity mentions and their canonical names. (First version; being extended.)"""

from __future__ import annotations

from ..model import Mention, Post
from .text import PostText


def link_entities(posts: list[Post], texts: list[PostText]) -> None:
    for post, text in zip(posts, texts):
        post.entities = [Mention(e.text, None, e.start, e.end, e.label, e.text) for e in text.entities]
