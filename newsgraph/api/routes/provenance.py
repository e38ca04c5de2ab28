"""Originality: articles or sites ranked by 1 - the mean share of a sentence's words copied from earlier articles."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...model import OriginalityRow
from ..paging import Limit
from .deps import GraphDep

router = APIRouter(tags=["provenance"])


@router.get("/originality", summary="Articles (or sites, with site=true) ranked by originality, most original first")
def originality(graph: GraphDep, site: bool = False,
                least_first: Annotated[bool, Query(description="Least original first.")] = False,
                limit: Limit = 20) -> list[OriginalityRow]:
    return graph.originality(site=site, limit=limit, least_first=least_first)
