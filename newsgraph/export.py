"""Exports of a store as JSONL, CSV (one file per table) or GraphML (for Gephi)."""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TextIO

import networkx as nx

from .errors import QueryError
from .store.base import EVENT_TABLES, EXPORT_TABLES, Store

FORMATS = ("jsonl", "csv", "graphml")
RECORD_TYPES = {"articles": "article", "sentences": "sentence", "entities": "entity", "aliases": "alias",
                "mentions": "mention", "stories": "story", "story_articles": "story_article",
                "events": "event", "event_arguments": "event_argument"}
TABLES = (*EXPORT_TABLES, *EVENT_TABLES)


def write(store: Store, format: str, out: TextIO | str | Path) -> dict[str, int]:
    """Export in `format`; returns the number of records written per kind."""
    if format == "jsonl":
        return _with_stream(out, lambda f: write_jsonl(store, f))
    if format == "csv":
        if not isinstance(out, (str, Path)):
            raise QueryError("CSV export writes one file per table: give a directory")
        return write_csv(store, Path(out))
    if format == "graphml":
        return _with_stream(out, lambda f: write_graphml(store, f), binary=True)
    raise QueryError(f"unknown export format {format!r}; one of {', '.join(FORMATS)}")


def _with_stream(out, writer, binary: bool = False) -> dict[str, int]:
    if isinstance(out, (str, Path)):
        with open(out, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as f:
            return writer(f)
    return writer(out.buffer if binary and hasattr(out, "buffer") else out)


def write_jsonl(store: Store, f: TextIO) -> dict[str, int]:
    """One JSON object a line, each with a `type` (article, sentence, entity, alias, mention, story, story_article)."""
    counts = {}
    for table in TABLES:
        kind = RECORD_TYPES[table]
        n = 0
        for row in store.iter_rows(table):
            # An event's own `type` column would hide the record type: it becomes `event_type`.
            fields = {(f"{kind}_type" if k == "type" else k): v for k, v in row.items()}
            f.write(json.dumps({"type": kind, **fields}, ensure_ascii=False) + "\n")
            n += 1
        counts[table] = n
    counts["source_links"] = _source_links(store, lambda row: f.write(json.dumps({"type": "source_link", **row}) + "\n"))
    counts["copied_spans"] = _copied_spans(
        store, lambda row: f.write(json.dumps({"type": "copied_span", **row}) + "\n"))
    return counts


COPIED_SPAN_FIELDS = ("article_id", "sentence", "source_article_id", "source_sentence", "kind", "similarity",
                      "copied", "span_start", "span_end", "source_span_start", "source_span_end")


def _copied_spans(store: Store, emit) -> int:
    """Per copied sentence and earlier source: the kind and the character spans copied (sentence-relative; a
    source span may run on into the next source sentence); `copied` is the share of the sentence's words."""
    n = 0
    for row in store.copied_spans():
        emit(dict(zip(COPIED_SPAN_FIELDS, row, strict=True)))
        n += 1
    return n


def _source_links(store: Store, emit) -> int:
    """Provenance edges: an article copied `sentences` sentences first published by `source_article_id`."""
    n = 0
    for article_id, source_id, sentences in store.source_links():
        emit({"article_id": article_id, "source_article_id": source_id, "sentences": sentences})
        n += 1
    return n


def write_csv(store: Store, directory: Path) -> dict[str, int]:
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in TABLES:
        n = 0
        with open(directory / f"{table}.csv", "w", newline="", encoding="utf-8") as f:
            writer = None
            for row in store.iter_rows(table):
                if writer is None:
                    writer = csv.DictWriter(f, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                n += 1
        counts[table] = n
    with open(directory / "source_links.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["article_id", "source_article_id", "sentences"])
        writer.writeheader()
        counts["source_links"] = _source_links(store, writer.writerow)
    with open(directory / "copied_spans.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(COPIED_SPAN_FIELDS))
        writer.writeheader()
        counts["copied_spans"] = _copied_spans(store, writer.writerow)
    return counts


def build_graph(store: Store, min_cooccurrence: int = 1) -> nx.Graph:
    """Entities and articles as nodes; co-occurrence (entity–entity) and mention (article–entity) edges."""
    g = nx.Graph()
    for row in store.iter_rows("entities"):
        g.add_node(f"e{row['id']}", kind="entity", label=row["name"], type=row["label"],
                   mentions=row["mentions"], articles=row["articles"])
    for row in store.iter_rows("articles"):
        g.add_node(f"a{row['id']}", kind="article", label=row["title"] or row["url"] or row["item"],
                   url=row["url"] or "", date=row["date"] or "", site=row["site"] or "")
    for a, b, shared in store.cooccurrences(min_articles=min_cooccurrence):
        g.add_edge(f"e{a}", f"e{b}", kind="cooccurs", weight=shared)
    for row in store.iter_rows("entity_articles"):
        g.add_edge(f"a{row['article_id']}", f"e{row['entity_id']}", kind="mentions", weight=row["mentions"])
    for row in store.iter_rows("stories"):
        g.add_node(f"s{row['id']}", kind="story", label=row["label"], date=row["first_date"] or "",
                   last_date=row["last_date"] or "", articles=row["articles"])
    for row in store.iter_rows("story_articles"):
        g.add_edge(f"a{row['article_id']}", f"s{row['story_id']}", kind="in_story", weight=row["score"])
    for article_id, source_id, sentences in store.source_links():
        g.add_edge(f"a{article_id}", f"a{source_id}", kind="copies_from", weight=sentences)
    _add_events(store, g)
    return g


def _add_events(store: Store, g: nx.Graph) -> None:
    """Events as nodes, with article–event edges and event–entity edges labelled by role."""
    for row in store.iter_rows("events"):
        g.add_node(f"v{row['id']}", kind="event", label=f"{row['type']}: {row['trigger']}", type=row["type"],
                   subtype=row["subtype"] or "", modality=row["modality"], polarity=row["polarity"],
                   attribution=row["attribution"], source=row["source"] or "")
        g.add_edge(f"a{row['article_id']}", f"v{row['id']}", kind="reports", weight=1)
    for row in store.iter_rows("event_arguments"):
        if row["entity_id"] is not None:
            g.add_edge(f"v{row['event_id']}", f"e{row['entity_id']}", kind="argument", role=row["role"], weight=1)


def write_graphml(store: Store, f) -> dict[str, int]:
    g = build_graph(store)
    nx.write_graphml(g, f)
    return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}
