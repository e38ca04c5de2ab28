"""`newsgraph batch`: ingest a large corpus with Apache Spark, with a progress line and a `--json` summary."""
from __future__ import annotations

import sys
import time
from dataclasses import asdict
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from .. import render
from . import DbOption, JsonOption, app, graph_for


@app.command()
def batch(
    inputs: Annotated[list[str], typer.Argument(
        help="WARC/WARC.gz and JSONL files (also .html .txt .rss ...), directories or quoted globs ('crawl/*.warc.gz'),"
             " on a path every executor can read.", show_default=False)],
    master: Annotated[Optional[str], typer.Option(
        "--master", help="Spark master: local\\[N], yarn, k8s://..., spark://... Default: spark-submit's, else"
                         " local\\[2].", show_default=False)] = None,
    partitions: Annotated[Optional[int], typer.Option(
        "--partitions", min=1, help="About how many pieces to cut the inputs into (JSONL is cut at line starts; a WARC"
                                    " file is one piece). Default: 4 per core.", show_default=False)] = None,
    provenance: Annotated[str, typer.Option(
        "--provenance", help="How sentence matches are found: 'lookup' (store lookups per sentence as each article is"
                             " stored, as ingest does) or 'join' (store first, then one Spark join on MinHash band"
                             " keys and n-gram seeds over the whole batch; the same matches).")] = "lookup",
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Size limit per file, page or JSONL line.")] = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest a corpus with Apache Spark: each partition reads, parses and stores its own records, straight into the
    store (a postgresql:// URL on a cluster; a SQLite path for local runs). Bad records are stored as errors and
    never fail the job; articles already stored are skipped, so re-running a killed job resumes it."""
    err = render.console(stderr=True)
    with graph_for(db) as graph, Progress(
        SpinnerColumn(), TextColumn("[bold]batch[/bold] {task.fields[stage]}"), BarColumn(bar_width=None),
        TextColumn("{task.completed}/{task.total} partitions · {task.fields[read]} read · {task.fields[added]} stored"
                   " · {task.fields[skipped]} skipped · [red]{task.fields[failed]} failed[/red] ·"
                   " {task.fields[rate]:.1f} docs/s"), TimeElapsedColumn(),
        console=err, disable=as_json,
    ) as bar:
        task = bar.add_task("batch", total=None, stage="starting Spark", read=0, added=0, skipped=0, failed=0,
                            rate=0.0)
        started = time.monotonic()

        def progress(report) -> None:
            running = max(time.monotonic() - started - report.startup_seconds, 1e-6)
            stage = "starting Spark" if not report.partitions else (
                "matching (Spark join)" if report.stage == "matching" else "running")
            bar.update(task, stage=stage,
                       total=report.partitions or None, completed=report.partitions_done, read=report.read,
                       added=report.added, skipped=report.skipped, failed=report.failed,
                       rate=report.added / running if report.partitions else 0.0)

        report = graph.batch(inputs, master=master, partitions=partitions, max_bytes=int(max_mb * 1_000_000),
                             progress=progress, provenance=provenance)
    summary = {**asdict(report), "docs_per_second": round(report.docs_per_second, 2)}
    if as_json:
        sys.stdout.write(render.to_json(summary) + "\n")
    else:
        for line in report.errors:
            err.print(f"[red]error[/red] {line}", markup=True, highlight=False)
        more = report.failed - len(report.errors)
        if more > 0:
            err.print(f"... and {more} more errors: `newsgraph errors` lists them all", highlight=False)
        err.print(f"read {report.read} records on {report.master}: stored {report.added} articles"
                  f" ({report.words:,} words), skipped {report.skipped} already stored, {report.failed} errors;"
                  f" {report.seconds:.1f}s ({report.docs_per_second:.1f} docs/s) after {report.startup_seconds:.1f}s"
                  " starting Spark", highlight=False)
        if report.provenance == "join":
            err.print(f"matched {report.matched} of {report.pending} pending articles by Spark join in"
                      f" {report.match_seconds:.1f}s (candidate joins {report.candidate_seconds:.1f}s)",
                      highlight=False)
    if report.failed:
        raise typer.Exit(1)
