"""The calendar as an RFC 5545 iCalendar file, written by hand (no dependency).

One VEVENT per ScheduledEvent: UID from the event's stable id, so a calendar app that
imports the file again updates its entries instead of doubling them; all-day events as
VALUE=DATE; an event known to the minute has DTSTART only (RFC 5545 3.6.1: it then takes
no time), in UTC when its zone is known, else floating (the outlet's local clock). Text is
escaped (backslash, semicolon, comma, newline) and lines are folded at 75 octets, CRLF.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timezone
from typing import Iterable

from ..model import ScheduledEvent

_CTL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
MAX_OCTETS = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding CRLF


def to_ics(events: Iterable[ScheduledEvent], calendar_name: str = "storyline", *, stamp: datetime | None = None) -> str:
    """An iCalendar document of the events (those without a start are left out)."""
    stamp = stamp or datetime.now(timezone.utc)
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//storyline//calendar//EN", "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH", f"X-WR-CALNAME:{escape_text(calendar_name)}",
    ]
    for event in events:
        if event.start is None:
            continue
        lines += _vevent(event, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _vevent(event: ScheduledEvent, stamp: datetime) -> list[str]:
    assert event.start is not None
    uid = event.id or "ev-" + hashlib.sha1(f"{event.title}\x1f{event.start.isoformat()}".encode()).hexdigest()[:16]
    out = ["BEGIN:VEVENT", f"UID:{uid}@storyline", f"DTSTAMP:{_utc(stamp)}"]
    if event.all_day:
        out.append(f"DTSTART;VALUE=DATE:{_date(event.start)}")
        if event.end is not None and event.end.date() > event.start.date():
            out.append(f"DTEND;VALUE=DATE:{_date(event.end)}")
    else:
        out.append(f"DTSTART:{_moment(event.start)}")
        if event.end is not None and event.end > event.start:
            out.append(f"DTEND:{_moment(event.end)}")
    out.append(f"SUMMARY:{escape_text(event.title)}")
    described = [_source_line(s) for s in event.sources] or [f"posts: {', '.join(event.source_post_ids)}"]
    out.append(f"DESCRIPTION:{escape_text(chr(10).join(described))}")
    out.append("END:VEVENT")
    return out


def _source_line(source: dict) -> str:
    when = (source.get("published") or "")[:10]
    said = source.get("text") or source.get("as_written") or ""
    head = " ".join(p for p in (source.get("outlet") or "", when) if p)
    return f"{head}: {said}" if head else said


def escape_text(value: str) -> str:
    """RFC 5545 3.3.11 TEXT: backslash, semicolon, comma escaped; newlines as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return _CTL.sub("", value)


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces (never inside a UTF-8 character); each
    continuation starts with one space."""
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    pieces: list[str] = []
    limit = MAX_OCTETS
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # a continuation byte: back off
            cut -= 1
        pieces.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = MAX_OCTETS - 1  # the leading space counts
    return "\r\n ".join(pieces)


def _date(moment: datetime | date) -> str:
    return moment.strftime("%Y%m%d")


def _moment(moment: datetime) -> str:
    if moment.tzinfo is not None:
        return _utc(moment)
    return moment.strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
