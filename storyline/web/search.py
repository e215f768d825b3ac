"""Search: full text and meaning together (Store.search, the code `storyline search`
uses), with filters; each hit links to its story and highlights what matched."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import BadRequest, ServeError
from ..serve import views
from . import forms
from .templating import is_fragment_request, render

router = APIRouter()

RESULTS_PER_PAGE = 20
POST_KINDS = ("news", "media", "housekeeping")


@router.get("/search", response_class=HTMLResponse, name="search")
def search_page(request: Request) -> HTMLResponse:
    store = request.app.state.store
    params = request.query_params
    query = forms.text(params.get("q"), "q")
    kind = forms.text(params.get("kind"), "kind")
    if kind and kind not in POST_KINDS:
        raise BadRequest(f"kind: {kind!r} is not one of {', '.join(POST_KINDS)}")
    words_only = params.get("match") == "words"
    form = {"q": query, "outlet": forms.text(params.get("outlet"), "outlet"), "since": forms.day(params.get("since"), "since"),
            "until": forms.day(params.get("until"), "until"), "kind": kind, "match": "words" if words_only else None}
    offset = forms.whole(params.get("offset"), "offset", 0, high=10_000)
    hits = []
    if query:
        if not hasattr(store, "search"):
            error = ServeError("search is not available: this storyline has no search index")
            error.status = 503
            raise error
        hits = store.search(query, outlet=form["outlet"], since=form["since"], until=form["until"], kind=kind,
                            limit=RESULTS_PER_PAGE + 1, offset=offset, semantic=not words_only)
    more = len(hits) > RESULTS_PER_PAGE
    context = {"form": form, "hits": hits[:RESULTS_PER_PAGE], "offset": offset, "per_page": RESULTS_PER_PAGE,
               "more": more, "outlets": views.outlet_names(store), "kinds": POST_KINDS}
    template = "_search_results.html" if is_fragment_request(request) else "search.html"
    return render(request, template, **context)
