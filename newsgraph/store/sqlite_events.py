"""SQL for events: writing an article's events inside its transaction, and reading them back with filters."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from ..model import ArticleSummary, Attribution, Event, EventArgument
from .sqlite_params import in_chunks

_EVENT_COLS = ('ev.id, ev.sentence_idx, ev.type, ev.subtype, ev.trigger, ev.start, ev."end", ev.modality,'
               " ev.polarity, ev.attribution, ev.source, ev.cue, ev.tags, ev.score,"
               " a.id, a.url, a.title, a.date, a.site, s.text")


def add_events(con: sqlite3.Connection, article_id: int, sentence_ids: list[int], events: Iterable[Event]) -> int:
    """Insert `events` of one article (inside the caller's transaction); returns how many were stored."""
    entity_ids: dict[tuple[str, str], int | None] = {}

    def entity_id(label: str | None, key: str | None) -> int | None:
        if not label or key is None:
            return None
        if (label, key) not in entity_ids:
            row = con.execute("SELECT id FROM entities WHERE label = ? AND key = ?", (label, key)).fetchone()
            entity_ids[label, key] = row[0] if row else None
        return entity_ids[label, key]

    n = 0
    for ev in events:
        event_id = con.execute(
            'INSERT INTO events (article_id, sentence_id, sentence_idx, type, subtype, trigger, start, "end",'
            " modality, polarity, attribution, source, cue, tags, score) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            " RETURNING id",
            (article_id, sentence_ids[ev.sentence], ev.sentence, ev.type, ev.subtype, ev.trigger, ev.start, ev.end,
             ev.modality, ev.polarity, ev.attribution.kind, ev.attribution.source, ev.attribution.cue,
             ",".join(ev.tags), ev.score),
        ).fetchone()[0]
        con.executemany(
            'INSERT INTO event_arguments (event_id, role, kind, text, start, "end", entity_id, via)'
            " VALUES (?,?,?,?,?,?,?,?)",
            [(event_id, a.role, a.kind, a.text, a.start, a.end, entity_id(a.entity_label, a.entity_key), a.via)
             for a in ev.arguments],
        )
        n += 1
    return n


def query_events(con: sqlite3.Connection, *, type: str | None = None, entity_ids: list[int] | None = None,
                 modality: str | None = None, since: str | None = None, article: int | None = None,
                 limit: int = 100, offset: int = 0, min_score: float | None = None) -> list[Event]:
    """Events matching every given filter, newest article first, in text order within an article."""
    where, params = [], []
    if type:
        # "Deal" matches the type; "Rating.Upgrade" the subtype too.
        main, _, sub = type.partition(".")
        where.append("ev.type = ? COLLATE NOCASE")
        params.append(main)
        if sub:
            where.append("ev.subtype = ? COLLATE NOCASE")
            params.append(sub)
    if entity_ids is not None:
        marks = ",".join("?" * len(entity_ids)) or "NULL"
        where.append(f"ev.id IN (SELECT event_id FROM event_arguments WHERE entity_id IN ({marks}))")
        params.extend(entity_ids)
    if modality:
        where.append("ev.modality = ?")
        params.append(modality.lower())
    if since:
        where.append("a.date >= ?")
        params.append(since)
    if article is not None:
        where.append("ev.article_id = ?")
        params.append(article)
    if min_score is not None:
        where.append("ev.score >= ?")
        params.append(min_score)
    sql = (f"SELECT {_EVENT_COLS} FROM events ev JOIN articles a ON a.id = ev.article_id"
           " JOIN sentences s ON s.id = ev.sentence_id"
           f"{' WHERE ' + ' AND '.join(where) if where else ''}"
           " ORDER BY a.date DESC, a.id DESC, ev.start, ev.id LIMIT ? OFFSET ?")
    rows = con.execute(sql, [*params, limit, offset]).fetchall()
    arguments = _arguments(con, [r[0] for r in rows])
    return [Event(id=r[0], sentence=r[1], type=r[2], subtype=r[3], trigger=r[4], start=r[5], end=r[6],
                  modality=r[7], polarity=r[8], attribution=Attribution(kind=r[9], source=r[10], cue=r[11]),
                  tags=tuple(t for t in r[12].split(",") if t), score=r[13],
                  article=ArticleSummary(*r[14:19]), sentence_text=r[19], arguments=arguments.get(r[0], []))
            for r in rows]


def _arguments(con: sqlite3.Connection, event_ids: list[int]) -> dict[int, list[EventArgument]]:
    found: dict[int, list[EventArgument]] = {}
    for chunk, marks in in_chunks(event_ids):
        for r in con.execute(
            'SELECT ea.event_id, ea.role, ea.kind, ea.text, ea.start, ea."end", e.id, e.name, e.label, e.key,'
            f" ea.via FROM event_arguments ea LEFT JOIN entities e ON e.id = ea.entity_id"
            f" WHERE ea.event_id IN ({marks}) ORDER BY ea.event_id, ea.start", chunk):
            found.setdefault(r[0], []).append(EventArgument(
                role=r[1], kind=r[2], text=r[3], start=r[4], end=r[5], entity_id=r[6], entity_name=r[7],
                entity_label=r[8], entity_key=r[9], via=r[10]))
    return found
