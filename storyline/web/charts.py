"""Charts: posts per outlet per day, the daily cooperation-conflict score, and one
figure's values over time by source. The data goes into the page as JSON blocks that
static/app.js draws with the vendored Chart.js; each chart has a table beside it, so the
page reads without JavaScript."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..serve import views
from . import forms
from .templating import outlet_colour, render

router = APIRouter()


def with_colours(series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each series with the colour index of its outlet's badge (templating.outlet_class)."""
    return [{**s, "colour": outlet_colour(s["outlet"])} for s in series]


@router.get("/charts", response_class=HTMLResponse, name="charts")
def charts_page(request: Request) -> HTMLResponse:
    store = request.app.state.store
    choices = views.figure_choices(store)
    what = forms.text(request.query_params.get("what"), "what") or (choices[0] if choices else None)
    posts = views.chart_posts_per_outlet(store)
    posts["series"] = with_colours(posts["series"])
    figure = views.chart_figure(store, what) if what else {"what": None, "series": []}
    figure["series"] = with_colours(figure["series"])
    return render(request, "charts.html", posts=posts, score=views.chart_event_score(store), figure=figure,
                  what=what, choices=choices)
