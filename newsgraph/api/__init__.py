"""newsgraph's HTTP layer: a FastAPI app over a `Graph` serving the REST API under /api and the web UI."""
from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
