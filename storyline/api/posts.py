"""Blogs and posts: GET /api/blogs, /api/posts, /api/posts/{id}."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from ..errors import NotFound
from ..serve import views
from . import schemas
from .conditional import ConditionalRoute, store_of
from .paging import PageRequest, page_request
from .params import Day, Instant, Kind, Outlet, since_instant, until_instant

router = APIRouter(route_class=ConditionalRoute, tags=["posts"], responses=schemas.ERRORS)


@router.get("/blogs", response_model=schemas.Page[schemas.Blog])
def list_blogs(request: Request, page: PageRequest = Depends(page_request)) -> Any:
    """Every stored live blog (one per page and day), newest day first."""
    return page.slice(views.blogs(store_of(request)))


@router.get("/posts", response_model=schemas.Page[schemas.Post])
def list_posts(
    request: Request,
    outlet: Outlet = None,
    day: Day = None,
    kind: Kind = None,
    since: Instant = None,
    until: Instant = None,
    oldest_first: Annotated[bool, Query(description="oldest first (default newest)")] = False,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Stored posts with their enrichment, newest first; `since` is inclusive, and so is
    `until` when it is a day."""
    store = store_of(request)
    return page.answer(lambda offset, limit: views.posts(
        store, outlet=outlet, day=day, kind=kind, since=since_instant(since), until=until_instant(until),
        newest_first=not oldest_first, limit=limit, offset=offset))


@router.get("/posts/{post_id}", response_model=schemas.PostDetail)
def get_post(request: Request, post_id: str) -> Any:
    """One post with its enrichment and its earlier revisions (oldest first)."""
    found = views.post(store_of(request), post_id)
    if found is None:
        raise NotFound(f"no post with id {post_id!r}", "post_id")
    return found
