"""Who said a quote: the cue ("said", "told reporters", "according to"), the speaker phrase
as written next to it, and that phrase resolved within the post (a surname to the fullest
name, "he" to the person last named as speaking, a title to the name the post gives it).

Regex and token rules over small windows around each quote, on NER entities only: no
parser, so the noun phrase is found by walking words away from the cue until punctuation,
a clause word or a determiner.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from .text import EntitySpan, PostText

SPEAKER_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


def _forms(base: str) -> list[str]:
    """Third person, past and -ing forms of a regular reporting verb."""
    if base.endswith("y") and base[-2] not in "aeiou":
        return [base, base[:-1] + "ies", base[:-1] + "ied", base + "ing"]
    if base.endswith("e"):
        return [base, base + "s", base + "d", base[:-1] + "ing"]
    if base in _DOUBLING:
        return [base, base + "s", base + base[-1] + "ed", base + base[-1] + "ing"]
    if base.endswith(("s", "sh", "ch", "x")):
        return [base, base + "es", base + "ed", base + "ing"]
    return [base, base + "s", base + "ed", base + "ing"]


_DOUBLING = {"admit", "quip", "regret"}
# Verbs that report speech in any form; nouns-as-well ("note", "post", "comment") only
# count in the past tense, so "the post" or "a note" never reads as a cue.
_REPORTING = (
    "add warn insist explain argue claim continue reply respond announce stress urge acknowledge "
    "admit recall suggest conclude caution complain concede predict vow affirm reiterate confirm "
    "deny ask assert allege boast contend describe proclaim retort wonder lament agree pledge "
    "maintain underline underscore emphasise emphasize declare tweet quip regret accuse repeat"
).split()
_PAST_ONLY = "demand note post comment mention remark observe state answer counter reveal stat shout yell testify".split()
_IRREGULAR = "say says said saying tell tells told telling write writes wrote writing written reads".split()
CUE_WORDS = frozenset(
    [f for b in _REPORTING for f in _forms(b)] + [_forms(b)[2] for b in _PAST_ONLY] + _IRREGULAR
)
# Verbs whose subject may follow them ('," said Peskov'); "told"/"tells" never invert:
# "told Macron" names who was told.
_NO_INVERSION = frozenset({"tell", "tells", "told", "telling", "saying", "adding", "writing", "written"})
_CUE = re.compile(
    r"\b(?:[Aa]ccording to|pointed out|went on|"
    + "|".join(sorted(CUE_WORDS, key=len, reverse=True))
    + r")\b"
)
# What a cue may carry along: "told reporters", "said in a statement", "wrote on Twitter".
_CUE_TAIL = re.compile(
    r"\s+(?:(?:reporters|journalists|the press|the media|(?:the |a )?[A-Z][\w.]*(?: [A-Z][\w.]*){0,2}"
    r"|(?:Russian |state |local )?(?:television|TV|radio(?: stations?)?))\b"
    r"|in an? (?:joint |written |televised |separate )?(?:statement|interview|tweet|post|briefing|speech|video|address)"
    r"|on (?:Twitter|Telegram|Facebook|Instagram|X)\b|via Twitter)"
)
TWEET_CUE = re.compile(r"\btweet|\bTwitter\b|\bon X\b")

PRONOUNS = {"he": "PERSON", "she": "PERSON", "they": "ORG", "it": "ORG", "i": "PERSON", "we": "ORG"}
_DETERMINERS = frozenset({"the", "a", "an", "this", "one", "another", "its", "his", "her", "their"})
# Words that end a speaker phrase when walking away from the cue.
_STOP = frozenset(
    "that which who whom whose and but or while when as because if though although after before since "
    "during in on at to from with by into than then also later earlier meanwhile however today yesterday "
    "tonight now still already again just once previously reportedly recently separately further "
    "has have had was were is are be been would will could should may might can did does do not never "
    "monday tuesday wednesday thursday friday saturday sunday morning evening night week".split()
) | CUE_WORDS
# Auxiliaries and adverbs allowed between a speaker and the cue ("Peskov has also said").
_BETWEEN = frozenset(
    "has have had was were is are would will also later then earlier previously reportedly again "
    "further once separately recently had already just repeatedly publicly".split()
)
# The head nouns of role phrases: "the Kremlin spokesman", "a senior official".
TITLE_WORDS = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official officials minister president secretary "
    "diplomat envoy ambassador chancellor leader chief general commander aide adviser advisor analyst "
    "expert senator governor mayor premier king queen prince director head chair chairman chairwoman "
    "representative lawmaker congressman congresswoman source sources colonel admiral lieutenant "
    "negotiator counterpart statement report officer agency sheriff judge prosecutor candidate nominee "
    "campaign manager member members people residents witness resident".split()
)
# Institutions that speak without NER catching them ("the defence ministry", "Nato").
INSTITUTION_WORDS = frozenset(
    "kremlin pentagon ministry department government embassy army military police nato un eu agency "
    "office council committee parliament administration commission alliance court company firm "
    "white house".split()
)
_WORD = re.compile(r"[\w][\w'’.\-&]*|[,;:()\[\]\"“”‘’«»—–]")
MAX_SPEAKER_WORDS = 10  # the longest role+name phrase seen in the PolNeAR dev sources was 9 words


@dataclass(slots=True)
class Attribution:
    cue: str
    cue_start: int
    cue_end: int
    speaker: str  # as written
    start: int
    end: int


def is_cue_word(word: str) -> bool:
    return word in CUE_WORDS


def find_cue(text: str, start: int, end: int, last: bool = False) -> re.Match | None:
    """The first (or last) cue in text[start:end]."""
    found = None
    for match in _CUE.finditer(text, start, end):
        if not last:
            return match
        found = match
    return found


def cue_text(text: str, match: re.Match, limit: int) -> tuple[str, int]:
    """The cue with what it carries ('told reporters', 'said in a statement') and its end."""
    end = match.end()
    tail = _CUE_TAIL.match(text, end, limit)
    if tail and (match.group().startswith("t") or "statement" in tail.group() or " on " in tail.group() or tail.group().startswith((" in", " on", " via"))):
        end = tail.end()
    return text[match.start() : end], end


def _words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def phrase_before(text: str, start: int, cue_start: int) -> tuple[int, int] | None:
    """The noun phrase ending just before a cue ('the Kremlin spokesman' in '... said'),
    skipping auxiliaries and adverbs between them."""
    words = _words(text, max(start, cue_start - 160), cue_start)
    i = len(words) - 1
    while i >= 0 and (words[i][2].lower() in _BETWEEN or words[i][2].endswith("ly") and words[i][2].islower()):
        i -= 1
    end_i = i
    begin = None
    taken = 0
    while i >= 0 and taken < MAX_SPEAKER_WORDS:
        w = words[i][2]
        low = w.lower()
        if not (w[0].isalnum()):
            break
        if low in _STOP:
            # "Lee and Jayapal": 'and' between two capitalised names stays in the phrase.
            if low == "and" and begin is not None and i > 0 and words[i - 1][2][:1].isupper() and words[begin][2][:1].isupper():
                i -= 1
                taken += 1
                continue
            break
        begin = i
        taken += 1
        if low in _DETERMINERS:
            break
        i -= 1
    if begin is None or end_i < begin:
        return None
    return words[begin][0], words[end_i][1]


def phrase_after(text: str, cue_end: int, end: int) -> tuple[int, int] | None:
    """The noun phrase right after an inverted cue ('said Peskov', 'said the ministry')."""
    words = _words(text, cue_end, min(end, cue_end + 160))
    if not words:
        return None
    first = words[0][2]
    if not (first[:1].isupper() or first.lower() in _DETERMINERS or first.lower() in PRONOUNS):
        return None
    last = None
    for i, (s, e, w) in enumerate(words[:MAX_SPEAKER_WORDS]):
        if not w[0].isalnum() or (i and w.lower() in _STOP and w.lower() not in ("and",)):
            break
        last = e
    return (words[0][0], last) if last else None


def attribution_before(text: str, start: int, end: int) -> Attribution | None:
    """'Peskov said:' / 'the ministry said in a statement,' / 'According to Peskov,' ending
    text[start:end] (the words before an opening quote mark)."""
    cue = find_cue(text, start, end, last=True)
    if cue is None:
        return None
    said, cue_end = cue_text(text, cue, end)
    if cue.group().lower() == "according to":
        span = phrase_after(text, cue.end(), end)
    else:
        span = phrase_before(text, start, cue.start())
        if span is None and cue.group() not in _NO_INVERSION:
            span = phrase_after(text, cue.end(), end)
            if span:
                said = cue.group()
                cue_end = cue.end()
    if span is None:
        return None
    return Attribution(said, cue.start(), cue_end, text[span[0] : span[1]], span[0], span[1])


# '" ― Ana Ruiz' (a name after a dash closes a vox-pop quote); the name runs to the line end.
_DASH_NAME = re.compile(r"[\s,.]*([―—–]|--)\s*([A-Z][\w.'’-]*(?:[ \xa0][A-Z][\w.'’-]*){0,4})\.?\s*(?=$|\n|[“\"]|\s+[“\"])")
# The longest speaker phrase between a quote and its cue seen in the PolNeAR dev articles
# (a name with two appositives) was 18 words.
MAX_AFTER_WORDS = 20
_LEAD = re.compile(r"[\s,.!?…:;—–\-'\"”’]*")
_SENTENCE_STOP = re.compile(r"[.!?](?=\s+[\"“‘'A-Z]|\s*$)|[\"“‘«]|\n")


def attribution_after(text: str, start: int, end: int) -> Attribution | None:
    """'," said Peskov' / '," Peskov told reporters' / '," Scott Lee, the state's attorney
    general, said' / '" ― Ana Ruiz' right after a closing mark."""
    if start >= end:  # a quote closing its paragraph or headline: nothing after it
        return None
    at = _LEAD.match(text, start, end).end()
    dash = _DASH_NAME.match(text, start, end)
    if dash:
        return Attribution(dash.group(1), dash.start(1), dash.end(1), dash.group(2), dash.start(2), dash.end(2))
    limit = sentence_stop(text, at, end)
    cue = find_cue(text, at, limit)
    if cue is None:
        return None
    said, cue_end = cue_text(text, cue, limit)
    words = _words(text, at, cue.start())
    if not words:
        if cue.group() in _NO_INVERSION:
            return None
        span = phrase_after(text, cue.end(), limit)
        if span is None:
            return None
        if not cue.group().lower().startswith("according"):
            said, cue_end = cue.group(), cue.end()
        return Attribution(said, cue.start(), cue_end, text[span[0] : span[1]], span[0], span[1])
    # Everything between the quote and the cue is the speaker (appositives and all),
    # less the auxiliaries and adverbs next to the cue.
    while words and (words[-1][2].lower() in _BETWEEN or words[-1][2].endswith("ly") and words[-1][2].islower()):
        words.pop()
    first = words[0][2] if words else ""
    if (
        not words
        or len(words) > MAX_AFTER_WORDS
        or not (first[:1].isupper() or first.lower() in _DETERMINERS or first.lower() in PRONOUNS)
        or any(w in "\"“”‘’«»" for *_x, w in words)
        or any(w.lower() in ("that", "which", "because", "if", "when") for *_x, w in words[:1])
    ):
        return None
    span_start, span_end = words[0][0], words[-1][1]
    return Attribution(said, cue.start(), cue_end, text[span_start:span_end], span_start, span_end)


