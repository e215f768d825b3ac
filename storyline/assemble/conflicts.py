"""Conflicting figures: the same thing counted differently by different outlets, or by one
outlet over time ("more than 100,000" / "112,000" / "an estimated 130,000" Russian troops).

A figure's *thing* is its key: the singular head noun of what is counted (`what_key`), its
unit, the main entity named in it ("Russian troops" and "US troops" are two things;
"troops" alone is a third), and what happened to the counted ones when the sentence says so
("45,000 people had been evacuated" and "58,000 people were staying in emergency shelters"
are people evacuated and people sheltered, not two counts of one thing). Claims of one key are grouped into episodes (no gap longer than
`WINDOW`) and, inside an episode, into one order of magnitude (2,800 troops killed and
150,000 troops massed share a key but are not estimates of one number).

A group is a conflict when two of its claims, from different posts, cannot both be true
once their qualifiers are read as intervals: "about 100,000" and "100,000" agree, "up to
5,000" and "5,000" agree, "more than 30" and "33" agree, but "as many as 100,000" and
"more than 120,000" do not. Once a group is in conflict, every distinct value is shown with
its source and date in time order: the reader wants to see 100,000 / 112,000 / 120,000 /
130,000, not only the pair that disagrees. Vague amounts ("thousands of", "dozens of"),
counts under 10 (unless money or percent) and figures of an unspecified thing ("20,000
troops") are kept in a figure's history but never make a conflict.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any

from ..enrich.quantities import what_key
from ..model import Conflict, Post, Quantity

# Claims about one thing are compared within two weeks of each other. In the seeds the
# troop estimates are revised within a week (100,000 on Jan 21 -> 130,000 on Jan 26-28);
# the next figure comes a month later (Feb 25, after the invasion: 150,000) and describes
# a different situation, not a disagreement. 14 days joins the first, splits the second.
WINDOW = timedelta(days=14)
# Values more than 3x apart count different things under one noun: in the seeds the
# estimates of one figure differ by at most 1.5x (100,000-150,000 troops, 30-33 sites)
# while the same noun for another measure is 10x+ away (2,800 troops killed vs 150,000).
SAME_MAGNITUDE = 3.0
# "about", "an estimated": read as +-10%, the rounding a reporter's "about" covers
# (about 100,000 agrees with 95,000 and 108,000, not with 112,000 or 120,000).
APPROXIMATE = 0.10
MIN_COUNT = 10  # below this, counts are people, leaders, countries: trivially different
_MONEY_OR_SHARE = re.compile(r"^(?:[A-Z]{3}|percent|%)$")
# "thousands of", "tens of thousands of", "several thousand", "dozens": an order of
# magnitude, not a figure ("as many as" is a figure with a bound, not vague).
_VAGUE = re.compile(r"^(?:(?:tens|hundreds) of )?(?:thousands|hundreds|dozens|millions|billions|scores)\b|^(?:several|numerous|many)\b", re.I)
_LOWER = re.compile(r"^(?:more than|over|at least|upwards of|in excess of|above|more|an additional|additional|at minimum)$", re.I)
_UPPER = re.compile(r"^(?:up to|as many as|at most|fewer than|less than|under|no more than|below|as much as)$", re.I)
_NEAR_BELOW = re.compile(r"^(?:nearly|almost|close to|just under|roughly)$", re.I)
_EXACT = re.compile(r"^(?:just|exactly|only|precisely|a total of)?$", re.I)
_ENTITY_TYPES = {"GPE", "NORP", "ORG", "PERSON", "LOC"}
# What happened to the counted ones, read in the words right after the figure ("9 people have
# died") or in the verb right before it ("killed at least 9 people"). First match wins, so
# "killed" is tried before "evacuated" ("died after being evacuated" counts the dead).
FATES: tuple[tuple[str, str], ...] = (
    ("killed", r"killed|died|dead|deaths?|lost\s+their\s+lives"),
    ("injured", r"injured|wounded|hurt|hospitali[sz]ed"),
    ("missing", r"missing|unaccounted\s+for"),
    ("evacuated", r"evacuated|fled|flee(?:ing)?|displaced|forced\s+(?:from|out\s+of)\s+their\s+homes|"
                  r"forced\s+to\s+(?:flee|leave)|left\s+their\s+homes|relocated"),
    ("sheltered", r"shelter(?:s|ed|ing)?|sleeping|slept"),
    ("arrested", r"arrested|detained"),
    ("rescued", r"rescued"),
)
_FATE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{name}>{words})" for name, words in FATES) + r")(?![\w-])", re.I)
# The fate belongs to the figure when it follows within its clause: 50 characters hold
# "are now known to have died" and "were staying in emergency shelters"; a comma or a full
# stop ends the clause ("58,000 in shelters, up from the 45,000 evacuated").
_FATE_AFTER = re.compile(r"[^.;:,!?\n]{0,50}")
_FATE_BEFORE = re.compile(r"\b(?:killed|killing|evacuated|evacuating|wounded|wounding|injured|injuring|rescued|"
                          r"arrested|detained|displaced)\s+$", re.I)
_FILLER = {"additional", "other", "more", "similar", "new", "the", "a", "an", "some", "extra", "further"}


@dataclass(frozen=True)
class _Key:
    head: str  # what_key: 'troop'
    unit: str  # '' for a plain count
    entity: str  # canonical name of the entity in `what`, '' when none
    fate: str = ""  # what happened to them: 'evacuated', 'killed'; '' when the sentence does not say

    def text(self) -> str:
        return "\x1f".join((self.head, self.unit, self.entity, self.fate))


def figure_conflicts(posts: list[tuple[Post, str]], *, window: timedelta = WINDOW) -> list[Conflict]:
    """Conflicting figures in the posts (post, outlet), most claims first."""
    by_key: dict[_Key, list[dict[str, Any]]] = {}
    for claim in _claims(posts):
        if claim["_eligible"]:
            by_key.setdefault(claim["_key"], []).append(claim)
    conflicts: list[Conflict] = []
    for key, claims in by_key.items():
        for episode in _episodes(claims, window):
            for group in _magnitudes(episode):
                if _disagree(group):
                    conflicts.append(_conflict(key, group))
    conflicts.sort(key=lambda c: (-len(c.claims), c.about, c.id))
    return conflicts


def counted_thing(what: str) -> str:
    """The head word figure_history matches `what` by ("Russian troops" -> "troop",
    "people evacuated" -> "people"): what a store query can narrow the posts by first."""
    fate = _fate_of_words(what)
    if fate:
        what = what[: what.lower().rindex(fate[1])].strip()
    return what_key(what)


def figure_history(posts: list[tuple[Post, str]], what: str, unit: str | None = None) -> list[dict[str, Any]]:
    """Every claim about `what` ("Russian troops", "people evacuated") in time order, vague
    ones included; `what` without an entity ("troops") matches the thing whoever's it is,
    and without a fate ("people") whatever happened to them."""
    fate = _fate_of_words(what)
    if fate:
        what = what[: what.lower().rindex(fate[1])].strip()
    head = what_key(what)
    if not head:
        return []
    surface = _surface_names(posts)
    wanted = _entity_of_words(what, surface)
    found = []
    for claim in _claims(posts):
        key: _Key = claim["_key"]
        if key.head != head or (unit is not None and key.unit != unit) or (wanted and key.entity != wanted):
            continue
        if fate and key.fate != fate[0]:
            continue
        found.append(claim)
    return [_public(c) for c in found]


# -- claims ------------------------------------------------------------------------------

def _claims(posts: list[tuple[Post, str]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    surface = _surface_names(posts)
    for post, outlet in posts:
        seen: set[tuple] = set()
        for q in post.quantities:
            claim = _claim(post, outlet or "", q, surface)
            if claim is None:
                continue
            mark = (claim["_key"], q.value, q.high, (q.qualifier or "").lower())
            if mark in seen:
                continue  # the headline repeating the body
            seen.add(mark)
            out.append(claim)
    out.sort(key=lambda c: (c["_when"] is None, c["_when"] or datetime.min, c["post_id"]))  # undated last
    return out


def _claim(post: Post, outlet: str, q: Quantity, surface: dict[str, str]) -> dict[str, Any] | None:
    if q.value is None or not q.what or not math.isfinite(q.value):
        return None
    head = what_key(q.what)
    if not head:
        return None
    entity = _entity_of(post, q, surface)
    fate = _fate(post.text, q)
    key = _Key(head, q.unit or "", entity, fate)
    qualifier = (q.qualifier or "").strip()
    vague = bool(_VAGUE.search(qualifier))
    trivial = q.value < MIN_COUNT and not _MONEY_OR_SHARE.match(q.unit or "")
    specific = bool(entity) or len([w for w in re.findall(r"[\w'’-]+", q.what) if w.lower() not in _FILLER]) >= 2
    when = _when(post)
    text = post.text
    return {
        "value": q.value, "high": q.high, "unit": q.unit, "qualifier": q.qualifier,
        "what": f"{q.what} {fate}" if fate else q.what, "outlet": outlet, "post_id": post.id,
        "published": _iso(post), "text": q.text,
        "sentence": _sentence(text, q.start, q.end) if 0 <= q.start < q.end <= len(text) else q.text,
        "_key": key, "_when": when, "_eligible": not (vague or trivial) and specific and when is not None,
    }


def _entity_of(post: Post, q: Quantity, surface: dict[str, str]) -> str:
    """Whose figure it is: an entity inside the figure ("Russian troops"), else a
    capitalised modifier of `what`, else the last country or people named before the
    figure in its sentence ("Russia has massed 100,000 troops")."""
    inside = [m for m in post.entities if q.start <= m.start and m.end <= q.end and m.type in _ENTITY_TYPES]
    if inside and q.end > q.start:
        return inside[0].name or inside[0].text
    named = _entity_of_words(q.what or "", surface)
    if named or not 0 <= q.start < len(post.text):
        return named
    text = post.text
    start = max(text.rfind(". ", 0, q.start) + 1, text.rfind("\n", 0, q.start) + 1, 0)
    before = [m for m in post.entities if start <= m.start and m.end <= q.start and m.type in ("GPE", "NORP")]
    return (before[-1].name or before[-1].text) if before else ""


def _fate(text: str, q: Quantity) -> str:
    """What happened to the counted ones, when the figure's own clause says so."""
    if not 0 <= q.start < q.end <= len(text):
        return ""
    after = _FATE_AFTER.match(text, q.end)
    found = _FATE.search(after.group(0)) if after else None
    if found is None:
        verb = _FATE_BEFORE.search(text, max(0, q.start - 20), q.start)
        found = _FATE.search(verb.group(0)) if verb else None
    return (found.lastgroup or "") if found else ""


