"""Page routes: home, article, entity, search, API docs and error pages; each calls Graph and renders a template.

A page's markup is its template plus partials under templates/partials/ (see the README there); other pages
(copy families, stories) have their own route modules next to this one.
"""
from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..api.cache import cache_tags
from ..api.routes.deps import GraphDep
from ..errors import QueryError
from ..events.typology import DEFAULT_MIN_CONFIDENCE
from . import fragments, graphsvg
from .templating import get_templates
from .views import article_sentences, attach_provenance, context_pieces, mark_article_range, parse_mark

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

TIMELINE_PAGE = 50
SEARCH_PAGE = 20


def render(request: Request, name: str, status: int = 200, **context) -> Response:
    return get_templates().TemplateResponse(request, name, context, status_code=status)


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", status=status, status_code=status, message=message)


ShowValues = Annotated[bool, Query(description="Show dates and sums as entities too")]


def event_entities(events) -> list[str]:
    """Cache tags of the entities an event list names in its arguments (their names show)."""
    return [f"name:{a.entity_id}" for e in events for a in e.arguments if a.entity_id is not None]


@router.get("/")
def home(request: Request, graph: GraphDep, values: ShowValues = False) -> Response:
    stats = graph.stats()
    return render(request, "home.html", stats=stats, recent=graph.articles(limit=12),
                  top=graph.top_entities(per_type=8, types=6, values=values, stats=stats), values=values,
                  errors=graph.errors(limit=10))


@router.get("/articles/{article_id}")
def article(request: Request, article_id: int, graph: GraphDep, mark: str | None = None) -> Response:
    """`mark=START-END` (article characters) highlights a span a later article copied, as its trace links it."""
    detail = graph.article_full(article_id)
    counts = Counter((m.entity_id, m.label, m.name) for m in detail.mentions)
    entities = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][2]))
    labels = sorted({label for (_, label, _) in counts})
    sentences = attach_provenance(article_sentences(detail), detail.provenance)
    mark_article_range(sentences, detail, parse_mark(mark))
    # Entities by name only: a new article naming one changes its counts, not this page (unless it renames it).
    cache_tags(request, [f"article:{detail.article.id}", *(f"name:{eid}" for eid, _, _ in counts),
                         *event_entities(detail.events), *([f"story:{detail.story.id}"] if detail.story else [])])
    return render(request, "article.html", detail=detail, sentence_rows=fragments.sentence_rows(sentences),
                  event_cards=fragments.event_cards(detail.events, DEFAULT_MIN_CONFIDENCE),
                  entities=entities, labels=labels, trace=detail.provenance, story=detail.story)


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: int, graph: GraphDep,
           offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0, values: ShowValues = False) -> Response:
    detail = graph.entity(entity_id, mentions=0, values=values)
    ids = [detail.entity.id] + [n.entity.id for n in detail.neighbours]
    timeline = graph.entity_mentions(entity_id, limit=TIMELINE_PAGE + 1, offset=offset)
    stories = graph.entity_stories(detail.entity.id)
    # The neighbours too: links among them (the graph's chords) change with articles that do not name this one.
    cache_tags(request, [*(f"entity:{i}" for i in ids), *(f"name:{i}" for i in ids), *event_entities(detail.events),
                         *(f"story:{s.id}" for s in stories)])
    return render(request, "entity.html", detail=detail,
                  graph_svg=graphsvg.svg(graphsvg.layout(detail, graph.entity_links(ids)), detail.entity.name),
                  timeline=timeline[:TIMELINE_PAGE],
                  timeline_html=fragments.timeline_items((m, context_pieces(m.sentence, m.start, m.end,
                                                                            detail.entity.label))
                                                         for m in timeline[:TIMELINE_PAGE]),
                  offset=offset, page_size=TIMELINE_PAGE, more=len(timeline) > TIMELINE_PAGE,
                  event_timeline=fragments.event_timeline(detail.events), stories=stories,
                  story_rows=fragments.story_rows(stories), values=values)


@router.get("/search")
def search(request: Request, graph: GraphDep,
           q: Annotated[str, Query(max_length=500)] = "",
           offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Response:
    hits, error = [], None
    if q.strip():
        try:
            hits = graph.search(q, limit=SEARCH_PAGE + 1, offset=offset)
        except QueryError as exc:
            error = str(exc)
    return render(request, "search.html", status=400 if error else 200, q=q, hits=hits[:SEARCH_PAGE],
                  hit_items=fragments.search_hits(hits[:SEARCH_PAGE]),
                  error=error, offset=offset, page_size=SEARCH_PAGE, more=len(hits) > SEARCH_PAGE)


@router.get("/docs")
def docs(request: Request) -> Response:
    """Swagger UI from the vendored bundle; its start-up script is a static file, not inline."""
    return render(request, "docs.html")
