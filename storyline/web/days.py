"""What the days hold: the calendar of announced events (and its .ics file) and each
day's key points."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..assemble.ics import to_ics
from ..errors import NotFound
from ..serve import views
from . import forms
from .templating import render

router = APIRouter()

# Key points a day, as `storyline brief --points` takes.
DEFAULT_POINTS = 5
MAX_POINTS = 20


@router.get("/calendar", response_class=HTMLResponse, name="calendar")
def calendar_page(request: Request) -> HTMLResponse:
    events = views.calendar(request.app.state.store)
    by_day: dict[str, list[dict]] = {}
    for event in events:
        by_day.setdefault((event["start"] or "undated")[:10], []).append(event)
    return render(request, "calendar.html", days=[{"day": d, "events": e} for d, e in by_day.items()])


@router.get("/calendar.ics", name="calendar_ics")
def calendar_file(request: Request) -> Response:
    text = to_ics(views.calendar_events(request.app.state.store), "storyline")
    return Response(text, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="storyline.ics"'})


@router.get("/brief", response_class=HTMLResponse, name="brief")
def brief_page(request: Request) -> HTMLResponse:
    store = request.app.state.store
    days = views.days(store)
    day = forms.day(request.query_params.get("day"), "day")
    points = forms.whole(request.query_params.get("points"), "points", DEFAULT_POINTS, low=1, high=MAX_POINTS)
    if day is None:
        if not days:
            return render(request, "brief.html", brief=None, days=days, earlier=None, later=None, points=points)
        day = date.fromisoformat(days[-1])
    if day.isoformat() not in days:
        raise NotFound(f"no posts on {day.isoformat()}")
    earlier, later = forms.neighbour_days(days, day, day)
    return render(request, "brief.html", brief=views.brief(store, day, points), days=days, earlier=earlier,
                  later=later, points=points)
