"""Commands over enrichment: who said what (`quotes`), who is named (`entities`), which
figures were reported (`figures`). Each prints a table, or JSON with --json."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..serve.views import fact_row
from . import DbOption, JsonFlag, OutletOption, _esc, _open, _parse_date, _print_json, app, out

DayOption = Annotated[Optional[str], typer.Option("--day", help="Only this day (YYYY-MM-DD).")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", help="At most this many rows.")]
QUOTE_WIDTH = 110  # characters of a quote shown in the table; --json has all of it


def _when(row: dict[str, Any]) -> str:
    if row.get("precision") == "minute" and row.get("published") is not None:
        return row["published"].strftime("%Y-%m-%d %H:%M")
    return str(row.get("day") or "—")


def _cut(text: str, width: int = QUOTE_WIDTH) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def quotes(
    speaker: Annotated[Optional[str], typer.Option("--speaker", help="Any spelling of the speaker's name, or a surname.")] = None,
    day: DayOption = None,
    outlet: OutletOption = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Direct quotes in time order, with speaker, cue and source post."""
    with _open(db) as store:
        rows = store.quotes(speaker, day=_parse_date(day), outlet=outlet, limit=limit)
    if as_json:
        _print_json([fact_row(r) for r in rows])
        return
    if not rows:
        out.print("no quotes found" + (f" for {speaker!r}" if speaker else "") + " (run `storyline ingest` first?)")
        return
    table = Table()
    for column in ("when", "outlet", "speaker", "as written", "quote"):
        table.add_column(column)
    for r in rows:
        table.add_row(_when(r), _esc(r["outlet"] or ""), _esc(r["speaker"] or "?"), _esc(r["speaker_as_written"] or ""),
                      _esc(_cut(r["text"])))
    out.print(table)


@app.command()
def entities(
    kind: Annotated[Optional[str], typer.Option("--type", help="PERSON, ORG, GPE, LOC, NORP or FAC.")] = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """People, organisations and places under their canonical names, most mentioned first."""
    with _open(db) as store:
        rows = store.entities(kind, limit)
    if as_json:
        _print_json([{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in r.items()} for r in rows])
        return
    table = Table()
    for column in ("name", "type", "mentions", "posts", "quotes", "roles", "also written"):
        table.add_column(column)
    for r in rows:
        table.add_row(_esc(r["name"]), r["type"], str(r["mentions"]), str(r["posts"]), str(r["quotes"]),
                      _esc(_cut("; ".join(r["roles"]), 50)), _esc(_cut(", ".join(r["aliases"]), 50)))
    out.print(table)


@app.command()
def figures(
    what: Annotated[Optional[str], typer.Option("--what", help="What is counted: 'troops', 'shells', 'aid'.")] = None,
    day: DayOption = None,
    outlet: OutletOption = None,
    limit: LimitOption = None,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Every figure reported, in time order, with its source post."""
    with _open(db) as store:
        rows = store.figures(what, day=_parse_date(day), outlet=outlet, limit=limit)
    if as_json:
        _print_json([fact_row(r) for r in rows])
        return
    if not rows:
        out.print("no figures found" + (f" for {what!r}" if what else ""))
        return
    table = Table()
    for column in ("when", "outlet", "value", "unit", "what", "as written"):
        table.add_column(column)
    for r in rows:
        table.add_row(_when(r), _esc(r["outlet"] or ""), _value(r), _esc(r["unit"] or ""), _esc(r["what"] or ""),
                      _esc(_cut(r["text"], 60)))
    out.print(table)


def _value(row: dict[str, Any]) -> str:
    def show(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"

    if row["value"] is None:
        return "?"
    text = show(row["value"]) + (f"–{show(row['high'])}" if row.get("high") else "")
    return f"{row['qualifier']} {text}" if row.get("qualifier") else text
