"""The web UI (server-rendered pages), mounted at / by serve.app.create_app."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from ..errors import StorylineError

router = APIRouter()


def error_page(request: Request, error: StorylineError, status: int) -> Any:
    return PlainTextResponse(error.line(), status_code=status)
