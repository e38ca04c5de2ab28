"""newsgraph's server-rendered web UI: Jinja2 pages (autoescaped) and vendored static files."""
from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def mount_web(app: FastAPI) -> None:
    """Add the pages and /static to `app`. A new page module adds its router here."""
    from . import copy_pages, pages, story_pages

    for router in (pages.router, copy_pages.router, story_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.files("newsgraph.web") / "static")), name="static")
