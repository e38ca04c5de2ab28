"""Turns the component's plain event records into `Event`s linked to the article's canonical mentions."""
from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

from newsgraph.events.extension import EXTENSION
from newsgraph.model import Attribution, Event, EventArgument, MentionSpan, SentenceSpan


def article_events(doc: Doc, sentences: list[SentenceSpan], mentions: list[MentionSpan]) -> list[Event]:
    """The events the component left on `doc` (none if it did not run)."""
    if not Doc.has_extension(EXTENSION) or not doc._.get(EXTENSION):
        return []
    starts = [s.start for s in sentences]
    by_span = {(m.start, m.end): m for m in mentions}
    events = []
    for raw in doc._.get(EXTENSION):
        args = []
        for a in raw["arguments"]:
            m = by_span.get((a["entity_start"], a["entity_end"]))
            args.append(EventArgument(
                role=a["role"], kind=a["kind"], text=a["text"], start=a["start"], end=a["end"],
                entity_name=m.name if m else None, entity_label=m.label if m else None,
                entity_key=m.key if m else None, via=a["via"]))
        events.append(Event(
            type=raw["type"], subtype=raw["subtype"], trigger=raw["trigger"], start=raw["start"], end=raw["end"],
            sentence=max(bisect_right(starts, raw["start"]) - 1, 0), modality=raw["modality"],
            polarity=raw["polarity"], attribution=Attribution(**raw["attribution"]), arguments=args,
            tags=tuple(raw["tags"]), score=raw["score"]))
    return events
