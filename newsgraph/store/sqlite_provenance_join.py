"""SQL of whole-corpus provenance (`newsgraph batch --provenance join`): the index rows a Spark join reads, and the
matches it writes back. Portable SQL (both backends)."""
from __future__ import annotations

from collections.abc import Iterator

from ..model import ProvenanceData, SeedCandidate
from . import changes
from .sqlite_provenance import add_found



def pending(con) -> list[int]:
    """Ids of articles stored without their matches (keys only), oldest first."""
    return [r[0] for r in con.execute("SELECT article_id FROM provenance_pending ORDER BY article_id")]


def sentence_id_range(con) -> tuple[int, int]:
    row = con.execute("SELECT MIN(id), MAX(id) FROM sentences").fetchone()
    return (row[0] or 0, row[1] or 0)


INDEX_TABLES = {"bands": "sentence_keys", "seeds": "sentence_ngrams"}  # index name -> its table


def index_rows(con, index: str, first: int, last: int) -> Iterator[tuple[int, int, int]]:
    """(key, sentence id, article id) of the band keys ("bands") or n-gram seeds ("seeds") of sentences
    `first`..`last`."""
    if index not in INDEX_TABLES:
        raise ValueError(f"no provenance index {index!r}: bands or seeds")
    table = INDEX_TABLES[index]
    yield from con.execute(f"SELECT k.key, k.sentence_id, s.article_id FROM {table} k"
                           " JOIN sentences s ON s.id = k.sentence_id WHERE k.sentence_id BETWEEN ? AND ?",
                           (first, last))


def sentences_by_id(con, ids: list[int]) -> list[SeedCandidate]:
    """Sentences by id, without seeds, in no particular order."""
    out: list[SeedCandidate] = []
    for at in range(0, len(ids), 500):
        part = ids[at:at + 500]
        marks = ",".join("?" * len(part))
        out += [SeedCandidate(*r, seeds=frozenset()) for r in con.execute(
            f'SELECT id, article_id, idx, start, "end", text FROM sentences WHERE id IN ({marks})', part)]
    return out


def add_matches(con, found: list[tuple[int, ProvenanceData]]) -> None:
    """Each pending article's matches and near-duplicates (its keys and signature are stored already); it is
    pending no more."""
    touched: set[str] = set()
    for article_id, data in found:
        sentence_ids = [r[0] for r in con.execute("SELECT id FROM sentences WHERE article_id = ? ORDER BY idx",
                                                  (article_id,))]
        add_found(con, article_id, sentence_ids, data)
        con.execute("DELETE FROM provenance_pending WHERE article_id = ?", (article_id,))
        touched.add(f"article:{article_id}")
        touched.update(f"article:{m.other_article_id}" for m in data.matches)
        touched.update(f"article:{other}" for other, _ in data.duplicates)
    changes.touch(touched)
