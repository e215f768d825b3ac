"""The entity list (people, organisations, places) and one entity's quotes over time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import BadRequest, NotFound
from ..serve import views
from . import forms
from .templating import render

router = APIRouter()

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
ENTITIES_PER_PAGE = 100


def by_day(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    days: dict[str, list[dict[str, Any]]] = {}
    for quote in quotes:
        days.setdefault(quote.get("day") or "undated", []).append(quote)
    return [{"day": d, "quotes": items} for d, items in days.items()]


@router.get("/entities", response_class=HTMLResponse, name="entities")
def entities_page(request: Request) -> HTMLResponse:
    params = request.query_params
    kind = (forms.text(params.get("type"), "type") or "").upper() or None
    if kind and kind not in ENTITY_TYPES:
        raise BadRequest(f"type: {kind!r} is not one of {', '.join(ENTITY_TYPES)}")
    offset = forms.whole(params.get("offset"), "offset", 0)
    found = views.entities(request.app.state.store, kind, limit=ENTITIES_PER_PAGE + 1, offset=offset)
    more = len(found) > ENTITIES_PER_PAGE
    return render(request, "entities.html", entities=found[:ENTITIES_PER_PAGE], kind=kind, types=ENTITY_TYPES,
                  offset=offset, per_page=ENTITIES_PER_PAGE, more=more)


@router.get("/entities/{entity_id}", response_class=HTMLResponse, name="person")
def person_page(request: Request, entity_id: str) -> HTMLResponse:
    found = views.person(request.app.state.store, entity_id)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}")
    return render(request, "person.html", person=found, days=by_day(found["quotes"]))
