"""Exports of a store as JSONL, CSV (one file per table) or GraphML (for Gephi)."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .errors import QueryError
from .records import (
    EXPORT_ROWS,
    AliasRow,
    ArticleRow,
    CopiedSpan,
    EntityArticleRow,
    EntityRow,
    EventArgumentRow,
    EventRow,
    MentionRow,
    SentenceRow,
    StoryArticleRow,
    StoryRow,
)
from .store.base import Store

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("jsonl", "csv", "graphml")
# Each record kind's JSONL `type` and its CSV file (and key in the returned counts).
RECORD_TYPES = {ArticleRow: ("article", "articles"), SentenceRow: ("sentence", "sentences"),
                EntityRow: ("entity", "entities"), AliasRow: ("alias", "aliases"), MentionRow: ("mention", "mentions"),
                StoryRow: ("story", "stories"), StoryArticleRow: ("story_article", "story_articles"),
                EventRow: ("event", "events"), EventArgumentRow: ("event_argument", "event_arguments")}


class _Rows:
    """A store's rows per table, events under `min_event_score` (and their arguments) left out."""

    def __init__(self, store: Store, min_event_score: float = 0.0):
        self.store, self.min_event_score = store, min_event_score
        self.dropped: set[int] = set()

    def __call__(self, row_kind: type):
        for row in self.store.export(row_kind):
            if row_kind is EventRow and (row.score or 0.0) < self.min_event_score:
                self.dropped.add(row.id)
                continue
            if row_kind is EventArgumentRow and row.event_id in self.dropped:
                continue
            yield row


def write(store: Store, format: str, out: TextIO | str | Path, min_event_score: float = 0.0,
          values: bool = False) -> dict[str, int]:
    """Export in `format`, events under `min_event_score` left out; returns the number of records written per kind.
    Dates and sums stay entities in every format, but join GraphML co-occurrence edges only with `values`."""
    rows = _Rows(store, min_event_score)
    # events come before their arguments in EXPORT_ROWS, so the dropped ids are known when the arguments are read
    if format == "jsonl":
        return _with_stream(out, lambda f: write_jsonl(store, f, rows))
    if format == "csv":
        if not isinstance(out, (str, Path)):
            raise QueryError("CSV export writes one file per table: give a directory")
        return write_csv(store, Path(out), rows)
    if format == "graphml":
        return _with_stream(out, lambda f: write_graphml(store, f, rows, values=values), binary=True)
    raise QueryError(f"unknown export format {format!r}; one of {', '.join(FORMATS)}")


