"""The `newsgraph` command line: parses arguments, calls `newsgraph.Graph`, formats the answer."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import render
from .errors import NewsgraphError
from .graph import demo_corpus
from .graph import open as open_graph

app = typer.Typer(
    name="newsgraph",
    help="Turn a stream of news into a sourced knowledge graph, and query it.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Score newsgraph on public dev sets and print the figures.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

DbOption = Annotated[
    Optional[str],
    typer.Option("--db", envvar="NEWSGRAPH_DB", help="SQLite store path [default: ./newsgraph.db]."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def _graph(db: str | None):
    """Open the store, turning newsgraph errors into a one-line message and exit code 1."""
    try:
        graph = open_graph(db)
    except NewsgraphError as exc:
        _fail(exc)
    try:
        yield graph
    except NewsgraphError as exc:
        _fail(exc)
    finally:
        graph.close()


def _fail(exc: Exception) -> None:
    render.console(stderr=True).print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
    raise typer.Exit(1)


def _print(value, as_json: bool, view=None) -> None:
    if as_json:
        sys.stdout.write(render.to_json(value) + "\n")
    else:
        render.console().print(view(value) if view else value)


@app.command()
def ingest(
    sources: Annotated[Optional[list[str]], typer.Argument(
        help="Files (.html .txt .jsonl .warc[.gz] .rss .atom .xml), directories, http(s) URLs or feeds, - for stdin.",
        show_default=False)] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Ingest the bundled demo corpus (200 Wikinews articles).")] = False,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="spaCy processes (nlp.pipe n_process).")] = 1,
    allow_private: Annotated[bool, typer.Option("--allow-private",
                                                help="Allow fetching private, loopback and link-local addresses.")] = False,
    max_mb: Annotated[float, typer.Option("--max-mb", min=0.001, help="Size limit per file, page or JSONL line.")] = 10.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Read news into the store. Re-ingesting the same article adds nothing; errors are stored and listed."""
    items = list(sources or []) + ([str(demo_corpus())] if demo else [])
    if not items:
        _fail(typer.BadParameter("give at least one SOURCE, or --demo"))
    err = render.console(stderr=True)
    with _graph(db) as graph, Progress(
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
                              max_bytes=int(max_mb * 1_000_000), stdin=sys.stdin.buffer, progress=progress)
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
def stats(db: DbOption = None, as_json: JsonOption = False,
          top: Annotated[int, typer.Option(help="Top entities shown per type.")] = 5) -> None:
    """Counts of articles, sentences, mentions, entities and errors, and the top entities by type."""
    with _graph(db) as graph:
        s = graph.stats()
        tops = {label: graph.entities(type=label, limit=top) for label in s.entities_by_type}
        if as_json:
            _print({"stats": s, "top": tops, "errors": graph.errors(limit=10)}, True)
        else:
            render.console().print(render.stats_view(s, tops, graph.errors(limit=5)))


@app.command()
def entities(
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="ORG, PRODUCT, PERSON, GPE, MONEY, DATE, …")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 25,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Canonical entities with their counts and aliases, most mentioned first."""
    with _graph(db) as graph:
        _print(graph.entities(type=type, limit=limit), as_json, render.entities_table)


@app.command()
def entity(
    name: Annotated[str, typer.Argument(help="Canonical name, alias or id.")],
    type: Annotated[Optional[str], typer.Option("--type", "-t")] = None,
    mentions: Annotated[int, typer.Option("--mentions", min=0, help="How many mentions to show.")] = 20,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One entity: aliases, mentions with their sentences and articles, co-occurring entities."""
    with _graph(db) as graph:
        ref = int(name) if name.isdigit() else name
        _print(graph.entity(ref, type=type, mentions=mentions), as_json, render.entity_view)


@app.command()
def article(ref: Annotated[str, typer.Argument(help="Article id or URL.")],
            db: DbOption = None, as_json: JsonOption = False) -> None:
    """An article's text with its entity mentions marked."""
    with _graph(db) as graph:
        _print(graph.article(ref), as_json, render.article_view)


@app.command()
def search(query: Annotated[str, typer.Argument(help="SQLite FTS5 query, e.g. 'Xiaomi AND carrier*'.")],
           limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 20,
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """Full-text search over sentences, with snippets."""
    with _graph(db) as graph:
        _print(graph.search(query, limit=limit), as_json, render.search_table)


@app.command()
def errors(limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 100,
           db: DbOption = None, as_json: JsonOption = False) -> None:
    """Ingest errors recorded in the store, newest first."""
    with _graph(db) as graph:
        _print(graph.errors(limit=limit), as_json, render.errors_table)


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or graphml.")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option("--out", "-o",
                                                help="Output file (a directory for csv); stdout if omitted.")] = None,
    db: DbOption = None,
) -> None:
    """Export articles, sentences, entities, aliases and mentions; GraphML adds co-occurrence edges."""
    if format == "csv" and out is None:
        _fail(typer.BadParameter("csv export needs --out DIRECTORY"))
    with _graph(db) as graph:
        counts = graph.export(format, out if out is not None else sys.stdout)
    if out is not None:
        render.console(stderr=True).print(f"wrote {out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@eval_app.command("ner")
def eval_ner(
    data: Annotated[Path, typer.Option("--data", help="CoNLL-2003 file.")] = Path("../shared/data/conll2003/dev.txt"),
    as_json: JsonOption = False,
) -> None:
    """P/R/F1 for ORG, PER, LOC and micro, newsgraph beside bare spaCy, on CoNLL-2003."""
    from .eval.ner import evaluate_ner

    try:
        scores = evaluate_ner(str(data))
    except (NewsgraphError, OSError) as exc:
        _fail(exc)
    if as_json:
        sys.stdout.write(render.to_json(scores) + "\n")
        return
    table = Table(title=f"NER on {data}")
    table.add_column("system")
    for label in ("ORG", "PER", "LOC", "micro"):
        table.add_column(f"{label} P/R/F1")
    for system, by_label in scores.items():
        table.add_row(system, *(f"{s['p']:.3f}/{s['r']:.3f}/{s['f1']:.3f}"
                                for s in (by_label[k] for k in ("ORG", "PER", "LOC", "micro"))))
    render.console().print(table)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
