"""GET /api/search: posts by words and meaning (store/search.py ranks them), best first,
with the matches marked in the headline and snippet; filters as `storyline search`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from . import schemas
from .conditional import ConditionalRoute, store_of
from .paging import PageRequest, page_request
from .params import Kind, Outlet, Since, Until

router = APIRouter(route_class=ConditionalRoute, tags=["search"], responses=schemas.ERRORS)

# Longest query taken: a long sentence pasted in; more only costs the ranking time.
MAX_QUERY = 500


@router.get("/search", response_model=schemas.Page[schemas.SearchHit])
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description='words to find; "quoted words" as a phrase')],
    outlet: Outlet = None,
    since: Since = None,
    until: Until = None,
    kind: Kind = None,
    semantic: Annotated[bool, Query(description="fuse sentence-vector similarity with the full-text rank")] = True,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Posts matching `q`, best first: full-text rank fused with vector similarity."""
    from ..store.search import hit_json

    store = store_of(request)
    return page.answer(lambda offset, limit: [hit_json(h) for h in store.search(
        q, outlet=outlet, since=since, until=until, kind=kind, limit=limit, offset=offset, semantic=semantic)])
