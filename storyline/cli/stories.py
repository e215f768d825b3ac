"""Commands over stories and what is assembled from them: `stories`, `timeline` (stories
by day, with provenance), `conflicts` (figures that disagree), `calendar` (announced
dates; `--ics` for a calendar app). Each prints a table, or JSON with --json."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from . import DbOption, JsonFlag, OutletOption, _esc, _fail, _open, _parse_date, _post_rows, _print_json, app, err, out

DayOption = Annotated[Optional[str], typer.Option("--day", help="Only this day (YYYY-MM-DD).")]
SinceOption = Annotated[Optional[str], typer.Option("--since", help="From this day (YYYY-MM-DD), inclusive.")]
UntilOption = Annotated[Optional[str], typer.Option("--until", help="Up to this day (YYYY-MM-DD), inclusive.")]
EntityOption = Annotated[Optional[str], typer.Option("--entity", help="Stories naming this person, body or place.")]
ActionOption = Annotated[Optional[str], typer.Option("--action", help="Stories reporting this event type (sanction, attack ...).")]
LimitOption = Annotated[Optional[int], typer.Option("--limit", help="At most this many rows.")]


def _load_stories(db: str | None, **filters: Any) -> list[dict[str, Any]]:
    from ..serve import views

    with _open(db) as store:
        return views.stories(store, **filters)


def _when(story: dict[str, Any]) -> str:
    """When it happened (the order of the timeline), to the minute where known."""
    from ..assemble.export import clock_of

    return clock_of(story["happened"] or story["first_report"]["published"]) or "(day)"


def _stories_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", caption="times in UTC; * the page's own clock, zone not given",
                  caption_justify="left")
    for column in ("UTC", "story", "first report", "outlets", "indep.", "posts"):
        table.add_column(column)
    for s in rows:
        table.add_row(_when(s), _esc(s["title"]), _esc(s["first_report"]["outlet"] or ""),
                      _esc(", ".join(s["outlets"])), str(s["independent_count"]), str(len(s["posts"])))
    return table


@app.command()
def stories(
    day: DayOption = None, since: SinceOption = None, until: UntilOption = None, outlet: OutletOption = None,
    entity: EntityOption = None, action: ActionOption = None, limit: LimitOption = None,
    db: DbOption = None, as_json: JsonFlag = False,
) -> None:
    """Stories: the same development across posts and outlets, in the order they happened."""
    rows = _load_stories(db, day=_parse_date(day), since=_parse_date(since), until=_parse_date(until),
                         outlet=outlet, entity=entity, action=action, limit=limit)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        out.print("no stories yet: run `storyline ingest SOURCE...` first")
        return
    out.print(_stories_table(rows))


@app.command()
def timeline(
    since: SinceOption = None, until: UntilOption = None, outlet: OutletOption = None, entity: EntityOption = None,
    action: ActionOption = None, newest_first: Annotated[bool, typer.Option("--newest-first", help="Newest day first.")] = False,
    db: DbOption = None, as_json: JsonFlag = False,
) -> None:
    """Stories in the order they happened, grouped by day, each with its provenance.
    (The post-level list is `storyline posts`.)"""
    rows = _load_stories(db, since=_parse_date(since), until=_parse_date(until), outlet=outlet, entity=entity,
                         action=action, newest_first=newest_first)
    days: dict[str, list[dict[str, Any]]] = {}
    for s in rows:
        days.setdefault(s["day"] or "undated", []).append(s)
    if as_json:
        _print_json([{"day": d, "stories": items} for d, items in days.items()])
        return
    if not rows:
        out.print("no stories yet: run `storyline ingest SOURCE...` first")
        return
    for d, items in days.items():
        out.print(_stories_table(items, title=_esc(f"{d} — {len(items)} stories")))


@app.command()
def conflicts(
    what: Annotated[Optional[str], typer.Option("--what", help="Show this figure's history over time instead ('Russian troops').")] = None,
    db: DbOption = None, as_json: JsonFlag = False,
) -> None:
    """Figures that outlets (or one outlet over time) report differently, then claims that
    contradict each other (troops arriving in a place / leaving it), with their sources."""
    from ..assemble.claims import claim_conflicts
    from ..assemble.conflicts import figure_conflicts, figure_history

    with _open(db) as store:
        rows = _post_rows(store, newest_first=False)
    if what:
        history = figure_history(rows, what)
        if as_json:
            _print_json(history)
            return
        _claims_table(_esc(f"{what}: {len(history)} figures over time"), history)
        return
    figures, claims = figure_conflicts(rows), claim_conflicts(rows)
    if as_json:
        _print_json({kind: [{"id": c.id, "about": c.about, "claims": c.claims} for c in found]
                     for kind, found in (("figures", figures), ("claims", claims))})
        return
    if not figures:
        out.print("no conflicting figures found")
    for c in figures:
        _claims_table(_esc(f"{c.about} — {len({(x['value'], x.get('high')) for x in c.claims})} different values"), c.claims)
    if not claims:
        out.print("no contradicting claims found")
    for c in claims:
        _claims_table(_esc(f"{c.about} — {' / '.join(dict.fromkeys(x['side'] for x in c.claims))}"), c.claims)


def _claims_table(title: str, claims: list[dict[str, Any]]) -> None:
    """A figure's claims (value as written) or a contradiction's sides (who says what)."""
    from ..assemble.export import utc_text

    sides = any("side" in c for c in claims)
    table = Table(title=title, title_justify="left")
    for column in ("when (UTC)", "outlet", *(("side", "said by") if sides else ("figure",)), "as written"):
        table.add_column(column)
    for c in claims:
        if sides:
            middle = (_esc(c.get("side") or ""), _esc(c.get("said_by") or ""))
            written = c.get("sentence") or ""
        else:
            value = f"{c['value']:,.0f}" if c.get("value") is not None else "?"
            if c.get("high"):
                value += f"–{c['high']:,.0f}"
            middle = (_esc(" ".join(x for x in (c.get("qualifier"), value, c.get("unit")) if x)),)
            written = c.get("text") or ""
        table.add_row(utc_text(c.get("published")), _esc(c.get("outlet") or ""), *middle, _esc(written))
    out.print(table)


@app.command()
def calendar(
    ics: Annotated[Optional[Path], typer.Option("--ics", help="Write an iCalendar file a calendar app imports.")] = None,
    db: DbOption = None, as_json: JsonFlag = False,
) -> None:
    """Announced future events with their resolved dates and sources."""
    from ..assemble.calendar import to_ics
    from ..serve import views

    with _open(db) as store:
        events = views.calendar_events(store)
        rows = views.calendar(store) if as_json else []
    if ics is not None:
        ics.write_text(to_ics(events, "storyline"), encoding="utf-8", newline="")
        out.print(f"wrote {len(events)} events to {ics}")
        return
    if as_json:
        _print_json(rows)
        return
    if not events:
        out.print("no announced events found")
        return
    table = Table()
    for column in ("date", "event", "sources"):
        table.add_column(column)
    for e in events:
        when = e.start.strftime("%Y-%m-%d %H:%M" if not e.all_day else "%Y-%m-%d") if e.start else "?"
        table.add_row(when, _esc(e.title), _esc(", ".join(sorted({s.get("outlet") or "" for s in e.sources}))))
    out.print(table)


@app.command()
def brief(
    day: Annotated[str, typer.Option("--day", help="The day (YYYY-MM-DD).")],
    points: Annotated[int, typer.Option("--points", help="At most this many bullets.")] = 5,
    db: DbOption = None, as_json: JsonFlag = False,
) -> None:
    """Key points of one day across outlets, each linked to its stories (Markdown)."""
    from ..serve import views

    the_day = _parse_date(day)
    with _open(db) as store:
        found = views.brief(store, the_day, points)
    if as_json:
        _print_json({"day": day, "key_points": found["key_points"]})
        return
    out.print(found["markdown"], markup=False, highlight=False)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv, md or jsonld.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("--out", help="Write to this file (default: standard output).")] = None,
    since: SinceOption = None, until: UntilOption = None, outlet: OutletOption = None,
    db: DbOption = None,
) -> None:
    """Write the stories (with their posts) for other tools: JSON Lines (stories, then
    posts), CSV (a row a story), Markdown (the timeline) or JSON-LD (a schema.org
    LiveBlogPosting with one update per story)."""
    from ..assemble import export as exports
    from ..serialize import post_to_dict
    from ..serve.views import story_to_dict

    if fmt not in exports.FORMATS:
        from ..errors import ConfigError

        _fail(ConfigError(f"--format must be one of {', '.join(exports.FORMATS)}, not {fmt!r}"))
        raise typer.Exit(2)
    with _open(db) as store:
        found = store.stories(since=_parse_date(since), until=_parse_date(until), outlet=outlet)
        posts = store.posts_by_id([pid for s in found for pid in s.post_ids])
        outlets = store.outlets()
    rows = [story_to_dict(s, posts, outlets) for s in found]
    if fmt == "jsonl":
        ordered = [posts[pid] for s in found for pid in s.post_ids if pid in posts]
        text = exports.to_jsonl(rows, [post_to_dict(p, outlet=outlets.get(p.blog_id, "")) for p in ordered])
    elif fmt == "csv":
        text = exports.to_csv(rows)
    elif fmt == "md":
        text = exports.to_markdown(rows)
    else:
        text = exports.to_jsonld(rows, post_urls={pid: p.url for pid, p in posts.items() if p.url})
    if output is None:
        sys.stdout.write(text)
        return
    output.write_text(text, encoding="utf-8")
    err.print(f"wrote {len(rows)} stories to {output}")
