"""The enrichers every ingest path runs on an annotated article before it is stored (ingest, copy, batch)."""
from __future__ import annotations

from ..entities.enrich import resolve_entities
from ..provenance.enrich import enrich as provenance
from ..stories.enrich import StoryEnricher
from .pipeline import Enricher


def default_enrichers() -> list[Enricher]:
    """Fresh ones (the story enricher keeps an index in memory); entity types first, so stories and events see the
    resolved types."""
    return [resolve_entities, StoryEnricher(), provenance]
