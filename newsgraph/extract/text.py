"""Plain-text normalisation shared by all extraction paths: clean text, content hash, ISO dates."""
from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import re

# C0 controls except \t and \n (\r is converted first), DEL and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Lone surrogates (e.g. from JSON "\ud800") can't be encoded as UTF-8 later on.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s_])")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")
_TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


def clean_text(text: str) -> str:
    """Newlines to \\n, control characters dropped, trailing spaces trimmed, at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text.replace("\ufeff", ""))
    text = _SURROGATE.sub("\ufffd", text)
    text = _TRAILING_SPACE.sub("\n", text + "\n")
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def clean_line(value: object) -> str | None:
    """A one-line metadata value (title, author): whitespace collapsed; None if not a non-blank string."""
    if not isinstance(value, str):
        return None
    line = " ".join(_SURROGATE.sub("\ufffd", _CONTROL.sub(" ", value)).split())
    return line or None


def content_hash(text: str) -> str:
    """sha256 hex of the text with whitespace collapsed and case folded, so trivial reflows match."""
    key = " ".join(text.split()).casefold()
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def normalise_date(value: object) -> str | None:
    """`YYYY-MM-DD` for ISO, RFC 2822 and common English dates; None if it can't be read as a date."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = _ISO_DATE.match(text) or _COMPACT_DATE.match(text)
    if m:
        return _ymd(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass  # not RFC 2822; try the written-out forms
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def _ymd(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
