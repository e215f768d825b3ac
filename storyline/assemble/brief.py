"""Key points of a day: the few bullets a reader wants, drawn from every outlet's posts.

    candidates   the headline and the first sentences of each news post, lightly cleaned
                 (no greetings, no "Here's the latest", no questions, no pointers)
    centrality   LexRank over the candidates: a TF-IDF cosine graph whose edges join
                 candidates of *different* posts, so a development carried by many posts
                 and outlets ranks high, and a long post cannot vote for itself
    weight       headlines and leads over later sentences; more outlets; a quote from a
                 named speaker, a figure or a strongly scored event add a little
    selection    best first, one bullet per development: a candidate too close to a chosen
                 bullet (TF-IDF cosine, shared content words, shared names) joins its
                 support instead of becoming a bullet

Extractive and deterministic: the same posts give the same bullets in the same order.
Benchmarked on the UKP live-blog corpus by bench/ukp_keypoints.py (ROUGE against the
journalists' summaries, and key-event post precision/recall on the Guardian).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timezone

import numpy as np

from ..enrich.text import PARAGRAPH_BREAK, split_sentences
from ..model import Post
from ..read import shapes


@dataclass(slots=True)
class KeyPoint:
    """One bullet: its text, the posts it was drawn from (the source first, then the posts
    that report the same thing, oldest first) and their outlets (first reporter first)."""

    text: str
    post_ids: list[str]
    outlets: list[str]
    score: float
    story_ids: list[str] = field(default_factory=list)  # filled by the assemble stage


# -- tuned constants (re-run `python -m bench.ukp_keypoints` before changing any) ---------

# Sentences read per post after the headline: live-blog posts put the development first.
# 1 / 2 / 3 gave all-blog R-2 0.280 / 0.280 / 0.278 and BBC R-2 0.077 / 0.081 / 0.075 on
# 120 UKP blogs; more sentences cost time (the graph is quadratic) for nothing.
LEAD_SENTENCES = 2
# Weight by place in the post: the headline is the outlet's own statement of the
# development; the lead states it. Headlines weigh so much that they nearly always come
# first: on 120 UKP blogs a headline weight of 1.6 / 3 / 10 / 20 / 50 gave Guardian R-2
# 0.18 / 0.36 / 0.47 / 0.50 / 0.50 (key-event posts found 0.29 / 0.42 / 0.51 / 0.53 / 0.53),
# BBC (all posts headlined) unchanged. A body sentence that many posts carry still beats
# a headline nobody else does.
POSITION_WEIGHT = (20.0, 1.25, 1.0, 0.9)  # headline, first, second, later sentence
# Words a bullet may have: shorter is a fragment ("Updated at 10.15"), longer a paragraph
# glued into one sentence (UKP's summary posts run to 150 words).
MIN_WORDS, MIN_HEADLINE_WORDS, MAX_WORDS = 6, 3, 45
# LexRank: edges below this cosine are noise (Erkan & Radev's 0.1); damping as PageRank.
EDGE_THRESHOLD = 0.1
DAMPING = 0.85
# A post supports a bullet when one of its candidates is this close (cosine). A candidate
# is a duplicate of a chosen bullet above DUPLICATE_COSINE, or when half of the smaller
# one's content words are shared (a rewrite by another outlet), or when their posts are
# linked (below). UKP does not move with DUPLICATE_COSINE (0.3 to 0.5: same scores, the
# other rules decide there); 0.4 and 0.5 are set by the unit-test days of tests/test_brief.py.
SUPPORT_COSINE = 0.3
DUPLICATE_COSINE = 0.4
DUPLICATE_OVERLAP = 0.5
# Two candidates whose posts are linked (some sentence pair at LINK_COSINE) report the
# same thing: a paraphrased headline whose body matches. LINK_COSINE 0.2 / 0.25 / 0.3 on
# 120 UKP blogs: BBC R-2 0.078 / 0.075 / 0.074, Guardian 0.447 / 0.463 / 0.474: looser
# links merge separate statements on one topic (the Guardian lists those apart).
LINK_COSINE = 0.3
# Names shared by two candidates make a lower word overlap enough to be the same thing
# (UKP is lower-cased: NER finds few names there, so this is set by judgement, untested).
SHARED_NAMES_OVERLAP = 0.3
# Each outlet beyond the first multiplies the score by 1 + OUTLET_BONUS. UKP has one outlet
# per blog and the enrich stage sees no capitals there, so these weights are judgement,
# not measurement: corroboration first, then named quotes, strong events, figures.
OUTLET_BONUS = 0.5
QUOTE_BONUS = 0.25  # a quote from a named speaker in the sentence
FIGURE_BONUS = 0.1  # a figure in the sentence
EVENT_BONUS = 0.2  # an event scored at least STRONG_EVENT from either end of the scale
STRONG_EVENT = 6.0  # threats, sanctions, force; agreements and material aid
# Maximal marginal relevance: a candidate's score is cut by this share of its cosine to the
# closest chosen bullet, so a day's bullets cover its several stories, not one story's
# several angles. Neutral on UKP (0 / 0.5 / 1 / 2: all-blog R-2 0.281 / 0.280 / 0.278 /
# 0.280 on 120 blogs); 1 keeps a second angle of a story behind a new story of similar score.
DIVERSITY = 1.0
# Smoothed IDF, ln((n+1)/(df+1)) + IDF_FLOOR. A floor lets a word every post shares still
# count (helps tiny days) but costs UKP: floor 0 / 0.5 / 1 gave all-blog R-2 0.278 /
# 0.274 / 0.264 on 120 blogs. Dedup on small days is left to word overlap instead.
IDF_FLOOR = 0.0
# The similarity graph is dense: past this many candidates the later sentences go first.
MAX_CANDIDATES = 1500

# -- cleaning ----------------------------------------------------------------------------

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    has have had do does did will would shall should can could may might must it its it's this that
    these those there here he she they we you i his her their our your my me him them us not no
    so than then too very just also into over about after before up out s t 's n't said says say""".split()
)
_WORD = re.compile(r"\w+(?:['’]\w+)?", re.U)
# Labels and stamps a live blog puts before the news: "BREAKING:", "Update:", "10.54am BST".
_LABEL = re.compile(
    r"^(?:[-•*–—▪►]+\s*|(?:breaking(?:\s+news)?|update[d]?|latest|live|just\s+in|developing|watch|analysis)\s*[:|–—-]\s*|"
    r"\d{1,2}[.:]\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4}T)?\s*[:|–—-]?\s+)+",
    re.I,
)
# Sentences about the blog, the reader or other coverage; never a key point.
_HOUSEKEEPING = re.compile(
    r"""^(?:here(?:['’]s|\s+is|\s+are)\s+(?:the|a|an|our|what|where|how|some|more|a\s+look)\b |
      welcome\b | hello\b | hi\b | good\s+(?:morning|afternoon|evening|night)\b | goodbye\b | bye\b |
      (?:we|i)(?:['’](?:ll|re|m|ve)|\s+will|\s+are|\s+am|\s+have)\b | (?:let['’]s|let\s+us)\b |
      that['’]?s\s+(?:it|all)\b | that\s+is\s+all\b | thanks?\b | thank\s+you\b |
      (?:follow|read|watch|listen|see|click|tap|sign\s+up|subscribe|join\s+us|stay\s+with\s+us|keep\s+up)\b |
      (?:you\s+can|to\s+recap|recap|summary|catch\s+up|in\s+case\s+you\s+missed)\b |
      (?:more|latest|further)\s+(?:on|to|details|updates)\s+(?:follow|come|soon|shortly)\b |
      (?:photograph|photo|picture|image|video)\s*: |
      q\s*: | (?:\S+\s+){0,3}asks\s*: | (?:the\s+)?agenda\b | today\s+in\b | coming\s+up\b)""",
    re.I | re.X,
)
_ABOUT_BLOG = re.compile(
    r"\blive\s?blog\b|\blive\s+(?:coverage|updates|page)\b|\bthis\s+blog\b|\bas\s+it\s+happened\b|"
    r"\b(?:email|tweet|text|message|send|contact|join)\s+us\b|\bget\s+in\s+touch\b|\bhashtag\b|"
    r"\bwhat\s+we\s+(?:learned|learnt|know)\b|\byour\s+(?:questions|comments|views|photos)\b",
    re.I,
)


