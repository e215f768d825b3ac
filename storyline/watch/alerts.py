"""Alerts: after each round of `storyline watch`, the posts that are new or edited and the
stories that changed are checked against the rules (rules.py); each match is an alert with
a key, and an alert whose key fired before (in this run or an earlier one: the store's
fired_alerts table) is not sent again.

    entity         a post names the entity or quotes it, under any spelling (as
                   `storyline quotes --speaker` resolves names)
    keyword        a post's headline or body has the words (case-insensitive, whole words)
    event          a post reports an event of this type (its events' action: 'evacuate')
    figure         a post gives a figure whose 'what' contains the words, above or below a threshold
    story_outlets  a story has reached N outlets: once per story and threshold

A post rule fires once per story by default (the same development from a second outlet
is not news again), or once per post with per = "post"; a post without a story (clustering
off or failed) counts as its own story. Delivery is per sink: a sink that fails keeps the
alert and gets it again next round, up to MAX_DELIVERY_ROUNDS rounds.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..errors import DeliveryError, StorylineError, describe
from ..model import Post, Quantity, Story
from ..store import Store
from ..store.alerts import AlertLog, entity_ids_named, stories_of_posts
from ..store.rows import utc_key
from .rules import AlertConfig, Rule
from .sinks import Sink

# An alert before it is known to be new: key, rule name, payload, sink names.
Candidate = tuple[str, str, dict[str, Any], tuple[str, ...]]

# How many rounds a sink that keeps failing is offered an alert before it is dropped (with
# one line saying so): at the default --every 60, half an hour of a webhook receiver being
# down. Longer outages are better served by reading the JSON Lines file afterwards.
MAX_DELIVERY_ROUNDS = 30


def _utc_now() -> datetime:
    return datetime.now(UTC)


def rules_key(rules: list[Rule]) -> str:
    """One rule set's name in alert_marks: its rules' names (editing a threshold keeps it)."""
    return hashlib.sha256("\x1f".join(sorted(r.name for r in rules)).encode()).hexdigest()[:16]


def keyword_pattern(phrase: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any run of spaces between its words."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _stem(word: str) -> str:
    """'troops' finds 'troop': the rule `storyline figures --what` uses (store/facts.py)."""
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def figure_crosses(rule: Rule, quantity: Quantity) -> bool:
    """Whether a figure counts what the rule names and lies beyond its threshold."""
    if quantity.value is None or not quantity.what:
        return False
    what = quantity.what.lower()
    if not all(_stem(w) in what for w in rule.target.lower().split()):
        return False
    if rule.unit is not None and (quantity.unit or "").lower() != rule.unit.lower():
        return False
    if rule.above is not None:
        return max(quantity.value, quantity.high or quantity.value) > rule.above
    assert rule.below is not None
    return quantity.value < rule.below


def match_post(rule: Rule, post: Post, entity_ids: frozenset[str]) -> str | None:
    """What in the post matched the rule (as written), or None."""
    if rule.kind == "keyword":
        found = keyword_pattern(rule.target).search(post.text)
        return found.group(0) if found else None
    if rule.kind == "entity":
        for mention in post.entities:
            if mention.entity_id in entity_ids:
                return mention.name or mention.text
        for quote in post.quotes:
            if quote.speaker_id in entity_ids:
                return quote.speaker or quote.speaker_as_written
        return None
    if rule.kind == "event":
        for event in post.events:
            if event.action == rule.target:
                return event.trigger or event.action
        return None
    if rule.kind == "figure":
        for quantity in post.quantities:
            if figure_crosses(rule, quantity):
                return quantity.text
        return None
    return None


@dataclass
class RoundAlerts:
    """What one round's alert step did."""

    fired: list[dict[str, Any]] = field(default_factory=list)  # new alerts, as sinks get them
    delivered: int = 0
    failed: int = 0  # deliveries that failed this round (they are tried again later)


