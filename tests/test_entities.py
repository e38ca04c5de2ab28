"""Entity resolution: cluster keys, cues, type decision, incremental re-decision, senses, migration 0009, reindex,
KB linking and the value-type flags (no spaCy: articles are built by hand)."""
from __future__ import annotations

import json
import sqlite3
from itertools import count

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.entities.enrich import (link_type_votes, link_votes, person_key, prepare_mentions,
                                       resolve_entities)
from newsgraph.entities.kb import link_kb
from newsgraph.entities.reindex import reindex_entities
from newsgraph.graph import Graph
from newsgraph.nlp.annotate import link_surnames
from newsgraph.model import AnnotatedArticle, ExtractedDoc, MentionSpan, SentenceSpan
from newsgraph.nlp.resolve import cluster_key, decide_type, link_acronyms, mention_cue, strip_legal_form
from newsgraph.records import EntityRow, EventArgumentRow, MentionRow
from newsgraph.store import SQLiteStore, open_store
from newsgraph.store.sqlite import migrations

_db = count()


def article(url: str, text: str, mentions: list[tuple[str, str]]) -> AnnotatedArticle:
    """One sentence per line; mentions are (surface, spaCy label), keyed as annotate keys them."""
    doc = ExtractedDoc(item=url, text=text, url=url, canonical_url=url, content_hash=str(hash(text)), title=url)
    sentences, offset = [], 0
    for i, line in enumerate(text.split("\n")):
        sentences.append(SentenceSpan(i, offset, offset + len(line), line))
        offset += len(line) + 1
    spans, cursor = [], 0
    for surface, label in mentions:
        start = text.index(surface, cursor)
        cursor = start + len(surface)
        key, name = cluster_key(surface, label)
        idx = next(s.index for s in sentences if s.start <= start <= s.end)
        spans.append(MentionSpan(idx, start, start + len(surface), surface, label, key, name))
    return AnnotatedArticle(doc=doc, sentences=sentences, mentions=link_acronyms(link_surnames(spans), text),
                            words=len(text.split()))


@pytest.fixture(params=["sqlite", "postgres"])
def store(request, tmp_path):
    """A fresh store on each backend: resolution, reindex and KB linking run on both."""
    if request.param == "sqlite":
        target = str(tmp_path / "s.db")
    else:
        target = request.getfixturevalue("pg_cluster").create_db(f"entities{next(_db)}")
    s = open_store(target)
    yield s
    s.close()


def ingest(store, *articles):
    for a in articles:
        store.add_article(resolve_entities(store, a))


def types_of(store, text):
    return sorted(store.surface_entities([text]).get(text, {}).values())


# ---- rules ----------------------------------------------------------------------


def test_cluster_key_ignores_the_label_but_keeps_values_apart():
    assert {cluster_key("Windows", lab)[0] for lab in ("LOC", "ORG", "NORP", "PRODUCT")} == {"windows"}
    assert cluster_key("2007", "DATE")[0] != cluster_key("2007", "CARDINAL")[0]
    assert cluster_key("apple", "ORG")[0] != cluster_key("Apple", "ORG")[0]  # the fruit is not the company


def test_company_forms_by_cleanco():
    assert strip_legal_form("Samsung Electronics Co., Ltd.") == "Samsung Electronics"
    assert cluster_key("Samsung Electronics Co., Ltd.", "ORG") == cluster_key("Samsung", "PERSON")
    assert cluster_key("Acme Holdings Ltd", "ORG")[0] == cluster_key("Acme Holdings", "GPE")[0]
    assert cluster_key("Volkswagen AG", "ORG")[0] == "volkswagen"


