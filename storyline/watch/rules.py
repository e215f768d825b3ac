"""Alert rules and where alerts go, read from a TOML file (``alerts.toml``).

    [sinks.desk]                      # a named place to send alerts
    webhook = "https://hooks.example.org/storyline"
    [sinks.log]
    file = "alerts.jsonl"             # JSON Lines, appended; relative to this file's folder

    [[rules]]
    name = "Solvani speaks"           # names an alert; with what it matched, its key
    entity = "Solvani"                # exactly one of: entity, keyword, event, figure, story_outlets
    to = ["stdout", "log"]            # default: ["stdout"] (always defined)
    per = "story"                     # post rules fire once per story (default) or per post

    [[rules]]
    figure = "dead"                   # what the figure counts contains this
    above = 15                        # or: below = ...; optional unit = "percent"

A mistake in the file is a ConfigError (E010) naming the file, found before any polling.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError

RuleKind = Literal["entity", "keyword", "event", "figure", "story_outlets"]
KINDS: tuple[RuleKind, ...] = ("entity", "keyword", "event", "figure", "story_outlets")
SINK_KINDS = ("stdout", "file", "webhook")
STDOUT = "stdout"
_RULE_KEYS = frozenset({"name", "to", "per", "above", "below", "unit", *KINDS})


@dataclass(frozen=True)
class Rule:
    """One alert rule: what to look for (`kind`, `target`) and where to send a match."""

    name: str
    kind: RuleKind
    target: str  # the entity, keyword, event type or figure's 'what'; for story_outlets, N
    to: tuple[str, ...] = (STDOUT,)
    per: Literal["story", "post"] = "story"
    above: float | None = None  # figure rules: fire when a value is above this ...
    below: float | None = None  # ... or below this
    unit: str | None = None  # figure rules: only figures in this unit ('percent', 'USD')

    @property
    def outlets(self) -> int:
        """For story_outlets rules: the number of outlets a story must reach."""
        return int(self.target)


@dataclass(frozen=True)
class SinkSpec:
    """A named destination: `kind` is stdout, file (a path) or webhook (a URL)."""

    name: str
    kind: str
    address: str = ""


@dataclass(frozen=True)
class AlertConfig:
    rules: tuple[Rule, ...] = ()
    sinks: dict[str, SinkSpec] = field(default_factory=lambda: {STDOUT: SinkSpec(STDOUT, STDOUT)})


def load_rules(path: str | Path) -> AlertConfig:
    """The rules and sinks of a TOML file; ConfigError (E010) for anything wrong in it."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read rules: {exc}", str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", str(path)) from exc
    try:
        return parse_rules(data, base=path.parent)
    except ConfigError as exc:
        exc.where = str(path)
        raise


def parse_rules(data: dict[str, Any], base: Path = Path(".")) -> AlertConfig:
    """An AlertConfig from already-parsed TOML; `base` anchors relative file sinks."""
    unknown = set(data) - {"sinks", "rules"}
    if unknown:
        raise ConfigError(f"unknown tables {sorted(unknown)}; the file has [sinks.NAME] and [[rules]]")
    sinks = {STDOUT: SinkSpec(STDOUT, STDOUT)}
    for name, spec in _table(data.get("sinks", {}), "[sinks]").items():
        sinks[name] = _sink(name, _table(spec, f"[sinks.{name}]"), base)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        raise ConfigError("rules must be an array of tables: [[rules]]")
    rules = [_rule(i, _table(raw, f"rule {i + 1}"), sinks) for i, raw in enumerate(raw_rules)]
    names = [r.name for r in rules]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ConfigError(f"rule names must be unique (they key fired alerts): {twice}")
    return AlertConfig(tuple(rules), sinks)


def _table(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{what} must be a table")
    return value


def _sink(name: str, spec: dict[str, Any], base: Path) -> SinkSpec:
    kinds = [k for k in SINK_KINDS if k in spec]
    extra = set(spec) - set(SINK_KINDS)
    if len(kinds) != 1 or extra:
        raise ConfigError(f"sink {name!r} needs exactly one of file = PATH, webhook = URL or stdout = true")
    kind = kinds[0]
    if kind == STDOUT:
        return SinkSpec(name, STDOUT)
    address = spec[kind]
    if not isinstance(address, str) or not address.strip():
        raise ConfigError(f"sink {name!r}: {kind} must be a non-empty string")
    if kind == "webhook" and not address.lower().startswith(("http://", "https://")):
        raise ConfigError(f"sink {name!r}: webhook must be an http(s) URL, not {address!r}")
    if kind == "file":
        address = str(base / Path(address).expanduser())
    return SinkSpec(name, kind, address)


def _rule(index: int, raw: dict[str, Any], sinks: dict[str, SinkSpec]) -> Rule:
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise ConfigError(f"rule {index + 1}: unknown keys {sorted(unknown)}; known: {sorted(_RULE_KEYS)}")
    kinds = [k for k in KINDS if k in raw]
    if len(kinds) != 1:
        raise ConfigError(f"rule {index + 1} needs exactly one of {', '.join(KINDS)}")
    kind = kinds[0]
    target = _target(index, kind, raw[kind])
    name = str(raw.get("name") or f"{kind} {target}")
    to = raw.get("to", [STDOUT])
    if isinstance(to, str):
        to = [to]
    if not isinstance(to, list) or not to or any(t not in sinks for t in to):
        raise ConfigError(f"rule {name!r}: to must list sinks defined in the file ({sorted(sinks)}), got {to!r}")
    per = raw.get("per", "story")
    if per not in ("story", "post"):
        raise ConfigError(f"rule {name!r}: per must be \"story\" or \"post\", not {per!r}")
    above, below = _number(name, raw, "above"), _number(name, raw, "below")
    if kind == "figure" and (above is None) == (below is None):
        raise ConfigError(f"rule {name!r}: a figure rule needs exactly one of above = N or below = N")
    if kind != "figure" and (above is not None or below is not None or "unit" in raw):
        raise ConfigError(f"rule {name!r}: above, below and unit belong to figure rules")
    unit = raw.get("unit")
    return Rule(name, kind, target, tuple(dict.fromkeys(to)), per, above, below, str(unit) if unit else None)


def _target(index: int, kind: str, value: Any) -> str:
    if kind == "story_outlets":
        if isinstance(value, bool) or not isinstance(value, int) or value < 2:
            raise ConfigError(f"rule {index + 1}: story_outlets must be a whole number of outlets, 2 or more")
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"rule {index + 1}: {kind} must be a non-empty string")
    value = " ".join(value.split())
    if kind == "event":
        from ..enrich.events import ACTIONS

        value = value.lower()
        if value not in ACTIONS:
            raise ConfigError(f"rule {index + 1}: unknown event type {value!r}; known: {', '.join(sorted(ACTIONS))}")
    return value


def _number(name: str, raw: dict[str, Any], key: str) -> float | None:
    if key not in raw:
        return None
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"rule {name!r}: {key} must be a number, not {value!r}")
    return float(value)
