"""Query commands: stats, entities, entity, article, search, errors, export."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import render
from . import DbOption, JsonOption, app, fail, graph_for, show


ValuesOption = Annotated[bool, typer.Option(
    "--values", help="Treat dates and sums (DATE, TIME, MONEY, ...) as graph nodes too: in lists and neighbours.")]


@app.command()
def stats(db: DbOption = None, as_json: JsonOption = False,
          top: Annotated[int, typer.Option(help="Top entities shown per type.")] = 5,
          values: ValuesOption = False) -> None:
    """Counts of articles, sentences, mentions, entities and errors, and the top entities by type."""
    with graph_for(db, create=False) as graph:
        s = graph.stats()
        tops = graph.top_entities(per_type=top, values=values, stats=s)
        if as_json:
            show({"stats": s, "top": tops, "errors": graph.errors(limit=10)}, True)
        else:
            render.console().print(render.stats_view(s, tops, graph.errors(limit=5)))


@app.command()
def entities(
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="ORG, PRODUCT, PERSON, GPE, MONEY, DATE, …")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 25,
    values: ValuesOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Canonical entities with their counts, aliases and KB ids, most mentioned first (no dates or sums unless
    --type names one or --values)."""
    with graph_for(db, create=False) as graph:
        show(graph.entities(type=type, limit=limit, values=values), as_json, render.entities_table)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="Canonical name, alias or id.")],
    type: Annotated[Optional[str], typer.Option("--type", "-t")] = None,
    mentions: Annotated[int, typer.Option("--mentions", min=0, help="How many mentions to show.")] = 20,
    values: ValuesOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: aliases, mentions with their sentences and articles, co-occurring entities."""
    with graph_for(db, create=False) as graph:
        ref = int(name) if name.isdecimal() else name
        show(graph.entity(ref, type=type, mentions=mentions, values=values), as_json, render.entity_view)


@app.command()
def article(ref: Annotated[str, typer.Argument(help="Article id or URL.")],
            db: DbOption = None, as_json: JsonOption = False) -> None:
    """An article's text with its entity mentions marked."""
    with graph_for(db, create=False) as graph:
        show(graph.article(ref), as_json, render.article_view)


@app.command()
def search(query: Annotated[str, typer.Argument(
        help="Search query: words, \"phrases\", a OR b, -excluded, prefix*; e.g. 'Xiaomi carrier* -rumour'.")],
           limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """Full-text search over sentences, with snippets."""
    with graph_for(db, create=False) as graph:
        show(graph.search(query, limit=limit), as_json, render.search_table)


@app.command()
def errors(limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 100,
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """Ingest errors recorded in the store, newest first."""
    with graph_for(db, create=False) as graph:
        show(graph.errors(limit=limit), as_json, render.errors_table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or graphml.")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option("--out", "-o",
                                                help="Output file (a directory for csv); stdout if omitted.")] = None,
    values: Annotated[bool, typer.Option("--values", help="GraphML: co-occurrence edges to dates and sums too.")] = False,
    all_events: Annotated[bool, typer.Option("--all-events",
                                             help="Export every event, not only the confident ones.")] = False,
    db: DbOption = None,
) -> None:
    """Export articles, sentences, entities, aliases, mentions and confident events; GraphML adds co-occurrence edges."""
    if format == "csv" and out is None:
        fail(typer.BadParameter("csv export needs --out DIRECTORY"))
    with graph_for(db, create=False) as graph:
        counts = graph.export(format, out if out is not None else sys.stdout,
                              min_confidence=0.0 if all_events else None, values=values)
    if out is not None:
        render.console(stderr=True).print(f"wrote {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
