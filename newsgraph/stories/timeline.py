"""Story timelines: member articles (and, once issue #4 lands, events) by date, with modality shifts marked."""
from __future__ import annotations

from collections.abc import Iterable

from ..model import ArticleSummary, Event, TimelineItem


def build_timeline(members: Iterable[tuple[ArticleSummary, str]],
                   events: Iterable[TimelineItem] = ()) -> list[TimelineItem]:
    """Articles with their key sentence, merged with event items, ordered by date (undated last)."""
    items = [TimelineItem(date=a.date, kind="article", article=a, text=text) for a, text in members]
    items.extend(events)
    items.sort(key=lambda i: (i.date is None, i.date or "", i.article.id, i.kind != "article"))
    return mark_shifts(items)


def mark_shifts(items: list[TimelineItem]) -> list[TimelineItem]:
    """Name each change of modality or polarity of a claim (same event type) against the last earlier article that
    mentions it. Over the story, not inside one article: an article that says "plans to" in one sentence and
    reports the deal done in the next has not changed its mind, and comparing its sentences pairwise marked
    nearly every event of a long article as a shift."""
    latest: dict[str, tuple[int, tuple[str | None, str | None]]] = {}  # claim -> (article, its last mention)
    before: dict[str, tuple[str | None, str | None]] = {}  # claim -> the last mention in an earlier article
    out = []
    for item in items:
        if item.kind == "event" and item.event_type:
            claim, now = item.event_type, (item.modality, item.polarity)
            seen = latest.get(claim)
            if seen is not None and seen[0] != item.article.id:
                before[claim] = seen[1]
            was = before.get(claim)
            if was is not None and was != now:
                changes = [f"{b} -> {n}" for b, n in zip(was, now) if b != n]
                item = TimelineItem(**{**item.__dict__, "shift": ", ".join(changes)})
            latest[claim] = (item.article.id, now)
        out.append(item)
    return out


def event_items(events: Iterable[Event]) -> list[TimelineItem]:
    """Timeline items for stored events (their `article` set): the claim is the event's type and subtype."""
    return [TimelineItem(date=e.article.date, kind="event", article=e.article, text=e.sentence_text or e.trigger,
                         event_type=f"{e.type}.{e.subtype}" if e.subtype else e.type, modality=e.modality,
                         polarity=e.polarity) for e in events if e.article is not None]
