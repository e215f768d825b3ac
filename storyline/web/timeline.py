"""The home page: stories by the day they happened, with filters and day navigation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..serve import views
from . import forms
from .templating import is_fragment_request, render

router = APIRouter()


def by_day(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{day, stories}] keeping the stories' order (the order they happened)."""
    days: dict[str, list[dict[str, Any]]] = {}
    for story in stories:
        days.setdefault(story["day"] or "undated", []).append(story)
    return [{"day": d, "stories": items} for d, items in days.items()]


@router.get("/", response_class=HTMLResponse, name="timeline")
def timeline_page(request: Request) -> HTMLResponse:
    store = request.app.state.store
    actions = views.event_types()
    days = views.days(store)
    filters = forms.TimelineFilters.read(dict(request.query_params), {a["action"] for a in actions})
    shown = filters.with_default_range(days)
    found = views.stories(store, **shown.store_filters())
    more = len(found) > forms.STORIES_PER_PAGE
    found = found[:forms.STORIES_PER_PAGE]
    earlier, later = forms.neighbour_days(days, shown.since, shown.until)
    context = {
        "days": by_day(found), "all_days": days, "filters": filters, "shown": shown, "params": filters.params(),
        "more_offset": shown.offset + forms.STORIES_PER_PAGE if more else None, "earlier": earlier, "later": later,
        "outlets": views.outlet_names(store), "actions": actions, "default_days": forms.DEFAULT_DAYS,
    }
    template = "_timeline_results.html" if is_fragment_request(request) else "timeline.html"
    return render(request, template, **context)