@pytest.mark.parametrize("text, label, cue", [
    ("Microsoft shipped Windows 7 today.", "LOC", "PRODUCT"),
    ("Dell's chief executive resigned.", "PERSON", "ORG"),
    ("Delta CEO Gerald Grinstein said so.", "LOC", "ORG"),
    ("Windows said nothing.", "PRODUCT", "ORG"),  # a product does not speak
    ("It was Mr Howard again.", "ORG", "PERSON"),
    ("He lives in Hamilton now.", "PERSON", "GPE"),
    ("Boeing 737 jets.", "ORG", None),  # a brand before a model number is no product
    ("Bush said nothing.", "PERSON", None),
    ("Police said Captain Howard arrived.", "ORG", "PERSON"),  # a rank before a name
    ("Then Hamilton's wife spoke.", "ORG", "PERSON"),  # relatives are a person's
    ("Delta, who else, won.", "PRODUCT", "PERSON"),
    ("Dell, 45, was hurt.", "ORG", "PERSON"),  # an age after a name
    ("The exiting governor Howard left.", "ORG", "PERSON"),  # an office in lower case
    ("They called for Howard's resignation.", "ORG", "PERSON"),
    ("Protests in the city of Hamilton grew.", "ORG", "GPE"),
    ("Savers queued at Delta branches.", "LOC", "ORG"),
])
def test_context_cues(text, label, cue):
    word = next(w for w in ("Windows", "Dell", "Delta", "Howard", "Hamilton", "Boeing", "Bush") if w in text)
    start = text.index(word)
    assert mention_cue(text, start, start + len(word), label) == cue


def test_type_decision_uses_votes_and_the_gazetteer_prior():
    assert decide_type("windows", {"LOC": 14, "PRODUCT": 9, "ORG": 7, "NORP": 5}, "LOC") == "PRODUCT"  # prior
    assert decide_type("dell", {"PERSON": 21, "ORG": 31}, "PERSON") == "ORG"
    assert decide_type("nowhere inc", {"LOC": 3, "ORG": 5}, "LOC") == "ORG"  # no prior: the vote
    assert decide_type("date:2007", {"DATE": 3}, "DATE") == "DATE"


def test_acronyms_are_tied_to_their_expansion():
    a = article("u", "British Airways (BA) cut fares. BA said so.",
                [("British Airways", "ORG"), ("BA", "ORG"), ("BA", "GPE")])
    assert {m.key for m in a.mentions} == {cluster_key("British Airways", "ORG")[0]}


def test_in_article_surnames_are_persons_but_not_companies():
    a = article("u", "Anthony Scaramucci spoke. Scaramucci left. Michael Dell came. Dell rose. Sam Melbourne ran in "
                "Melbourne. Hayes Scaramucci sells.", [("Anthony Scaramucci", "PERSON"), ("Scaramucci", "PERSON"),
                                                      ("Michael Dell", "PERSON"), ("Dell", "PERSON"),
                                                      ("Sam Melbourne", "PERSON"), ("Melbourne", "GPE"),
                                                      ("Scaramucci", "PRODUCT")])
    keys = [(m.text, m.key) for m in a.mentions]
    assert keys[1] == ("Scaramucci", "anthony scaramucci") and keys[-1] == ("Scaramucci", "scaramucci")
    assert dict(keys)["Dell"] == "dell" and dict(keys)["Melbourne"] == "melbourne"


def test_office_titles_and_country_priors():
    assert cluster_key("Treasurer Costello", "PERSON") == ("costello", "Costello")
    assert cluster_key("Prime Minister John Howard", "PERSON")[0] == "john howard"
    assert cluster_key("Queen Elizabeth", "PERSON")[0] == "queen elizabeth"
    assert decide_type("cameroon", {"ORG": 5.0}, "ORG") == "GPE"  # a country whatever spaCy says


# ---- resolution through the store ---------------------------------------------


def test_one_entity_across_labels_typed_by_all_votes(store):
    ingest(store,
           article("u1", "Windows runs here.", [("Windows", "LOC")]),
           article("u2", "Windows 7 is out.", [("Windows", "ORG")]),
           article("u3", "Microsoft's Windows sells.", [("Microsoft", "ORG"), ("Windows", "NORP")]))
    assert [t for t, _ in types_of(store, "Windows")] == ["PRODUCT"]
    [windows] = store.find_entities("Windows")
    assert windows.mentions == 3 and windows.label == "PRODUCT"
    detail = store.article(3)
    assert {m.name: m.label for m in detail.mentions}["Windows"] == "PRODUCT"  # mentions show the entity's type