class Alerter:
    """Matches a round's posts and stories against the rules, records the new alerts and
    delivers every pending one; each failure is one reported line, never an exception."""

    def __init__(self, store: Store, config: AlertConfig, sinks: dict[str, Sink], *,
                 clock: Callable[[], datetime] = _utc_now,
                 report: Callable[[StorylineError], None] = lambda error: None) -> None:
        self.store = store
        self.rules = config.rules
        self.sinks = sinks
        self.log = AlertLog(store, clock)
        self._clock = clock
        self._report = report
        self.key = rules_key(self.rules)
        # Checking starts from now on (not from the whole archive) the first time a rule set
        # watches this database; from then on each round checks what was stored since the
        # last check, so posts saved just before a kill are checked after the restart.
        try:
            if self.rules and self.log.mark(self.key) is None:
                self.log.set_mark(self.key, store.now())
        except StorylineError as exc:
            report(describe(exc, "alerts"))

    def run(self, post_ids: list[str], story_ids: list[str]) -> RoundAlerts:
        """Check this round's posts and stories, and whatever else was stored since the last
        check (a round a kill cut short, another process's ingest); then deliver."""
        result = RoundAlerts()
        if not self.rules:
            return result
        try:
            started = self.store.now()  # before reading: what is saved meanwhile is checked next time
            since = self.log.mark(self.key)
            if since is not None:
                more_posts, more_stories = self.log.changed_since(since)
                post_ids, story_ids = [*post_ids, *more_posts], [*story_ids, *more_stories]
            result.fired = self.check(post_ids, story_ids)
            self.log.set_mark(self.key, started)
        except StorylineError as exc:  # the store failed: the mark stays, the next round checks again
            self._report(describe(exc, "alerts"))
        self.deliver(result)
        return result

    def check(self, post_ids: list[str], story_ids: list[str]) -> list[dict[str, Any]]:
        """Record and return the alerts these posts and stories fire for the first time."""
        if not post_ids and not story_ids:
            return []
        posts = sorted(
            (p for p in self.store.posts_by_id(list(dict.fromkeys(post_ids))).values() if p.kind != "housekeeping"),
            key=lambda p: (p.published is None, utc_key(p.published) or "", p.id),  # first report first
        )
        story_of = stories_of_posts(self.store, [p.id for p in posts])
        wanted = sorted(set(story_ids) | set(story_of.values()))
        stories = {s.id: s for s in self.store.stories(ids=wanted)} if wanted else {}
        seen = _Seen(stories, story_of, self.store.outlets(), self._clock().isoformat())
        candidates: list[Candidate] = []
        for rule in self.rules:
            if rule.kind == "story_outlets":
                candidates += self._story_alerts(rule, [stories[i] for i in story_ids if i in stories], seen)
            else:
                candidates += self._post_alerts(rule, posts, seen)
        fresh = set(self.log.record_new(candidates))
        firsts: dict[str, dict[str, Any]] = {}
        for key, _rule, payload, _to in candidates:
            if key in fresh:
                firsts.setdefault(key, payload)
        return list(firsts.values())

    def _story_alerts(self, rule: Rule, changed: list[Story], seen: _Seen) -> list[Candidate]:
        found = []
        for story in changed:
            if len(story.outlets) >= rule.outlets:
                key = f"{rule.name}|story:{story.id}|{rule.outlets}"
                found.append((key, rule.name, seen.payload(key, rule, f"{len(story.outlets)} outlets", None, story), rule.to))
        return found

    def _post_alerts(self, rule: Rule, posts: list[Post], seen: _Seen) -> list[Candidate]:
        entity_ids = frozenset(entity_ids_named(self.store, rule.target)) if rule.kind == "entity" else frozenset()
        found = []
        for post in posts:
            matched = match_post(rule, post, entity_ids)
            if matched is None:
                continue
            story = seen.stories.get(seen.story_of.get(post.id, ""))
            key = f"{rule.name}|" + (f"story:{story.id}" if rule.per == "story" and story else f"post:{post.id}")
            found.append((key, rule.name, seen.payload(key, rule, matched, post, story), rule.to))
        return found

    def deliver(self, result: RoundAlerts) -> None:
        """Offer every pending alert to its sink; failures stay pending for a later round."""
        try:
            pending = self.log.pending()
        except StorylineError as exc:
            self._report(describe(exc, "alerts"))
            return
        for delivery in pending:
            sink = self.sinks.get(delivery.sink)
            try:
                if sink is None:
                    self.log.abandon(delivery, f"no sink named {delivery.sink!r} in the rules any more")
                    continue
                try:
                    sink.send(delivery.payload)
                except DeliveryError as exc:
                    result.failed += 1
                    exc.where = exc.where or delivery.sink
                    if delivery.attempts + 1 >= MAX_DELIVERY_ROUNDS:
                        self.log.abandon(delivery, exc.message)
                        exc.message += f"; gave up after {MAX_DELIVERY_ROUNDS} rounds"
                    else:
                        self.log.failed(delivery, exc.message)
                    self._report(exc)
                    continue
                self.log.delivered(delivery)
                result.delivered += 1
            except StorylineError as exc:
                self._report(describe(exc, "alerts"))


@dataclass(frozen=True)
class _Seen:
    """What one check knows besides the posts: their stories, and the outlets by blog."""

    stories: dict[str, Story]
    story_of: dict[str, str]  # post id -> story id
    outlets: dict[str, str]  # blog id -> outlet
    fired_at: str

    def payload(self, key: str, rule: Rule, matched: str, post: Post | None, story: Story | None) -> dict[str, Any]:
        """An alert as every sink receives it (JSON-ready)."""
        return {
            "key": key,
            "rule": rule.name,
            "kind": rule.kind,
            "target": rule.target,
            "matched": matched,
            "fired_at": self.fired_at,
            "post": None if post is None else {
                "id": post.id, "outlet": self.outlets.get(post.blog_id, ""), "headline": post.headline,
                "published": post.published.isoformat() if post.published else (post.day.isoformat() if post.day else None),
                "url": post.url, "revision": post.revision,
            },
            "story": None if story is None else {
                "id": story.id, "title": story.title, "outlets": list(story.outlets),
                "first_outlet": story.first_outlet, "independent_count": story.independent_count,
            },
        }
