"""Lay out a story at a glance for an SVG drawn server-side (readable without JS): articles per day on a date axis,
and one lane per event type with each reported event marked by its modality, so a claim that went from planned to
certain, or was negated, shows where it happened.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta

from ..model import StoryDetail, TimelineItem
from ..stories.index import day_of

WIDTH = 1100  # about the page's width, so the SVG's text is drawn near its own size
LEFT, RIGHT = 140, 24  # room for the lane names, and for the last mark
TOP, BAR = 14, 46  # the articles-per-day bars' top and full height
LANE = 22  # height of one event-type lane
LANES = 6  # event types drawn (the most reported); the rest are counted in the caption
TICKS = 5
STEP, SPREAD = 9, 60  # side-by-side marks of one day: their spacing, and the most they may spread
PAD = SPREAD // 2 + 8  # the first and last days sit this far inside the axis, so their marks stay in the chart


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: str
    articles: int


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    article_id: int
    event_type: str
    modality: str
    negated: bool
    shift: str | None
    text: str
    day: str


@dataclass(frozen=True)
class Lane:
    name: str
    y: float
    events: int


@dataclass(frozen=True)
class Tick:
    x: float
    day: str
    anchor: str  # text-anchor: the end ticks' labels stay inside the chart


@dataclass(frozen=True)
class StoryChart:
    width: int
    height: int
    axis_y: float
    bars: list[Bar]
    lanes: list[Lane]
    marks: list[Mark]
    ticks: list[Tick]
    left: int
    right: int
    hidden_types: int  # event types not drawn (beyond LANES)
    undated: int  # timeline items without a date (not drawn)


def layout(detail: StoryDetail) -> StoryChart | None:
    """The chart of a story's timeline; None when no item has a date (nothing to place on an axis)."""
    dated = [(d, item) for item in detail.timeline if (d := day_of(item.date)) is not None]
    if not dated:
        return None
    first, last = min(d for d, _ in dated), max(d for d, _ in dated)
    span = max((last - first).days, 1)
    inner = WIDTH - LEFT - RIGHT - 2 * PAD

    def x(d: Date) -> float:
        # a one-day story sits in the middle
        return round(LEFT + PAD + (inner / 2 if first == last else inner * (d - first).days / span), 1)

    per_day = Counter(d for d, item in dated if item.kind == "article")
    most = max(per_day.values(), default=1)
    width = max(3.0, min(14.0, inner / (span + 1) * 0.8))
    bars = [Bar(round(x(d) - width / 2, 1), round(TOP + BAR * (1 - n / most), 1), round(width, 1),
                round(BAR * n / most, 1), d.isoformat(), n) for d, n in sorted(per_day.items())]
    axis_y = TOP + BAR
    events = [(d, item) for d, item in dated if item.kind == "event" and item.event_type]
    types = Counter(item.event_type for _, item in events)
    shown = [t for t, _ in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))[:LANES]]
    lane_y = {t: axis_y + 24 + LANE * i + LANE / 2 for i, t in enumerate(shown)}
    # events of one type on one day sit side by side, so a hedged or changed claim is not hidden behind the others
    groups: dict[tuple[str, Date], list[TimelineItem]] = {}
    for d, item in events:
        if item.event_type in lane_y:
            groups.setdefault((item.event_type, d), []).append(item)
    marks = []
    for (kind, d), items in groups.items():
        step = min(STEP, SPREAD / max(len(items) - 1, 1))
        marks += [Mark(round(x(d) + step * (i - (len(items) - 1) / 2), 1), lane_y[kind], item.article.id, kind,
                       item.modality or "certain", item.polarity == "negated", item.shift, item.text, d.isoformat())
                  for i, item in enumerate(items)]
    days = sorted({first + timedelta(days=round(span * i / (TICKS - 1))) for i in range(TICKS)}
                  if first != last else {first})
    ticks = [Tick(x(d), d.isoformat(), "middle" if first == last or first < d < last else
                  "start" if d == first else "end") for d in days]
    height = int(axis_y + 24 + LANE * len(shown) + 8)
    return StoryChart(WIDTH, height, axis_y, bars, [Lane(t, lane_y[t], types[t]) for t in shown], marks, ticks,
                      LEFT, WIDTH - RIGHT, max(0, len(types) - LANES), len(detail.timeline) - len(dated))
