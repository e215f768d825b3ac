"""Ingesting: acquired documents through the pipeline into the store, then into stories.

The one code path behind `storyline ingest` and `POST /api/ingest`: each acquired item
becomes one row of the report (`ingest --json` prints it), a failing item is a row with
its error and never stops the others, and stories are brought up to date once at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import StorylineError, describe
from .model import Document
from .settings import Options


@dataclass
class Stored:
    """What became of one acquired item: its report row, the page's warnings, and the
    error when it failed (acquiring, reading or saving)."""

    row: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    error: StorylineError | None = None
    saved: Any = None  # the store's SaveResult (new and updated post ids) when it was saved


def store_item(store: Any, pipeline: Any, item: Any, options: Options) -> Stored:
    """Read, enrich and save one item `acquire` yielded (a Document, an Unchanged URL, or
    the error of a source that could not be had); remember a URL's validators."""
    from .acquire import Unchanged

    if isinstance(item, StorylineError):
        return Stored({"source": item.where, "status": "failed", "error": item.as_dict()}, error=item)
    if isinstance(item, Unchanged):
        return Stored({"source": item.source, "status": "not modified", "new": 0, "updated": 0, "unchanged": 0})
    return store_document(store, pipeline, item, options)


def store_document(store: Any, pipeline: Any, document: Document, options: Options) -> Stored:
    try:
        parsed = pipeline.run(document, options)
        result = store.save(parsed, made_by=pipeline.signature)
        if document.url:
            store.record_fetch(document.url, document.etag, document.last_modified, document.hash)
    except StorylineError as exc:
        error = describe(exc, document.source)
        return Stored({"source": document.source, "status": "failed", "error": error.as_dict()}, error=error)
    return Stored({
        "source": document.source, "status": "ok", "blog_id": result.blog_id,
        "title": parsed.blog.title, "outlet": parsed.blog.outlet,
        "new": result.new, "updated": result.updated, "unchanged": result.unchanged,
    }, warnings=list(parsed.warnings), saved=result)


def place_in_stories(store: Any) -> Any:
    """Give every stored post without a story its story (cluster.update.ClusterResult),
    then assemble the conflicts of the weeks whose posts changed (assemble/stored.py);
    raises when either cannot run — the posts stay stored and the next ingest retries."""
    from .assemble.stored import refresh_conflicts
    from .cluster.update import update_stories

    result = update_stories(store)
    refresh_conflicts(store)
    return result


def report(rows: list[dict[str, Any]], clustered: Any) -> dict[str, Any]:
    """`ingest --json`: {sources, totals, stories}; `clustered` is a ClusterResult, None
    (not asked for) or False (clustering failed, counted as a failure)."""
    totals = {k: sum(r.get(k, 0) for r in rows) for k in ("new", "updated", "unchanged")}
    totals["failed"] = sum(r["status"] == "failed" for r in rows) + (clustered is False)
    return {"sources": rows, "totals": totals, "stories": clustered.__dict__ if clustered else None}
