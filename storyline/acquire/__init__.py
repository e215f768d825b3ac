"""Stage 1, acquire: bytes in from files, folders, globs, URLs, feeds or stdin, as Documents.

`acquire` yields one item per document, in order: a `Document`, an `Unchanged` (a URL that
answered 304 to a conditional request), or the `StorylineError` for a source that failed,
with `.where` naming it. One bad source or feed entry never stops the batch.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterator

from ..errors import FeedError, StorylineError, TooLarge, describe
from ..model import Document
from ..settings import Options
from .feeds import FeedEntry, feed_entries, is_feed
from .fetch import Fetcher, FetchResult, HttpFetcher, MockFetcher, MockResponse, check_address
from .sources import STDIN, expand_sources, is_url, load_file, load_stdin, sniff_media_type

__all__ = [
    "Unchanged", "acquire", "Fetcher", "FetchResult", "HttpFetcher", "MockFetcher",
    "MockResponse", "check_address", "expand_sources", "FeedEntry", "feed_entries", "is_feed",
]

# A URL's stored (etag, last_modified) for a conditional request, or None if never fetched.
Validators = Callable[[str], tuple[str | None, str | None] | None]
# Types servers send for bytes they did not label; sniffing says more.
_UNLABELLED = frozenset({"", "application/octet-stream", "binary/octet-stream"})


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A URL that answered 304 Not Modified: what is stored for it is still current."""

    source: str
    url: str


Acquired = Document | Unchanged | StorylineError


def _failed(exc: BaseException, where: str) -> StorylineError:
    """The error for one source, named as the user wrote it."""
    error = describe(exc)
    error.where = where
    return error


class _Acquisition:
    """One run of `acquire`: the fetcher, stdin and validators the sources share."""

    def __init__(
        self, options: Options, fetcher: Fetcher, stdin: BinaryIO | None, validators: Validators | None
    ) -> None:
        self.options = options
        self.fetcher = fetcher
        self.stdin = stdin
        self.validators = validators

    def source(self, source: str) -> Iterator[Acquired]:
        try:
            got = self.load(source, source)
        except Exception as exc:  # one bad source must not end the batch
            yield _failed(exc, source)
            return
        if isinstance(got, Document) and is_feed(got):
            yield from self.feed(got)
        else:
            yield got

    def load(self, source: str, named: str) -> Document | Unchanged:
        """Bytes for a path, URL or '-'; `named` is what the Document is called."""
        if source == STDIN:
            stream = self.stdin if self.stdin is not None else sys.stdin.buffer
            return load_stdin(stream, self.options)
        if is_url(source):
            return self.fetch(source, named)
        document = load_file(source, self.options)
        document.source = named
        return document

    def fetch(self, url: str, named: str) -> Document | Unchanged:
        etag, last_modified = (self.validators(url) if self.validators else None) or (None, None)
        result = self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        if result.not_modified:
            return Unchanged(named, url)
        media_type = result.media_type
        if media_type in _UNLABELLED:
            media_type = sniff_media_type(result.content) or "text/plain"
        return Document(
            source=named,
            content=result.content,
            media_type=media_type,
            url=result.url,
            fetched_at=result.fetched_at,
            etag=result.etag,
            last_modified=result.last_modified,
        )

    def feed(self, feed: Document) -> Iterator[Acquired]:
        """Each entry of a feed as a Document (its page, its local file or its embedded HTML)."""
        try:
            entries = feed_entries(feed)
        except Exception as exc:
            yield _failed(exc, feed.source)
            return
        if not entries:
            yield FeedError("feed has no entries", feed.source)
        for entry in entries:
            named = f"{feed.source}#{entry.label}"
            try:
                yield self.entry(feed, entry, named)
            except Exception as exc:
                yield _failed(exc, named)

    def entry(self, feed: Document, entry: FeedEntry, named: str) -> Document | Unchanged:
        if entry.link is None:
            if not entry.content:
                raise FeedError("entry has neither a link nor content")
            content = entry.content.encode("utf-8")
            if len(content) > self.options.max_bytes:
                raise TooLarge(f"embedded content is over the {self.options.max_bytes:,}-byte cap")
            # No url: the entry has no address of its own, and the feed's would be shared.
            return Document(
                source=named, content=content, media_type="text/html", fetched_at=feed.fetched_at
            )
        if is_url(entry.link):
            return self.fetch(entry.link, named)
        if feed.url is None and "://" not in entry.link:  # a local feed's local file
            return self.load(entry.link, named)
        raise FeedError(f"entry link {entry.link!r} is not an http(s) URL")


def acquire(
    sources: list[str],
    options: Options,
    *,
    fetcher: Fetcher | None = None,
    stdin: BinaryIO | None = None,
    validators: Validators | None = None,
) -> Iterator[Acquired]:
    """Documents for the named sources, in order; failures are yielded, never raised."""
    own_fetcher = HttpFetcher(options) if fetcher is None else None
    run = _Acquisition(options, fetcher or own_fetcher, stdin, validators)
    try:
        for item in expand_sources(sources):
            if isinstance(item, StorylineError):
                yield item
            else:
                yield from run.source(item)
    finally:
        if own_fetcher is not None:
            own_fetcher.close()
