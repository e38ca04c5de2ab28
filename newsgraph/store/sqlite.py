"""SQLite store: WAL mode, one serialised writer, a bounded pool of readers, FTS5 over sentences."""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

try:
    import fcntl
except ImportError:  # not on Windows: there ingesters on one file take turns within a process only
    fcntl = None

from ..errors import NotFound, QueryError, StoreBusy, StoreError
from ..model import (
    MARK_CLOSE,
    MARK_OPEN,
    AnnotatedArticle,
    ArticleSummary,
    SearchHit,
)
from . import changes, integrity, sqlite_reads
from .base import Row
from .clock import now
from .shared_methods import SharedMethods
from .query import parse, to_fts5
from .sqlite_export import export_rows

_ARTICLE_COLS = sqlite_reads.ARTICLE_COLS


def migrations() -> list[tuple[str, str]]:
    """(name, SQL) of every schema migration, in the order they apply.

    Each feature adds its own numbered file to sqlite_migrations/; a released file is never edited.
    """
    folder = resources.files("newsgraph.store") / "sqlite_migrations"
    return sorted((f.name.removesuffix(".sql"), f.read_text(encoding="utf-8"))
                  for f in folder.iterdir() if f.name.endswith(".sql"))


@contextmanager
def _translated(action: str):
    """Turn driver errors into newsgraph errors so none leaks out of the store."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if "database is locked" in msg or "database is busy" in msg:
            raise StoreBusy(f"{action} failed: the store is busy ({msg}); try again") from exc
        raise StoreError(f"{action} failed: {msg}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"{action} failed: {exc}") from exc
    except OverflowError as exc:  # the driver's own: a Python int beyond SQLite's 64-bit INTEGER
        raise QueryError(f"{action} failed: a number is over {2**63 - 1:,}, the largest the store holds") from exc


MAX_READERS = 8  # reader connections open at once; more threads wait for one (SQLite gains nothing past the cores)


class SQLiteStore(SharedMethods):
    """The default store. Safe for one writing thread and any number of reading threads."""

    def __init__(self, path: str | Path, *, create: bool = True, max_readers: int = MAX_READERS):
        self.path = self.url = str(path)
        if self.path == ":memory:":
            raise StoreError("SQLiteStore needs a file path: readers open their own connections")
        if not create and not Path(self.path).is_file():  # a source to read: a mistyped path must not become a store
            raise NotFound(f"no store at {self.path}: the file does not exist")
        self._write_lock = threading.Lock()
        self._ingest_lock = threading.RLock()
        self._local = threading.local()  # this thread's open write batch, and whether it holds the ingest lock
        # Readers are pooled, not per thread: a server's threads come and go, and each would keep a connection.
        self._readers: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._reader_slots = threading.BoundedSemaphore(max_readers)
        with _translated(f"opening {self.path}"):
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._writer = self._connect()
            self._writer.execute("PRAGMA journal_mode=WAL")
            self._migrate()

    # ---- connections ---------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA synchronous=NORMAL")
        con.execute("PRAGMA busy_timeout=30000")
        return con

    @contextmanager
    def _reader(self) -> Iterator[sqlite3.Connection]:
        """A pooled read-only connection for the duration of one read (most recently used first: warm caches);
        inside write_batch, the batch's own connection, so this thread reads what the batch wrote so far."""
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            yield batch
            return
        with self._reader_slots:
            try:
                con = self._idle.pop()
            except IndexError:
                con = self._connect()
                con.execute("PRAGMA query_only=ON")
                self._readers.append(con)
            try:
                yield con
            finally:
                self._idle.append(con)

    def _migrate(self) -> None:
        con = self._writer
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {row[0] for row in con.execute("SELECT name FROM schema_migrations")}
        known = migrations()
        unknown = applied - {name for name, _ in known}
        if unknown:
            raise StoreError(f"{self.path} has schema migrations newer than this newsgraph: {', '.join(sorted(unknown))}")
        for name, script in known:
            if name in applied:
                continue
            try:
                con.executescript(f"BEGIN IMMEDIATE;\n{script}\nINSERT INTO schema_migrations VALUES ('{name}',"
                                  f" '{now()}');\nPRAGMA user_version={len(applied) + 1};\nCOMMIT;")
            except sqlite3.Error:
                if not con.in_transaction:
                    raise
                con.execute("ROLLBACK")
                # Another process opening the same new file applied it first (it held the write lock meanwhile).
                if name not in {row[0] for row in con.execute("SELECT name FROM schema_migrations")}:
                    raise
            applied.add(name)

    @contextmanager
    def _begin(self, action: str) -> Iterator[sqlite3.Connection]:
        """The writer in a transaction of its own: committed when the block ends, rolled back if it raises."""
        with self._write_lock, _translated(action):
            con = self._writer
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    @contextmanager
    def write_batch(self, action: str = "writing a batch"):
        # One BEGIN/COMMIT for many articles: each write inside is a savepoint, so one that fails is undone alone.
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self._begin(action) as con:
            self._local.batch = con
            try:
                yield
            finally:
                self._local.batch = None

    @contextmanager
    def _transaction(self, action: str):
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            with _translated(action):
                batch.execute("SAVEPOINT write")
                changes.begin()
                try:
                    yield batch
                    changes.record(batch)
                except BaseException:
                    batch.execute("ROLLBACK TO write")
                    batch.execute("RELEASE write")
                    raise
                batch.execute("RELEASE write")
            return
        with self._begin(action) as con:
            changes.begin()
            yield con
            # Every write bumps the store version and logs what it touched: a cache drops what went stale.
            changes.record(con)

    def _query(self, action: str, sql: str, params: tuple | list = ()) -> list[tuple]:
        with _translated(action), self._reader() as con:
            return con.execute(sql, params).fetchall()

    def close(self) -> None:
        with _translated("closing"):
            for con in self._readers:
                con.close()
            self._readers.clear()
            self._idle.clear()
            self._writer.close()

    # ---- writes --------------------------------------------------------------

    def _add_sentences(self, con: sqlite3.Connection, article_id: int, article: AnnotatedArticle) -> list[int]:
        return [con.execute('INSERT INTO sentences (article_id, idx, start, "end", text) VALUES (?,?,?,?,?)',
                            (article_id, s.index, s.start, s.end, s.text)).lastrowid
                for s in article.sentences]

    @contextmanager
    def ingest_lock(self):
        # Across processes too: a file lock beside the store (SQLite's own locks cover one transaction, and the
        # section spans the enrichers' reads and the write). Re-entrant: a batch holds it around its articles.
        with self._ingest_lock:
            if fcntl is None or getattr(self._local, "ingest_locked", False):
                yield
                return
            with open(self.path + ".ingest-lock", "a") as f:
                fcntl.flock(f, fcntl.LOCK_EX)
                self._local.ingest_locked = True
                try:
                    yield
                finally:
                    self._local.ingest_locked = False
                    fcntl.flock(f, fcntl.LOCK_UN)

    # ---- reads ---------------------------------------------------------------

    def _read(self, action: str, fn, *args, **kwargs):
        """Run a reader function on this thread's connection, translating driver errors."""
        with _translated(action), self._reader() as con:
            return fn(con, *args, **kwargs)

    def check(self) -> list[str]:
        with _translated("checking the store"), self._reader() as con:
            found = integrity.problems(con, "sqlite")
            bad = [r[0] for r in con.execute("PRAGMA integrity_check")]
            if bad != ["ok"]:
                found.append(f"SQLite integrity check: {'; '.join(map(str, bad[:5]))}")
            if con.execute("PRAGMA foreign_key_check").fetchone() is not None:
                found.append("rows whose foreign key points at nothing (PRAGMA foreign_key_check)")
        try:  # FTS5 raises when its index differs from the sentences
            with self._write_lock:
                self._writer.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)")
        except sqlite3.Error as exc:
            found.append(f"the search index differs from the sentences: {exc}")
        return found

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        match = to_fts5(parse(query))
        rows = self._query(
            "searching",
            f"SELECT {_ARTICLE_COLS}, s.idx, snippet(sentences_fts, 0, ?, ?, '…', 16), s.text"
            " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
            " JOIN articles a ON a.id = s.article_id"
            " WHERE sentences_fts MATCH ? ORDER BY sentences_fts.rank LIMIT ? OFFSET ?",
            (MARK_OPEN, MARK_CLOSE, match, limit, offset),
        )
        return [SearchHit(article=ArticleSummary(*r[:5]), sentence_index=r[5], snippet=r[6], sentence=r[7])
                for r in rows]

    def _stream(self, action: str, fn, *args) -> Iterator:
        """Rows of a long read on a connection of its own, so it never holds a reader other threads use."""
        with _translated(action):
            con = self._connect()
            try:
                yield from fn(con, *args)
            finally:
                con.close()

    # ---- export and web ----

    def export(self, kind: type[Row]) -> Iterator[Row]:
        yield from self._stream(f"exporting {getattr(kind, '__name__', kind)}", export_rows, kind)
