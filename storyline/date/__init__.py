"""date: anchor the blog's day and give every post a published time, its precision
(minute / day) and how it was known (explicit, metadata, relative, inferred).

Pages list posts newest first but not always in order, and may span several days with
only day openers ("Good morning ... throughout Thursday") to mark the change; nothing
here assumes the order beyond what those markers say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from ..model import Parsed, Post
from ..settings import Options
from . import evidence
from .stamps import Stamp, parse_stamp

# Going back in time down a newest-first page, a clock that jumps forward by more than
# this crossed midnight; smaller jumps are posts slightly out of order (CNN's 1:02 p.m.
# above 1:33 p.m.). Six hours is longer than any disorder seen in the seeds.
MIDNIGHT_JUMP = timedelta(hours=6)


@dataclass(slots=True)
class Section:
    """A run of posts published on one day, as the page's day openers mark it."""

    indices: list[int]
    weekday: int | None
    day: date | None = None


def date_posts(parsed: Parsed, options: Options) -> Parsed:
    blog, posts = parsed.blog, parsed.posts
    assert blog is not None
    now = options.now or parsed.document.fetched_at or datetime.now(timezone.utc)
    stamps = {i: s for i, p in enumerate(posts) if p.stamp_text and (s := parse_stamp(p.stamp_text))}
    texts = _evidence_texts(parsed)
    mentions = [m for t in texts for m in evidence.find_mentions(t)]
    _date_exact(posts, stamps, now)

    anchor, how = _anchor_day(parsed, options, stamps, mentions, texts, now)
    sections = _sections(posts)
    _date_sections(sections, anchor, mentions, now)
    for section in sections:
        _date_section_posts(posts, section, stamps)
    days = [p.day for p in posts if p.day]
    blog.day = options.date or anchor or (max(days) if days else None)
    blog.day_how = how if anchor else ("text" if blog.day else None)
    if blog.day is None:
        parsed.warnings.append("no date found for this page; give one with --date")
    return parsed


def _evidence_texts(parsed: Parsed) -> list[str]:
    blog = parsed.blog
    assert blog is not None
    texts = [blog.title, *blog.summary, *blog.key_points, *parsed.notes]
    for post in parsed.posts:
        texts.extend([post.headline, *post.body, *post.captions])
    return [t for t in texts if t]


def _date_exact(posts: list[Post], stamps: dict[int, Stamp], now: datetime) -> None:
    """Posts whose own stamp or metadata gives the full date and time."""
    for index, post in enumerate(posts):
        if post.published is not None:
            post.precision = "minute"
            post.dated_how = post.dated_how or "metadata"
            post.day = post.published.date()
            continue
        stamp = stamps.get(index)
        if stamp is None:
            continue
        if stamp.ago is not None:
            post.published = now - stamp.ago
            post.precision, post.dated_how, post.day = "minute", "relative", post.published.date()
        elif stamp.exact is not None or (stamp.has_date and stamp.year is not None and stamp.time):
            post.published = stamp.resolve(None)
            if post.published is not None:
                post.precision, post.dated_how, post.day = "minute", "explicit", post.published.date()


def _anchor_day(
    parsed: Parsed, options: Options, stamps: dict[int, Stamp],
    mentions: list[evidence.DateMention], texts: list[str], now: datetime,
) -> tuple[date | None, str]:
    """The date of the page's newest day section, and what said so."""
    if options.date:
        return options.date, "option"
    dated = [p.day for p in parsed.posts if p.day]
    if dated:
        return max(dated), "stamps"
    page = parsed.page
    year, _ = evidence.infer_year(mentions, now.date())
    # Stamps with a date but no year ("4:44 p.m., January 21").
    partial = [s for s in stamps.values() if s.has_date]
    if partial:
        y = year or _recent_year(partial[0].month, partial[0].day, now.date())  # type: ignore[arg-type]
        days = [date(y, s.month, s.day) for s in partial]  # type: ignore[arg-type]
        return max(days), "stamps"
    if page is not None and page.published is not None:
        return page.published.date(), "metadata"
    from_url = evidence.url_day(parsed.blog.url if parsed.blog else None)
    if from_url:
        return from_url, "url"
    said = evidence.page_day([t for t in [*parsed.notes, *(parsed.blog.summary if parsed.blog else [])]])
    if said:
        month, day, y = said
        y = y or year or _recent_year(month, day, now.date())
        return date(y, month, day), "text"
    pointer = evidence.pointer_day(texts)
    if pointer:
        y = pointer.year or year or _recent_year(pointer.month, pointer.day, now.date())
        return date(y, pointer.month, pointer.day) + timedelta(days=1), "text"
    return None, ""


