"""The web UI: server-rendered pages (templates/) over the shared read layer
(serve/views.py), mounted at / by serve.app.create_app; static/ holds the style, the
script that draws the charts, and the vendored Chart.js and htmx.

Pages: the timeline (timeline.py), a story and a post (stories.py), entities and a
person's quotes (people.py), search (search.py), charts (charts.py), the calendar and
the daily key points (days.py).
"""

from typing import Any

from fastapi import APIRouter, Depends, Request

from ..errors import StorylineError
from . import charts, days, forms, people, search, stories, timeline
from .templating import render

router = APIRouter(include_in_schema=False, dependencies=[Depends(forms.refuse_nul)])
for _pages in (timeline, stories, people, search, charts, days):
    router.include_router(_pages.router)


def error_page(request: Request, error: StorylineError, status: int) -> Any:
    """The HTML page for a failure outside /api: storyline's code and message, escaped."""
    return render(request, "error.html", status, http_status=status, error=error.as_dict())
