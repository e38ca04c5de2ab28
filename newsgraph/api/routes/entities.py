"""Entities: list by type, detail with aliases, mentions and neighbours, and a timeline of mentions by date."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...model import EntityDetail, EntitySummary, MentionInContext, Neighbour
from ..contract import links
from ..paging import MAX_PAGE, Limit, Offset, Page, page
from ..params import EntityId, EntityLabel
from .deps import GraphDep

router = APIRouter(tags=["entities"])

Label = Annotated[EntityLabel | None, Query(description="The entity type (spaCy's label).")]


@router.get("/entities", summary="Canonical entities, most mentioned first; `name` looks up a name or alias",
            responses=links("/items/0/id", get_entity="entity_id", entity_timeline="entity_id",
                            entity_neighbours="entity_id", entity_stories="entity_id"))
def list_entities(graph: GraphDep, type: Label = None,
                  name: Annotated[str | None, Query(min_length=1, max_length=300)] = None,
                  limit: Limit = 20, offset: Offset = 0) -> Page[EntitySummary]:
    if name is not None:
        found = graph.find_entities(name, type=type)
        return page(found[offset:offset + limit + 1], limit, offset)
    return page(graph.entities(type=type, limit=limit + 1, offset=offset), limit, offset)


@router.get("/entities/{entity_id}", summary="One entity with its aliases, latest mentions and neighbours")
def get_entity(entity_id: EntityId, graph: GraphDep,
               mentions: Annotated[int, Query(ge=0, le=MAX_PAGE)] = 20) -> EntityDetail:
    return graph.entity(entity_id, mentions=mentions)


@router.get("/entities/{entity_id}/timeline", summary="The entity's mentions ordered by article date, oldest first")
def entity_timeline(entity_id: EntityId, graph: GraphDep, limit: Limit = 50,
                    offset: Offset = 0) -> Page[MentionInContext]:
    return page(graph.entity_mentions(entity_id, limit=limit + 1, offset=offset), limit, offset)


@router.get("/entities/{entity_id}/neighbours", summary="Entities mentioned in the same articles, most shared first")
def entity_neighbours(entity_id: EntityId, graph: GraphDep) -> list[Neighbour]:
    return graph.entity(entity_id, mentions=0).neighbours
