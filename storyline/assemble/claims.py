"""Contradicting claims: posts that say opposite things about one development ("Moscow
sending more troops to Belarus, NATO says" / "Russian troops to leave Belarus after military
exercises"), from different outlets or from one outlet over time.

A claim is a sentence read in one of a few frames, each a pair of opposite poles (troops
arriving in a place / leaving it; de-escalating / no sign of it; going to attack / not
going to; advancing / stopped; ready for talks / refusing them; concerns addressed /
ignored). Its subject and place come from the post's entity mentions, folded to the state
they stand for (Moscow, the Kremlin, Putin -> Russia). Two claims conflict when frame,
subject and place agree, they come from different posts at most `WINDOW` apart, and they
take opposite sides: opposite poles at any tense ("sending troops to" / "to leave"), or one
pole asserted and negated at the same tense ("will move troops" and "have not moved troops"
are two times, not a contradiction).

A false alarm costs an editor's trust more than a miss, so a sentence gives no claim when it
is a condition, a demand, a hope or a question ("if Russia invades", "urged Russia to
de-escalate"), when the words sit in a background clause ("as Russia's forces advance"),
when a withdrawal is partial ("half of its troops") or when no subject is found. A post
takes the side of its first claim on a thing (its headline, else its lead); a post whose
first such sentence holds both sides reports the dispute itself and takes neither.
Measured by `python -m bench.seeds_claims` (tests/gold/seeds_claims.json).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from ..enrich.names import CANONICAL, DEMONYMS, fold
from ..enrich.text import PostText
from ..model import Conflict, Mention, Post
from .conflicts import WINDOW, _iso, _when

# The window is the figures' one (conflicts.WINDOW, 14 days): in the seeds, "Russian troops
# to leave Belarus" (Jan 27) answers "Moscow sending more troops to Belarus" (Jan 26), while
# "Russia building up more troops in Belarus" a month later (Feb 25) is the story moving on.
# A subject or place this far before or after its trigger, in characters (about 15 words):
# "Russian Foreign Minister Sergey Lavrov said Russia does not want war" needs 8.
REACH = 100
PLACE_REACH = 60  # "to leave the territory of the Republic of Belarus": the place follows closely
# Longer "sentences" are run-ons or unsplit pages, not one claim (the seeds' longest sentence
# has 366 characters); and at most as many trigger phrases per sentence as events.py reads.
MAX_SENTENCE = 1000
MAX_TRIGGERS_PER_SENTENCE = 12

_W = r"[\w'’\"“”‘-]+\s+"  # one word (quotes and apostrophes inside) and its space
_TROOPS = (r"(?:troops|forces|soldiers|units|personnel|battalions?|brigades?|paratroopers|servicemen|"
           r"combat\s+power|military)")


@dataclass(frozen=True)
class Frame:
    name: str
    yes: str  # the positive side, as a reader sees it: 'arriving'
    no: str  # the negative side: 'leaving'
    about: str  # what the claims are about, after the subject: 'troops in {place}'
    positive: re.Pattern[str]
    negative: re.Pattern[str]
    place: str  # words that lead to the place ('to|in|into'), '' when the frame has none
    needs_place: bool = False  # both sides must name it (troops go somewhere)
    military: bool = False  # the words around the trigger must name troops or forces
    subject_inside: bool = False  # "signs of Russian de-escalation": the subject is in the match


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.I)


# The opposites lexicon. Each pole is a list of phrases over inflected forms (there is no
# lemmatiser); negation written into a phrase ("will not stay") is part of its pole.
FRAMES: tuple[Frame, ...] = (
    Frame(
        "presence", "arriving", "leaving", "troops in {place}",
        _rx(rf"(?:send|sends|sending|sent|deploy(?:s|ed|ing)?|mov(?:e|es|ed|ing)|(?:a)?mass(?:es|ed|ing)?|"
            rf"station(?:s|ed|ing)?|build(?:s|ing)?\s+up|built\s+up|lin(?:e|es|ed|ing)\s+up|bring(?:s|ing)?|brought|"
            rf"pour(?:s|ed|ing)?|flow(?:s|ed|ing)?)\s+(?:{_W}){{0,4}}?{_TROOPS}",
            rf"{_TROOPS}\s+(?:{_W}){{0,3}}?(?:arriv(?:e|es|ed|ing)|(?:are|were|is|was|being|been)\s+(?:being\s+)?deployed|"
            r"(?:will|to)\s+(?:stay|remain)|remain(?:s|ed)?\s+(?:stationed|deployed|amassed)?)",
            rf"(?:accumulation|massing)\s+of\s+(?:{_W}){{0,3}}?{_TROOPS}"),
        _rx(r"leav(?:e|es|ing)|left|withdr(?:aw|aws|awing|ew|awn)|pull(?:s|ed|ing)?\s+(?:[\w'’-]+\s+){0,3}?(?:out|back)|"
            r"depart(?:s|ed|ing)?|(?:will\s+not|won['’]t|would\s+not|not\s+to)\s+(?:stay|remain)|"
            r"return(?:s|ed|ing)?\s+(?:home|to\s+(?:their\s+)?(?:bases|barracks))"),
        place=r"to|in|into|inside|from|out\s+of|towards?|at|near|around|on", needs_place=True, military=True,
    ),
    Frame(
        "de-escalation", "de-escalating", "not de-escalating", "de-escalating",
        _rx(r"(?:willing|ready|prepared|begun|began|started|starting)\s+to\s+de-?escalate|"
            r"(?:is|are|was|were)\s+de-?escalating",
            rf"pull(?:s|ed|ing)?\s+back\s+(?:{_W}){{0,2}}?{_TROOPS}"),
        _rx(rf"no\s+(?:{_W}){{0,2}}?signs?\s+of\s+(?:{_W}){{0,2}}?de-?escalation",
            rf"(?:not|n['’]t|no|never)\s+(?:{_W}){{0,4}}?(?:evidence|indications?|signs?)\s+(?:{_W}){{0,4}}?de-?escalat\w*",
            r"lack\s+of\s+de-?escalation|no\s+de-?escalation|not\s+de-?escalating|no\s+change\s+in\s+the\s+posture"),
        place="", subject_inside=True,
    ),
    Frame(
        "attack", "will attack", "will not attack", "going to attack",
        _rx(r"(?:is|are)\s+going\s+to\s+(?:use\s+(?:military\s+)?force|invade|attack)",
            r"will\s+(?:soon\s+)?(?:use\s+(?:military\s+)?force|invade)",
            r"expected\s+to\s+(?:soon\s+)?(?:use\s+(?:military\s+)?force|invade|attack)",
            r"(?:invasion|attack|offensive|incursion)\s+(?:is|was|remains|could\s+be)\s+(?:still\s+)?[\"“‘']?\s*"
            r"(?:imminent|a\s+(?:[\w-]+\s+)?possibility)",
            r"(?:invasion|attack|offensive)\s+could\s+(?:happen|come|begin|start)",
            r"(?:plans?|planning|readying|preparing)\s+(?:to\s+(?:invade|attack)|(?:for\s+)?an?\s+(?:[\w-]+\s+)?"
            r"(?:invasion|incursion|attack|offensive))"),
        _rx(rf"no\s+(?:plans?|intention|intent)\s+(?:{_W}){{0,3}}?to\s+(?:attack|invade)",
            r"(?:not|n['’]t)\s+(?:planning|going|intending|preparing)\s+to\s+(?:attack|invade)",
            r"(?:won['’]t|will\s+not)\s+(?:be\s+(?:a|any)\s+war|invade|attack)",
            r"do(?:es)?(?:\s+not|n['’]t)\s+want\s+(?:a\s+)?war|wants?\s+to\s+avoid\s+(?:a\s+)?(?:war|conflict)",
            r"(?:invasion|war|attack)\b[^.;]{0,60}?\bwill\s+not\s+happen"),
        place="",
    ),
    Frame(
        "advance", "advancing", "stopped", "forces advancing",
        _rx(r"continu(?:e|es|ed|ing)\s+(?:to\s+)?(?:advance|advancing|press)\w*",
            r"(?:is|are|was|were)\s+(?:(?:currently|also|still|now)\s+){0,2}(?:advancing|pressing\s+(?:deep\s+)?(?:into|towards?|on))",
            r"making\s+(?:[\w-]+\s+)?advances|advanc(?:e|es|ed|ing)\s+(?:closer|deeper|on|towards?|into)",
            r"press(?:es|ed|ing)?\s+(?:ahead|deep(?:er)?\s+into)"),
        _rx(r"(?:stopped|halted|stalled|blocked)\s+from\s+advancing|(?:have|has|had)\s+been\s+(?:largely\s+)?(?:stopped|halted)",
            r"failed\s+to\s+advance|(?:are|is|were|was)\s+(?:not|no\s+longer)\s+advancing"),
        place=r"towards?|on|into|in", military=True,
    ),
    Frame(
        "talks", "ready for talks", "refusing talks", "ready for talks",
        _rx(r"(?:ready|willing|prepared|open)\s+(?:to\s+(?:talk|negotiate|hold\s+talks)|for\s+(?:talks|negotiations))",
            r"discuss(?:ing|es|ed)?\s+(?:a\s+)?(?:place|time|venue)\s+(?:and\s+(?:a\s+)?(?:time|place)\s+)?for\s+talks"),
        _rx(r"(?:gone|went|go(?:es)?)\s+silent\s+on\s+(?:the\s+)?talks",
            r"refus(?:e|es|ed|ing)\s+to\s+(?:negotiate|talk|hold\s+talks)",
            r"rul(?:e|es|ed|ing)\s+out\s+(?:any\s+)?(?:direct\s+)?talks",
            r"(?:will\s+not|won['’]t)\s+(?:hold|have)\s+(?:any\s+)?(?:direct\s+)?talks"),
        place=r"with",
    ),
    Frame(
        "concerns", "concerns addressed", "concerns ignored", "its concerns addressed",
        _rx(r"address(?:ed|es)?\s+(?:the\s+|its\s+|their\s+)?(?:[\w-]+\s+)?concerns"),
        _rx(rf"ignor(?:e|es|ed|ing)\s+(?:{_W}){{0,3}}?concerns",
            rf"(?:fail(?:s|ed)?\s+to|did\s+not|does\s+not|doesn['’]t|didn['’]t)\s+(?:adequately\s+)?address\s+(?:{_W}){{0,3}}?concerns?",
            rf"not\s+(?:been\s+)?taken\s+into\s+account|(?:not|n['’]t)\s+(?:{_W}){{0,3}}?take\s+(?:{_W}){{0,3}}?into\s+account"),
        place="", subject_inside=True,
    ),
)

# A capital or a seat of government stands for its state when it acts ("Moscow sending
# troops", "the Kremlin says"), as in event-data coding; so do the plural demonyms.
_SEATS = {
    "moscow": "Russia", "kremlin": "Russia", "russians": "Russia", "russian federation": "Russia",
    "kyiv": "Ukraine", "kiev": "Ukraine", "ukrainians": "Ukraine",
    "washington": "United States", "white house": "United States", "pentagon": "United States",
    "us state department": "United States", "state department": "United States", "americans": "United States",
    "minsk": "Belarus", "republic of belarus": "Belarus", "beijing": "China", "london": "United Kingdom",
    "berlin": "Germany", "paris": "France", "warsaw": "Poland",
}
_ACTORS = frozenset({"GPE", "NORP", "ORG", "PERSON"})
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_PREPOSITION = re.compile(r"\b(?:to|in|into|from|of|on|with|at|for|by|about|over|against|towards?|near|between|told)\s+(?:the\s+)?$", re.I)
# Between an owner and its troops only modifiers stand: "Russian", "Valmora's armoured", "the Russian Federation's Armed".
_MODIFIERS = r"(?:['’]s?)?\s+(?:[\w-]+\s+){0,2}"
# Who speaks or perceives is the claimant, not the subject: "The U.S. is monitoring the accumulation".
_CLAIMANT = re.compile(r"^\s*(?:['’]s\s+)?(?:[\w-]+\s+){0,2}?(?:says?|said|told|tells|claims?|claimed|believes?|sees?|saw|seen|"
                       r"monitor\w*|watch\w*|estimates?|warn\w*|predicts?|accus\w*|reports?|reported|insists?|"
                       r"is|are|was|were|has|have)\b", re.I)
# "Russia says it is pulling back", "denied claims that it is planning": the speaker is the subject.
_SELF = re.compile(r"\b(?:it|they|he|she)\s+(?:[\w'’-]+\s+){0,3}$", re.I)
_SPEECH = re.compile(r"\b(?:says?|said|told|tells|claims?|claimed|added|admitted|tweeted|according\s+to|predicts?|warned|insists?)\b", re.I)
# A clause ends at these; the claim is read inside its clause.
_CLAUSE = re.compile(r";|\s[-–—]\s|,\s+(?:but|while|which|who|although|though)\b|\bbut\s+that\b|:\s")
# Words before a trigger, in its clause, that make it no assertion.
_HEDGE = re.compile(
    r"\b(?:if|unless|whether|should|would|could|might|must|need(?:s|ed)?\s+to|urg\w*|call(?:s|ed|ing)?\s+(?:on|for)|"
    r"ask\w*|demand\w*|encourag\w*|hop(?:e|es|ed|ing)|want(?:s|ed)?\s+(?:[\w-]+\s+){0,2}to|wish\w*|try\w*\s+to|"
    r"seek\w*|ways\s+to|in\s+order\s+to|unwise|only|once|whenever|until|fears?|feared)\b|(?-i:\bmay\b)|\?", re.I)
# A subordinate clause of background ("as Russia's forces advance on Kyiv"), not the news.
_BACKGROUND = re.compile(
    r"\b(?:as|amid|while|when|after|before|since|despite|following|because)\s+"
    r"(?!well\b|many\b|much\b|soon\b|long\b|part\b|a\s+result\b|of\b|to\b|for\b|far\b)", re.I)
_NEGATION = re.compile(r"\b(?:not|never|no\s+longer)\b|n['’]t\b", re.I)
# "refuting claims that Kyiv refused to negotiate": the post asserts the opposite.
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|refut\w+)\b|\b(?:reject\w*|dismiss\w*)\s+(?:the\s+|any\s+)?"
                     r"(?:claims?|reports?|suggestions?|allegations?)\b", re.I)
# "..., but Moscow denies it": the sentence reports both sides.
_REBUTTED = re.compile(r"\b(?:but|while|although|which)\s+[^.;]{0,40}?\b(?:den(?:y|ies|ied)|rejects?|rejected|dismiss\w*)\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|going\s+to|to|expected\s+to|set\s+to|plans?\s+to|would)\s+(?:be\s+)?(?:[\w-]+\s+)?$|['’]ll\s+$", re.I)
# A withdrawal of some of the troops is a reduction, not a departure.
_PARTIAL = re.compile(r"\b(?:half|part|some|a\s+(?:third|quarter|portion|number))\s+(?:of\s+)?(?:its|their|the|his|her)?\b", re.I)
_ROLE_AFTER = re.compile(r"\s+(?:[a-z-]+\s+){0,2}?(?:official|source|diplomat|spokes\w+|minister|ministry|president|"
                         r"leader|chief|envoy|ambassador|intelligence|government|military)s?\b")
_GENERIC = re.compile(r"^(?:the\s+)?(?:armed\s+forces|military|army|forces|troops|GMT|UTC)$", re.I)
_OWN_COUNTRY = re.compile(r"\s*(?:his|her|its|their|the)\s+(?:country|territory)\b", re.I)


@dataclass(frozen=True)
class Claim:
    frame: Frame
    subject: str  # the state or actor the claim is about: 'Russia'
    place: str  # '' when the frame has none or the sentence names none
    pole: bool  # which pole's words matched
    negated: bool  # "have not moved troops", "refuting claims that ..."
    future: bool
    post: Post
    outlet: str
    sentence: str
    said_by: str
    offset: int  # where the sentence starts in the post: the headline's claims come first

    @property
    def side(self) -> bool:
        return self.pole != self.negated


def claim_conflicts(rows: list[tuple[Post, str]], *, window: timedelta = WINDOW) -> list[Conflict]:
    """Contradicting claims in the posts (post, outlet), most posts first."""
    names = Names(rows)
    stances: dict[tuple[str, str], list[Claim]] = {}
    for post, outlet in rows:
        if post.kind == "housekeeping" or _when(post) is None:
            continue
        for claim in post_stances(find_claims(post, outlet or "", names)):
            stances.setdefault((claim.frame.name, claim.subject), []).append(claim)
    conflicts = [_conflict(group) for claims in stances.values() for group in _disputes(claims, window)]
    conflicts.sort(key=lambda c: (-len(c.claims), c.about, c.id))
    return conflicts


def may_claim_text(text: str) -> bool:
    """Whether any frame's phrase occurs in a post's text (Post.text) at all: a test
    before the post itself, with its enrichment, is read for claim_conflicts."""
    return any(pattern.search(text) for frame in FRAMES for pattern in (frame.positive, frame.negative))


def find_claims(post: Post, outlet: str, names: "Names") -> list[Claim]:
    """Every claim of one post, in text order; where a negative and a positive phrase of a
    frame overlap ("not seen any indication Putin is willing to de-escalate"), the negative."""
    text = post.text
    entities = sorted(post.entities, key=lambda m: m.start)
    starts = [m.start for m in entities]
    found: list[Claim] = []
    for start, end in PostText.build(post.headline, post.body).sentences:
        if end - start > MAX_SENTENCE:
            continue
        mentions = [m for m in entities[bisect_left(starts, start):bisect_left(starts, end)]
                    if m.end <= end and not _aside(text, m, (start, end))]
        taken: list[tuple[Frame, int, int]] = []
        for frame in FRAMES:
            for pole, pattern in ((False, frame.negative), (True, frame.positive)):
                for match in pattern.finditer(text, start, end):
                    if len(taken) >= MAX_TRIGGERS_PER_SENTENCE:
                        break
                    if any(f is frame and a < match.end() and match.start() < b for f, a, b in taken):
                        continue
                    taken.append((frame, match.start(), match.end()))
                    found.extend(_read(post, outlet, names, frame, pole, match, (start, end), mentions))
    found.sort(key=lambda c: c.offset)
    return found


def post_stances(claims: list[Claim]) -> list[Claim]:
    """A post's side on each thing: its first claim about it, unless that sentence holds
    both sides. Where the frame's place is optional, the first place the post names."""
    first: dict[tuple, list[Claim]] = {}
    for claim in claims:
        key = (claim.frame.name, claim.subject, claim.place if claim.frame.needs_place else "")
        if key not in first or first[key][0].offset == claim.offset:
            first.setdefault(key, []).append(claim)
    out = []
    for group in first.values():
        if len({c.side for c in group}) == 1:
            place = next((c.place for c in group if c.place), "")
            out.append(replace(group[0], place=place))
    return out


