"""Posts -> stories, one post at a time: a new post joins the story of the same development
or opens a new one, and story ids never change.

A story's id is a hash of its first post's id. Adding posts only appends to stories or
opens new ones: stories are never merged or split, so an id once shown stays valid. A post
already in the index (re-ingested, or edited after it was clustered) stays in its story.

Candidates for a new post are the posts of the few days around it (WINDOW_DAYS) whose
headline-and-lead vectors are closest, plus any post there that shares a quote or an
identical lead paragraph; each candidate is judged by `features.compare` (same act or
statement: vectors, speakers, quotes, figures, events, days). The post joins the story of
its best candidate when that judgement clears JOIN_SCORE (single link), and stories of
other close candidates are linked as related.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable, Sequence

import numpy as np

from ..model import Post, Story
from . import duplicates
from .features import DAY_VALUE, JOIN_SCORE, RELATED_SCORE, PostFeatures, compare, embedding_text, post_features

DIM = 384
# Candidate posts are looked for this many days either side of the new post's day. A
# development is reported within hours to about two days (the latest same-development pair
# in the seed gold is two calendar days apart: a statement of the 26th in a blog of the
# 28th); day-only posts (most seed posts) give calendar days, so 2 days of reporting can
# span 3 day numbers.
WINDOW_DAYS = 3
# Closest posts by vector that are judged in full; beyond these, only quote or lead matches.
# On the seeds no same-development pair ranks below 10th by cosine for its later post.
TOP_K = 24
# Posts below this cosine are never candidates by vector (no gold pair on the seeds is
# below 0.35; below 0.3 MiniLM pairs of news headlines share little beyond the region).
CANDIDATE_COSINE = 0.3
# Quote 4-grams this common (in more posts of the index) say nothing about one statement.
QUOTE_GRAM_MAX_POSTINGS = 64
# Undated posts are compared with the most recently added posts (a live index adds posts
# as they arrive, so insertion order stands in for time).
UNDATED_RECENT = 2_000
# A post whose text changed (an edit) more than this (cosine of old and new vector below)
# is noted as drifted; it stays in its story all the same.
DRIFT_COSINE = 0.6
# A story joins when its posts score on average at least JOIN_SCORE - STORY_MARGIN (seed
# gold: see features.py), judged on its latest STORY_SAMPLE posts (bounds the cost for a
# story of hundreds of posts; the latest are the ones a new report follows).
STORY_MARGIN = 0.15
STORY_SAMPLE = 16
# A person named in at most this many posts (or this share of the index, when larger) is
# rare enough to identify a story: on the seeds (240 posts) Turchak is named in 3 posts,
# Putin in 60; on UKP (33k posts over years) 0.5% is ~160 posts, under any regular's count.
RARE_MIN_POSTS = 5
RARE_SHARE = 0.005
# Related stories kept per assignment (the closest first).
MAX_RELATED = 5


def story_id_for(post_id: str) -> str:
    """A story's id: a stable hash of its first post's id."""
    return "s" + hashlib.sha256(post_id.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where `StoryIndex.add` put a post."""

    post_id: str
    story_id: str
    new_story: bool
    duplicate_of: str | None = None  # the post this one copies (syndication, re-post)
    related: tuple[str, ...] = ()  # other stories of the same thread (reactions, follow-ups)
    score: float = 0.0  # the judgement that joined it (0 for a new story)
    known: bool = False  # the post was already in the index: it stays where it was
    drifted: bool = False  # ... and its new text is far from the text it was clustered by


@dataclass(slots=True)
class _StoryState:
    id: str
    rows: list[int] = field(default_factory=list)
    related: dict[str, float] = field(default_factory=dict)  # story id -> best score seen


@dataclass(slots=True)
class _Entry:
    post: Post
    features: PostFeatures
    story_id: str
    duplicate_of: str | None


