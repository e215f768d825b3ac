"""The command line: a thin shell over the library. Every command prints a Rich table for
people and, with --json, JSON for scripts; failures print one line each (code, where,
why) on stderr, the batch goes on, and the exit code is 1 if anything failed."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Annotated, Any, Iterable, Optional

import typer
from rich.console import Console
from rich.table import Table

from ..errors import ModelMissing, StorylineError, describe
from ..settings import NOT_GIVEN, Options, build_options, database_url

app = typer.Typer(
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="storyline: live blogs from many outlets -> one dated, attributed timeline.",
)
out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]
DbOption = Annotated[
    Optional[str],
    typer.Option("--db", help="Database path or URL (default ./storyline.db; env STORYLINE_DATABASE_URL)."),
]
DateOption = Annotated[Optional[str], typer.Option("--date", help="The page's day (YYYY-MM-DD), when the page does not say.")]
OutletOption = Annotated[Optional[str], typer.Option("--outlet", help="The outlet's name, overriding what the page says.")]
PrivateFlag = Annotated[bool, typer.Option("--allow-private", help="Allow fetching from private and loopback addresses.")]
NowOption = Annotated[Optional[str], typer.Option("--now", help="Read pages as of this time (ISO 8601): resolves '2h ago'.")]
NoEnrichFlag = Annotated[bool, typer.Option("--no-enrich", help="Skip entities, quotes, figures, times and events (faster).")]
NoClusterFlag = Annotated[bool, typer.Option("--no-cluster", help="Store posts without placing them in stories yet.")]


def _options(**cli: Any) -> Options:
    try:
        return build_options({k: (NOT_GIVEN if v is None else v) for k, v in cli.items()})
    except StorylineError as exc:
        _fail(exc)
        raise typer.Exit(2) from exc


def _read_options(date_: str | None, outlet: str | None, now: str | None, allow_private: bool) -> Options:
    """The options `parse` and `ingest` share: how to read pages."""
    return _options(date=_parse_date(date_), outlet=outlet, now=now, allow_private=allow_private or None)


def _fail(exc: BaseException, where: str | None = None) -> None:
    error = describe(exc, where)
    err.print(f"[red]error[/red] {error.line()}", markup=True, highlight=False)


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False) + "\n")


def _parse_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        err.print(f"error E300 --date: {value!r} is not a date (YYYY-MM-DD)")
        raise typer.Exit(2)


def _pipeline(enrich: bool) -> Any:
    """The reading pipeline; with enrichment, spaCy's model is loaded once up front so a
    missing model is one clear error, not one per file."""
    from ..pipeline import default_pipeline

    if enrich:
        from ..enrich.nlp import load_nlp

        try:
            load_nlp()
        except ModelMissing as exc:
            _fail(exc)
            raise typer.Exit(2) from exc
    return default_pipeline(enrich=enrich)


def _documents(sources: list[str], options: Options, store: Any = None) -> Iterable[Any]:
    from ..acquire import acquire

    validators = store.fetch_state if store is not None else None
    stdin = sys.stdin.buffer if "-" in sources else None
    return acquire(sources, options, stdin=stdin, validators=validators)


@app.command()
def parse(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, feeds, or - for stdin.")],
    date_: DateOption = None,
    outlet: OutletOption = None,
    now: NowOption = None,
    allow_private: PrivateFlag = False,
    no_enrich: NoEnrichFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Split live blogs into dated posts, enrich them and print them; touches no database."""
    from ..acquire import Unchanged
    from ..serialize import parsed_to_dict

    options = _read_options(date_, outlet, now, allow_private)
    pipeline = _pipeline(enrich=not no_enrich)
    failed = False
    for item in _documents(sources, options):
        if isinstance(item, StorylineError):
            _fail(item)
            failed = True
            continue
        if isinstance(item, Unchanged):
            continue
        try:
            parsed = pipeline.run(item, options)
        except StorylineError as exc:
            _fail(exc, item.source)
            failed = True
            continue
        for warning in parsed.warnings:
            err.print(f"warning {item.source}: {warning}")
        if as_json:
            _print_json(parsed_to_dict(parsed))
        else:
            _show_parsed(parsed)
    raise typer.Exit(1 if failed else 0)


def _show_parsed(parsed: Any) -> None:
    blog = parsed.blog
    out.print(f"[bold]{_esc(blog.title)}[/bold] — {_esc(blog.outlet or 'unknown outlet')}, {blog.day or 'undated'}")
    if blog.key_points:
        for point in blog.key_points:
            out.print(f"  • {_esc(point)}")
    table = Table(show_lines=False)
    for column in ("#", "published", "kind", "headline", "paragraphs"):
        table.add_column(column)
    for post in parsed.posts:
        table.add_row(str(post.position), _when(post), post.kind, _esc(post.headline or post.body[0][:80]), str(len(post.body)))
    out.print(table)