# -- reading one claim --------------------------------------------------------------------------

def _read(post: Post, outlet: str, names: "Names", frame: Frame, pole: bool, match: re.Match[str],
          sentence: tuple[int, int], mentions: list[Mention]) -> list[Claim]:
    """The claims one matched phrase makes: one per subject ('Ukraine and Russia are discussing')."""
    text = post.text
    begin, end = _clause(text, match.start(), sentence)
    before = text[begin:match.start()]
    if _hedged(before) or _BACKGROUND.search(before):
        return []
    if frame.military and not re.search(_TROOPS, text[max(begin, match.start() - REACH):min(end, match.end() + 40)], re.I):
        return []
    if frame.name == "presence" and not pole and _PARTIAL.search(text[match.start():min(end, match.end() + 30)]):
        return []
    if _another_time(post, begin, end):
        return []
    subjects = _subjects(text, frame, match, mentions, names, sentence[0])
    between = text[max(begin, match.start() - REACH):match.start()]
    negated = bool(_DENIAL.search(before)) or bool(_NEGATION.search(_after_subject(between)))
    future = bool(_FUTURE.search(between)) or bool(re.match(r"to\s", match.group(0)))
    said_by = _said_by(post, match.start(), sentence, mentions) if subjects else ""
    claims = []
    for subject in subjects:
        place = _place(text, frame, match, mentions, names, subject)
        if frame.needs_place and not place:
            continue
        claim = Claim(frame, subject, place, pole, negated, future, post, outlet,
                      text[sentence[0]:sentence[1]].strip(), said_by, sentence[0])
        claims.append(claim)
        if _REBUTTED.search(text, match.end(), sentence[1]):
            claims.append(replace(claim, negated=not negated))
    return claims


