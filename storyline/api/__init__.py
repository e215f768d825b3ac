"""The REST API, mounted under /api by serve.app.create_app."""

from fastapi import APIRouter

router = APIRouter()


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    """Liveness: answers without touching the database."""
    return {"status": "ok"}