def _esc(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _when(post: Any) -> str:
    if post.precision == "minute" and post.published is not None:
        return post.published.strftime("%Y-%m-%d %H:%M %z").strip()
    return str(post.day or "—")


def _open(db: str | None) -> Any:
    from ..store import open_store

    options = _options(database_url=database_url(db) if db else None)
    try:
        return open_store(options.database_url)
    except StorylineError as exc:
        _fail(exc)
        raise typer.Exit(2) from exc


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(help="Files, folders, globs, URLs, feeds, or - for stdin.")],
    db: DbOption = None,
    date_: DateOption = None,
    outlet: OutletOption = None,
    now: NowOption = None,
    allow_private: PrivateFlag = False,
    no_enrich: NoEnrichFlag = False,
    no_cluster: NoClusterFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Parse and enrich live blogs, store their posts and place them in stories;
    re-running changes nothing."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from ..ingest import report, store_item

    options = _read_options(date_, outlet, now, allow_private)
    pipeline = _pipeline(enrich=not no_enrich)
    rows: list[dict[str, Any]] = []
    store = _open(db)
    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=err, transient=True, disable=as_json or not err.is_terminal,
    )
    with store, progress:
        task = progress.add_task("ingesting", total=None)
        for item in _documents(sources, options, store):
            progress.advance(task)
            if not isinstance(item, StorylineError):
                progress.update(task, description=f"ingesting {item.source[-50:]}")
            stored = store_item(store, pipeline, item, options)
            if stored.error is not None:
                _fail(stored.error)
            for warning in stored.warnings:
                err.print(f"warning {item.source}: {warning}")
            rows.append(stored.row)
        clustered = None
        if not no_cluster:
            progress.update(task, description="clustering posts into stories")
            clustered = _cluster(store)
    result = report(rows, clustered)
    totals, placed = result["totals"], result["stories"]
    if as_json:
        _print_json(result)
    else:
        table = Table(title=_esc(f"ingested into {store.url}"))
        for column in ("source", "outlet", "new", "updated", "unchanged", "status"):
            table.add_column(column)
        for r in rows:
            table.add_row(
                _esc(_short(str(r["source"]))), _esc(str(r.get("outlet") or "")), str(r.get("new", "")),
                str(r.get("updated", "")), str(r.get("unchanged", "")), r["status"],
            )
        out.print(table)
        out.print(
            f"{totals['new']} new, {totals['updated']} updated, {totals['unchanged']} unchanged, "
            f"{totals['failed']} failed"
        )
        if placed:
            out.print(f"stories: {placed['posts']} posts placed, {placed['new_stories']} new stories, "
                      f"{placed['joined']} joined a story, {placed['duplicates']} near-identical copies")
    raise typer.Exit(1 if totals["failed"] else 0)


def _cluster(store: Any) -> Any:
    """Give every stored post without a story its story; False (and one error line) when
    it cannot run — the posts stay stored, and the next ingest tries again."""
    from ..ingest import place_in_stories

    try:
        return place_in_stories(store)
    except Exception as exc:  # the posts are stored; say why stories could not be made
        _fail(exc, "stories")
        return False


def _short(source: str, width: int = 48) -> str:
    """A source as a person scans it: the file name, or the feed entry's title."""
    name = source.rsplit("#", 1)[-1] if "#" in source else source.rstrip("/").rsplit("/", 1)[-1]
    return name if len(name) <= width else name[: width - 1] + "…"


def _post_rows(store: Any, **filters: Any) -> list[tuple[Any, str]]:
    """Stored posts with their outlet's name."""
    from ..serve.views import post_rows

    return post_rows(store, **filters)


@app.command()
def posts(
    db: DbOption = None,
    outlet: OutletOption = None,
    day: Annotated[Optional[str], typer.Option("--day", help="Only posts of this day (YYYY-MM-DD).")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="news, media or housekeeping.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", help="At most this many posts.")] = None,
    oldest_first: Annotated[bool, typer.Option("--oldest-first", help="Oldest first (default newest).")] = False,
    as_json: JsonFlag = False,
) -> None:
    """List stored posts, filtered by outlet, day and kind."""
    from ..serialize import post_to_dict

    with _open(db) as store:
        rows = _post_rows(
            store, outlet=outlet, day=_parse_date(day), kind=kind, limit=limit, newest_first=not oldest_first
        )
    if as_json:
        _print_json([post_to_dict(p, outlet=o) for p, o in rows])
        return
    table = Table()
    for column in ("published", "outlet", "kind", "headline"):
        table.add_column(column)
    for post, outlet_name in rows:
        table.add_row(_when(post), _esc(outlet_name), post.kind, _esc(post.headline or post.body[0][:80]))
    out.print(table)


from . import facts, search, serve, stories, watch  # noqa: E402,F401  (register their commands)


def main() -> None:
    app()


