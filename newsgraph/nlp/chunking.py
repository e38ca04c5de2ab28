"""Splits very long texts at paragraph breaks for spaCy, and joins the parsed pieces back into one Doc.

spaCy's memory grows with document length (a 20,000-word article alone costs ~1 GB), so long
articles are parsed in paragraph-aligned pieces; sentences never cross a paragraph break anyway.
"""
from __future__ import annotations

import re
import warnings
from typing import Any

from spacy.tokens import Doc

MAX_CHARS = 20_000
_BREAKS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"))
# Character offsets inside doc-level extension records (e.g. Doc._.newsgraph_events) that must move
# with their piece when pieces are joined.
OFFSET_KEYS = frozenset({"start", "end", "entity_start", "entity_end"})


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
    """One Doc from pieces made by `split_for_nlp` (each but the last ends in whitespace).

    spaCy drops doc-level extension values when merging; list-valued ones are carried over here,
    with the character offsets in their records shifted to the joined text.
    """
    if len(docs) == 1:
        return docs[0]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\[W101\]")  # the extension values we carry over below
        joined = Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])
    names = {key[1] for doc in docs for key in doc.user_data if isinstance(key, tuple) and key[:1] == ("._.",)
             and key[2] is None}
    for name in names:
        values, offset = [], 0
        for doc in docs:
            piece = doc._.get(name)
            if not isinstance(piece, list):
                values = None
                break
            values.extend(_shifted(record, offset) for record in piece)
            offset += len(doc.text)
        if values is not None:
            joined._.set(name, values)
    return joined


def _shifted(value: Any, offset: int) -> Any:
    if isinstance(value, dict):
        return {k: (v + offset if k in OFFSET_KEYS and isinstance(v, int) else _shifted(v, offset))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, offset) for v in value]
    return value