def test_type_is_re_decided_as_evidence_accrues(store):
    ingest(store, article("u1", "Acmeflux is in the valley.", [("Acmeflux", "LOC")]))
    assert store.find_entities("Acmeflux")[0].label == "LOC"
    ingest(store, *(article(f"u{i}", f"Acmeflux's chief executive quit {i}.", [("Acmeflux", "PERSON")])
                    for i in range(2, 4)))
    assert store.find_entities("Acmeflux")[0].label == "ORG"  # two ORG cues outweigh the rest
    assert store.entity_state(["acmeflux"])["acmeflux"][2] == {"LOC": 1.0, "PERSON": 1.0, "ORG": 4.0}  # a lone PERSON: half


def test_long_airline_name_votes_for_the_short_one(store):
    ingest(store, article("u1", "Southwest is a region.", [("Southwest", "LOC")]),
           *(article(f"a{i}", f"Southwest Airlines flew {i}.", [("Southwest Airlines", "ORG")]) for i in range(2)))
    assert store.find_entities("Southwest")[0].label == "ORG"


def test_company_form_of_a_known_product_is_another_entity(store):
    ingest(store, *(article(f"v{i}", f"Vista {i} ships.", [("Vista", "ORG")]) for i in range(3)),
           article("inc", "Vista Inc. sued.", [("Vista Inc.", "ORG")]))
    entities = {e.name: e.label for e in store.entities()}
    assert entities["Vista"] == "PRODUCT" and entities["Vista Inc."] == "ORG"


def test_lone_surnames_follow_their_full_name(store):
    ingest(store, *(article(f"f{i}", f"Mahmoud Abbas spoke. Abbas left {i}.", [("Mahmoud Abbas", "PERSON"),
                                                                             ("Abbas", "PERSON")])
                    for i in range(2)),
           article("lone", "Abbas met them.", [("Abbas", "PERSON")]))
    assert len(types_of(store, "Abbas")) == 1
    assert store.find_entities("Abbas")[0].name == "Mahmoud Abbas"


def test_a_link_made_in_one_article_types_the_surname_elsewhere(store):
    ingest(store, article("a", "Anthony Scaramucci spoke. Scaramucci left.", [("Anthony Scaramucci", "PERSON"),
                                                                              ("Scaramucci", "PERSON")]),
           article("b", "Scaramucci sells.", [("Scaramucci", "PRODUCT")]))
    assert [t for t, _ in types_of(store, "Scaramucci")] == ["PERSON", "PERSON"]  # one tie: not yet one entity


def test_a_surname_beside_its_full_name_votes_person_without_a_tie(store):
    # spaCy calls the surname a company and a product here; the article's full name says she is a person. The
    # evidence keeps the key: "La Riva" elsewhere (no full name) is the same entity, typed by all the votes.
    ingest(store, article("a", "Gloria La Riva ran. La Riva argued. La Riva agreed. Cuba wins.",
                          [("Gloria La Riva", "PERSON"), ("La Riva", "ORG"), ("La Riva", "PRODUCT"),
                           ("Cuba", "ORG")]),
           article("b", "La Riva spoke.", [("La Riva", "ORG")]))
    assert types_of(store, "La Riva") == [("PERSON", 3)]
    assert store.entity_state(["la riva"])["la riva"][2] == {"PERSON": 2.0, "ORG": 1.0}
    assert store.find_entities("Cuba")[0].label == "GPE"  # a settled name is nobody's surname


