"""Recognise binary data and decode text/HTML bytes, naming the item when the bytes are bad."""
from __future__ import annotations

import codecs
import re

from newsgraph.errors import InputError

SNIFF_BYTES = 8192
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

# Checked in order; gzip is allowed only where the caller says so (.warc.gz).
_MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
]

_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.I)

# WHATWG: browsers read these labels as windows-1252, and a meta tag can't really mean UTF-16.
_CHARSET_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "utf-16": "utf-8",
                    "utf-16-le": "utf-8", "utf-16-be": "utf-8"}


def binary_kind(data: bytes, allow_gzip: bool = False) -> str | None:
    """Name the binary format of `data` (`PDF`, `NUL bytes`, ...) or None if it may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic) and not (allow_gzip and name == "gzip"):
            return name
    if b"\x00" in data[:SNIFF_BYTES] and not data.startswith(_UTF16_BOMS):  # UTF-16 text is full of NULs
        return "NUL bytes"
    return None


def check_text_bytes(item: str, data: bytes, empty: str = "empty file") -> None:
    """Raise InputError if `data` is empty/blank or looks binary."""
    if not data.strip():
        raise InputError(item, empty)
    kind = binary_kind(data)
    if kind:
        raise InputError(item, f"binary file ({kind}), not text")


def decode_utf8(item: str, data: bytes) -> str:
    """Strict UTF-8 (a leading BOM is dropped); the error names the first bad byte offset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(item, f"invalid UTF-8 at byte {e.start}") from None


def _codec(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label.strip()).name
        b"".decode(name)  # rejects bytes-to-bytes codecs such as base64 or zlib
    except LookupError:
        return None
    return _CHARSET_ALIASES.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The codec named by an HTTP Content-Type header's charset parameter, if Python knows it."""
    m = _HEADER_CHARSET.search(content_type or "")
    return _codec(m.group(1)) if m else None


def declared_charset(data: bytes) -> str | None:
    """The codec declared by an HTML meta tag or XML declaration near the start, if any."""
    head = data[:SNIFF_BYTES]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return _codec(m.group(1)) if m else None


def decode_html(item: str, data: bytes, charset: str | None = None, lenient: bool = False) -> str:
    """Decode HTML by BOM, then `charset` (e.g. from HTTP), then the page's own declaration, else UTF-8.

    Local files are strict about undeclared non-UTF-8 bytes (the user can fix them);
    `lenient` is for web content, where undeclared windows-1252 is common.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace")
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", "replace")
    codec = charset or declared_charset(data)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec, "replace")
        except UnicodeError:
            pass  # a few codecs (idna, undefined) refuse "replace": treat as undeclared
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if lenient:
            return data.decode("cp1252", "replace")
        raise InputError(item, f"invalid UTF-8 at byte {e.start}") from None
