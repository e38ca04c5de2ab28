"""Stores: one `Store` protocol, with SQLite (default) behind it."""
from .base import Store
from .sqlite import SQLiteStore

__all__ = ["Store", "SQLiteStore"]
