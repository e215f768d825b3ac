"""The one options object, built at the edge (CLI, API, tests) and handed to every stage.

Precedence, lowest to highest — written down once, here:

    defaults  <  config file  <  environment (STORYLINE_*)  <  CLI flags / explicit arguments

The config file is ``./storyline.toml`` or the path in ``STORYLINE_CONFIG``, with keys
under a ``[storyline]`` table named as the fields below (``database_url = "..."``).
Stages never read the environment or files themselves: they get an ``Options``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError


class _NotGiven:
    """Sentinel for 'the caller did not say', distinct from None ('say: nothing')."""

    _instance: "_NotGiven | None" = None

    def __new__(cls) -> "_NotGiven":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __bool__(self) -> bool:
        return False


NOT_GIVEN: Any = _NotGiven()

DEFAULT_DATABASE_URL = "sqlite:///storyline.db"


@dataclass(frozen=True)
class Options:
    database_url: str = DEFAULT_DATABASE_URL
    # Override the blog's day (the date of the page's newest day section).
    date: date | None = None
    outlet: str | None = None
    # The time the page is read "as of": resolves "2h ago" and the year of undated pages.
    now: datetime | None = None
    allow_private: bool = False
    timeout: float = 20.0  # seconds per HTTP request
    # 20 MB: an ordinary live-blog page is 0.2–3 MB; the cap only stops runaway bodies.
    max_bytes: int = 20 * 1024 * 1024
    retries: int = 3
    backoff: float = 0.5  # seconds; doubled on each retry
    user_agent: str = "storyline/0.1 (live-blog timeline builder; polite fetcher)"
    # The token POST /ingest (and other writes) must present as "Authorization: Bearer
    # TOKEN"; None: the API takes no writes at all. Set STORYLINE_API_TOKEN, never a flag
    # (a flag shows in the process list).
    api_token: str | None = None
    host: str = "127.0.0.1"  # storyline serve binds to loopback unless told otherwise
    port: int = 8000
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_(self, **changes: Any) -> "Options":
        return replace(self, **{k: v for k, v in changes.items() if v is not NOT_GIVEN})


_ENV_PREFIX = "STORYLINE_"


def _coerce(name: str, raw: Any) -> Any:
    kinds = {f.name: f.type for f in fields(Options)}
    kind = str(kinds.get(name, "str"))
    if raw is None:
        return None
    try:
        if kind.startswith("bool"):
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind.startswith("int"):
            return int(raw)
        if kind.startswith("float"):
            return float(raw)
        if kind.startswith("date |"):
            return raw if isinstance(raw, date) else date.fromisoformat(str(raw))
        if kind.startswith("datetime"):
            return raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    except ValueError as exc:
        raise ConfigError(f"bad value {raw!r} for {name}: {exc}") from exc
    return str(raw)


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", str(path)) from exc
    table = data.get("storyline", data)
    known = {f.name for f in fields(Options)} - {"extra"}
    unknown = set(table) - known
    if unknown:
        raise ConfigError(f"unknown keys {sorted(unknown)}; known: {sorted(known)}", str(path))
    return {k: _coerce(k, v) for k, v in table.items()}


def build_options(
    cli: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: str | Path | None = None,
    cwd: Path | None = None,
) -> Options:
    """Merge defaults < config file < environment < CLI values (NOT_GIVEN/None = not given)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = Path(config_path or env.get("STORYLINE_CONFIG") or (cwd or Path.cwd()) / "storyline.toml")
    if path.is_file():
        values.update(_from_file(path))
    elif config_path or env.get("STORYLINE_CONFIG"):
        raise ConfigError("config file not found", str(path))
    for f in fields(Options):
        key = _ENV_PREFIX + f.name.upper()
        if f.name != "extra" and env.get(key) not in (None, ""):
            values[f.name] = _coerce(f.name, env[key])
    for name, value in (cli or {}).items():
        if value is not NOT_GIVEN and value is not None:
            values[name] = _coerce(name, value) if isinstance(value, str) else value
    return Options(**values)


def database_url(value: str) -> str:
    """Accept a bare path for SQLite ('my.db') as well as a SQLAlchemy URL."""
    if "://" in value:
        if value.startswith("postgres://"):
            return "postgresql+psycopg://" + value[len("postgres://"):]
        if value.startswith("postgresql://"):
            return "postgresql+psycopg://" + value[len("postgresql://"):]
        return value
    return f"sqlite:///{value}"
