"""The REST API, mounted under /api by serve.app.create_app.

One module per resource: posts (blogs, posts), stories (stories, timeline), facts
(entities, quotes, figures), assembled (conflicts, calendar, brief, charts), search,
ingest (the one write). Every list is a cursor page (paging.py); every read carries an
ETag and answers If-None-Match with 304 (conditional.py); response shapes are in
schemas.py, so /api/openapi.json describes every body.
"""

from fastapi import APIRouter, Request

from . import assembled, facts, ingest, posts, search, stories

router = APIRouter()


@router.get("/health", tags=["meta"])
def health(request: Request) -> dict[str, str]:
    """Liveness, without touching the database: "ok", or "warming" while the server still
    learns the stored posts in the background (it answers meanwhile, more slowly)."""
    learner = getattr(request.app.state, "learner", None)
    return {"status": "warming" if learner is not None and learner.is_alive() else "ok"}


for part in (posts, stories, facts, assembled, search, ingest):
    router.include_router(part.router)
