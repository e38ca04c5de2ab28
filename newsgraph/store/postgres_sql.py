"""PostgreSQL plumbing: a connection adapter that runs the store's portable SQL, URL redaction, error translation.

The feature SQL in sqlite_*.py is written to run on both backends (qmark parameters, ON CONFLICT upserts, aliased
subqueries); `Portable` turns its `?` into psycopg's `%s` and SQLite's `x = ? COLLATE NOCASE` into lower() = lower().
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import psycopg

from ..errors import StoreError, StoreUnavailable

_NOCASE = re.compile(r"([\w.]+) = \? COLLATE NOCASE")


@lru_cache(maxsize=1024)
def to_psycopg(sql: str) -> str:
    sql = _NOCASE.sub(r"lower(\1) = lower(?)", sql)
    return sql.replace("%", "%%").replace("?", "%s")


class Portable:
    """What the shared SQL functions call on a connection: execute (returning a cursor) and executemany."""

    def __init__(self, con: psycopg.Connection):
        self.con = con

    def execute(self, sql: str, params=()):
        return self.con.execute(to_psycopg(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            with self.con.cursor() as cur:
                cur.executemany(to_psycopg(sql), rows)


def redact(url: str) -> str:
    """The URL without its password (in the netloc or a password= parameter): safe for logs and errors."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "postgresql://(unparseable URL)"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = re.sub(r"(^|&)password=[^&]*", r"\1password=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


@contextmanager
def translated(action: str, url: str):
    """Driver errors become newsgraph errors naming the store by its redacted URL; a lost or refused connection
    is StoreUnavailable (503), so a web worker answers cleanly while the database restarts."""
    try:
        yield
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"{action} failed: the database at {redact(url)} is unavailable"
                               f" ({reason(exc)})") from None
    except psycopg.Error as exc:
        raise StoreError(f"{action} failed: {reason(exc)}") from None


def reason(exc: Exception) -> str:
    """The driver's message, first line, shortened; psycopg may quote the connection string: no password passes."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = text.removeprefix("connection failed: ")
    return re.sub(r"password=\S+", "password=***", re.sub(r"://([^:/@\s]+):[^@\s]*@", r"://\1@", text))
