"""The wordllama embeddings load offline from the installed wheel and separate related from unrelated text."""
import socket

import numpy as np

from newsgraph.nlp.embeddings import DIM, embed


def test_embeddings_offline_and_meaningful(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("embedding tried to use the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    vecs = embed(["Xiaomi plans to open retail stores in the US",
                  "The Chinese phone maker will open shops in America",
                  "The central bank raised interest rates by a quarter point"])
    assert vecs.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.1


def test_embed_empty():
    assert embed([]).shape == (0, DIM)


def test_text_without_tokens_is_a_zero_row_not_nan():
    vecs = embed(["", "Apple"])
    assert not np.isnan(vecs).any()
    assert not vecs[0].any() and abs(float(np.linalg.norm(vecs[1])) - 1.0) < 1e-4