def sentence_stop(text: str, start: int, end: int) -> int:
    """Where the sentence running from `start` ends (before `end`): the first full stop
    that is not an abbreviation or initial ("Mr.", "Sen.", "Leonard E. Burman"), or an
    opening quote mark."""
    for match in _SENTENCE_STOP.finditer(text, start, end):
        if match.group() == ".":
            word = text[max(start, match.start() - 5) : match.start()].split()
            if word and (word[-1] in _ABBREVIATIONS or (len(word[-1]) == 1 and word[-1].isupper())):
                continue
        return match.start()
    return end


_AFTER_PREPOSITION = re.compile(r"\b(?:on|in|at|to|from|with|by|of)\s+$")
_ABBREVIATIONS = frozenset("Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Sgt Capt Adm St Jr Sr Prof Rev Hon Maj Brig Cmdr Gens Reps Sens U.S U.N Fr".split())


class Resolver:
    """Resolves speaker phrases within one post: names to the fullest name in the post,
    pronouns to the last person (or body) named as speaking, titles to a linked name."""

    def __init__(self, pt: PostText) -> None:
        self.pt = pt
        self.entities = [e for e in pt.entities if e.label in SPEAKER_LABELS]
        self.starts = [e.start for e in self.entities]
        self.sentence_starts = [s for s, _e in pt.sentences]
        self.speakers: list[tuple[int, str, str]] = []  # (offset, resolved name, type) of quotes so far
        self._full: dict[str, str] = {}

    def entities_in(self, start: int, end: int) -> list[EntitySpan]:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.entities) and self.entities[i].start < end:
            if self.entities[i].end <= end:
                out.append(self.entities[i])
            i += 1
        return out

    def fullest(self, name: str, label: str) -> str:
        """'Peskov' -> 'Dmitry Peskov' when the post names him in full."""
        key = (name, label)
        if key in self._full:
            return self._full[key]
        best = name
        if label == "PERSON":
            last = name.split()[-1]
            for e in self.entities:
                if e.label == "PERSON" and len(e.text.split()) <= 4 and e.text.split()[-1] == last and len(e.text) > len(best):
                    best = e.text
        self._full[key] = best
        return best

    def _person_named_as(self, e: EntitySpan) -> bool:
        """An ORG/GPE span the post also names as a person ('Lavrov' tagged ORG once and
        'Sergei Lavrov' PERSON elsewhere): the small model mislabels short names."""
        if e.label == "PERSON" or len(e.text.split()) > 3:
            return False
        last = e.text.split()[-1]
        return any(p.label == "PERSON" and p.text.split()[-1] == last for p in self.entities)

    def remember(self, offset: int, speaker: str | None, kind: str | None) -> None:
        if speaker and kind:
            self.speakers.append((offset, speaker, kind))

    def resolve(self, phrase: str, start: int, end: int) -> tuple[str | None, str | None]:
        """(speaker, PERSON|ORG) for the phrase written at text[start:end]."""
        low = phrase.lower().strip()
        if low in PRONOUNS:
            return self.antecedent(start, PRONOUNS[low])
        inside = self.entities_in(start, end)
        people = [e for e in inside if e.label == "PERSON" or self._person_named_as(e)]
        if people:
            return self.fullest(people[0].text, "PERSON"), "PERSON"
        words = [w.strip(".,").lower() for w in phrase.split()]
        head = words[-1] if words else ""
        if head in TITLE_WORDS:
            named = self.named_title(phrase, head, start)
            if named:
                return named, "PERSON"
            bodies = [e for e in inside if e.label != "PERSON"]
            if head in ("statement", "report", "agency") and bodies:
                return bodies[-1].text, "ORG"
            plural = head.endswith("s") or head == "people"
            return _strip_determiner(phrase), "ORG" if plural else "PERSON"
        if inside:
            return _strip_determiner(inside[-1].text), "ORG"
        if head in INSTITUTION_WORDS or " ".join(words[-2:]) == "white house":
            return _strip_determiner(phrase), "ORG"
        if phrase[:1].isupper() and len(words) <= 4:
            return _strip_determiner(phrase), None
        return _strip_determiner(phrase), None

    def named_title(self, phrase: str, head: str, before: int) -> str | None:
        """A name the post attaches to a role: 'spokesman Dmitry Peskov', 'Peskov, the
        Kremlin spokesman'."""
        text = self.pt.text
        pattern = re.compile(r"\b" + re.escape(head) + r",?\s+")
        for match in pattern.finditer(text, max(0, before - 3000), min(len(text), before + 600)):
            for e in self.entities_in(match.end(), match.end() + 40):
                if e.label == "PERSON" and e.start == match.end():
                    return self.fullest(e.text, "PERSON")
        for e in self.entities_in(max(0, before - 3000), before):
            if e.label == "PERSON" and not _AFTER_PREPOSITION.search(text, max(0, e.start - 6), e.start) and re.match(r",\s+(?:the|a|an)?\s*[^,.]{0,50}\b" + re.escape(head) + r"\b", text[e.end : e.end + 70]):
                return self.fullest(e.text, "PERSON")
        return None

    def antecedent(self, at: int, kind: str) -> tuple[str | None, str | None]:
        """The person (he/she) or body (it/they) a pronoun at `at` most likely points to:
        the last quote speaker of that kind, unless a person named later opens a sentence
        or stands next to a cue ('Kirby added'); else the last one named."""
        window = max(0, at - 1500)  # about three news paragraphs back
        last_speaker = next(((o, n, k) for o, n, k in reversed(self.speakers) if o >= window and (k == kind or kind == "ORG")), None)
        labels = ("PERSON",) if kind == "PERSON" else ("ORG", "GPE", "NORP", "PERSON")
        lo = bisect_left(self.starts, window)
        hi = bisect_right(self.starts, at)
        named = [e for e in self.entities[lo:hi] if e.label in labels and e.end <= at]
        if kind == "ORG":
            named = [e for e in named if e.label != "PERSON"] or named
        for e in reversed(named):
            if last_speaker and e.start <= last_speaker[0]:
                break
            if self._subject_like(e):
                return self.fullest(e.text, e.label), _type(e.label)
        if last_speaker:
            return last_speaker[1], last_speaker[2]
        if named:
            e = named[-1]
            return self.fullest(e.text, e.label), _type(e.label)
        return None, None

    def _subject_like(self, e: EntitySpan) -> bool:
        text = self.pt.text
        i = bisect_right(self.sentence_starts, e.start) - 1
        sentence_start = self.sentence_starts[i] if i >= 0 else 0
        lead = text[sentence_start : e.start]
        if len(lead) < 60 and all(w[:1].isupper() or w.lower() in ("the", "of", "'s", "’s") for w in lead.split()):
            return True
        after = text[e.end : e.end + 30]
        return bool(_CUE.match(after.lstrip(" ,")) or re.match(r"\s+(?:has |had |also |later )*\w+", after) and find_cue(after, 0, 25) is not None)


def _type(label: str) -> str:
    return "PERSON" if label == "PERSON" else "ORG"


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    if len(words) > 1 and words[0].lower() in ("the", "a", "an"):
        return " ".join(words[1:])
    return phrase
