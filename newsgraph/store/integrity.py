"""Consistency checks a store runs on itself: every counter equals what its rows add up to, nothing is orphaned.

The SQL is portable (SQLite and PostgreSQL); the story-event check differs only in how each reads a JSON array.
"""
from __future__ import annotations

CHECKS = {
    "entity counters differ from their article rows":
        "SELECT e.id FROM entities e LEFT JOIN (SELECT entity_id, COUNT(*) AS n, SUM(mentions) AS m"
        " FROM entity_articles GROUP BY entity_id) c ON c.entity_id = e.id"
        " WHERE e.articles != COALESCE(c.n, 0) OR e.mentions != COALESCE(c.m, 0)",
    "entities no article mentions and no event argument points at":
        "SELECT id FROM entities WHERE articles <= 0 AND id NOT IN"
        " (SELECT entity_id FROM event_arguments WHERE entity_id IS NOT NULL)",
    "alias counters differ from their mentions":
        "SELECT a.entity_id FROM aliases a LEFT JOIN (SELECT entity_id, text, COUNT(*) AS n FROM mentions"
        " GROUP BY entity_id, text) m ON m.entity_id = a.entity_id AND m.text = a.alias"
        " WHERE a.count != COALESCE(m.n, 0)",
    "aliases no mention uses":
        "SELECT entity_id FROM aliases WHERE count <= 0",
    "mentions without an alias row":
        "SELECT m.id FROM mentions m LEFT JOIN aliases a ON a.entity_id = m.entity_id AND a.alias = m.text"
        " WHERE a.entity_id IS NULL",
    "story sizes differ from their members":
        "SELECT s.id FROM stories s LEFT JOIN (SELECT story_id, COUNT(*) AS n FROM story_articles GROUP BY story_id) m"
        " ON m.story_id = s.id WHERE m.n IS NULL OR s.articles != m.n",
    "story members of no story":
        "SELECT sa.article_id FROM story_articles sa LEFT JOIN stories s ON s.id = sa.story_id WHERE s.id IS NULL",
    "the clustered-article counter differs from the story members":
        "SELECT value FROM story_meta WHERE key = 'docs' AND value != (SELECT COUNT(*) FROM story_articles)",
    "sentence matches naming a missing article":
        "SELECT m.sentence_id FROM sentence_matches m LEFT JOIN articles a ON a.id = m.article_id"
        " LEFT JOIN articles b ON b.id = m.other_article_id WHERE a.id IS NULL OR b.id IS NULL",
    "band keys of a missing sentence":
        "SELECT k.sentence_id FROM sentence_keys k LEFT JOIN sentences s ON s.id = k.sentence_id WHERE s.id IS NULL",
    "n-gram seeds of a missing sentence":
        "SELECT k.sentence_id FROM sentence_ngrams k LEFT JOIN sentences s ON s.id = k.sentence_id WHERE s.id IS NULL",
}

_PAIRS = ("SELECT x.entity_id, y.entity_id, COUNT(*) FROM entity_articles x JOIN entity_articles y"
          " ON y.article_id = x.article_id AND y.entity_id != x.entity_id GROUP BY x.entity_id, y.entity_id")
_KEPT = "SELECT entity_id, other_id, articles FROM cooccurrences"
CHECKS["co-occurrence counts differ from the articles' entity pairs (entity ids)"] = f"{_PAIRS} EXCEPT {_KEPT}"
CHECKS["co-occurrence counts no article pair backs (entity ids)"] = f"{_KEPT} EXCEPT {_PAIRS}"

# story_events counts, per story and type, the member articles whose story state lists that type
_COUNTED = "SELECT story_id, type, count FROM story_events"
_ACTUAL = ("SELECT sa.story_id, t.value, COUNT(*) FROM story_articles sa JOIN story_article_state st"
           " ON st.article_id = sa.article_id, {each} GROUP BY 1, 2")
_EACH = {"sqlite": "json_each(st.state, '$.events') AS t",
         "postgres": "json_array_elements_text(st.state::json -> 'events') AS t(value)"}


def _state_events(dialect: str) -> list[str]:
    actual = _ACTUAL.format(each=_EACH[dialect])
    return [f"{_COUNTED} EXCEPT {actual}", f"{actual} EXCEPT {_COUNTED}"]


def problems(con, dialect: str) -> list[str]:
    """One line per failed check, naming a few of the rows at fault."""
    found = []
    events = "story event counts differ from their members' states"
    for what, sql in [*CHECKS.items(), *((events, q) for q in _state_events(dialect))]:
        rows = con.execute(sql).fetchmany(6)
        if rows:
            found.append(f"{what}: {', '.join(str(r[0]) for r in rows[:5])}{' ...' if len(rows) > 5 else ''}")
    return found
