"""Which event types an article counts as reporting, for its story's label.

The SENTiVENT trigger model is trained on business news and fires on general news too ("Kylie Minogue ...:
Profit/Loss"), so one weak trigger does not make an article report an event: it takes LABEL_EVENT_COUNT
triggers of the type with probability >= LABEL_EVENT_SCORE (0.7 of the raw trigger probability until events
were calibrated, issue #18; now the default confidence cut). Chosen by reading the labels of the Wikinews check
(eval/RESULTS.md, "stories"): at 3 x 0.7 about two in three of the labelled stories read right, against under one in
two at 2 x 0.7 and almost every story labelled with any trigger. The label names a type only when at least half
the story's articles report it (StoryIndex.label).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsgraph.events.typology import DEFAULT_MIN_CONFIDENCE

LABEL_EVENT_SCORE = DEFAULT_MIN_CONFIDENCE  # an event's confidence (Event.score), as listed by default
LABEL_EVENT_COUNT = 3  # confident triggers of one type in one article


def reported_types(events: Iterable) -> frozenset[str]:
    """The event types an article reports with confidence (its `Event`s, each with `type` and `score`)."""
    counts = Counter(e.type for e in events if e.score >= LABEL_EVENT_SCORE)
    return frozenset(t for t, n in counts.items() if n >= LABEL_EVENT_COUNT)