def _another_time(post: Post, begin: int, end: int) -> bool:
    """The clause dates what it says to long before the post ("left Belarus in 2021")."""
    now = _when(post)
    for t in post.times:
        if begin <= t.offset < end and t.end is not None and now is not None:
            until = t.end.astimezone(timezone.utc).replace(tzinfo=None) if t.end.tzinfo else t.end
            if until < now - WINDOW:
                return True
    return False


def _hedged(before: str) -> bool:
    """A condition, demand or hope before the trigger; 'would' after a speech verb is the
    future of reported speech ("said that Russian forces would be leaving"), not a hedge."""
    found = _HEDGE.search(before)
    if found and found.group(0).lower() == "would" and _SPEECH.search(before[:found.start()]):
        return bool(_HEDGE.search(before[found.end():]))
    return bool(found)


def _aside(text: str, m: Mention, sentence: tuple[int, int]) -> bool:
    """A mention inside parentheses ('(02:00 GMT)') or a bare military noun ('Armed Forces')."""
    opened = text.rfind("(", sentence[0], m.start)
    return (opened >= 0 and text.find(")", opened, m.start) < 0) or bool(_GENERIC.match(m.name or m.text))


def _clause(text: str, at: int, sentence: tuple[int, int]) -> tuple[int, int]:
    """The clause around offset `at`: cut at semicolons, dashes, ', but', ': '."""
    begin, end = sentence
    for cut in _CLAUSE.finditer(text, sentence[0], sentence[1]):
        if cut.end() <= at:
            begin = cut.end()
        elif cut.start() >= at:
            end = cut.start()
            break
    return begin, end


