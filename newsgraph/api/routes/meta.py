"""Store-wide reads: counts and recent ingest errors."""
from __future__ import annotations

from fastapi import APIRouter

from ...model import Stats, StoredError
from ..paging import Limit
from .deps import GraphDep

router = APIRouter(tags=["store"])


@router.get("/stats", summary="Counts of articles, sentences, mentions, entities and errors")
def stats(graph: GraphDep) -> Stats:
    return graph.stats()


@router.get("/errors", summary="Recent ingest errors, newest first")
def errors(graph: GraphDep, limit: Limit = 50) -> list[StoredError]:
    return graph.errors(limit=limit)
