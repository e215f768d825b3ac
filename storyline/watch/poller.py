"""Polling sources on a schedule, politely. A round starts every N seconds (±10% jitter)
and polls each source once, in order. A source that cannot be reached sits out rounds:
1 after its first failure in a row, then 3, 7, ... (it is polled at 2×, 4×, 8× the
interval), capped; its first success puts it back in every round. After each round,
`end_round` gets what it polled (clustering, alerts, a summary line).

The clock and the sleep are injected, so tests run hours of polling in milliseconds. The
default sleep wakes up at once on `stop()`, which is how Ctrl-C ends a watch between
documents: the poll in progress checks `stopping` after each document it stores.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import StorylineError, describe

# ±10% of the interval between rounds: many watchers started together (by cron, or after a
# reboot) drift apart instead of hitting the same outlets in step, while "--every 60" still
# reads as "about a minute" in the log (a round starts 54–66 s after the last one began).
JITTER = 0.10
# A source that keeps failing is polled at least every 15 minutes (or every interval, if
# that is longer): polite to a server that is down, yet a live blog that comes back is
# picked up within a quarter of an hour. At --every 60 the cap is reached after 4 failures.
BACKOFF_CAP = 15 * 60.0


@dataclass
class PollOutcome:
    """What polling one source gave. `reached` is False when nothing could be fetched at
    all (the source is down): only that makes it back off; a page that fetched but did not
    parse is reported and polled again next round."""

    source: str
    reached: bool = True
    new_ids: list[str] = field(default_factory=list)
    updated_ids: list[str] = field(default_factory=list)
    unchanged: int = 0  # posts stored already, as they were
    not_modified: int = 0  # documents that answered 304 or had the bytes stored already
    errors: list[StorylineError] = field(default_factory=list)


@dataclass
class Round:
    number: int
    outcomes: list[PollOutcome] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # sources sitting out this round (backoff)
    stopped: bool = False  # cut short by stop(): the sources not polled wait for the next run


@dataclass
class SourceState:
    source: str
    failures: int = 0  # failed polls in a row
    sit_out: int = 0  # rounds still to skip


Poll = Callable[[str, Callable[[], bool]], PollOutcome]


class Watcher:
    """Polls sources round after round until stopped, for a number of rounds, or until a
    clock time."""

    def __init__(
        self,
        sources: list[str],
        every: float,
        poll: Poll,
        *,
        end_round: Callable[[Round], None] = lambda round_: None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
        jitter: float = JITTER,
        backoff_cap: float = BACKOFF_CAP,
    ) -> None:
        if every <= 0:
            raise ValueError("the polling interval must be positive")
        self.every = every
        self._poll = poll
        self._end_round = end_round
        self._clock = clock
        self._stop = threading.Event()
        self._sleep = sleep or (lambda seconds: self._stop.wait(seconds))
        self._rng = rng or random.Random()
        self.jitter = jitter
        # The longest a failing source waits, in rounds: at least the next round.
        self.max_wait_rounds = max(1, int(backoff_cap // every))
        self.states = [SourceState(source) for source in dict.fromkeys(sources)]

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """Finish the document in progress, end the round, and return from run()."""
        self._stop.set()

    def interval(self) -> float:
        """Seconds from the start of one round to the start of the next."""
        return self.every * (1 + self._rng.uniform(-self.jitter, self.jitter))

    def rounds_to_sit_out(self, failures: int) -> int:
        """After `failures` failed polls in a row: wait 2**failures intervals, capped."""
        return min(2 ** min(failures, 32), self.max_wait_rounds) - 1

    def run(self, rounds: int | None = None, until: float | None = None) -> int:
        """Poll round after round; return how many rounds ran. `until` is a clock time
        after which no round starts."""
        done = 0
        next_start = self._clock()
        while not self.stopping and (rounds is None or done < rounds):
            if until is not None and next_start > until:
                break
            while not self.stopping and (wait := next_start - self._clock()) > 0:
                self._sleep(wait)  # may return early on stop()
            if self.stopping:
                break
            started = self._clock()
            done += 1
            self._end_round(self._round(done))
            next_start = started + self.interval()
        return done

    def _round(self, number: int) -> Round:
        round_ = Round(number)
        for state in self.states:
            if state.sit_out > 0:
                state.sit_out -= 1
                round_.waiting.append(state.source)
                continue
            if self.stopping:
                round_.stopped = True
                break
            outcome = self._poll_one(state.source)
            round_.outcomes.append(outcome)
            state.failures = 0 if outcome.reached else state.failures + 1
            state.sit_out = self.rounds_to_sit_out(state.failures) if state.failures else 0
        round_.stopped = round_.stopped or self.stopping
        return round_

    def _poll_one(self, source: str) -> PollOutcome:
        try:
            return self._poll(source, lambda: self.stopping)
        except Exception as exc:  # a bug in one poll must not end the watch
            return PollOutcome(source, reached=False, errors=[describe(exc, source)])