class StoryIndex:
    """Stories built incrementally; `add` is the only way in."""

    def __init__(self, embedder: Callable[[list[str]], np.ndarray] | None = None) -> None:
        self._embedder = embedder
        self._vectors = np.zeros((1024, DIM), dtype=np.float32)
        self._entries: list[_Entry] = []
        self._row_of: dict[str, int] = {}
        self._stories: dict[str, _StoryState] = {}
        self._by_day: dict[int, list[int]] = {}
        self._undated: list[int] = []
        self._quote_index: dict[int, list[int]] = {}
        self._lead_index: dict[int, list[int]] = {}
        self._people: dict[str, int] = {}  # person key -> posts naming them
        self.drifted: dict[str, float] = {}  # post id -> cosine of its edit to what was clustered

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, post_id: object) -> bool:
        return post_id in self._row_of

    # -- adding --------------------------------------------------------------------------

    def add(self, post: Post, outlet: str, vector: np.ndarray | None = None) -> Assignment:
        """Put one post in a story and say where."""
        vector = self._vector(post, vector)
        features = post_features(post, outlet)
        row = self._row_of.get(post.id)
        if row is not None:
            return self._update(row, post, features, vector)
        candidates = self._candidates(features, vector)
        scored = self._judge(features, vector, candidates)
        copy_of = self._copy_of(features, candidates)
        best_story, best_score = None, 0.0
        if copy_of is not None:
            best_story, best_score = self._entries[self._row_of[copy_of]].story_id, 1.0
        else:
            for story_id, (score, joins) in scored.items():
                if joins and score > best_score:
                    best_story, best_score = story_id, score
        new = best_story is None
        story_id = story_id_for(post.id) if new else best_story
        if new:
            while story_id in self._stories:  # a post id re-used after its story was made
                story_id = story_id_for(story_id)
            self._stories[story_id] = _StoryState(story_id)
        related = self._link(story_id, scored)
        self._store(post, features, vector, story_id, copy_of)
        return Assignment(post.id, story_id, new, copy_of, related, 0.0 if new else best_score)

    def restore(self, post: Post, outlet: str, vector: np.ndarray | None, story_id: str,
                duplicate_of: str | None = None) -> None:
        """Put back a post whose story is already decided (read from the store), exactly
        there: restoring never moves a post or renames a story, so ids stay stable."""
        if post.id in self._row_of:
            return
        self._stories.setdefault(story_id, _StoryState(story_id))
        self._store(post, post_features(post, outlet), self._vector(post, vector), story_id, duplicate_of)

    def _vector(self, post: Post, vector: np.ndarray | None) -> np.ndarray:
        if vector is None:
            embedder = self._embedder
            if embedder is None:
                from .embed import embed as embedder
            vector = embedder([embedding_text(post)])[0]
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if vector.shape != (DIM,) or not np.all(np.isfinite(vector)):
            raise ValueError(f"a post vector must be {DIM} finite floats, not shape {vector.shape}")
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def _update(self, row: int, post: Post, features: PostFeatures, vector: np.ndarray) -> Assignment:
        """A post seen before stays in its story; an edit refreshes what later posts match."""
        entry = self._entries[row]
        drift = float(self._vectors[row] @ vector)
        drifted = drift < DRIFT_COSINE
        if drifted:
            self.drifted[post.id] = drift
        entry.post, entry.features = post, features
        self._vectors[row] = vector
        state = self._stories[entry.story_id]
        return Assignment(post.id, entry.story_id, False, entry.duplicate_of, tuple(state.related),
                          known=True, drifted=drifted)

    def _store(self, post: Post, features: PostFeatures, vector: np.ndarray, story_id: str,
               copy_of: str | None) -> None:
        row = len(self._entries)
        if row == len(self._vectors):
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
        self._vectors[row] = vector
        self._entries.append(_Entry(post, features, story_id, copy_of))
        self._row_of[post.id] = row
        self._stories[story_id].rows.append(row)
        (self._undated if features.day is None else self._by_day.setdefault(features.day, [])).append(row)
        for gram in features.quote_grams:
            self._quote_index.setdefault(gram, []).append(row)
        for person in features.people:
            self._people[person] = self._people.get(person, 0) + 1
        if features.lead_hash:
            self._lead_index.setdefault(features.lead_hash, []).append(row)

    # -- finding and judging candidates --------------------------------------------------

    def _is_rare(self, person: str) -> bool:
        return self._people.get(person, 0) <= max(RARE_MIN_POSTS, RARE_SHARE * len(self._entries))

    def _window(self, day: int | None) -> np.ndarray:
        if day is None:
            start = max(0, len(self._entries) - UNDATED_RECENT)
            return np.arange(start, len(self._entries), dtype=np.int64)
        rows = [r for d in range(day - WINDOW_DAYS, day + WINDOW_DAYS + 1) for r in self._by_day.get(d, ())]
        rows.extend(self._undated[-UNDATED_RECENT:])
        return np.fromiter(rows, dtype=np.int64, count=len(rows))

    def _candidates(self, features: PostFeatures, vector: np.ndarray) -> dict[int, float]:
        """Row -> cosine, for the rows worth judging."""
        window = self._window(features.day)
        if not len(window):
            return {}
        sims = self._vectors[window] @ vector
        keep = np.flatnonzero(sims >= CANDIDATE_COSINE)
        if len(keep) > TOP_K:
            keep = keep[np.argpartition(-sims[keep], TOP_K - 1)[:TOP_K]]
        found = {int(window[i]): float(sims[i]) for i in keep}
        extra: set[int] = set()
        for gram in features.quote_grams:
            postings = self._quote_index.get(gram, ())
            if len(postings) <= QUOTE_GRAM_MAX_POSTINGS:
                extra.update(postings)
        extra.update(self._lead_index.get(features.lead_hash, ()) if features.lead_hash else ())
        extra.difference_update(found)
        if extra:
            lo, hi = _day_range(features.day)
            for row in extra:
                day = self._entries[row].features.day
                if day is None or features.day is None or lo <= day <= hi:
                    found[row] = float(self._vectors[row] @ vector)
        return found

    def _judge(self, features: PostFeatures, vector: np.ndarray,
               candidates: dict[int, float]) -> dict[str, tuple[float, bool]]:
        """Story id -> (best score of its posts, whether it is the same development).

        A story is the same development when one of its posts says so (single link) and its
        posts on average stay within STORY_MARGIN of the join score: a post that matches one
        end of a story by a shared phrase but not the rest of it does not join. Nor does a
        post whose headline reports words about a deed another of its posts reports, or the
        reverse (features.Verdict.deed_and_words): a story is one act or one statement, and
        single links would otherwise chain the delivery of a reply to its description."""
        best: dict[str, float] = {}
        for row, cosine in candidates.items():
            entry = self._entries[row]
            score = compare(features, entry.features, cosine, self._is_rare).score
            best[entry.story_id] = max(best.get(entry.story_id, float("-inf")), score)
        out: dict[str, tuple[float, bool]] = {}
        for story_id, top in best.items():
            joins = top >= JOIN_SCORE
            rows = self._stories[story_id].rows
            if joins:
                recent = rows[-STORY_SAMPLE:]
                cosines = self._vectors[recent] @ vector
                verdicts = [compare(features, self._entries[r].features, float(c), self._is_rare)
                            for r, c in zip(recent, cosines)]
                mean = sum(v.score for v in verdicts) / len(verdicts)
                joins = mean >= JOIN_SCORE - STORY_MARGIN and not _follow_up(features, recent, verdicts, self._entries) \
                    and not any(v.deed_and_words for v in verdicts)
            out[story_id] = (top, joins)
        return out

    def _copy_of(self, features: PostFeatures, candidates: dict[int, float]) -> str | None:
        """The original this post copies, if it copies one of the candidates."""
        best, best_jaccard = None, 0.0
        for row in candidates:
            entry = self._entries[row]
            like = duplicates.likeness(features.shingles, entry.features.shingles)
            if like.is_copy and like.jaccard >= best_jaccard:
                best, best_jaccard = entry, like.jaccard
        if best is None:
            return None
        return best.duplicate_of or best.post.id

    def _link(self, story_id: str, scored: dict[str, tuple[float, bool]]) -> tuple[str, ...]:
        state = self._stories[story_id]
        for other, (score, _) in scored.items():
            if other != story_id and score >= RELATED_SCORE:
                state.related[other] = max(score, state.related.get(other, score))
                peer = self._stories[other].related
                peer[story_id] = max(score, peer.get(story_id, score))
        return tuple(sorted(state.related, key=state.related.__getitem__, reverse=True)[:MAX_RELATED])

    # -- reading -------------------------------------------------------------------------

    def post(self, post_id: str) -> Post:
        """The post as last added (an edit replaces the earlier text)."""
        return self._entries[self._row_of[post_id]].post

    def story_of(self, post_id: str) -> str | None:
        row = self._row_of.get(post_id)
        return None if row is None else self._entries[row].story_id

    def story(self, story_id: str) -> Story:
        state = self._stories[story_id]
        # In publication order, not arrival order: a post ingested later may be older.
        entries = sorted((self._entries[r] for r in state.rows), key=lambda e: publication_key(e.post))
        first = entries[0]
        outlets = list(dict.fromkeys(e.features.outlet for e in entries))
        independent = {e.features.outlet for e in entries if e.duplicate_of is None}
        published = [e.post.published for e in entries if e.post.published is not None]
        first_seen = min(published, key=_utc_key) if published else None
        days = [e.post.day for e in entries if e.post.day is not None]
        return Story(
            id=story_id,
            title=best_title([e.post for e in entries]),
            happened=happened_at([e.post for e in entries if e.duplicate_of is None], first_seen),
            first_seen=first_seen,
            post_ids=[e.post.id for e in entries],
            outlets=outlets,
            independent_count=len(independent),
            day=min(days) if days else None,
            first_post_id=first.post.id,
            first_outlet=first.features.outlet or None,
            related=sorted(state.related, key=state.related.__getitem__, reverse=True),
            duplicates={e.post.id: e.duplicate_of for e in entries if e.duplicate_of},
        )

    def stories(self) -> list[Story]:
        return [self.story(story_id) for story_id in self._stories]

    def groups(self) -> list[list[str]]:
        """Post ids per story, in the order stories were opened."""
        return [[self._entries[r].post.id for r in state.rows] for state in self._stories.values()]


