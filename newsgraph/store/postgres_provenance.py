"""PostgreSQL's provenance lookups for all the sentences of an article at once: a round trip to the server costs
what a lookup costs in SQLite's process, so `ingest` asks once per article, not once per sentence.

Each answers exactly what the per-sentence lookups of sqlite_provenance.py answer, ranked and cut the same way.
"""
from __future__ import annotations

from ..model import CandidateSentence, SeedCandidate
from .postgres_sql import Portable
from .sqlite_provenance import EXACT_WEIGHT, rank_seeded, seeded_sentences

# Per query sentence n: its band keys' postings summed (the exact key weighs EXACT_WEIGHT), the best `limit` kept.
# Each key's postings are a LATERAL lookup, so the plan is one index range read per key whatever the statistics.
_CANDIDATES = (
    "SELECT q.n, s.id, s.article_id, s.text, c.hits FROM unnest(?::int[], ?::bigint[]) AS q(n, exact)"
    " CROSS JOIN LATERAL (SELECT p.sentence_id, SUM(CASE WHEN p.key = q.exact THEN"
    f" {EXACT_WEIGHT} ELSE 1 END) AS hits FROM unnest(?::int[], ?::bigint[]) AS k(n, key)"
    " CROSS JOIN LATERAL (SELECT key, sentence_id FROM sentence_keys WHERE key = k.key) AS p WHERE k.n = q.n"
    " GROUP BY p.sentence_id ORDER BY hits DESC, p.sentence_id LIMIT ?) AS c"
    " JOIN sentences s ON s.id = c.sentence_id ORDER BY q.n, c.hits DESC, s.id")
# Each seed's postings cut at a limit: one indexed range read per seed.
_POSTINGS = ("SELECT p.key, x.sentence_id FROM unnest(?::bigint[]) AS p(key)"
             " CROSS JOIN LATERAL (SELECT sentence_id FROM sentence_ngrams WHERE key = p.key LIMIT ?) AS x")
_SENTENCES = 'SELECT id, article_id, idx, start, "end", text FROM sentences WHERE id = ANY(?::bigint[])'


def candidates_many(con: Portable, queries: list[tuple[list[int], int]],
                    limit: int) -> list[list[CandidateSentence]]:
    """sqlite_provenance.candidates for each (band keys, exact key), in one statement."""
    out: list[list[CandidateSentence]] = [[] for _ in queries]
    ns, keys = [], []
    for n, (own, _) in enumerate(queries):
        unique = list(dict.fromkeys(own))  # `key IN (...)` counts a repeated key once
        ns += [n] * len(unique)
        keys += unique
    if not keys:
        return out
    rows = con.execute(_CANDIDATES, (list(range(len(queries))), [exact for _, exact in queries], ns, keys, limit))
    for n, *row in rows:
        out[n].append(CandidateSentence(*row))
    return out


def seed_candidates_many(con: Portable, queries: list[list[int]], max_postings: int,
                         limit: int) -> list[list[SeedCandidate]]:
    """sqlite_provenance.seed_candidates for each list of seeds: the postings of every seed in one statement, the
    ranking here, then every chosen sentence in one more."""
    seeds = list(dict.fromkeys(k for keys in queries for k in keys))
    if not seeds:
        return [[] for _ in queries]
    postings: dict[int, list[int]] = {}
    for key, sid in con.execute(_POSTINGS, (seeds, max_postings + 1)):
        postings.setdefault(key, []).append(sid)
    best = [rank_seeded(postings, keys, max_postings, limit) for keys in queries]
    wanted = sorted({sid for b in best for sid, _ in b})
    rows = {r[0]: r for r in con.execute(_SENTENCES, (wanted,))} if wanted else {}
    return [seeded_sentences(rows, b) for b in best]
