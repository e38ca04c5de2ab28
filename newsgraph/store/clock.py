"""The timestamp every store write records (UTC, to the second), in one place for every store module."""
from __future__ import annotations

from datetime import datetime, timezone


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
