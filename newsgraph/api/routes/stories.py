"""Stories: the list (latest first) and one story with its key entities and timeline of articles and events."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...model import EntityTimeline, StoryDetail, StorySummary
from ..contract import links, not_found
from ..paging import Limit, Offset, Page, page
from ..params import EntityId, StoryId, date_query, entity_ref
from .deps import GraphDep

router = APIRouter(tags=["stories"])

Since = date_query("Stories still running on or after this date: YYYY-MM-DD, YYYY-MM or YYYY.")


@router.get("/stories", summary="Stories, latest first; filter by an entity taking part and a last date",
            responses={**not_found("No entity has that name or alias."), **links("/items/0/id", get_story="story_id")})
def list_stories(
    graph: GraphDep,
    entity: Annotated[str | None, Query(min_length=1, max_length=300, description="Entity id, name or alias.")] = None,
    since: Since = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[StorySummary]:
    return page(graph.stories(entity=entity_ref(entity), since=since, limit=limit + 1, offset=offset), limit, offset)


@router.get("/stories/{story_id}", summary="One story: label, dates, key entities and its timeline with events")
def get_story(story_id: StoryId, graph: GraphDep) -> StoryDetail:
    """Timeline items are articles (with their key sentence) and events; an event's `shift` names a change of
    modality or polarity against the previous item about the same claim."""
    return graph.story(story_id, events=True)


@router.get("/entities/{entity_id}/stories", tags=["entities"],
            summary="The stories an entity takes part in, oldest first")
def entity_stories(entity_id: EntityId, graph: GraphDep) -> EntityTimeline:
    return graph.entity_timeline(entity_id)
