"""Co-occurrence counts kept at write time (table `cooccurrences`, both directions) and the reads over them.

Portable SQL (both backends). Every writer of entity_articles calls one of the three write functions in the same
transaction, so the counts always equal what a self-join of entity_articles would give (`integrity` checks it).
"""
from __future__ import annotations

from collections.abc import Iterator

from ..records import Cooccurrence
from .sqlite_params import VALUES_SQL

# The ordered pairs of one article's entities (the WHERE also keeps SQLite's upsert parse unambiguous).
_PAIRS = ("FROM entity_articles x JOIN entity_articles y ON y.article_id = x.article_id"
          " AND y.entity_id != x.entity_id WHERE x.article_id = ?")


def add_article(con, article_id: int) -> None:
    """Count the article's entity pairs; after its entity_articles rows are written."""
    con.execute("INSERT INTO cooccurrences (entity_id, other_id, articles)"
                f" SELECT x.entity_id, y.entity_id, 1 {_PAIRS}"
                " ON CONFLICT (entity_id, other_id) DO UPDATE SET articles = cooccurrences.articles + 1",
                (article_id,))


def remove_article(con, article_id: int) -> None:
    """Uncount the article's entity pairs; before its entity_articles rows go."""
    con.execute(f"UPDATE cooccurrences SET articles = articles - 1 WHERE (entity_id, other_id) IN"
                f" (SELECT x.entity_id, y.entity_id {_PAIRS})",
                (article_id,))
    con.execute("DELETE FROM cooccurrences WHERE articles <= 0 AND entity_id IN"
                " (SELECT entity_id FROM entity_articles WHERE article_id = ?)", (article_id,))


def rebuild(con) -> None:
    """Recount every pair from entity_articles (after entities are merged or re-keyed)."""
    con.execute("DELETE FROM cooccurrences")
    con.execute("INSERT INTO cooccurrences (entity_id, other_id, articles)"
                " SELECT x.entity_id, y.entity_id, COUNT(*) FROM entity_articles x JOIN entity_articles y"
                " ON y.article_id = x.article_id AND y.entity_id != x.entity_id GROUP BY x.entity_id, y.entity_id")


def strongest(con, entity_id: int, limit: int, values: bool) -> list[tuple[int, int]]:
    """(other entity id, shared articles) of the entity's `limit` strongest links, most shared first, then by id.

    Two index walks in that order: the cost is `limit` rows each (plus skipped dates and sums), not the entity's
    size.
    """
    names_only = "" if values else f" JOIN entities x ON x.id = c.other_id AND x.label NOT IN {VALUES_SQL}"
    pairs = f"SELECT c.other_id, c.articles FROM cooccurrences c{names_only} WHERE c.entity_id = ?"
    # The ordered index holds the pairs of two or more articles (migration 0016); those of one article, most of
    # them, follow in id order from the primary key. The literal 2 lets both planners use the partial index.
    return [tuple(r) for r in con.execute(
        f"SELECT * FROM (SELECT * FROM ({pairs} AND c.articles >= 2 ORDER BY c.articles DESC, c.other_id LIMIT ?)"
        f" AS strong UNION ALL SELECT * FROM ({pairs} AND c.articles = 1 ORDER BY c.other_id LIMIT ?) AS once)"
        " AS p ORDER BY articles DESC, other_id LIMIT ?", (entity_id, limit, entity_id, limit, limit))]


def among(con, ids: list[int], min_articles: int = 1) -> list[Cooccurrence]:
    """Every pair of `ids` mentioned in a common article, a < b, by (a, b)."""
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = con.execute(f"SELECT entity_id, other_id, articles FROM cooccurrences WHERE entity_id IN ({marks})"
                       f" AND other_id IN ({marks}) AND entity_id < other_id AND articles >= ?"
                       " ORDER BY entity_id, other_id", [*ids, *ids, min_articles])
    return [Cooccurrence(*r) for r in rows]


def every_pair(con, min_articles: int, values: bool) -> Iterator[Cooccurrence]:
    """Every pair sharing at least `min_articles` articles, a < b, by (a, b); value entities only if `values`."""
    names_only = "" if values else (
        f" JOIN entities ea ON ea.id = c.entity_id AND ea.label NOT IN {VALUES_SQL}"
        f" JOIN entities eb ON eb.id = c.other_id AND eb.label NOT IN {VALUES_SQL}")
    rows = con.execute(f"SELECT c.entity_id, c.other_id, c.articles FROM cooccurrences c{names_only}"
                       " WHERE c.entity_id < c.other_id AND c.articles >= ? ORDER BY 1, 2", (min_articles,))
    return (Cooccurrence(*r) for r in rows)
