"""Articles: a filtered, paginated list; the detail with sentences, mentions, events and provenance; copies."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.concurrency import run_in_threadpool

from ...model import ArticleFull, ArticleSummary, CopyFamily
from ..contract import links
from ..paging import Limit, Offset, Page, page
from ..params import MAX_ID, ArticleId, date_query
from ..security import require_token
from .deps import GraphDep

router = APIRouter(tags=["articles"])

IsoDate = date_query("YYYY-MM-DD, or a year or month: YYYY, YYYY-MM; inclusive.")


@router.get("/articles", summary="Articles newest first, filtered by site, date and a mentioned entity",
            responses=links("/items/0/id", get_article="article_id", article_copies="article_id",
                            delete_article="article_id"))
def list_articles(
    graph: GraphDep,
    site: Annotated[str | None, Query(min_length=1, max_length=300, description="The site's host name.")] = None,
    date_from: IsoDate = None,
    date_to: IsoDate = None,
    entity: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Entity id the article mentions.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[ArticleSummary]:
    rows = graph.find_articles(site=site, date_from=date_from, date_to=date_to, entity=entity,
                               limit=limit + 1, offset=offset)
    return page(rows, limit, offset)


@router.get("/articles/{article_id}",
            summary="One article: text, sentences, entity mentions, events, per-sentence provenance and its story")
def get_article(article_id: ArticleId, graph: GraphDep) -> ArticleFull:
    """`provenance.sentences[i]` traces sentence i: its kind (original, verbatim, near, spun, partial, paraphrase),
    its earliest source with the copied `span` and `source_span`, every match and the `copied` share of its words;
    `provenance.originality` is 1 - the mean copied share over sentences."""
    return graph.article_full(article_id)


@router.get("/articles/{article_id}/copies", summary="The article's copy family and its near-duplicate articles")
def article_copies(article_id: ArticleId, graph: GraphDep) -> CopyFamily:
    return graph.copies(article_id)


@router.delete("/articles/{article_id}", status_code=204, dependencies=[Depends(require_token)],
               summary="Delete an article and everything hanging off it (needs the token)")
async def delete_article(article_id: ArticleId, graph: GraphDep) -> Response:
    """Removes the article's sentences and their search index, mentions, events, provenance links in both
    directions and its story membership, in one transaction. 404 if there is no such article."""
    await run_in_threadpool(graph.delete_article, article_id)
    return Response(status_code=204)