def _subjects(text: str, frame: Frame, match: re.Match[str], mentions: list[Mention], names: "Names", floor: int) -> list[str]:
    """Who the claim is about: inside the match or right after it ('lack of de-escalation
    from Putin') for frames that allow it, else the nearest actor before it that is neither
    the object of a preposition nor the one who speaks or sees, with the actors joined to
    it by 'and'."""
    if frame.subject_inside:
        for m in mentions:
            if match.start() <= m.start and m.end <= match.end() + 30 and m.type in _ACTORS:
                gap = text[match.end():m.start] if m.start >= match.end() else ""
                if m.end <= match.end() or re.fullmatch(r"\s+(?:(?:of|from|by)\s+)?(?:the\s+)?(?:[A-Z][\w.-]*\s+){0,2}", gap):
                    return [names.actor(m)]
    before = [m for m in mentions if m.end <= match.start() and m.type in _ACTORS and match.start() - m.end <= REACH]
    troops = _troops_before(text, frame, match, floor)
    if troops is not None:  # "Russian troops to leave", "armoured units that arrived": whose troops
        owner = [m for m in before if m.end <= troops and re.fullmatch(_MODIFIERS, text[m.end:troops])]
        return [names.actor(owner[-1])] if owner else []
    for k in range(len(before) - 1, -1, -1):
        m = before[k]
        if _PREPOSITION.search(text[max(floor, m.start - 12):m.start]):
            continue
        gap = text[m.end:match.start()]
        if _CLAIMANT.match(gap) and not _names_subject(gap) and not _SELF.search(gap):
            continue
        found = [names.actor(m)]
        while k > 0 and re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[before[k - 1].end:before[k].start]):
            k -= 1
            found.insert(0, names.actor(before[k]))
        return list(dict.fromkeys(found))
    return []


