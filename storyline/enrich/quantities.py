"""Figures in a post: value, unit, qualifier and what is counted. (Being written.)"""

from __future__ import annotations

from ..model import Quantity
from .text import PostText


def find_quantities(text: PostText) -> list[Quantity]:
    return []