def test_only_a_person_full_name_retypes_its_surname(store):
    # "Brock Pierce" tagged ORG says nothing about "Pierce"; nor does a work named after somebody
    ingest(store, article("a", "Brock Pierce ran. Pierce argued. Pierce agreed.",
                          [("Brock Pierce", "ORG"), ("Pierce", "ORG"), ("Pierce", "ORG")]),
           article("b", "Alfred Nobel lived. The Nobel went to her.", [("Alfred Nobel", "PERSON"),
                                                                     ("Nobel", "WORK_OF_ART")]))
    assert types_of(store, "Pierce") == [("ORG", 2)]
    assert types_of(store, "Nobel") == [("WORK_OF_ART", 1)]


def votes_of(a: AnnotatedArticle) -> dict[str, dict[str, float]]:
    return prepare_mentions(a.mentions, a.doc.text).votes


def test_a_city_spacy_calls_a_person_is_the_place_unless_the_article_names_such_a_person():
    # news names a person in full before using the surname alone: a lone "Hamilton" is the city
    assert votes_of(article("a", "Hamilton voters want doctors.", [("Hamilton", "PERSON")]))["hamilton"] == {"GPE": 1.0}
    assert votes_of(article("b", "Zorbleck voters want doctors.", [("Zorbleck", "PERSON")]))["zorbleck"] == {"PERSON": 0.5}
    # with a Hamilton named in full, the lone word is tied to that person (annotate), not voted a place
    assert "hamilton" not in votes_of(article("c", "Clive Hamilton spoke. Hamilton left.",
                                              [("Clive Hamilton", "PERSON"), ("Hamilton", "PERSON")]))


def test_a_surname_spacy_calls_a_place_votes_person_but_a_real_place_stays():
    votes = votes_of(article("a", "Don Blankenship ran. Blankenship argued. Jon Melbourne came to Melbourne.",
                             [("Don Blankenship", "PERSON"), ("Blankenship", "GPE"), ("Jon Melbourne", "PERSON"),
                              ("Melbourne", "GPE")]))
    assert votes["blankenship"] == {"PERSON": 1.0} and votes["melbourne"] == {"GPE": 1.0}


def test_a_tie_counts_no_place_as_an_untied_person():
    # a span "Make Melbourne" tagged PERSON ties one "Melbourne"; the city beside it is no untied "Trump"
    a = article("a", "Make Melbourne won. Melbourne said. He lives in Melbourne and Melbourne.",
                [("Make Melbourne", "PERSON"), ("Melbourne", "PERSON"), ("Melbourne", "GPE"), ("Melbourne", "GPE")])
    mentions = prepare_mentions(a.mentions, a.doc.text).mentions
    assert link_type_votes(mentions, link_votes(mentions)) == {"melbourne": {"PERSON": 2.0}}


def test_ridings_are_places_and_airlines_say_nothing_of_peoples():
    votes = votes_of(article("a", "Calgary Southwest voted. Puerto Rico Center opened. Czech Airlines flew.",
                             [("Calgary Southwest", "ORG"), ("Puerto Rico Center", "ORG"),
                              ("Czech Airlines", "ORG")]))
    assert votes["calgary southwest"] == {"GPE": 1.0} and votes["puerto rico center"] == {"ORG": 1.0}
    assert votes_of(article("c", "The Elmwood Village Hotel opened.", [("Elmwood Village Hotel", "ORG")])) == {
        "elmwood village hotel": {"FAC": 1.0}}  # a building by its head word
    assert "czech" not in votes  # "British Airways" is no vote that "British" is a company
    assert votes_of(article("b", "Delta Air Lines flew.", [("Delta Air Lines", "ORG")]))["delta"] == {"ORG": 2.0}


