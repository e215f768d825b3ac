"""Direct quotes in a post and who said them. (Being written.)"""

from __future__ import annotations

from ..model import Quote
from .text import PostText


def find_quotes(text: PostText) -> list[Quote]:
    return []
