"""SQLite store: WAL mode, one serialised writer, per-thread readers, FTS5 over sentences."""
from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import NotFound, QueryError, StoreError
from ..model import (
    MARK_CLOSE,
    MARK_OPEN,
    AnnotatedArticle,
    ArticleDetail,
    ArticleSummary,
    CandidateSentence,
    EntityDetail,
    EntitySummary,
    Event,
    IngestError,
    MatchRow,
    SeedCandidate,
    MentionInContext,
    Neighbour,
    OriginalityRow,
    SearchHit,
    SentenceSpan,
    Stats,
    StoredError,
    StoredMention,
    StoryDetail,
    StorySummary,
)
from . import sqlite_delete, sqlite_provenance, sqlite_stories, sqlite_web
from .base import EVENT_TABLES, EXPORT_TABLES
from .sqlite_events import add_events, query_events

_ARTICLE_COLS = "a.id, a.url, a.title, a.date, a.site"
_ENTITY_COLS = "e.id, e.label, e.name, e.mentions, e.articles"


def migrations() -> list[tuple[str, str]]:
    """(name, SQL) of every schema migration, in the order they apply.

    Each feature adds its own numbered file to sqlite_migrations/; a released file is never edited.
    """
    folder = resources.files("newsgraph.store") / "sqlite_migrations"
    return sorted((f.name.removesuffix(".sql"), f.read_text(encoding="utf-8"))
                  for f in folder.iterdir() if f.name.endswith(".sql"))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@contextmanager
