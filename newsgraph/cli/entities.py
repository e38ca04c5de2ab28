"""Entity commands: `reindex entities` (re-resolve stored mentions) and `link --kb` (attach the user's KB ids)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import render
from . import DbOption, JsonOption, app, graph_for, show

reindex_app = typer.Typer(help="Rebuild derived data from what the store already holds.", no_args_is_help=True)
app.add_typer(reindex_app, name="reindex")


@reindex_app.command("entities")
def reindex_entities(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Re-resolve every stored mention to entities with the current rules (one entity per name, typed from all
    evidence), without re-parsing any article. Run after upgrading an existing store."""
    with graph_for(db, create=False) as graph:
        counts = graph.reindex_entities()
    if as_json:
        return show(counts, True)
    render.console().print(f"reindexed {counts['mentions']:,} mentions: {counts['entities_before']:,} entities"
                           f" -> {counts['entities_after']:,}")


def _link_table(report) -> Table:
    table = Table(title="linked")
    for col in ("kb id", "entity id", "type", "name", "method", "score"):
        table.add_column(col)
    for link in report.linked:
        table.add_row(link.kb_id, str(link.entity.id), link.entity.label, link.entity.name, link.method,
                      f"{link.score:g}")
    return table


@app.command()
def link(
    kb: Annotated[Path, typer.Option("--kb", exists=True, dir_okay=False,
                                     help="JSONL knowledge base: {id, name, aliases, type} per line.")],
    threshold: Annotated[Optional[float], typer.Option(min=0, max=100,
                                                       help="Fuzzy match cut-off, 0-100 [default: 90].")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report the matches without storing them.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attach your knowledge base's ids to entities: exact name, then alias, then fuzzy. Ties are reported,
    not guessed; bad KB lines are reported one per line and the rest is linked."""
    with graph_for(db, create=False) as graph:
        report = graph.link_kb(kb, threshold=threshold, dry_run=dry_run)
    if as_json:
        show(report, True)
    else:
        console = render.console()
        console.print(_link_table(report))
        for amb in report.ambiguous:
            names = "; ".join(f"{e.name} ({e.label}, id {e.id})" for e in amb["candidates"])
            console.print(f"ambiguous {amb['kb_id']} ({amb['method']}): {names}")
        if report.unmatched:
            console.print(f"no entity for {len(report.unmatched)} KB records: {', '.join(report.unmatched[:20])}")
        for err in report.errors:
            render.console(stderr=True).print(str(err))
        verb = "would link" if dry_run else "linked"
        console.print(f"{verb} {len(report.linked)}, ambiguous {len(report.ambiguous)},"
                      f" unmatched {len(report.unmatched)}, bad lines {len(report.errors)}")
    if report.errors:
        raise typer.Exit(1)
