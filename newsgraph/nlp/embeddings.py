"""Static sentence embeddings from wordllama, whose weights ship inside its PyPI wheel (nothing is downloaded)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ConfigError

DIM = 256


@lru_cache(maxsize=1)
def _model():
    # Each call tokenises one Doc's sentences: too little for the tokenizers' thread pool to pay off, and the caller
    # waits for pool threads on a busy machine (tokenizers turns it off in forked nlp.pipe workers anyway).
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import wordllama  # lazy: only the features that embed pay for the import

    # The wheel keeps its files under weights/ and tokenizers/, which is the layout load() expects of a cache
    # directory; pointing the cache there and forbidding downloads keeps it offline.
    try:
        return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, dim=DIM, disable_download=True)
    except FileNotFoundError as exc:
        raise ConfigError(f"wordllama weights are missing from its installed package: {exc}") from exc


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text (DIM columns); a text with no tokens gives a zero row."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    vecs = np.asarray(_model().embed(list(texts), norm=False), dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    # wordllama's own norm=True divides by zero for "" and returns NaN
    return np.divide(vecs, norms, out=np.zeros_like(vecs), where=norms > 0)
