"""Splits very long texts at paragraph breaks for spaCy, and joins the parsed pieces back into one Doc.

spaCy's memory grows with document length (a 20,000-word article alone costs ~1 GB), so long
articles are parsed in paragraph-aligned pieces; sentences never cross a paragraph break anyway.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

MAX_CHARS = 20_000
_BREAKS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"))


def split_for_nlp(text: str, max_chars: int = MAX_CHARS) -> list[str]:
    """Pieces that concatenate back to `text` exactly, each ending at a paragraph (or line) break."""
    if len(text) <= max_chars:
        return [text]
    for pattern in _BREAKS:
        cuts = [m.end() for m in pattern.finditer(text) if m.end() < len(text)]
        if cuts:
            break
    else:
        return [text]  # one huge paragraph: nothing safe to cut at
    pieces, start, last = [], 0, 0
    for cut in cuts:
        if cut - start > max_chars and last > start:
            pieces.append(text[start:last])
            start = last
        last = cut
    if len(text) - start > max_chars and last > start:
        pieces.append(text[start:last])
        start = last
    pieces.append(text[start:])
    return pieces


def join_docs(docs: list[Doc]) -> Doc:
    """One Doc from pieces made by `split_for_nlp` (each but the last ends in whitespace)."""
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)