def _fate_of_words(what: str) -> tuple[str, str] | None:
    """('evacuated', 'evacuated') for "people evacuated": the fate and the words naming it."""
    last = re.search(r"[\w-]+\s*$", what)
    found = _FATE.fullmatch(last.group(0).strip()) if last else None
    return (found.lastgroup or "", last.group(0).strip().lower()) if found else None


def _entity_of_words(what: str, surface: dict[str, str]) -> str:
    """The entity named by a capitalised modifier of `what` ('Russian' -> 'Russia' when a
    post's mentions say so, else the word itself)."""
    words = re.findall(r"[\w.'’-]+", what)
    for word in words[:-1]:
        if word[:1].isupper():
            return surface.get(word.lower(), word)
    return ""


def _surface_names(posts: list[tuple[Post, str]]) -> dict[str, str]:
    names: dict[str, Counter] = {}
    for post, _ in posts:
        for m in post.entities:
            if m.name and m.type in _ENTITY_TYPES:
                names.setdefault(m.text.lower(), Counter())[m.name] += 1
    return {text: counts.most_common(1)[0][0] for text, counts in names.items()}


def _when(post: Post) -> datetime | None:
    """Ordering time: aware times in UTC, naive ones as written (the outlet's clock)."""
    if post.published is not None:
        moment = post.published
        return moment.astimezone(timezone.utc).replace(tzinfo=None) if moment.tzinfo else moment
    if post.day is not None:
        return datetime.combine(post.day, time(0))
    return None


