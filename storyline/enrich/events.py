"""Coded events: who did what to whom, how sure, and how friendly — one table of actions.

For each sentence, trigger words (regex over inflected forms; there is no lemmatiser) name
an action; the actor is the nearest entity before the trigger that is not inside a quote, a
parenthetical or a prepositional phrase ("according to X", "the ambassador to Germany"); the
target is the first entity after it in the same clause. The words between actor and trigger
("will", "threatened to", "did not", "if") give the modality. Entity text is kept as written;
canonicalisation (entities.py) rewrites it later. Precision over recall: a question, a
verbless headline or a sentence without an actor gives no event.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterator

from ..model import Event
from .names import DEMONYMS
from .text import EntitySpan, PostText

# The cooperation–conflict scale, -10 (war) .. +10 (union), in the spirit of the Goldstein
# scale: a number says how much an act moves two actors towards working together (+) or
# towards harming each other (-). Words cost less than material acts, material help more
# than agreement, and force the most. Anchors: talking +3 (contact, no commitment yet);
# signing an agreement +6 (a commitment); material aid +7 (a commitment that costs the
# giver); a demand -2 (pressure, no cost); an accusation -4 (hostile words in public);
# threats -6 (force named but not used); sanctions -7 (real harm without force); force -9
# (the top of the scale is kept for all-out war, which a sentence rarely reports alone).
# Each row: action -> (score, what it covers). The event's score is its action's score;
# modality (planned, denied...) is reported beside it, never folded into it.
ACTIONS: dict[str, tuple[float, str]] = {
    "aid": (7.0, "material help: weapons, money, loans, supplies, training, humanitarian aid"),
    "agree": (6.0, "a commitment: agree, sign, deal, ceasefire, accept a proposal or invitation"),
    "cooperate": (5.0, "joint action: cooperate, coordinate, work or exercise together"),
    "support": (4.0, "words of support: back, thank, praise, welcome, reaffirm a commitment"),
    "retreat": (4.0, "de-escalation by force: withdraw or pull back troops, de-escalate"),
    "consult": (3.0, "contact: meet, talk, call, visit, discuss, host, mediate, brief, negotiate"),
    "investigate": (-1.0, "investigate, probe, open an inquiry"),
    "demand": (-2.0, "pressure by words: demand, urge, call on, ask to, insist"),
    "protest": (-3.0, "protest, rally, demonstrate"),
    "evacuate": (-3.0, "reduced presence: evacuate, order diplomats or citizens out, close an embassy"),
    "reject": (-4.0, "reject, refuse, dismiss, rebuff, veto, turn down"),
    "accuse": (-4.0, "hostile words: accuse, blame, condemn, criticise, denounce"),
    "mobilize": (-5.0, "force shown: deploy, mass troops, put on alert, drills, reinforce"),
    "threaten": (-6.0, "force named: threaten, warn of consequences, ultimatum"),
    "sanction": (-7.0, "harm without force: sanctions, bans, embargoes, expulsions, frozen assets"),
    "coerce": (-7.0, "force against people: arrest, detain, jail, blockade"),
    "attack": (-9.0, "force used: attack, strike, shell, bomb, invade, cyberattack, kill, capture"),
}

_W = r"(?:[\w'’$€£.,-]+\s+)"  # one word and its space, inside a trigger phrase
_PEOPLE_OUT = r"(?:citizens|nationals|Americans|Britons|staff|diplomats|families|dependents|dependants|personnel)"
_MATERIEL = (
    r"(?:weapons|arms|missiles|javelins|stingers|ammunition|munitions|shells|helmets|equipment|aid|assistance|"
    r"funding|funds|money|loans?|grants?|artillery|anti-tank|anti-aircraft|drones|supplies|vaccines|[$€£]\s?\d)"
)
# (action, kind, pattern). Kind "v" is a verb, "n" a noun: a noun alone in a headline is no
# event ("Russian vessel back in the Baltic" has no verb; "Russian strikes on Kyiv" none
# either). Order matters where two rows match at the same place: the more specific first.
TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("evacuate", "v", rf"(?:urg|advis|order|ask|tell|told)\w*\s+{_W}{{0,3}}?{_PEOPLE_OUT}\s+{_W}{{0,5}}?(?:to\s+)?(?:leave|depart|evacuate)|consider\s+leaving"),
    ("evacuate", "v", rf"evacuat(?:e|es|ed|ing)|(?:withdr(?:aw|aws|awing|ew|awn)|pull(?:s|ed|ing)?\s+out|reduc(?:e|es|ed|ing)|relocat(?:e|es|ed|ing)|mov(?:e|es|ed|ing))\s+{_W}{{0,3}}?(?:embassy|{_PEOPLE_OUT})|{_PEOPLE_OUT}\s+{_W}{{0,4}}?to\s+leave|clos(?:e|es|ed|ing)\s+{_W}{{0,2}}?(?:embassy|consulate)"),
    ("evacuate", "n", r"evacuation"),
    ("aid", "v", rf"(?:send|sends|sent|sending|suppl(?:y|ies|ied|ying)|deliver(?:s|ed|ing)?|provid(?:e|es|ed|ing)|ship(?:s|ped|ping)?|give|gives|gave|given|giving|donat(?:e|es|ed|ing)|transferr?(?:s|ed|ing)?|pledg(?:e|es|ed|ing)|promis(?:e|es|ed|ing)|offer(?:s|ed|ing)?|approv(?:e|es|ed|ing)|announc(?:e|es|ed|ing))\s+{_W}{{0,4}}?{_MATERIEL}"),
    ("aid", "v", rf"donat(?:e|es|ed|ing)|back(?:s|ed|ing)?\s+{_W}{{0,3}}?with\s+{_W}{{0,2}}?{_MATERIEL}|loan(?:s|ed)?|train(?:s|ed|ing)?\s+(?:\w+\s+){{0,2}}(?:forces|troops|soldiers|military|army)|arm(?:s|ed|ing)\s+(?:the\s+)?(?:rebels|separatists|Ukraine|Kyiv)"),
    ("aid", "n", r"(?:military|financial|economic|humanitarian|security|lethal)\s+(?:aid|assistance|support|package)|aid|assistance|donations?"),
    ("cooperate", "v", r"co-?operat(?:e|es|ed|ing)|coordinat(?:e|es|ed|ing)|(?:work|exercise|operate|stand)(?:s|ed|ing)?\s+(?:closely\s+)?together|partner(?:s|ed|ing)?\s+with|joined\s+forces"),
    ("cooperate", "n", r"co-?operation|coordination"),
    ("agree", "v", r"agree(?:s|d|ing)?|sign(?:s|ed|ing)?(?!\s+(?:of|that)\b)|accept(?:s|ed|ing)?\s+(?:\w+\s+){0,2}(?:proposal|offer|terms|invitation|deal|plan)|settle(?:s|d)?"),
    ("agree", "n", r"agreement|deal|ceasefire|cease-fire|truce|accords?(?!\s+(?:to|with))"),
    ("support", "v", r"thank(?:s|ed|ing)?|prais(?:e|es|ed|ing)|welcom(?:e|es|ed|ing)|endors(?:e|es|ed|ing)|back(?:s|ed|ing)|support(?:s|ed|ing)?|reaffirm\w*\s+(?:\w+\s+){0,3}(?:commitment|support)|stand(?:s|ing)?\s+with|stood\s+with"),
    ("support", "n", r"gratitude|solidarity"),
    ("retreat", "v", r"withdr(?:aw|aws|awing|ew|awn)|pull(?:s|ed|ing)?\s+(?:back|out)|de-?escalat(?:e|es|ed|ing)|retreat(?:s|ed|ing)?|return(?:s|ed|ing)?\s+to\s+(?:their\s+)?(?:bases|barracks)"),
    ("retreat", "n", r"withdrawal|pullback|de-?escalation"),
    ("consult", "v", r"meet|meets|meeting|met|talk(?:s|ed|ing)?\s+(?:with|to|about)|(?:held|hold|holds|holding|had)\s+(?:\w+\s+){0,2}(?:talks|call|conversation|meeting|summit)|sp[eo]ak(?:s|e|ing)?\s+(?:by\s+phone\s+)?(?:with|to)|spoke|visit(?:s|ed|ing)?|discuss(?:es|ed|ing)?|host(?:s|ed|ing)?|mediat(?:e|es|ed|ing)|brief(?:s|ed)?|negotiat(?:e|es|ed|ing)|consult(?:s|ed|ing)?|call(?:s|ed|ing)?\s+(?:his\s+|her\s+|their\s+|its\s+)?(?:\w+\s+){0,2}counterparts?|(?:deliver|send|sent|hand)\w*\s+(?:\w+\s+){0,2}(?:response|reply|letter|proposals?)"),
    ("consult", "n", r"talks|summit|phone\s+call|telephone\s+(?:call|conversation)|video\s+call|consultations|negotiations|discussions?|mediation"),
    ("investigate", "v", r"investigat(?:e|es|ed|ing)|prob(?:e|es|ed|ing)\s+into|look(?:s|ed|ing)?\s+into"),
    ("investigate", "n", r"investigations?|inquir(?:y|ies)\s+into"),
    ("demand", "v", r"demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|call(?:s|ed|ing)?\s+(?:on|upon|for)|press(?:es|ed|ing)?\s+(?:\w+\s+){0,2}to|insist(?:s|ed|ing)?|ask(?:s|ed|ing)?\s+(?:\w+\s+){0,3}to|request(?:s|ed|ing)?|appeal(?:s|ed|ing)?\s+(?:to|for)|encourag(?:e|es|ed|ing)"),
    ("protest", "v", r"protest(?:s|ed|ing)?|rall(?:y|ies|ied|ying)|demonstrated\s+against|took\s+to\s+the\s+streets"),
    ("protest", "n", r"protesters|demonstrators|demonstrations?"),
    ("reject", "v", r"reject(?:s|ed|ing)?|refus(?:e|es|ed|ing)|dismiss(?:es|ed|ing)?|rebuff(?:s|ed)?|veto(?:es|ed)?|turn(?:s|ed)?\s+down|den(?:y|ies|ied)\s+(?:\w+\s+){0,2}(?:request|entry|access|visas?|permission)"),
    ("accuse", "v", r"accus(?:e|es|ed|ing)|blam(?:e|es|ed|ing)|condemn(?:s|ed|ing)?|critici[sz](?:e|es|ed|ing)|critical\s+of|denounc(?:e|es|ed|ing)|slam(?:s|med)?|lambast(?:s|ed|ing)?|castigat(?:e|es|ed|ing)|rebuk(?:e|es|ed|ing)"),
    ("accuse", "n", r"accusations?|condemnation|criticism"),
    ("mobilize", "v", rf"(?:re)?deploy(?:s|ed|ing)?|(?:mass|amass)(?:es|ed|ing)?\s+(?:\w+\s+){{0,3}}(?:troops|forces|soldiers)|mobili[sz](?:e|es|ed|ing)|(?:put|puts|putting|placed?)\s+(?:\w+\s+){{0,4}}on\s+(?:high\s+|heightened\s+)?alert|alert\s+posture|reinforc(?:e|es|ed|ing)|(?:send|sends|sent|sending|mov(?:e|es|ed|ing)|station(?:s|ed|ing)?)\s+{_W}{{0,3}}?(?:troops|soldiers|forces|jets|warships|ships|personnel|battalions?|brigades?)|bolster(?:s|ed|ing)?\s+(?:\w+\s+){{0,3}}(?:presence|defen[cs]es|forces|flank)"),
    ("mobilize", "n", r"(?:military\s+|naval\s+|joint\s+|live-fire\s+)?(?:exercises|drills|manoeuvres|maneuvers)|build-?up|troop\s+movements|deployments?|mobili[sz]ation|reinforcements"),
    ("threaten", "v", r"threat(?:en|ens|ened|ening)|warn(?:s|ed|ing)?\s+(?:of|that)\s+(?:\w+\s+){0,3}(?:consequences|response|retaliation|costs)|vow(?:s|ed)?\s+to\s+retaliate"),
    ("threaten", "n", r"ultimatum|threats?"),
    ("sanction", "v", r"sanction(?:s|ed|ing)?|ban(?:s|ned|ning)?|embargo(?:es|ed)?|expel(?:s|led|ling)?|freez(?:e|es|ing)|froze|frozen|blacklist(?:s|ed|ing)?|suspend(?:s|ed|ing)?|cut(?:s|ting)?\s+off|exclud(?:e|es|ed|ing)\s+(?:\w+\s+){0,2}from"),
    ("sanction", "n", r"expulsions?"),
    ("coerce", "v", r"arrest(?:s|ed|ing)?|detain(?:s|ed|ing)?|jail(?:s|ed|ing)?|imprison(?:s|ed|ing)?|blockad(?:e|es|ed|ing)"),
    ("attack", "v", r"attack(?:s|ed|ing)?|strike|strikes|struck|striking|shell(?:ed|ing)|bomb(?:s|ed|ing)|invad(?:e|es|ed|ing)|cyber-?attack(?:s|ed|ing)?|kill(?:s|ed|ing)?|fir(?:e|ed|ing)\s+(?:on|at)|opened\s+fire|captur(?:e|es|ed|ing)|seiz(?:e|es|ed|ing)|annex(?:es|ed|ing)?|occup(?:y|ies|ied|ying)|fought|assault(?:s|ed|ing)?|raid(?:s|ed)?|launch(?:es|ed|ing)?\s+(?:\w+\s+){0,3}(?:attacks?|offensive|invasion|strikes|missiles)"),
    ("attack", "n", r"invasion|incursion|offensive|aggression|fighting|bombardment|annexation|occupation"),
)
_ROWS = tuple(re.compile(rf"(?:{pattern})(?![\w-])", re.I) for _a, _k, pattern in TRIGGERS)
_WORD_START = re.compile(r"(?<![\w-])[A-Za-z]")
# Actions that also take a person as the one acted on in the clause "X, to Y" ("urged Russia
# to withdraw"): the inner action is their content, not a second event.
_ABSORBING = frozenset({"demand", "reject", "agree", "threaten", "evacuate"})
_COMPLEMENT = re.compile(r"\s+(?:[\w'’.-]+\s+){0,4}?to\s+")
_WORD = re.compile(r"[\w'’-]+\s+")
_MEDIATE = re.compile(r"mediat", re.I)  # mediators act together on a third party
_SYMMETRIC = frozenset({"consult", "agree", "cooperate"})
_PLACE_TARGETS = frozenset({"mobilize", "attack", "evacuate", "retreat"})

MAX_EVENTS_PER_SENTENCE = 3  # gold: no seed sentence reports more than three distinct actions
MAX_TRIGGERS_PER_SENTENCE = 12  # bounds a 100,000-word run-on "sentence"
# How far from the trigger an actor or target may stand. 160 chars ≈ 25 words: subject
# phrases with a title ("US Secretary of State Antony Blinken") fit; a name two clauses away does not.
ACTOR_REACH = 160
TARGET_REACH = 100  # the object follows within ~15 words (measured on the seed gold sentences)

_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PREPOSITIONS = frozenset(
    "after before since until as once in at on to from with for of by near about over against into across between towards toward after before "
    "during under via like than including among amid beyond behind outside inside within per".split()
)
_TOWARDS = frozenset("to into towards toward on against at".split())
_CONJUNCTIONS = frozenset("after before since until as once".split())
_TOKEN = re.compile(r"[\w'’.]+|[,;:()\"“”‘’-]")
_LOCATIVE = frozenset("in at near across inside outside within around".split())
_SKIPPABLE = frozenset(
    "the a an its their his her our eastern western northern southern central neighbouring neighboring "
    "occupied separatist".split()
)
# A title between a modifier entity and a person: "Russian Foreign Minister Sergey Lavrov".
_TITLE_GAP = re.compile(r"^(?:['’]s)?(?:\s+(?:[A-Z][\w.'’-]*|of|the|and))*\s+$|^$")
_GROUP_NOUN = re.compile(
    r"\s+(?:[a-z-]+\s+)?(troops|forces|soldiers|soldier|military|army|navy|officials|diplomats|government|authorities|"
    r"jets|warships|separatists|rebels|hackers|leaders|lawmakers|delegation|banks|companies|oligarchs|ships|"
    r"police|protesters|demonstrators|activists|journalists|citizens|nationals|envoys?|embassy)\b"
)
_AND = re.compile(r"\s*(?:,\s*)?(?:and|&)\s+(?:its\s+|their\s+)?(?:(?:[A-Z][\w.'’-]*|of|the)\s+){0,6}")
_COMMA = re.compile(r"\s*,\s*")
_PRONOUN = re.compile(r"\b(?:[Hh]e|[Ss]he|[Tt]hey)\b")
_FIRST_PERSON = re.compile(r"\b(?:I|[Ww]e|[Oo]ur|[Mm]y)\b")
_QUOTES = re.compile(  # the lookahead first: 4x faster than trying every alternative at every character
    r"(?=[“\"‘'])(?:“[^“”\n]{1,2000}”|\"[^\"\n]{1,2000}\"|(?<!\w)‘(?:[^‘’\n]|’(?=\w)){1,2000}’(?!\w)|(?<!\w)'(?:[^'\n]|'(?=\w)){1,400}'(?!\w))"
)
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|added|adds|tweeted|wrote|writes|stated|warned|insisted|explained)\b")
_PARENTHETICAL = re.compile(r"\([^()\n]{0,200}\)|\s[-–—]\s[^-–—\n]{0,200}\s[-–—]\s")
_CLAUSE_END = re.compile(
    r";|\s[-–—]\s|,\s+(?:said|says|according|but|while|which|who|and)\b|\b(?:said|if|whether|unless|while|because|but)\b|\baccording\s+to\b"
)
_TIME_PP = re.compile(
    r"\b(?:since|after|before|during|following|amid|ahead\s+of|(?:day|days|start|eve|anniversary|wake)\s+of)\s+(?:the\s+)?(?:\w+['’]s\s+|\w+\s+){0,2}$",
    re.I,
)
_DETERMINER = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that|these|those|no|any)\s+$", re.I)
_FACE = re.compile(r"\b(?:face|faces|facing)\b")
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be|got|get)\s+(?:(?:\w+ly|now|already|also|not|being)\s+)?$")
_PARTICIPLE = re.compile(r"(?:\w+(?:ed|en|wn|ught)|met|held|struck|sent|hit|shot|spoken|seen|given|cut)\b", re.I)
# Between a subject and its verb only auxiliaries and adverbs stand: "Russia has now invaded".
_SUBJECT_GAP = re.compile(r"\s+(?:(?:\w+ly|has|have|had|is|are|was|were|will|would|could|may|might|also|now|then|already|just|reportedly|not|n['’]t)\s+)*")

# Modality, from the words between the actor and the trigger (and just around them).
_DENIED = re.compile(
    r"\b(?:not|never|no\s+(?:plans?|intention|intent)|n['’]t|denie[sd]|deny|denying|dismiss(?:ed|es)?\s+(?:reports|claims|suggestions)|"
    r"rejected\s+(?:reports|claims|suggestions)|rul(?:ed|es|ing)\s+out|refrain\w*)\b",
    re.I,
)
_THREATENED = re.compile(r"\b(?:threat\w*\s+to|warn\w*\s+(?:that\s+)?(?:\w+\s+){0,2}(?:would|will|could)|could\s+face|faces?|facing|ultimatum)\b", re.I)
_CONDITIONAL = re.compile(r"\b(?:if|unless|should|in\s+the\s+event|in\s+case|would|could|might|(?-i:may)|whether|considering|consider)\b", re.I)
_PLANNED = re.compile(
    r"(?:\bwill\b|['’]ll\b|\bshall\b|\bto\s+be\b|\b(?:plan|plans|planning|planned|set|expected|scheduled|due|intends?|aims?|going|prepared|ready|pledged?|promised?|vow(?:s|ed)?|offers?|offered|poised|about|willing|open|forward)\s+to\b|\bready\s+for\b|\bscheduled\b|^\s*to\s*$|^\s*to\s)",
    re.I,
)
_DENIED_REPORT = re.compile(r"\b(?:denie[sd]|deny|denying|dismiss\w*\s+(?:reports|claims|suggestions)|rul(?:ed|es|ing)\s+out)\b", re.I)
_PROMISE = re.compile(r"(?:pledg|promis|offer)", re.I)
_FUTURE_AFTER = re.compile(r"\b(?:next\s+(?:week|month|year)|tomorrow|later\s+(?:this|today|in)|in\s+the\s+coming\s+(?:days|weeks))\b", re.I)
_IF_AFTER = re.compile(r"^[^;.]{0,60}?\b(?:if|unless|in\s+the\s+event\s+of|should\s+(?:Russia|Moscow|it|they)\b)", re.I)


def _heads(pattern: str, n: int = 3) -> set[str]:
    """The lowercase beginnings (n letters) that a trigger pattern's matches can have, read off
    the parsed pattern. Raises ValueError for a construct it does not follow."""
    from re import _constants as op, _parser  # type: ignore[attr-defined]

    def seq(items, n):
        found = {""}
        for code, arg in items:
            if all(len(f) >= n for f in found):
                break
            found = {(f + s)[:n] if len(f) < n else f for f in found for s in one(code, arg, n - len(f))}
        return found

    def one(code, arg, n):
        if code is op.LITERAL:
            return {chr(arg).lower()}
        if code is op.IN and all(c is op.LITERAL for c, _ in arg):
            return {chr(a).lower() for _, a in arg}
        if code is op.BRANCH:
            return set().union(*(seq(branch, n) for branch in arg[1]))
        if code is op.SUBPATTERN:
            return seq(arg[3], n)
        if code is op.MAX_REPEAT and arg[1] == 1:
            return {""} | seq(arg[2], n)
        if code in (op.ASSERT, op.ASSERT_NOT):
            return {""}
        raise ValueError(f"cannot read the start of {pattern!r} ({code})")

    return seq(_parser.parse(pattern, re.I), n)


def _dispatch() -> tuple[re.Pattern, dict[str, tuple[int, ...]] | None]:
    """Which rows can match at a word, by its first three letters, and a regex that finds only
    the words worth trying: 5x faster on the seeds than one alternation of all rows at every word."""
    try:
        heads = [_heads(pattern) for _a, _k, pattern in TRIGGERS]
    except (ValueError, ImportError, AttributeError):  # another Python's parser: try every row at every word
        return _WORD_START, None
    if any(len(h) < 3 for row in heads for h in row):
        return _WORD_START, None
    by_head: dict[str, list[int]] = {}
    for row, found in enumerate(heads):
        for head in found:
            by_head.setdefault(head, []).append(row)
    firsts: dict[str, list[str]] = {}
    for head in sorted(by_head):
        firsts.setdefault(head[0], []).append(re.escape(head[1:]))
    trie = "|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in firsts.items())
    return re.compile(rf"(?<![\w-])(?=(?:{trie}))", re.I), {head: tuple(rows) for head, rows in by_head.items()}


_HEAD_RE, _BY_HEAD = _dispatch()


@dataclass(slots=True)
class _Actor:
    text: str
    start: int
    end: int
    label: str
    partner: "_Actor | None" = None  # 'Biden and Zelensky met': Zelensky, the other party


def find_events(text: PostText) -> list[Event]:
    """The coded events of one post, in text order (at most a few per sentence)."""
    if not text.text or not text.sentences:
        return []
    actors = _candidates(text)
    starts = [a.start for a in actors]
    quotes = [(m.start(), m.end()) for m in _QUOTES.finditer(text.text)]
    headline = text.headline_span
    events: list[Event] = []
    for start, end in text.sentences:
        sentence = text.text[start:end]
        if sentence.rstrip(" \"”’'").endswith("?"):
            continue
        is_headline = headline is not None and start >= headline[0] and end <= headline[1]
        lo, hi = bisect_left(starts, start), bisect_right(starts, end)
        if lo == hi and not _PRONOUN.search(text.text, start, end):
            continue  # no one named and no pronoun: no actor can be found
        events.extend(_sentence_events(text.text, start, end, actors[lo:hi], actors[max(0, lo - 20) : lo], quotes, is_headline))
    return events


def _sentence_events(
    text: str, start: int, end: int, inside: list[_Actor], before: list[_Actor],
    quotes: list[tuple[int, int]], is_headline: bool,
) -> list[Event]:
    sentence = text[start:end]
    found: list[Event] = []
    seen_actions: set[str] = set()
    absorbed_until = -1
    pending_modality: str | None = None
    for count, (action, kind, match) in enumerate(find_triggers(text, start, end)):
        if count >= MAX_TRIGGERS_PER_SENTENCE or len(found) >= MAX_EVENTS_PER_SENTENCE:
            break
        t_start, t_end = match.start(), match.end()
        if t_start < absorbed_until:
            continue
        forced = pending_modality
        pending_modality = None
        inner = _complement(text, t_end, end) if action in _ABSORBING else None
        if inner is not None:
            if action == "threaten":  # "threatened to invade": the invasion, threatened
                pending_modality = "threatened"
                continue
            absorbed_until = inner + 1
        if kind == "v" and _DETERMINER.search(text, max(start, t_start - 12), t_start):
            kind = "n"  # "the attack", "its demands", "a visit"
        if kind == "n" and (is_headline or _TIME_PP.search(text[max(start, t_start - 40) : t_start])):
            continue
        quote = _quote_at(quotes, t_start)
        coded = _code(text, start, end, t_start, t_end, action, inside, before, quote)
        if coded is None:
            continue
        actor, target, modality = coded
        modality = forced or modality
        if action in seen_actions:
            continue
        seen_actions.add(action)
        score = ACTIONS[action][0]
        found.append(Event(actor, action, target, modality, score, sentence, match.group(0)))
    return found


def find_triggers(text: str, start: int, end: int) -> Iterator[tuple[str, str, re.Match]]:
    """(action, kind, match) for the trigger phrases in text[start:end], left to right, not
    overlapping; where two rows match at one place the earlier row wins."""
    at = start
    for word in _HEAD_RE.finditer(text, start, end):
        if word.start() < at:
            continue
        found = _trigger_at(text, word.start(), end)
        if found is not None:
            yield found
            at = found[2].end()


def _trigger_at(text: str, at: int, end: int) -> tuple[str, str, re.Match] | None:
    rows = _BY_HEAD.get(text[at : at + 3].lower(), ()) if _BY_HEAD is not None else range(len(TRIGGERS))
    for row in rows:
        match = _ROWS[row].match(text, at, end)
        if match is not None:
            return TRIGGERS[row][0], TRIGGERS[row][1], match
    return None


def _complement(text: str, t_end: int, end: int) -> int | None:
    """Where a trigger starts in the 'to' clause right after a trigger ("urged Russia to
    withdraw"), if one does within two words of the 'to'."""
    following = _COMPLEMENT.match(text, t_end, min(end, t_end + 60))
    if following is None:
        return None
    at = following.end()
    for _ in range(3):
        if _trigger_at(text, at, end) is not None:
            return at
        word = _WORD.match(text, at, end)
        if word is None:
            return None
        at = word.end()
    return None


def _code(
    text: str, start: int, end: int, t_start: int, t_end: int, action: str,
    inside: list[_Actor], before: list[_Actor], quote: tuple[int, int] | None,
) -> tuple[str, str | None, str] | None:
    """(actor, target, modality) for one trigger, or None when no actor stands before it."""
    lo = quote[0] if quote else start
    actor = _actor_before(text, lo, t_start, inside, before, quote)
    if quote is not None and _FIRST_PERSON.search(text, actor.end if actor else quote[0], t_start):
        actor = _speaker(text, quote, inside) or actor  # "we urge Moscow...," the general said
    gap_from = actor.end if actor is not None and actor.end <= t_start else max(lo, t_start - 60)
    gap = text[max(gap_from, t_start - 80) : t_start]
    if quote is None:  # "EU says 'Putin will fail' as it agrees sanctions": the quote's 'will' is not ours
        gap = _QUOTES.sub(" ", gap)
    passive = _PARTICIPLE.match(text, t_start, t_end) is not None and (
        _PASSIVE.search(gap) is not None or text.startswith((" by ", " from "), t_end)
    )
    if actor is not None and actor.partner is not None and action in _SYMMETRIC and not _MEDIATE.match(text, t_start):
        target = actor.partner  # "Biden and Zelensky discussed": each is the other's party
    else:
        target = _target_after(text, t_start, t_end, quote[1] if quote else end, action, inside, actor, passive)
    if passive:
        by = _after_by(text, t_end, quote[1] if quote else end, inside)
        if by is None or actor is None:
            return None  # "assets are frozen": no one named who did it
        actor, target = by, actor
    if actor is None:
        return None
    if _FACE.search(gap):  # "Russia could face sanctions": Russia is the target
        by = _after_by(text, t_end, quote[1] if quote else end, inside)
        if by is None:
            return None
        actor, target = by, actor
    context = text[max(lo, actor.start - 40 if actor.start < t_start else t_start - 40) : t_start]
    modality = _modality(gap, context, text[t_end : (quote[1] if quote else end)], text[t_start:t_end])
    return actor.text, (target.text if target is not None else None), modality


def _modality(gap: str, context: str, after: str, trigger: str) -> str:
    if _DENIED.search(gap) or _DENIED_REPORT.search(context):
        return "denied"
    if _THREATENED.search(gap):
        return "threatened"
    if re.search(r"\bwould\b", gap) and _SPEECH.search(context):  # "said it would send": reported future
        return "planned"
    if _CONDITIONAL.search(context) or _IF_AFTER.search(after):
        return "conditional"
    if _PLANNED.search(gap) or _FUTURE_AFTER.search(after) or _PROMISE.match(trigger):
        return "planned"
    return "happened"


def _actor_before(
    text: str, lo: int, t_start: int, inside: list[_Actor], before: list[_Actor], quote: tuple[int, int] | None
) -> _Actor | None:
    """The nearest entity before the trigger that can be the subject."""
    window_lo = max(lo, t_start - ACTOR_REACH)
    hidden = _hidden_spans(text, window_lo, t_start)
    pronoun = _pronoun_before(text, window_lo, t_start, inside, before)
    chosen: _Actor | None = None
    for i in range(len(inside) - 1, -1, -1):
        cand = inside[i]
        if cand.end > t_start or cand.start < window_lo or cand.label not in _ACTOR_LABELS:
            continue
        if quote is None and any(cand.start >= q0 and cand.end <= q1 for q0, q1 in _quotes_in(text, window_lo, t_start)):
            continue
        if any(h0 <= cand.start < h1 for h0, h1 in hidden):
            continue
        word = _word_before(text, window_lo, cand.start)
        if word in _PREPOSITIONS or word == "according":
            # "after Russia invaded": a conjunction, not a preposition, when the verb follows at once
            if not (word in _CONJUNCTIONS and _SUBJECT_GAP.fullmatch(text, cand.end, t_start)):
                continue
        chosen = _first_conjunct(text, cand, inside[:i])
        if chosen is not cand:
            chosen = _Actor(chosen.text, chosen.start, chosen.end, chosen.label, partner=cand)
        break
    if pronoun is not None and (chosen is None or pronoun[0] > chosen.end):
        return pronoun[1]
    return chosen


def _speaker(text: str, quote: tuple[int, int], inside: list[_Actor]) -> _Actor | None:
    """The person or body a quote is attributed to in its sentence: '..., Milley said'."""
    tail = text[quote[1] : quote[1] + 80]
    if _SPEECH.search(tail):
        for cand in inside:
            if quote[1] <= cand.start < quote[1] + 80 and cand.label in ("PERSON", "ORG"):
                return cand
    return None


def _target_after(
    text: str, t_start: int, t_end: int, hi: int, action: str, inside: list[_Actor], actor: _Actor | None, passive: bool
) -> _Actor | None:
    stop = _CLAUSE_END.search(text, t_end, min(hi, t_end + TARGET_REACH))
    limit = stop.start() if stop else min(hi, t_end + TARGET_REACH)
    hidden = _hidden_spans(text, t_end, limit)
    first_word = re.match(r"[\w'’-]+", text[t_start:t_end])
    lo = t_start + (first_word.end() if first_word else 0)  # "asked Turkey to close": Turkey inside the trigger
    options = [
        c for c in inside
        if lo <= c.start < limit and not any(h0 <= c.start < h1 for h0, h1 in hidden)
        and (actor is None or c.text != actor.text)
        and (c.label in _ACTOR_LABELS or action in _PLACE_TARGETS)
    ]
    if passive:
        options = [c for c in options if _word_before(text, lo, c.start) not in ("by", "from")]
    if action == "consult":
        for c in options:
            if _word_before(text, lo, c.start) == "with":
                return c
    for c in options:
        word = _word_before(text, lo, c.start)
        if word in ("according", "to") and text[max(0, c.start - 13) : c.start].lower().startswith("according"):
            continue
        if word in _LOCATIVE and action not in _PLACE_TARGETS:
            continue
        if c.label in ("LOC", "FAC") and word not in _TOWARDS:  # "drills in the Mediterranean": where, not whom
            continue
        return c
    return None


def _after_by(text: str, t_end: int, hi: int, inside: list[_Actor]) -> _Actor | None:
    for c in inside:
        if t_end <= c.start < min(hi, t_end + TARGET_REACH) and _word_before(text, t_end, c.start) in ("by", "from"):
            return c
    return None


def _word_before(text: str, lo: int, at: int) -> str:
    """The word before `at` (from `lo`), skipping articles and a few place adjectives."""
    words = _TOKEN.findall(text, max(lo, at - 50), at)
    while words:  # articles, place adjectives, titles ("President", "Secretary of State")
        last = words[-1]
        title_of = last in ("of", "the") and len(words) > 1 and words[-2][:1].isupper() and len(words[-2]) > 1
        if not (last.lower() in _SKIPPABLE or last[:1].isupper() or title_of):
            break
        words.pop()
    return words[-1].lower() if words else ""


def _after_preposition(text: str, lo: int, at: int) -> bool:
    word = _word_before(text, lo, at)
    return word in _PREPOSITIONS or word == "according"


def _first_conjunct(text: str, cand: _Actor, earlier: list[_Actor]) -> _Actor:
    """'Biden and Zelensky discussed': the subject is the first of the pair."""
    first = cand
    for prev in reversed(earlier):
        joined = _AND.fullmatch(text, prev.end, first.start) or (
            first is not cand and _COMMA.fullmatch(text, prev.end, first.start)  # "France, Germany and Italy"
        )
        if not joined:
            break
        first = prev
    return first


def _pronoun_before(
    text: str, lo: int, t_start: int, inside: list[_Actor], before: list[_Actor]
) -> tuple[int, _Actor] | None:
    """'he'/'she' -> the last person named before it; 'they' -> the last group or state."""
    last = None
    for m in _PRONOUN.finditer(text, lo, t_start):
        last = m
    if last is None or _after_preposition(text, lo, last.start()):
        return None
    wanted = ("PERSON",) if last.group(0).lower() in ("he", "she") else ("ORG", "GPE", "NORP")
    pool = before + [a for a in inside if a.end <= last.start()]  # the last 20 entities of earlier sentences
    for i in range(len(pool) - 1, -1, -1):
        cand = pool[i]
        if cand.label in wanted:
            first = _first_conjunct(text, cand, pool[:i]) if wanted != ("PERSON",) else cand
            partner = cand if first is not cand else None
            return last.start(), _Actor(first.text, last.start(), last.end(), first.label, partner)
    return None


def _hidden_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Parentheticals in text[lo:hi]: '(...)' and ' - ... - '."""
    return [(m.start(), m.end()) for m in _PARENTHETICAL.finditer(text, lo, hi)]


def _quotes_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _QUOTES.finditer(text, lo, hi)]


def _quote_at(quotes: list[tuple[int, int]], at: int) -> tuple[int, int] | None:
    i = bisect_right(quotes, (at, 1 << 62)) - 1
    if i >= 0 and quotes[i][0] <= at < quotes[i][1]:
        return quotes[i]
    return None


def _titles_person(text: str, ent: EntitySpan, following: list[EntitySpan]) -> bool:
    """Is `ent` part of a title before a person's name ("U.S. Secretary of State Antony Blinken")?"""
    for nxt in following:
        if nxt.start - ent.end > 60 or not _TITLE_GAP.match(text[ent.end : nxt.start]):
            return False
        if nxt.label == "PERSON":
            return True
    return False


def _demonym_part(ent: EntitySpan) -> EntitySpan:
    """'Horrific Russian' (an NER slip) -> 'Russian'."""
    words = ent.text.split(" ")
    for i, word in enumerate(words[:-1]):
        if word.lower() in DEMONYMS:
            break
        if words[i + 1].lower() in DEMONYMS:
            cut = len(" ".join(words[: i + 1])) + 1
            return EntitySpan(ent.text[cut:], ent.label, ent.start + cut, ent.end)
    return ent


def _candidates(text: PostText) -> list[_Actor]:
    """Entities that can act: people, bodies, states, peoples ('Russian troops' as written),
    without the modifiers of a titled name ('Russian' in 'Russian Foreign Minister Sergey Lavrov')."""
    ents = sorted((e for e in text.entities if e.label in _ACTOR_LABELS or e.label in _PLACE_LABELS), key=lambda e: e.start)
    out: list[_Actor] = []
    for i, ent in enumerate(ents):
        if ent.label != "PERSON" and _titles_person(text.text, ent, ents[i + 1 : i + 4]):
            continue
        if ent.label == "NORP":
            ent = _demonym_part(ent)
            noun = _GROUP_NOUN.match(text.text, ent.end, min(len(text.text), ent.end + 40))
            if noun:
                out.append(_Actor(text.text[ent.start : noun.end()], ent.start, noun.end(), ent.label))
                continue
        out.append(_Actor(ent.text, ent.start, ent.end, ent.label))
    return out


__all__ = ["ACTIONS", "TRIGGERS", "find_events", "find_triggers"]
