"""Business events: filtered by type, entity, modality and article date, paginated."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...events.typology import DEFAULT_MIN_CONFIDENCE
from ...model import Event
from ..contract import not_found
from ..paging import Limit, Offset, Page, page
from ..params import EventTypeName, ModalityName, date_query, entity_ref
from .deps import GraphDep

router = APIRouter(tags=["events"])

Since = date_query("Events in articles dated on or after this: YYYY-MM-DD, YYYY-MM or YYYY.")


@router.get("/events", summary="Business events, newest article first within the filters",
            responses=not_found("No entity has that name or alias."))
def list_events(
    graph: GraphDep,
    type: Annotated[EventTypeName | None, Query(description='A SENTiVENT type, "Deal", or "Type.Subtype", e.g. '
                                                            '"Rating.Upgrade".')] = None,
    entity: Annotated[str | None, Query(min_length=1, max_length=300,
                                        description="An entity id, name or alias taking part.")] = None,
    modality: Annotated[ModalityName | None, Query(description="How sure the text is of the event.")] = None,
    since: Since = None,
    min_confidence: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="List events at least this sure to be real (default "
                                    f"{DEFAULT_MIN_CONFIDENCE}; 0 lists every event).")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[Event]:
    rows = graph.events(type=type, entity=entity_ref(entity), modality=modality, since=since, limit=limit + 1,
                        offset=offset, min_confidence=min_confidence)
    return page(rows, limit, offset)
