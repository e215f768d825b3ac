"""Merging one document's entities into the corpus's, inside the save transaction.

A document entity meets a stored one by its keys (enrich/entities.py `entity_keys`): the
same spelling of a name; the same surname when that surname belongs to one stored person
only and the names agree (one of them is a bare surname, or the first names are two
spellings of one name: "Sergei"/"Sergey"). Roles never merge across documents (offices
change hands). A match
keeps the stored id, so an entity's id never changes once stored; a fuller name replaces
a bare surname as the display name ("Putin" -> "Vladimir Putin"). Mentions and quote
speakers of the document are rewritten to the ids they merged into.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from ..enrich.entities import entity_keys
from ..enrich.names import name_key, same_first_name
from ..model import Entity, Parsed
from . import rows, schema


def merge_entities(conn: sa.Connection, parsed: Parsed, now: datetime) -> None:
    if not parsed.entities:
        return
    keys_of = {e.id: e.keys or entity_keys(e) for e in parsed.entities}
    owners = _owners(conn, {k for keys in keys_of.values() for k in keys})
    stored = _stored(conn, {i for ids in owners.values() for i in ids} | set(keys_of))
    remap: dict[str, str] = {}
    for entity in parsed.entities:
        target = _match(entity, keys_of[entity.id], owners, stored)
        final = _write(conn, entity, target, stored, now)
        remap[entity.id] = final.id
        new_keys = [k for k in keys_of[entity.id] if final.id not in owners.get(k, set())]
        if new_keys:
            conn.execute(sa.insert(schema.entity_keys), [{"key": k, "entity_id": final.id} for k in new_keys])
            for k in new_keys:
                owners.setdefault(k, set()).add(final.id)
    _rewrite(parsed, remap, stored)


def _owners(conn: sa.Connection, keys: set[str]) -> dict[str, set[str]]:
    table = schema.entity_keys
    found: dict[str, set[str]] = defaultdict(set)
    for batch in rows.chunks(sorted(keys)):
        for key, entity_id in conn.execute(sa.select(table.c.key, table.c.entity_id).where(table.c.key.in_(batch))):
            found[key].add(entity_id)
    return found


def _stored(conn: sa.Connection, ids: set[str]) -> dict[str, Entity]:
    table = schema.entities
    found = {}
    for batch in rows.chunks(sorted(ids)):
        for row in conn.execute(sa.select(table).where(table.c.id.in_(batch))).mappings():
            found[row["id"]] = Entity(row["id"], row["name"], row["type"], list(row["aliases"]), list(row["roles"]))
    return found


def _match(entity: Entity, keys: list[str], owners: dict[str, set[str]], stored: dict[str, Entity]) -> Entity | None:
    if entity.id in stored:
        return stored[entity.id]
    by_name = [k for k in keys if k.startswith(("p:", "n:"))]
    for key in by_name:
        if len(owners.get(key, ())) == 1:
            return stored.get(next(iter(owners[key])))
    if entity.type != "PERSON":
        return None
    mine = name_key(entity.name).split()
    for key in (k for k in keys if k.startswith("ps:")):
        found = owners.get(key, set())
        if len(found) != 1:
            continue  # unknown, or a surname two stored persons share: not guessed
        other = stored.get(next(iter(found)))
        theirs = name_key(other.name).split() if other else []
        if other is not None and (len(mine) == 1 or len(theirs) == 1 or same_first_name(mine[0], theirs[0])):
            return other
    # Roles never merge on their own across documents: offices change hands (a new prime
    # minister is not the old one), so a role only finds its holder within a document.
    return None


def _write(conn: sa.Connection, entity: Entity, target: Entity | None, stored: dict[str, Entity], now: datetime) -> Entity:
    table = schema.entities
    if target is None:
        conn.execute(sa.insert(table).values(id=entity.id, name=entity.name, type=entity.type,
                                             aliases=sorted(set(entity.aliases)), roles=list(entity.roles), first_seen=now))
        stored[entity.id] = Entity(entity.id, entity.name, entity.type, sorted(set(entity.aliases)), list(entity.roles))
        return stored[entity.id]
    names = {target.name, *target.aliases, entity.name, *entity.aliases}
    name = max([target.name, entity.name], key=lambda n: len(n.split())) if entity.type == "PERSON" else target.name
    aliases = sorted(names - {name})
    roles = list(dict.fromkeys([*target.roles, *entity.roles]))
    if (name, aliases, roles) != (target.name, target.aliases, target.roles):
        conn.execute(sa.update(table).where(table.c.id == target.id).values(name=name, aliases=aliases, roles=roles))
        target.name, target.aliases, target.roles = name, aliases, roles
    return target


def _rewrite(parsed: Parsed, remap: dict[str, str], stored: dict[str, Entity]) -> None:
    names = {old: stored[new].name for old, new in remap.items()}
    for post in parsed.posts:
        for mention in post.entities:
            if mention.entity_id in remap:
                mention.entity_id, mention.name = remap[mention.entity_id], names[mention.entity_id]
        for quote in post.quotes:
            if quote.speaker_id in remap:
                quote.speaker_id, quote.speaker = remap[quote.speaker_id], names[quote.speaker_id]
    for entity in parsed.entities:
        if entity.id in remap:
            entity.id, entity.name = remap[entity.id], stored[remap[entity.id]].name
