"""SQL for entities: writing an article's resolved mentions, per-key type votes, rebuilds and KB ids.

Portable: PostgreSQL runs it too through postgres_sql.Portable (its entity upsert is one statement instead)."""
from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator

from ..model import AnnotatedArticle
from . import cooccurrence
from .sqlite_params import VALUES_SQL, in_chunks


def upsert_entities(con: sqlite3.Connection, rows: list[tuple[str, str, str, int]]) -> dict[str, int]:
    """(type, key, name, mentions) of one article's entities -> key -> entity id, each created or counted up."""
    return {key: con.execute(
        "INSERT INTO entities (label, key, name, mentions, articles) VALUES (?,?,?,?,1)"
        " ON CONFLICT(key) DO UPDATE SET label = excluded.label, name = excluded.name,"
        " mentions = entities.mentions + excluded.mentions, articles = entities.articles + 1 RETURNING id",
        (label, key, name, count)).fetchone()[0] for label, key, name, count in rows}


def add_mentions(con: sqlite3.Connection, article_id: int, sentence_ids: list[int], article: AnnotatedArticle,
                 upsert=upsert_entities) -> None:
    """Store an article's mentions under their entities (one per key), with the resolver's types and votes."""
    mentions = article.mentions
    res = article.resolution
    per_entity = Counter(m.key for m in mentions)
    types = {m.key: m.label for m in mentions}
    names = {m.key: m.name for m in mentions}
    if res is not None:
        types.update(res.types)
        names.update(res.names)
        votes = res.votes
    else:  # no resolver ran: each mention votes for its own label
        votes = {}
        for m in mentions:
            slot = votes.setdefault(m.key, {})
            label = m.ner_label or m.label
            slot[label] = slot.get(label, 0.0) + 1.0
    # one lock order for every writer (keys sorted): concurrent PostgreSQL writers cannot deadlock
    entity_ids = upsert(con, [(types[k], k, names[k], n) for k, n in sorted(per_entity.items())])
    # Keys voted for without a mention here ("Southwest" by "Southwest Airlines") take their new type too.
    con.executemany("UPDATE entities SET label = ? WHERE key = ?",
                    sorted((t, k) for k, t in types.items() if k not in per_entity))
    con.executemany(
        "INSERT INTO entity_votes (key, label, weight) VALUES (?,?,?)"
        " ON CONFLICT(key, label) DO UPDATE SET weight = entity_votes.weight + excluded.weight",
        sorted((k, t, w) for k, by_type in votes.items() for t, w in by_type.items()),
    )
    if res is not None and res.links:
        con.executemany(
            "INSERT INTO entity_aliases (key, target, weight) VALUES (?,?,?)"
            " ON CONFLICT(key, target) DO UPDATE SET weight = entity_aliases.weight + excluded.weight",
            sorted((k, t, w) for k, targets in res.links.items() for t, w in targets.items()),
        )
    con.executemany(
        "INSERT INTO entity_articles (entity_id, article_id, mentions) VALUES (?,?,?)",
        [(entity_ids[k], article_id, n) for k, n in per_entity.items()],
    )
    con.executemany(
        'INSERT INTO mentions (article_id, sentence_id, entity_id, start, "end", text, label) VALUES (?,?,?,?,?,?,?)',
        [(article_id, sentence_ids[m.sentence], entity_ids[m.key], m.start, m.end, m.text, m.ner_label or m.label)
         for m in mentions],
    )
    aliases = Counter((entity_ids[m.key], m.text) for m in mentions)
    con.executemany(
        "INSERT INTO aliases (entity_id, alias, count) VALUES (?,?,?)"
        " ON CONFLICT(entity_id, alias) DO UPDATE SET count = aliases.count + excluded.count",
        sorted((eid, alias, n) for (eid, alias), n in aliases.items()),
    )
    if res is not None and res.moves:
        fold_entities(con, res.moves, article_id)


