"""Same-day sources, on every backend: the earliest source is chosen by date, then content hash, then identity, in
byte order, never by row id, so stores that received the same articles in different orders (a sequential `ingest`,
Spark executors) give the same sources, links, originality and spans."""
from __future__ import annotations

from itertools import count

import psycopg
import pytest
from test_provenance_store import COPIED, article

from newsgraph.eval.provenance import to_article
from newsgraph.provenance.enrich import enrich
from newsgraph.provenance.trace import build_trace
from newsgraph.store import open_store

_db = count()
DAY = "2020-01-01"
# The same text at two addresses on one day: only the identity can tell them apart. Byte order puts "B" before
# "a" ("B" is 0x42); a language collation (en-US) puts "a" first.
TWIN_LINES = ["Airline adds routes", COPIED, "Tickets go on sale next week online."]
TWIN_UPPER, TWIN_LOWER = article("twin-B", DAY, TWIN_LINES), article("twin-a", DAY, TWIN_LINES)
# Another same-day source with other text: the content hash decides between it and the twins.
OTHER = article("other", DAY, ["Carrier expands network", COPIED, "Fares start at forty dollars each way."])
LATER = article("later", "2020-02-01", ["New flights announced", COPIED, "Local hotels expect more visitors soon."])
ORDERS = ([TWIN_LOWER, OTHER, TWIN_UPPER, LATER], [LATER, TWIN_UPPER, OTHER, TWIN_LOWER],
          [OTHER, TWIN_LOWER, LATER, TWIN_UPPER])


def precedence(a) -> tuple[str, str, str]:
    doc = to_article(a).doc
    return (doc.date, doc.content_hash, doc.identity)


def provenance_by_url(store, order) -> dict:
    """Everything provenance shows that depends on which article is earlier, keyed by URL (ids follow arrival)."""
    ids = {a.url: store.add_article(enrich(store, to_article(a))) for a in order}
    url = {i: u for u, i in ids.items()}
    traces = {}
    for u, i in ids.items():
        t = build_trace(store.article(i), store.sentence_matches(i))
        traces[u] = ([(s.kind, s.source and url[s.source.article_id]) for s in t.sentences],
                     [url[a.id] for a in t.sources], t.originality)
    return {
        "links": sorted((url[s.article_id], url[s.source_id], s.sentences) for s in store.source_links()),
        "originality": sorted((url[r.article.id], r.copied) for r in store.originality(limit=10)),
        "spans": sorted((url[s.article_id], s.sentence, url[s.source_article_id], s.source_sentence, s.kind)
                        for s in store.copied_spans()),
        "traces": traces,
    }


@pytest.fixture(params=["sqlite", "postgres"])
def new_store(request, tmp_path):
    """A function giving a fresh store: a SQLite file, or a new database in the session's PostgreSQL cluster."""
    opened = []

    def make():
        if request.param == "sqlite":
            target = str(tmp_path / f"ties{next(_db)}.db")
        else:
            target = request.getfixturevalue("pg_cluster").create_db(f"ties{next(_db)}")
        opened.append(open_store(target))
        return opened[-1]

    yield make
    for s in opened:
        s.close()


def test_same_day_sources_agree_whatever_the_arrival_order(new_store):
    seen = [provenance_by_url(new_store(), order) for order in ORDERS]
    assert seen[0] == seen[1] == seen[2]
    first = min((TWIN_UPPER, TWIN_LOWER, OTHER), key=precedence)
    twins = sorted((TWIN_UPPER, TWIN_LOWER), key=precedence)
    kinds, _, _ = seen[0]["traces"][LATER.url]
    assert kinds[1] == ("verbatim", first.url)  # the copied sentence's source: the first by the rule
    assert twins[0].url == TWIN_UPPER.url  # byte order: "B" before "a"
    assert seen[0]["traces"][twins[1].url][2] < 1.0  # the later twin copies ...
    assert seen[0]["traces"][twins[0].url][0][2] == ("original", None)  # ... the earlier one, not the reverse
    assert (LATER.url, first.url, 1) in seen[0]["links"]


def test_a_language_collation_still_orders_sources_byte_by_byte(pg_cluster, tmp_path):
    """A PostgreSQL database created with an ICU en-US collation orders "a" before "B"; the sources must not."""
    url = pg_cluster.create_db(f"ties_icu{next(_db)}", "--template=template0", "--locale-provider=icu",
                               "--icu-locale=en-US")
    with psycopg.connect(url) as con:
        assert con.execute("SELECT 'twin-a' < 'twin-B'").fetchone()[0]  # the locale is in effect
    pg = open_store(url)
    lite = open_store(str(tmp_path / "bytes.db"))
    try:
        got = provenance_by_url(pg, [TWIN_LOWER, LATER, TWIN_UPPER])
        assert got == provenance_by_url(lite, [TWIN_LOWER, LATER, TWIN_UPPER])
    finally:
        pg.close()
        lite.close()
    kinds, _, _ = got["traces"][LATER.url]
    assert kinds[1] == ("verbatim", TWIN_UPPER.url)
    assert (TWIN_LOWER.url, TWIN_UPPER.url, 3) in got["links"]
    assert not any(link[:2] == (TWIN_UPPER.url, TWIN_LOWER.url) for link in got["links"])
