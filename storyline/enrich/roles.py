"""Titles and roles around names: "Russian President Vladimir Putin", "Dmitry Peskov, the
Kremlin spokesman,", and role phrases standing for a person: "Ukraine's president", "the
Ukrainian leader", "the top US diplomat".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection

from .names import CANONICAL, DEMONYMS, country_of, fold, office_of

_OFFICE = (
    r"(?:(?:deputy|vice|former|acting|chief|senior|top)[\s-]+)?"
    r"(?:(?:prime|foreign|defen[cs]e|finance|interior|health|economy|energy|justice|culture|digital)\s+minister|"
    r"(?:defen[cs]e|foreign|home|press|cabinet)\s+secretary|"
    r"secretary\s+of\s+state|secretary\s+of\s+defen[cs]e|secretary[\s-]general|"
    r"national\s+security\s+advis[eo]r|top\s+diplomat|minister|president|chancellor|spokes(?:man|woman|person)|"
    r"ambassador|mayor|governor|senator|sen\.|general|gen\.|admiral|leader|premier|king|queen|envoy|"
    r"commissioner|chairman|chairwoman|chair|speaker|commander)"
)
# A holder's words are never the first word of a compound office ("Prime" of "Prime Minister").
_OFFICE_WORD = r"(?!(?i:prime|foreign|defen[cs]e|finance|interior|health|economy|energy|justice|culture|digital|deputy|vice|press|home|cabinet|former|acting|chief|senior|top|national|secretary)\b)"
_HOLDER = rf"{_OFFICE_WORD}[A-Z][\w.’'-]*(?:[^\S\n]+{_OFFICE_WORD}[A-Z][\w.’'-]*)?"
_SP = r"[^\S\n]+"  # spaces within a line: a title never runs across paragraphs
# Title right before the name: "Russian President ", "Kremlin spokesman ", "US Secretary of State ".
_BEFORE = re.compile(rf"(?:(?P<holder>{_HOLDER}?)(?:['’]s)?{_SP})?(?P<office>(?i:{_OFFICE})){_SP}$")
# Apposition right after the name: ", the Kremlin spokesman," / ", Ukraine's president,".
_AFTER = re.compile(
    rf",{_SP}(?:(?i:the|a|an){_SP})?(?:(?P<holder>{_HOLDER}?)(?:['’]s)?{_SP})?(?P<office>(?i:{_OFFICE}))"
    rf"(?:{_SP}of{_SP}(?P<of>{_HOLDER}))?[^\S\n]*[,.;)]"
)
# A role standing for a person: "the Ukrainian president", "Ukraine's leader", not followed
# by the person's name (that is a title, handled above).
_ROLE_PHRASE = re.compile(
    rf"\b(?:(?i:the){_SP})?(?P<holder>{_HOLDER}?)(?:['’]s)?{_SP}(?P<office>(?i:{_OFFICE}))\b(?![^\S\n]+[A-Z])"
)
LOOK_BEHIND = 80  # characters searched for a title before a name: "US Secretary of State " is 22


_TITLE_INSIDE = re.compile(rf"^(?:(?i:{_OFFICE})|Mr|Mrs|Ms|Dr|Prof)\.?{_SP}(?=[A-Z])")


def title_length(name: str) -> int:
    """Characters of a title the recogniser took into a name ("Spokesperson Jen Psaki")."""
    match = _TITLE_INSIDE.match(name)
    return match.end() if match and len(name[match.end():].split()) >= 1 else 0


@dataclass(slots=True)
class Role:
    title: str  # as written: 'Kremlin spokesman'
    office: str  # normalised: 'spokesperson'
    holder: str | None  # the country or body: 'Kremlin', 'Ukraine'


def is_holder(word: str, holders: Collection[str]) -> bool:
    """A country, demonym or body: what a title's first words may name ("Russian", "Kremlin")."""
    bare = re.sub(r"['’]s$", "", word)
    return bare.lower() in DEMONYMS or bare in holders or fold(bare) in CANONICAL


def role_around(text: str, start: int, end: int, holders: set[str]) -> Role | None:
    """The title written next to the name at text[start:end], if any."""
    match = _BEFORE.search(text, max(0, start - LOOK_BEHIND), start)
    if match is None:
        match = _AFTER.match(text, end, min(len(text), end + 120))
    if match is None:
        return None
    holder = match.group("holder") or (match.groupdict().get("of") or None)
    if holder and not is_holder(holder, holders):  # "Thanked President", "Staff General"
        words = holder.split()
        holder = words[-1] if len(words) > 1 and is_holder(words[-1], holders) else None
    office = office_of(match.group("office"))
    title = " ".join(x for x in (holder, match.group("office")) if x)
    return Role(title, office, country_of(holder, holders) if holder else None)


@dataclass(slots=True)
class RolePhrase:
    text: str
    start: int
    end: int
    role: Role


def role_phrases(text: str, holders: set[str]) -> list[RolePhrase]:
    """Role phrases naming a person of a known country or body ("Ukraine's president").
    `holders`: names of places and bodies in the text, besides the demonym table."""
    found = []
    for match in _ROLE_PHRASE.finditer(text):
        holder = match.group("holder")
        bare = re.sub(r"['’]s$", "", holder)
        if not is_holder(bare, holders):
            continue
        role = Role(match.group(0), office_of(match.group("office")), country_of(bare, holders))
        found.append(RolePhrase(match.group(0), match.start(), match.end(), role))
    return found


def parse_title(title: str, holders: Collection[str] = ()) -> Role | None:
    """A stored title back into its parts: 'Russian President' -> president of Russia."""
    match = _BEFORE.search(title + " ")
    if match is None:
        return None
    holder = match.group("holder")
    if holder and not is_holder(holder, set(holders)):
        holder = None
    return Role(title, office_of(match.group("office")), country_of(holder, holders) if holder else None)
