"""Stream JSONL articles line by line: one RawDoc or one IngestError per non-blank line."""
from __future__ import annotations

import json
from typing import Any, BinaryIO, Iterator

from newsgraph.errors import InputError
from newsgraph.ingest.limits import Limits, too_large
from newsgraph.ingest.sniff import decode_utf8
from newsgraph.model import IngestError, RawDoc

FIELDS = ("url", "title", "date", "text", "html")
_SKIP_CHUNK = 1024 * 1024


def iter_jsonl(name: str, stream: BinaryIO, limits: Limits, first_line: int = 1) -> Iterator[RawDoc | IngestError]:
    """Items are named `name:LINE` (the stream's first line is `first_line`); memory stays at one line (at most
    `limits.max_bytes`)."""
    lineno = first_line - 1
    while True:
        line = stream.readline(limits.max_bytes + 1)
        if not line:
            return
        lineno += 1
        item = f"{name}:{lineno}"
        if len(line) > limits.max_bytes and not line.endswith(b"\n"):
            size = len(line) + _skip_rest_of_line(stream)
            yield IngestError(item, "read", f"line {too_large(size, limits.max_bytes)}")
            continue
        if not line.strip():
            continue
        try:
            yield parse_line(item, line)
        except InputError as e:
            yield IngestError(e.item, e.stage, e.message)


def parse_line(item: str, line: bytes) -> RawDoc:
    """One JSONL line -> RawDoc; `url`, `title`, `date`, `text`/`html` are fields, other keys go to meta."""
    text = decode_utf8(item, line)
    try:
        obj = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as e:
        raise InputError(item, f"invalid JSON ({e.msg} at column {e.colno})") from None
    except RecursionError:
        raise InputError(item, "invalid JSON (nested too deeply)") from None
    except ValueError as e:  # NaN/Infinity, or an integer beyond Python's digit limit
        raise InputError(item, f"invalid JSON ({str(e).split(':')[0]})") from None
    if not isinstance(obj, dict):
        raise InputError(item, f"expected a JSON object, got {_json_type(obj)}")
    for key in FIELDS:
        if obj.get(key) is not None and not isinstance(obj[key], str):
            raise InputError(item, f"'{key}' must be a string, got {_json_type(obj[key])}")
    body = {key: obj[key] for key in ("text", "html") if isinstance(obj.get(key), str)}
    if not body:
        raise InputError(item, "missing both 'text' and 'html'")
    # Given both, the text is what someone already extracted: prefer it.
    chosen = next((key for key in ("text", "html") if body.get(key, "").strip()), None)
    if chosen is None:
        raise InputError(item, "empty " + " and ".join(f"'{key}'" for key in body))
    meta = {key: value for key, value in obj.items() if key not in FIELDS}
    return RawDoc(item=item, url=obj.get("url"), title=obj.get("title"), date=obj.get("date"),
                  meta=meta, **{chosen: body[chosen]})


def _skip_rest_of_line(stream: BinaryIO) -> int:
    """Read past an over-long line in bounded chunks; returns how many bytes were skipped."""
    skipped = 0
    while True:
        chunk = stream.readline(_SKIP_CHUNK)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
