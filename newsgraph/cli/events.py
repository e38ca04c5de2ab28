"""Event commands: `newsgraph events`, `newsgraph train events`, `newsgraph eval events`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import render
from ..events.typology import DEFAULT_MIN_CONFIDENCE
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
    min_confidence: Annotated[Optional[float], typer.Option(
        "--min-confidence", min=0.0, max=1.0,
        help="List events at least this sure to be real events of their type [default: "
             f"{DEFAULT_MIN_CONFIDENCE}].")] = None,
    all_events: Annotated[bool, typer.Option("--all", help="List every event found, however uncertain.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Business events with their participants, modality, polarity, source and confidence, newest article first.

    Only events at or above the default confidence are listed; --min-confidence moves the cut, --all drops it.
    """
    cut = 0.0 if all_events else min_confidence
    with graph_for(db, create=False) as graph:
        show(graph.events(type=type, entity=entity, modality=modality, since=since, article=article, limit=limit,
                          min_confidence=cut), as_json, render.events_table)


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
    precision: Annotated[bool, typer.Option(
        "--precision", help="Score what a user is shown instead: the hand-judged Wikinews events in eval/events_real "
                            "(precision of the listed events, retention of real ones, modality, polarity, participants)."
    )] = False,
    split: Annotated[str, typer.Option("--split", help="With --precision: test (held out), tune or all.")] = "test",
    min_confidence: Annotated[Optional[float], typer.Option(
        "--min-confidence", min=0.0, max=1.0, help=f"With --precision: the cut [default: {DEFAULT_MIN_CONFIDENCE}].")]
    = None,
    judged: Annotated[Path, typer.Option("--judged", help="With --precision: the judged set's folder.")]
    = Path("eval/events_real"),
    wikinews: Annotated[Path, typer.Option("--wikinews", help="With --precision: the Wikinews articles.jsonl.")]
    = Path("../shared/data/wikinews/articles.jsonl"),
    as_json: JsonOption = False,
) -> None:
    """Sentence-type, trigger, argument, modality and polarity scores of the shipped model on SENTiVENT.

    With --precision: the precision of the events `newsgraph events` lists on real news, from hand judgments.
    """
    if precision:
        return _eval_precision(judged, wikinews, split, min_confidence, as_json)
    from ..eval.events import evaluate_events
    from ..eval.events_baseline import evaluate_baseline

    every = ("sentence_type", "trigger", "modality", "polarity", "calibration")
    parts = tuple(p.strip() for p in only.split(",")) if only else every
    unknown = set(parts) - set(every)
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
            if name == "bins":
                for b in value:
                    table.add_row(f"{part}.confidence {b['bin']} ({b['events']} events)",
                                  f"{b['real']:.3f} real (mean {b['mean_confidence']:.3f})")
            elif name != "per_type":
                table.add_row(f"{part}.{name}", "n/a" if value is None else f"{value:.3f}")
    render.console().print(table)


def _eval_precision(judged: Path, wikinews: Path, split: str, min_confidence: float | None, as_json: bool) -> None:
    from ..eval.events_real import evaluate_real

    if split not in ("test", "tune", "all"):
        raise typer.BadParameter("one of test, tune, all", param_hint="--split")
    scores = run_or_fail(lambda: evaluate_real(directory=judged, wikinews=wikinews, min_confidence=min_confidence,
                                               split=None if split == "all" else split))
    if as_json:
        return show(scores, True)
    table = Table(title=f"listed events on hand-judged Wikinews ({scores['split']} half, cut {scores['min_confidence']})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for name, value in scores.items():
        if name not in ("per_type", "split", "min_confidence"):
            table.add_row(name, "n/a" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value)))
    for t, v in scores["per_type"].items():
        table.add_row(f"precision {t} ({v['listed']} listed)", "n/a" if v["precision"] is None else f"{v['precision']:.3f}")
    render.console().print(table)
