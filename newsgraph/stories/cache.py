"""The story states of the index, at most `cap` of them in memory; the others are read back from the store.

Every live story id is known (an int each), so the postings can tell an evicted story from a deleted one. A story
is `pending` from the moment it is read or written until the store confirms the article's write (`persisted`): so
nothing an article's assignment holds is evicted under it, and a story with unwritten changes is never evicted.
The store keeps each story whole after every article (store/sqlite_stories.py), so a reloaded story equals the
evicted one and the clustering does not depend on the cap (the index's arithmetic is order-free: see index.py).
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from typing import TYPE_CHECKING

from .members import evict, read_back

if TYPE_CHECKING:
    from .index import StoryState


def day_of(text: str | None) -> Date | None:
    """The calendar day an ISO date or timestamp names; None when there is none or it is not a date."""
    try:
        return Date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


DEFAULT_STORIES = 20_000  # stories whose state stays in memory (about 12 KB each on Wikinews; eval/RESULTS.md)

# Reads stories (by id) back from the store.
StoryLoader = Callable[[list[int]], "dict[int, StoryState]"]


@dataclass
class Stories:
    """A mapping of live story id -> StoryState, bounded by `cap` when a `loader` can read evicted ones back."""

    cache: OrderedDict[int, StoryState] = field(default_factory=OrderedDict)  # least recently used first
    # every live story id, in creation order, with its (first, last) date as of the last write: the candidates of a
    # dated article skip evicted stories outside its window without reading them back
    live: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)
    cap: int | None = DEFAULT_STORIES
    loader: StoryLoader | None = None
    pending: set[int] = field(default_factory=set)
    loads: int = 0  # stories read back through the loader (for tests and the benchmark)
    # Stories whose last day is before this one are beyond the window of every article dated since the newest
    # (stories/enrich.py moves it): they cannot take those articles, so they wait in the store, not in memory.
    horizon: str | None = None

    def __contains__(self, sid: object) -> bool:
        return sid in self.live

    def __len__(self) -> int:
        return len(self.live)

    def __iter__(self) -> Iterator[int]:
        return iter(list(self.live))

    def __getitem__(self, sid: int) -> StoryState:
        if sid not in self.live:
            raise KeyError(sid)
        return self.many([sid])[0]

    def get(self, sid: int, default: StoryState | None = None) -> StoryState | None:
        return self[sid] if sid in self.live else default

    def __setitem__(self, sid: int, story: StoryState) -> None:
        self.cache[sid] = story
        self.cache.move_to_end(sid)
        self.live[sid] = (story.first_date, story.last_date)
        self.pending.add(sid)

    def __delitem__(self, sid: int) -> None:
        del self.live[sid]
        self.cache.pop(sid, None)
        self.pending.discard(sid)

    def pop(self, sid: int, default: StoryState | None = None) -> StoryState | None:
        if sid not in self.live:
            return default
        story = self[sid]
        del self[sid]
        return story

    def stale(self, sid: int | None) -> bool:
        """The story ended before the horizon (by its dates as of the last write; an undated story never)."""
        dates = self.live.get(sid) if self.horizon is not None else None
        last = dates and (dates[1] or dates[0])
        # only ISO days age (gap_days measures no other date): another string is in every window
        return day_of(last) is not None and last < self.horizon

    def dates(self, sid: int) -> tuple[str | None, str | None] | None:
        """The story's date range when it is evicted (None when in memory: read the story itself, it may be newer)."""
        return None if sid in self.cache else self.live[sid]

    def items(self) -> list[tuple[int, StoryState]]:
        return list(zip(self.live, self.values(), strict=True))

    def values(self) -> list[StoryState]:
        return self.many(list(self.live))

    def many(self, ids: list[int]) -> list[StoryState]:
        """The stories of `ids` (all live), the evicted ones loaded in one call; all pending until persisted."""
        missing = [i for i in ids if i not in self.cache]
        if missing:
            loaded = read_back(missing, self.loader, "state for stories")
            for i in missing:
                self.cache[i] = loaded[i]
            self.loads += len(missing)
        for i in ids:
            self.cache.move_to_end(i)
        self.pending.update(ids)
        return [self.cache[i] for i in ids]

    def persisted(self) -> None:
        """The store holds every story as it is in memory now: evict the least recently used down to `cap`, and on
        while the least recently used is stale."""
        for sid in self.pending:
            story = self.cache.get(sid)
            if story is not None:
                self.live[sid] = (story.first_date, story.last_date)
        self.pending.clear()
        evict(self.cache, self.cap, self.loader, (), self.stale)
