"""newsgraph's NLP layer: the spaCy pipeline with newsgraph's fixes, and turning its Docs into articles."""
from newsgraph.nlp.annotate import annotate
from newsgraph.nlp.pipeline import load_pipeline

__all__ = ["annotate", "load_pipeline"]
