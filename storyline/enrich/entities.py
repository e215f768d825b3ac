"""Mentions -> canonical entities, across one document's posts.

Within a document (a live blog carries a story for a day or more):
- the named mentions of a person meet on the surname: "Putin" is "Vladimir Putin" when the
  document names him in full; spelling variants share a key ("Zelenskyy" ~ "Zelensky"),
  and two full names with the same surname key and first initial are one person
  ("Vlodomyr Zelensky" ~ "Volodymyr Zelensky"); a surname shared by two full names stays
  unresolved rather than guessed;
- titles written next to a name are the person's roles ("Kremlin spokesman Dmitry Peskov");
  a role phrase without a name ("Ukraine's president", "the Ukrainian leader") is a mention
  of the person holding that role in the document, when one does;
- places and bodies take a canonical name from a small table ("U.S." -> "United States");
  a demonym names its country ("Russian troops" mention Russia).
The store then merges document entities into the corpus's (store/entities.py), by the same
keys, so "Putin" in one blog and "Vladimir Putin" in another are one entity.
Quote speakers and event actors/targets are rewritten to the canonical names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..model import Entity, Mention, Post
from .names import CANONICAL, DEMONYMS, canonical_name, country_of, fold, lookup_keys, name_key, role_keys, same_first_name
from .roles import Role, parse_title, role_around, role_phrases, title_length
from .text import PostText

# A country acting through its state: "Russian troops", "the Ukrainian government".
_GROUP = re.compile(
    r"(?:the\s+)?([A-Z][\w.]*)\s+(?:troops|forces|military|army|navy|government|officials|authorities|"
    r"ministry|embassy|diplomats|leadership|administration|defen[cs]e ministry|foreign ministry)$",
    re.I,
)
HOLDER_LABELS = frozenset({"GPE", "ORG", "NORP"})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


def entity_id(kind: str, name: str) -> str:
    return f"{kind.lower()}:{name_key(name).replace(' ', '-')}"


@dataclass
class _Person:
    names: Counter = field(default_factory=Counter)  # full names as written -> count
    roles: list[Role] = field(default_factory=list)

    @property
    def name(self) -> str:
        # The fullest name ("Ursula von der Leyen" over "von der Leyen"), then the most used
        # spelling ("Volodymyr" over a one-off "Vlodomyr").
        return max(self.names.items(), key=lambda kv: (len(kv[0].split()), kv[1], len(kv[0])))[0]

    def initial(self) -> str:
        return name_key(self.name)[:1]


class DocumentEntities:
    """The persons, bodies and places of one document, and the lookups into them."""

    def __init__(self) -> None:
        self.persons: list[_Person] = []
        self.by_key: dict[str, _Person] = {}  # full-name key -> person
        self.by_surname: dict[str, set[int]] = defaultdict(set)  # surname key -> persons
        self.by_role: dict[str, set[int]] = defaultdict(set)
        self.others: dict[str, Entity] = {}  # entity id -> place/body entity
        self.holders: set[str] = set()  # names that may open a title: places, bodies

    # -- building ------------------------------------------------------------------------

    def add_full_name(self, text: str) -> None:
        key = name_key(text)
        parts = key.split()
        if key in self.by_key:
            self.by_key[key].names[text] += 1
            return
        for index in self.by_surname.get(parts[-1], ()):
            person = self.persons[index]
            # "von der Leyen" within "Ursula von der Leyen"; or a spelling variant of the first
            # name with the same initial ("Vlodomyr"/"Volodymyr"), when the surname is unique.
            shorter = any(k.endswith(" " + key) or key.endswith(" " + k) for k in map(name_key, person.names))
            if (shorter or _same_first_name(person, parts[0])) and len(self.by_surname[parts[-1]]) == 1:
                person.names[text] += 1
                self.by_key[key] = person
                return
        person = _Person(Counter({text: 1}))
        self.persons.append(person)
        self.by_key[key] = person
        self.by_surname[parts[-1]].add(len(self.persons) - 1)

    def add_role(self, person: _Person, role: Role) -> None:
        if all(r.title != role.title for r in person.roles):
            person.roles.append(role)
        if role.holder:
            for key in role_keys(role.holder, role.office):
                self.by_role[key].add(self.persons.index(person))

    # -- lookups -------------------------------------------------------------------------

    def person(self, text: str) -> _Person | None:
        key = name_key(text)
        if not key or key in PRONOUNS:
            return None
        if key in self.by_key:
            return self.by_key[key]
        found = self.by_surname.get(key.split()[-1], set())
        return self.persons[next(iter(found))] if len(found) == 1 else None

    def person_by_role(self, role: Role) -> _Person | None:
        if not role.holder:
            return None
        for key in lookup_keys(role.holder, role.office):
            if key.endswith("-2") and self._unplaced_head():
                return None  # "the Ukrainian leader" beside a "President X" of no stated country
            found = self.by_role.get(key, set())
            if len(found) == 1:
                return self.persons[next(iter(found))]
        return None

    def _unplaced_head(self) -> bool:
        return any(r.office == "president" and not r.holder for p in self.persons for r in p.roles)

    def resolve(self, text: str | None) -> tuple[str | None, str | None, str | None]:
        """(canonical name, entity id, type) for a speaker or actor as written."""
        if not text:
            return None, None, None
        person = self.person(text)
        if person is not None:
            return person.name, entity_id("PERSON", person.name), "PERSON"
        phrases = role_phrases(text, set())
        if phrases:
            person = self.person_by_role(phrases[0].role)
            if person is not None:
                return person.name, entity_id("PERSON", person.name), "PERSON"
        group = _GROUP.match(text.strip())
        if group:  # "Russian troops", "the US embassy": the country acts through them
            country = country_of(group.group(1), self.holders)
            if country and (group.group(1).lower() in DEMONYMS or country in self.holders):
                return country, entity_id("GPE", country), "GPE"
        name = canonical_name(text, "ORG")
        for kind in ("ORG", "GPE", "LOC", "NORP", "FAC"):
            if entity_id(kind, name) in self.others:
                return name, entity_id(kind, name), kind
        return None, None, None

    def records(self) -> list[Entity]:
        out = []
        for person in self.persons:
            name = person.name
            aliases = sorted(set(person.names) - {name})
            entity = Entity(entity_id("PERSON", name), name, "PERSON", aliases, [r.title for r in person.roles])
            roles = [role_keys(r.holder, r.office)[0] for r in person.roles if r.holder]
            entity.keys = sorted(set(entity_keys(entity)) | set(roles))
            out.append(entity)
        for entity in self.others.values():
            entity.keys = entity_keys(entity)
            out.append(entity)
        return out


def link_entities(posts: list[Post], texts: list[PostText]) -> list[Entity]:
    """Fill each post's mentions with canonical names and ids; rewrite quote speakers and
    event actors/targets to canonical names. Returns the document's entities."""
    doc = DocumentEntities()
    for text in texts:
        _untitle(text)
    _vote_labels(texts)
    doc.holders = {span.text for text in texts for span in text.entities if span.label in HOLDER_LABELS}
    for text in texts:  # full names first, so surnames anywhere in the document find them
        for span in text.entities:
            if span.label == "PERSON" and len(name_key(span.text).split()) >= 2:
                doc.add_full_name(span.text)
    for post, text in zip(posts, texts):
        post.entities = _mentions(doc, text)
    holders = doc.holders | {e.name for e in doc.others.values()}
    for post, text in zip(posts, texts):
        post.entities.extend(_role_mentions(doc, text, holders))
        post.entities.sort(key=lambda m: m.start)
        _canonical_speakers(doc, post)
    return doc.records()


