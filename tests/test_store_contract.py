"""One store suite, run against every backend (SQLite and a throwaway PostgreSQL): the `Store` contract.

Only the public store API is used: no test opens a private connection, so a third backend runs it unchanged.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from io import StringIO
from itertools import count

import pytest

from newsgraph import export
from newsgraph.errors import NotFound, QueryError
from newsgraph.eval.provenance import to_article
from newsgraph.model import AnnotatedArticle, IngestError, Resolution
from newsgraph.provenance.enrich import enrich as provenance
from newsgraph.provenance.enrich import prepare
from newsgraph.provenance.ngrams import seed_keys
from newsgraph.records import (
    AliasRow,
    ArticleRow,
    EntityArticleRow,
    EntityRow,
    MentionRow,
    SentenceRow,
    StoryArticleRow,
    StoryRow,
)
from newsgraph.store import open_store
from newsgraph.stories.cluster import Params
from newsgraph.stories.enrich import StoryEnricher
from newsgraph.stories.recluster import recluster
from test_provenance_partial import COPIER, LIFTED, SOURCE, WUZHEN
from test_provenance_partial import COPY as PARTIAL_COPY
from test_provenance_store import COPIED, COPY, ORIGIN, article
from test_store_sqlite import make_article

_db = count()


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    """Where a fresh store lives: a SQLite file, or a new database in the session's PostgreSQL cluster."""
    if request.param == "sqlite":
        return str(tmp_path / "contract.db")
    return request.getfixturevalue("pg_cluster").create_db(f"contract{next(_db)}")


@pytest.fixture()
def store(target):
    s = open_store(target)
    yield s
    s.close()


def make(url: str, lines: list[str], mentions=(), date: str | None = None) -> AnnotatedArticle:
    """An article with one sentence per line; mentions as (surface, label, key, name), found in the text."""
    return make_article(url, "\n".join(lines), mentions, title=lines[0], date=date)


APPLE = ("Apple", "ORG", "apple", "Apple")
SAMSUNG = ("Samsung Electronics", "ORG", "samsung", "Samsung")
SEOUL = ("Seoul", "GPE", "seoul", "Seoul")


def consistent(store) -> None:
    """Every counter equals what its rows add up to (entities, aliases, stories), and no row is orphaned."""
    articles = {a.id for a in store.export(ArticleRow)}
    mentions = list(store.export(MentionRow))
    per_entity = Counter(m.entity_id for m in mentions)
    links = list(store.export(EntityArticleRow))
    assert {m.article_id for m in mentions} <= articles and {x.article_id for x in links} <= articles
    for e in store.export(EntityRow):
        assert e.mentions == per_entity[e.id], e
        assert e.articles == sum(1 for x in links if x.entity_id == e.id), e
    aliases = Counter((m.entity_id, m.text) for m in mentions)
    assert {(a.entity_id, a.alias): a.count for a in store.export(AliasRow)} == dict(aliases)
    members = Counter(m.story_id for m in store.export(StoryArticleRow))
    assert {s.id: s.articles for s in store.export(StoryRow)} == dict(members)
    assert store.check() == []
    stats = store.stats()
    assert stats.articles == len(articles) and stats.mentions == len(mentions)
    assert stats.sentences == sum(1 for _ in store.export(SentenceRow))


def test_reingest_adds_nothing_twice(store):
    a = make("https://a.example/1", ["Apple and Samsung Electronics rule.", "Apple wins."], [APPLE, SAMSUNG])
    first = store.add_article(a)
    assert isinstance(first, int) and store.add_article(a) is None and store.has_article(a.doc.identity)
    s = store.stats()
    assert (s.articles, s.sentences, s.mentions, s.entities) == (1, 2, 2, 2)
    assert store.article(first).article.url == "https://a.example/1"
    assert store.article("https://a.example/1").article.id == first
    with pytest.raises(NotFound):
        store.article(first + 1000)
    consistent(store)


