"""Story pages: the list of stories, latest first, and one story's entities and timeline of articles and events."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..api.routes.deps import GraphDep
from . import fragments, storysvg
from .pages import render

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

STORIES_PAGE = 50


@router.get("/stories")
def stories(request: Request, graph: GraphDep, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    found = graph.stories(limit=STORIES_PAGE + 1, offset=offset)
    return render(request, "stories.html", stories=found[:STORIES_PAGE], offset=offset, page_size=STORIES_PAGE,
                  more=len(found) > STORIES_PAGE, story_rows=fragments.story_rows(found[:STORIES_PAGE]))


@router.get("/stories/{story_id}")
def story(request: Request, story_id: int, graph: GraphDep) -> Response:
    detail = graph.story(story_id, events=True)
    return render(request, "story.html", detail=detail, chart=storysvg.layout(detail))
