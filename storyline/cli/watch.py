"""`storyline watch`: poll live blogs and feeds, ingest what is new or edited, fire alerts.
A thin shell over storyline/watch: it builds the pieces, prints one line per round (or one
JSON object with --json) and one line per failure, and turns Ctrl-C into a clean stop."""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from . import (
    DbOption,
    JsonFlag,
    PrivateFlag,
    _fail,
    _open,
    _options,
    _pipeline,
    _print_json,
    app,
    err,
    out,
)

EveryOption = Annotated[float, typer.Option("--every", min=1, help="Seconds between polls of each source (±10% jitter).")]
RulesOption = Annotated[str | None, typer.Option("--rules", help="Alert rules (TOML, e.g. alerts.toml).")]
RoundsOption = Annotated[int | None, typer.Option("--rounds", min=1, help="Stop after this many rounds (for scripts).")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Start no round after this time (ISO 8601).")]


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="URLs, feeds, files or folders to poll.")],
    every: EveryOption = 60.0,
    rules: RulesOption = None,
    rounds: RoundsOption = None,
    until: UntilOption = None,
    db: DbOption = None,
    allow_private: PrivateFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Poll sources every N seconds, store new and edited posts, place them in stories and
    fire alerts; Ctrl-C stops after the document in progress."""
    from ..errors import StorylineError
    from ..watch import (
        Alerter,
        Watcher,
        WatchSession,
        build_sinks,
        close_sinks,
        load_rules,
    )

    if "-" in sources:
        _fail(StorylineError("standard input cannot be watched; name a URL, feed or file", "-"))
        raise typer.Exit(2)
    deadline = _deadline(until)
    options = _options(allow_private=allow_private or None)
    try:
        config = load_rules(rules) if rules else None
        sinks = build_sinks(config.sinks, options, as_json=as_json) if config else {}
    except StorylineError as exc:
        _fail(exc)
        raise typer.Exit(2) from exc
    pipeline = _pipeline(enrich=True)
    failed = False

    def report(error: StorylineError) -> None:
        nonlocal failed
        failed = True
        _fail(error)

    store = _open(db)
    alerter = Alerter(store, config, sinks, report=report) if config else None
    session = WatchSession(store, pipeline, options, alerter=alerter, report=report,
                           warn=lambda source, warning: err.print(f"warning {source}: {warning}"))
    watcher = Watcher(sources, every, session.poll,
                      end_round=lambda round_: _print_round(session.finish_round(round_), as_json))
    try:
        with store, _stop_on_interrupt(watcher):
            watcher.run(rounds=rounds, until=deadline)
    finally:
        session.close()
        close_sinks(sinks)
    raise typer.Exit(1 if failed else 0)


def _deadline(until: str | None) -> float | None:
    """--until as a time.monotonic() value (the watcher's clock)."""
    if until is None:
        return None
    try:
        when = datetime.fromisoformat(until)
    except ValueError:
        err.print(f"error E010 --until: {until!r} is not an ISO 8601 time")
        raise typer.Exit(2)
    if when.tzinfo is None:
        when = when.astimezone()  # the user's own clock
    return time.monotonic() + (when - datetime.now(UTC)).total_seconds()


@contextmanager
def _stop_on_interrupt(watcher: Any) -> Iterator[None]:
    """The first Ctrl-C (or SIGTERM, as systemd, Docker and kill send) asks the watcher to
    stop after the document in progress, so the round still ends with its stories and
    alerts; a second one interrupts at once (each save is one transaction, so the
    database stays whole)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {number: signal.getsignal(number) or signal.SIG_DFL for number in signals}  # None: set outside Python

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    def first(signum: int, frame: Any) -> None:
        err.print("stopping after the document in progress (Ctrl-C again to stop at once)")
        restore()
        watcher.stop()

    for number in signals:
        signal.signal(number, first)
    try:
        yield
    finally:
        restore()


def _print_round(report: Any, as_json: bool) -> None:
    totals = report.totals()
    stories = report.stories.__dict__ if report.stories else None
    alerts = report.alerts
    fired = len(alerts.fired) if alerts else 0
    if as_json:
        _print_json({
            "type": "round", "round": report.round.number, "stopped": report.round.stopped,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sources": [_source_row(o) for o in report.round.outcomes], "waiting": report.round.waiting,
            "totals": totals, "stories": stories,
            "alerts": None if alerts is None else {"fired": fired, "delivered": alerts.delivered, "failed": alerts.failed},
        })
        sys.stdout.flush()  # a watch is read as it goes (| jq, | tee): no block buffering
        return
    line = (f"round {report.round.number} {datetime.now().strftime('%H:%M:%S')}: "
            f"{len(report.round.outcomes)} polled, {totals['new']} new, {totals['updated']} updated, "
            f"{totals['not_modified']} not modified, {totals['failed']} failed")
    if report.round.waiting:
        line += f", {len(report.round.waiting)} backing off"
    if stories:
        line += f"; stories: {stories['new_stories']} new, {stories['joined']} joined"
    if alerts is not None:
        line += f"; {fired} alert(s)"
    out.print(line + ("; stopped" if report.round.stopped else ""), soft_wrap=True, markup=False)


def _source_row(outcome: Any) -> dict[str, Any]:
    return {
        "source": outcome.source, "reached": outcome.reached, "new": len(outcome.new_ids),
        "updated": len(outcome.updated_ids), "unchanged": outcome.unchanged, "not_modified": outcome.not_modified,
        "new_ids": outcome.new_ids, "updated_ids": outcome.updated_ids,
        "errors": [e.as_dict() for e in outcome.errors],
    }
