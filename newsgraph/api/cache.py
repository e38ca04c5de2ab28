"""A rendered-response cache in front of routing: GET pages and REST reads, invalidated by what each write touched.

The key is (path, query string). The store bumps its version in every write transaction and logs what the write
touched (store/changes.py: "article:7", "entity:3", "story:2", "errors", or everything). A page that knows what
it shows names it while it renders (`cache_tags(request, ...)`); when the version moves, the cache drops the
entries whose tags a write touched, and every entry that named nothing, and keeps the rest (an ingest leaves the
pages of other entities and articles cached). A write from this process or another is seen alike, and a cached
response is never out of date. The version is read *before* rendering, so a page rendered while a write commits
is checked against that write before it is kept. Concurrent misses for the same key and version render once: the
others wait for that response (after a write, every client asking for the home page would each render it).
"""
from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .security import bearer_token, token_matches

DEFAULT_BYTES = 64 * 1024 * 1024
MAX_ENTRY = 2 * 1024 * 1024  # a bigger response is not worth holding
SKIP_PREFIXES = ("/static/", "/docs", "/openapi.json")  # files and docs: cheap already, or served elsewhere
HISTORY = 1000  # writes remembered for checking a response that was rendered while they committed
TAGS = "newsgraph.cache_tags"  # scope key of the set a page adds its tags to

Changes = list[tuple[int, "frozenset[str] | None"]]


def cache_tags(request, tags: Iterable[str]) -> None:
    """Say what a page shows ("entity:3", "article:7", "story:2"): only writes touching one of them make it stale.
    A page that says nothing is dropped by every write."""
    found = request.scope.get(TAGS)
    if found is not None:
        found.update(tags)


@dataclass
class Entry:
    version: int  # the store version it is known to be current at
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    tags: frozenset[str] | None = None  # what the page showed; None: anything (every write makes it stale)


def stale(tags: frozenset[str] | None, touched: frozenset[str] | None) -> bool:
    return tags is None or touched is None or not tags.isdisjoint(touched)


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

    def advance(self, version: int, changes: Changes | None) -> None:
        """Move to `version`: drop the entries `changes` (the writes since) made stale, revalidate the others."""
        everything = changes is None or any(tags is None for _, tags in changes)
        touched = None if everything else frozenset().union(*(tags for _, tags in changes))
        for key, entry in list(self.entries.items()):
            if stale(entry.tags, touched):
                self.bytes -= len(self.entries.pop(key).body)
            else:
                entry.version = version

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
                 open_reads: Callable[[], bool], token: Callable[[], str],
                 changes: Callable[[int], Changes | None] = lambda version: None):
        self.app = app
        self.store = store
        self.version = version
        self.changes = changes
        self.seen: int | None = None  # the version the entries were last checked against
        self.history: Changes = []  # the latest writes (version, tags), oldest first
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
        if version != self.seen:
            self._advance(version)
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

    def _advance(self, version: int) -> None:
        """Bring the entries up to `version` (no await inside: requests on this loop see it done or not begun)."""
        changes = None if self.seen is None or version < self.seen else self.changes(self.seen)
        self.store.advance(version, changes)
        self.history = [] if changes is None else (self.history + changes)[-HISTORY:]
        self.seen = version

    def _current_at(self, rendered: int, tags: frozenset[str] | None) -> int | None:
        """The version a response rendered at `rendered` is current at, or None if a write since made it stale."""
        if rendered == self.seen:
            return rendered
        later = [t for v, t in self.history if v > rendered]
        if self.seen is None or rendered > self.seen or len(later) != self.seen - rendered:
            return None  # a write we know nothing of
        return None if any(stale(tags, t) for t in later) else self.seen

    async def _render(self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], version: int) -> None:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        tags: set[str] = set()
        scope = {**scope, TAGS: tags}

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
                    self._store(key, version, start, b"".join(chunks), frozenset(tags) if tags else None)
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[str, bytes], version: int, start: Message, body: bytes,
               tags: frozenset[str] | None) -> None:
        # Only successes: an error page is cheap, and a 404 may turn into a page after the next ingest anyway.
        if start["status"] != 200 or len(body) > MAX_ENTRY:
            return
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"set-cookie", b"x-cache")]
        if any(k.lower() == b"cache-control" and b"no-store" in v for k, v in headers):
            return
        current = self._current_at(version, tags)
        if current is not None:
            self.store.put(key, Entry(current, start["status"], headers, body, tags))