def clean_sentence(text: str) -> str:
    """The sentence without leading labels, stamps and bullets, spaces collapsed."""
    text = " ".join(text.split())
    return _LABEL.sub("", text).strip()


def is_key_point_text(text: str, headline: bool = False) -> bool:
    """False for what no reader wants as a key point: housekeeping, questions, intros to a
    list, captions, fragments and run-ons."""
    words = len(text.split())
    if words < (MIN_HEADLINE_WORDS if headline else MIN_WORDS) or words > MAX_WORDS:
        return False
    if text.rstrip(" \"'”’)").endswith(("?", ":")):
        return False
    if _HOUSEKEEPING.match(text) or _ABOUT_BLOG.search(text) or shapes.is_opener(text):
        return False
    if shapes.CLOSER.search(text) or shapes.has_credit(text):
        return False
    return any(ch.isalpha() for ch in text)


# -- candidates --------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    text: str
    post: int  # index into the day's posts
    place: int  # 0 headline, 1 first sentence, 2 second, ...
    start: int  # character span in Post.text, for quotes, figures and events
    end: int
    terms: list[str]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light English stemmer: enough to match 'sanctions'/'sanction', 'talks'/'talk'."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_THOUSANDS = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_POSSESSIVE = re.compile(r"'s$")


def content_terms(text: str) -> list[str]:
    words = (_POSSESSIVE.sub("", w.replace("’", "'")) for w in _WORD.findall(_THOUSANDS.sub("", text.casefold())))
    # Small numbers ("2", "10") match too much; years and figures ("2022", "5000") help.
    return [_stem(w) for w in words if (w not in _STOP and not w.isdigit()) or (w.isdigit() and len(w) > 2)]


