"""Who said what, who is named, which figures: GET /api/entities, /api/entities/{id},
/api/quotes, /api/figures."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, Depends, Query, Request

from ..errors import NotFound
from ..serve import views
from . import schemas
from .conditional import ConditionalRoute, store_of
from .paging import PageRequest, page_request
from .params import NAME_LENGTH, Day, Outlet

router = APIRouter(route_class=ConditionalRoute, tags=["facts"], responses=schemas.ERRORS)

EntityType = Optional[Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"]]


@router.get("/entities", response_model=schemas.Page[schemas.EntityRow])
def list_entities(
    request: Request,
    type: Annotated[EntityType, Query(description="PERSON, ORG, GPE, LOC, NORP or FAC")] = None,
    page: PageRequest = Depends(page_request),
) -> Any:
    """People, organisations and places under their canonical names, most mentioned
    first, with mention, post and quote counts."""
    store = store_of(request)
    return page.answer(lambda offset, limit: views.entities(store, type, limit=limit, offset=offset))


@router.get("/entities/{entity_id}", response_model=schemas.EntityDetail)
def get_entity(request: Request, entity_id: str) -> Any:
    """One entity with its quotes over time (oldest first)."""
    found = views.person(store_of(request), entity_id)
    if found is None:
        raise NotFound(f"no entity with id {entity_id!r}", "entity_id")
    return found


@router.get("/quotes", response_model=schemas.Page[schemas.QuoteRow])
def list_quotes(
    request: Request,
    speaker: Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="any spelling of the speaker's name, or a surname")] = None,
    day: Day = None,
    outlet: Outlet = None,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Direct quotes in time order, with speaker, cue and source post."""
    store = store_of(request)
    return page.answer(lambda offset, limit: views.quotes(store, speaker, day=day, outlet=outlet, limit=limit,
                                                          offset=offset))


@router.get("/figures", response_model=schemas.Page[schemas.FigureRow])
def list_figures(
    request: Request,
    what: Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="what is counted: 'troops', 'aid'")] = None,
    day: Day = None,
    outlet: Outlet = None,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Every figure reported, in time order, with its source post."""
    store = store_of(request)
    return page.answer(lambda offset, limit: views.figures(store, what, day=day, outlet=outlet, limit=limit,
                                                           offset=offset))
