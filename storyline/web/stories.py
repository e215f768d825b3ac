"""A story (every outlet's version side by side) and a single post."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..errors import NotFound
from ..serve import views
from .templating import render

router = APIRouter()


@router.get("/stories/{story_id}", response_class=HTMLResponse, name="story")
def story_page(request: Request, story_id: str) -> HTMLResponse:
    found = views.story(request.app.state.store, story_id)
    if found is None:
        raise NotFound(f"no story with id {story_id!r}")
    outlet_of = {p["id"]: p["outlet"] for p in found["posts"]}
    versions: dict[str, list[dict]] = {found["first_report"]["outlet"] or "": []}  # the first report's column first
    for post in found["posts"]:
        versions.setdefault(post["outlet"], []).append(post)
    versions = {outlet: posts for outlet, posts in versions.items() if posts}
    return render(request, "story.html", story=found, versions=versions, outlet_of=outlet_of)


@router.get("/posts/{post_id}", response_class=HTMLResponse, name="post")
def post_page(request: Request, post_id: str) -> HTMLResponse:
    store = request.app.state.store
    found = views.post(store, post_id)
    if found is None:
        raise NotFound(f"no post with id {post_id!r}")
    story_id = views.story_ids_of_posts(store, [post_id]).get(post_id)
    return render(request, "post.html", post=found, story_id=story_id)
