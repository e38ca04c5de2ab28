"""Write tokens compared in constant time, request body limits, and the security headers every response carries."""
from __future__ import annotations

import hmac
import secrets
import time

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import NewsgraphError

# Pages may load scripts, styles and images only from this server: no inline script, no CDN.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI sets inline styles as it renders; its scripts still come only from /static.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class Unauthorized(NewsgraphError):
    status = 401


class BodyTooLarge(NewsgraphError):
    status = 413


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so response timing says nothing about how much of a guess was right."""
    if not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer <token>` header value; None for any other scheme."""
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def bearer(request: Request) -> str | None:
    return bearer_token(request.headers.get("authorization", ""))


# Declares the scheme in the OpenAPI description, so /docs can send the token; checking is ours.
_scheme = HTTPBearer(auto_error=False, description="The token `newsgraph serve` printed, or $NEWSGRAPH_TOKEN.")


def require_token(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_scheme)) -> None:
    """FastAPI dependency for writes: `Authorization: Bearer <token>`."""
    if not token_matches(request.app.state.token, credentials.credentials if credentials else None):
        raise Unauthorized("this request needs the server's token: send 'Authorization: Bearer <token>'")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes even when no Content-Length was sent."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body is over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


class SecurityHeaders:
    """ASGI middleware: refuse oversized declared bodies early; add CSP, friends and Server-Timing to responses."""

    def __init__(self, app: ASGIApp, *, body_limit: int, ingest_limit: int):
        self.app = app
        self.body_limit = body_limit
        self.ingest_limit = ingest_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.ingest_limit if path == "/api/ingest" else self.body_limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send, limit)
            return
        csp = DOCS_CSP if path == "/docs" else CSP
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Server-Timing: time spent in the app, so a load test can tell service time from queueing.
                took = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
                            (b"server-timing", took.encode())]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """ASGI middleware: HEAD is GET without the body (RFC 9110), for every route that serves GET."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)


async def _too_large(send: Send, limit: int) -> None:
    body = (b'{"error":{"type":"BodyTooLarge","status":413,"message":"request body is over the '
            + f"{limit:,}".encode() + b'-byte limit"}}')
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"content-security-policy", CSP.encode())]})
    await send({"type": "http.response.body", "body": body})
