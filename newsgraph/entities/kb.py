"""Links entities to the user's own knowledge base: exact name, then alias, then rapidfuzz above a threshold.

A KB is JSONL, one record a line: {"id": "...", "name": "...", "aliases": [...], "type": "ORG"} (aliases and type
optional). A record whose best matches tie is reported as ambiguous and left unlinked, never guessed.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from newsgraph.model import VALUE_LABELS, EntitySummary, IngestError
from newsgraph.nlp.canonical import fold
from newsgraph.store.base import Store

DEFAULT_THRESHOLD = 90.0
TIE_MARGIN = 2.0  # fuzzy scores this close to the best are a tie
FUZZY_POOL = 200_000  # entities of one type read as fuzzy candidates


@dataclass(frozen=True)
class KbRecord:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    type: str | None = None


@dataclass(frozen=True)
class KbLink:
    kb_id: str
    entity: EntitySummary
    method: str  # exact | alias | fuzzy
    score: float


@dataclass
class LinkReport:
    linked: list[KbLink] = field(default_factory=list)
    ambiguous: list[dict] = field(default_factory=list)  # {"kb_id", "method", "candidates": [entity summaries]}
    unmatched: list[str] = field(default_factory=list)  # KB ids with no entity
    errors: list[IngestError] = field(default_factory=list)


def load_kb(path: str | Path) -> tuple[list[KbRecord], list[IngestError]]:
    """The KB's records; a bad line becomes an error naming it, and the rest are read."""
    records, errors = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            item = f"{path}:{number}"
            try:
                raw = json.loads(line)
                if not isinstance(raw, dict) or not str(raw.get("id", "")).strip() or not str(raw.get("name", "")).strip():
                    raise ValueError("a record needs an id and a name")
                aliases = raw.get("aliases") or []
                if not isinstance(aliases, list):
                    raise ValueError("aliases must be a list")
                records.append(KbRecord(id=str(raw["id"]), name=str(raw["name"]).strip(),
                                        aliases=tuple(str(a).strip() for a in aliases if str(a).strip()),
                                        type=(str(raw["type"]).upper() if raw.get("type") else None)))
            except (json.JSONDecodeError, ValueError) as exc:
                errors.append(IngestError(item, "kb", f"bad KB record: {exc}"))
    return records, errors


def _of_type(found: list[EntitySummary], type_: str | None) -> list[EntitySummary]:
    return [e for e in found if e.label not in VALUE_LABELS and (type_ is None or e.label == type_)]


def match(store: Store, record: KbRecord, threshold: float, pools: dict) -> tuple[str, list[EntitySummary], float]:
    """(method, candidates, score): one candidate is a match, several a tie, none no match."""
    named = _of_type(store.find_entities(record.name), record.type)
    exact = [e for e in named if fold(e.name) == fold(record.name)]
    if exact:
        return "exact", exact, 100.0
    by_alias: dict[int, EntitySummary] = {e.id: e for e in named}
    for alias in record.aliases:
        by_alias.update((e.id, e) for e in _of_type(store.find_entities(alias), record.type))
    if by_alias:
        return "alias", list(by_alias.values()), 100.0
    key = record.type or "*"
    if key not in pools:  # read and folded once per type, not once per record
        pool = _of_type(store.entities(label=record.type, limit=FUZZY_POOL), record.type)
        pools[key] = pool, [fold(e.name) for e in pool]
    pool, folded = pools[key]
    best: dict[int, float] = {}
    for form in (record.name, *record.aliases):
        for _, score, i in process.extract(fold(form), folded, scorer=fuzz.WRatio, score_cutoff=threshold, limit=5):
            best[i] = max(best.get(i, 0.0), score)
    if not best:
        return "fuzzy", [], 0.0
    top = max(best.values())
    return "fuzzy", [pool[i] for i, s in sorted(best.items(), key=lambda kv: -kv[1]) if s >= top - TIE_MARGIN], top


def link_kb(store: Store, path: str | Path, threshold: float = DEFAULT_THRESHOLD, dry_run: bool = False) -> LinkReport:
    """Attach KB ids to the entities the records match; ties and entities claimed twice are reported instead."""
    records, errors = load_kb(path)
    report = LinkReport(errors=errors)
    pools: dict = {}
    claims: dict[int, list[KbLink]] = {}
    for record in records:
        method, found, score = match(store, record, threshold, pools)
        if not found:
            report.unmatched.append(record.id)
        elif len(found) > 1:
            report.ambiguous.append({"kb_id": record.id, "method": method, "candidates": found})
        else:
            claims.setdefault(found[0].id, []).append(KbLink(record.id, found[0], method, round(score, 1)))
    for entity_id, links in claims.items():
        if len(links) == 1:
            report.linked.append(links[0])
        else:  # two KB records for one entity: the KB is ambiguous here, not the store
            report.ambiguous.append({"kb_id": ", ".join(link.kb_id for link in links), "method": "claimed twice",
                                     "candidates": [links[0].entity]})
    if not dry_run and report.linked:
        store.set_kb_ids({link.entity.id: link.kb_id for link in report.linked})
    return report
