"""What is assembled over the whole corpus: GET /api/conflicts, /api/calendar,
/api/calendar.ics, /api/brief, and the chart series under /api/charts/."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Optional, Union

from fastapi import APIRouter, Depends, Query, Request, Response

from ..serve import views
from . import schemas
from .conditional import ConditionalRoute, store_of
from .paging import PageRequest, page_request
from .params import NAME_LENGTH

router = APIRouter(route_class=ConditionalRoute, tags=["assembled"], responses=schemas.ERRORS)

# Bullets a brief may ask for: a day's brief is a handful; the ceiling bounds the work.
MAX_POINTS = 50
What = Annotated[Optional[str], Query(max_length=NAME_LENGTH, description="a figure's subject: 'Russian troops'")]


@router.get("/conflicts", response_model=Union[schemas.Page[schemas.Conflict], schemas.Page[schemas.FigureClaim]])
def conflicts(
    request: Request, what: What = None,
    kind: Annotated[Optional[Literal["figures", "claims"]], Query(description="only figures that disagree, or only contradicting claims")] = None,
    page: PageRequest = Depends(page_request),
) -> Any:
    """Figures that outlets (or one outlet over time) report differently, then claims
    that contradict each other, with their sources; with `what`, instead every figure
    about that thing over time (its history)."""
    store = store_of(request)
    if what:
        return page.slice(views.figure_history(store, what))
    found = views.conflicts(store)
    return page.slice([c for part in ("figures", "claims") if kind in (None, part) for c in found.get(part, [])])


@router.get("/calendar", response_model=schemas.Page[schemas.CalendarEvent])
def calendar(request: Request, page: PageRequest = Depends(page_request)) -> Any:
    """Announced future events, soonest first, with their resolved dates and sources."""
    return page.slice(views.calendar(store_of(request)))


@router.get("/calendar.ics", response_class=Response,
            responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}},
                             "description": "an iCalendar file a calendar app imports"}})
def calendar_ics(request: Request) -> Response:
    """The calendar as iCalendar (RFC 5545)."""
    from ..assemble.calendar import to_ics

    text = to_ics(views.calendar_events(store_of(request)), "storyline")
    return Response(text.encode("utf-8"), media_type="text/calendar; charset=utf-8")


@router.get("/brief", response_model=schemas.Brief)
def brief(
    request: Request,
    day: Annotated[date, Query(description="the day (YYYY-MM-DD)")],
    points: Annotated[int, Query(ge=1, le=MAX_POINTS, description="at most this many bullets")] = 5,
) -> Any:
    """The day's key points across outlets, each linked to its stories, also as Markdown."""
    return views.brief(store_of(request), day, points)


@router.get("/charts/posts-per-outlet", response_model=schemas.PostsPerOutletChart, tags=["charts"])
def chart_posts_per_outlet(request: Request) -> Any:
    """Posts per outlet per day."""
    return views.chart_posts_per_outlet(store_of(request))


@router.get("/charts/event-score", response_model=schemas.EventScoreChart, tags=["charts"])
def chart_event_score(request: Request) -> Any:
    """The daily mean cooperation (+10) to conflict (−10) score of coded events."""
    return views.chart_event_score(store_of(request))


@router.get("/charts/figure", response_model=schemas.FigureChart, tags=["charts"])
def chart_figure(
    request: Request,
    what: Annotated[str, Query(min_length=1, max_length=NAME_LENGTH, description="a figure's subject: 'troops'")],
) -> Any:
    """One figure's values over time, a series per outlet."""
    return views.chart_figure(store_of(request), what)