def _post_candidates(post: Post, index: int) -> list[_Candidate]:
    found: list[_Candidate] = []
    text = post.text
    spans = [(0, len(post.headline))] if post.headline else []  # a headline is one sentence
    body_start = len(post.headline) + len(PARAGRAPH_BREAK) if post.headline else 0
    body_spans: list[tuple[int, int]] = []
    at = body_start
    for paragraph in post.body:
        body_spans.extend(split_sentences(text, at, at + len(paragraph)))
        at += len(paragraph) + len(PARAGRAPH_BREAK)
        if len(body_spans) >= LEAD_SENTENCES:
            break
    for place, (start, end) in enumerate(spans + body_spans[:LEAD_SENTENCES], start=0 if post.headline else 1):
        sentence = clean_sentence(text[start:end])
        is_headline = bool(post.headline) and place == 0
        if is_key_point_text(sentence, is_headline):
            terms = content_terms(sentence)
            if terms:
                found.append(_Candidate(sentence, index, place, start, end, terms))
    return found


def _usable(post: Post) -> bool:
    return post.kind == "news" and bool(post.headline.strip() or any(p.strip() for p in post.body))


# -- the similarity graph ----------------------------------------------------------------


def _tfidf(candidates: list[_Candidate]) -> np.ndarray:
    """Rows: L2-normalised TF-IDF vectors over the terms at least two candidates share
    (a term in one candidate adds to its norm, never to a similarity)."""
    df = Counter(t for c in candidates for t in set(c.terms))
    n = len(candidates)
    shared = {t: i for i, t in enumerate(sorted(t for t, k in df.items() if k > 1))}
    matrix = np.zeros((n, max(len(shared), 1)), dtype=np.float64)
    norms = np.zeros(n)
    for row, c in enumerate(candidates):
        for term, tf in Counter(c.terms).items():
            weight = tf * (math.log((n + 1) / (df[term] + 1)) + IDF_FLOOR)
            norms[row] += weight * weight
            if term in shared:
                matrix[row, shared[term]] = weight
    norms = np.sqrt(norms)
    norms[norms == 0] = 1.0
    return matrix / norms[:, None]


def _lexrank(similarity: np.ndarray) -> np.ndarray:
    """Stationary scores of the thresholded similarity graph (PageRank with damping),
    scaled so the mean is 1."""
    n = len(similarity)
    graph = np.where(similarity >= EDGE_THRESHOLD, similarity, 0.0)
    sums = graph.sum(axis=1)
    dangling = sums == 0
    sums[dangling] = 1.0
    transition = graph / sums[:, None]
    transition[dangling] = 1.0 / n
    scores = np.full(n, 1.0 / n)
    for _ in range(200):
        # An element-wise product, not `transition.T @ scores`: a threaded BLAS matvec on a
        # busy two-core machine took 25 ms instead of 0.2 ms (measured under load 8).
        updated = (1 - DAMPING) / n + DAMPING * (transition * scores[:, None]).sum(axis=0)
        converged = np.abs(updated - scores).sum() < 1e-7
        scores = updated
        if converged:
            break
    return scores * n


