"""The `newsgraph` command line: parses arguments, calls `newsgraph.Graph`, formats the answer.

Commands live in small modules by job (ingest, queries, eval); each registers on `app` here.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Annotated, Callable, Optional, TypeVar

import typer

from .. import render
from ..errors import NewsgraphError
from ..graph import open as open_graph

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
    typer.Option("--db", envvar="NEWSGRAPH_DB",
                 help="Store: a SQLite file path, or a postgresql://user@host:port/dbname URL [default: ./newsgraph.db]."),
]
T = TypeVar("T")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


@contextmanager
def graph_for(db: str | None, *, create: bool = True, readers: int | None = None):
    """Open the store, turning newsgraph errors into a one-line message and exit code 1; `create=False` for a store
    that is only read from (a missing one is that error, not a new empty store)."""
    try:
        graph = open_graph(db, create=create, **({"readers": readers} if readers else {}))
    except NewsgraphError as exc:
        fail(exc)
    try:
        yield graph
    except NewsgraphError as exc:
        fail(exc)
    finally:
        graph.close()


def fail(exc: Exception) -> None:
    # soft_wrap: one line whatever the terminal width, so scripts can grep it
    render.console(stderr=True).print(f"[red]error:[/red] {exc}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def run_or_fail(job: Callable[[], T]) -> T:
    """Run a long job (an eval, a training run); its newsgraph or file errors become one line and exit 1."""
    try:
        return job()
    except (NewsgraphError, OSError) as exc:
        fail(exc)
        raise  # unreachable: fail() exits


def show(value, as_json: bool, view=None) -> None:
    if as_json:
        sys.stdout.write(render.to_json(value) + "\n")
    else:
        render.console().print(view(value) if view else value)


def main() -> None:
    app()


# Command modules register themselves on `app`; imported last because they import the helpers above.
from . import batch, evaluate, events, ingest, provenance, query, serve, stories  # noqa: E402,F401
from . import entities  # noqa: E402,F401,I001 - last: its commands list after the query ones