def test_where_annotate_tied_a_surname_its_mistyped_mentions_follow():
    a = article("a", "Vincent J. Fumo spoke. Fumo left. Fumo sold. Fumo won.",
                [("Vincent J. Fumo", "PERSON"), ("Fumo", "PERSON"), ("Fumo", "ORG"), ("Fumo", "GPE")])
    assert {m.key for m in prepare_mentions(a.mentions, a.doc.text).mentions} == {"vincent fumo"}
    # no PERSON-tagged lone mention, no tie: the words keep their own key, shared with other articles
    b = article("b", "Pervez Musharraf spoke. Musharraf sold.", [("Pervez Musharraf", "PERSON"), ("Musharraf", "ORG")])
    assert [m.key for m in prepare_mentions(b.mentions, b.doc.text).mentions] == ["pervez musharraf", "musharraf"]


@pytest.mark.parametrize("name, key", [
    ("John R. Bolton", "john bolton"), ('I. Lewis "Scooter" Libby', "lewis libby"), ("Ben S Bernanke", "ben bernanke"),
    ("George H. W. Bush", "george h. w. bush"), ("J. K. Rowling", "j. k. rowling"), ("W. Bush", "w. bush"),
    ("Robert Gabriel Mugabe", "robert gabriel mugabe")])
def test_person_name_variants_share_a_key(name, key):
    assert person_key(cluster_key(name, "PERSON")[0]) == key


def test_a_middle_initial_is_one_entity_with_the_name_without_it(store):
    ingest(store, article("a", "John R. Bolton spoke. Bolton left.", [("John R. Bolton", "PERSON"), ("Bolton", "PERSON")]),
           article("b", "John Bolton spoke. Bolton left.", [("John Bolton", "PERSON"), ("Bolton", "PERSON")]))
    found = store.surface_entities(["John R. Bolton", "John Bolton", "Bolton"])
    assert len({eid for by_id in found.values() for eid in by_id}) == 1 and types_of(store, "Bolton") == [("PERSON", 2)]


def test_a_fold_keeps_co_occurrence_counts_equal_to_article_pairs(store):
    """Pairs counted for the short key's entity ("Abbas" beside "Gaza") move to the full name's, merged with the
    full name's own ("Mahmoud Abbas" beside "Gaza"), and check() finds the counts equal to the articles' pairs."""
    lone = [article(f"lone{i}", f"Abbas met them in Gaza {i}.", [("Abbas", "PERSON"), ("Gaza", "GPE")])
            for i in range(2)]
    full = [article(f"f{i}", f"Mahmoud Abbas spoke in Gaza. Abbas left {i}.",
                    [("Mahmoud Abbas", "PERSON"), ("Gaza", "GPE"), ("Abbas", "PERSON")]) for i in range(2)]
    ingest(store, *lone, *full)
    [abbas], [gaza] = store.find_entities("Mahmoud Abbas"), store.find_entities("Gaza")
    assert abbas.articles == 4
    assert {(c.a, c.b, c.articles) for c in store.cooccurrences([abbas.id, gaza.id])} == \
        {(min(abbas.id, gaza.id), max(abbas.id, gaza.id), 4)}
    assert store.check() == []


def test_acronyms_do_not_follow_across_articles(store):
    ingest(store, *(article(f"n{i}", f"The New Democratic Party (NDP) won {i}.", [("New Democratic Party", "ORG"),
                                                                                  ("NDP", "ORG")]) for i in range(3)),
           article("lone", "The NDP lost.", [("NDP", "ORG")]))
    assert len(types_of(store, "NDP")) == 2


def partition(store) -> dict[int, tuple]:
    """Mention id -> (entity key, name, type, mentions, articles): who is with whom, without entity ids."""
    entities = {e.id: (e.key, e.name, e.label, e.mentions, e.articles) for e in store.export(EntityRow)}
    return {m.id: entities[m.entity_id] for m in store.export(MentionRow)}


