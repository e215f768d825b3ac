"""Index & serve: what readers see (views.py, shared by the CLI, the REST API in
storyline/api and the web UI in storyline/web) and the application that serves them
(app.py: create_app). FastAPI is imported only when the app is built, so the CLI's
commands stay quick to start."""

from typing import Any


def create_app(*args: Any, **kwargs: Any) -> Any:
    from .app import create_app as build

    return build(*args, **kwargs)


__all__ = ["create_app"]