def fold_entities(con: sqlite3.Connection, moves: dict[str, str], article_id: int) -> None:
    """Fold the entity of each short key into its fuller key's ("Abbas" into "Mahmoud Abbas"): mentions, article
    counts, aliases, event arguments and the earlier articles' co-occurrence counts follow; the short key's votes go
    (the resolver added them to the target's). `article_id`: the article being written, whose pairs its writer
    counts afterwards."""
    for short, target in sorted(moves.items()):
        con.execute("DELETE FROM entity_votes WHERE key = ?", (short,))
        ids = dict(con.execute("SELECT key, id FROM entities WHERE key IN (?, ?)", (short, target)).fetchall())
        old, new = ids.get(short), ids.get(target)
        if old is None or new is None:
            continue
        earlier = [a for (a,) in con.execute("SELECT article_id FROM entity_articles WHERE entity_id = ?"
                                             " AND article_id != ?", (old, article_id))]
        for a in earlier:  # their pairs name the old entity: uncount them, and count them again once moved
            cooccurrence.remove_article(con, a)
        con.execute("UPDATE mentions SET entity_id = ? WHERE entity_id = ?", (new, old))
        con.execute("UPDATE event_arguments SET entity_id = ? WHERE entity_id = ?", (new, old))
        con.execute("INSERT INTO entity_articles (entity_id, article_id, mentions)"
                    " SELECT ?, article_id, mentions FROM entity_articles WHERE entity_id = ?"
                    " ON CONFLICT(entity_id, article_id) DO UPDATE"
                    " SET mentions = entity_articles.mentions + excluded.mentions", (new, old))
        con.execute("DELETE FROM entity_articles WHERE entity_id = ?", (old,))
        con.execute("INSERT INTO aliases (entity_id, alias, count) SELECT ?, alias, count FROM aliases"
                    " WHERE entity_id = ? ON CONFLICT(entity_id, alias) DO UPDATE"
                    " SET count = aliases.count + excluded.count", (new, old))
        con.execute("DELETE FROM aliases WHERE entity_id = ?", (old,))
        con.execute("UPDATE entities SET mentions = mentions + (SELECT mentions FROM entities WHERE id = ?),"
                    " articles = (SELECT COUNT(*) FROM entity_articles WHERE entity_id = ?) WHERE id = ?",
                    (old, new, new))
        # the user's KB id stays with the entity that carried it
        con.execute("UPDATE entities SET kb_id = (SELECT kb_id FROM entities WHERE id = ?) WHERE id = ?"
                    " AND kb_id IS NULL", (old, new))
        con.execute("DELETE FROM entities WHERE id = ?", (old,))
        for a in earlier:
            cooccurrence.add_article(con, a)


def entity_state(con: sqlite3.Connection, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict]]:
    """key -> (display name, type, {type: vote weight}) for the keys the store knows."""
    out: dict[str, tuple[str | None, str | None, dict]] = {}
    for chunk, marks in in_chunks(keys):
        for key, name, label in con.execute(f"SELECT key, name, label FROM entities WHERE key IN ({marks})", chunk):
            out[key] = (name, label, {})
        for key, label, weight in con.execute(f"SELECT key, label, weight FROM entity_votes WHERE key IN ({marks})",
                                              chunk):
            out.setdefault(key, (None, None, {}))[2][label] = weight
    return out


def alias_targets(con: sqlite3.Connection, keys: list[str]) -> dict[str, dict[str, float]]:
    """short key -> {fuller key: weight} for the keys that have links."""
    out: dict[str, dict[str, float]] = {}
    for chunk, marks in in_chunks(keys):
        for key, target, weight in con.execute(
                f"SELECT key, target, weight FROM entity_aliases WHERE key IN ({marks})", chunk):
            out.setdefault(key, {})[target] = weight
    return out


def surface_entities(con: sqlite3.Connection, texts: list[str]) -> dict[str, dict[int, tuple[str, int]]]:
    out: dict[str, dict[int, tuple[str, int]]] = {}
    for chunk, marks in in_chunks(texts):
        for text, eid, label, n in con.execute(
                f"SELECT m.text, e.id, e.label, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id"
                f" WHERE m.text IN ({marks}) AND e.label NOT IN {VALUES_SQL} GROUP BY m.text, e.id", chunk):
            out.setdefault(text, {})[eid] = (label, n)
    return out


def mention_inputs(con: sqlite3.Connection) -> Iterator[tuple[int, str, list[tuple]]]:
    """(article id, text, [(mention id, sentence idx, start, end, text, spaCy label)]) per article, by id.

    Two ordered scans walked side by side (articles, mentions), not two queries per article."""
    articles = con.execute("SELECT id, text FROM articles ORDER BY id")
    mentions = iter(con.execute(
        'SELECT m.article_id, m.id, s.idx, m.start, m."end", m.text, COALESCE(m.label, e.label) FROM mentions m'
        " JOIN sentences s ON s.id = m.sentence_id JOIN entities e ON e.id = m.entity_id"
        " ORDER BY m.article_id, m.start, m.id"))
    pending = next(mentions, None)
    for article_id, text in articles:
        rows = []
        while pending is not None and pending[0] <= article_id:
            if pending[0] == article_id:
                rows.append(tuple(pending[1:]))
            pending = next(mentions, None)
        yield article_id, text, rows


