"""The app factory: a Graph in, a FastAPI app out, with JSON errors, auth, limits and the web UI mounted."""
from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager

import anyio.to_thread

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from ..errors import NewsgraphError
from ..graph import Graph
from . import contract
from .cache import DEFAULT_BYTES, ResponseCache, ResponseStore
from .routes import ROUTERS
from .security import HeadAsGet, SecurityHeaders, Unauthorized, bearer, new_token, token_matches

log = logging.getLogger("newsgraph.api")

BODY_LIMIT = 64 * 1024  # everything but ingest: no other route reads a body
INGEST_LIMIT = 10 * 1024 * 1024
# Threads running the (synchronous) route handlers. Starlette's default is 40: on a two-core machine those threads
# fought over the GIL and SQLite, and 15% of the GIL time went to handing requests between them.
DEFAULT_THREADS = max(2, min(8, 2 * (os.cpu_count() or 1)))


def create_app(graph: Graph, *, token: str | None = None, open_reads: bool = True,
               body_limit: int = BODY_LIMIT, ingest_limit: int = INGEST_LIMIT,
               cache_bytes: int = DEFAULT_BYTES, threads: int = DEFAULT_THREADS) -> FastAPI:
    """Serve `graph`. Writes need `token` (a random one if None: read it from `app.state.token`).

    `open_reads=False` (for a non-loopback bind) makes every route but /static need the token too.
    `cache_bytes` bounds the rendered-response cache (0 turns it off); see api/cache.py. `threads` bounds the
    worker threads that run the route handlers (requests beyond it wait their turn in the event loop).
    """
    from .. import __version__
    from ..web import mount_web

    app = FastAPI(title="newsgraph", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", dependencies=[Depends(_read_access)],
                  generate_unique_id_function=lambda route: route.name,  # operationIds clients name methods by
                  lifespan=_bounded_threads(threads),
                  description="Read a news knowledge graph: articles, entities, co-occurrence, search, "
                              "business events, sentence provenance and copies, and stories. "
                              "Writes need `Authorization: Bearer <token>`.")
    app.state.graph = graph
    app.state.token = token or new_token()
    app.state.open_reads = open_reads
    app.state.ingest_limit = ingest_limit
    # Pages first: routes are matched in order, and no page path starts with /api, so a page request no longer
    # tries every API router before its own (a tenth of a search page's CPU), while an API request tries one more.
    mount_web(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api")
    app.add_exception_handler(NewsgraphError, _newsgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    contract.install(app)
    app.state.response_cache = ResponseStore(cache_bytes)
    # Inside SecurityHeaders (added last, so outermost): a cached response still gets fresh CSP and Server-Timing.
    app.add_middleware(ResponseCache, store=app.state.response_cache, version=graph.version,
                       changes=graph.changes_since, open_reads=lambda: app.state.open_reads,
                       token=lambda: app.state.token)
    app.add_middleware(SecurityHeaders, body_limit=body_limit, ingest_limit=ingest_limit)
    app.add_middleware(HeadAsGet)  # outermost: every layer below sees a GET
    return app


def _bounded_threads(threads: int):
    """A lifespan that sizes this event loop's handler threadpool (anyio's limiter is per loop, set at start-up)."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    return lifespan


def readers_for(threads: int) -> int:
    """Store connections a server with `threads` handler threads reads on: one each, one for the event loop (the
    cache's version check), never fewer than the store's default; so no request waits for a connection (on
    PostgreSQL a wait past a few seconds fails as 503)."""
    from ..store import READERS

    return max(READERS, threads + 1)


def app_from_env() -> FastAPI:
    """The app of one `newsgraph serve --workers N` process: store, token and options from the environment."""
    import atexit

    from ..graph import open as open_graph

    threads = int(os.environ.get("NEWSGRAPH_THREADS", DEFAULT_THREADS))
    graph = open_graph(os.environ["NEWSGRAPH_DB"], readers=readers_for(threads))
    atexit.register(graph.close)
    return create_app(graph, token=os.environ["NEWSGRAPH_TOKEN"], open_reads=os.environ["NEWSGRAPH_OPEN_READS"] == "1",
                      cache_bytes=int(os.environ["NEWSGRAPH_CACHE_BYTES"]), threads=threads)


async def _read_access(request: Request) -> None:  # async: no threadpool hand-off for a comparison
    if not request.app.state.open_reads and not token_matches(request.app.state.token, bearer(request)):
        raise Unauthorized("this server is not on loopback: every request needs 'Authorization: Bearer <token>'")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str, kind: str,
                   headers: dict[str, str] | None = None) -> Response:
    headers = dict(headers or {})
    if status == 401:
        headers["www-authenticate"] = "Bearer"
    elif status == 503:
        headers["retry-after"] = str(contract.RETRY_AFTER)
    if wants_json(request):
        return JSONResponse(contract.error_body(status, message, kind), status_code=status, headers=headers)
    from ..web.pages import error_page

    response = error_page(request, status, message)
    response.headers.update(headers)
    return response


async def _newsgraph_error(request: Request, exc: NewsgraphError) -> Response:
    if exc.status >= 500:  # the user sees a message; the operator needs the cause
        log.error("%s %s failed: %s", request.method, request.url.path, exc, exc_info=exc)
    return error_response(request, exc.status, str(exc), type(exc).__name__)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        msg = str(err.get("msg")).removeprefix("Value error, ")  # pydantic's prefix for a validator's ValueError
        parts.append(f"{where}: {msg}" if where else msg)
    status = 422 if wants_json(request) else 400
    return error_response(request, status, "; ".join(parts) or "invalid request", "ValidationError")


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    message = "no such page" if exc.status_code == 404 else str(exc.detail)
    if exc.status_code == 405:
        allowed = allowed_methods(request) or [m.strip() for m in headers.get("allow", "").split(",") if m.strip()]
        headers["allow"] = ", ".join(allowed)
        message = f"{request.method} is not allowed here; use {' or '.join(allowed)}"
    return error_response(request, exc.status_code, message, "HTTPError", headers)


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's 405 names only the first matching route's."""
    routes = [r for r in request.app.router.routes if not isinstance(r, Mount)]
    allowed = [method for method in METHODS
               if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)]
    return [*allowed, "HEAD"] if "GET" in allowed else allowed  # HeadAsGet serves HEAD wherever GET is
