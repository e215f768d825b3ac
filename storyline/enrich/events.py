"""Coded events: actor, action, target, modality, cooperation-conflict score. (Being written.)"""

from __future__ import annotations

from ..model import Event
from .text import PostText


def find_events(text: PostText) -> list[Event]:
    return []