def rebuild(con: sqlite3.Connection, keys: dict[int, str], entities: dict[str, tuple[str, str]],
            votes: dict[str, dict[str, float]], links: dict[str, dict[str, float]]) -> dict[str, int]:
    """Re-point every mention at the entity of its new key (mention id -> key; key -> (name, type)), keeping the
    ids of entities whose key survives, and rebuild counts, aliases, co-occurrence rows and votes."""
    con.execute("CREATE TEMP TABLE IF NOT EXISTS mention_keys (mention_id BIGINT PRIMARY KEY, key TEXT NOT NULL)")
    con.execute("DELETE FROM mention_keys")
    con.executemany("INSERT INTO mention_keys VALUES (?,?)", list(keys.items()))
    before = con.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
    con.executemany(
        "INSERT INTO entities (label, key, name, mentions, articles) VALUES (?,?,?,0,0)"
        " ON CONFLICT(key) DO UPDATE SET label = excluded.label, name = excluded.name",
        [(label, key, name) for key, (name, label) in entities.items()],
    )
    # An old entity's event arguments follow the new entity most of its mentions went to.
    con.execute("CREATE TEMP TABLE IF NOT EXISTS entity_moves (old BIGINT PRIMARY KEY, new BIGINT)")
    con.execute("DELETE FROM entity_moves")
    con.execute(
        "INSERT INTO entity_moves SELECT old, new FROM (SELECT m.entity_id AS old, e.id AS new,"
        " ROW_NUMBER() OVER (PARTITION BY m.entity_id ORDER BY COUNT(*) DESC, e.id) AS r"
        " FROM mentions m JOIN mention_keys k ON k.mention_id = m.id JOIN entities e ON e.key = k.key"
        " GROUP BY m.entity_id, e.id) AS ranked WHERE r = 1")
    con.execute("UPDATE mentions SET entity_id = (SELECT e.id FROM mention_keys k JOIN entities e ON e.key = k.key"
                " WHERE k.mention_id = mentions.id) WHERE id IN (SELECT mention_id FROM mention_keys)")
    con.execute("UPDATE event_arguments SET entity_id = (SELECT new FROM entity_moves WHERE old = entity_id)"
                " WHERE entity_id IN (SELECT old FROM entity_moves)")
    con.execute("DELETE FROM entity_articles")
    con.execute("INSERT INTO entity_articles (entity_id, article_id, mentions)"
                " SELECT entity_id, article_id, COUNT(*) FROM mentions GROUP BY entity_id, article_id")
    cooccurrence.rebuild(con)
    con.execute("DELETE FROM aliases")
    con.execute("INSERT INTO aliases (entity_id, alias, count) SELECT entity_id, text, COUNT(*) FROM mentions"
                " GROUP BY entity_id, text")
    con.execute("UPDATE event_arguments SET entity_id = NULL WHERE entity_id NOT IN"
                " (SELECT DISTINCT entity_id FROM mentions)")
    con.execute("DELETE FROM entities WHERE id NOT IN (SELECT DISTINCT entity_id FROM mentions)")
    con.execute("UPDATE entities SET mentions = (SELECT COALESCE(SUM(mentions), 0) FROM entity_articles ea"
                " WHERE ea.entity_id = entities.id), articles = (SELECT COUNT(*) FROM entity_articles ea"
                " WHERE ea.entity_id = entities.id)")
    con.execute("DELETE FROM entity_votes")
    con.executemany("INSERT INTO entity_votes (key, label, weight) VALUES (?,?,?)",
                    [(k, t, w) for k, by_type in votes.items() for t, w in by_type.items()])
    con.execute("DELETE FROM entity_aliases")
    con.executemany("INSERT INTO entity_aliases (key, target, weight) VALUES (?,?,?)",
                    [(k, t, w) for k, targets in links.items() for t, w in targets.items()])
    after = con.execute("SELECT COUNT(*) FROM entities").fetchone()[0]
    return {"entities_before": before, "entities_after": after, "mentions": len(keys)}


def set_kb_ids(con: sqlite3.Connection, links: dict[int, str | None]) -> int:
    """Attach (or with None, clear) the user's KB id of each entity id; returns how many entities it set."""
    con.executemany("UPDATE entities SET kb_id = ? WHERE id = ?", [(kb, eid) for eid, kb in links.items()])
    # counted, not the driver's rowcount: psycopg's executemany does not sum it
    return sum(con.execute(f"SELECT COUNT(*) FROM entities WHERE id IN ({marks})", chunk).fetchone()[0]
               for chunk, marks in in_chunks(list(links)))


class EntityMethods:
    """The EntityStore methods of a SQL store (both backends), for a class with `_read`, `_stream` and
    `_transaction` that hand the functions above a connection."""

    def entity_state(self, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict[str, float]]]:
        return self._read("reading entity state", entity_state, keys)

    def alias_targets(self, keys: list[str]) -> dict[str, dict[str, float]]:
        return self._read("reading entity links", alias_targets, keys)

    def surface_entities(self, texts: list[str]) -> dict[str, dict[int, tuple[str, int]]]:
        return self._read("reading mention entities", surface_entities, texts)

    def mention_inputs(self) -> Iterator[tuple[int, str, list[tuple]]]:
        yield from self._stream("reading mentions", mention_inputs)

    def rebuild_entities(self, keys: dict[int, str], entities: dict[str, tuple[str, str]],
                         votes: dict[str, dict[str, float]], links: dict[str, dict[str, float]]) -> dict[str, int]:
        with self._transaction("rebuilding entities") as con:
            return rebuild(con, keys, entities, votes, links)

    def set_kb_ids(self, links: dict[int, str | None]) -> int:
        with self._transaction("linking entities") as con:
            return set_kb_ids(con, links)
