"""End to end on the seed article, through the Python API: sentences, canonical entities, idempotence."""
from __future__ import annotations

import pytest
from seed import SEED

SEED_SENTENCES = 18  # headline + 17 body sentences, split at paragraphs and never merged at "Co."


@pytest.fixture()
def seeded(graph, tmp_path):
    path = tmp_path / "seed-article.txt"
    path.write_text(SEED, encoding="utf-8")
    report = graph.ingest([path])
    assert report.ok and report.added == 1
    return graph, report.article_ids[0], path


def names(graph, label):
    return {e.name for e in graph.entities(type=label, limit=500)}


def test_seed_sentences(seeded):
    graph, article_id, _ = seeded
    sentences = graph.article(article_id).sentences
    texts = [s.text for s in sentences]
    assert texts[0] == "Xiaomi in talks with carriers to launch flagship smartphones in the US"
    assert "The U.S. phone market is dominated by Apple and Samsung Electronics Co." in texts
    assert len(sentences) == SEED_SENTENCES
    for s in sentences:  # offsets point into the stored text
        assert graph.article(article_id).text[s.start:s.end] == s.text


def test_seed_entities(seeded):
    graph, _, _ = seeded
    assert {"Xiaomi", "Huawei", "Apple", "Samsung", "AT&T", "Verizon", "Sprint", "Google", "Bloomberg"} <= names(graph, "ORG")
    assert {"Mate 10", "Mate 9", "Pixel", "iPhone", "Mi7"} <= names(graph, "PRODUCT")
    assert {"Tim Cook", "Andy Rubin"} <= names(graph, "PERSON")
    assert "$500" in names(graph, "MONEY")
    assert not {"Xiaomi", "Verizon", "Bloomberg"} & (names(graph, "PERSON") | names(graph, "GPE"))
    samsung = graph.entity("Samsung Electronics Co.")
    assert samsung.entity.name == "Samsung" and samsung.entity.label == "ORG"


def test_seed_reingest_is_idempotent(seeded):
    graph, _, path = seeded
    before = graph.stats()
    again = graph.ingest([path])
    assert (again.added, again.skipped) == (0, 1)
    assert graph.stats() == before


def test_seed_search(seeded):
    graph, article_id, _ = seeded
    hits = graph.search("Mate")
    assert {h.article.id for h in hits} == {article_id}
    assert len(hits) == 2
