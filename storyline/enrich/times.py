"""Time expressions in a post, resolved against the post's own time. (Being written.)"""

from __future__ import annotations

from ..model import TimeRef
from .text import PostText


def find_times(text: PostText) -> list[TimeRef]:
    return []
