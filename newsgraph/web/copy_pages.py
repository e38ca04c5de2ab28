"""The copy-family page: the articles linked to one by copied sentences, and its near-duplicates."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..api.routes.deps import GraphDep
from .pages import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/articles/{article_id}/copies")
def copies(request: Request, article_id: int, graph: GraphDep) -> Response:
    return render(request, "copies.html", family=graph.copies(article_id), trace=graph.trace(article_id))
