"""PostgreSQL plumbing: a connection adapter that runs the store's portable SQL, URL redaction, error translation.

The feature SQL in sqlite_*.py is written to run on both backends (qmark parameters, ON CONFLICT upserts, aliased
subqueries); `Portable` turns its `?` into psycopg's `%s`, SQLite's `x = ? COLLATE NOCASE` into lower() = lower() and
`COLLATE BINARY` (byte order) into `COLLATE "C"`.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

import psycopg

from ..errors import StoreError, StoreUnavailable

_NOCASE = re.compile(r"([\w.]+) = \? COLLATE NOCASE")


@lru_cache(maxsize=1024)
def to_psycopg(sql: str) -> str:
    sql = _NOCASE.sub(r"lower(\1) = lower(?)", sql)
    # SQLite compares text byte by byte; "C" does so whatever the database's locale
    sql = sql.replace(" COLLATE BINARY", ' COLLATE "C"')
    return sql.replace("%", "%%").replace("?", "%s")


class Portable:
    """What the shared SQL functions call on a connection: execute (returning a cursor) and executemany.

    Given the tables' column types, `executemany` of a plain `INSERT ... VALUES (?, ...)` sends one statement that
    inserts from arrays (unnest) instead of one per row: the rows of an article's keys, terms and mentions number
    in the hundreds, and each statement costs the client and the server far more than a row does."""

    def __init__(self, con: psycopg.Connection, columns: dict[str, dict[str, str]] | None = None):
        self.con = con
        self.columns = columns or {}

    def execute(self, sql: str, params=()):
        return self.con.execute(to_psycopg(sql), tuple(params))

    def executemany(self, sql: str, rows) -> None:
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        plan = _bulk_plan(sql)
        types = plan and self.columns.get(plan.table)
        if plan and types and len(rows) > 1 and plan.knows(types) and plan.fits(rows):
            self.con.execute(*plan.statement(types, rows))
            return
        with self.con.cursor() as cur:
            cur.executemany(to_psycopg(sql), rows)


_INSERT = re.compile(r"INSERT INTO (\w+) \(([^()]*)\) VALUES \(([^()]*)\)(.*)", re.S)
_CONFLICT = re.compile(r"\s*ON CONFLICT\s*(?:\(([^()]*)\))?\s*DO (UPDATE|NOTHING)\b", re.S)
_CONSTANT = re.compile(r"-?\d+(\.\d+)?|'[^',]*'")


@dataclass(frozen=True)
class _BulkInsert:
    table: str
    columns: tuple[str, ...]
    values: tuple[str, ...]  # "?" or a constant, one per column
    tail: str  # ON CONFLICT ... (no parameters)
    unique: tuple[int, ...] | None  # for DO UPDATE: the parameter positions of the conflict target

    def knows(self, types: dict[str, str]) -> bool:
        """Whether every column has a known type to cast its array to (else the rows go one by one)."""
        return all(c.strip('"') in types for c in self.columns)

    def fits(self, rows: list[tuple]) -> bool:
        """Whether one statement does what the rows one by one do: DO UPDATE may not touch a row twice in one
        statement, so rows that share a conflict key go one by one."""
        if self.unique is None:
            return True
        return len({tuple(r[i] for i in self.unique) for r in rows}) == len(rows)

    def statement(self, types: dict[str, str], rows: list[tuple]) -> tuple[str, list[list]]:
        params = [c for c, v in zip(self.columns, self.values, strict=True) if v == "?"]
        arrays = ", ".join(f"%s::{types[c.strip(chr(34))]}[]" for c in params)
        names = iter(f"p{i}" for i in range(len(params)))
        select = ", ".join(next(names) if v == "?" else v for v in self.values)
        sql = (f"INSERT INTO {self.table} ({', '.join(self.columns)}) SELECT {select} FROM unnest({arrays})"
               f" AS v({', '.join(f'p{i}' for i in range(len(params)))}){self.tail.replace('%', '%%')}")
        return sql, [list(col) for col in zip(*rows, strict=True)]


@lru_cache(maxsize=256)
def _bulk_plan(sql: str) -> _BulkInsert | None:
    """How to insert many rows of `sql` in one statement, or None when it is not a plain INSERT ... VALUES."""
    m = _INSERT.fullmatch(sql.strip())
    if m is None or "?" in m[4]:
        return None
    columns = tuple(c.strip() for c in m[2].split(","))
    values = tuple(v.strip() for v in m[3].split(","))
    if len(columns) != len(values) or not all(v == "?" or _CONSTANT.fullmatch(v) for v in values):
        return None
    tail, unique = m[4], None
    if tail.strip():
        conflict = _CONFLICT.match(tail)
        if conflict is None:
            return None
        if conflict[2] == "UPDATE":
            if conflict[1] is None:
                return None
            target = [c.strip() for c in conflict[1].split(",")]
            if not set(target) <= set(columns):
                return None
            at = [i for i, v in enumerate(values) if v == "?"]
            unique = tuple(at.index(columns.index(c)) for c in target if values[columns.index(c)] == "?")
    return _BulkInsert(m[1], columns, values, tail, unique)


def column_types(con: psycopg.Connection) -> dict[str, dict[str, str]]:
    """table -> column -> SQL type of the current schema's tables (what `Portable` casts its arrays to)."""
    out: dict[str, dict[str, str]] = {}
    for table, column, kind in con.execute(
            "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"):
        out.setdefault(table, {})[column] = kind
    return out


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
