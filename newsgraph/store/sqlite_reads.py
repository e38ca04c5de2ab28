"""SQL of the article and entity reads: entity summaries with aliases, neighbours, an article with its parts, counts."""
from __future__ import annotations

import json
import sqlite3

from ..errors import NotFound
from ..model import ArticleDetail, ArticleSummary, EntitySummary, Neighbour, SentenceSpan, Stats, StoredMention
from . import cooccurrence
from .sqlite_params import VALUES_SQL
from .sqlite_params import in_chunks

ARTICLE_COLS = "a.id, a.url, a.title, a.date, a.site"
ENTITY_COLS = "e.id, e.label, e.name, e.mentions, e.articles, e.kb_id"


def entity_summaries(con: sqlite3.Connection, rows: list[tuple]) -> list[EntitySummary]:
    """Entity rows (ENTITY_COLS) with their aliases, most used first."""
    if not rows:
        return []
    aliases: dict[int, list[str]] = {r[0]: [] for r in rows}
    for chunk, marks in in_chunks(list(aliases)):
        for eid, alias in con.execute(f"SELECT entity_id, alias FROM aliases WHERE entity_id IN ({marks})"
                                      " ORDER BY count DESC, alias", chunk):
            aliases[eid].append(alias)
    return [EntitySummary(id=r[0], label=r[1], name=r[2], mentions=r[3], articles=r[4], aliases=aliases[r[0]],
                          kb_id=r[5]) for r in rows]


def entities(con: sqlite3.Connection, label: str | None, limit: int, offset: int,
             values: bool = False) -> list[EntitySummary]:
    where, params = ("WHERE e.label = ?", [label]) if label else ("", [])
    if not label and not values:
        where = f"WHERE e.label NOT IN {VALUES_SQL}"
    rows = con.execute(f"SELECT {ENTITY_COLS} FROM entities e {where}"
                       " ORDER BY e.articles DESC, e.mentions DESC, e.name LIMIT ? OFFSET ?",
                       [*params, limit, offset]).fetchall()
    return entity_summaries(con, rows)


def find_entities(con: sqlite3.Connection, name: str, label: str | None) -> list[EntitySummary]:
    label_sql, params = (" AND e.label = ?", [label]) if label else ("", [])
    rows = con.execute(
        f"SELECT {ENTITY_COLS} FROM entities e WHERE (e.name = ? COLLATE NOCASE OR e.id IN"
        f" (SELECT entity_id FROM aliases WHERE alias = ? COLLATE NOCASE)){label_sql}"
        " ORDER BY e.articles DESC, e.mentions DESC", [name, name, *params]).fetchall()
    return entity_summaries(con, rows)


def entity(con: sqlite3.Connection, entity_id: int) -> EntitySummary:
    rows = con.execute(f"SELECT {ENTITY_COLS} FROM entities e WHERE e.id = ?", (entity_id,)).fetchall()
    if not rows:
        raise NotFound(f"no entity with id {entity_id}")
    return entity_summaries(con, rows)[0]


def neighbours(con: sqlite3.Connection, entity_id: int, limit: int, values: bool = False) -> list[Neighbour]:
    shared = dict(cooccurrence.strongest(con, entity_id, limit, values))
    marks = ",".join("?" * len(shared))
    others = entity_summaries(con, con.execute(f"SELECT {ENTITY_COLS} FROM entities e WHERE e.id IN ({marks})",
                                               list(shared)).fetchall())
    return sorted((Neighbour(entity=e, articles=shared[e.id]) for e in others),
                  key=lambda n: (-n.articles, n.entity.id))


def article(con: sqlite3.Connection, ref: int | str) -> ArticleDetail:
    cols = f"{ARTICLE_COLS}, a.text, a.author, a.language, a.item, a.meta"
    if isinstance(ref, int):
        row = con.execute(f"SELECT {cols} FROM articles a WHERE a.id = ?", (ref,)).fetchone()
    else:
        row = con.execute(f"SELECT {cols} FROM articles a WHERE a.url = ? OR a.canonical_url = ? OR a.item = ?"
                          " ORDER BY a.id LIMIT 1", (ref, ref, ref)).fetchone()
    if row is None:
        raise NotFound(f"no article {ref!r}")
    article_id = row[0]
    sentences = [SentenceSpan(*s) for s in con.execute(
        'SELECT idx, start, "end", text FROM sentences WHERE article_id = ? ORDER BY idx', (article_id,))]
    mentions = [StoredMention(*m) for m in con.execute(
        'SELECT e.id, e.label, e.name, m.text, m.start, m."end", s.idx, COALESCE(m.label, e.label) FROM mentions m'
        " JOIN entities e ON e.id = m.entity_id JOIN sentences s ON s.id = m.sentence_id"
        " WHERE m.article_id = ? ORDER BY m.start", (article_id,))]
    return ArticleDetail(article=ArticleSummary(*row[:5]), text=row[5], author=row[6], language=row[7], item=row[8],
                         meta=json.loads(row[9]), sentences=sentences, mentions=mentions)


def stats(con: sqlite3.Connection) -> Stats:
    def count(table: str) -> int:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    by_type = dict(con.execute("SELECT label, COUNT(*) FROM entities GROUP BY label ORDER BY COUNT(*) DESC, label"))
    return Stats(articles=count("articles"), sentences=count("sentences"), mentions=count("mentions"),
                 entities=sum(by_type.values()), errors=count("errors"), entities_by_type=by_type)
