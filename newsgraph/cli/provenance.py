"""Provenance commands: trace, copies, originality."""
from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .. import render
from ..model import ArticleTrace, CopyFamily, OriginalityRow
from . import DbOption, JsonOption, app, graph_for, show

KIND_STYLES = {"original": "", "verbatim": "bold red", "near": "yellow", "spun": "magenta", "partial": "",
               "paraphrase": "dim cyan"}


def trace_view(t: ArticleTrace) -> Group:
    head = Text(f"{t.article.title or t.article.url or t.article.id}  ", style="bold")
    head.append(f"originality {t.originality:.0%}", style="green" if t.originality >= 0.8 else "red")
    if t.stitched:
        head.append(f"  STITCHED from {len(t.sources)} earlier articles", style="bold red")
    lines = [head, Text(" ".join(f"[{k}]" for k in KIND_STYLES), style="dim")]
    for i, s in enumerate(t.sentences):
        line = Text(f"{i:>3} ", style="dim")
        line.append(s.sentence, style=KIND_STYLES[s.kind])
        for a, b in s.spans:  # only the lifted words of a partial copy stand out
            line.stylize("bold red", 4 + a, 4 + b)
        if s.source is not None:
            credit = " credited" if i in t.credited else ""
            copied = f" {s.copied:.0%} of words" if s.kind == "partial" else ""
            line.append(f"\n    ← {s.kind}{copied} {s.source.similarity:.2f} from #{s.source.article_id}"
                        f" {s.source.date or '?'} {s.source.url or ''}{credit}", style="dim")
        if len(s.matches) > (1 if s.source else 0):
            line.append(f"  ({len(s.matches)} matches)", style="dim")
        lines.append(line)
    return Group(*lines)


def copies_view(c: CopyFamily) -> Group:
    table = Table(title=f"copy family of #{c.article.id} ({len(c.family)} articles)")
    for col in ("id", "date", "site", "url"):
        table.add_column(col)
    for a in c.family:
        table.add_row(str(a.id), a.date or "", a.site or "", a.url or "", style="bold" if a.id == c.article.id else "")
    dups = Table(title="near-duplicate articles (MinHash LSH)")
    for col in ("id", "jaccard", "date", "url"):
        dups.add_column(col)
    for a, sim in c.duplicates:
        dups.add_row(str(a.id), f"{sim:.2f}", a.date or "", a.url or "")
    return Group(table, dups)


def originality_table(rows: list[OriginalityRow]) -> Table:
    table = Table(title="originality")
    for col in ("originality", "sentences", "copied", "article or site"):
        table.add_column(col)
    for r in rows:
        table.add_row(f"{r.originality:.0%}", str(r.sentences), str(r.copied), r.name)
    return table


@app.command()
def trace(ref: Annotated[str, typer.Argument(help="Article id or URL as ingested.")],
          db: DbOption = None, as_json: JsonOption = False) -> None:
    """Where each sentence of an article came from: kind, earliest source and every match."""
    from ..provenance.trace import trace_json

    with graph_for(db, create=False) as graph:
        t = graph.trace(ref)
        if as_json:
            sys.stdout.write(render.to_json(trace_json(t)) + "\n")
        else:
            render.console().print(trace_view(t))


@app.command()
def copies(ref: Annotated[str, typer.Argument(help="Article id or URL as ingested.")],
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """An article's copy family (articles sharing copied sentences) and its near-duplicates."""
    with graph_for(db, create=False) as graph:
        show(graph.copies(ref), as_json, copies_view)


@app.command()
def originality(
    site: Annotated[bool, typer.Option("--site", help="Rank sites instead of articles.")] = False,
    least: Annotated[bool, typer.Option("--least", help="Least original first.")] = False,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Articles or sites ranked by originality: 1 - the mean share of a sentence's words copied earlier."""
    with graph_for(db, create=False) as graph:
        show(graph.originality(site=site, limit=limit, least_first=least), as_json, originality_table)