def test_entities_neighbours_mentions_and_cooccurrences(store):
    store.add_article(make("https://a.example/1", ["Samsung Electronics sells phones in Seoul."], [SAMSUNG, SEOUL],
                           date="2020-01-01"))
    store.add_article(make("https://a.example/2", ["Samsung and Apple compete."],
                           [("Samsung", "ORG", "samsung", "Samsung"), APPLE], date="2020-02-01"))
    [samsung] = store.find_entities("samsung electronics")
    assert (samsung.name, samsung.articles, samsung.mentions) == ("Samsung", 2, 2)
    assert set(samsung.aliases) == {"Samsung", "Samsung Electronics"}
    assert store.entity(samsung.id) == samsung
    assert sorted(n.entity.name for n in store.entity_neighbours(samsung.id)) == ["Apple", "Seoul"]
    assert [m.article.date for m in store.entity_mentions(samsung.id)] == ["2020-01-01", "2020-02-01"]
    assert [m.article.date for m in store.entity_mentions(samsung.id, oldest_first=False)] == ["2020-02-01",
                                                                                               "2020-01-01"]
    everything = sorted(store.cooccurrences())
    ids = [e.id for e in store.entities(limit=10)]
    assert sorted(store.cooccurrences(ids)) == everything and len(everything) == 2
    assert [e.name for e in store.entities(label="GPE")] == ["Seoul"]
    assert [a.url for a in store.articles(date_from="2020-02-01")] == ["https://a.example/2"]
    assert [a.url for a in store.articles(date_to="2020-01-01")] == ["https://a.example/1"]
    assert len(store.articles(entity_id=samsung.id)) == 2 and store.articles(site="nowhere") == []


def _pairs_from_rows(store) -> Counter:
    """Co-occurrence counts recomputed from the exported entity-article rows: what the kept counts must equal."""
    by_article: dict[int, set[int]] = {}
    for row in store.export(EntityArticleRow):
        by_article.setdefault(row.article_id, set()).add(row.entity_id)
    return Counter((a, b) for ids in by_article.values() for a in ids for b in ids if a < b)


def test_kept_cooccurrences_equal_a_recount_through_adds_and_deletes(store):
    """Co-occurrence counts are kept at write time: after every add and delete they equal a recount of the rows,
    neighbours come most shared first (ties by id) within the limit, and `cooccurrences(ids)` is the induced part."""
    people = [(f"Person{i}", "PERSON", f"p{i}", f"Person{i}") for i in range(6)]
    ids = []
    for i in range(8):
        chosen = [p for j, p in enumerate(people) if (i + j) % 3 != 0 or j == 0]
        ids.append(store.add_article(make(f"https://c.example/{i}", [" and ".join(p[0] for p in chosen) + "."],
                                          chosen)))
    for step in ("added", "deleted one", "deleted another"):
        expected = _pairs_from_rows(store)
        assert {(c.a, c.b): c.articles for c in store.cooccurrences(values=True)} == dict(expected), step
        [hub] = store.find_entities("Person0")
        around = sorted(((n, b if a == hub.id else a) for (a, b), n in expected.items() if hub.id in (a, b)),
                        key=lambda x: (-x[0], x[1]))
        assert [(n.articles, n.entity.id) for n in store.entity_neighbours(hub.id, limit=3)] == around[:3], step
        some = [hub.id] + [other for _, other in around[:3]]
        assert {(c.a, c.b): c.articles for c in store.cooccurrences(some)} == {
            k: v for k, v in expected.items() if k[0] in some and k[1] in some}, step
        consistent(store)
        if ids:
            store.delete_article(ids.pop(1))


def test_neighbours_rank_pairs_of_many_articles_before_pairs_of_one(store):
    """The ordered co-occurrence index holds only the pairs of two or more articles (migration 0016): neighbours
    still come most shared first, then the one-article pairs by id, cut at the limit."""
    hub = ("Hub", "PERSON", "hub", "Hub")
    others = [(f"Other{i}", "PERSON", f"o{i}", f"Other{i}") for i in range(8)]
    for n, chosen in enumerate([others[:3], [others[0], others[1], others[3]], [others[0], *others[4:]]]):
        store.add_article(make(f"https://n.example/{n}", [" and ".join(m[0] for m in [hub, *chosen]) + " met."],
                               [hub, *chosen]))
    [h] = store.find_entities("Hub")
    ids = {store.find_entities(f"Other{i}")[0].id: n for i, n in enumerate([3, 2, 1, 1, 1, 1, 1, 1])}
    ranked = sorted(((n, eid) for eid, n in ids.items()), key=lambda x: (-x[0], x[1]))
    for limit in (1, 2, 3, 5, 10):
        assert [(n.articles, n.entity.id) for n in store.entity_neighbours(h.id, limit=limit)] == ranked[:limit]
    consistent(store)