# -- story records -------------------------------------------------------------------------

# Headlines that do not say what happened: questions, rolling-coverage labels, media.
_UNCLEAR_TITLE = re.compile(
    r"\?\s*$|\blive\b|^\s*(watch|video|in pictures|explainer|analysis|opinion)\b|what we know|"
    r"^\s*(good morning|welcome)\b|\bhow to watch\b", re.I)
# Headlines longer than this read as a paragraph, shorter than TITLE_MIN as a label.
TITLE_MAX = 120
TITLE_MIN = 20


def _title_score(post: Post) -> float:
    headline = (post.headline or "").strip()
    if not headline:
        return float("-inf")
    score = 0.0
    if _UNCLEAR_TITLE.search(headline):
        score -= 10.0
    if not TITLE_MIN <= len(headline) <= TITLE_MAX:
        score -= 2.0
    heading = len(post.headline)
    score += min(3, len({m.name or m.text for m in post.entities if m.start < heading}))  # who
    score += 0.5 * bool(re.search(r"\d", headline))  # a figure
    return score


def best_title(posts: list[Post]) -> str:
    """The clearest headline: names who and says what, not a question or a label; the
    first report's on a tie. A story with no headline at all gets its first lead's start."""
    best = max(posts, key=_title_score)  # max keeps the first of equals
    if best.headline and best.headline.strip():
        return best.headline.strip()
    lead = next((p for post in posts for p in post.body if p.strip()), "")
    return lead.strip()[:TITLE_MAX].rsplit(" ", 1)[0] if len(lead.strip()) > TITLE_MAX else lead.strip()


