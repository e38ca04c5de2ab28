"""Event commands: `newsgraph events`, `newsgraph train events`, `newsgraph eval events`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import render
from . import DbOption, JsonOption, app, eval_app, graph_for, run_or_fail, show

train_app = typer.Typer(help="Train newsgraph's learned models from public data.", no_args_is_help=True)
app.add_typer(train_app, name="train")


@app.command()
def events(
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="Deal, Product/Service, … or Type.Subtype.")] = None,
    entity: Annotated[Optional[str], typer.Option("--entity", "-e", help="Entity name, alias or id.")] = None,
    modality: Annotated[Optional[str], typer.Option("--modality", "-m",
                                                    help="certain, planned, possible or reported.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Articles dated on or after (YYYY-MM-DD).")] = None,
    article: Annotated[Optional[str], typer.Option("--article", "-a", help="Article id or URL.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Business events with their participants, modality, polarity and source, newest article first."""
    with graph_for(db) as graph:
        show(graph.events(type=type, entity=entity, modality=modality, since=since, article=article, limit=limit),
             as_json, render.events_table)


@train_app.command("events")
def train_events(
    data: Annotated[Path, typer.Option("--data", help="SENTiVENT folder (train.jsonl, dev.jsonl).")]
    = Path("../shared/data/sentivent"),
    out: Annotated[Optional[Path], typer.Option("--out", help="Model folder [default: inside the package].")] = None,
) -> None:
    """Train the event trigger and sentence-type models on SENTiVENT train, tuned on dev (CC BY-NC 4.0)."""
    from ..events.classifier import MODEL_DIR
    from ..events.train import train

    show(run_or_fail(lambda: train(data, out or MODEL_DIR, log=lambda m: render.console(stderr=True).print(m))), True)


@train_app.command("modality")
def train_modality(
    data: Annotated[Path, typer.Option("--data", help="SENTiVENT folder (train.jsonl).")]
    = Path("../shared/data/sentivent"),
) -> None:
    """Train only the modality model (cue x event type) on SENTiVENT train; `train events` also runs it."""
    from ..events.modality_model import train_from_data

    show(run_or_fail(lambda: train_from_data(data, log=lambda m: render.console(stderr=True).print(m))), True)


@eval_app.command("events")
def eval_events(
    data: Annotated[Path, typer.Option("--data", help="SENTiVENT JSONL file.")]
    = Path("../shared/data/sentivent/dev.jsonl"),
    baseline: Annotated[bool, typer.Option("--baseline",
                                           help="Score the TF-IDF + logistic-regression baseline instead.")] = False,
    only: Annotated[Optional[str], typer.Option(
        "--only", help="Score only these parts, comma-separated (e.g. modality,polarity: quick, on gold events).")]
    = None,
    as_json: JsonOption = False,
) -> None:
    """Sentence-type, trigger, argument, modality and polarity scores of the shipped model on SENTiVENT."""
    from ..eval.events import evaluate_events
    from ..eval.events_baseline import evaluate_baseline

    parts = tuple(p.strip() for p in only.split(",")) if only else ("sentence_type", "trigger", "modality", "polarity")
    unknown = set(parts) - {"sentence_type", "trigger", "modality", "polarity"}
    if unknown:
        raise typer.BadParameter(f"unknown part(s) {', '.join(sorted(unknown))}", param_hint="--only")
    scores = run_or_fail(lambda: evaluate_baseline(str(data)) if baseline else evaluate_events(str(data), parts=parts))
    if as_json:
        return show(scores, True)
    table = Table(title=f"events on {data}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for part, figures in scores.items():
        for name, value in figures.items():
            if name != "per_type":
                table.add_row(f"{part}.{name}", "n/a" if value is None else f"{value:.3f}")
    render.console().print(table)