def test_lone_surnames_before_their_full_name_are_folded_in(store):
    """The order of arrival does not matter: "Abbas" alone in early articles joins "Mahmoud Abbas" once two
    articles tie the names, with its mentions, votes and article counts, as a reindex would."""
    lone = [article(f"lone{i}", f"Abbas met them in Gaza {i}.", [("Abbas", "GPE" if i else "PERSON"), ("Gaza", "GPE")])
            for i in range(2)]
    full = [article(f"f{i}", f"Mahmoud Abbas spoke. Abbas left {i}.", [("Mahmoud Abbas", "PERSON"),
                                                                       ("Abbas", "PERSON")]) for i in range(2)]
    ingest(store, *lone, full[0])
    assert len(types_of(store, "Abbas")) == 2  # one link is not enough yet
    ingest(store, full[1])
    [(label, n)] = types_of(store, "Abbas")
    assert (label, n) == ("PERSON", 4)
    [entity] = store.find_entities("Abbas")
    assert (entity.name, entity.mentions, entity.articles) == ("Mahmoud Abbas", 6, 4)
    assert store.find_entities("Mahmoud Abbas")[0].id == entity.id
    assert store.entity_state(["abbas"]) == {}  # the short key's votes went to the full name
    assert store.check() == []  # co-occurrence counts too: Gaza's links moved to Mahmoud Abbas
    gaza = store.find_entities("Gaza")[0]
    assert [(n.entity.name, n.articles) for n in store.entity_neighbours(gaza.id)] == [("Mahmoud Abbas", 2)]
    incremental = partition(store)
    reindex_entities(store)
    assert partition(store) == incremental


def test_values_are_left_out_of_lists_and_neighbours_by_default(store):
    ingest(store, article("u1", "Apple met Google on Friday.",
                          [("Apple", "ORG"), ("Google", "ORG"), ("Friday", "DATE")]))
    assert {e.label for e in store.entities()} == {"ORG"}
    assert "DATE" in {e.label for e in store.entities(values=True)}
    apple = store.find_entities("Apple")[0]
    assert [n.entity.name for n in store.entity_neighbours(apple.id)] == ["Google"]
    assert {n.entity.name for n in store.entity_neighbours(apple.id, values=True)} == {"Google", "Friday"}
    assert len(list(store.cooccurrences())) == 1 and len(list(store.cooccurrences(values=True))) == 3
    assert store.find_entities("Friday")[0].label == "DATE"  # still a mention and an entity


def test_graph_top_entities_and_graphml_flag(tmp_path):
    with Graph(SQLiteStore(tmp_path / "g.db"), nlp=object()) as g:
        ingest(g.store, article("u1", "Apple met Google on Friday.",
                                [("Apple", "ORG"), ("Google", "ORG"), ("Friday", "DATE")]))
        assert set(g.top_entities()) == {"ORG"}
        assert set(g.top_entities(values=True)) == {"ORG", "DATE"}
        plain, full = tmp_path / "a.graphml", tmp_path / "b.graphml"
        g.export("graphml", plain)
        g.export("graphml", full, values=True)
        assert full.read_text().count('>cooccurs<') == 3 and plain.read_text().count('>cooccurs<') == 1


# ---- existing stores ------------------------------------------------------------


def fill_old_rows(execute, tsv: str = "") -> None:
    """The rows of a store at migration 0008 with the old (label, key) entities: Windows split over three labels."""
    execute("INSERT INTO articles (id, identity, item, content_hash, text, words, ingested_at)"
            " VALUES (1, 'a', 'a', 'h', 'Windows and Windows and Windows on Friday. Samsung Electronics Co.', 9,"
            " 'x')")
    execute(f"INSERT INTO sentences (id, article_id, idx, start, \"end\", text{', tsv' if tsv else ''})"
            f" VALUES (1, 1, 0, 0, 66, 'x'{', ' + tsv if tsv else ''})")
    rows = [(1, "LOC", "windows", 0), (2, "ORG", "windows", 12), (3, "PRODUCT", "windows", 24),
            (4, "DATE", "friday", 35), (5, "ORG", "samsung electronics co.", 43)]
    for eid, label, key, start in rows:
        surface = "Samsung Electronics Co." if eid == 5 else "Friday" if eid == 4 else "Windows"
        execute("INSERT INTO entities (id, label, key, name, mentions, articles) VALUES (?,?,?,?,1,1)",
                (eid, label, key, key.title()))
        execute('INSERT INTO mentions (article_id, sentence_id, entity_id, start, "end", text)'
                " VALUES (1, 1, ?, ?, ?, ?)", (eid, start, start + len(surface), surface))
        execute("INSERT INTO entity_articles VALUES (?, 1, 1)", (eid,))
        execute("INSERT INTO aliases VALUES (?, ?, 1)", (eid, surface))
    execute("INSERT INTO events (id, article_id, sentence_id, sentence_idx, type, trigger, start, \"end\","
            " modality, polarity, attribution, score) VALUES (1, 1, 1, 0, 'Deal', 'x', 0, 1, 'certain',"
            " 'positive', 'none', 1.0)")
    execute("INSERT INTO event_arguments (event_id, role, kind, text, start, \"end\", entity_id)"
            " VALUES (1, 'Partner', 'participant', 'Windows', 12, 19, 2)")


