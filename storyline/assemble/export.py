"""Exports for other tools: the stories (with their posts) as JSON Lines, CSV, Markdown, or
a schema.org `LiveBlogPosting` with one update per story. The input is what the CLI's
`stories --json` prints (cli/stories.py `story_to_dict`), so every format carries the same
provenance: first report, outlets, independent count, and each post."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Any, Iterable

FORMATS = ("jsonl", "csv", "md", "jsonld")
CSV_COLUMNS = (
    "story_id", "day", "happened", "title", "first_outlet", "first_published", "outlets", "independent_count",
    "post_count", "post_ids", "related",
)


def to_jsonl(stories: Iterable[dict[str, Any]], posts: Iterable[dict[str, Any]] = ()) -> str:
    """One JSON object a line: every story ("type": "story"), then every post ("type": "post")."""
    lines = [json.dumps({"type": "story", **s}, ensure_ascii=False) for s in stories]
    lines += [json.dumps({"type": "post", **p}, ensure_ascii=False) for p in posts]
    return "".join(line + "\n" for line in lines)


def to_csv(stories: Iterable[dict[str, Any]]) -> str:
    """One row a story; lists joined with ' | ' (outlet names may hold commas)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in stories:
        writer.writerow([
            s["id"], s["day"] or "", s["happened"] or "", s["title"], s["first_report"]["outlet"] or "",
            s["first_report"]["published"] or "", " | ".join(s["outlets"]), s["independent_count"], len(s["posts"]),
            " | ".join(p["id"] for p in s["posts"]), " | ".join(s["related"]),
        ])
    return buffer.getvalue()


def _md(text: str) -> str:
    """Text safe inside Markdown: the pages are untrusted, so no markup of theirs survives."""
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def clock_of(moment: str | None) -> str:
    """HH:MM UTC of an ISO time, so stories from outlets in different zones read on one
    clock (a time without a zone is shown as written); '' for a date, or for midnight
    exactly, which is how a day resolved from "on Monday" is written (an event at 00:00
    sharp is rare in the news)."""
    if not moment or len(moment) <= 10:
        return ""
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        return ""
    if when.hour == 0 and when.minute == 0:
        return ""
    if when.utcoffset() is None:
        return when.strftime("%H:%M") + NAIVE_MARK
    return when.astimezone(timezone.utc).strftime("%H:%M")


# Marks a time the page gave without a zone: shown as written, not converted to UTC.
NAIVE_MARK = "*"


def utc_text(moment: str | None) -> str:
    """'YYYY-MM-DD HH:MM' in UTC for an ISO time with a zone; the date alone for a date; a
    zoneless time as written, marked."""
    if not moment or len(moment) <= 10:
        return moment or ""
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    if when.utcoffset() is None:
        return when.strftime("%Y-%m-%d %H:%M") + NAIVE_MARK
    return when.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")


def to_markdown(stories: Iterable[dict[str, Any]], title: str = "Timeline") -> str:
    """The timeline: a heading a day, a bullet a story with its provenance."""
    lines = [f"# {_md(title)}", ""]
    day = object()
    for s in stories:
        if s["day"] != day:
            day = s["day"]
            lines += ["", f"## {day or 'Undated'}", ""]
        when = clock_of(s["happened"])
        first = s["first_report"]
        sources = ", ".join(_md(o) for o in s["outlets"])
        first_at = clock_of(first["published"])
        lines.append(
            f"- {when + ' UTC ' if when and not when.endswith(NAIVE_MARK) else (when[:-1] + ' ' if when else '')}**{_md(s['title'])}** — first reported by {_md(first['outlet'] or '?')}"
            f"{' at ' + first_at.rstrip(NAIVE_MARK) + ('' if first_at.endswith(NAIVE_MARK) else ' UTC') if first_at else ''}; "
            f"{len(s['posts'])} post{'s' if len(s['posts']) != 1 else ''} from {sources} "
            f"({s['independent_count']} independent)"
        )
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip() + "\n"


def to_jsonld(stories: Iterable[dict[str, Any]], title: str = "storyline timeline",
              post_urls: dict[str, str] | None = None) -> str:
    """A schema.org LiveBlogPosting whose liveBlogUpdate holds one BlogPosting per story."""
    post_urls = post_urls or {}
    updates = []
    for s in stories:
        update: dict[str, Any] = {
            "@type": "BlogPosting",
            "identifier": s["id"],
            "headline": s["title"],
            "datePublished": s["first_report"]["published"] or s["day"],
            "publisher": [{"@type": "Organization", "name": o} for o in s["outlets"]],
        }
        if s["happened"]:
            update["contentReferenceTime"] = s["happened"]
        based_on = [post_urls[p["id"]] for p in s["posts"] if post_urls.get(p["id"])]
        if based_on:
            update["isBasedOn"] = based_on
        if s["quotes"]:
            update["articleBody"] = " ".join(
                f"{q['speaker'] or 'Unattributed'}: \u201c{q['text']}\u201d" for q in s["quotes"][:3]
            )
        updates.append(update)
    document = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": title,
        "coverageStartTime": next((u["datePublished"] for u in updates if u["datePublished"]), None),
        "coverageEndTime": next((u["datePublished"] for u in reversed(updates) if u["datePublished"]), None),
        "liveBlogUpdate": updates,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