def _iso(post: Post) -> str | None:
    if post.published is not None:
        return post.published.isoformat()
    return post.day.isoformat() if post.day is not None else None


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) + 1 if right_candidates else len(text)
    return text[left + 1 : right].strip()[:300]


# -- grouping and disagreement --------------------------------------------------------------

def _episodes(claims: list[dict[str, Any]], window: timedelta) -> list[list[dict[str, Any]]]:
    episodes: list[list[dict[str, Any]]] = []
    for claim in claims:  # already in time order
        if episodes and claim["_when"] - episodes[-1][-1]["_when"] <= window:
            episodes[-1].append(claim)
        else:
            episodes.append([claim])
    return episodes


def _magnitudes(claims: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    ordered = sorted(claims, key=lambda c: c["value"])
    groups: list[list[dict[str, Any]]] = []
    for claim in ordered:
        if groups and claim["value"] <= SAME_MAGNITUDE * max(groups[-1][-1]["value"], 1e-9):
            groups[-1].append(claim)
        else:
            groups.append([claim])
    return [sorted(g, key=lambda c: (c["_when"], c["post_id"])) for g in groups]


def interval(value: float, high: float | None, qualifier: str | None) -> tuple[float, float]:
    """What a figure claims, as [low, high]: 'more than 100,000' -> [100000, inf)."""
    q = re.sub(r"\s+", " ", (qualifier or "").strip().lower())
    if high is not None and high >= value:
        return value, high
    if _LOWER.match(q):
        return value, math.inf
    if _UPPER.match(q):
        return 0.0, value
    if _NEAR_BELOW.match(q):
        return value * (1 - APPROXIMATE), value
    if _EXACT.match(q):
        return value, value
    return value * (1 - APPROXIMATE), value * (1 + APPROXIMATE)  # about, around, an estimated


def _disagree(group: list[dict[str, Any]]) -> bool:
    """True when two claims from different posts cannot both hold: one's low end lies
    above the other's high end. Linear: compare each claim with the smallest high end
    from another post."""
    if len({(c["value"], c["high"]) for c in group}) < 2:
        return False
    spans = [(c["post_id"], *interval(c["value"], c["high"], c["qualifier"])) for c in group]
    first = min(spans, key=lambda s: s[2])
    others = [s[2] for s in spans if s[0] != first[0]]
    second = min(others) if others else math.inf
    return any(low > (second if post == first[0] else first[2]) for post, low, _ in spans)


def _conflict(key: _Key, group: list[dict[str, Any]]) -> Conflict:
    what = Counter(c["what"] for c in group).most_common(1)[0][0]
    about = f"{what} ({key.unit})" if key.unit else what
    first_day = group[0]["_when"].date().isoformat()
    magnitude = int(math.floor(math.log10(max(min(c["value"] for c in group), 1e-9))))
    digest = hashlib.sha1(f"{key.text()}\x1f{first_day}\x1f{magnitude}".encode()).hexdigest()[:16]
    return Conflict(id=f"cf-{digest}", about=about, claims=[_public(c) for c in group])


def _public(claim: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in claim.items() if not k.startswith("_")}