def happened_at(posts: list[Post], first_seen: datetime | None) -> datetime | None:
    """When the development happened: the past day the posts' resolved times agree on
    (every post that resolves one names it), at the first report's time when that is the
    same day; else the first report."""
    starts: dict[int, datetime] = {}
    per_post = []
    for post in posts:
        days = set()
        for t in post.times:
            if not t.future and t.value and DAY_VALUE.match(t.value) and t.start is not None:
                day = t.start.date().toordinal()
                days.add(day)
                starts.setdefault(day, t.start)
        if days:
            per_post.append(days)
    agreed = set.intersection(*per_post) if per_post else set()
    if len(agreed) != 1:
        return first_seen
    day = agreed.pop()
    if first_seen is not None and first_seen.date().toordinal() == day:
        return first_seen
    if first_seen is not None and day > first_seen.date().toordinal():
        return first_seen  # a 'past' day after the first report: a misread time
    return starts[day]


def _follow_up(features: PostFeatures, rows: list[int], verdicts: list, entries: list[_Entry]) -> bool:
    """Whether the post follows up its own outlet's report of another day in the story
    (`Verdict.apart`, see features.compare) rather than repeating it: some of that outlet's earlier-day
    posts are apart from it and none is repeated (a story that took in one wrong post of
    the outlet still takes the re-post of its right one)."""
    apart = repeat = False
    for row, verdict in zip(rows, verdicts):
        other = entries[row].features
        if other.outlet == features.outlet and other.day != features.day:
            apart |= verdict.apart
            repeat |= not verdict.apart
    return apart and not repeat


