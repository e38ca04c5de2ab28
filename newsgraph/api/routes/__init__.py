"""REST routers, one module per resource; `ROUTERS` is what the app mounts under /api.

A new resource (events, copies, stories) is one more module here with an `router` and a line in ROUTERS.
"""
from __future__ import annotations

from . import articles, entities, ingest, meta, search

ROUTERS = [meta.router, articles.router, entities.router, search.router, ingest.router]