def old_store(path):
    """A SQLite store at migration 0008 (fill_old_rows)."""
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, script in migrations():
        if name >= "0009":
            break
        con.executescript(f"BEGIN;\n{script}\nINSERT INTO schema_migrations VALUES ('{name}', 'x');\nCOMMIT;")
    fill_old_rows(con.execute)
    con.commit()
    con.close()


def old_postgres_store(url: str) -> None:
    """A PostgreSQL store at migration 0008 (fill_old_rows)."""
    import psycopg

    from newsgraph.store.postgres import migrations as pg_migrations
    from newsgraph.store.postgres_sql import to_psycopg

    with psycopg.connect(url, autocommit=True) as con, con.transaction():
        con.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for name, script in pg_migrations():
            if name >= "0009":
                break
            con.execute(script)
            con.execute("INSERT INTO schema_migrations VALUES (%s, 'x')", (name,))
        fill_old_rows(lambda sql, params=(): con.execute(to_psycopg(sql), params), tsv="to_tsvector('simple', 'x')")
        for table in ("articles", "sentences", "entities", "events"):  # the rows above gave their ids by hand
            con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


@pytest.fixture(params=["sqlite", "postgres"])
def old_target(request, tmp_path):
    """Where a store at migration 0008 with split entities lives, on each backend."""
    if request.param == "sqlite":
        old_store(tmp_path / "old.db")
        return str(tmp_path / "old.db")
    url = request.getfixturevalue("pg_cluster").create_db(f"old{next(_db)}")
    old_postgres_store(url)
    return url


def test_migration_0009_merges_labels_and_reindex_retypes(old_target):
    store = open_store(old_target)
    try:
        assert store.check() == []
        assert len(types_of(store, "Windows")) == 1  # merged by the migration
        assert store.find_entities("Friday")[0].label == "DATE"
        counts = reindex_entities(store)
        assert counts["mentions"] == 5
        [(label, n)] = types_of(store, "Windows")
        assert (label, n) == ("PRODUCT", 3)  # the gazetteer prior, decided by reindex
        assert store.find_entities("Samsung Electronics Co.")[0].name == "Samsung"  # re-keyed by the new rules
        [windows] = store.find_entities("Windows")
        args = list(store.export(EventArgumentRow))
        assert args[0].entity_id == windows.id  # event arguments follow their entity
        assert reindex_entities(store)["entities_after"] == counts["entities_after"]  # idempotent
        assert store.check() == []
    finally:
        store.close()


