"""What a sentence announces: the clause around a time expression, whether it names an
event (not speculation, a condition or a continuation), and a short title for it.

Plain rules over the sentence text (no parser): clause cuts at commas, semicolons, dashes
and contrastive conjunctions, with list items kept whole; the words around the time decide
the rest. Used by assemble/calendar.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Clause:
    text: str
    times: list[tuple[int, int]]  # time expressions inside `text`

    @property
    def masked(self) -> str:
        out = list(self.text)
        for a, b in self.times:
            out[a:b] = "§" * (b - a)
        return "".join(out)


_SEPARATOR = re.compile(r",\s+|;\s+|\s+[-–—]\s+|:\s+|\s+(?:but|while|whereas|although|though|because|along with)\s+")
_REPORTED = re.compile(r"^.*?\b(?:said|says|say|announced|aware|confirmed|reported|believes?|added|told \w+)\b[^,;]{0,30}?\bthat\s+", re.I)
_HEADLINE_FUTURE = re.compile(
    r"\b(?:will|to be|expected to|set to|scheduled|due to|plans? to|delayed|postponed|briefing|meeting|vote|summit|talks)\b"
    r"|^(?:(?!not\b)[\w.'’-]+ ){1,3}to [a-z]+", re.I)  # 'Germany to send', 'Mayors to gather'

_PREFIX = re.compile(r"^(?:WATCH|LIVE|VIDEO|BREAKING|UPDATE)\s*:\s*")
_COMPRESS = ((re.compile(r"\b(?:is|are) (?:set|expected|scheduled|due) to\b", re.I), "to"),
             (re.compile(r"\b(?:has|have) said (?:it|they|he|she) will\b", re.I), "will"))
_RELATIVE = re.compile(r"^(?:which|who)\s+", re.I)
_NP_STOP = {"in", "on", "at", "during", "of", "for", "to", "with", "by", "from", "about", "before", "after",
            "ahead", "and", "that", "is", "are", "was", "were", "towards", "toward", "into", "as"}
_HEDGE = re.compile(
    r"\b(?:if|unless|whether|perhaps|possibly|possib\w*|likely|speculat\w*|hopes?|hoped|hoping|fears?|warn\w*|indications?)\b"
    r"|(?<!that )(?<!which )(?<!who )\b(?:could|might|may|would)\b", re.I)
_CONTINUATION = re.compile(r"\b(?:into|through|throughout|until|till|since|from|last|past)\s+(?:the\s+)?$", re.I)
_RESCHEDULED = re.compile(r"\b(?:delay|postpone|put off|push|mov)\w*\b", re.I)
# Words that say something will happen, or name a thing that happens on a date; a bare
# "next week" with none of them is no event.
_EVENT_CUE = re.compile(
    r"\b(?:will|shall|going to|set to|due to|scheduled|expected to|plans? to|planned|to be held|take place|takes place"
    r"|ahead of|upcoming|slated|begin\w*|open(?:s|ing)?|start(?:s|ing)?|arriv\w*|meet\w*|visit\w*|votes?|summit"
    r"|talks|negotiations|conference|briefing|call|ceremony|games|olympics|exercises|drills|election|session|hearing"
    r"|deadline|trip|round)\b|['’]ll\b", re.I)
_TIME_LEAD = re.compile(r"(?:\b(?:on|in|at|by|until|for|over|during|this|next|as soon as|from|within|before)\s+)+$", re.I)
_HELD = re.compile(r"\s*\b(?:(?:is|are|was|were)\s+)?(?:(?:set|scheduled|due|expected|slated|planned)\s+to\s+|will\s+)?(?:be\s+held|take\s+place)\b", re.I)
_ATTRIBUTION = re.compile(r"(?:\s*[:]\s+|\s+[-–—]\s+)(?:[\w.'’]+\s*){1,4}$")
_LONG_CUT = re.compile(r"\s(?:to|regarding|about|after|amid|as|because|with|which|that|in order|following|over)\s", re.I)
_STOPWORDS = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "by", "from", "is", "are", "was",
    "were", "be", "been", "will", "would", "set", "take", "place", "held", "hold", "its", "his", "her", "their", "it",
    "this", "that", "new", "another", "says", "said", "as", "about", "regarding", "into", "over", "has", "have", "s",
}
MAX_TITLE_WORDS = 12


def clause_around(sentence: str, at: int, times: list[tuple[int, int]]) -> Clause | None:
    """The clause of `sentence` holding offset `at`, with list items ("Russia, Ukraine,
    France and Germany are ...") kept whole and a relative clause given its noun."""
    masked = Clause(sentence, times).masked
    cuts = [(m.start(), m.end()) for m in _SEPARATOR.finditer(masked)]
    pieces, begin = [], 0
    for a, b in cuts:
        pieces.append((begin, a))
        begin = b
    pieces.append((begin, len(sentence)))
    glued: list[tuple[int, int]] = []
    carry: int | None = None
    for k, (a, b) in enumerate(pieces):
        start = a if carry is None else carry
        if len(sentence[a:b].split()) <= 3 and k < len(pieces) - 1 and not (a <= at < b):
            carry = start
            continue
        glued.append((start, b))
        carry = None
    target = next((k for k, (a, b) in enumerate(glued) if a <= at < b), None)
    if target is None:
        return None
    a, b = glued[target]
    head = ""
    if _RELATIVE.match(sentence[a:b]) and target > 0:
        before = sentence[glued[target - 1][0]:glued[target - 1][1]].split()
        noun: list[str] = []
        for word in reversed(before):
            if word.lower() in _NP_STOP or len(noun) >= 4:
                break
            noun.insert(0, word)
        head = " ".join(noun) + " "
        a += _RELATIVE.match(sentence[a:b]).end()  # type: ignore[union-attr]
    reported = _REPORTED.match(masked[a:b])
    if reported and reported.end() < at - a + 1:
        a += reported.end()
    shift = a - len(head)
    text = head + sentence[a:b]
    inside = [(x - shift, y - shift) for x, y in times if a <= x and y <= b]
    return Clause(text, inside)


def headline_announces(headline: str) -> bool:
    """'NATO to send ...', 'Meeting will be held Monday': a headline about what is coming."""
    return bool(_HEADLINE_FUTURE.search(headline))


def is_hedged(clause_text: str) -> bool:
    return bool(_HEDGE.search(clause_text))


def is_continuation(sentence: str, at: int) -> bool:
    """'talks into February', 'since December': the time bounds something, it is no date."""
    if not _CONTINUATION.search(sentence[:at]):
        return False
    return not _RESCHEDULED.search(sentence[:at])


def names_an_event(clause_text: str) -> bool:
    return bool(_EVENT_CUE.search(clause_text))


def event_title(clause: Clause, actor: str | None = None) -> str:
    """The clause without its times, attributions and 'will be held'; at most 12 words."""
    text = clause.text
    for a, b in sorted(clause.times, reverse=True):
        lead = _TIME_LEAD.search(text[:a])
        a = lead.start() if lead else a
        tail = re.match(r"['’]s\b|\s*\)", text[b:])
        b = b + tail.end() if tail else b
        text = text[:a] + " " + text[b:]
    text = re.sub(r"\(\s*\)", " ", text)
    text = _HELD.sub(" ", text)
    text = _PREFIX.sub("", text.strip())
    for pattern, short in _COMPRESS:
        text = pattern.sub(short, text)
    text = _ATTRIBUTION.sub("", text.rstrip(" .;:!?\"”’")) if len(text.split()) > 5 else text
    text = re.sub(r"\s+", " ", text).strip(" ,.;:-–—\"“”'‘’")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"^(?:and|but|so|then)\s+", "", text, flags=re.I)
    if actor and re.match(r"(?:will|to|is|are|has|have)\b", text, re.I):
        text = f"{actor} {text}"
    words = text.split()
    if len(words) > MAX_TITLE_WORDS:
        text = " ".join(words[:MAX_TITLE_WORDS])
        cuts = [m.start() for m in _LONG_CUT.finditer(text) if len(text[:m.start()].split()) >= 6]
        text = text[:cuts[-1]] if cuts else text
        text = text.rstrip(" ,;:-–—")
    if len(text.split()) < 2:
        return ""
    return text[0].upper() + text[1:]


def content_words(text: str) -> set[str]:
    """Lower-cased words without stopwords; common words crudely stemmed, names kept."""
    found = set()
    for word in re.findall(r"[^\W\d_][\w'’.-]*", text):
        word = re.sub(r"['’]s?$", "", word).strip(".-")
        low = word.lower()
        if low in _STOPWORDS or len(low) < 2:
            continue
        found.add(low if word[:1].isupper() else _stem(low))
    return found


def _stem(word: str) -> str:
    """Crude: 'beginning', 'begins' -> 'begin'; 'talks' -> 'talk'; 'arrived' -> 'arriv'."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def similarity(a: set[str], b: set[str]) -> float:
    """Overlap coefficient: shared words over the smaller set's size."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))