def _troops_before(text: str, frame: Frame, match: re.Match[str], floor: int) -> int | None:
    """Where the troops noun that is the trigger's subject starts, when it comes first."""
    if not frame.military:
        return None
    lead = re.match(_TROOPS, match.group(0), re.I)
    if lead:
        return match.start()
    nouns = list(re.finditer(rf"(?<![\w-]){_TROOPS}(?![\w-])", text[floor:match.start()], re.I))
    if nouns and re.fullmatch(r"\s+(?:[\w'’-]+\s+){0,3}", text[floor + nouns[-1].end():match.start()]):
        return floor + nouns[-1].start()
    return None


def _names_subject(gap: str) -> bool:
    """'Russia is not going to invade' / 'Russian forces are advancing': the words after the
    name are the subject's own verb phrase, up to the trigger."""
    return not _SPEECH.search(gap) and not re.search(r"\b(?:monitor|watch|see|saw|seen|estimat|warn|predict|accus|report)", gap, re.I)


def _after_subject(between: str) -> str:
    """The words between the subject and the trigger: the auxiliaries that negate it."""
    return re.split(r"\b(?:that|said|says)\b", between)[-1]


def _place(text: str, frame: Frame, match: re.Match[str], mentions: list[Mention], names: "Names", subject: str) -> str:
    """Where: the first place after the trigger, led by one of the frame's prepositions
    ("to Belarus", "leave the territory of the Republic of Belarus"), or the object itself."""
    if not frame.place:
        return ""
    lead = re.compile(rf"^\s*(?:(?:[\w'’-]+\s+){{0,3}}?(?:{frame.place})\s+)?(?:the\s+)?(?:territory\s+of\s+)?(?:the\s+)?$", re.I)
    for m in mentions:
        if m.start < match.end() or m.start - match.end() > PLACE_REACH:
            continue
        if (m.type in _PLACES or names.actor(m) != (m.name or m.text)) and lead.match(text[match.end():m.start]):
            place = names.actor(m)
            if place != subject:
                return place
    if _OWN_COUNTRY.match(text, match.end()):  # "would be leaving his country"
        for m in mentions:
            if m.type in _PLACES and names.actor(m) != subject:
                return names.actor(m)
    return ""