def _recent_year(month: int, day: int, today: date) -> int:
    """The most recent year in which month/day is not in the future."""
    for year in (today.year, today.year - 1, today.year - 4):
        try:
            if date(year, month, day) <= today:
                return year
        except ValueError:
            continue
    return today.year - 1


def _sections(posts: list[Post]) -> list[Section]:
    """Cut the page at day openers. Newest first, an opener is the last post of its day."""
    openers = [i for i, p in enumerate(posts) if p.kind == "housekeeping" and _opener_weekday(p) is not None]
    if not openers:
        return [Section(indices=list(range(len(posts))), weekday=None)]
    oldest_first = openers[0] == 0 and openers[-1] != len(posts) - 1
    sections: list[Section] = []
    start = 0
    if oldest_first:
        bounds = openers[1:] + [len(posts)]
        if openers[0] > 0:
            sections.append(Section(indices=list(range(0, openers[0])), weekday=None))
        for opener, end in zip(openers, bounds):
            sections.append(Section(list(range(opener, end)), _opener_weekday(posts[opener])))
        return sections[::-1]  # newest section first, as on newest-first pages
    for opener in openers:
        sections.append(Section(list(range(start, opener + 1)), _opener_weekday(posts[opener])))
        start = opener + 1
    if start < len(posts):
        sections.append(Section(list(range(start, len(posts))), None))
    return sections


def _opener_weekday(post: Post) -> int | None:
    for text in [post.headline, *post.body]:
        weekday = evidence.day_marker(text)
        if weekday is not None:
            return weekday
    return None


def _date_sections(
    sections: list[Section], anchor: date | None, mentions: list[evidence.DateMention], now: datetime
) -> None:
    """Give each section (newest first) its date, walking back from the anchor day."""
    if anchor is None and any(s.weekday is not None for s in sections):
        year, _ = evidence.infer_year(mentions, now.date())
        lower = evidence.anchor_from_mentions(mentions, year or now.year)
        upper = evidence.first_announced(mentions, year or now.year)
        if lower is None and upper is not None:
            # Only announced dates: the newest day is the last one before the first of them.
            anchor = upper - timedelta(days=1)
        elif lower is not None:
            # The oldest section is the first day with its weekday on or after the
            # earliest mentioned date; later sections follow day by day.
            trailing = []
            while sections and sections[-1].weekday is None and len(trailing) < len(sections) - 1:
                trailing.append(sections.pop())
            day = lower
            for section in reversed(sections):
                if section.weekday is not None:
                    while day.weekday() != section.weekday:
                        day += timedelta(days=1)
                section.day = day
                day += timedelta(days=1)
            # Posts below the oldest opener are older still.
            oldest = sections[-1].day
            for back, section in enumerate(trailing[::-1], start=1):
                section.day = oldest - timedelta(days=back) if oldest else None
            sections.extend(trailing[::-1])
            return
    day = anchor
    for section in sections:
        if day is None:
            return
        if section.weekday is not None:
            while day.weekday() != section.weekday:
                day -= timedelta(days=1)
        section.day = day
        day = day - timedelta(days=1)


def _date_section_posts(posts: list[Post], section: Section, stamps: dict[int, Stamp]) -> None:
    """Time-only stamps get the section's date (with midnight rollovers); others its day."""
    day = section.day
    previous: datetime | None = None
    for index in section.indices:  # newest first
        post = posts[index]
        if post.published is not None:
            previous = post.published
            day = post.day or day
            continue
        stamp = stamps.get(index)
        if stamp is not None and stamp.time is not None and day is not None:
            when = stamp.resolve(day)
            if when is not None and previous is not None and previous.tzinfo == when.tzinfo:
                if when - previous > MIDNIGHT_JUMP:
                    day = day - timedelta(days=1)
                    when = stamp.resolve(day)
            if when is not None:
                post.published, post.precision, post.dated_how = when, "minute", "inferred"
                post.day = when.date()
                previous = when
                continue
        if day is not None:
            post.day, post.precision, post.dated_how = day, "day", "inferred"
