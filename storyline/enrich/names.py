"""Name keys and small tables that let different spellings meet: "Zelenskyy" and "Zelensky",
"U.S." and "the United States", "Ukrainian President" and "Ukraine's president".

A key is what two spellings of one name share: accents dropped, case folded, punctuation
removed, doubled letters collapsed ("zelenskyy" -> "zelensky", "Kyiv"/"Kyyiv"), so transliteration
variants of one name meet. Keys are only ever compared, never shown.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Collection

_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_DOUBLED = re.compile(r"(\w)\1+")
_LEADING_THE = re.compile(r"^the\s+", re.I)

# Places and bodies written many ways; the canonical name is the value. Only names that
# news text really varies on: short forms, abbreviations with and without dots, old
# transliterations.
CANONICAL: dict[str, str] = {
    "us": "United States", "usa": "United States", "united states": "United States",
    "united states of america": "United States", "america": "United States",
    "uk": "United Kingdom", "britain": "United Kingdom", "great britain": "United Kingdom",
    "united kingdom": "United Kingdom",
    "nato": "NATO", "north atlantic treaty organization": "NATO",
    "north atlantic treaty organisation": "NATO",
    "eu": "European Union", "european union": "European Union",
    "un": "United Nations", "united nations": "United Nations",
    "un security council": "UN Security Council", "security council": "UN Security Council",
    "russian federation": "Russia", "russia": "Russia",
    "kiev": "Kyiv", "kyiv": "Kyiv",
    "osce": "OSCE", "organization for security and cooperation in europe": "OSCE",
    "organization for security and co-operation in europe": "OSCE",
    "the kremlin": "Kremlin", "kremlin": "Kremlin",
    "the pentagon": "Pentagon", "pentagon": "Pentagon",
    "the white house": "White House", "white house": "White House",
    "state department": "US State Department", "us state department": "US State Department",
    "the state department": "US State Department",
}

# Demonym -> country, for "Russian troops" (an actor) and "the Ukrainian president" (a role).
DEMONYMS: dict[str, str] = {
    "russian": "Russia", "ukrainian": "Ukraine", "american": "United States", "us": "United States",
    "u.s.": "United States", "british": "United Kingdom", "uk": "United Kingdom",
    "german": "Germany", "french": "France", "chinese": "China", "belarusian": "Belarus",
    "belarussian": "Belarus", "canadian": "Canada", "polish": "Poland", "italian": "Italy",
    "spanish": "Spain", "dutch": "Netherlands", "danish": "Denmark", "swedish": "Sweden",
    "finnish": "Finland", "norwegian": "Norway", "estonian": "Estonia", "latvian": "Latvia",
    "lithuanian": "Lithuania", "czech": "Czech Republic", "slovak": "Slovakia",
    "hungarian": "Hungary", "romanian": "Romania", "bulgarian": "Bulgaria", "turkish": "Turkey",
    "japanese": "Japan", "australian": "Australia", "israeli": "Israel", "iranian": "Iran",
    "georgian": "Georgia", "moldovan": "Moldova", "kazakh": "Kazakhstan", "croatian": "Croatia",
    "austrian": "Austria", "swiss": "Switzerland", "irish": "Ireland", "belgian": "Belgium",
    "portuguese": "Portugal", "greek": "Greece", "indian": "India", "pakistani": "Pakistan",
    "syrian": "Syria", "european": "European Union", "western": "the West",
}

# Offices that head a state or government: "the Ukrainian leader" may name any of them.
HEAD_OFFICES = frozenset({"president", "prime minister", "chancellor", "premier", "king", "queen"})
OFFICE_SYNONYMS: dict[str, str] = {
    "top diplomat": "foreign minister", "secretary of state": "foreign minister",
    "foreign secretary": "foreign minister", "defense minister": "defence minister",
    "defense secretary": "defence minister", "defence secretary": "defence minister",
    "secretary of defense": "defence minister", "spokeswoman": "spokesperson",
    "spokesman": "spokesperson", "press secretary": "spokesperson",
}


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub("", text.replace("’", "'").replace("'s ", " ").lower())
    return _SPACES.sub(" ", text).strip()


_SUFFIX = re.compile(r"\s+(?:jr|sr|ii|iii|iv)$")


def name_key(name: str) -> str:
    """The key two spellings of one name share ("Zelenskyy" ~ "Zelensky", "Lloyd Austin III"
    ~ "Lloyd Austin")."""
    return _DOUBLED.sub(r"\1", _SUFFIX.sub("", fold(_LEADING_THE.sub("", name.strip()))))


def canonical_name(text: str, label: str) -> str:
    """The name an entity goes by: a table entry, else the text without a leading 'the'."""
    bare = _LEADING_THE.sub("", text.strip())
    folded = fold(text)
    return CANONICAL.get(folded) or CANONICAL.get(fold(bare)) or bare


def country_of(word: str, places: Collection[str] = ()) -> str | None:
    """'Russian' -> 'Russia', "Ukraine's" -> 'Ukraine', 'U.S.' -> 'United States'; a demonym
    outside the table meets a place of the text by dropping its -n/-an/-ian ending
    ("Keravian" -> "Keravia" when the text names Keravia)."""
    bare = re.sub(r"['’]s$", "", word.strip())
    folded = bare.lower()
    if folded in DEMONYMS:
        return DEMONYMS[folded]
    canon = CANONICAL.get(fold(bare))
    if canon:
        return canon
    for cut in (1, 2, 3):
        if bare.endswith("n") and bare[:-cut] in places:
            return bare[:-cut]
    return bare if bare[:1].isupper() else None


def office_of(title: str) -> str:
    """The office a title names, lower case: 'Foreign Minister' -> 'foreign minister'."""
    office = _SPACES.sub(" ", title.strip().lower())
    return OFFICE_SYNONYMS.get(office, office)


def role_keys(holder: str, office: str) -> list[str]:
    """Keys under which a role finds its person, most specific first: ('Ukraine',
    'president') gives the president key, then 'leader'. A head of government who is not
    the head of state (a prime minister beside a president) is only a second-choice
    'leader', so "the Ukrainian leader" finds the president when both are named."""
    place = name_key(holder)
    office = office_of(office)
    keys = [f"role:{place}:{office}"]
    if office in {"president", "king", "queen", "leader"}:
        keys.append(f"role:{place}:leader")
    elif office in HEAD_OFFICES:
        keys.append(f"role:{place}:leader-2")
    return keys


def lookup_keys(holder: str, office: str) -> list[str]:
    """Keys to try for a role phrase: the office itself; "the Ukrainian leader" tries the
    head of state, then the head of government."""
    key = role_keys(holder, office)[0]
    return [key, key + "-2"] if key.endswith(":leader") else [key]


# Two spellings of one first name differ by a letter or two ("Sergei"/"Sergey",
# "Antony"/"Anthony", "Vlodomyr"/"Volodymyr"); two people's ("Joe"/"Jill") by more.
MAX_FIRST_NAME_EDITS = 2
MIN_FIRST_NAME_LENGTH = 4  # short names differ by few letters anyway ("Jon"/"Jan")


def same_first_name(a: str, b: str) -> bool:
    if a == b:
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < MIN_FIRST_NAME_LENGTH:
        return False
    return edit_distance(a, b) <= MAX_FIRST_NAME_EDITS


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names only: a few letters, so the plain table is enough)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
