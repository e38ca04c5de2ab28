"""REST routers, one module per resource; `ROUTERS` is what the app mounts under /api.

A new resource is one more module here with an `router` and a line in ROUTERS.
"""
from __future__ import annotations

from . import articles, entities, events, export, ingest, meta, provenance, search, stories

ROUTERS = [meta.router, articles.router, entities.router, events.router, provenance.router, stories.router,
           search.router, ingest.router, export.router]
