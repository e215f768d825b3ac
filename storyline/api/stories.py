"""Stories and the timeline: GET /api/stories, /api/stories/{id}, /api/timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from ..errors import NotFound
from ..serve import views
from . import schemas
from .conditional import ConditionalRoute, store_of
from .paging import PageRequest, page_request
from .params import Action, Day, Entity, NewestFirst, Outlet, Since, Until

router = APIRouter(route_class=ConditionalRoute, tags=["stories"], responses=schemas.ERRORS)


@router.get("/stories", response_model=schemas.Page[schemas.Story])
def list_stories(
    request: Request, day: Day = None, since: Since = None, until: Until = None, outlet: Outlet = None,
    entity: Entity = None, action: Action = None, newest_first: NewestFirst = False,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Stories in the order they happened, each with its provenance: first report,
    outlets, how many of them reported it independently, and its posts."""
    store = store_of(request)
    return page.answer(lambda offset, limit: views.stories(
        store, day=day, since=since, until=until, outlet=outlet, entity=entity, action=action,
        newest_first=newest_first, limit=limit, offset=offset))


@router.get("/stories/{story_id}", response_model=schemas.StoryDetail)
def get_story(request: Request, story_id: str) -> Any:
    """One story in full: every outlet's version side by side, quotes, figures, the
    figure conflicts its posts take part in, related stories."""
    found = views.story(store_of(request), story_id)
    if found is None:
        raise NotFound(f"no story with id {story_id!r}", "story_id")
    return found


@router.get("/timeline", response_model=schemas.Page[schemas.TimelineDay])
def timeline(
    request: Request, since: Since = None, until: Until = None, outlet: Outlet = None, entity: Entity = None,
    action: Action = None, newest_first: NewestFirst = False, page: PageRequest = Depends(page_request),
) -> Any:
    """Stories by day in the order they happened. `limit` counts stories, not days: a day
    cut by the page's end goes on at the top of the next page."""
    found = views.stories(store_of(request), since=since, until=until, outlet=outlet, entity=entity, action=action,
                          newest_first=newest_first, limit=page.limit + 1, offset=page.offset)
    shown = found[: page.limit]
    return page.of(views.by_day(shown), more=len(found) > page.limit, consumed=len(shown))