def _with_stream(out, writer, binary: bool = False) -> dict[str, int]:
    if isinstance(out, (str, Path)):
        with open(out, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            return writer(f)
    return writer(out.buffer if binary and hasattr(out, "buffer") else out)


def write_jsonl(store: Store, f: TextIO, rows=None) -> dict[str, int]:
    """One JSON object a line, each with a `type` (article, sentence, entity, alias, mention, story, story_article)."""
    rows = rows or _Rows(store)
    counts = {}
    for row_kind in EXPORT_ROWS:
        kind, table = RECORD_TYPES[row_kind]
        n = 0
        for row in rows(row_kind):
            # An event's own `type` column would hide the record type: it becomes `event_type`.
            fields = {(f"{kind}_type" if k == "type" else k): v for k, v in asdict(row).items()}
            f.write(json.dumps({"type": kind, **fields}, ensure_ascii=False) + "\n")
            n += 1
        counts[table] = n
    counts["source_links"] = _source_links(store, lambda row: f.write(json.dumps({"type": "source_link", **row}) + "\n"))
    counts["copied_spans"] = _copied_spans(
        store, lambda row: f.write(json.dumps({"type": "copied_span", **row}) + "\n"))
    return counts


def _copied_spans(store: Store, emit) -> int:
    """Per copied sentence and earlier source: the kind and the character spans copied (sentence-relative; a
    source span may run on into the next source sentence); `copied` is the share of the sentence's words."""
    n = 0
    for row in store.copied_spans():
        emit(row._asdict())
        n += 1
    return n


def _source_links(store: Store, emit) -> int:
    """Provenance edges: an article copied `sentences` sentences first published by `source_article_id`."""
    n = 0
    for link in store.source_links():
        emit({"article_id": link.article_id, "source_article_id": link.source_id, "sentences": link.sentences})
        n += 1
    return n


def write_csv(store: Store, directory: Path, rows=None) -> dict[str, int]:
    rows = rows or _Rows(store)
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for row_kind in EXPORT_ROWS:
        table = RECORD_TYPES[row_kind][1]
        n = 0
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
            writer = None
            for row in rows(row_kind):
                if writer is None:
                    writer = csv.DictWriter(f, fieldnames=[field.name for field in fields(row_kind)])
                    writer.writeheader()
                writer.writerow(asdict(row))
                n += 1
        counts[table] = n
    with open(directory / "source_links.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["article_id", "source_article_id", "sentences"])
        writer.writeheader()
        counts["source_links"] = _source_links(store, writer.writerow)
    with open(directory / "copied_spans.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(CopiedSpan._fields))
        writer.writeheader()
        counts["copied_spans"] = _copied_spans(store, writer.writerow)
    return counts


def build_graph(store: Store, min_cooccurrence: int = 1, rows=None, values: bool = False) -> nx.Graph:
    """Entities and articles as nodes; co-occurrence (entity–entity) and mention (article–entity) edges."""
    import networkx as nx  # only GraphML needs it, and importing it costs every CLI and server start ~0.1 s

    g = nx.Graph()
    for e in store.export(EntityRow):
        g.add_node(f"e{e.id}", kind="entity", label=e.name, type=e.label, mentions=e.mentions, articles=e.articles,
                   kb_id=e.kb_id or "")
    for a in store.export(ArticleRow):
        g.add_node(f"a{a.id}", kind="article", label=a.title or a.url or a.item,
                   url=a.url or "", date=a.date or "", site=a.site or "")
    for a, b, shared in store.cooccurrences(min_articles=min_cooccurrence, values=values):
        g.add_edge(f"e{a}", f"e{b}", kind="cooccurs", weight=shared)
    for m in store.export(EntityArticleRow):
        g.add_edge(f"a{m.article_id}", f"e{m.entity_id}", kind="mentions", weight=m.mentions)
    for s in store.export(StoryRow):
        g.add_node(f"s{s.id}", kind="story", label=s.label, date=s.first_date or "",
                   last_date=s.last_date or "", articles=s.articles)
    for m in store.export(StoryArticleRow):
        g.add_edge(f"a{m.article_id}", f"s{m.story_id}", kind="in_story", weight=m.score)
    for article_id, source_id, sentences in store.source_links():
        g.add_edge(f"a{article_id}", f"a{source_id}", kind="copies_from", weight=sentences)
    _add_events(rows or _Rows(store), g)
    return g


def _add_events(rows, g: nx.Graph) -> None:
    """Events as nodes, with article–event edges and event–entity edges labelled by role."""
    for ev in rows(EventRow):
        g.add_node(f"v{ev.id}", kind="event", label=f"{ev.type}: {ev.trigger}", type=ev.type,
                   subtype=ev.subtype or "", modality=ev.modality, polarity=ev.polarity,
                   attribution=ev.attribution, source=ev.source or "")
        g.add_edge(f"a{ev.article_id}", f"v{ev.id}", kind="reports", weight=1)
    for arg in rows(EventArgumentRow):
        if arg.entity_id is not None:
            g.add_edge(f"v{arg.event_id}", f"e{arg.entity_id}", kind="argument", role=arg.role, weight=1)


def write_graphml(store: Store, f, rows=None, values: bool = False) -> dict[str, int]:
    g = build_graph(store, rows=rows, values=values)
    import networkx as nx

    nx.write_graphml(g, f)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
