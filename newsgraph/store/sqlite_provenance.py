"""SQL of the provenance feature: band-key lookups, match storage, copy families and originality."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from ..model import (
    ArticleSummary,
    CandidateSentence,
    MatchRow,
    OriginalityRow,
    ProvenanceData,
    SeedCandidate,
)
from ..model.provenance import UNDATED, precedence
from ..records import CopiedSpan
from .sqlite_params import in_chunks

_ARTICLE_COLS = "a.id, a.url, a.title, a.date, a.site"


def _precedence(t: str) -> tuple[str, str, str]:
    """model.precedence of article alias `t` in SQL, compared byte by byte (postgres_sql makes BINARY "C"): a
    language collation would order identities differently from Python and from the other backend."""
    return (f"COALESCE({t}.date, '{UNDATED}') COLLATE BINARY", f"{t}.content_hash COLLATE BINARY",
            f"{t}.identity COLLATE BINARY")


def _before(x: str, y: str) -> str:
    """SQL: article `x` precedes article `y` (the earlier one is the source)."""
    # a row-value comparison is lexicographic, element by element, with each element's collation (both backends)
    return f"(({', '.join(_precedence(x))}) < ({', '.join(_precedence(y))}))"


_ORDER = ", ".join(_precedence("b"))  # earliest first
_EARLIER = _before("b", "a")  # the other article b precedes article a
EXACT_WEIGHT = 1000  # an exact-text key outranks any number of LSH band hits
SEEDS_PER_STATEMENT = 200  # seeds looked up in one statement (a sentence has a few dozen)


def candidates_sql(n_keys: int) -> str:
    """The candidate lookup for `n_keys` band keys (parameters: the exact key, the keys, the limit)."""
    marks = ",".join("?" * n_keys)
    return (f"SELECT s.id, s.article_id, s.text, c.hits FROM (SELECT sentence_id,"
            f" SUM(CASE WHEN key = ? THEN {EXACT_WEIGHT} ELSE 1 END) AS hits FROM sentence_keys"
            f" WHERE key IN ({marks}) GROUP BY sentence_id ORDER BY hits DESC, sentence_id LIMIT ?) c"
            " JOIN sentences s ON s.id = c.sentence_id ORDER BY c.hits DESC, s.id")


def candidates(con: sqlite3.Connection, keys: list[int], exact: int, limit: int) -> list[CandidateSentence]:
    """Stored sentences sharing band keys with a query sentence, most shared first (indexed lookups only)."""
    if not keys:
        return []
    rows = con.execute(candidates_sql(len(keys)), (exact, *keys, limit)).fetchall()
    return [CandidateSentence(*r) for r in rows]


def seed_postings_sql(n_keys: int) -> str:
    """The postings of `n_keys` seeds, each cut at a limit, in one statement (parameters: key, limit per seed):
    one indexed range read per seed, never a scan, and one round trip."""
    return " UNION ALL ".join(f"SELECT * FROM (SELECT key, sentence_id FROM sentence_ngrams WHERE key = ? LIMIT ?)"
                              f" AS p{i}" for i in range(n_keys))


def seed_candidates(con: sqlite3.Connection, keys: list[int], max_postings: int, limit: int) -> list[SeedCandidate]:
    """Stored sentences sharing n-gram seeds, most seeds first; a seed held by more than `max_postings` sentences
    is a stock phrase and is skipped."""
    keys = list(dict.fromkeys(keys))
    best = rank_seeded(seed_postings(con, keys, max_postings), keys, max_postings, limit)
    return seeded_sentences(sentences_by_ids(con, [sid for sid, _ in best]), best)


def seed_postings(con: sqlite3.Connection, keys: list[int], max_postings: int) -> dict[int, list[int]]:
    """key -> sentence ids holding it, cut at `max_postings` + 1 (enough to tell a stock phrase)."""
    postings: dict[int, list[int]] = {}
    for at in range(0, len(keys), SEEDS_PER_STATEMENT):
        part = keys[at:at + SEEDS_PER_STATEMENT]
        for key, sid in con.execute(seed_postings_sql(len(part)), [v for k in part for v in (k, max_postings + 1)]):
            postings.setdefault(key, []).append(sid)
    return postings


def rank_seeded(postings: dict[int, list[int]], keys: list[int], max_postings: int,
                limit: int) -> list[tuple[int, frozenset[int]]]:
    """(sentence id, the seeds of `keys` it shares) of the `limit` sentences sharing most, ties to the lower id;
    `postings` may hold other keys too (several sentences' seeds looked up at once)."""
    shared: dict[int, set[int]] = {}
    for key in dict.fromkeys(keys):
        posting = postings.get(key, ())
        if len(posting) <= max_postings:
            for sid in posting:
                shared.setdefault(sid, set()).add(key)
    return [(sid, frozenset(shared[sid])) for sid in sorted(shared, key=lambda sid: (-len(shared[sid]), sid))[:limit]]


def sentences_by_ids(con: sqlite3.Connection, ids: list[int]) -> dict[int, tuple]:
    """id -> (id, article id, index, start, end, text) of the stored sentences among `ids`."""
    out = {}
    for chunk, marks in in_chunks(ids):
        for r in con.execute(f'SELECT id, article_id, idx, start, "end", text FROM sentences WHERE id IN ({marks})',
                             chunk):
            out[r[0]] = r
    return out


def seeded_sentences(rows: dict[int, tuple], best: list[tuple[int, frozenset[int]]]) -> list[SeedCandidate]:
    return [SeedCandidate(*rows[sid], seeds=seeds) for sid, seeds in best if sid in rows]


def candidates_many(con: sqlite3.Connection, queries: list[tuple[list[int], int]],
                    limit: int) -> list[list[CandidateSentence]]:
    """`candidates` of several sentences ((keys, exact key) each): in process, one lookup each costs little."""
    return [candidates(con, keys, exact, limit) for keys, exact in queries]


def seed_candidates_many(con: sqlite3.Connection, queries: list[list[int]], max_postings: int,
                         limit: int) -> list[list[SeedCandidate]]:
    return [seed_candidates(con, keys, max_postings, limit) for keys in queries]


def sentences_at(con: sqlite3.Connection, article_id: int, indices: list[int]) -> list[SeedCandidate]:
    """Sentences of an article by index (the neighbours of a candidate), without seeds."""
    if not indices:
        return []
    marks = ",".join("?" * len(indices))
    rows = con.execute(f'SELECT id, article_id, idx, start, "end", text FROM sentences WHERE article_id = ?'
                       f" AND idx IN ({marks}) ORDER BY idx", (article_id, *indices)).fetchall()
    return [SeedCandidate(*r, seeds=frozenset()) for r in rows]


def article_candidates(con: sqlite3.Connection, keys: list[int]) -> list[tuple[int, bytes]]:
    """(article id, MinHash signature) of stored articles sharing a band key."""
    if not keys:
        return []
    marks = ",".join("?" * len(keys))
    return con.execute(
        f"SELECT g.article_id, g.signature FROM article_signatures g WHERE g.article_id IN"
        f" (SELECT DISTINCT article_id FROM article_keys WHERE key IN ({marks}))", keys).fetchall()


def add_provenance(con: sqlite3.Connection, article_id: int, sentence_ids: list[int], data: ProvenanceData) -> None:
    """Write a new article's keys, its matches in both directions and its near-duplicates."""
    # The article is new, so only its own repeated keys could collide: dropped here, the inserts need no ON CONFLICT
    # (which costs PostgreSQL an index probe per row).
    con.executemany("INSERT INTO sentence_keys (key, sentence_id) VALUES (?,?)",
                    list(dict.fromkeys((key, sentence_ids[i]) for i, key in data.sentence_keys)))
    con.executemany("INSERT INTO sentence_ngrams (key, sentence_id) VALUES (?,?)",
                    list(dict.fromkeys((key, sentence_ids[i]) for i, key in data.ngram_keys)))
    con.executemany("INSERT INTO article_keys (key, article_id) VALUES (?,?)",
                    [(key, article_id) for key in dict.fromkeys(data.article_keys)])
    con.execute("INSERT INTO article_signatures (article_id, signature) VALUES (?,?)", (article_id, data.signature))
    if data.pending:
        con.execute("INSERT INTO provenance_pending (article_id) VALUES (?)", (article_id,))
    add_found(con, article_id, sentence_ids, data)


def add_found(con: sqlite3.Connection, article_id: int, sentence_ids: list[int], data: ProvenanceData) -> None:
    """Write an article's matches in both directions and its near-duplicates."""
    rows = []
    for m in data.matches:
        sid = sentence_ids[m.sentence]
        span, source = m.span or (None, None), m.source_span or (None, None)
        rows.append((sid, m.other_sentence_id, article_id, m.other_article_id, m.kind, m.similarity,
                     *span, *source, m.share))
        rows.append((m.other_sentence_id, sid, m.other_article_id, article_id, m.kind, m.similarity,
                     *source, *span, m.source_share))
    con.executemany("INSERT INTO sentence_matches (sentence_id, other_id, article_id, other_article_id, kind,"
                    " similarity, span_start, span_end, source_start, source_end, share)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(sentence_id, other_id) DO UPDATE SET"
                    " article_id = excluded.article_id, other_article_id = excluded.other_article_id,"
                    " kind = excluded.kind, similarity = excluded.similarity, span_start = excluded.span_start,"
                    " span_end = excluded.span_end, source_start = excluded.source_start,"
                    " source_end = excluded.source_end, share = excluded.share", rows)
    con.executemany("INSERT INTO article_duplicates (article_id, other_article_id, similarity) VALUES (?,?,?)"
                    " ON CONFLICT(article_id, other_article_id) DO UPDATE SET similarity = excluded.similarity",
                    [r for other, sim in data.duplicates for r in ((article_id, other, sim), (other, article_id, sim))])


def match_rows(con: sqlite3.Connection, article_id: int) -> list[MatchRow]:
    """Every stored match of the article's sentences, with the other article."""
    rows = con.execute(
        "SELECT s.idx, b.id, b.url, b.title, b.date, b.site, m.kind, m.similarity, o.text, m.span_start, m.span_end,"
        " m.source_start, m.source_end, m.share, o.idx, o.start, b.content_hash, b.identity,"
        f" CASE WHEN {_EARLIER} THEN 1 ELSE 0 END FROM sentence_matches m"
        " JOIN sentences s ON s.id = m.sentence_id JOIN sentences o ON o.id = m.other_id"
        " JOIN articles a ON a.id = m.article_id JOIN articles b ON b.id = m.other_article_id WHERE m.article_id = ?"
        f" ORDER BY s.idx, {_ORDER}", (article_id,)).fetchall()
    return [MatchRow(sentence=r[0], article=ArticleSummary(*r[1:6]), kind=r[6], similarity=r[7], other_sentence=r[8],
                     span=None if r[9] is None else (r[9], r[10]),
                     source_span=None if r[11] is None else (r[11], r[12]),
                     share=r[13], other_index=r[14], other_start=r[15],
                     precedence=precedence(r[4], r[16], r[17]), earlier=bool(r[18]))
            for r in rows]


def summaries(con: sqlite3.Connection, ids: list[int]) -> list[ArticleSummary]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    rows = con.execute(f"SELECT {_ARTICLE_COLS} FROM articles a WHERE a.id IN ({marks})"
                       f" ORDER BY {', '.join(_precedence('a'))}", ids).fetchall()
    return [ArticleSummary(*r) for r in rows]


def copy_family(con: sqlite3.Connection, article_id: int, limit: int) -> list[int]:
    """Ids of the articles connected to this one through copied (non-paraphrase) sentences."""
    seen, frontier = {article_id}, [article_id]
    while frontier and len(seen) < limit:
        current = frontier.pop()
        for (other,) in con.execute("SELECT DISTINCT other_article_id FROM sentence_matches"
                                    " WHERE article_id = ? AND kind != 'paraphrase'", (current,)):
            if other not in seen:
                seen.add(other)
                frontier.append(other)
    return sorted(seen)


def duplicates(con: sqlite3.Connection, article_id: int) -> list[tuple[int, float]]:
    return con.execute("SELECT other_article_id, similarity FROM article_duplicates WHERE article_id = ?"
                       " ORDER BY similarity DESC, other_article_id", (article_id,)).fetchall()


def originality(con: sqlite3.Connection, by_site: bool, limit: int, least_first: bool) -> list[OriginalityRow]:
    """Articles (or sites) ranked by originality: 1 - (copied words' share summed over sentences) / sentences.

    A sentence counts by its largest single copied share (1 for a whole copy); the trace unions partial spans."""
    per_article = (
        f"SELECT {_ARTICLE_COLS}, COUNT(s.id) AS n, COALESCE(SUM((SELECT MAX(m.share) FROM sentence_matches m"
        " JOIN articles b ON b.id = m.other_article_id WHERE m.sentence_id = s.id AND m.kind != 'paraphrase'"
        f" AND {_EARLIER})), 0) AS copied FROM articles a JOIN sentences s ON s.article_id = a.id GROUP BY a.id")
    order = "ASC" if least_first else "DESC"
    if by_site:
        rows = con.execute(
            f"SELECT COALESCE(site, '(no site)'), CAST(SUM(n) AS BIGINT), SUM(copied)"
            f" FROM ({per_article}) AS per_article GROUP BY 1"
            f" ORDER BY 1.0 * (SUM(n) - SUM(copied)) / SUM(n) {order}, SUM(n) DESC LIMIT ?", (limit,)).fetchall()
        return [OriginalityRow(name=r[0], article=None, sentences=r[1], copied=round(r[2], 4),
                               originality=round((r[1] - r[2]) / r[1], 4)) for r in rows]
    rows = con.execute(f"SELECT * FROM ({per_article}) AS per_article"
                       f" ORDER BY 1.0 * (n - copied) / n {order}, id LIMIT ?",
                       (limit,)).fetchall()
    return [OriginalityRow(name=r[2] or r[1] or str(r[0]), article=ArticleSummary(*r[:5]), sentences=r[5],
                           copied=round(r[6], 4), originality=round((r[5] - r[6]) / r[5], 4)) for r in rows]


def source_links(con: sqlite3.Connection):
    """(article id, source article id, sentences): each copied sentence counted once, at its earliest source."""
    return con.execute(
        "SELECT article_id, source_id, COUNT(*) FROM (SELECT m.sentence_id, m.article_id,"
        " b.id AS source_id, ROW_NUMBER() OVER (PARTITION BY m.sentence_id"
        f" ORDER BY {_ORDER}) AS rank FROM sentence_matches m"
        " JOIN articles a ON a.id = m.article_id JOIN articles b ON b.id = m.other_article_id"
        f" WHERE m.kind != 'paraphrase' AND {_EARLIER}) AS ranked WHERE rank = 1 GROUP BY article_id, source_id"
        " ORDER BY article_id, source_id")


def copied_spans(con: sqlite3.Connection) -> Iterator[CopiedSpan]:
    """Every copy match from an earlier article, with its spans (whole sentences for whole-sentence kinds)."""
    rows = con.execute(
        "SELECT m.article_id, s.idx, m.other_article_id, o.idx, m.kind, m.similarity, m.share,"
        " COALESCE(m.span_start, 0), COALESCE(m.span_end, LENGTH(s.text)), COALESCE(m.source_start, 0),"
        " COALESCE(m.source_end, LENGTH(o.text)) FROM sentence_matches m"
        " JOIN sentences s ON s.id = m.sentence_id JOIN sentences o ON o.id = m.other_id"
        " JOIN articles a ON a.id = m.article_id JOIN articles b ON b.id = m.other_article_id"
        f" WHERE m.kind != 'paraphrase' AND {_EARLIER} ORDER BY m.article_id, s.idx, m.other_article_id, o.idx")
    return (CopiedSpan(*r) for r in rows)
