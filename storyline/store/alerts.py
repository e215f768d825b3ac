"""What `storyline watch` remembers about alerts: which fired (by key, so a restart never
fires one twice) and which sinks still owe a delivery (so a webhook that was down gets the
alert in a later round). Also the one lookup alert matching needs from the story tables.

An alert is recorded, with one pending delivery per sink, in the same transaction that
decides it is new; delivery happens after, outside any transaction. A crash between the
two delivers on the next run: an alert may reach a sink twice, never zero times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from . import Store, rows, schema
from .database import store_errors, write_transaction
from .writer import lock_corpus


@dataclass(frozen=True)
class Delivery:
    """An alert one sink has not taken yet."""

    key: str
    sink: str
    payload: dict[str, Any]
    attempts: int


class AlertLog:
    """The fired_alerts and alert_deliveries tables of one store."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self._clock = clock

    def record_new(self, alerts: list[tuple[str, str, dict[str, Any], tuple[str, ...]]]) -> list[str]:
        """Record the (key, rule, payload, sinks) not fired before; return their keys, in order.
        One transaction, with the corpus lock, so two watchers never both fire one key."""
        if not alerts:
            return []
        fired, deliveries = schema.fired_alerts, schema.alert_deliveries
        now = self._clock()
        with store_errors("record alerts", self.store.url), write_transaction(self.store.engine) as conn:
            lock_corpus(conn, "alerts")
            keys = list(dict.fromkeys(key for key, *_ in alerts))
            seen: set[str] = set()
            for batch in rows.chunks(keys):
                seen |= {r[0] for r in conn.execute(sa.select(fired.c.key).where(fired.c.key.in_(batch)))}
            fresh: dict[str, tuple[str, dict[str, Any], tuple[str, ...]]] = {}
            for key, rule, payload, sinks in alerts:  # a key's first candidate: the first report
                if key not in seen:
                    fresh.setdefault(key, (rule, payload, sinks))
            if not fresh:
                return []
            conn.execute(sa.insert(fired), [
                {"key": key, "rule": rule, "payload": payload, "fired_at": now}
                for key, (rule, payload, _sinks) in fresh.items()
            ])
            conn.execute(sa.insert(deliveries), [
                {"key": key, "sink": sink, "attempts": 0, "delivered_at": None, "last_error": None}
                for key, (_rule, _payload, sinks) in fresh.items() for sink in sinks
            ])
        return list(fresh)

    def mark(self, rules: str) -> datetime | None:
        """Up to when the alerts of this rule set were checked (None: never)."""
        table = schema.alert_marks
        with store_errors("read the alert mark", self.store.url), self.store.engine.connect() as conn:
            return conn.execute(sa.select(table.c.checked_until).where(table.c.rules == rules)).scalar()

    def set_mark(self, rules: str, at: datetime) -> None:
        table = schema.alert_marks
        with store_errors("record the alert mark", self.store.url), write_transaction(self.store.engine) as conn:
            conn.execute(sa.delete(table).where(table.c.rules == rules))
            conn.execute(sa.insert(table).values(rules=rules, checked_until=at))

    def changed_since(self, at: datetime) -> tuple[list[str], list[str]]:
        """(post ids, story ids) stored, edited or grown after `at` (the store's clock)."""
        posts, revisions, stories = schema.posts, schema.post_revisions, schema.stories
        with store_errors("read what changed since the alert mark", self.store.url), self.store.engine.connect() as conn:
            post_ids = conn.execute(sa.union(
                sa.select(posts.c.id).where(posts.c.first_seen > at),
                sa.select(revisions.c.post_id).where(revisions.c.recorded_at > at),
            )).scalars().all()
            story_ids = conn.execute(sa.select(stories.c.id).where(stories.c.updated_at > at)).scalars().all()
        return sorted(post_ids), sorted(story_ids)

    def pending(self) -> list[Delivery]:
        """Deliveries not made yet, oldest alert first."""
        fired, deliveries = schema.fired_alerts, schema.alert_deliveries
        query = (
            sa.select(deliveries.c.key, deliveries.c.sink, fired.c.payload, deliveries.c.attempts)
            .join(fired, fired.c.key == deliveries.c.key)
            .where(deliveries.c.delivered_at.is_(None))
            .order_by(fired.c.fired_at, fired.c.key, deliveries.c.sink)
        )
        with store_errors("read pending alerts", self.store.url), self.store.engine.connect() as conn:
            return [Delivery(*row) for row in conn.execute(query)]

    def delivered(self, delivery: Delivery) -> None:
        self._update(delivery, attempts=delivery.attempts + 1, delivered_at=self._clock(), last_error=None)

    def failed(self, delivery: Delivery, error: str) -> None:
        self._update(delivery, attempts=delivery.attempts + 1, last_error=error)

    def abandon(self, delivery: Delivery, error: str) -> None:
        """Stop trying: the row is kept, marked delivered in name only, with why."""
        self._update(delivery, delivered_at=self._clock(), last_error=f"abandoned: {error}")

    def _update(self, delivery: Delivery, **values: Any) -> None:
        table = schema.alert_deliveries
        where = sa.and_(table.c.key == delivery.key, table.c.sink == delivery.sink)
        with store_errors("record an alert delivery", self.store.url), write_transaction(self.store.engine) as conn:
            conn.execute(sa.update(table).where(where).values(**values))


def stories_of_posts(store: Store, post_ids: Iterable[str]) -> dict[str, str]:
    """Post id -> the id of the story it belongs to (posts without a story are left out)."""
    table = schema.story_posts
    ids = list(post_ids)
    found: dict[str, str] = {}
    with store_errors("read story memberships", store.url), store.engine.connect() as conn:
        for batch in rows.chunks(ids):
            query = sa.select(table.c.post_id, table.c.story_id).where(table.c.post_id.in_(batch))
            found.update((post_id, story_id) for post_id, story_id in conn.execute(query))
    return found


def entity_ids_named(store: Store, name: str) -> list[str]:
    """Entities a user's name means, as `storyline quotes --speaker` finds them."""
    from .facts import entity_ids_named as named

    with store_errors("look up an entity", store.url), store.engine.connect() as conn:
        return named(conn, name)
