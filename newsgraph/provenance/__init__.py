"""Sentence-level provenance: where each sentence came from, copy families, originality, stitched pages."""
