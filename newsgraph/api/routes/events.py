"""Business events: filtered by type, entity, modality and article date, paginated."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...events.typology import DEFAULT_MIN_CONFIDENCE
from ...model import Event
from ..paging import Limit, Offset, Page, page
from .articles import IsoDate
from .deps import GraphDep

router = APIRouter(tags=["events"])


@router.get("/events", summary="Business events, oldest article first within the filters")
def list_events(
    graph: GraphDep,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z/_-]{2,40}(\.[A-Za-z/_-]{2,40})?$",
                                      description='"Deal" or "Type.Subtype", e.g. "Rating.Upgrade".')] = None,
    entity: Annotated[str | None, Query(min_length=1, max_length=300,
                                        description="An entity id, name or alias taking part.")] = None,
    modality: Annotated[str | None, Query(description="certain, planned, possible or reported.")] = None,
    since: IsoDate = None,
    min_confidence: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="List events at least this sure to be real (default "
                                    f"{DEFAULT_MIN_CONFIDENCE}; 0 lists every event).")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Event]:
    rows = graph.events(type=type, entity=entity, modality=modality, since=since, limit=limit + 1, offset=offset,
                        min_confidence=min_confidence)
    return page(rows, limit, offset)
