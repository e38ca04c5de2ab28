"""Stories end to end: online assignment at ingest, decay, labels, timelines, per-entity timeline, CLI, export, recluster."""
from __future__ import annotations

import json

import pytest

from seed import SEED, SEED_DATE, SEED_URL
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.stories.enrich import StoryEnricher
from newsgraph.stories.persist import load_index

FOLLOW_UP = (
    "Huawei's US carrier deal with AT&T collapses\n\n"
    "Huawei's plan to sell its Mate 10 Pro flagship smartphones in the US through the carrier AT&T has collapsed, "
    "people close to the talks said. Huawei had hoped that a carrier deal would help it enter the US market, where "
    "Apple and Samsung dominate and carriers such as AT&T and Verizon sell most smartphones. Xiaomi, which is also "
    "in talks with carriers to launch its smartphones in the US, said it has not rushed into the US market."
)
LATER = (
    "Xiaomi opens a research centre in Finland\n\n"
    "Xiaomi opened a camera research centre in Tampere, Finland, hiring engineers from the former Nokia site. "
    "The Chinese smartphone maker said the lab will work on image sensors for its next phones."
)
OTHER = (
    "Heavy rain floods the centre of Lisbon\n\n"
    "Heavy rain flooded streets in the centre of Lisbon on Tuesday, and firefighters rescued residents from "
    "basements. Portugal's weather service warned that more storms would reach the coast this week."
)


@pytest.fixture()
def storied(graph, tmp_path):
    path = tmp_path / "news.jsonl"
    rows = [
        {"url": SEED_URL, "title": None, "date": SEED_DATE, "text": SEED},
        {"url": "https://example.com/huawei-att", "title": None, "date": "2018-01-09", "text": FOLLOW_UP},
        {"url": "https://example.com/xiaomi-finland", "title": None, "date": "2022-05-02", "text": LATER},
        {"url": "https://example.com/lisbon-rain", "title": None, "date": "2018-01-10", "text": OTHER},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = graph.ingest([path])
    assert report.ok and report.added == 4
    return graph, report.article_ids


def test_articles_join_or_start_stories(storied):
    graph, (seed, follow_up, later, other) = storied
    story_of = {}
    for s in graph.stories(limit=100):
        for item in graph.story(s.id).timeline:
            story_of[item.article.id] = s.id
    assert set(story_of) == {seed, follow_up, later, other}
    assert story_of[seed] == story_of[follow_up]  # same story, three weeks apart
    assert story_of[later] != story_of[seed]  # same company, years later: decayed
    assert story_of[other] != story_of[seed]
    assert len(set(story_of.values())) == 3


def test_story_label_dates_and_timeline(storied):
    graph, (seed, follow_up, *_) = storied
    story = next(s for s in graph.stories() if s.articles == 2)
    assert {"Huawei", "Xiaomi"} & set(story.label.split(" · "))
    assert (story.first_date, story.last_date) == (SEED_DATE, "2018-01-09")
    detail = graph.story(story.id)
    assert [i.article.id for i in detail.timeline] == [seed, follow_up]
    assert all(i.kind == "article" and i.text for i in detail.timeline)
    # the key sentence is one of the article's own sentences
    assert detail.timeline[1].text in {s.text for s in graph.article(follow_up).sentences}
    assert {"Huawei", "AT&T"} <= {e.name for e in detail.entities}


def test_stories_filters_and_entity_timeline(storied):
    graph, ids = storied
    xiaomi = graph.stories(entity="Xiaomi")
    assert len(xiaomi) == 2
    assert [s.articles for s in graph.stories(entity="Xiaomi", since="2020-01-01")] == [1]
    timeline = graph.entity_timeline("Xiaomi")
    assert timeline.entity.name == "Xiaomi"
    assert [s.first_date for s in timeline.stories] == [SEED_DATE, "2022-05-02"]


def test_cli_and_export(storied, tmp_path):
    graph, _ = storied
    db = graph.store.path
    runner = CliRunner()
    out = runner.invoke(app, ["stories", "--json", "--db", db])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.stdout)
    assert len(listed) == 3
    sid = next(s["id"] for s in listed if s["articles"] == 2)
    out = runner.invoke(app, ["story", str(sid), "--json", "--no-events", "--db", db])
    assert out.exit_code == 0 and len(json.loads(out.stdout)["timeline"]) == 2
    timeline = json.loads(runner.invoke(app, ["story", str(sid), "--json", "--db", db]).stdout)["timeline"]
    events = [i for i in timeline if i["kind"] == "event"]
    assert len(timeline) - len(events) == 2  # the two member articles, and their events by default
    assert len(events) == len([i for i in graph.story(sid, events=True).timeline if i.kind == "event"]) > 0
    shown = runner.invoke(app, ["story", str(sid), "--db", db]).stdout
    assert f"{events[0]['event_type']} · {events[0]['modality']}" in shown  # not swallowed as rich markup
    assert runner.invoke(app, ["story", "999", "--db", db]).exit_code == 1
    out = runner.invoke(app, ["stories", "--entity", "Lisbon", "--db", db])
    assert out.exit_code == 0 and "Lisbon" in out.stdout
    kinds = [json.loads(line)["type"] for line in runner.invoke(app, ["export", "--db", db]).stdout.splitlines()]
    assert kinds.count("story") == 3 and kinds.count("story_article") == 4


def test_recluster_rebuilds_the_same_stories(storied):
    graph, ids = storied
    before = {frozenset(i.article.id for i in graph.story(s.id).timeline) for s in graph.stories()}
    counts = graph.recluster()
    assert counts["articles"] == 4
    after = {frozenset(i.article.id for i in graph.story(s.id).timeline) for s in graph.stories()}
    assert after == before


def test_index_is_reloaded_when_the_store_moved_on(storied, tmp_path):
    graph, _ = storied
    enricher = next(e for e in graph.enrichers if isinstance(e, StoryEnricher))
    version = enricher.index.version
    graph.recluster()  # another writer's change: the cached index is now stale
    assert graph.store.story_version() != version
    path = tmp_path / "more.jsonl"
    path.write_text(json.dumps({"url": "https://example.com/x2", "date": "2018-01-11",
                                "text": FOLLOW_UP.replace("collapses", "is off")}) + "\n", encoding="utf-8")
    graph.ingest([path])
    assert enricher.index.version == graph.store.story_version()
    assert max(s.articles for s in graph.stories()) == 3


def test_story_vectors_and_event_counts_survive_a_reload(storied):
    import numpy as np

    graph, _ = storied
    live = next(e for e in graph.enrichers if isinstance(e, StoryEnricher)).index
    stored = load_index(graph.store)
    assert set(stored.stories) == set(live.stories)
    for sid, story in live.stories.items():
        assert story.vector is not None and story.vector.shape == (256,)
        assert np.allclose(stored.stories[sid].vector, story.vector, atol=1e-6)
        assert stored.stories[sid].events == story.events
    graph.recluster()
    assert all(s.vector is not None for s in load_index(graph.store).stories.values())
