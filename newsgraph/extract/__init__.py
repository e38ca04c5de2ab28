"""Extraction: RawDoc -> ExtractedDoc (main text, metadata, canonical URL, content hash)."""
from newsgraph.extract.article import extract
from newsgraph.extract.urls import canonical_url

__all__ = ["extract", "canonical_url"]
