"""How PostgreSQL's connection adapter turns an executemany into one INSERT ... SELECT FROM unnest (no server)."""
from __future__ import annotations

from newsgraph.store.postgres_sql import _bulk_plan, to_psycopg

TYPES = {"story_df": {"kind": "text", "term": "text", "df": "integer", "version": "bigint"}}


def test_a_plain_insert_becomes_one_statement_over_arrays_with_its_constants_kept():
    plan = _bulk_plan("INSERT INTO story_df (kind, term, df, version) VALUES (?,?,1,?)"
                      " ON CONFLICT(kind, term) DO UPDATE SET df = story_df.df + 1")
    sql, params = plan.statement(TYPES["story_df"], [("t", "a", 3), ("t", "b", 3)])
    assert sql.startswith("INSERT INTO story_df (kind, term, df, version) SELECT p0, p1, 1, p2 FROM"
                          " unnest(%s::text[], %s::text[], %s::bigint[])")
    assert params == [["t", "t"], ["a", "b"], [3, 3]]
    # DO UPDATE may not touch a row twice in one statement: rows sharing a conflict key go one by one
    assert plan.fits([("t", "a", 3), ("t", "b", 3)]) and not plan.fits([("t", "a", 3), ("t", "a", 4)])
    assert plan.knows(TYPES["story_df"]) and not plan.knows({"kind": "text"})


def test_what_is_not_a_plain_insert_goes_row_by_row():
    assert _bulk_plan("UPDATE entities SET label = ? WHERE key = ?") is None
    assert _bulk_plan("INSERT INTO mention_keys VALUES (?,?)") is None  # no column list: no types to cast to
    assert _bulk_plan("INSERT INTO t (a, b) VALUES (?, (SELECT 1))") is None
    assert _bulk_plan("INSERT INTO t (a) VALUES (?) ON CONFLICT DO UPDATE SET a = ?") is None
    nothing = _bulk_plan("INSERT INTO t (a, b) VALUES (?,?) ON CONFLICT DO NOTHING")
    assert nothing is not None and nothing.fits([(1, 2), (1, 2)])  # DO NOTHING keeps the first, as row by row


def test_byte_order_collation_becomes_c():
    """SQLite's BINARY compares bytes; PostgreSQL's "C" does too, whatever the database's locale."""
    assert to_psycopg("SELECT 1 ORDER BY a.identity COLLATE BINARY, x = ?") == \
        'SELECT 1 ORDER BY a.identity COLLATE "C", x = %s'
