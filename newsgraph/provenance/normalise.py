"""Text normalisation for copy detection: case, quotes, apostrophes, dashes and whitespace."""
from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})
_SPACE = re.compile(r"\s+")
_SPACED_DASH = re.compile(r"\s*-{2,}\s*|\s+-\s+")
_WORD = re.compile(r"[^\W_]+(?:['.&][^\W_]+)*", re.UNICODE)


def fold(text: str) -> str:
    """Quotes, apostrophes, dashes and whitespace made uniform; case kept."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD)
    text = _SPACED_DASH.sub(" - ", text)
    return _SPACE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """The form two sentences share when they are the same words (the `verbatim` test)."""
    return fold(text).lower()


def words(text: str) -> list[str]:
    """Word tokens of normalised text, punctuation dropped ("u.s." and "at&t" stay whole)."""
    return _WORD.findall(text)