def test_every_write_logs_what_it_touched(store):
    """The change log a response cache reads: an article names itself and the stored entities it counts in (and
    "name:" those it renames), a re-ingest nothing, an error the error list, a delete everything (None); a
    version the log does not reach gives None."""
    store.add_article(make("https://t.example/0", ["Samsung Electronics opens a shop in Seoul."], [SAMSUNG, SEOUL]))
    [samsung] = store.find_entities("Samsung")
    v0 = store.version()
    a = make("https://t.example/1", ["Samsung and Apple sell phones."],
             [("Samsung", "ORG", "samsung", "Samsung"), APPLE])
    first = store.add_article(a)
    store.add_article(a)
    store.record_error(IngestError(item="x.html", stage="extract", message="no text"))
    renamed = store.add_article(make("https://t.example/2", ["Samsung Group grows."],
                                     [("Samsung Group", "ORG", "samsung", "Samsung Group")]))
    store.delete_article(first)
    [(v1, added), (v2, again), (v3, errors), (v4, renaming), (v5, deleted)] = store.changes_since(v0)
    assert (v1, v2, v3, v4, v5) == (v0 + 1, v0 + 2, v0 + 3, v0 + 4, v0 + 5) and v5 == store.version()
    assert added == {f"article:{first}", f"entity:{samsung.id}"}  # Apple is new: no stored page shows it yet
    assert renaming == {f"article:{renamed}", f"entity:{samsung.id}", f"name:{samsung.id}"}
    assert again == frozenset() and errors == frozenset({"errors"}) and deleted is None
    assert store.changes_since(store.version()) == [] and store.changes_since(v4) == [(v5, None)]
    assert store.changes_since(-5) is None  # before the log began


def test_delete_keeps_counters_equal_to_rows(store):
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.1))
    ids = []
    for i, lines in enumerate([["Samsung Electronics opens a plant in Seoul.", "Samsung hires workers."],
                               ["Samsung Electronics and Apple settle in Seoul."], ["Apple ships phones."]]):
        mentions = [m for m in (SAMSUNG, ("Samsung", "ORG", "samsung", "Samsung"), APPLE, SEOUL)
                    if m[0] in "\n".join(lines) and not (m[0] == "Samsung" and "Samsung Electronics" in lines[0])]
        a = make(f"https://d.example/{i}", lines, mentions, date=f"2020-01-0{i + 1}")
        ids.append(store.add_article(enrich(store, a)))
    consistent(store)
    before = store.version()
    store.delete_article(ids[1])
    assert store.version() > before
    consistent(store)
    with pytest.raises(NotFound):
        store.delete_article(ids[1])
    store.delete_article(ids[2])
    consistent(store)
    assert [e.name for e in store.find_entities("Apple")] == []  # no article mentions it any more


def test_provenance_earliest_source_under_any_order(store):
    later = article("later", "2020-03-01", ["Yet more flights", COPIED, "A third outlet repeats the news."])
    for order in ([COPY, later, ORIGIN], [ORIGIN, later, COPY]):
        ids = {}
        for a in order:
            ids[a.key] = store.add_article(provenance(store, to_article(a)))
        links = {(link.article_id, link.source_id) for link in store.source_links()}
        assert links == {(ids["copy"], ids["origin"]), (ids["later"], ids["origin"])}
        matches = store.sentence_matches(ids["copy"])
        assert {m.article.id for m in matches} == {ids["origin"], ids["later"]}
        assert ids["copy"] in store.copy_family(ids["origin"]) and store.near_duplicates(ids["copy"]) == []
        ranked = {r.article.id: r.copied for r in store.originality()}
        assert ranked[ids["origin"]] == 0 and ranked[ids["copy"]] == 1
        for aid in ids.values():
            store.delete_article(aid)
        assert list(store.source_links()) == []