def _said_by(post: Post, at: int, sentence: tuple[int, int], mentions: list[Mention]) -> str:
    """Who makes the claim: the speaker of the quote holding it, else the one the sentence
    names before a speech verb ("NATO says"), or after it (", said Jen Psaki"), or a
    headline's closing attribution ("...: US defence official"); '' in the outlet's voice."""
    for quote in post.quotes:
        if quote.start <= at < quote.end and quote.speaker:
            return quote.speaker
    text = post.text
    actors = [m for m in mentions if m.type in _ACTORS]
    for verb in _SPEECH.finditer(text, sentence[0], sentence[1]):
        before = [m for m in actors if 0 <= verb.start() - m.end <= 40]
        inverted = re.search(r"[,\"”’]\s*$", text[max(sentence[0], verb.start() - 3):verb.start()])
        after = [m for m in actors if 0 <= m.start - verb.end() <= 25] if inverted else []
        if before or after:
            return _as_written(text, before[-1] if before else after[0])
    tail = re.search(r"[:\-–—]\s+((?:[\w.'’-]+\s+){0,4}[\w.'’-]+)\s*$", text[sentence[0]:sentence[1]])
    return tail.group(1) if tail and sentence[0] == 0 else ""


def _as_written(text: str, m: Mention) -> str:
    """A name, with the role that follows a demonym ('French' -> 'French official')."""
    if m.type == "NORP":
        role = _ROLE_AFTER.match(text, m.end)
        if role:
            return m.text + role.group(0)
    return m.name or m.text


