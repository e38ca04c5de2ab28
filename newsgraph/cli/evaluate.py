"""`newsgraph eval TASK`: score newsgraph on public dev sets."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .. import render
from ..errors import NewsgraphError
from . import JsonOption, eval_app, fail


@eval_app.command("ner")
def eval_ner(
    data: Annotated[Path, typer.Option("--data", help="CoNLL-2003 file.")] = Path("../shared/data/conll2003/dev.txt"),
    as_json: JsonOption = False,
) -> None:
    """P/R/F1 for ORG, PER, LOC and micro, newsgraph beside bare spaCy, on CoNLL-2003."""
    from ..eval.ner import evaluate_ner

    try:
        scores = evaluate_ner(str(data))
    except (NewsgraphError, OSError) as exc:
        fail(exc)
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
