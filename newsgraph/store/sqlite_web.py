"""SQL for the web and REST layers: filtered article lists, an entity's mentions by date."""
from __future__ import annotations

import sqlite3

from ..model import ArticleSummary, MentionInContext

_ARTICLE_COLS = "a.id, a.url, a.title, a.date, a.site"


def articles(con: sqlite3.Connection, *, site: str | None, date_from: str | None, date_to: str | None,
             entity_id: int | None, limit: int, offset: int) -> list[ArticleSummary]:
    """Articles, newest first, matching every filter given; dates compare as ISO strings."""
    where, params = [], []
    if site:
        where.append("a.site = ?")
        params.append(site)
    if date_from:
        where.append("a.date >= ?")
        params.append(date_from)
    if date_to:
        # "2017-12-18" must include "2017-12-18T10:00": compare against the day's last possible string.
        where.append("a.date <= ?")
        params.append(date_to + "\uffff")
    if entity_id is not None:
        where.append("a.id IN (SELECT article_id FROM entity_articles WHERE entity_id = ?)")
        params.append(entity_id)
    sql = (f"SELECT {_ARTICLE_COLS} FROM articles a {'WHERE ' + ' AND '.join(where) if where else ''}"
           " ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?")
    return [ArticleSummary(*r) for r in con.execute(sql, [*params, limit, offset])]


def entity_mentions(con: sqlite3.Connection, entity_id: int, *, limit: int, offset: int,
                    oldest_first: bool) -> list[MentionInContext]:
    """One entity's mentions with their sentences (offsets within it), ordered by article date."""
    order = "ASC" if oldest_first else "DESC"
    # Sort bare mention ids first, then fetch sentences for one page only: a frequent entity has thousands.
    rows = con.execute(
        f"SELECT {_ARTICLE_COLS}, s.text, m.text, m.start - s.start, m.\"end\" - s.start"
        " FROM (SELECT m.id, row_number() OVER () AS n FROM (SELECT m.id FROM mentions m"
        "       JOIN articles a ON a.id = m.article_id WHERE m.entity_id = ?"
        f"      ORDER BY a.date {order}, a.id {order}, m.start LIMIT ? OFFSET ?) m) page"
        " JOIN mentions m ON m.id = page.id JOIN sentences s ON s.id = m.sentence_id"
        " JOIN articles a ON a.id = m.article_id ORDER BY page.n",
        (entity_id, limit, offset),
    ).fetchall()
    return [MentionInContext(article=ArticleSummary(*r[:5]), sentence=r[5], text=r[6], start=r[7], end=r[8])
            for r in rows]
