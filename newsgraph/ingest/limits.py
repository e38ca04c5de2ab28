"""Size limits for readers, and the one way newsgraph prints a byte count in messages."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Per-item caps: one HTML/text file, one JSONL line, one WARC record or one feed file."""

    max_bytes: int = 10 * MB


def format_size(n: int) -> str:
    """`52428800` -> `50.0 MB`; small counts stay readable (`512 bytes`, `4.0 KB`)."""
    if n >= MB:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def too_large(size: int, limit: int) -> str:
    return f"too large ({format_size(size)} > {format_size(limit)} limit)"
