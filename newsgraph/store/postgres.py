"""PostgreSQL store: a connection pool, versioned migrations, tsvector search, several writers at once.

Concurrent ingesters take turns through `ingest_lock`, a session advisory lock held while one article is enriched
and written. An advisory lock rather than row locks because what must not interleave is not a row: the story
clusterer allocates story ids and folds each article into an index it keeps in memory, and provenance looks for
earlier sentences to match, so an article must see every article stored before it. NLP, the costly part, runs
outside the lock in parallel. Unique constraints (ON CONFLICT) keep articles, entities and keys single even so.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from ..errors import NotFound, StoreError, StoreUnavailable
from ..model import (
    MARK_CLOSE,
    MARK_OPEN,
    AnnotatedArticle,
    ArticleSummary,
    SearchHit,
)
from . import changes, integrity, postgres_provenance, postgres_writes
from .clock import now
from .shared_methods import SharedMethods
from .base import Row
from .export_tables import export_sql
from .postgres_sql import Portable, column_types, reason, redact, translated
from .query import parse, search_tokens, to_tsquery

INGEST_LOCK = 0x6E657773  # "news": the advisory lock key concurrent ingesters share
MIGRATION_LOCK = 0x6E657774
CONNECT_TIMEOUT = 10  # seconds to reach the server when the store opens
WAIT_FOR_CONNECTION = 3  # seconds a request waits for a pooled connection before it fails as unavailable


def migrations() -> list[tuple[str, str]]:
    """(name, SQL) of every PostgreSQL migration, in order; names mirror sqlite_migrations/."""
    folder = resources.files("newsgraph.store") / "postgres_migrations"
    return sorted((f.name.removesuffix(".sql"), f.read_text(encoding="utf-8"))
                  for f in folder.iterdir() if f.name.endswith(".sql"))


def _no_connection(message: str) -> StoreUnavailable:
    """No connection could be had within WAIT_FOR_CONNECTION: the server is down, so retrying now is pointless."""
    exc = StoreUnavailable(message)
    exc.server_down = True
    return exc


def _search_text(text: str) -> str:
    return " ".join(search_tokens(text))


class PostgresStore(SharedMethods):
    """A store on a PostgreSQL server, safe for many threads and processes at once."""

    def __init__(self, url: str, *, pool_size: int = 8, create: bool = True):
        self._dsn = url
        self.url = redact(url)
        self._lock = threading.RLock()
        self._columns: dict[str, dict[str, str]] = {}  # table -> column -> type: bulk inserts cast to them
        self._local = threading.local()  # this thread's open write batch, and whether it holds the ingest lock
        # One direct attempt first: an unreachable server fails at once, with the driver's reason.
        try:
            psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT).close()
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot reach the database at {self.url}: {reason(exc)}") from None
        # `timeout` bounds how long a request waits for a connection while the server is down (then
        # StoreUnavailable, a 503). Connections are not checked on every checkout (a round trip each): a failure
        # checks the whole pool instead, and a read is retried once, so the store heals after a server restart.
        self._pool = ConnectionPool(url, min_size=1, max_size=pool_size, open=False, name="newsgraph",
                                    kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT},
                                    timeout=WAIT_FOR_CONNECTION)
        try:
            self._pool.open(wait=True, timeout=CONNECT_TIMEOUT)
        except PoolTimeout:
            self._pool.close()
            raise StoreUnavailable(f"cannot reach the database at {self.url}") from None
        if not create and self._query("looking for the store", "SELECT to_regclass('schema_migrations')")[0][0] is None:
            self._pool.close()  # a source to read: an empty database must not become a store
            raise NotFound(f"no store at {self.url}: the database has no newsgraph tables")
        self._migrate()
        self._columns = self._read("reading the tables' columns", lambda con: column_types(con.con))

    # ---- connections ---------------------------------------------------------

    @contextmanager
    def _con(self, action: str):
        batch = getattr(self._local, "batch", None)
        if batch is not None:  # inside write_batch this thread reads and writes on the batch's connection
            with translated(action, self._dsn):
                yield batch
            return
        try:
            with translated(action, self._dsn):
                try:
                    with self._pool.connection() as con:
                        yield Portable(con, self._columns)
                except PoolTimeout:
                    raise _no_connection(f"{action} failed: no connection to {self.url}") from None
        except StoreUnavailable as exc:
            if not hasattr(exc, "server_down"):
                self._pool.check()  # drop every pooled connection the server closed (a restart), not just this one
            raise

    def _read(self, action: str, fn, *args, **kwargs):
        """A read, retried once on a fresh connection when the one it got had been cut (a server restart)."""
        try:
            with self._con(action) as con:
                return fn(con, *args, **kwargs)
        except StoreUnavailable as exc:
            if hasattr(exc, "server_down"):
                raise
            with self._con(action) as con:
                return fn(con, *args, **kwargs)

    def _query(self, action: str, sql: str, params=()) -> list[tuple]:
        return self._read(action, lambda con: con.execute(sql, params).fetchall())

    @contextmanager
    def _transaction(self, action: str):
        # pipeline: statements whose results nobody reads go out together instead of one round trip each
        with self._con(action) as con, con.con.transaction(), con.con.pipeline():
            changes.begin()
            yield con
            # Every write bumps the store version and logs what it touched: each web worker reads them, so none
            # serves a stale page.
            changes.record(con)

    @contextmanager
    def write_batch(self, action: str = "writing a batch"):
        # One transaction for many articles: each write inside is a savepoint (a nested psycopg transaction).
        if getattr(self._local, "batch", None) is not None:
            yield
            return
        with self._con(action) as con, con.con.transaction():
            self._local.batch = con
            try:
                yield
            finally:
                self._local.batch = None

    def _stream(self, action: str, fn, *args) -> Iterator:
        """A long read in a transaction of its own (one snapshot), on a connection no other reader shares."""
        with self._con(action) as con, con.con.transaction():
            yield from fn(con, *args)

    def _migrate(self) -> None:
        with self._con(f"migrating {self.url}") as con, con.con.transaction():
            con.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))  # several processes may start at once
            con.execute("CREATE TABLE IF NOT EXISTS schema_migrations"
                        " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            applied = {r[0] for r in con.execute("SELECT name FROM schema_migrations")}
            known = migrations()
            unknown = applied - {name for name, _ in known}
            if unknown:
                raise StoreError(f"{self.url} has schema migrations newer than this newsgraph:"
                                 f" {', '.join(sorted(unknown))}")
            for name, script in known:
                if name not in applied:
                    con.con.execute(script)
                    con.execute("INSERT INTO schema_migrations VALUES (?, ?)", (name, now()))

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def ingest_lock(self):
        if getattr(self._local, "ingest_locked", False):  # re-entrant: a batch holds it around its articles
            yield
            return
        with self._lock, self._con("taking the ingest lock") as con:
            con.execute("SELECT pg_advisory_lock(?)", (INGEST_LOCK,))
            self._local.ingest_locked = True
            try:
                yield
            finally:
                self._local.ingest_locked = False
                try:
                    con.execute("SELECT pg_advisory_unlock(?)", (INGEST_LOCK,))
                except psycopg.Error:
                    pass  # the session is gone, and its lock with it

    # ---- writes --------------------------------------------------------------

    _upsert_entities = staticmethod(postgres_writes.upsert_entities)
    _add_events = staticmethod(postgres_writes.add_events)
    _candidates_many = staticmethod(postgres_provenance.candidates_many)
    _seed_candidates_many = staticmethod(postgres_provenance.seed_candidates_many)

    def _add_sentences(self, con: Portable, article_id: int, article: AnnotatedArticle) -> list[int]:
        """All the article's sentences in one statement (one round trip); their ids in sentence order."""
        ss = article.sentences
        if not ss:
            return []
        rows = con.execute(
            "INSERT INTO sentences (article_id, idx, start, \"end\", text, tsv)"
            " SELECT ?, idx, start, stop, text, to_tsvector('simple', words) FROM unnest(?::int[], ?::int[], ?::int[],"
            " ?::text[], ?::text[]) AS s(idx, start, stop, text, words) ORDER BY idx RETURNING idx, id",
            (article_id, [s.index for s in ss], [s.start for s in ss], [s.end for s in ss], [s.text for s in ss],
             [_search_text(s.text) for s in ss])).fetchall()
        by_index = dict(rows)
        return [by_index[s.index] for s in ss]

    # ---- reads ---------------------------------------------------------------

    def check(self) -> list[str]:
        # Foreign keys are always enforced here and the tsvector is written with its sentence: the shared checks
        # are the whole of it.
        return self._read("checking the store", integrity.problems, "postgres")

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        tsquery = to_tsquery(parse(query))
        options = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords=16, MinWords=6, ShortWord=1"
        rows = self._query(
            "searching",
            "SELECT a.id, a.url, a.title, a.date, a.site, s.idx, ts_headline('simple', s.text, q, ?), s.text"
            " FROM to_tsquery('simple', ?) AS q, sentences s JOIN articles a ON a.id = s.article_id"
            " WHERE s.tsv @@ q ORDER BY ts_rank(s.tsv, q) DESC, s.id LIMIT ? OFFSET ?",
            (options, tsquery, limit, offset))
        return [SearchHit(article=ArticleSummary(*r[:5]), sentence_index=r[5], snippet=r[6], sentence=r[7])
                for r in rows]

    def export(self, kind: type[Row]) -> Iterator[Row]:
        sql = export_sql(kind)

        def rows(con: Portable) -> Iterator[tuple]:
            # a server-side cursor: an export streams, it never holds a whole table in memory
            with con.con.cursor(name="newsgraph_export") as cur:
                cur.itersize = 2000
                cur.execute(sql)
                yield from cur

        yield from (kind(*r) for r in self._stream(f"exporting {kind.__name__}", rows))