def _translated(action: str):
    """Turn driver errors into newsgraph errors so none leaks out of the store."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        if any(k in msg for k in ("fts5", "no such column", "unterminated string", "unknown special query",
                                  "malformed MATCH")):
            raise QueryError(f"bad search query: {msg}") from exc
        raise StoreError(f"{action} failed: {msg}") from exc
    except sqlite3.Error as exc:
        raise StoreError(f"{action} failed: {exc}") from exc


class SQLiteStore:
    """The default store. Safe for one writing thread and any number of reading threads."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path == ":memory:":
            raise StoreError("SQLiteStore needs a file path: readers open their own connections")
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
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

    def _reader(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = self._connect()
            con.execute("PRAGMA query_only=ON")
            self._local.con = con
            self._readers.append(con)
        return con

    def _migrate(self) -> None:
        con = self._writer
        con.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        applied = {row[0] for row in con.execute("SELECT name FROM schema_migrations")}
        known = migrations()
        unknown = applied - {name for name, _ in known}
        if unknown:
            raise StoreError(f"{self.path} has schema migrations newer than this newsgraph: {', '.join(sorted(unknown))}")
        for name, script in known:
            if name not in applied:
                con.executescript(f"BEGIN;\n{script}\nINSERT INTO schema_migrations VALUES ('{name}', '{_now()}');"
                                  f"\nPRAGMA user_version={len(applied) + 1};\nCOMMIT;")
                applied.add(name)

    @contextmanager
    def _transaction(self, action: str):
        with self._write_lock, _translated(action):
            con = self._writer
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                # Every write bumps the store version, so a response cached under the old one is never served.
                con.execute("UPDATE store_meta SET value = value + 1 WHERE key = 'version'")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _query(self, action: str, sql: str, params: tuple | list = ()) -> list[tuple]:
        with _translated(action):
            return self._reader().execute(sql, params).fetchall()

    def close(self) -> None:
        with _translated("closing"):
            for con in self._readers:
                con.close()
            self._readers.clear()
            self._writer.close()

    # ---- writes --------------------------------------------------------------

    def has_article(self, identity: str) -> bool:
        return bool(self._query("looking up article", "SELECT 1 FROM articles WHERE identity = ?", (identity,)))

    def add_article(self, article: AnnotatedArticle) -> int | None:
        doc = article.doc
        with self._transaction(f"storing {doc.item}") as con:
            cur = con.execute(
                "INSERT INTO articles (identity, item, url, canonical_url, content_hash, title, date, author,"
                " site, language, text, words, meta, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(identity) DO NOTHING",
                (doc.identity, doc.item, doc.url, doc.canonical_url, doc.content_hash, doc.title, doc.date,
                 doc.author, doc.site, doc.language, doc.text, article.words,
                 json.dumps(doc.meta, ensure_ascii=False, default=str), _now()),
            )
            if cur.rowcount == 0:
                return None
            article_id = cur.lastrowid
            sentence_ids = [
                con.execute(
                    'INSERT INTO sentences (article_id, idx, start, "end", text) VALUES (?,?,?,?,?)',
                    (article_id, s.index, s.start, s.end, s.text),
                ).lastrowid
                for s in article.sentences
            ]
            self._add_mentions(con, article_id, sentence_ids, article)
            if article.story is not None:
                sqlite_stories.write_assignment(con, article_id, article.story)
            if article.provenance is not None:
                sqlite_provenance.add_provenance(con, article_id, sentence_ids, article.provenance)
            add_events(con, article_id, sentence_ids, article.events)
            return article_id

    def _add_mentions(self, con: sqlite3.Connection, article_id: int, sentence_ids: list[int],
                      article: AnnotatedArticle) -> None:
        per_entity = Counter((m.label, m.key) for m in article.mentions)
        names = {(m.label, m.key): m.name for m in article.mentions}
        entity_ids = {}
        for (label, key), count in per_entity.items():
            entity_ids[label, key] = con.execute(
                "INSERT INTO entities (label, key, name, mentions, articles) VALUES (?,?,?,?,1)"
                " ON CONFLICT(label, key) DO UPDATE SET mentions = mentions + excluded.mentions,"
                " articles = articles + 1 RETURNING id",
                (label, key, names[label, key], count),
            ).fetchone()[0]
        con.executemany(
            "INSERT INTO entity_articles (entity_id, article_id, mentions) VALUES (?,?,?)",
            [(entity_ids[k], article_id, n) for k, n in per_entity.items()],
        )
        con.executemany(
            'INSERT INTO mentions (article_id, sentence_id, entity_id, start, "end", text) VALUES (?,?,?,?,?,?)',
            [(article_id, sentence_ids[m.sentence], entity_ids[m.label, m.key], m.start, m.end, m.text)
             for m in article.mentions],
        )
        aliases = Counter((entity_ids[m.label, m.key], m.text) for m in article.mentions)
        con.executemany(
            "INSERT INTO aliases (entity_id, alias, count) VALUES (?,?,?)"
            " ON CONFLICT(entity_id, alias) DO UPDATE SET count = count + excluded.count",
            [(eid, alias, n) for (eid, alias), n in aliases.items()],
        )

    def delete_article(self, article_id: int) -> None:
        with self._transaction(f"deleting article {article_id}") as con:
            if not sqlite_delete.delete_article(con, article_id):
                raise NotFound(f"no article {article_id!r}")

    def record_error(self, error: IngestError) -> None:
        now = _now()
        with self._transaction(f"recording error for {error.item}") as con:
            con.execute(
                "INSERT INTO errors (item, stage, message, first_seen, last_seen) VALUES (?,?,?,?,?)"
                " ON CONFLICT(item, stage, message) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen",
                (error.item, error.stage, error.message, now, now),
            )

    # ---- reads ---------------------------------------------------------------

    def stats(self) -> Stats:
        def count(table: str) -> int:
            return self._query("counting", f"SELECT COUNT(*) FROM {table}")[0][0]

        by_type = dict(self._query("counting entities", "SELECT label, COUNT(*) FROM entities GROUP BY label"
                                                          " ORDER BY COUNT(*) DESC"))
        return Stats(articles=count("articles"), sentences=count("sentences"), mentions=count("mentions"),
                     entities=sum(by_type.values()), errors=count("errors"), entities_by_type=by_type)

    def _entity_summaries(self, rows: list[tuple]) -> list[EntitySummary]:
        if not rows:
            return []
        ids = [r[0] for r in rows]
        aliases: dict[int, list[str]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for eid, alias in self._query("reading aliases", f"SELECT entity_id, alias FROM aliases WHERE entity_id"
                                                         f" IN ({marks}) ORDER BY count DESC, alias", ids):
            aliases[eid].append(alias)
        return [EntitySummary(id=r[0], label=r[1], name=r[2], mentions=r[3], articles=r[4], aliases=aliases[r[0]])
                for r in rows]

    def entities(self, label: str | None = None, limit: int = 50, offset: int = 0) -> list[EntitySummary]:
        where, params = ("WHERE e.label = ?", [label]) if label else ("", [])
        rows = self._query("listing entities", f"SELECT {_ENTITY_COLS} FROM entities e {where}"
                                               " ORDER BY e.articles DESC, e.mentions DESC, e.name LIMIT ? OFFSET ?",
                           [*params, limit, offset])
        return self._entity_summaries(rows)

    def find_entities(self, name: str, label: str | None = None) -> list[EntitySummary]:
        label_sql, params = (" AND e.label = ?", [label]) if label else ("", [])
        rows = self._query(
            "finding entities",
            f"SELECT {_ENTITY_COLS} FROM entities e WHERE (e.name = ? COLLATE NOCASE OR e.id IN"
            f" (SELECT entity_id FROM aliases WHERE alias = ? COLLATE NOCASE)){label_sql}"
            " ORDER BY e.articles DESC, e.mentions DESC",
            [name, name, *params],
        )
        return self._entity_summaries(rows)

    def entity(self, entity_id: int, mentions: int = 20, neighbours: int = 20) -> EntityDetail:
        rows = self._query("reading entity", f"SELECT {_ENTITY_COLS} FROM entities e WHERE e.id = ?", (entity_id,))
        if not rows:
            raise NotFound(f"no entity with id {entity_id}")
        summary = self._entity_summaries(rows)[0]
        mention_rows = self._query(
            "reading mentions",
            f"SELECT {_ARTICLE_COLS}, s.text, m.text, m.start - s.start, m.\"end\" - s.start"
            " FROM mentions m JOIN sentences s ON s.id = m.sentence_id JOIN articles a ON a.id = m.article_id"
            " WHERE m.entity_id = ? ORDER BY a.date DESC, a.id DESC, m.start LIMIT ?",
            (entity_id, mentions),
        )
        found = [MentionInContext(article=ArticleSummary(*r[:5]), sentence=r[5], text=r[6], start=r[7], end=r[8])
                 for r in mention_rows]
        neighbour_rows = self._query(
            "reading neighbours",
            "SELECT b.entity_id, COUNT(*) AS n FROM entity_articles a"
            " JOIN entity_articles b ON b.article_id = a.article_id AND b.entity_id != a.entity_id"
            " WHERE a.entity_id = ? GROUP BY b.entity_id ORDER BY n DESC, b.entity_id LIMIT ?",
            (entity_id, neighbours),
        )
        shared = dict(neighbour_rows)
        marks = ",".join("?" * len(shared))
        others = self._entity_summaries(self._query(
            "reading neighbours", f"SELECT {_ENTITY_COLS} FROM entities e WHERE e.id IN ({marks})", list(shared)))
        near = sorted((Neighbour(entity=e, articles=shared[e.id]) for e in others),
                      key=lambda n: (-n.articles, n.entity.id))
        return EntityDetail(entity=summary, mentions=found, neighbours=near)

    def article(self, ref: int | str) -> ArticleDetail:
        cols = f"{_ARTICLE_COLS}, a.text, a.author, a.language, a.item, a.meta"
        if isinstance(ref, int):
            rows = self._query("reading article", f"SELECT {cols} FROM articles a WHERE a.id = ?", (ref,))
        else:
            rows = self._query("reading article", f"SELECT {cols} FROM articles a WHERE a.url = ? OR"
                                                  " a.canonical_url = ? OR a.item = ? ORDER BY a.id LIMIT 1",
                               (ref, ref, ref))
        if not rows:
            raise NotFound(f"no article {ref!r}")
        r = rows[0]
        article_id = r[0]
        sentences = [SentenceSpan(*s) for s in self._query(
            "reading sentences", 'SELECT idx, start, "end", text FROM sentences WHERE article_id = ? ORDER BY idx',
            (article_id,))]
        mentions = [StoredMention(*m) for m in self._query(
            "reading mentions",
            'SELECT e.id, e.label, e.name, m.text, m.start, m."end", s.idx FROM mentions m'
            " JOIN entities e ON e.id = m.entity_id JOIN sentences s ON s.id = m.sentence_id"
            " WHERE m.article_id = ? ORDER BY m.start", (article_id,))]
        return ArticleDetail(article=ArticleSummary(*r[:5]), text=r[5], author=r[6], language=r[7], item=r[8],
                             meta=json.loads(r[9]), sentences=sentences, mentions=mentions)

    def articles(self, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        rows = self._query("listing articles", f"SELECT {_ARTICLE_COLS} FROM articles a"
                                               " ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?", (limit, offset))
        return [ArticleSummary(*r) for r in rows]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        if not query.strip():
            raise QueryError("empty search query")
        rows = self._query(
            "searching",
            f"SELECT {_ARTICLE_COLS}, s.idx, snippet(sentences_fts, 0, ?, ?, '…', 16), s.text"
            " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
            " JOIN articles a ON a.id = s.article_id"
            " WHERE sentences_fts MATCH ? ORDER BY sentences_fts.rank LIMIT ? OFFSET ?",
            (MARK_OPEN, MARK_CLOSE, query, limit, offset),
        )
        return [SearchHit(article=ArticleSummary(*r[:5]), sentence_index=r[5], snippet=r[6], sentence=r[7])
                for r in rows]

    def errors(self, limit: int = 100) -> list[StoredError]:
        rows = self._query("listing errors", "SELECT item, stage, message, count, last_seen FROM errors"
                                             " ORDER BY last_seen DESC, id DESC LIMIT ?", (limit,))
        return [StoredError(*r) for r in rows]

    def version(self) -> int:
        with _translated("reading the store version"):
            return self._reader().execute("SELECT value FROM store_meta WHERE key = 'version'").fetchone()[0]

    # ---- stories ----

    def story_version(self) -> int:
        with _translated("reading story version"):
            return sqlite_stories.version(self._reader())

    def story_index(self, cap: int | None = 20_000):
        with _translated("loading the story index"):
            index = sqlite_stories.load_index(self._reader(), cap)
        index.members.loader = self.story_states
        index.stories.loader = self.story_states_of
        return index

    def story_states_of(self, ids: list[int]):
        with _translated("reading stories"):
            return sqlite_stories.load_stories(self._reader(), ids)

    def story_states(self, seqs: list[int]):
        with _translated("reading story state"):
            return sqlite_stories.load_states(self._reader(), seqs)

    def replace_stories(self, index, members: dict[int, tuple[int, float, int | None]],
                        seqs: dict[int, int] | None = None) -> None:
        with self._transaction("replacing stories") as con:
            sqlite_stories.replace_all(con, index, members, seqs)

    def story_inputs(self) -> Iterator[tuple]:
        with _translated("reading articles for stories"):
            con = self._connect()  # its own connection: a long read must not hold a shared reader
            try:
                yield from sqlite_stories.iter_for_recluster(con)
            finally:
                con.close()

    def stories(self, entity_id: int | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StorySummary]:
        with _translated("listing stories"):
            return sqlite_stories.list_stories(self._reader(), entity_id=entity_id, since=since, limit=limit,
                                               offset=offset)

    def article_story(self, article_id: int) -> StorySummary | None:
        with _translated("reading an article's story"):
            return sqlite_stories.article_story(self._reader(), article_id)

    def story(self, story_id: int, events=()) -> StoryDetail:
        from ..stories.timeline import build_timeline

        with _translated("reading story"):
            con = self._reader()
            return StoryDetail(story=sqlite_stories.story_summary(con, story_id),
                               entities=sqlite_stories.story_entities(con, story_id),
                               timeline=build_timeline(sqlite_stories.story_members(con, story_id), events))

    def entity_stories(self, entity_id: int) -> list[StorySummary]:
        with _translated("reading entity stories"):
            return sqlite_stories.entity_stories(self._reader(), entity_id)

    # ---- export ----

    def iter_rows(self, table: str) -> Iterator[dict[str, Any]]:
        if table not in (*EXPORT_TABLES, "entity_articles", *EVENT_TABLES):
            raise QueryError(f"unknown table {table!r}; one of {', '.join(EXPORT_TABLES)}")
        order = {"aliases": "entity_id, alias", "entity_articles": "article_id, entity_id",
                 "story_articles": "story_id, article_id"}.get(table, "id")
        with _translated(f"exporting {table}"):
            # A fresh connection so a long export never holds a reader other threads use.
            con = self._connect()
            try:
                cur = con.execute(f"SELECT * FROM {table} ORDER BY {order}")
                cols = [d[0] for d in cur.description]
                for row in cur:
                    yield dict(zip(cols, row))
            finally:
                con.close()

    def cooccurrences(self, min_articles: int = 1) -> Iterator[tuple[int, int, int]]:
        with _translated("computing co-occurrences"):
            con = self._connect()
            try:
                yield from con.execute(
                    "SELECT a.entity_id, b.entity_id, COUNT(*) FROM entity_articles a"
                    " JOIN entity_articles b ON b.article_id = a.article_id AND b.entity_id > a.entity_id"
                    " GROUP BY a.entity_id, b.entity_id HAVING COUNT(*) >= ?", (min_articles,))
            finally:
                con.close()

    # ---- web ----

    def find_articles(self, *, site: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      entity_id: int | None = None, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        with _translated("listing articles"):
            rows = sqlite_web.find_articles(self._reader(), site=site, date_from=date_from, date_to=date_to,
                                            entity_id=entity_id, limit=limit, offset=offset)
        return [ArticleSummary(*r) for r in rows]

    def entity_mentions(self, entity_id: int, limit: int = 50, offset: int = 0,
                        oldest_first: bool = True) -> list[MentionInContext]:
        with _translated("reading mentions"):
            rows = sqlite_web.entity_mentions(self._reader(), entity_id, limit=limit, offset=offset,
                                              oldest_first=oldest_first)
        return [MentionInContext(article=ArticleSummary(*r[:5]), sentence=r[5], text=r[6], start=r[7], end=r[8])
                for r in rows]

    def links_among(self, entity_ids: list[int]) -> list[tuple[int, int, int]]:
        with _translated("reading co-occurrences"):
            return sqlite_web.links_among(self._reader(), entity_ids)

    # ---- provenance ----------------------------------------------------------

    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        with _translated("looking up sentence candidates"):
            return sqlite_provenance.candidates(self._reader(), keys, exact, limit)

    def article_candidates(self, keys: list[int]) -> list[tuple[int, bytes]]:
        with _translated("looking up duplicate candidates"):
            return sqlite_provenance.article_candidates(self._reader(), keys)

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        with _translated("looking up n-gram seed candidates"):
            return sqlite_provenance.seed_candidates(self._reader(), keys, max_postings, limit)

    def sentences_at(self, article_id: int, indices: list[int]) -> list[SeedCandidate]:
        with _translated("reading neighbouring sentences"):
            return sqlite_provenance.sentences_at(self._reader(), article_id, indices)

    def copied_spans(self) -> Iterator[tuple]:
        with _translated("exporting copied spans"):
            con = self._connect()
            try:
                yield from sqlite_provenance.copied_spans(con)
            finally:
                con.close()

    def sentence_matches(self, article_id: int) -> list[MatchRow]:
        with _translated("reading sentence matches"):
            return sqlite_provenance.match_rows(self._reader(), article_id)

    def article_summaries(self, ids: list[int]) -> list[ArticleSummary]:
        with _translated("reading articles"):
            return sqlite_provenance.summaries(self._reader(), ids)

    def copy_family(self, article_id: int, limit: int = 1000) -> list[int]:
        with _translated("reading copy family"):
            return sqlite_provenance.copy_family(self._reader(), article_id, limit)

    def near_duplicates(self, article_id: int) -> list[tuple[int, float]]:
        with _translated("reading near-duplicates"):
            return sqlite_provenance.duplicates(self._reader(), article_id)

    def originality(self, by_site: bool = False, limit: int = 50, least_first: bool = False) -> list[OriginalityRow]:
        with _translated("ranking originality"):
            return sqlite_provenance.originality(self._reader(), by_site, limit, least_first)

    def source_links(self) -> Iterator[tuple[int, int, int]]:
        with _translated("exporting source links"):
            con = self._connect()
            try:
                yield from sqlite_provenance.source_links(con)
            finally:
                con.close()

    # ---- events ----

    def events(self, *, type: str | None = None, entity_ids: list[int] | None = None, modality: str | None = None,
               since: str | None = None, article: int | None = None, limit: int = 100,
               offset: int = 0) -> list[Event]:
        with _translated("listing events"):
            return query_events(self._reader(), type=type, entity_ids=entity_ids, modality=modality, since=since,
                                article=article, limit=limit, offset=offset)
