"""A rendered-response cache in front of routing: GET pages and REST reads, kept per store version.

The key is (path, query string) and each entry remembers the store version it was rendered at. The store bumps
its version in every write transaction, so after any write (ingest, delete, a recluster, from this process or
another) every entry is stale and the next request renders afresh: a cached response is never out of date.
The version is read *before* rendering, so a page rendered while a write commits is filed under the old version
and never served again. Concurrent misses for the same key and version render once: the others wait for that
response (after a write, every client asking for the home page at once would otherwise each render it).
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import bearer_token, token_matches

DEFAULT_BYTES = 64 * 1024 * 1024
MAX_ENTRY = 2 * 1024 * 1024  # a bigger response is not worth holding
SKIP_PREFIXES = ("/static/", "/docs", "/openapi.json")  # files and docs: cheap already, or served elsewhere


@dataclass
class Entry:
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseStore:
    """The cached responses, least recently used first, bounded by the bytes of their bodies."""

    def __init__(self, max_bytes: int = DEFAULT_BYTES):
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self.bytes = 0
        self.hits = self.misses = self.evicted = 0

    def get(self, key: tuple[str, bytes], version: int, count_miss: bool = True) -> Entry | None:
        entry = self.entries.get(key)
        if entry is None or entry.version != version:
            self.misses += count_miss
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: tuple[str, bytes], entry: Entry) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body)
        self.entries[key] = entry
        self.bytes += len(entry.body)
        while self.bytes > self.max_bytes and self.entries:
            _, dropped = self.entries.popitem(last=False)
            self.bytes -= len(dropped.body)
            self.evicted += 1


class ResponseCache:
    """ASGI middleware over a ResponseStore. `version()` returns the store version; `token()` the write token,
    needed for reads too when `open_reads()` is false (then only requests carrying it use the cache)."""

    def __init__(self, app: ASGIApp, *, store: ResponseStore, version: Callable[[], int],
                 open_reads: Callable[[], bool], token: Callable[[], str]):
        self.app = app
        self.store = store
        self.version = version
        self.open_reads = open_reads
        self.token = token
        self.rendering: dict[tuple[str, bytes, int], asyncio.Event] = {}

    def _cacheable(self, scope: Scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "GET" or self.store.max_bytes <= 0:
            return False
        if scope["path"].startswith(SKIP_PREFIXES):
            return False
        if self.open_reads():
            return True
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        return token_matches(self.token(), bearer_token(header))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        version = self.version()
        entry = self.store.get(key, version, count_miss=False)
        running = self.rendering.get((*key, version))
        if entry is None and running is not None:
            await running.wait()  # someone is rendering this very response: use theirs
            entry = self.store.get(key, version, count_miss=False)
        if entry is not None:
            await send({"type": "http.response.start", "status": entry.status,
                        "headers": [*entry.headers, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.store.misses += 1
        done = self.rendering.setdefault((*key, version), asyncio.Event())
        try:
            await self._render(scope, receive, send, key, version)
        finally:
            if self.rendering.get((*key, version)) is done:
                del self.rendering[(*key, version)]
            done.set()

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], version: int) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                start = message
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and size <= MAX_ENTRY:
                body = message.get("body", b"")
                chunks.append(body)
                size += len(body)
                if not message.get("more_body", False) and start is not None:
                    self._store(key, version, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[str, bytes], version: int, start: Message, body: bytes) -> None:
        # Only successes: an error page is cheap, and a 404 may turn into a page after the next ingest anyway.
        if start["status"] != 200 or len(body) > MAX_ENTRY:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"set-cookie", b"x-cache")]
        if any(k.lower() == b"cache-control" and b"no-store" in v for k, v in headers):
            return
        self.store.put(key, Entry(version, start["status"], headers, body))