# -- ranking and selection ---------------------------------------------------------------


def _bonus(post: Post, c: _Candidate) -> float:
    inside = lambda start, end: start < c.end and end > c.start  # noqa: E731
    bonus = 0.0
    if any(q.speaker and inside(q.start, q.end) for q in post.quotes):
        bonus += QUOTE_BONUS
    if any(inside(q.start, q.end) for q in post.quantities if q.value is not None):
        bonus += FIGURE_BONUS
    sentence = post.text[c.start : c.end]
    if any(abs(e.score) >= STRONG_EVENT and e.text and (e.text in sentence or sentence in e.text) for e in post.events):
        bonus += EVENT_BONUS
    return bonus


def _names(post: Post, c: _Candidate) -> set[str]:
    return {(m.name or m.text).casefold() for m in post.entities if m.start < c.end and m.end > c.start}


def _sort_time(post: Post) -> float:
    if post.published is None:
        return math.inf
    when = post.published if post.published.tzinfo else post.published.replace(tzinfo=timezone.utc)
    return when.timestamp()


def _same_thing(a: _Candidate, b: _Candidate, cosine: float, names_a: set[str], names_b: set[str],
                mutual: bool) -> bool:
    """Two candidates report the same thing: close in words, or sharing names, or their
    posts support each other (a paraphrase whose other sentences match)."""
    if cosine >= DUPLICATE_COSINE or mutual:
        return True
    ta, tb = set(a.terms), set(b.terms)
    overlap = len(ta & tb) / min(len(ta), len(tb))
    return overlap >= DUPLICATE_OVERLAP or (len(names_a & names_b) >= 2 and overlap >= SHARED_NAMES_OVERLAP)


def key_points(posts: list[tuple[Post, str]], max_points: int = 5, max_words: int | None = None) -> list[KeyPoint]:
    """The day's key points from (post, outlet) pairs, most important first.

    max_points caps the bullets; max_words caps their total words (the last bullet is cut
    to fit, ending in '…'). Media and housekeeping posts are never used."""
    rows = [(p, o) for p, o in posts if _usable(p)]
    rows.sort(key=lambda row: (_sort_time(row[0]), row[0].id))
    candidates = [c for i, (p, _o) in enumerate(rows) for c in _post_candidates(p, i)]
    if not candidates or max_points <= 0 or (max_words is not None and max_words <= 0):
        return []
    if len(candidates) > MAX_CANDIDATES:
        candidates = sorted(candidates, key=lambda c: (c.place, c.post))[:MAX_CANDIDATES]
        candidates.sort(key=lambda c: (c.post, c.place))
    vectors = _tfidf(candidates)
    similarity = vectors @ vectors.T
    owner = np.array([c.post for c in candidates])
    similarity[owner[:, None] == owner[None, :]] = 0.0  # a post does not vote for itself
    centrality = _lexrank(similarity)

    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # candidates are grouped by post
    near = np.maximum.reduceat(similarity, starts, axis=1) >= SUPPORT_COSINE  # candidate x post
    near[np.arange(len(candidates)), np.searchsorted(starts, np.arange(len(candidates)), side="right") - 1] = True
    post_of_column = owner[starts].tolist()
    supporters = [[post_of_column[k] for k in np.flatnonzero(row)] for row in near]
    outlet_index = {o: k for k, o in enumerate(sorted({o for _p, o in rows}))}
    outlet_of_column = np.zeros((len(starts), len(outlet_index)), dtype=np.int64)
    outlet_of_column[np.arange(len(starts)), [outlet_index[rows[p][1]] for p in post_of_column]] = 1
    outlet_counts = ((near.astype(np.int64) @ outlet_of_column) > 0).sum(axis=1)
    scores = []
    for i, c in enumerate(candidates):
        weight = POSITION_WEIGHT[min(c.place, len(POSITION_WEIGHT) - 1)]
        spread = 1 + OUTLET_BONUS * (int(outlet_counts[i]) - 1)
        scores.append(centrality[i] * weight * spread * (1 + _bonus(rows[c.post][0], c)))
    names = [_names(rows[c.post][0], c) for c in candidates]
    linked = _post_links(similarity, owner, starts)
    chosen, support = _select(candidates, np.array(scores), similarity, supporters, names, linked, max_points, max_words)
    return _points(rows, candidates, chosen, support, [scores[i] for i in chosen], max_words)


