"""What kind of update a post is: news, media (video, photos, graphics, podcasts) or
housekeeping (posts about the blog itself: day openers, closers)."""

from __future__ import annotations

import re

from ..model import Link, PostKind
from ..read import shapes

# A post that presents a video or podcast says so in its first words.
_MEDIA_LEAD = re.compile(r"^(?:(?:a|the|this|new)\s+)?(?:video|footage|clip)\b", re.I)
_MEDIA_INTRO = re.compile(r"^in\s+(?:the\s+following|this)\s+(?:podcast|episode|video|documentary)\b", re.I)
_VISUAL = re.compile(r"\b(?:chart|graphic|graph|map|photos?|pictures|images|video|footage|gallery)\b", re.I)


def post_kind(headline: str, body: list[str], captions: list[str], links: list[Link]) -> PostKind:
    lead = headline or (body[0] if body else "")
    if shapes.is_opener(lead):
        return "housekeeping"
    if shapes.MEDIA_HEADLINE.search(headline):
        return "media"
    if body and (_MEDIA_LEAD.search(body[0]) or any(_MEDIA_INTRO.search(p) for p in body)):
        return "media"
    if not body and (captions or links or headline):
        return "media"  # a headline over an embed: video, gallery, graphic
    if len(body) <= 1 and len(captions) >= 1 and _VISUAL.search(headline):
        return "media"
    if len(captions) >= 3 and len(captions) > len(body):
        return "media"  # a photo gallery with a line of text
    return "news"
