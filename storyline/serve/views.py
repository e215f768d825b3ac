"""What readers see, as JSON-ready dicts: one function per view, shared by the command
line, the REST API and the web UI, so the three always agree.

Each takes an open Store and the filters the CLI has. Views over the whole corpus
(conflicts, the calendar) are computed from all posts and cached per data version, so a
page load does not redo them while nothing has changed.
"""

from __future__ import annotations

import gc
import threading
from datetime import date, datetime
from typing import Any, Callable

from ..assemble.stored import conflict_json
from ..model import Post, Story
from ..serialize import blog_to_dict, iso, post_to_dict

PostRows = list[tuple[Post, str]]


def _post_time(post: Post) -> str | None:
    if post.precision == "minute" and post.published is not None:
        return post.published.isoformat()
    return iso(post.day)


def outlets_of(store: Any) -> dict[str, str]:
    """Blog id -> outlet name, read once per data version (every list of posts or stories
    names outlets; reading all blogs each time cost ~17 ms at 100k posts)."""
    return cache.get(store, ("outlets",), store.outlets)


def post_rows(store: Any, **filters: Any) -> PostRows:
    """Stored posts with their outlet's name."""
    outlets = outlets_of(store)
    return [(p, outlets.get(p.blog_id, "")) for p in store.posts(**filters)]


def rows_of(store: Any, post_ids: list[str]) -> PostRows:
    """The news and media posts with these ids, in the ids' order, with their outlet's name."""
    found, outlets = store.posts_by_id(post_ids), outlets_of(store)
    return [(found[i], outlets.get(found[i].blog_id, "")) for i in post_ids
            if i in found and found[i].kind != "housekeeping"]


# -- stories and the timeline ---------------------------------------------------------------

def story_to_dict(story: Story, posts: dict[str, Post], outlets: dict[str, str], *, full: bool = False) -> dict[str, Any]:
    """A story with its provenance: who reported it first, when, and every post (with
    `full`, each post's text too, for reading the outlets' versions side by side)."""
    members = [posts[pid] for pid in story.post_ids if pid in posts]
    first = posts.get(story.first_post_id or "")
    item = {
        "id": story.id,
        "title": story.title,
        "happened": iso(story.happened),
        "day": iso(story.day),
        "first_report": {
            "outlet": story.first_outlet, "post_id": story.first_post_id,
            "published": _post_time(first) if first else iso(story.first_seen),
        },
        "outlets": story.outlets,
        "independent_count": story.independent_count,
        "related": story.related,
        "posts": [
            {"id": p.id, "outlet": outlets.get(p.blog_id, ""), "published": _post_time(p), "headline": p.headline,
             "duplicate_of": story.duplicates.get(p.id), **({"body": p.body, "url": p.url} if full else {})}
            for p in members
        ],
        "quotes": [{"text": q.text, "speaker": q.speaker, "post_id": p.id} for p in members for q in p.quotes
                   if q.kind != "partial"],
        "figures": [{"text": q.text, "value": q.value, "unit": q.unit, "what": q.what, "post_id": p.id}
                    for p in members for q in p.quantities],
    }
    return item


def stories(store: Any, **filters: Any) -> list[dict[str, Any]]:
    """Stories in the order they happened; filters as Store.stories."""
    found = store.stories(**filters)
    posts = store.posts_by_id([pid for s in found for pid in s.post_ids])
    outlets = outlets_of(store)
    return [story_to_dict(s, posts, outlets) for s in found]


def timeline(store: Any, **filters: Any) -> list[dict[str, Any]]:
    """[{day, stories}] in the order the stories happened."""
    return by_day(stories(store, **filters))


