"""Full-text search over sentences; a malformed query is a 400 that says why."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...model import SearchHit
from ..paging import Limit, Offset, Page, page
from .deps import GraphDep

router = APIRouter(tags=["search"])


@router.get("/search", summary="Sentences matching a search query, best first, with snippets")
def search(graph: GraphDep, q: Annotated[str, Query(min_length=1, max_length=500)],
           limit: Limit = 20, offset: Offset = 0) -> Page[SearchHit]:
    """The query: words (all must occur), "phrases", a OR b, -excluded, prefix*. Snippets mark matches with
    U+E000 and U+E001; the web UI turns them into `<mark>`."""
    return page(graph.search(q, limit=limit + 1, offset=offset), limit, offset)