_PARTICLE_TAIL = re.compile(r"(?:[^\S\n]+(?:von|van|der|den|de|da|di|del|la|le|al|bin|ibn)\b)*[^\S\n]+[A-Z][\w’'-]+")


def _same_first_name(person: _Person, first: str) -> bool:
    return any(same_first_name(name_key(n).split()[0], first) for n in person.names if len(name_key(n).split()) > 1)


def _vote_labels(texts: list[PostText]) -> None:
    """One label per name across the document: the recogniser sometimes calls "Kyiv" a
    person in one sentence and a place in ten others; the majority (places from the
    canonical table always) wins."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for span in text.entities:
            votes[span.text][span.label] += 1
    demonyms = {span.text for text in texts for span in text.entities if span.label in ("NORP", "GPE")}
    surnames = {span.text.split()[-1] for text in texts for span in text.entities
                if span.label == "PERSON" and len(span.text.split()) >= 2}
    for text in texts:
        for span in text.entities:
            if span.label == "PERSON" and (fold(span.text) in CANONICAL or _has_demonym(span.text, demonyms)):
                span.label = "GPE"  # "Valmora" beside "Valmoran troops" is a country
            elif span.label == "ORG" and span.text in surnames:
                span.label = "PERSON"  # "Biden agreed" after "Joe Biden" is the person
            elif len(votes[span.text]) > 1:
                span.label = votes[span.text].most_common(1)[0][0]


def _has_demonym(name: str, demonyms: set[str]) -> bool:
    return " " not in name and any(name + ending in demonyms for ending in ("n", "an", "ian"))


def _untitle(text: PostText) -> None:
    """Tidy person spans the recogniser got wrong: a title taken into the name ("Spokesperson
    Jen Psaki") is cut; a name cut at a particle ("Ursula von") is completed."""
    for span in text.entities:
        if span.label != "PERSON":
            continue
        cut = title_length(span.text)
        if cut:
            span.text, span.start = span.text[cut:], span.start + cut
        if span.text.split()[-1] in {"von", "van", "der", "den", "de", "da", "di", "del", "al", "bin", "ibn"}:
            tail = _PARTICLE_TAIL.match(text.text, span.end)
            if tail:
                span.end = tail.end()
                span.text = text.text[span.start:span.end]


def _mentions(doc: DocumentEntities, text: PostText) -> list[Mention]:
    mentions = []
    for span in text.entities:
        if span.label == "PERSON":
            person = doc.person(span.text)
            key = name_key(span.text)
            if person is None and key and not doc.by_surname.get(key.split()[-1]):  # a name never given in full
                doc.add_full_name(span.text)
                person = doc.person(span.text)
            if person is None:  # an ambiguous surname: kept as written, not guessed
                mentions.append(Mention(span.text, None, span.start, span.end, "PERSON", None))
                continue
            role = role_around(text.text, span.start, span.end, doc.holders)
            if role is not None:
                doc.add_role(person, role)
            mentions.append(
                Mention(span.text, entity_id("PERSON", person.name), span.start, span.end, "PERSON", person.name,
                        role.title if role else None)
            )
            continue
        kind, name = span.label, canonical_name(span.text, span.label)
        if kind in ("NORP", "GPE"):  # a demonym names its country: "Russian", "Valmoran"
            country = country_of(span.text, doc.holders)
            if span.text.lower() in DEMONYMS or (country and country != span.text and country in doc.holders):
                kind, name = "GPE", country or name
        eid = entity_id(kind, name)
        entity = doc.others.setdefault(eid, Entity(eid, name, kind))
        if span.text != name and span.text not in entity.aliases:
            entity.aliases.append(span.text)
        mentions.append(Mention(span.text, eid, span.start, span.end, span.label, name))
    return mentions


def _role_mentions(doc: DocumentEntities, text: PostText, holders: set[str]) -> list[Mention]:
    """Role phrases standing for a person the document names: "Ukraine's president"."""
    out = []
    for phrase in role_phrases(text.text, holders):
        if any(span.start < phrase.end and phrase.start < span.end for span in text.entities if span.label == "PERSON"):
            continue
        person = doc.person_by_role(phrase.role)
        if person is None:
            continue
        out.append(Mention(phrase.text, entity_id("PERSON", person.name), phrase.start, phrase.end, "PERSON",
                           person.name, phrase.role.title))
    return out


def _canonical_speakers(doc: DocumentEntities, post: Post) -> None:
    for quote in post.quotes:
        written = quote.speaker or quote.speaker_as_written
        name, eid, kind = doc.resolve(written)
        if name is None and quote.speaker_as_written and quote.speaker_as_written != written:
            name, eid, kind = doc.resolve(quote.speaker_as_written)
        as_written = (quote.speaker_as_written or "").strip()
        if kind == "GPE" and as_written and fold(as_written) != fold(written or "") and not _GROUP.match(as_written):
            continue  # "US progressives" are not the United States
        if name is not None:
            quote.speaker, quote.speaker_id, quote.speaker_type = name, eid, kind
    for event in post.events:
        for attr in ("actor", "target"):
            name, _eid, _kind = doc.resolve(getattr(event, attr))
            if name is not None:
                setattr(event, attr, name)


def entity_keys(entity: Entity) -> list[str]:
    """The keys an entity is found by across documents (store/entities.py): a person by each
    spelling of the name, by surname and by each placed role; a place or body by its names."""
    if entity.type != "PERSON":
        return sorted({f"n:{name_key(n)}" for n in [entity.name, *entity.aliases] if name_key(n)})
    keys: set[str] = set()
    for name in [entity.name, *entity.aliases]:
        key = name_key(name)
        if key:
            keys.add(f"p:{key}")
            keys.add(f"ps:{key.split()[-1]}")
    for title in entity.roles:
        role = parse_title(title)
        if role is not None and role.holder:
            keys.add(role_keys(role.holder, role.office)[0])
    return sorted(keys)
