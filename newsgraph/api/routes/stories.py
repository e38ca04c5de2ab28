"""Stories: the list (latest first) and one story with its key entities and timeline of articles and events."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...model import EntityTimeline, StoryDetail, StorySummary
from ..paging import Limit, Offset, Page, page
from .deps import GraphDep

router = APIRouter(tags=["stories"])


@router.get("/stories", summary="Stories, latest first; filter by an entity taking part and a last date")
def list_stories(
    graph: GraphDep,
    entity: Annotated[str | None, Query(min_length=1, max_length=300, description="Entity id, name or alias.")] = None,
    since: Annotated[str | None, Query(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
                                       description="Stories still running on or after this date.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[StorySummary]:
    ref = int(entity) if entity and entity.strip().isdigit() else entity
    return page(graph.stories(entity=ref, since=since, limit=limit + 1, offset=offset), limit, offset)


@router.get("/stories/{story_id}", summary="One story: label, dates, key entities and its timeline with events")
def get_story(story_id: int, graph: GraphDep) -> StoryDetail:
    """Timeline items are articles (with their key sentence) and events; an event's `shift` names a change of
    modality or polarity against the previous item about the same claim."""
    return graph.story(story_id, events=True)


@router.get("/entities/{entity_id}/stories", tags=["entities"],
            summary="The stories an entity takes part in, oldest first")
def entity_stories(entity_id: int, graph: GraphDep) -> EntityTimeline:
    return graph.entity_timeline(entity_id)