# -- names --------------------------------------------------------------------------------------

class Names:
    """Folds a mention to the actor it stands for: seats and demonyms to their state, a
    person to the state their titles name across the posts ('Russian President Vladimir
    Putin' -> Russia), anything else to its canonical name."""

    _BEFORE = 40  # "Russian Foreign Minister Sergey Lavrov": the title's demonym sits within 40 characters

    def __init__(self, rows: list[tuple[Post, str]]) -> None:
        votes: dict[str, Counter] = {}
        for post, _ in rows:
            text = post.text
            for m in post.entities:
                if m.type != "PERSON" or not m.name:
                    continue
                context = f"{m.role or ''} {text[max(0, m.start - self._BEFORE):m.start]}"
                for word in re.findall(r"[A-Z][\w.]*(?:['’]s)?", context):
                    state = _state(word)
                    if state:
                        votes.setdefault(m.name, Counter())[state] += 1
        self.person_state = {name: counts.most_common(1)[0][0] for name, counts in votes.items()}

    def actor(self, m: Mention) -> str:
        name = m.name or m.text
        folded = fold(name)
        if folded in _SEATS:
            return _SEATS[folded]
        if m.type == "PERSON" and name in self.person_state:
            return self.person_state[name]
        first = folded.split(" ")[0] if folded else ""
        if m.type == "NORP" and first in DEMONYMS:
            return DEMONYMS[first]
        return CANONICAL.get(folded, name)


