"""Deleting an article with everything that hangs off it; runs inside the caller's write transaction.

Foreign keys cascade the rows owned by the article (sentences and their FTS rows through a trigger, mentions,
entity_articles, events and their arguments, sentence matches in both directions, article keys, signature and
duplicates, story membership); its sentences' band keys and n-gram seeds are deleted here (PostgreSQL keeps no
foreign key on them). What cascades cannot do is undo counters kept by other articles' writes: entity, alias and
co-occurrence counts, the story's size, dates and key entities. Those are done here first.
"""
from __future__ import annotations

import json
import sqlite3

from . import cooccurrence
from .sqlite_stories import rebuilt


def delete_article(con: sqlite3.Connection, article_id: int) -> bool:
    """Remove one article; False if there is no such article."""
    if con.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
        return False
    entities = con.execute(
        "SELECT ea.entity_id, ea.mentions, e.label, e.key FROM entity_articles ea JOIN entities e ON e.id = ea.entity_id"
        " WHERE ea.article_id = ?", (article_id,)).fetchall()
    aliases = con.execute("SELECT entity_id, text, COUNT(*) FROM mentions WHERE article_id = ? GROUP BY entity_id, text",
                          (article_id,)).fetchall()
    story = con.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
    event_types = _story_event_types(con, article_id)

    cooccurrence.remove_article(con, article_id)
    # PostgreSQL's postings have no foreign key to cascade (postgres_migrations/0016): both backends delete them
    # here, by the article's sentence id range first (an index range) and then exactly.
    for table in ("sentence_keys", "sentence_ngrams"):
        con.execute(f"DELETE FROM {table} WHERE sentence_id BETWEEN"
                    " (SELECT MIN(id) FROM sentences WHERE article_id = ?)"
                    " AND (SELECT MAX(id) FROM sentences WHERE article_id = ?)"
                    " AND sentence_id IN (SELECT id FROM sentences WHERE article_id = ?)", (article_id,) * 3)
    con.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    con.executemany("UPDATE entities SET mentions = mentions - ?, articles = articles - 1 WHERE id = ?",
                    [(n, eid) for eid, n, _, _ in entities])
    con.executemany("UPDATE aliases SET count = count - ? WHERE entity_id = ? AND alias = ?",
                    [(n, eid, text) for eid, text, n in aliases])
    ids = [eid for eid, *_ in entities]
    if ids:
        marks = ",".join("?" * len(ids))
        con.execute(f"DELETE FROM aliases WHERE entity_id IN ({marks}) AND count <= 0", ids)
        # An entity no article mentions any more goes, unless another article's event argument still points at it.
        con.execute(f"DELETE FROM aliases WHERE entity_id IN (SELECT id FROM entities WHERE id IN ({marks})"
                    " AND articles <= 0 AND id NOT IN (SELECT entity_id FROM event_arguments"
                    " WHERE entity_id IS NOT NULL))", ids)
        con.execute(f"DELETE FROM entities WHERE id IN ({marks}) AND articles <= 0"
                    " AND id NOT IN (SELECT entity_id FROM event_arguments WHERE entity_id IS NOT NULL)", ids)
    if story is not None:
        # Every entity of the article: only those the clusterer counted have story rows, the others match none.
        _leave_story(con, story[0], [(label, key) for _, _, label, key in entities], event_types)
    return True


def _story_event_types(con: sqlite3.Connection, article_id: int) -> list[str]:
    """The event types the article added to its story's counts: those of its story state (only the confidently
    reported ones, stories/labels.py); an article clustered before migration 0007 has no state and added all."""
    row = con.execute("SELECT state FROM story_article_state WHERE article_id = ?", (article_id,)).fetchone()
    if row is not None:
        return list(json.loads(row[0])["events"])
    return [r[0] for r in con.execute("SELECT DISTINCT type FROM events WHERE article_id = ?", (article_id,))]


def _leave_story(con: sqlite3.Connection, story_id: int, keys: list[tuple[str, str]], event_types: list[str]) -> None:
    """Take a deleted article out of its story's counters; a story left with no article is dropped.

    The story's term centroid, lead-embedding sum and term document frequencies keep the article's share (they
    are derived from its text, which is gone) until `newsgraph stories recluster` rebuilds them.
    """
    con.executemany("UPDATE story_events SET count = count - 1 WHERE story_id = ? AND type = ?",
                    [(story_id, t) for t in event_types])
    con.execute("DELETE FROM story_events WHERE story_id = ? AND count <= 0", (story_id,))
    con.executemany("UPDATE story_entities SET articles = articles - 1 WHERE story_id = ? AND label = ? AND key = ?",
                    [(story_id, label, key) for label, key in keys])
    con.execute("DELETE FROM story_entities WHERE story_id = ? AND articles <= 0", (story_id,))
    con.executemany("UPDATE story_df SET df = df - 1 WHERE kind = 'e' AND term = ?",
                    [(f"{label}:{key}",) for label, key in keys])
    con.execute("DELETE FROM story_df WHERE df <= 0")
    left = con.execute("SELECT COUNT(*), MIN(substr(a.date, 1, 10)), MAX(substr(a.date, 1, 10)) FROM story_articles sa"
                       " JOIN articles a ON a.id = sa.article_id WHERE sa.story_id = ?", (story_id,)).fetchone()
    if left[0] == 0:
        con.execute("DELETE FROM stories WHERE id = ?", (story_id,))
    else:
        con.execute("UPDATE stories SET articles = ?, first_date = COALESCE(?, first_date),"
                    " last_date = COALESCE(?, last_date) WHERE id = ?", (*left, story_id))
    con.execute("UPDATE story_meta SET value = value - 1 WHERE key = 'docs' AND value > 0")
    # A clusterer holding the index in memory must reload it.
    rebuilt(con)
