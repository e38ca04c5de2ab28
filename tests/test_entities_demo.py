"""Issue #17's named cases on the bundled demo corpus, with the real spaCy pipeline: one entity per thing, of the
right type, on the home page's lists and the Microsoft page (the demo articles that name them: ~80 of 200)."""
from __future__ import annotations

import json
import re

import pytest

from newsgraph.graph import Graph, demo_corpus
from newsgraph.model import VALUE_LABELS
from newsgraph.store import SQLiteStore

# What the issue saw on the demo store (split across labels, or mistyped on the home page) and the true type.
CASES = {"Dell": "ORG", "Windows": "PRODUCT", "Linux": "PRODUCT", "Southwest": "ORG", "Blu-Ray": "PRODUCT",
         "Mac": "PRODUCT", "iTunes": "PRODUCT", "Microsoft": "ORG", "Delta": "ORG"}
NAMED = re.compile(r"\b(?:" + "|".join(map(re.escape, [*CASES, "Trump"])) + r")\b")


@pytest.fixture(scope="module")
def demo(nlp, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "articles.jsonl"
    lines = [line for line in demo_corpus().read_text(encoding="utf-8").splitlines()
             if NAMED.search(json.loads(line)["text"])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    graph = Graph(SQLiteStore(path.with_suffix(".db")), nlp=nlp)
    assert graph.ingest([path]).added == len(lines) >= 60
    yield graph
    graph.close()


def test_named_cases_are_one_entity_of_the_right_type(demo):
    found = demo.store.surface_entities([*CASES, "Trump"])
    for name, true_type in CASES.items():
        assert [t for t, _ in found[name].values()] == [true_type], (name, found[name])
    # "Trump" (ORG 6, PERSON 1 in the issue): a PERSON wherever it stands. Still two entities, "Donald Trump" and
    # "Trump": only words spaCy tags PERSON are tied to the article's full name, and one article ties them.
    assert {t for t, _ in found["Trump"].values()} == {"PERSON"}, found["Trump"]


def test_home_lists_and_microsoft_page(demo):
    top = demo.top_entities(per_type=8)
    assert not set(top) & VALUE_LABELS  # no "today", "last year", "Friday"
    listed = {e.name: t for t, entities in top.items() for e in entities}
    for name, true_type in CASES.items():
        assert listed.get(name, true_type) == true_type, name
    microsoft = demo.entity("Microsoft")
    assert microsoft.entity.label == "ORG"
    neighbours = [(n.entity.name, n.entity.label) for n in microsoft.neighbours]
    assert not {label for _, label in neighbours} & VALUE_LABELS
    assert [label for name, label in neighbours if name == "Windows"] == ["PRODUCT"]
