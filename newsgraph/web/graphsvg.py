"""Lay out an entity's co-occurrence neighbourhood for an SVG drawn server-side (readable without JS).

The entity sits in the centre and its neighbours on a ring, the most shared first; edges join any two
shown entities that share articles, wider for more (only the strongest links between neighbours).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import EntityDetail

WIDTH, HEIGHT = 640, 460
RING = 170
MAX_CHORDS = 30  # links between neighbours beyond the strongest few make a hairball


@dataclass(frozen=True)
class Node:
    id: int
    name: str
    label: str
    articles: int
    shared: int  # articles shared with the centre entity (0 for the centre itself)
    x: float
    y: float
    r: float
    centre: bool


@dataclass(frozen=True)
class Edge:
    a: Node
    b: Node
    articles: int
    width: float


@dataclass(frozen=True)
class GraphLayout:
    width: int
    height: int
    nodes: list[Node]
    edges: list[Edge]


def layout(detail: EntityDetail, links: list[tuple[int, int, int]]) -> GraphLayout:
    """Positions for the entity and its neighbours; `links` are co-occurrence counts among them."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    most = max([n.articles for n in detail.neighbours] + [1])
    e = detail.entity
    nodes = {e.id: Node(e.id, e.name, e.label, e.articles, 0, cx, cy, 16, True)}
    count = len(detail.neighbours)
    for i, n in enumerate(detail.neighbours):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        nodes[n.entity.id] = Node(n.entity.id, n.entity.name, n.entity.label, n.entity.articles, n.articles,
                                  round(cx + RING * math.cos(angle), 1), round(cy + RING * math.sin(angle), 1),
                                  round(5 + 7 * math.sqrt(n.articles / most), 1), False)
    edges = [Edge(nodes[a], nodes[b], k, round(0.6 + 3.4 * k / most, 2))
             for a, b, k in links if a in nodes and b in nodes]
    spokes = [edge for edge in edges if edge.a.centre or edge.b.centre]
    chords = sorted((edge for edge in edges if not (edge.a.centre or edge.b.centre)),
                    key=lambda edge: -edge.articles)[:MAX_CHORDS]
    # Draw the centre's spokes last so they sit on top of the ring's chords.
    edges = sorted(chords, key=lambda edge: edge.articles) + sorted(spokes, key=lambda edge: edge.articles)
    return GraphLayout(WIDTH, HEIGHT, list(nodes.values()), edges)
