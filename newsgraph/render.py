"""Terminal views (rich) and JSON conversion of query results, shared by the CLI commands."""
from __future__ import annotations

import dataclasses
import json
from typing import Any

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from .model import (
    MARK_CLOSE,
    MARK_OPEN,
    ArticleDetail,
    EntityDetail,
    EntitySummary,
    SearchHit,
    Stats,
    StoredError,
)

LABEL_STYLES = {
    "ORG": "bold cyan",
    "PRODUCT": "bold magenta",
    "PERSON": "bold green",
    "GPE": "bold yellow",
    "LOC": "yellow",
    "MONEY": "bold red",
    "DATE": "blue",
    "NORP": "dim cyan",
}


def to_json(value: Any) -> str:
    """JSON for dataclasses, lists of them and plain values."""
    return json.dumps(_plain(value), ensure_ascii=False, indent=2)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def marked_snippet(snippet: str) -> Text:
    """A search snippet with its matches highlighted."""
    text = Text()
    rest = snippet
    while MARK_OPEN in rest:
        before, _, after = rest.partition(MARK_OPEN)
        match, _, rest = after.partition(MARK_CLOSE)
        text.append(before)
        text.append(match, style="bold reverse")
    text.append(rest)
    return text


def stats_view(stats: Stats, top: dict[str, list[EntitySummary]], errors: list[StoredError]) -> Group:
    counts = Table(title="newsgraph store", show_header=False)
    for name in ("articles", "sentences", "mentions", "entities", "errors"):
        counts.add_row(name, f"{getattr(stats, name):,}")
    parts: list[Any] = [counts]
    if top:
        table = Table(title="top entities by type (articles mentioning)")
        table.add_column("type")
        table.add_column("entities")
        for label, ents in top.items():
            names = Text(", ").join(Text(f"{e.name} ({e.articles})", style=LABEL_STYLES.get(label, "")) for e in ents)
            table.add_row(label, names)
        parts.append(table)
    if errors:
        parts.append(errors_table(errors, title="recent errors"))
    return Group(*parts)


def entities_table(entities: list[EntitySummary]) -> Table:
    table = Table()
    for col in ("id", "type", "name", "articles", "mentions", "aliases"):
        table.add_column(col, justify="right" if col in ("id", "articles", "mentions") else "left")
    for e in entities:
        table.add_row(str(e.id), e.label, Text(e.name, style=LABEL_STYLES.get(e.label, "")), str(e.articles),
                      str(e.mentions), ", ".join(e.aliases[:6]))
    return table


def entity_view(detail: EntityDetail) -> Group:
    e = detail.entity
    head = Text.assemble((e.name, LABEL_STYLES.get(e.label, "bold")), f"  {e.label} · id {e.id} · ",
                         f"{e.articles} articles · {e.mentions} mentions\n", ("aliases: ", "dim"), ", ".join(e.aliases))
    mentions = Table(title="mentions", show_lines=False)
    mentions.add_column("article")
    mentions.add_column("date")
    mentions.add_column("sentence")
    for m in detail.mentions:
        sentence = Text(m.sentence)
        sentence.stylize("bold underline", m.start, m.end)
        mentions.add_row(f"{m.article.id} {m.article.title or ''}"[:40], m.article.date or "", sentence)
    near = Table(title="co-occurring entities")
    near.add_column("entity")
    near.add_column("type")
    near.add_column("shared articles", justify="right")
    for n in detail.neighbours:
        near.add_row(n.entity.name, n.entity.label, str(n.articles))
    if not detail.events:
        return Group(head, mentions, near)
    timeline = events_table(detail.events)
    timeline.title = "event timeline"
    return Group(head, mentions, near, timeline)


def article_view(detail: ArticleDetail) -> Group:
    a = detail.article
    head = Text.assemble((a.title or "(untitled)", "bold"), "\n",
                         (f"id {a.id} · {a.date or 'no date'} · {a.site or ''} · {a.url or detail.item}", "dim"))
    body = Text(detail.text)
    for m in detail.mentions:
        body.stylize(LABEL_STYLES.get(m.label, "underline"), m.start, m.end)
    legend = Text("  ").join(Text(label, style=style) for label, style in LABEL_STYLES.items())
    return Group(head, Text(""), body, Text(""), legend)


def search_table(hits: list[SearchHit]) -> Table:
    table = Table()
    table.add_column("article")
    table.add_column("date")
    table.add_column("snippet")
    for h in hits:
        table.add_row(f"{h.article.id} {h.article.title or ''}"[:40], h.article.date or "", marked_snippet(h.snippet))
    return table


def errors_table(errors: list[StoredError], title: str | None = None) -> Table:
    table = Table(title=title)
    for col in ("item", "stage", "message", "count", "last seen"):
        table.add_column(col)
    for e in errors:
        table.add_row(e.item, e.stage, e.message, str(e.count), e.last_seen)
    return table


def console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=False)


# ---- events ----


def events_table(events) -> Table:
    table = Table()
    for col in ("date", "type", "trigger", "participants", "modality", "polarity", "attribution", "sure", "article"):
        table.add_column(col, justify="right" if col == "sure" else "left")
    for e in events:
        names = ", ".join(a.entity_name or a.text for a in e.arguments if a.kind == "participant")
        source = e.attribution.kind if e.attribution.kind == "none" else f"{e.attribution.kind}: {e.attribution.source}"
        table.add_row(e.article.date or "", e.type + (f".{e.subtype}" if e.subtype else ""),
                      e.trigger + (f" [{', '.join(e.tags)}]" if e.tags else ""), names, e.modality, e.polarity,
                      source, f"{e.score:.0%}", str(e.article.id))
    return table