def by_day(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Story dicts (in timeline order) as [{day, stories}]; no day: "undated"."""
    days: dict[str, list[dict[str, Any]]] = {}
    for s in items:
        days.setdefault(s["day"] or "undated", []).append(s)
    return [{"day": d, "stories": found} for d, found in days.items()]


def story(store: Any, story_id: str) -> dict[str, Any] | None:
    """One story in full: every outlet's version, quotes, figures, the figure conflicts
    its posts take part in, and its related stories (id and title)."""
    found = store.story(story_id)
    if found is None:
        return None
    posts = store.posts_by_id(found.post_ids)
    outlets = outlets_of(store)
    item = story_to_dict(found, posts, outlets, full=True)
    related = store.stories(ids=list(found.related)) if found.related else []
    item["related"] = [{"id": r.id, "title": r.title, "day": iso(r.day)} for r in related]
    item["conflicts"] = _story_conflicts(store, found, posts)
    return item


def _story_conflicts(store: Any, found: Story, posts: dict[str, Post]) -> list[dict[str, Any]]:
    """The conflicts the story's posts take part in, found among the posts of its week's
    window (assemble/stored.py): read from the stored conflicts when that window is
    assembled as its posts are now, else worked out here (a new database until the first
    refresh, or posts saved a moment ago): the same result either way."""
    from ..assemble.stored import week_of, window

    if found.day is None:
        return []
    week = week_of(found.day)
    since, until = window(week)
    stored = store.week_conflicts(week, since, until, list(found.post_ids))
    if stored is not None:
        return stored
    return _worked_out_conflicts(store, found, posts, since, until)


def _worked_out_conflicts(store: Any, found: Story, posts: dict[str, Post], since: date,
                          until: date) -> list[dict[str, Any]]:
    """As assemble.stored.week_conflicts would find them, reading less: figures only from
    the window's posts counting what the story's posts count, claims only when one of the
    story's posts has a claim phrase (most have none); claims are shared by the stories of
    one week (one cached list per window)."""
    from ..assemble.conflicts import counted_thing, figure_conflicts

    members = [posts[i] for i in found.post_ids if i in posts]
    things = {counted_thing(q.what) for p in members for q in p.quantities if q.what and q.value is not None}
    rows: dict[str, tuple[Post, str]] = {}
    for thing in sorted(t for t in things if t):
        rows.update((p.id, (p, o)) for p, o in _rows_counting(store, thing, since, until))
    found_conflicts = [conflict_json(c) for c in figure_conflicts(list(rows.values()))]
    if any(_may_claim(p.id, p.text) for p in members):
        found_conflicts += claims_between(store, since, until)
    ids = set(found.post_ids)
    return [c for c in found_conflicts if ids & {claim.get("post_id") for claim in c["claims"]}]


# -- posts, blogs, facts ----------------------------------------------------------------------

def posts(store: Any, **filters: Any) -> list[dict[str, Any]]:
    return [post_to_dict(p, outlet=o) for p, o in post_rows(store, **filters)]


def post(store: Any, post_id: str) -> dict[str, Any] | None:
    found = store.get_post(post_id)
    if found is None:
        return None
    item = post_to_dict(found, outlet=outlets_of(store).get(found.blog_id, ""))
    item["revisions"] = [{k: iso(v) if isinstance(v, (date, datetime)) else v for k, v in r.items()}
                         for r in store.revisions(post_id)]
    return item


def blogs(store: Any) -> list[dict[str, Any]]:
    return [blog_to_dict(b) for b in store.blogs()]


def fact_row(row: dict[str, Any]) -> dict[str, Any]:
    """A quote or figure row as JSON: `published` to the minute where known, else the day."""
    item = {k: v for k, v in row.items() if k not in ("published_utc", "precision")}
    if row.get("precision") == "minute" and row.get("published") is not None:
        item["published"] = row["published"].isoformat()
    else:
        item["published"] = iso(row.get("day"))
    item["day"] = iso(row.get("day"))
    return item


def quotes(store: Any, speaker: str | None = None, **filters: Any) -> list[dict[str, Any]]:
    return [fact_row(r) for r in store.quotes(speaker, **filters)]


def figures(store: Any, what: str | None = None, **filters: Any) -> list[dict[str, Any]]:
    return [fact_row(r) for r in store.figures(what, **filters)]


def entity_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: iso(v) if isinstance(v, (date, datetime)) else v for k, v in row.items()}


def entities(store: Any, kind: str | None = None, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Entities most mentioned first. The counts are an aggregate over every mention
    (~0.5 s at 100k posts), so the whole list is kept per type and data version and pages
    are cut from it (shared dicts: do not change them)."""
    everyone = cache.get(store, ("entities", (kind or "").upper()), lambda: [entity_row(r) for r in store.entities(kind)])
    return everyone[offset: offset + limit if limit is not None else None]


def person(store: Any, entity_id: str) -> dict[str, Any] | None:
    """An entity with its quotes over time (oldest first)."""
    found = store.entity(entity_id)
    if found is None:
        return None
    item = entity_row(found)
    item["quotes"] = [r for r in quotes(store, found["name"]) if r.get("speaker_id") in (entity_id, None)
                      or r.get("speaker") == found["name"]]
    return item


# -- assembled over the corpus ----------------------------------------------------------------

class _Cache:
    """Results of whole-corpus views per (database, data version): recomputed only after
    something changed. A few entries: one per view and filter in use."""

    LIMIT = 64  # entries; each is one view's result (kilobytes to a few megabytes)

    def __init__(self) -> None:
        self._items: dict[tuple, Any] = {}
        self._lock = threading.Lock()
        self._computing: dict[tuple, threading.Lock] = {}  # one lock per entry being made

    def get(self, store: Any, key: tuple, compute: Callable[[], Any]) -> Any:
        full = (store.url, store.data_version(), *key)
        with self._lock:
            if full in self._items:
                return self._items[full]
            making = self._computing.setdefault(full, threading.Lock())
        # One thread computes an entry; the API's other threads asking for it wait for
        # that result instead of each computing it again (a corpus-wide view at 100k
        # posts takes a minute: fifty requests would take fifty).
        with making:
            with self._lock:
                if full in self._items:
                    return self._items[full]
            try:
                value = compute()
                with self._lock:
                    if len(self._items) >= self.LIMIT:
                        self._items.pop(next(iter(self._items)))
                    self._items[full] = value
                # Entries live until the data changes: out of the collector's reach, so a
                # full collection stops walking them (pauses of ~90 ms -> ~2 ms with a
                # story's corpus-wide conflicts cached at 100k posts; bench.api_load).
                # Freed by reference counting as usual once evicted.
                gc.freeze()
            finally:
                with self._lock:
                    self._computing.pop(full, None)
        return value


cache = _Cache()


def _all_rows(store: Any, since: date | None = None, until: date | None = None) -> PostRows:
    """News and media posts of the days since..until (inclusive; all when not given)."""
    return [(p, o) for p, o in post_rows(store, first_day=since, last_day=until, newest_first=False)
            if p.kind != "housekeeping"]


def conflicts_between(store: Any, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """Figures that outlets (or one outlet over time) report differently."""
    from ..assemble.conflicts import figure_conflicts

    return cache.get(store, ("conflicts", since, until),
                     lambda: [conflict_json(c) for c in figure_conflicts(_all_rows(store, since, until))])


_CLAIM_PHRASES: dict[tuple[str, int], bool] = {}  # (post id, hash of its text) -> has a claim phrase
_CLAIM_PHRASES_LIMIT = 1_000_000  # entries (~100 bytes each); past it the memo starts again


def _may_claim(post_id: str, text: str) -> bool:
    """assemble.claims.may_claim_text, remembered per post text across data versions:
    the regexes cost ~0.3 ms a post, and a post's text rarely changes."""
    from ..assemble.claims import may_claim_text

    key = (post_id, hash(text))
    found = _CLAIM_PHRASES.get(key)
    if found is None:
        if len(_CLAIM_PHRASES) >= _CLAIM_PHRASES_LIMIT:
            _CLAIM_PHRASES.clear()
        found = _CLAIM_PHRASES[key] = may_claim_text(text)
    return found


def learn_claim_phrases(store: Any, stop: threading.Event, days_at_once: int = 30) -> int:
    """Test every stored post for a claim phrase ahead of time (the server does it in the
    background when it starts), a month of posts at a time, so the first story pages do
    not pay for it; returns how many posts were tested. Ends early when `stop` is set."""
    import time

    tested = 0
    days = sorted({row["day"] for row in store.posts_per_outlet_day() if row["day"]})
    for first in range(0, len(days), days_at_once):
        if stop.is_set():
            break
        for post_id, text in store.post_texts(days[first], days[min(first + days_at_once, len(days)) - 1]):
            _may_claim(post_id, text)
            tested += 1
        time.sleep(0)  # let request threads have the interpreter between months
    return tested


def claims_between(store: Any, since: date | None = None, until: date | None = None) -> list[dict[str, Any]]:
    """Contradicting claims about the same development (troops arriving vs leaving)."""
    from ..assemble.claims import claim_conflicts

    def compute() -> list[dict[str, Any]]:
        # Only posts with a claim phrase can take a side (a regex over their text first:
        # at 100k posts reading every post with its enrichment took most of the time).
        ids = [pid for pid, text in store.post_texts(since, until) if _may_claim(pid, text)]
        return [conflict_json(c) for c in claim_conflicts(rows_of(store, ids))]

    return cache.get(store, ("claims", since, until), compute)


def conflicts(store: Any) -> dict[str, Any]:
    """Figures reported differently, then contradicting claims."""
    return {"figures": conflicts_between(store), "claims": claims_between(store)}


def figure_history(store: Any, what: str) -> list[dict[str, Any]]:
    """Every claim about `what` over time, by source (the figure chart's series)."""
    from ..assemble.conflicts import figure_history as history

    return cache.get(store, ("history", what), lambda: history(_rows_counting(store, what), what))


def _rows_counting(store: Any, what: str, since: date | None = None, until: date | None = None) -> PostRows:
    """The posts with a figure that may count `what` (its head word, loosely: the last
    letter off, so "troop" finds "troops"), not the whole corpus: a figure's history at
    100k posts reads hundreds of posts instead of all of them. Oldest first."""
    from ..assemble.conflicts import counted_thing

    head = counted_thing(what)
    if not head:
        return []
    rows = store.figures(head[:-1] if len(head) > 4 else head, first_day=since, last_day=until)
    return rows_of(store, list(dict.fromkeys(r["post_id"] for r in rows)))


def calendar_events(store: Any) -> list[Any]:
    """Announced future events (model.ScheduledEvent), soonest first."""
    from ..assemble.calendar import scheduled_events

    def compute() -> list[Any]:
        # Not the whole corpus: only the posts that name a future time.
        return scheduled_events(rows_of(store, store.announcing_post_ids()))

    return cache.get(store, ("calendar",), compute)


def calendar(store: Any) -> list[dict[str, Any]]:
    return [
        {"id": e.id, "title": e.title, "start": iso(e.start), "end": iso(e.end), "all_day": e.all_day,
         "precision": e.precision, "sources": [{k: iso(v) if isinstance(v, (date, datetime)) else v
                                                for k, v in s.items()} for s in e.sources]}
        for e in calendar_events(store)
    ]


def brief(store: Any, day: date, points: int = 5) -> dict[str, Any]:
    """The day's key points across outlets, each linked to its stories."""
    from ..assemble.brief import brief_markdown, key_points

    def compute() -> dict[str, Any]:
        rows = post_rows(store, day=day, newest_first=False)
        story_of = {pid: s.id for s in store.stories(day=day) for pid in s.post_ids}
        found = key_points(rows, max_points=points)
        for point in found:
            point.story_ids = list(dict.fromkeys(story_of[p] for p in point.post_ids if p in story_of))
        return {"day": day.isoformat(), "markdown": brief_markdown(day, found), "key_points": [
            {"text": k.text, "post_ids": k.post_ids, "outlets": k.outlets, "story_ids": k.story_ids,
             "score": k.score} for k in found
        ]}

    return cache.get(store, ("brief", day, points), compute)


def days(store: Any) -> list[str]:
    """Days that have stories, oldest first (for day pickers)."""
    return sorted({row["day"].isoformat() for row in store.posts_per_outlet_day() if row["day"]})


# -- charts -------------------------------------------------------------------------------------

def chart_posts_per_outlet(store: Any) -> dict[str, Any]:
    """{days: [...], series: [{outlet, values: [count per day]}]}."""
    rows = store.posts_per_outlet_day()
    all_days = sorted({r["day"] for r in rows})
    index = {d: i for i, d in enumerate(all_days)}
    series: dict[str, list[int]] = {}
    for r in rows:
        series.setdefault(r["outlet"] or "?", [0] * len(all_days))[index[r["day"]]] = int(r["posts"])
    return {"days": [d.isoformat() for d in all_days],
            "series": [{"outlet": o, "values": v} for o, v in sorted(series.items())]}


def chart_event_score(store: Any) -> dict[str, Any]:
    """{days, scores, events}: the daily mean cooperation (+) – conflict (−) score."""
    rows = store.daily_event_score()
    return {"days": [r["day"].isoformat() for r in rows], "scores": [r["score"] for r in rows],
            "events": [int(r["events"]) for r in rows]}


def chart_figure(store: Any, what: str) -> dict[str, Any]:
    """{what, series: [{outlet, points: [{published, value, high, text, post_id}]}]}."""
    series: dict[str, list[dict[str, Any]]] = {}
    for claim in figure_history(store, what):
        if claim.get("value") is None:
            continue
        series.setdefault(claim.get("outlet") or "?", []).append(
            {k: claim.get(k) for k in ("published", "value", "high", "text", "post_id")})
    return {"what": what, "series": [{"outlet": o, "points": p} for o, p in sorted(series.items())]}


# -- choices for the web UI's forms, and a post's story ---------------------------------------------------

def outlet_names(store: Any) -> list[str]:
    """Every outlet with a stored blog, by name."""
    return sorted({name for name in store.outlets().values() if name})


def event_types() -> list[dict[str, Any]]:
    """The coded event types (enrich/events.py ACTIONS), cooperation first."""
    from ..enrich.events import ACTIONS

    return [{"action": a, "score": score, "covers": covers}
            for a, (score, covers) in sorted(ACTIONS.items(), key=lambda item: -item[1][0])]


# Figure kinds offered in the figure chart's picker: enough to show the corpus's main
# counts without a wall of one-off nouns.
FIGURE_CHOICES = 12


def figure_choices(store: Any) -> list[str]:
    """What the corpus counts most ("troops", "people"), conflicting figures first: the
    figure chart's suggestions."""
    from collections import Counter

    def compute() -> list[str]:
        counted = Counter((r.get("what") or "").strip().lower() for r in store.figures())
        counted.pop("", None)
        about = [c["about"] for c in conflicts_between(store)]
        common = [w for w, n in counted.most_common(FIGURE_CHOICES * 2) if n > 1]
        unique = {w.lower(): w for w in reversed(about + common)}  # one spelling each, the first given
        return list(dict.fromkeys(unique[w.lower()] for w in about + common))[:FIGURE_CHOICES]

    return cache.get(store, ("figure choices",), compute)


def story_ids_of_posts(store: Any, post_ids: list[str]) -> dict[str, str]:
    """Post id -> the id of its story (posts without a story are left out)."""
    from ..store.alerts import stories_of_posts

    return stories_of_posts(store, post_ids)

