"""`newsgraph eval TASK`: score newsgraph on public dev sets."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import render
from . import JsonOption, eval_app, run_or_fail, show


@eval_app.command("ner")
def eval_ner(
    data: Annotated[Path, typer.Option("--data", help="CoNLL-2003 file.")] = Path("../shared/data/conll2003/dev.txt"),
    as_json: JsonOption = False,
) -> None:
    """P/R/F1 for ORG, PER, LOC and micro, newsgraph beside bare spaCy, on CoNLL-2003."""
    from ..eval.ner import evaluate_ner

    scores = run_or_fail(lambda: evaluate_ner(str(data)))
    if as_json:
        return show(scores, True)
    table = Table(title=f"NER on {data}")
    table.add_column("system")
    for label in ("ORG", "PER", "LOC", "micro"):
        table.add_column(f"{label} P/R/F1")
    for system, by_label in scores.items():
        table.add_row(system, *(f"{s['p']:.3f}/{s['r']:.3f}/{s['f1']:.3f}"
                                for s in (by_label[k] for k in ("ORG", "PER", "LOC", "micro"))))
    render.console().print(table)


@eval_app.command("provenance")
def eval_provenance(
    data: Annotated[Path, typer.Option("--data", help="Wikinews articles.jsonl.")] = Path(
        "../shared/data/wikinews/articles.jsonl"),
    msrp: Annotated[Path, typer.Option("--msrp", help="MSRP train.jsonl.")] = Path("../shared/data/msrp/train.jsonl"),
    seed: Annotated[int, typer.Option(help="Seed of the synthetic set.")] = 13,
    base: Annotated[int, typer.Option(help="Wikinews articles used as sources.")] = 300,
    per_kind: Annotated[int, typer.Option("--per-kind", help="Synthetic articles per generator.")] = 40,
    as_json: JsonOption = False,
) -> None:
    """Source precision/recall per copy kind and originality error on a synthetic Wikinews set; MSRP P/R/F1."""
    from ..eval.provenance import evaluate_provenance

    scores = run_or_fail(lambda: evaluate_provenance(str(data), str(msrp), seed=seed, base=base, per_kind=per_kind))
    if as_json:
        return show(scores, True)
    table = Table(title=f"provenance on a synthetic set from {data} (seed {seed})")
    for col in ("kind", "precision", "recall", "target P/R", "gold", "predicted"):
        table.add_column(col)
    for kind, s in scores["synthetic"]["per_kind"].items():
        target = scores["targets"][kind]
        table.add_row(kind, f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                      f"{target['precision']:.2f}/{target['recall']:.2f}", str(s["gold"]), str(s["predicted"]))
    render.console().print(table)
    syn = scores["synthetic"]
    render.console().print(f"originality MAE {syn['originality_mae']:.4f}; stitched P/R "
                           f"{syn['stitched']['precision']:.3f}/{syn['stitched']['recall']:.3f}")
    if "restructured" in syn:
        r, sp = syn["restructured"], syn["lift_spans"]
        render.console().print(f"restructured rewrites as spun: P {r['precision']:.3f} R {r['recall']:.3f}; lifted spans"
                               f" within 2 words: {sp['sentence_within_2']:.3f} (source {sp['source_within_2']:.3f});"
                               f" hard negatives credited: {syn['hard_negatives_credited']}")
    for name, s in scores.get("msrp", {}).items():
        if name != "kinds":
            render.console().print(f"MSRP {name}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}")


@eval_app.command("entities")
def eval_entities(
    data: Annotated[Path, typer.Option("--data", help="Wikinews articles.jsonl.")] = Path(
        "../shared/data/wikinews/articles.jsonl"),
    names: Annotated[Optional[Path], typer.Option("--names", help="Judged names [default: eval/entities/names.jsonl]."
                                                  )] = None,
    db: Annotated[Optional[Path], typer.Option(
        "--db", help="Store to score; ingested from --data first if it holds no articles (a cache). "
                     "Default: a temporary store.")] = None,
    limit: Annotated[Optional[int], typer.Option(
        "--limit", min=1, help="Ingest only the first N articles naming a judged name (a quick check).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Share of hand-checked names that are one entity, typed right, and typed right by mentions (held-out half
    first) on the Wikinews articles."""
    from ..eval.entities import SPLITS, evaluate_entities

    scores = run_or_fail(lambda: evaluate_entities(data, names, db=db, limit=limit))
    if as_json:
        return show(scores, True)
    table = Table(title=f"entities on {scores['store']['articles']} articles of {data}")
    for col in ("split", "names", "mentions", "one entity", "typed right", "mention-weighted"):
        table.add_column(col)
    for split in SPLITS:
        s = scores[split]
        table.add_row(split, str(s["names"]), str(s["mentions"]), *(
            "-" if s[k] is None else f"{s[k]:.3f}" for k in ("one_entity", "typed_right", "mention_weighted")))
    render.console().print(table)
    render.console().print("(--json lists each split's misses and the ambiguous names' entities)")
