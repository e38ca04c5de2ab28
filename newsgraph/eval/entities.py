"""Scores entity resolution on the hand-checked Wikinews names (eval/entities): one entity per name, typed right."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsgraph.errors import InputError
from newsgraph.store.base import Store

SPLITS = ("heldout", "tune")


@dataclass(frozen=True)
class NameItem:
    name: str
    type: str | None  # None: not a name, or no type in the scheme; never scored
    ambiguous: bool
    split: str


def default_names() -> Path:
    """eval/entities/names.jsonl of a source checkout (the set is not shipped in the wheel)."""
    return Path(__file__).resolve().parents[2] / "eval" / "entities" / "names.jsonl"


def load_names(path: str | Path) -> list[NameItem]:
    items = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                items.append(NameItem(raw["name"], raw["type"], bool(raw.get("ambiguous")), raw["split"]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"{path}:{number}", "eval", f"bad judged name: {exc}") from exc
    return items


def _share(hits: float, total: float) -> float | None:
    return round(hits / total, 4) if total else None


def score(store: Store, items: list[NameItem]) -> dict:
    """Per split: share of names that are one entity, typed right, and the mention-weighted typed-right share."""
    found = store.surface_entities([i.name for i in items])
    out: dict = {}
    for split in SPLITS:
        scored = [i for i in items if i.split == split and i.type and not i.ambiguous and found.get(i.name)]
        one = typed = right_mentions = all_mentions = 0
        misses = []
        for item in scored:
            entities = found[item.name]  # entity id -> (type, mentions)
            top_type = max(entities.values(), key=lambda tm: tm[1])[0]
            n = sum(m for _, m in entities.values())
            good = sum(m for t, m in entities.values() if t == item.type)
            one += len(entities) == 1
            typed += top_type == item.type
            right_mentions += good
            all_mentions += n
            if len(entities) > 1 or top_type != item.type:
                misses.append({"name": item.name, "true": item.type,
                               "entities": sorted((t, m) for t, m in entities.values())})
        ambiguous = [i for i in items if i.split == split and i.ambiguous and found.get(i.name)]
        out[split] = {
            "names": len(scored), "mentions": all_mentions,
            "one_entity": _share(one, len(scored)), "typed_right": _share(typed, len(scored)),
            "mention_weighted": _share(right_mentions, all_mentions),
            "ambiguous": {i.name: sorted((t, m) for t, m in found[i.name].values()) for i in ambiguous},
            "misses": misses,
        }
    return out


def pick_articles(data: str | Path, items: list[NameItem], limit: int | None) -> list[str]:
    """JSONL lines of `data`; with `limit`, the first `limit` articles (file order) naming any judged name."""
    lines = Path(data).read_text(encoding="utf-8").splitlines()
    if limit is None:
        return lines
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(i.name) for i in items if i.type) + r")\b")
    return [line for line in lines if pattern.search(line)][:limit]


def evaluate_entities(data: str | Path, names: str | Path | None = None, *, db: str | Path | None = None,
                      limit: int | None = None, open_graph: Callable | None = None) -> dict:
    """Ingest `data` (or its first `limit` relevant articles) into the store at `db` unless it already holds
    articles, then score the judged names; a temporary store when `db` is None."""
    import tempfile

    from newsgraph.graph import open as open_store

    items = load_names(names or default_names())
    opener = open_graph or open_store
    with tempfile.TemporaryDirectory(prefix="newsgraph-eval-entities-") as tmp:
        path = Path(db) if db else Path(tmp) / "entities.db"
        with opener(str(path)) as graph:
            ingested = 0
            if graph.stats().articles == 0:
                source = Path(tmp) / "articles.jsonl"
                source.write_text("\n".join(pick_articles(data, items, limit)) + "\n", encoding="utf-8")
                ingested = graph.ingest([source]).added
            result = score(graph.store, items)
            result["store"] = {"articles": graph.stats().articles, "ingested_now": ingested,
                               "db": str(db) if db else None}
    return result
