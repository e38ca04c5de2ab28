"""The Doc extension where the events component leaves its plain-data events (kept free of other imports)."""
from __future__ import annotations

from spacy.tokens import Doc

EXTENSION = "newsgraph_events"


def register() -> None:
    """Define `Doc._.newsgraph_events`: plain dicts and lists, so it survives nlp.pipe(n_process=...)."""
    if not Doc.has_extension(EXTENSION):
        Doc.set_extension(EXTENSION, default=None)
