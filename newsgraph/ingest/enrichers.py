"""The enrichers every ingest path runs on an annotated article before it is stored (ingest, copy, batch)."""
from __future__ import annotations

from ..entities import enrich as entities
from ..provenance import enrich as provenance
from ..provenance.corpus import pending_keys
from ..stories.enrich import StoryEnricher
from .prepare import Enricher, Split


def default_enrichers(provenance_lookups: bool = True) -> list[Enricher]:
    """Fresh ones (the story enricher keeps an index in memory); entity types first, so stories and events see the
    resolved types. Each is split: its store-free part runs before the ingest lock (pipeline.SplitEnricher).
    `provenance_lookups=False`: provenance keys only, the article left pending for a corpus join (`batch`)."""
    return [Split(entities.prepare, entities.resolve_entities), StoryEnricher(),
            Split(provenance.prepare, provenance.decide if provenance_lookups else pending_keys)]
