"""One `storyline watch` run: what its rounds share (store, reading pipeline, fetcher,
alerts), how one source is polled and stored, and what ends each round.

Polling a source is the ingest step, incremental: acquire with the store's ETag and
Last-Modified (a 304 costs nothing), skip bytes already stored, read and save the rest
(new posts inserted, edited ones kept as revisions), and record the fetch only after the
save, so a failed save is fetched in full again next time. A round ends by placing new
posts in stories and checking the round's posts and changed stories against the rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from ..acquire import Fetcher, FetchResult, HttpFetcher, Unchanged, acquire
from ..acquire.sources import FEED_MEDIA_TYPES, sniff_media_type
from ..errors import StorylineError, describe
from ..ingest import store_document
from ..model import Document
from ..pipeline import Pipeline
from ..settings import Options
from ..store import Store
from .alerts import Alerter, RoundAlerts
from .poller import PollOutcome, Round


class FeedReplay:
    """A Fetcher that asks for a feed conditionally and, when it answers 304, replays the
    body it gave last time: the pages a feed links to are live blogs that grow while the
    feed stays the same, so they must still be polled (each conditionally, by its own URL)."""

    def __init__(self, fetcher: Fetcher) -> None:
        self.fetcher = fetcher
        self.feeds: dict[str, FetchResult] = {}

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        remembered = self.feeds.get(url)
        if remembered is not None and etag is None and last_modified is None:
            etag, last_modified = remembered.etag, remembered.last_modified
        result = self.fetcher.fetch(url, etag=etag, last_modified=last_modified)
        if result.not_modified and remembered is not None:
            return replace(remembered, fetched_at=result.fetched_at, status=200, not_modified=False)
        if not result.not_modified and FEED_MEDIA_TYPES & {result.media_type, sniff_media_type(result.content)}:
            self.feeds[url] = result
        return result


@dataclass
class RoundReport:
    """A finished round: its polls, what clustering did (None: not run, False: failed), alerts."""

    round: Round
    stories: Any = None  # cluster.update.ClusterResult
    alerts: RoundAlerts | None = None

    def totals(self) -> dict[str, int]:
        outcomes = self.round.outcomes
        return {
            "new": sum(len(o.new_ids) for o in outcomes),
            "updated": sum(len(o.updated_ids) for o in outcomes),
            "unchanged": sum(o.unchanged for o in outcomes),
            "not_modified": sum(o.not_modified for o in outcomes),
            "failed": sum(len(o.errors) for o in outcomes) + (self.stories is False),
        }


class WatchSession:
    """Polls sources into one store and ends rounds; failures are reported, never raised."""

    def __init__(
        self,
        store: Store,
        pipeline: Pipeline,
        options: Options,
        *,
        fetcher: Fetcher | None = None,
        alerter: Alerter | None = None,
        cluster: bool = True,
        embedder: Callable[[list[str]], Any] | None = None,
        report: Callable[[StorylineError], None] = lambda error: None,
        warn: Callable[[str, str], None] = lambda source, warning: None,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.options = options
        self._own_fetcher = HttpFetcher(options) if fetcher is None else None
        self.fetcher = FeedReplay(fetcher or self._own_fetcher)
        self.alerter = alerter
        self.cluster = cluster
        self.embedder = embedder
        self._report = report
        self._warn = warn

    def poll(self, source: str, stopping: Callable[[], bool] = lambda: False) -> PollOutcome:
        """Fetch one source (a page, a feed and its entries, a file) and store what changed."""
        outcome = PollOutcome(source)
        reached = False
        items = acquire([source], self.options, fetcher=self.fetcher, validators=self.store.fetch_state)
        try:
            for item in items:
                if isinstance(item, StorylineError):
                    self._failed(outcome, item)
                    continue
                reached = True
                if isinstance(item, Unchanged):
                    outcome.not_modified += 1
                else:
                    try:
                        self._store(item, outcome)
                    except StorylineError as exc:
                        self._failed(outcome, describe(exc, item.source))
                if stopping():
                    break
        finally:
            items.close()
        outcome.reached = reached or not outcome.errors
        return outcome

    def _store(self, document: Document, outcome: PollOutcome) -> None:
        """Save a fetched page as `storyline ingest` does (ingest.store_document), unless its
        very bytes are stored already."""
        if self.store.has_document(document.hash):  # the same bytes: nothing new in them
            outcome.not_modified += 1
            if document.url:
                self.store.record_fetch(document.url, document.etag, document.last_modified, document.hash)
            return
        stored = store_document(self.store, self.pipeline, document, self.options)
        if stored.error is not None:
            raise stored.error
        outcome.new_ids += stored.saved.new_ids
        outcome.updated_ids += stored.saved.updated_ids
        outcome.unchanged += stored.saved.unchanged
        for warning in stored.warnings:
            self._warn(document.source, warning)

    def _failed(self, outcome: PollOutcome, error: StorylineError) -> None:
        outcome.errors.append(error)
        self._report(error)

    def finish_round(self, round_: Round) -> RoundReport:
        """Place new posts in stories, then check the round against the alert rules."""
        report = RoundReport(round_)
        story_ids: list[str] = []
        if self.cluster:
            report.stories = self._update_stories()
            story_ids = report.stories.story_ids if report.stories else []
        if self.alerter is not None:
            post_ids = [pid for o in round_.outcomes for pid in (*o.new_ids, *o.updated_ids)]
            report.alerts = self.alerter.run(post_ids, story_ids)
        return report

    def _update_stories(self) -> Any:
        """Stories for every stored post without one (this round's and any an earlier failed
        step left), then the conflicts of the weeks that changed; False, with one line, when
        it cannot run: the next round tries again."""
        from ..assemble.stored import refresh_conflicts
        from ..cluster.update import update_stories

        try:
            result = update_stories(self.store, self.embedder, now=datetime.now(UTC))
            refresh_conflicts(self.store)
            return result
        except Exception as exc:
            self._report(describe(exc, "stories"))
            return False

    def close(self) -> None:
        if self._own_fetcher is not None:
            self._own_fetcher.close()