def _utc_key(when: datetime) -> float:
    return when.timestamp() if when.tzinfo is not None else when.replace(tzinfo=None).timestamp()


def _day_range(day: int | None) -> tuple[int, int]:
    return (day - WINDOW_DAYS, day + WINDOW_DAYS) if day is not None else (0, 0)


def publication_key(post: Post) -> tuple[int, float, int, str]:
    """Publication order; day-only posts after the timed posts of their day, oldest first
    by page position (pages list newest first), then by id: any input order gives one order."""
    if post.published is not None and post.precision != "day":
        return (post.published.date().toordinal(), _utc_key(post.published), 0, post.id)
    day = post.day.toordinal() if post.day is not None else 10**7
    return (day, float("inf"), -post.position, post.id)


def cluster_posts(items: Sequence[tuple[Post, str]], vectors: np.ndarray | Iterable | None = None,
                  index: StoryIndex | None = None) -> list[list[int]]:
    """Batch clustering: posts added one by one in order of publication (day-only posts
    after the timed posts of their day; ties by post id, so any input order gives the same
    stories). Returns groups of indices into `items`, one per story."""
    items = list(items)
    if vectors is None:
        from .embed import embed

        vectors = embed([embedding_text(post) for post, _ in items]) if items else np.zeros((0, DIM), np.float32)
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(vectors) != len(items):
        raise ValueError(f"{len(vectors)} vectors for {len(items)} posts")
    index = StoryIndex() if index is None else index
    order = sorted(enumerate(post for post, _ in items), key=lambda item: publication_key(item[1]))
    story_of_item: dict[int, str] = {}
    for i, post in order:
        story_of_item[i] = index.add(post, items[i][1], vectors[i]).story_id
    groups: dict[str, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(story_of_item[i], []).append(i)
    return list(groups.values())
