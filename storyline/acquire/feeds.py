"""RSS/Atom feeds: recognise one and list its entries, each pointing at a page or carrying one."""

from __future__ import annotations

import io
import os
from calendar import timegm
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

import feedparser

from ..errors import FeedError
from ..model import Document
from .sources import FEED_MEDIA_TYPES, STDIN, sniff_media_type


@dataclass(slots=True)
class FeedEntry:
    """One feed item: `link` is absolute (URL) or, for a local feed, a local path."""

    title: str
    link: str | None
    published: datetime | None
    content: str | None  # the entry's HTML when the feed embeds it

    @property
    def label(self) -> str:
        """How the entry is named in sources and error lines: its title, else its link."""
        return self.title or self.link or "untitled entry"


def is_feed(document: Document) -> bool:
    return (
        document.media_type in FEED_MEDIA_TYPES
        or sniff_media_type(document.content) in FEED_MEDIA_TYPES
    )


def resolve_link(link: str, document: Document) -> str:
    """A link against the feed's URL, or for a local feed against the feed file's folder."""
    if document.url:
        return urljoin(document.url, link)
    parts = urlsplit(link)
    if parts.scheme.lower() == "file":
        return url2pathname(parts.path)
    if len(parts.scheme) > 1:  # http(s) or something acquire will refuse; one letter is a drive
        return link
    folder = "" if document.source == STDIN else os.path.dirname(document.source)
    return os.path.normpath(os.path.join(folder, unquote(parts.path)))


def _published(entry: feedparser.FeedParserDict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(timegm(parsed), tz=timezone.utc)  # feedparser gives UTC


def _content(entry: feedparser.FeedParserDict) -> str | None:
    for part in entry.get("content") or []:
        if part.get("value"):
            return part["value"]
    return entry.get("summary") or None


def feed_entries(document: Document) -> list[FeedEntry]:
    """The entries of a feed Document, in feed order; FeedError if it cannot be parsed at all."""
    headers = {"content-location": document.url} if document.url else {}
    # A stream, never bytes or str: feedparser would treat those as a path or URL to open.
    parsed = feedparser.parse(io.BytesIO(document.content), response_headers=headers)
    if parsed.bozo and not parsed.entries:
        raise FeedError(f"cannot parse feed: {parsed.get('bozo_exception')}", document.source)
    return [
        FeedEntry(
            title=" ".join((entry.get("title") or "").split()),
            link=resolve_link(entry["link"], document) if entry.get("link") else None,
            published=_published(entry),
            content=_content(entry),
        )
        for entry in parsed.entries
    ]