def _post_links(similarity: np.ndarray, owner: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """post x post: True where some sentence of one is within LINK_COSINE of one of the
    other's (candidates are grouped by post, in post order; `starts` open the groups)."""
    per_post = np.maximum.reduceat(np.maximum.reduceat(similarity, starts, axis=1), starts, axis=0)
    linked = np.zeros((int(owner.max()) + 1,) * 2, dtype=bool)
    posts = owner[starts]
    linked[np.ix_(posts, posts)] = per_post >= LINK_COSINE
    return linked


def _select(candidates: list[_Candidate], scores: np.ndarray, similarity: np.ndarray, supporters: list[list[int]],
            names: list[set[str]], linked: np.ndarray, max_points: int, max_words: int | None) -> tuple[list[int], dict[int, set[int]]]:
    """Greedy, best first, each score discounted by its closeness to the bullets already
    chosen (maximal marginal relevance); a candidate about the same thing as a chosen
    bullet joins that bullet's support instead. One bullet per post (a post is one
    development: its later sentences elaborate its headline), unless the day has one post."""
    n = len(candidates)
    tie = np.lexsort((np.array([c.place for c in candidates]), np.array([c.post for c in candidates])))
    rank = np.empty(n, dtype=np.int64)
    rank[tie] = np.arange(n)  # a fixed order for equal scores: earlier post, earlier place
    closeness = np.zeros(n)
    chosen: list[int] = []
    support: dict[int, set[int]] = {}
    words = 0
    full = lambda: len(chosen) >= max_points or (max_words is not None and words >= max_words)  # noqa: E731
    single_post = len({c.post for c in candidates}) == 1
    for relaxed in (False, True) if single_post else (False,):
        open_ = np.ones(n, dtype=bool)
        open_[chosen] = False
        while open_.any() and not full():
            adjusted = np.where(open_, np.round(scores * (1 - DIVERSITY * closeness), 9), -np.inf)
            best = np.flatnonzero(adjusted == adjusted.max())
            i = int(best[np.argmin(rank[best])])
            open_[i] = False
            c = candidates[i]
            twin = next((j for j in chosen if _same_thing(
                c, candidates[j], similarity[i, j], names[i], names[j],
                bool(linked[c.post, candidates[j].post]) or c.post in supporters[j])), None)
            if twin is not None:
                support[twin].add(c.post)  # only its own post: support must not chain on
                continue
            if not relaxed and any(candidates[j].post == c.post for j in chosen):
                continue
            chosen.append(i)
            support[i] = set(supporters[i])
            words += len(c.text.split())
            closeness = np.maximum(closeness, similarity[i])
        if full():
            break
    return chosen, support


def _points(rows: list[tuple[Post, str]], candidates: list[_Candidate], chosen: list[int],
            support: dict[int, set[int]], scores: list[float], max_words: int | None) -> list[KeyPoint]:
    points: list[KeyPoint] = []
    budget = max_words
    for i, score in zip(chosen, scores):
        c = candidates[i]
        text = c.text
        if budget is not None:
            words = text.split()
            if budget <= 0:
                break
            if len(words) > budget:
                text = " ".join(words[:budget]) + " …"
            budget -= len(words)
        others = sorted(support[i] - {c.post})  # rows are in time order
        ids = [rows[c.post][0].id] + [rows[p][0].id for p in others]
        outlets = list(dict.fromkeys(rows[p][1] for p in sorted(support[i])))
        points.append(KeyPoint(text, ids, outlets, round(float(score), 4)))
    return points


def brief_markdown(day: date | datetime | str | None, points: list[KeyPoint]) -> str:
    """The day's key points as Markdown: a heading, then one bullet per point with its
    outlets and how many posts carry it."""
    label = day.isoformat()[:10] if isinstance(day, (date, datetime)) else (day or "undated")
    lines = [f"## Key points, {label}", ""]
    if not points:
        lines.append("_No key points for this day._")
    for point in points:
        text = " ".join(point.text.split()).replace("\n", " ")
        posts = len(point.post_ids)
        source = ", ".join(point.outlets) or "unknown outlet"
        lines.append(f"- {text} ({source}; {posts} post{'s' if posts != 1 else ''})")
    return "\n".join(lines) + "\n"
