"""Business events (SENTiVENT typology): triggers, arguments, coreference, modality, polarity and attribution."""
from newsgraph.events.typology import TYPES

__all__ = ["TYPES"]
