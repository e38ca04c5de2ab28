"""POST /api/ingest: JSONL, HTML or a list of URLs in the body, with the server's token."""
from __future__ import annotations

import io
import json
import threading

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from ...errors import InputError
from ..contract import links
from ..security import read_body, require_token
from .deps import GraphDep

router = APIRouter(tags=["ingest"])

# One ingest at a time: the spaCy pipeline is shared and SQLite has one writer anyway.
_ingest_lock = threading.Lock()
MAX_URLS = 100
BODY_KINDS = ("application/x-ndjson", "text/html", "text/uri-list")
_EXAMPLE_TEXT = ("Nokia said on Tuesday that it will open a research lab in Oulu, Finland, hiring 200 engineers. "
                 "The company expects the lab to work on 5G radio equipment.")
BODY_EXAMPLES = {
    "application/x-ndjson": json.dumps({"url": "https://example.com/news/nokia-oulu-lab", "title": "Nokia opens a lab "
                                        "in Oulu", "date": "2024-05-14", "text": _EXAMPLE_TEXT}) + "\n",
    "text/html": ("<html><head><title>Nokia opens a lab in Oulu</title></head><body><article><h1>Nokia opens a lab in "
                  f"Oulu</h1><p>{_EXAMPLE_TEXT}</p></article></body></html>"),
}  # none for text/uri-list: trying the example would fetch from the internet


def _body_schema(kind: str) -> dict:
    example = BODY_EXAMPLES.get(kind)
    return {"schema": {"type": "string", "minLength": 1}, **({"example": example} if example else {})}


class IngestResult(BaseModel):
    added: int
    skipped: int
    words: int
    article_ids: list[int]
    errors: list[str]


@router.post(
    "/ingest", dependencies=[Depends(require_token)], summary="Ingest JSONL, HTML or URLs (needs the token)",
    responses=links("/article_ids/0", get_article="article_id"),
    openapi_extra={"requestBody": {"required": True, "content": {kind: _body_schema(kind) for kind in BODY_KINDS}}},
)
async def ingest(request: Request, graph: GraphDep) -> IngestResult:
    """`application/x-ndjson` (one article object a line), `text/html` (one page), or `text/uri-list`
    (http(s) URLs or feeds, one a line; private addresses are refused)."""
    body = await read_body(request, request.app.state.ingest_limit)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "text/uri-list":
        urls = [line.strip() for line in body.decode("utf-8", "replace").splitlines()
                if line.strip() and not line.startswith("#")]
        if not urls or len(urls) > MAX_URLS:
            raise InputError("body", f"give 1 to {MAX_URLS} URLs, one a line")
        bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
        if bad:
            raise InputError(bad[0], "only http and https URLs can be ingested")
        sources, stdin = urls, None
    elif kind in ("application/x-ndjson", "application/jsonl", "application/json", "text/html"):
        first = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first != (b"<" if kind == "text/html" else b"{"):
            raise InputError("body", f"the body does not look like {kind}")
        sources, stdin = ["-"], io.BytesIO(body)
    else:
        raise InputError("body", "Content-Type must be application/x-ndjson, text/html or text/uri-list")

    def run():
        with _ingest_lock:
            return graph.ingest(sources, stdin=stdin, max_bytes=request.app.state.ingest_limit)

    report = await run_in_threadpool(run)
    return IngestResult(added=report.added, skipped=report.skipped, words=report.words,
                        article_ids=report.article_ids, errors=[str(e) for e in report.errors])
