"""Story commands: `stories` (list, or --recluster), `story ID` (a story's timeline), `eval stories`."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

from .. import render
from ..model import StoryDetail, StorySummary
from . import DbOption, JsonOption, app, eval_app, graph_for, run_or_fail, show


def _dates(s: StorySummary) -> str:
    if not s.first_date:
        return "undated"
    return s.first_date if s.first_date == s.last_date else f"{s.first_date} – {s.last_date}"


def stories_table(stories: list[StorySummary]) -> Table:
    table = Table()
    for col in ("id", "dates", "articles", "label"):
        table.add_column(col, justify="right" if col in ("id", "articles") else "left")
    for s in stories:
        table.add_row(str(s.id), _dates(s), str(s.articles), s.label)
    return table


def story_view(detail: StoryDetail) -> Group:
    s = detail.story
    head = Text.assemble((s.label or "(unlabelled)", "bold"), "\n", (f"story {s.id} · {_dates(s)} · "
                                                                      f"{s.articles} articles", "dim"))
    ents = Text(", ").join(Text(f"{e.name} ({e.articles})", style=render.LABEL_STYLES.get(e.label, ""))
                           for e in detail.entities[:12])
    timeline = Table(title="timeline")
    for col in ("date", "kind", "article", "key sentence / event"):
        timeline.add_column(col)
    for item in detail.timeline:
        what = Text(item.text) if item.kind == "article" else Text.assemble(
            (item.event_type or "", "bold"), f" · {item.modality}", (" · negated", "red") if item.polarity == "negated"
            else "", (f" ({item.shift})", "yellow") if item.shift else "", (f"\n{item.text}", "dim"))
        # Text, not str: rich would read "[certain, positive]" or a sentence's brackets as markup
        timeline.add_row(item.date or "", item.kind, Text(f"{item.article.id} {item.article.title or ''}"[:40]), what)
    return Group(head, ents, timeline)


@app.command()
def stories(
    entity: Annotated[Optional[str], typer.Option("--entity", "-e", help="Only stories this entity (name, alias or id)"
                                                                          " takes part in.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only stories running on or after YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    recluster: Annotated[bool, typer.Option("--recluster", help="Rebuild all stories in date order and merge close"
                                                                " ones, then list them.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stories (groups of articles about one real-world story), latest first."""
    with graph_for(db, create=False) as graph:
        if recluster:
            counts = graph.recluster()
            render.console(stderr=True).print("reclustered: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        ref = int(entity) if entity and entity.isdecimal() else entity
        show(graph.stories(entity=ref, since=since, limit=limit), as_json, stories_table)


@app.command()
def story(story_id: Annotated[int, typer.Argument(help="Story id.")], db: DbOption = None,
          events: Annotated[bool, typer.Option("--events/--no-events", help="Put the member articles' events on the"
                                                                          " timeline, with their modality and each"
                                                                          " shift of a claim.")] = True,
          as_json: JsonOption = False) -> None:
    """One story: label, dates, key entities and its timeline of articles (with their key sentence) and events."""
    with graph_for(db, create=False) as graph:
        show(graph.story(story_id, events=events), as_json, story_view)


@eval_app.command("stories")
def eval_stories(
    data: Annotated[Path, typer.Option("--data", help="ECB+ JSONL split.")] = Path("../shared/data/ecbplus/dev.jsonl"),
    orders: Annotated[int, typer.Option("--orders", min=0, help="Shuffled orders for the order-sensitivity check.")] = 5,
    wikinews: Annotated[Optional[Path], typer.Option("--wikinews", help="Also cluster this Wikinews JSONL and show"
                                                                        " story counts, sizes and sample labels.")] = None,
    background: Annotated[Optional[Path], typer.Option("--background", help="Unlabelled documents (e.g. the train"
                                                       " split) that only warm the document frequencies; adds"
                                                       " warm-DF scores.")] = None,
    tune: Annotated[bool, typer.Option("--tune", help="Grid-search the weights, the join threshold, the repair"
                                                      " cut and lone-article attachment on --data (use train) and"
                                                      " print the best ones instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """B3 P/R/F1, ARI and NMI of online story clustering on ECB+, beside a TF-IDF agglomerative baseline."""
    from ..eval.stories import evaluate_stories, tune_on

    if tune:
        return show(run_or_fail(lambda: tune_on(str(data))), True)
    result = run_or_fail(lambda: evaluate_stories(str(data), orders=orders, wikinews=str(wikinews) if wikinews else None,
                                                  background=str(background) if background else None))
    if as_json:
        return show(result, True)
    table = Table(title=f"story clustering on {data}")
    for col in ("system", "B3 P", "B3 R", "B3 F1", "ARI", "NMI", "clusters", "gold"):
        table.add_column(col)
    for name in ("online", "online_warm_df", "baseline_agglomerative"):
        if name not in result:
            continue
        r = result[name]
        table.add_row(name, *(f"{r['b3'][k]:.3f}" for k in ("p", "r", "f1")), f"{r['ari']:.3f}", f"{r['nmi']:.3f}",
                      str(r["clusters"]), str(r["gold_clusters"]))
    render.console().print(table)
    for name in ("shuffled", "shuffled_warm_df"):
        if name in result:
            sh = result[name]
            render.console().print(f"online B3 F1 over {sh['orders']} {name.replace('_', ' ')} orders:"
                                   f" mean {sh['mean']:.3f}, spread {sh['spread']:.3f}")
    if "wikinews" in result:
        render.console().print(render.to_json(result["wikinews"]))
