"""Lay out an entity's co-occurrence neighbourhood and draw it as SVG server-side (readable without JS).

The entity sits in the centre and its neighbours on a ring, the most shared first; edges join any two
shown entities that share articles, wider for more (only the strongest links between neighbours).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

from markupsafe import Markup

from ..model import EntityDetail
from .templating import label_class
from .views import html_text as escape

WIDTH, HEIGHT = 640, 460
RING = 170
MAX_CHORDS = 30  # links between neighbours beyond the strongest few make a hairball


class Node(NamedTuple):  # tuples: a page builds hundreds of edges, and a frozen dataclass is slow to make
    id: int
    name: str
    label: str
    articles: int
    shared: int  # articles shared with the centre entity (0 for the centre itself)
    x: float
    y: float
    r: float
    centre: bool


class Edge(NamedTuple):
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
    shown = [(a, b, k) for a, b, k in links if a in nodes and b in nodes]
    spokes = [link for link in shown if e.id in (link[0], link[1])]
    # Edges are made only for the links drawn: of ~200 links among 21 entities, 30 chords and the spokes.
    chords = sorted((link for link in shown if e.id not in (link[0], link[1])), key=lambda link: -link[2])[:MAX_CHORDS]

    def edge(link: tuple[int, int, int]) -> Edge:
        a, b, k = link
        return Edge(nodes[a], nodes[b], k, round(0.6 + 3.4 * k / most, 2))

    # Draw the centre's spokes last so they sit on top of the ring's chords.
    edges = [edge(link) for link in sorted(chords, key=lambda link: link[2])]
    edges += [edge(link) for link in sorted(spokes, key=lambda link: link[2])]
    return GraphLayout(WIDTH, HEIGHT, list(nodes.values()), edges)


def _short(name: str, length: int = 24, leeway: int = 5) -> str:
    """Jinja's truncate(24, True, "…") with its default leeway: the graph's labels stay as they were."""
    return name if len(name) <= length + leeway else name[:length - 1] + "…"


def _num(value) -> str:
    """A number as Jinja printed it (16, 170.5); anything not an int or float must convert to one, or it raises."""
    return str(value) if type(value) in (int, float) else str(float(value))


def svg(lay: GraphLayout, name: str) -> Markup:
    """The SVG markup of a layout. Built here rather than in a template because autoescaping every coordinate
    was a third of the entity page's CPU: numbers go through _num (no text can pass as one) and only
    names and labels are escaped, each once; a node's coordinates are printed once, not once per edge."""
    text = {n.id: (escape(n.name), escape(n.label), escape(_short(n.name)), _num(n.x), _num(n.y)) for n in lay.nodes}
    out = [f'<svg class="cooccurrence" viewBox="0 0 {_num(lay.width)} {_num(lay.height)}" role="img"'
           f' aria-label="Co-occurrence graph of {escape(name)}">\n  <g class="edges">\n']
    for e in lay.edges:
        a, b = text[e.a.id], text[e.b.id]
        spoke = " spoke" if e.a.centre or e.b.centre else ""
        out.append(f'    <line x1="{a[3]}" y1="{a[4]}" x2="{b[3]}" y2="{b[4]}"'
                   f' stroke-width="{_num(e.width)}" class="edge{spoke}">'
                   f'<title>{a[0]} – {b[0]}: {_num(e.articles)} shared articles</title></line>\n')
    out.append('  </g>\n  <g class="nodes">\n')
    for n in lay.nodes:
        node_name, label, short, x, y = text[n.id]
        shared = "" if n.centre else f": {_num(n.shared)} shared articles"
        out.append(f'    <a href="/entities/{_num(n.id)}" class="node {escape(label_class(n.label))}'
                   f'{" centre" if n.centre else ""}" data-entity="{_num(n.id)}">\n'
                   f'      <circle cx="{x}" cy="{y}" r="{_num(n.r)}"><title>{node_name} ({label}){shared}</title></circle>\n'
                   f'      <text x="{x}" y="{_num(n.y + n.r + 12)}" text-anchor="middle">{short}</text>\n    </a>\n')
    out.append("  </g>\n</svg>\n")
    return Markup("".join(out))
