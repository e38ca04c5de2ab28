"""Helpers behind `Graph.events`: entity lookup for filters, modality validation and timeline order."""
from __future__ import annotations

from newsgraph.errors import NotFound, QueryError
from newsgraph.events.typology import DEFAULT_MIN_CONFIDENCE, MODALITIES
from newsgraph.model import Event


def entity_ids(store, entity: str | int) -> list[int]:
    """Ids of the entities an id, name or alias names (all of them: "Apple" the ORG and any namesake)."""
    if isinstance(entity, int) or (isinstance(entity, str) and entity.strip().isdecimal()):
        return [entity if isinstance(entity, int) else int(entity.strip())]  # int() strips less than str.strip()
    found = store.find_entities(entity.strip())
    if not found:
        raise NotFound(f"no entity named {entity!r}")
    return [e.id for e in found]


def check_modality(modality: str | None) -> str | None:
    if modality is None:
        return None
    if modality.lower() not in MODALITIES:
        raise QueryError(f"unknown modality {modality!r}; one of {', '.join(MODALITIES)}")
    return modality.lower()


def check_confidence(min_confidence: float | None) -> float:
    """The confidence cut: the default when None; 0 lists every event."""
    if min_confidence is None:
        return DEFAULT_MIN_CONFIDENCE
    if not 0.0 <= min_confidence <= 1.0:
        raise QueryError(f"min_confidence must be between 0 and 1, not {min_confidence}")
    return float(min_confidence)


def timeline(events: list[Event]) -> list[Event]:
    """Oldest article first (undated last), in text order within an article."""
    return sorted(events, key=lambda e: (e.article.date is None, e.article.date or "", e.article.id, e.start))