def test_reindex_cli(old_target):
    result = CliRunner().invoke(app, ["reindex", "entities", "--db", old_target, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mentions"] == 5


# ---- KB linking -----------------------------------------------------------------


@pytest.fixture()
def kb_store(store):
    ingest(store, article("u1", "Apple and Alphabetix Holdings and Delta Air Lines. Delta flew.",
                          [("Apple", "ORG"), ("Alphabetix Holdings", "ORG"), ("Delta Air Lines", "ORG"),
                           ("Delta", "ORG")]),
           article("u2", "Jon Smith met Jon Smyth.", [("Jon Smith", "PERSON"), ("Jon Smyth", "PERSON")]))
    return store


def write_kb(tmp_path, records):
    path = tmp_path / "kb.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return path


def test_kb_exact_alias_fuzzy_and_ambiguous(kb_store, tmp_path):
    kb = write_kb(tmp_path, [
        {"id": "Q312", "name": "Apple", "type": "ORG"},
        {"id": "Q188920", "name": "Delta Airlines Inc", "aliases": ["Delta Air Lines"], "type": "ORG"},
        {"id": "X1", "name": "Alphabetix Holding", "type": "ORG"},
        {"id": "P1", "name": "Jon Smth", "type": "PERSON"},
        {"id": "none", "name": "Nothing Like It", "type": "ORG"},
        "{not json",
        {"name": "no id"},
    ])
    report = link_kb(kb_store, kb, threshold=85)
    methods = {link.kb_id: link.method for link in report.linked}
    assert methods == {"Q312": "exact", "Q188920": "alias", "X1": "fuzzy"}
    assert [a["kb_id"] for a in report.ambiguous] == ["P1"]  # Jon Smith and Jon Smyth tie: reported, not guessed
    assert report.unmatched == ["none"]
    assert [e.item for e in report.errors] == [f"{kb}:6", f"{kb}:7"]
    assert kb_store.find_entities("Apple")[0].kb_id == "Q312"
    assert kb_store.find_entities("Delta Air Lines")[0].kb_id == "Q188920"
    assert kb_store.find_entities("Jon Smith")[0].kb_id is None


def test_link_cli_shows_ids_everywhere(kb_store, tmp_path):
    kb = write_kb(tmp_path, [{"id": "Q312", "name": "Apple", "aliases": [], "type": "ORG"}])
    db = kb_store.url
    kb_store.close()
    runner = CliRunner()
    result = runner.invoke(app, ["link", "--kb", str(kb), "--db", db])
    assert result.exit_code == 0, result.output
    assert "linked 1" in result.output
    shown = runner.invoke(app, ["entity", "Apple", "--db", db, "--json"])
    assert json.loads(shown.output)["entity"]["kb_id"] == "Q312"
    listed = runner.invoke(app, ["entities", "--db", db])
    assert "Q312" in listed.output
    exported = runner.invoke(app, ["export", "--db", db])
    assert any(json.loads(line).get("kb_id") == "Q312" for line in exported.output.splitlines())


def test_api_and_pages_leave_values_out_unless_asked(tmp_path):
    from fastapi.testclient import TestClient

    from newsgraph.api import create_app

    graph = Graph(SQLiteStore(tmp_path / "api.db"), nlp=object())
    ingest(graph.store, article("u1", "Apple met Google on Friday.",
                                [("Apple", "ORG"), ("Google", "ORG"), ("Friday", "DATE")]))
    graph.store.set_kb_ids({graph.find_entities("Apple")[0].id: "Q312"})
    client = TestClient(create_app(graph, token="t"))
    apple = graph.find_entities("Apple")[0].id
    names = [n["entity"]["name"] for n in client.get(f"/api/entities/{apple}/neighbours").json()]
    assert names == ["Google"]
    names = {n["entity"]["name"] for n in client.get(f"/api/entities/{apple}/neighbours?values=true").json()}
    assert names == {"Google", "Friday"}
    assert client.get(f"/api/entities/{apple}").json()["entity"]["kb_id"] == "Q312"
    assert {e["label"] for e in client.get("/api/entities").json()["items"]} == {"ORG"}
    assert "DATE" in {e["label"] for e in client.get("/api/entities?values=true").json()["items"]}
    home = client.get("/").text
    assert "Friday" not in home and "Friday" in client.get("/?values=true").text
    page = client.get(f"/entities/{apple}").text
    assert "Q312" in page and ">Friday<" not in page
    graph.close()