def _state(word: str) -> str:
    bare = re.sub(r"['’]s$", "", word).rstrip(".")
    folded = fold(bare)
    if folded in _SEATS:
        return _SEATS[folded]
    if word.lower().rstrip(".") in DEMONYMS:
        return DEMONYMS[word.lower().rstrip(".")]
    canon = CANONICAL.get(folded)
    return canon if canon and canon not in {"NATO", "United Nations", "European Union", "OSCE"} else ""


# -- pairing -------------------------------------------------------------------------------------

def _compatible(a: tuple[bool, bool, bool, str], b: tuple[bool, bool, bool, str], frame: Frame) -> bool:
    """Can claims of these (side, pole, future, place) classes contradict each other?"""
    (side_a, pole_a, future_a, place_a), (side_b, pole_b, future_b, place_b) = a, b
    if side_a == side_b or (pole_a == pole_b and future_a != future_b):
        return False  # "will move troops" / "have not moved troops": two times
    return place_a == place_b or (not frame.needs_place and not (place_a and place_b))


def _disputes(claims: list[Claim], window: timedelta) -> list[list[Claim]]:
    """Groups of claims linked by contradictions (connected components), in n log n: claims
    fall into classes of one side, pole, tense and place, and a claim links to every claim of
    a compatible class within the window, a run that is contiguous in time order."""
    when = [_when(c.post) or datetime.min for c in claims]
    parent = list(range(len(claims)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def link(i: int, j: int) -> None:
        parent[root(i)] = root(j)
        linked.update((i, j))

    linked: set[int] = set()
    classes: dict[tuple[bool, bool, bool, str], list[int]] = {}
    for i, c in enumerate(claims):
        classes.setdefault((c.side, c.pole, c.future, c.place), []).append(i)
    for members in classes.values():
        members.sort(key=lambda i: when[i])
    for ka, yes in classes.items():
        for kb, no in classes.items():
            if not ka[0] or not _compatible(ka, kb, claims[0].frame):
                continue
            times = [when[j] for j in no]
            covered = [0] * (len(no) + 1)  # +1 where a run of `no` starts, -1 where it ends
            for i in yes:
                lo, hi = bisect_left(times, when[i] - window), bisect_right(times, when[i] + window) - 1
                if lo <= hi:
                    link(i, no[lo])
                    covered[lo] += 1
                    covered[hi] -= 1
            running = 0
            for j in range(len(no) - 1):
                running += covered[j]
                if running > 0:
                    link(no[j], no[j + 1])
    groups: dict[int, list[Claim]] = {}
    for i in sorted(linked):
        groups.setdefault(root(i), []).append(claims[i])
    return [sorted(g, key=lambda c: (_when(c.post) or datetime.min, c.post.id)) for g in groups.values()]


def _conflict(group: list[Claim]) -> Conflict:
    frame, subject = group[0].frame, group[0].subject
    place = group[0].place if frame.needs_place else ""
    about = f"{subject}: {frame.about.format(place=place)}"
    first_day = (_when(group[0].post) or datetime.min).date().isoformat()
    digest = hashlib.sha1(f"{frame.name}\x1f{subject}\x1f{place}\x1f{first_day}".encode()).hexdigest()[:16]
    return Conflict(id=f"cl-{digest}", about=about, claims=[_public(c) for c in group])


def _public(claim: Claim) -> dict[str, Any]:
    return {
        "side": claim.frame.yes if claim.side else claim.frame.no,
        "outlet": claim.outlet, "post_id": claim.post.id, "published": _iso(claim.post),
        "said_by": claim.said_by, "sentence": claim.sentence[:300],
    }