def test_partial_copies_spans_and_seed_lookups(store):
    """Word n-gram seeds find a lifted clause; the match keeps its spans, originality counts the copied words."""
    source_id, copier_id = (store.add_article(provenance(store, to_article(a))) for a in (SOURCE, COPIER))
    found = store.seed_candidates(seed_keys(WUZHEN))
    assert found[0].article_id == source_id and found[0].index == 1 and found[0].text == WUZHEN
    assert found[0].seeds and found[0].seeds <= frozenset(seed_keys(WUZHEN))
    assert store.seed_candidates(seed_keys(WUZHEN), max_postings=0) == []  # every seed over the cap: a stock phrase
    assert [s.index for s in store.sentences_at(source_id, [3, 2, 9])] == [2, 3]
    assert store.sentences_at(source_id, []) == []
    partial = [m for m in store.sentence_matches(copier_id) if m.kind == "partial"]
    first = next(m for m in partial if m.sentence == 0)
    assert PARTIAL_COPY[slice(*first.span)] == LIFTED and WUZHEN[slice(*first.source_span)] == LIFTED
    assert first.other_index == 1 and first.other_start == store.article(source_id).sentences[1].start
    assert 0 < first.share < 1
    spans = [s for s in store.copied_spans() if s.article_id == copier_id]
    assert {(s.sentence, s.kind, s.source_sentence) for s in spans} == {(0, "partial", 1), (1, "partial", 2)}
    assert next(s for s in spans if s.sentence == 0)[7:] == (*first.span, *first.source_span)
    ranked = {r.article.id: r for r in store.originality()}
    assert 0 < ranked[copier_id].copied < 2 and isinstance(ranked[copier_id].copied, float)
    assert ranked[copier_id].originality == pytest.approx(1 - ranked[copier_id].copied / 3, abs=1e-4)
    by_site = store.originality(by_site=True)
    assert sum(r.copied for r in by_site) == pytest.approx(ranked[copier_id].copied, abs=1e-4)
    store.delete_article(source_id)  # its seeds and both directions of its matches go with it
    assert all(c.article_id != source_id for c in store.seed_candidates(seed_keys(WUZHEN)))
    assert store.sentence_matches(copier_id) == [] and list(store.copied_spans()) == []
    assert store.check() == []


def test_lookups_of_many_sentences_answer_as_one_at_a_time(store):
    """The per-article lookups (one round trip on a server) rank and cut exactly as the per-sentence ones."""
    later = article("later", "2020-03-01", ["Yet more flights", COPIED, "A third outlet repeats the news."])
    for a in (SOURCE, COPIER, ORIGIN, later):
        store.add_article(provenance(store, to_article(a)))
    queries = [s for a in (COPY, COPIER, SOURCE) for s in prepare(to_article(a)).sentences]
    whole = [(s.keys, s.keys[0]) for s in queries if s.keys]
    whole.append((whole[0][0] + whole[0][0][:3], whole[0][1]))  # a repeated key counts once, as `IN (...)` does
    seeded = [s.seeds for s in queries if s.seeds] + [[], seed_keys(WUZHEN) * 2]
    assert any(store.sentence_candidates(k, e) for k, e in whole) and any(store.seed_candidates(k) for k in seeded)
    for limit in (100, 1):
        assert store.sentence_candidates_many(whole, limit) == [store.sentence_candidates(k, e, limit)
                                                                 for k, e in whole]
    for max_postings, limit in ((100, 20), (1, 20), (100, 1), (0, 20)):
        assert store.seed_candidates_many(seeded, max_postings, limit) == [
            store.seed_candidates(k, max_postings, limit) for k in seeded]
    assert store.sentence_candidates_many([]) == [] and store.seed_candidates_many([[]]) == [[]]


STORM = ["storm flood river rain town", "storm flood river rain bridge", "flood river rain town bridge",
         "storm wind coast power rain", "storm wind coast power trees", "wind coast power trees rain",
         "storm flood wind coast rain"]


