"""What a post's headline reports: an act (a delivery, a deployment, a sanction) or a
statement (words said about something), and who speaks in its headline and lead.

Issue 4's "same development" is the same act or the same statement. Two posts about one
act can still be two developments: the act itself ("US ambassador delivers written
response") and someone's description of or reaction to it ("Blinken says US set out a
'serious diplomatic path'", "Kyiv's mayor calls the helmet shipment a joke"). Both share
the topic, the day and most names, so vectors and entities alone join them; what tells
them apart is what the headline does: report an act, or report words. And one person's
statements are told apart from another's by who speaks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..enrich.speakers import CUE_WORDS
from ..model import Post

# Headline verbs that report words or a stance taken in words ("X says", "X slams Y", "X
# thanks Y", "X urges Y to"). Verbs that also report deeds stay out: "announces sanctions",
# "agree to meet", "responds to demands", "adds to list", "confirms deployment".
_HEADLINE_SPEECH = re.compile(
    r"\b(?:says?|said|saying|tells?|told|warn(?:s|ed|ing)?|claim(?:s|ed|ing)?|insist(?:s|ed|ing)?|"
    r"argu(?:e|es|ed|ing)|stress(?:es|ed|ing)?|urg(?:e|es|ed|ing)|admit(?:s|ted|ting)?|suggest(?:s|ed|ing)?|"
    r"predict(?:s|ed|ing)?|reiterat(?:e|es|ed|ing)|assert(?:s|ed|ing)?|alleg(?:e|es|ed|ing)|describ(?:e|es|ed|ing)|"
    r"declar(?:e|es|ed|ing)|tweet(?:s|ed|ing)?|accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|slam(?:s|med|ming)?|"
    r"blast(?:s|ed)?|criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|thank(?:s|ed|ing)?|"
    r"prais(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|question(?:s|ed)|hop(?:e|es|ed)|expects?|believes?|fears?|"
    r"mock(?:s|ed|ing)?|dismiss(?:es|ed)?|calls?|called|appeal(?:s|ed)?|plead(?:s|ed)?|decr(?:y|ies|ied)|"
    r"explain(?:s|ed)?|vow(?:s|ed)?|threaten(?:s|ed)?|questions?)\b", re.I)
# Talk about a deed is words, not the deed: "officials debate sending weapons", "EU weighs
# cutting Russia off SWIFT", "Kyiv considers imposing martial law".
_TALK_OF_DEED = re.compile(r"\b(?:debat|discuss|consider|weigh|mull|propos)\w*\s+(?:[\w'’-]+\s+)?[a-z]+ing\b", re.I)
# Words a headline puts in quotation marks: the outlet quotes what was said.
_QUOTED = re.compile(r"(?:^|[\s(])[‘'\"“][^‘’'\"“”]{2,120}[’'\"”](?=$|[\s,.:;!?)-])")
# Headline attributions: "..., Blinken says" / "...: Kremlin envoy" / "... - Germany".
SAYS_TAIL = re.compile(r"[,‘’'\"]\s*([^,:‘’'\"]{2,60}?)\s+(?:says?|said|warns?|tells?|claims?)\s*$", re.I)
COLON_TAIL = re.compile(r"(?::|\s[-–—])\s*([^:]{2,60})$")
# A tail of more words than this after a colon is the statement ('Zelenskyy: 137 killed on
# the first day'), the speaker stands before the colon.
TAIL_WORDS = 5
# Attributions that name where a report came from, not who acted: "...: CNN", "...: Report".
SOURCES = frozenset({"cnn", "reuters", "afp", "ap", "associated press", "bbc", "bloomberg", "tass", "ria",
                     "ria novosti", "interfax", "axios", "report", "reports", "media", "sources", "al jazeera", "aj"})

# Coded actions that are deeds, not words (storyline/enrich/events.py ACTIONS): demand,
# accuse, support, reject and threaten are said; these are done.
MATERIAL_ACTIONS = frozenset({"aid", "agree", "cooperate", "retreat", "consult", "evacuate", "mobilize",
                              "sanction", "coerce", "attack", "protest", "investigate"})
# Modalities of a deed the headline reports as done or decided; a conditional or threatened
# deed ("could send troops") is what someone says might happen.
ACT_MODALITIES = frozenset({"happened", "planned"})

# The lead's attribution: a person or body within this many characters before a reporting
# verb ("Foreign Minister Dmytro Kuleba has said": the title and auxiliaries fit; a name in
# the previous clause does not), or right after it ("..., said Peskov").
SPEAKER_BEFORE = 80
SPEAKER_AFTER = 30
# Enrich's reporting verbs, less the forms that name a text ("written response", "the
# letter reads") or a deed ("agreed to hold talks").
_NOT_CUES = frozenset({"written", "writing", "reads", "agree", "agrees", "agreed", "agreeing"})
# Between an inverted cue and its speaker stand only a title's words ("said Kremlin
# spokesman Dmitry Peskov"), no clause ("said Wednesday that President Holm-Varga will").
_INVERTED = re.compile(r"(?:\s+(?!(?:that|whether|if|when|on|in|at|after|before|as)\b)[\w.'’-]+){0,4}\s+")
_CUE = re.compile(r"\b(?:" + "|".join(sorted(CUE_WORDS - _NOT_CUES, key=len, reverse=True)) + r")\b")
# A name inside a relative clause is the clause's object, not the speaker: "Andrey Turchak,
# a senior member of the party that backs Putin, has said" is Turchak speaking.
_RELATIVE = re.compile(r"\b(?:that|who|which|whom|whose)\b[^,]*$")
_ACTOR_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class Report:
    """What the headline reports and who speaks."""

    statement: bool  # the headline reports words: a reporting verb, a quotation or an attribution
    acts: frozenset[tuple[str, str]]  # (actor key, action) of deeds coded in the headline
    speakers: frozenset[str]  # who speaks in headline and lead ('person:kuleba', 'russia')

    @property
    def act(self) -> bool:
        """The headline reports a deed, not words about one."""
        return bool(self.acts) and not self.statement


def is_statement_headline(headline: str) -> bool:
    if not headline.strip():
        return False
    if _HEADLINE_SPEECH.search(headline) or _QUOTED.search(headline) or _TALK_OF_DEED.search(headline):
        return True
    tail = COLON_TAIL.search(headline)
    return bool(tail) and len(tail.group(1).split()) <= TAIL_WORDS and \
        tail.group(1).strip().casefold() not in SOURCES


def headline_acts(post: Post, actor_key) -> frozenset[tuple[str, str]]:
    headline = (post.headline or "").strip()
    if not headline:
        return frozenset()
    return frozenset((actor_key(e.actor), e.action) for e in post.events
                     if e.actor and e.action in MATERIAL_ACTIONS and e.modality in ACT_MODALITIES
                     and e.text.strip() == headline and actor_key(e.actor))


def lead_speakers(post: Post, lead_end: int, actor_key) -> frozenset[str]:
    """Who speaks: the headline's attribution ('..., FM says' names nobody; '...: Kremlin
    envoy' names Kozak when the enrichment resolved the role), quotes of the headline and
    lead with a known speaker, and the person the lead first attributes words to ('...,
    Foreign Minister Dmytro Kuleba has said'). When these name no person (the lead says
    'the country's foreign secretary has said'), the next paragraph's quotes and
    attribution name them: reports give the name one sentence after the title."""
    headline = post.headline or ""
    heading = len(headline) + 2 if headline else 0
    found = {_key(q.speaker, q.speaker_type, actor_key) for q in post.quotes
             if q.speaker and (q.kind == "headline" or q.start < lead_end)}
    mentions = [m for m in post.entities if m.type in _ACTOR_TYPES]
    people = [m for m in mentions if m.type == "PERSON" and _proper(m.name or m.text)]
    for pattern in (SAYS_TAIL, COLON_TAIL):
        tail = pattern.search(headline)
        if tail and len(tail.group(1).split()) <= TAIL_WORDS:
            if actor_key(tail.group(1)) in SOURCES:
                break
            found.update(_key(m.name or m.text, m.type, actor_key) for m in mentions
                         if tail.start(1) <= m.start and m.end <= len(headline)
                         and (m.type != "PERSON" or _proper(m.name or m.text)))
            break
    found.update(_attributed(post.text, heading, lead_end, people, actor_key))
    if not any(k.startswith("person:") for k in found):
        start, end = _next_paragraph(post, lead_end)
        found.update(_key(q.speaker, q.speaker_type, actor_key) for q in post.quotes
                     if q.speaker and q.speaker_type == "PERSON" and start <= q.start < end)
        found.update(_attributed(post.text, start, end, people, actor_key))
    found.discard("")
    found.discard("person:")
    return frozenset(found)


def _attributed(text: str, start: int, end: int, people: list, actor_key) -> set[str]:
    """The person the first reporting verb in text[start:end] attributes words to."""
    for cue in _CUE.finditer(text, start, end):
        window = max(start, cue.start() - SPEAKER_BEFORE)
        before = [m for m in people if window <= m.end <= cue.start()
                  and _subject_of(text, window, m.start, m.end, cue.start())]
        after = [m for m in people if cue.end() <= m.start <= min(end, cue.end() + SPEAKER_AFTER)
                 and _INVERTED.fullmatch(text, cue.end(), m.start)]
        chosen = before[-1:] or after[:1]
        if chosen:
            return {_key(chosen[0].name or chosen[0].text, "PERSON", actor_key)}
    return set()


def _next_paragraph(post: Post, lead_end: int) -> tuple[int, int]:
    """The character span of the first non-empty paragraph after the lead (empty if none)."""
    offset = len(post.headline) + 2 if post.headline else 0
    for paragraph in post.body:
        start, offset = offset, offset + len(paragraph) + 2
        if start >= lead_end and paragraph.strip():
            return start, start + len(paragraph)
    return 0, 0


def _subject_of(text: str, window: int, start: int, end: int, cue: int) -> bool:
    """Whether the name at text[start:end] is the subject of the reporting verb at `cue`:
    not inside a relative clause, and either right before the verb ('Kuleba has said') or
    followed by an apposition ('Turchak, a senior member of ..., has said'), not in an earlier
    clause ('target Putin with sanctions if ..., the country's foreign secretary said')."""
    if _RELATIVE.search(text, window, start):
        return False
    between = text[end:cue]
    return "," not in between or between.lstrip().startswith(",")


def _proper(name: str) -> bool:
    """A person's name, not a title the recogniser took for one ('UN chief')."""
    words = name.split()
    return bool(words) and words[-1][:1].isupper()


def _key(name: str, kind: str | None, actor_key) -> str:
    key = actor_key(name)
    return f"person:{key}" if kind == "PERSON" else key


def report(post: Post, lead_end: int, actor_key) -> Report:
    headline = post.headline or ""
    return Report(statement=is_statement_headline(headline), acts=headline_acts(post, actor_key),
                  speakers=lead_speakers(post, lead_end, actor_key))
