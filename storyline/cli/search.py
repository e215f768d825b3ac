"""`storyline search QUERY`: posts by full-text rank fused with vector similarity (the same
code as the API and web UI: store/search.py). A table with the matches in bold, or JSON."""

from __future__ import annotations

import re
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from ..errors import StorylineError
from . import DbOption, JsonFlag, _esc, _fail, _open, _parse_date, _print_json, app, out


# C0 and C1 control characters but tab and newline: ESC, BEL and CSI in page text would
# reach the terminal as commands (a title change, colours, a cleared or hidden screen).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: Any) -> str:
    """Page text for the terminal: control characters dropped, Rich markup escaped."""
    return _esc(_CONTROL.sub("", str(text)))


def _marked(pieces: list[list[Any]]) -> str:
    """[text, is_match] pieces as Rich markup: page text escaped, matches bold."""
    return "".join(f"[bold]{_plain(text)}[/bold]" if match else _plain(text) for text, match in pieces)


def _when(hit: dict[str, Any]) -> str:
    if hit["precision"] == "minute" and hit["published"] is not None:
        return hit["published"].strftime("%Y-%m-%d %H:%M")
    return str(hit["day"] or "—")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find; \"quoted words\" as a phrase.")],
    outlet: Annotated[Optional[str], typer.Option("--outlet", help="Only this outlet's posts.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="From this day (YYYY-MM-DD), inclusive.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Up to this day (YYYY-MM-DD), inclusive.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="news, media or housekeeping.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many posts.", min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many of the best posts.", min=0)] = 0,
    no_semantic: Annotated[bool, typer.Option("--no-semantic", help="Full-text rank only, no vectors.")] = False,
    db: DbOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Find posts: full-text rank fused with sentence-vector similarity, best first."""
    from ..store.search import hit_json

    first, last = _parse_date(since), _parse_date(until)
    with _open(db) as store:
        try:
            hits = store.search(query, outlet=outlet, since=first, until=last, kind=kind, limit=limit,
                                offset=offset, semantic=not no_semantic)
        except StorylineError as exc:
            _fail(exc)
            raise typer.Exit(1) from exc
    if as_json:
        _print_json([hit_json(hit) for hit in hits])
        return
    if not hits:
        out.print(f"no posts found for {_plain(repr(query))}")
        return
    table = Table()
    for column in ("#", "when", "outlet", "post", "found by"):
        table.add_column(column)
    for rank, hit in enumerate(hits, start=offset + 1):
        text = _marked(hit["headline_segments"]) or "(no headline)"
        if hit["snippet"]:
            text += "\n[dim]" + _marked(hit["snippet"]) + "[/dim]"
        table.add_row(str(rank), _when(hit), _plain(hit["outlet"]), text, " + ".join(hit["matched"]))
    out.print(table)