def test_story_repair_and_recluster(store):
    enrich = StoryEnricher(Params(entities=0.0, embedding=0.0, time=0.0, threshold=0.5, repair=0.5))
    article_of, rewrites = {}, 0
    for i in (6, 0, 3, 1, 4, 2, 5):  # the bridging article first: plain online glues both stories to it
        a = enrich(store, make(f"https://s.example/{i}", [STORM[i]]))
        rewrites += len(a.story.rewrites)
        article_of[i] = store.add_article(a)
    assert rewrites  # local repair moved members, through the store's rewrite path
    story = {m.article_id: m.story_id for m in store.export(StoryArticleRow)}
    first: dict[int, int] = {}
    assert tuple(first.setdefault(story[article_of[i]], len(first)) for i in range(7)) == (0, 0, 0, 1, 1, 1, 1)
    consistent(store)
    counts = recluster(store)
    assert counts["articles"] == 7 and counts["stories"] == len(list(store.export(StoryRow)))
    consistent(store)
    sid = store.article_story(article_of[0]).id
    assert len(store.story_members(sid)) == store.story(sid).articles
    with pytest.raises(NotFound):
        store.story(10_000)


SEARCH_CORPUS = [
    ["Samsung's chief executive met investors in Seoul.", "The merger talks were rumoured for weeks."],
    ["Apple's CEO spoke about mergers and acquisitions.", "The café on Main Street closed."],
    ["The U.S. regulator approved the merged company.", "Investors cheered the chief executive's plan."],
]
# query -> indices of SEARCH_CORPUS articles it must find (the documented syntax, identical on every backend)
SEARCH_CASES = {
    "samsung": {0}, "Chief Executive": {0, 2}, '"chief executive"': {0, 2}, '"executive chief"': set(),
    "merg*": {0, 1, 2}, "merger OR mergers": {0, 1}, "investors -seoul": {2}, "cafe": {1}, "café": {1},
    '"U.S." regulator': {2}, "CEO OR samsung -rumoured": {0, 1}, "Xiaomi": set(), "merg* NOT rumoured": {1, 2},
}


def test_search_means_the_same_on_every_backend(store):
    ids = [store.add_article(make(f"https://q.example/{i}", lines)) for i, lines in enumerate(SEARCH_CORPUS)]
    for query, expected in SEARCH_CASES.items():
        hits = store.search(query, limit=50)
        assert {ids.index(h.article.id) for h in hits} == expected, query
    [hit] = store.search('"chief executive" seoul')
    assert "\ue000" in hit.snippet and hit.sentence_index == 0
    for bad in ('"open', "-only", "a OR", "x*y", "  "):
        with pytest.raises(QueryError, match="search query"):
            store.search(bad)


