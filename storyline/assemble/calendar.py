"""The calendar: events that posts announce for a later date, merged across outlets.

Enrichment resolves every time expression of a post against the post's own time and marks
the announced ones (`TimeRef.future`). Here each of those becomes a candidate event when
the clause holding it names something that will happen ("the Olympics open on February
4", "Scholz will visit the White House on Monday 7 February"); speculation ("an invasion
could happen by mid-February"), conditions ("if Russia invades next month"), continuations
("talks into February") and open-ended phrases ("in the coming days") are not events.
Candidates of overlapping intervals that share their words or their coded actor and action
are one event, dated by the most precise of them, with every announcing post as a source.
`to_ics` writes the result as an RFC 5545 calendar.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from ..enrich.text import PostText
from ..model import Post, ScheduledEvent, TimeRef
from .announcement import (
    MAX_TITLE_WORDS,  # noqa: F401  (part of the calendar's contract)
    Clause,
    clause_around,
    content_words,
    event_title,
    headline_announces,
    is_continuation,
    is_hedged,
    names_an_event,
    similarity,
)
from .ics import to_ics  # noqa: F401  (the calendar's export lives beside it)

# A calendar entry spans at most a month: "next month" (28-31 days) still places an
# announced visit or vote; "this year" or "early 2022" (4-12 months) places nothing.
MAX_SPAN = timedelta(days=31)
# Two announcements of overlapping dates are the same event when at least half of the
# smaller one's content words (entities by canonical name) are shared. Measured on the
# seeds' overlapping cross-post pairs:
# same-event pairs (Berlin talks, Danish jets, Olympics opening) score 0.5-1.0, different
# events 0-0.33, bar one 0.5 pair (Scholz visit 'next month' / four-nation talks) that the
# date guard in _merge keeps apart. 0.5 is the lowest same-event score (the Olympics).
SAME_EVENT_SIMILARITY = 0.5
_NOT_A_DATE = {"PRESENT_REF", "FUTURE_REF", "PAST_REF"}


@dataclass
class _Candidate:
    post: Post
    outlet: str
    ref: TimeRef
    start: datetime
    end: datetime
    title: str
    from_headline: bool
    words: set[str]
    actions: set[tuple[str, str]]
    sentence: str
    order: tuple = ()
    where: tuple = ()  # (post id, sentence offset): two times in one sentence date one event
    clause_words: int = 0

    @property
    def span(self) -> timedelta:
        return self.end - self.start


def scheduled_events(posts: list[tuple[Post, str]], *, max_span: timedelta = MAX_SPAN) -> list[ScheduledEvent]:
    """Announced future events in the posts (post, outlet name), in date order."""
    candidates: list[_Candidate] = []
    for post, outlet in posts:
        try:
            candidates.extend(_candidates(post, outlet or "", max_span))
        except (ValueError, TypeError, OverflowError):  # one malformed post skips its events only
            continue
    groups = _merge(candidates)
    events = [_event(group) for group in groups]
    events.sort(key=lambda e: (_wall(e.start) or datetime.max, e.title))
    return events


# -- candidates ------------------------------------------------------------------------

def _candidates(post: Post, outlet: str, max_span: timedelta) -> list[_Candidate]:
    refs = [t for t in post.times if t.future and t.start is not None and t.end is not None]
    if not refs:
        return []
    text = PostText.build(post.headline, post.body)
    posted = _posted(post)
    found: list[_Candidate] = []
    for ref in refs:
        if ref.value in _NOT_A_DATE or ref.kind not in ("date", "time"):
            continue
        start, end = _localised(ref)
        if end <= start or end - start > max_span:
            continue
        if posted is not None:
            day_start = datetime.combine(posted.date(), time(0))
            if _wall(end) <= day_start:
                continue  # wholly before the post's day: not announced
            if _wall(start) < day_start:  # "this week" written on Friday: only what is left
                start = day_start.replace(tzinfo=start.tzinfo)
        made = _candidate(post, outlet, text, ref, start, end)
        if made is not None:
            found.append(made)
    return found


def _candidate(post: Post, outlet: str, text: PostText, ref: TimeRef, start: datetime, end: datetime) -> _Candidate | None:
    body = text.text
    offset = ref.offset if 0 <= ref.offset < len(body) and body.startswith(ref.text, ref.offset) else body.find(ref.text)
    if offset < 0:
        return None
    s_start, s_end = text.sentences[text.sentence_index(offset)]
    sentence = body[s_start:s_end]
    times_here = [(t.offset - s_start, min(t.offset + len(t.text), s_end) - s_start) for t in post.times
                  if s_start <= t.offset < s_end and body.startswith(t.text, t.offset)]
    clause = clause_around(sentence, offset - s_start, times_here)
    if clause is None or is_hedged(clause.masked) or is_continuation(sentence, offset - s_start):
        return None
    events = [e for e in post.events if e.text and (e.text in sentence or sentence in e.text)]
    planned = any(e.modality == "planned" for e in events)
    if not (planned or names_an_event(clause.masked)):
        return None
    headline = text.headline_span
    in_headline = headline is not None and headline[0] <= offset < headline[1]
    actor = next((e.actor for e in events if e.actor and e.modality in ("planned", "happened")), None)
    title = _ahead_of(sentence[: offset - s_start]) or event_title(clause, actor)
    if len(content_words(title)) < 2:
        return None  # "The meeting": too little to tell what happens
    if not in_headline and headline is not None:
        named = _headline_title(post, body, headline, sentence)
        title, in_headline = (named, True) if named else (title, False)
    names = {m.name or m.text for m in post.entities if s_start <= m.start and m.end <= s_end and m.text in clause.text}
    words = content_words(" ".join([title, clause.masked.replace("§", " "), *names]))
    actions = {(e.actor, e.action) for e in events if e.actor and e.modality in ("planned", "happened")}
    posted = _posted(post)
    return _Candidate(
        post, outlet, ref, start, end, title, in_headline, words, actions, sentence,
        order=(_wall(posted) or datetime.max, post.id, offset), where=(post.id, s_start), clause_words=len(clause.text.split()),
    )


def _ahead_of(before: str) -> str:
    """'ahead of crunch talks later today': the thing ahead of which is the event."""
    found = re.search(r"\bahead of (?:the |a )?((?:[\w'’-]+ ){0,4}[\w'’-]+)\s*$", before, re.I)
    return found.group(1)[0].upper() + found.group(1)[1:] if found else ""


def _headline_title(post: Post, body: str, headline: tuple[int, int], sentence: str) -> str:
    """The headline as the title when it tells the same thing as the sentence: half or more
    of its content words are in the sentence."""
    h_start, h_end = headline
    times = [(t.offset - h_start, t.offset - h_start + len(t.text)) for t in post.times
             if h_start <= t.offset < h_end and body.startswith(t.text, t.offset)]
    clause = Clause(body[h_start:h_end], times)
    words = content_words(clause.masked.replace("§", " "))
    if not words or len(words & content_words(sentence)) < SAME_EVENT_SIMILARITY * len(words):
        return ""
    if not (times or headline_announces(clause.text) or any(
            e.modality == "planned" and e.text and e.text in clause.text for e in post.events)):
        return ""  # "US fighter jets arrive in Estonia": the headline tells what happened
    return event_title(clause)


def _localised(ref: TimeRef) -> tuple[datetime, datetime]:
    """The interval; a clock time written in GMT/UTC is an instant in UTC."""
    start, end = ref.start, ref.end
    assert start is not None and end is not None
    if start.tzinfo is None and re.search(r"\b(?:GMT|UTC)\b", ref.text):
        start, end = start.replace(tzinfo=timezone.utc), end.replace(tzinfo=timezone.utc)
    if (start.tzinfo is None) != (end.tzinfo is None):
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return start, end


def _posted(post: Post) -> datetime | None:
    if post.published is not None:
        return post.published
    if post.day is not None:
        return datetime.combine(post.day, time(0))
    return None


def _wall(moment: datetime | None) -> datetime | None:
    """Naive wall time for ordering and overlap: aware times in their own zone's clock.
    Outlets write the date of an event in their own zone, so the wall clock is what
    makes 'Monday' from New York and 'Monday' from Doha the same day."""
    return moment.replace(tzinfo=None) if moment is not None else None


# -- merging ---------------------------------------------------------------------------

def _overlap(a: _Candidate, b: _Candidate) -> bool:
    return _wall(a.start) < _wall(b.end) and _wall(b.start) < _wall(a.end)


def _same_event(a: _Candidate, b: _Candidate) -> bool:
    if a.post.id == b.post.id and a.post.id:
        return True
    if a.actions & b.actions:
        return True
    return similarity(a.words, b.words) >= SAME_EVENT_SIMILARITY


def _merge(candidates: list[_Candidate]) -> list[list[_Candidate]]:
    """Union of same-event candidates whose intervals overlap; two groups join only when
    their most precise intervals overlap, so a 'next month' cannot chain Feb 7 to Feb 9."""
    candidates = sorted(candidates, key=lambda c: (_wall(c.start), c.order))
    parent = list(range(len(candidates)))
    narrowest = list(candidates)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[tuple, int] = {}
    for i, c in enumerate(candidates):
        # Two times of one sentence, or the same announcement word for word: joined at once
        # (and only the first of identical announcements is compared with the others).
        for mark in (c.where, (_wall(c.start), _wall(c.end), frozenset(c.words), frozenset(c.actions))):
            if mark in first_at:
                k = root(first_at[mark])
                if k != i:
                    parent[i] = k
                if c.span < narrowest[k].span or (c.span == narrowest[k].span and c.start.tzinfo and not narrowest[k].start.tzinfo):
                    narrowest[k] = c
                break
            first_at[mark] = i
    leaders = [i for i in range(len(candidates)) if parent[i] == i]
    for x, i in enumerate(leaders):
        a = candidates[i]
        for j in leaders[x + 1:]:
            b = candidates[j]
            if _wall(b.start) >= _wall(a.end):
                break
            ri, rj = root(i), root(j)
            if ri == rj or not _overlap(a, b) or not _overlap(narrowest[ri], narrowest[rj]) or not _same_event(a, b):
                continue
            parent[rj] = ri
            if narrowest[rj].span < narrowest[ri].span:
                narrowest[ri] = narrowest[rj]
    groups: dict[int, list[_Candidate]] = {}
    for i, c in enumerate(candidates):
        groups.setdefault(root(i), []).append(c)
    return list(groups.values())


def _event(group: list[_Candidate]) -> ScheduledEvent:
    dated = min(group, key=lambda c: (c.span, c.start.tzinfo is None, c.order))
    named = max(group, key=_title_score)
    first = min(group, key=lambda c: c.order)
    start, end = dated.start, dated.end
    all_day = start.time() == time(0) and end.time() == time(0)
    precision = _precision(start, end, all_day)
    sources, post_ids = [], []
    for c in sorted(group, key=lambda c: c.order):
        if c.post.id not in post_ids:
            post_ids.append(c.post.id)
        posted = _posted(c.post)
        sources.append({
            "outlet": c.outlet, "post_id": c.post.id,
            "published": posted.isoformat() if posted else None,
            "as_written": c.ref.text, "text": c.sentence[:400],
        })
    uid = hashlib.sha1(f"{first.post.id}\x1f{first.ref.text}\x1f{first.ref.offset}".encode()).hexdigest()[:16]
    return ScheduledEvent(
        title=named.title, start=start, end=None if precision == "time" else end,
        source_post_ids=post_ids, id=f"ev-{uid}", all_day=all_day, precision=precision, sources=sources,
    )


def _title_score(c: _Candidate) -> tuple:
    """A title with a subject, no list or quote marks, from a headline, of 3-10 words, from
    the shortest clause."""
    words = len(c.title.split())
    has_subject = not re.match(r"(?:will|to|is|are|was|be|has|have)\b", c.title, re.I)
    plain = not re.search(r"[,‘’“”\"]", c.title)
    return (has_subject, plain, 3 <= words <= 10, c.from_headline, -c.clause_words)


def _precision(start: datetime, end: datetime, all_day: bool) -> str:
    if not all_day:
        return "time"
    days = (end - start).days
    return "day" if days <= 1 else "week" if days <= 7 else "month"
