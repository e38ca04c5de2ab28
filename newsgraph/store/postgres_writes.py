"""PostgreSQL's own way with the writes of an article that SQLite does row by row: each a statement or two, since
every statement whose result is read costs a round trip to the server (the others go out together, pipelined)."""
from __future__ import annotations

from collections.abc import Iterable

from ..model import Event
from .postgres_sql import Portable


def upsert_entities(con: Portable, rows: list[tuple[str, str, str, int]]) -> dict[str, int]:
    """sqlite_entities.upsert_entities in one statement (one round trip); rows come sorted by key."""
    if not rows:
        return {}
    labels, keys, names, counts = (list(col) for col in zip(*rows))
    return {key: eid for eid, key in con.execute(
        "INSERT INTO entities (label, key, name, mentions, articles) SELECT label, key, name, n, 1"
        " FROM unnest(?::text[], ?::text[], ?::text[], ?::int[]) WITH ORDINALITY AS e(label, key, name, n, o)"
        " ORDER BY o ON CONFLICT (key) DO UPDATE SET label = excluded.label, name = excluded.name,"
        " mentions = entities.mentions + excluded.mentions, articles = entities.articles + 1 RETURNING id, key",
        (labels, keys, names, counts)).fetchall()}


def add_events(con: Portable, article_id: int, sentence_ids: list[int], events: Iterable[Event]) -> int:
    """sqlite_events.add_events in one round trip: the events' ids (drawn from their sequence) and their arguments'
    entity ids are read in one statement, then every row is written without waiting for an answer."""
    events = list(events)
    if not events:
        return 0
    keys = sorted({a.entity_key for ev in events for a in ev.arguments if a.entity_label and a.entity_key is not None})
    ids, found_keys, found_ids = con.execute(
        "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, ?)),"
        " e.keys, e.ids FROM (SELECT array_agg(key) AS keys, array_agg(id) AS ids FROM entities"
        " WHERE key = ANY(?::text[])) AS e", (len(events), keys)).fetchone()
    entity_ids = dict(zip(found_keys or [], found_ids or [], strict=True))
    ids = sorted(ids)  # in text order, as SQLite numbers them
    con.executemany(
        'INSERT INTO events (id, article_id, sentence_id, sentence_idx, type, subtype, trigger, start, "end",'
        " modality, polarity, attribution, source, cue, tags, score) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(event_id, article_id, sentence_ids[ev.sentence], ev.sentence, ev.type, ev.subtype, ev.trigger, ev.start,
          ev.end, ev.modality, ev.polarity, ev.attribution.kind, ev.attribution.source, ev.attribution.cue,
          ",".join(ev.tags), ev.score) for event_id, ev in zip(ids, events, strict=True)])
    con.executemany(
        'INSERT INTO event_arguments (event_id, role, kind, text, start, "end", entity_id, via)'
        " VALUES (?,?,?,?,?,?,?,?)",
        [(event_id, a.role, a.kind, a.text, a.start, a.end,
          entity_ids.get(a.entity_key) if a.entity_label else None, a.via)
         for event_id, ev in zip(ids, events, strict=True) for a in ev.arguments])
    return len(events)