def test_exports_are_typed_and_complete(store):
    store.add_article(make("https://e.example/1", ["Apple and Samsung Electronics rule.", "Apple wins."],
                           [APPLE, SAMSUNG]))
    out = StringIO()
    counts = export.write(store, "jsonl", out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    kinds = Counter(r["type"] for r in records)
    assert (kinds["article"], kinds["sentence"], kinds["entity"], kinds["mention"]) == (1, 2, 2, 2)
    assert counts["articles"] == 1 and counts["mentions"] == 2
    article_record = next(r for r in records if r["type"] == "article")
    assert list(article_record)[:4] == ["type", "id", "identity", "item"] and article_record["words"] == 7
    g = export.build_graph(store)
    assert g.number_of_nodes() == 3 and g.number_of_edges() == 3  # two entities, one article; 2 mentions + 1 pair



def test_entity_resolution_state_rebuild_and_kb_ids(store):
    """What entities/ reads and rewrites: per-key votes and types, short-form links, mention inputs, a rebuild,
    KB ids, and value entities left out of lists, neighbours and co-occurrences unless asked for."""
    resolved = Resolution(votes={"windows": {"ORG": 1.0, "PRODUCT": 2.0}, "date:friday": {"DATE": 1.0}},
                          types={"windows": "PRODUCT", "date:friday": "DATE"}, names={"windows": "Windows"},
                          links={"gates": {"bill gates": 1.0}})
    a = make("https://r.example/1", ["Windows ships on Friday.", "Apple and Windows."],
             [("Windows", "PRODUCT", "windows", "Windows"), ("Friday", "DATE", "date:friday", "Friday"), APPLE])
    a = replace(a, mentions=[replace(m, ner_label="ORG") if m.text == "Windows" else m for m in a.mentions],
                resolution=resolved)
    first = store.add_article(a)
    second = store.add_article(make("https://r.example/2", ["Windows 7 is out."],
                                    [("Windows", "ORG", "windows", "Windows")]))
    consistent(store)
    name, label, votes = store.entity_state(["windows", "nothing"])["windows"]
    assert (name, label, votes) == ("Windows", "ORG", {"ORG": 2.0, "PRODUCT": 2.0})  # the later write's type
    assert store.alias_targets(["gates", "bush"]) == {"gates": {"bill gates": 1.0}}
    [(etype, n)] = store.surface_entities(["Windows", "Friday"])["Windows"].values()
    assert (etype, n) == ("ORG", 2) and "Friday" not in store.surface_entities(["Friday"])  # names only
    assert [m.label for m in store.export(MentionRow)][:1] == ["ORG"]  # spaCy's label kept per mention

    # values: out of lists, neighbours and co-occurrences unless asked for
    [apple] = store.find_entities("Apple")
    assert {e.label for e in store.entities()} == {"ORG"} and "DATE" in {e.label for e in store.entities(values=True)}
    assert [n.entity.name for n in store.entity_neighbours(apple.id)] == ["Windows"]
    assert len(store.entity_neighbours(apple.id, values=True)) == 2
    assert len(list(store.cooccurrences())) == 1 and len(list(store.cooccurrences(values=True))) == 3

    inputs = list(store.mention_inputs())
    assert [(article_id, len(rows)) for article_id, _, rows in inputs] == [(first, 3), (second, 1)]
    assert inputs[0][1] == a.doc.text
    assert [(r[1], r[4], r[5]) for r in inputs[0][2]] == [(0, "Windows", "ORG"), (0, "Friday", "DATE"),
                                                          (1, "Apple", "ORG")]  # sentence, text, spaCy label
    # Rebuild: the second article's Windows becomes an entity of its own; Apple keeps its id.
    keys = {r[0]: {"Friday": "date:friday"}.get(r[4], r[4].lower()) for _, _, rows in inputs for r in rows}
    keys[inputs[1][2][0][0]] = "windows 7"
    counts = store.rebuild_entities(keys, {"windows": ("Windows", "PRODUCT"), "windows 7": ("Windows 7", "PRODUCT"),
                                           "apple": ("Apple", "ORG"), "date:friday": ("Friday", "DATE")},
                                    {"windows": {"PRODUCT": 3.0}}, {})
    assert counts == {"entities_before": 3, "entities_after": 4, "mentions": 4}
    assert store.find_entities("Apple")[0].id == apple.id and store.find_entities("Windows")[0].mentions == 1
    assert store.find_entities("Windows 7")[0].label == "PRODUCT"
    assert store.entity_state(["windows"])["windows"][2] == {"PRODUCT": 3.0} and store.alias_targets(["gates"]) == {}
    consistent(store)

    assert store.set_kb_ids({apple.id: "Q312", 10**6: "Q0"}) == 1
    assert store.entity(apple.id).kb_id == "Q312" and store.find_entities("Apple")[0].kb_id == "Q312"
    assert {e.kb_id for e in store.export(EntityRow)} == {"Q312", None}
    store.set_kb_ids({apple.id: None})
    assert store.entity(apple.id).kb_id is None

WRITER = textwrap.dedent("""
    import sys, time
    sys.path[:0] = sys.argv[3:]
    from test_store_contract import make
    from newsgraph.store import open_store
    store = open_store(sys.argv[1])
    start, n, enriched, batch = (list(map(int, sys.argv[2].split(":"))) + [0])[:4]
    enrichers = []
    if enriched:  # what an ingest runs on each article: entities, stories and provenance read what others stored
        from newsgraph.entities.enrich import resolve_entities
        from newsgraph.provenance.enrich import enrich
        from newsgraph.stories.enrich import StoryEnricher
        enrichers = [resolve_entities, StoryEnricher(), enrich]
    topics = ["storm flood river rain", "merger bank shares deal", "election vote party poll"]
    pending = []
    for i in range(start, start + n):
        lines = [f"Article {i} about Apple and Samsung Electronics: {topics[i % 3]}.",
                 f"Apple line {i} on the {topics[i % 3]}.", f"Samsung line {i}.",
                 "The regional airline said on Monday it would add four daily flights between the two cities."]
        a = make(f"https://k.example/{i}", lines, [("Apple", "ORG", "apple", "Apple"),
                 ("Samsung Electronics", "ORG", "samsung", "Samsung")], date=f"2020-01-{1 + i % 28:02d}")
        if batch:  # as run_ingest writes: `batch` articles to a transaction
            pending.append(a)
            if len(pending) == batch or i == start + n - 1:
                from newsgraph.ingest.pipeline import store_articles
                store_articles(store, pending, enrichers)
                print(i, flush=True)
                pending = []
            continue
        with store.ingest_lock():
            if not store.has_article(a.doc.identity):
                for e in enrichers:
                    a = e(store, a)
                store.add_article(a)
        print(i, flush=True)
    store.close()
""")


def _writer(target: str, span: str) -> subprocess.Popen:
    tests = os.path.dirname(__file__)
    return subprocess.Popen([sys.executable, "-c", WRITER, target, span, tests, os.path.dirname(tests)],
                            stdout=subprocess.PIPE, text=True)


def _killed_mid_ingest(target, spec: str, lines: int):
    """A writer process killed with -9 once it has reported `lines` commits; the store it left."""
    proc = _writer(target, spec)
    for _ in range(lines):
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return open_store(target)


def _rerun_completes(store, target, spec: str, partial: int) -> None:
    assert _writer(target, spec).wait() == 0  # the re-run skips what is there and adds the rest
    assert store.stats().articles == max(partial, 60)
    consistent(store)


def test_kill_9_mid_ingest_then_resume(target):
    store = _killed_mid_ingest(target, "0:400:0", 20)  # let it commit some articles first
    try:
        partial = store.stats().articles
        assert 20 <= partial < 400
        consistent(store)
        _rerun_completes(store, target, "0:60:0", partial)
    finally:
        store.close()


def test_kill_9_mid_batched_ingest_leaves_whole_batches(target):
    store = _killed_mid_ingest(target, "0:400:1:8", 4)  # enriched, 8 articles per transaction; some batches first
    try:
        partial = store.stats().articles
        assert 32 <= partial < 400 and partial % 8 == 0, partial  # no batch, so no article, is half there
        consistent(store)
        assert store.story_vocabulary().docs == partial
        _rerun_completes(store, target, "0:60:1:8", partial)
    finally:
        store.close()


def test_write_batch_is_one_transaction_of_savepoints(store):
    from newsgraph.ingest.pipeline import store_articles
    from newsgraph.model import IngestError

    a, b, c = (make(f"https://b.example/{i}", [f"Apple story {i} in Seoul.", "Apple grows."], [APPLE, SEOUL])
               for i in range(3))
    with pytest.raises(RuntimeError), store.write_batch():
        store.add_article(a)
        assert store.has_article(a.doc.identity)  # this thread reads what the batch wrote
        raise RuntimeError("crash before the commit")
    assert store.stats().articles == 0 and not store.has_article(a.doc.identity)

    def flaky(st, article):  # an enricher failing on one article of the batch
        if article.doc.url.endswith("/1"):
            raise ValueError("bad article")
        return article

    out = store_articles(store, [a, b, c], [flaky, StoryEnricher()])
    assert isinstance(out[0], int) and isinstance(out[2], int)
    assert isinstance(out[1], IngestError) and out[1].item == b.doc.item and "bad article" in out[1].message
    assert {x.url for x in store.export(ArticleRow)} == {a.doc.url, c.doc.url}
    assert store_articles(store, [a, b], [StoryEnricher()])[0] is None  # already there: skipped, b added now
    assert store.stats().articles == 3 and store.story_vocabulary().docs == 3

    # a write the database refuses (two sentences with one index) is undone alone too, on every backend
    d = make("https://b.example/3", ["A broken article.", "Its sentences share an index."])
    d = replace(d, sentences=[d.sentences[0], replace(d.sentences[1], index=0)])
    e = make("https://b.example/4", ["Apple story 4 in Seoul.", "Apple grows."], [APPLE, SEOUL])
    out = store_articles(store, [d, e], [StoryEnricher()])
    assert isinstance(out[0], IngestError) and out[0].stage == "store" and isinstance(out[1], int)
    assert store.stats().articles == 4 and store.story_vocabulary().docs == 4 and not store.has_article(d.doc.identity)
    consistent(store)


def test_concurrent_writers_store_each_article_once(target):
    open_store(target).close()  # migrate before the writers race
    procs = [_writer(target, "0:40:1"), _writer(target, "20:40:1:6")]  # 20 articles by both; one writes batches
    assert [p.wait() for p in procs] == [0, 0]
    store = open_store(target)
    try:
        articles = {a.id: a for a in store.export(ArticleRow)}
        assert len({a.url for a in articles.values()}) == len(articles) == 60
        [apple] = store.find_entities("Apple")
        assert apple.articles == 60 and apple.mentions == 60
        consistent(store)  # story sizes, members and the clusterer's counters agree
        assert store.story_vocabulary().docs == 60 and all(store.article_story(i) for i in articles)
        # every article's airline sentence (its 4th) is matched to the earliest article, whichever process stored
        # which: the earliest source is the same as after one ingester
        first = min(articles.values(), key=lambda a: (a.date, a.id))
        for aid in articles:
            sources = [m.article for m in store.sentence_matches(aid) if m.sentence == 3]
            earliest = min(sources, key=lambda a: (a.date, a.id))
            assert earliest.id == first.id or aid == first.id, aid
    finally:
        store.close()


def test_keys_only_articles_wait_as_pending_until_their_matches_are_written(store):
    """`batch --provenance join` on each backend: a keys-only article is pending, its index rows and sentences read
    back, and matches written through `add_matches` equal what the per-sentence enricher stores."""
    from newsgraph.provenance.corpus import keys_only, match_article
    from newsgraph.provenance.minhash_index import sentence_keys as keys_of
    from newsgraph.provenance.normalise import normalise
    from newsgraph.provenance.shingles import sentence_shingles

    source_id = store.add_article(provenance(store, to_article(SOURCE)))
    copier_id = store.add_article(keys_only(store, to_article(COPIER)))
    assert store.provenance_pending() == [copier_id] and store.sentence_matches(copier_id) == []
    first, last = store.sentence_id_range()
    rows = list(store.index_rows("seeds", first, last)) + list(store.index_rows("bands", first, last))
    assert {aid for _, _, aid in rows} == {source_id, copier_id}
    with pytest.raises(ValueError):
        list(store.index_rows("sentence_keys", first, last))  # index names, not tables
    detail = store.article(copier_id)
    ids = [s.sentence_id for s in store.sentences_at(copier_id, [s.index for s in detail.sentences])]
    assert sorted(s.sentence_id for s in store.sentences_by_id(ids)) == sorted(ids)
    # The candidates a join would give: here the store's own lookups, as the source is the only earlier article.
    whole, seeded = {}, {}
    for sid, s in zip(ids, detail.sentences, strict=True):
        if sh := sentence_shingles(s.text):
            own = keys_of(normalise(s.text), sh)
            whole[sid] = [c for c in store.sentence_candidates(own, own[0]) if c.article_id == source_id]
        seeded[sid] = [c for c in store.seed_candidates(seed_keys(s.text)) if c.article_id == source_id]
    data = match_article(store, detail, ids, whole, seeded)
    assert data.matches and data.sentence_keys == []
    store.add_matches([(copier_id, data)])
    assert store.provenance_pending() == []
    joined = sorted((m.sentence, m.article.id, m.kind, m.span) for m in store.sentence_matches(copier_id))
    store.delete_article(copier_id)
    again = store.add_article(provenance(store, to_article(COPIER)))
    assert sorted((m.sentence, m.article.id, m.kind, m.span) for m in store.sentence_matches(again)) == joined
    assert store.check() == []
