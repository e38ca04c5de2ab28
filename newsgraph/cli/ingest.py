"""`newsgraph ingest`: read news into the store with a progress bar; `newsgraph delete`: take an article out."""
from __future__ import annotations

import sys
import time
from typing import Annotated, Optional

import typer
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from .. import render
from ..graph import demo_corpus
from . import DbOption, JsonOption, app, fail, graph_for


@app.command()
def ingest(
    sources: Annotated[Optional[list[str]], typer.Argument(
        help="Files (.html .txt .jsonl .warc[.gz] .rss .atom .xml), directories, http(s) URLs or feeds, - for stdin.",
        show_default=False)] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Ingest the bundled demo corpus (200 Wikinews articles).")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes that parse and prepare articles; this one writes.")] = 1,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Allow fetching private, loopback and link-local addresses.")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1,
                                       help="Articles per write transaction (a crash loses at most one batch).")] = 32,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Size limit per file, page or JSONL line.")] = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read news into the store. Re-ingesting the same article adds nothing; errors are stored and listed."""
    items = list(sources or []) + ([str(demo_corpus())] if demo else [])
    if not items:
        fail(typer.BadParameter("give at least one SOURCE, or --demo"))
    err = render.console(stderr=True)
    with graph_for(db) as graph, Progress(
        SpinnerColumn(), TextColumn("[bold]ingesting"), BarColumn(bar_width=None),
        TextColumn("{task.fields[done]} docs · {task.fields[rate]:.1f} docs/s · {task.fields[skipped]} skipped · "
                   "[red]{task.fields[errors]} errors"), TimeElapsedColumn(),
        console=err, disable=as_json,
    ) as bar:
        task = bar.add_task("ingest", total=None, done=0, rate=0.0, skipped=0, errors=0)
        started = time.monotonic()

        def progress(report) -> None:
            done = report.added + report.skipped + len(report.errors)
            bar.update(task, done=report.added, skipped=report.skipped, errors=len(report.errors),
                       rate=report.added / max(time.monotonic() - started, 1e-6), completed=done)

        report = graph.ingest(items, workers=workers, allow_private=allow_private,
                              max_bytes=int(max_mb * 1_000_000), stdin=sys.stdin.buffer, progress=progress,
                              batch=batch)
        elapsed = time.monotonic() - started
    summary = {"added": report.added, "skipped": report.skipped, "errors": [str(e) for e in report.errors],
               "words": report.words, "seconds": round(elapsed, 2)}
    if as_json:
        sys.stdout.write(render.to_json(summary) + "\n")
    else:
        for e in report.errors:
            err.print(f"[red]error[/red] {e}", markup=True, highlight=False)
        err.print(f"added {report.added} articles ({report.words:,} words) in {elapsed:.1f}s; "
                  f"skipped {report.skipped} already stored; {len(report.errors)} errors")
    if report.errors:
        raise typer.Exit(1)


@app.command()
def delete(
    article: Annotated[str, typer.Argument(help="Article id, URL or item name.", show_default=False)],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete an article with its sentences, mentions, events, provenance links and story membership."""
    with graph_for(db, create=False) as graph:
        gone = graph.delete_article(article)
    if as_json:
        sys.stdout.write(render.to_json({"deleted": gone}) + "\n")
    else:
        render.console(stderr=True).print(f"deleted article {gone.id}: {gone.title or gone.url or ''}", highlight=False)


@app.command()
def copy(
    source: Annotated[str, typer.Option("--from", show_default=False,
                                        help="The store to copy (it must exist): a SQLite path or postgresql:// URL.")],
    target: Annotated[str, typer.Option("--to", help="The store to copy into (created if needed).",
                                        show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Copy a store into another, e.g. a laptop's SQLite file into a PostgreSQL server. Provenance and stories are
    rebuilt in the target as at ingest (no NLP is re-run); a re-run, or a run after an interruption, adds nothing
    twice."""
    err = render.console(stderr=True)
    with graph_for(source, create=False) as original, graph_for(target) as graph, Progress(
        SpinnerColumn(), TextColumn("[bold]copying"), BarColumn(bar_width=None),
        TextColumn("{task.completed}/{task.total} articles · {task.fields[added]} added ·"
                   " {task.fields[skipped]} already there"), TimeElapsedColumn(),
        console=err, disable=as_json,
    ) as bar:
        task = bar.add_task("copy", total=None, added=0, skipped=0)
        started = time.monotonic()

        def progress(report) -> None:
            bar.update(task, total=report.total, completed=report.added + report.skipped, added=report.added,
                       skipped=report.skipped)

        report = graph.copy_from(original.store, progress=progress)
        elapsed = time.monotonic() - started
    summary = {"articles": report.total, "added": report.added, "skipped": report.skipped,
               "errors_copied": report.errors, "seconds": round(elapsed, 2)}
    if as_json:
        sys.stdout.write(render.to_json(summary) + "\n")
    else:
        err.print(f"copied {report.added} articles in {elapsed:.1f}s; {report.skipped} were already there;"
                  f" {report.errors} ingest errors carried over")
