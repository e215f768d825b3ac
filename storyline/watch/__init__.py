"""Watch and alerts: `storyline watch` polls live blogs and feeds, ingests what is new or
edited, and fires alerts.

    poller.py    Watcher: the schedule (interval, jitter, backoff per source, stop)
    session.py   WatchSession: polling one source into the store; ending a round
    rules.py     the rules file (alerts.toml): rules and named sinks
    alerts.py    matching a round's posts and stories against rules; fire once; deliver
    sinks.py     stdout, JSON Lines file, webhook (POST JSON, retried)
"""

from .alerts import Alerter, RoundAlerts, match_post
from .poller import BACKOFF_CAP, JITTER, PollOutcome, Round, Watcher
from .rules import AlertConfig, Rule, SinkSpec, load_rules, parse_rules
from .session import FeedReplay, RoundReport, WatchSession
from .sinks import FileSink, StdoutSink, WebhookSink, build_sinks, close_sinks

__all__ = [
    "BACKOFF_CAP",
    "JITTER",
    "AlertConfig",
    "Alerter",
    "FeedReplay",
    "FileSink",
    "PollOutcome",
    "Round",
    "RoundAlerts",
    "RoundReport",
    "Rule",
    "SinkSpec",
    "StdoutSink",
    "WatchSession",
    "Watcher",
    "WebhookSink",
    "build_sinks",
    "close_sinks",
    "load_rules",
    "match_post",
    "parse_rules",
]
