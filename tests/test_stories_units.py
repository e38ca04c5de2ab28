"""Story clustering pieces without spaCy: scores, metrics, decay, the bounded index, timeline shifts."""
from __future__ import annotations

import math

import pytest

from newsgraph.eval.stories import ari, b_cubed, nmi, online
from newsgraph.model import ArticleSummary, Event, TimelineItem
from newsgraph.stories.cluster import Params, assign
from newsgraph.stories.features import ArticleFeatures, time_expressions
from newsgraph.stories.index import POSTINGS, StoryIndex
from newsgraph.stories.timeline import build_timeline, event_items


def feats(words: str, entities=(), times=(), date=None) -> ArticleFeatures:
    return ArticleFeatures(tf={w: 1.0 for w in words.split()}, entities={("ORG", e): e.title() for e in entities},
                           times=frozenset(times), date=date, sentence_terms=[set(words.split())])


def test_b_cubed_ari_nmi():
    gold = ["a", "a", "b", "b"]
    assert b_cubed(gold, [1, 1, 2, 2]) == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert b_cubed(gold, [1, 1, 1, 1]) == {"p": 0.5, "r": 1.0, "f1": 0.6667}
    assert b_cubed(gold, [1, 2, 3, 4]) == {"p": 1.0, "r": 0.5, "f1": 0.6667}
    assert ari(gold, [5, 5, 7, 7]) == 1.0 and ari(gold, [1, 2, 1, 2]) < 0
    assert nmi(gold, [9, 9, 8, 8]) == 1.0 and nmi(gold, [1, 2, 1, 2]) == 0.0


def test_time_expressions():
    assert time_expressions("in 2013 and 1999 and 3013", ["AUGUST 2 , 2013"]) == {"2013", "1999", "2013-08",
                                                                                 "--08-02"}
    # calendar days from either order, month names only ("decade" is no December), days 1-31
    assert time_expressions("", ["27 NOVEMBER , 2005", "Sept. 9", "the decade 10", "March 32", "May 2013"]) == {
        "2005-11", "--11-27", "--09-09", "2013-05"}


def test_a_shared_calendar_day_joins_and_a_different_one_does_not_split():
    a = feats("quake island villages damaged", times=["--11-27"])
    same_day = feats("island quake tents villagers", times=["--11-27"])
    other_day = feats("island quake tents villagers", times=["--11-28"])
    p = Params(threshold=0.5, entities=0.0, embedding=0.0, time=0.3, dates=0.6, repair=None)
    assert online([a, same_day], p) == [1, 1]
    assert online([a, other_day], p) == [1, 2]
    assert online([a, other_day], Params(threshold=0.5, dates=0.0, repair=None)) == online([a, other_day], p)
    assert online([a, same_day], Params(threshold=0.5, dates=0.0, repair=None)) == [1, 2]  # the day decided


def test_similar_articles_join_and_distinct_ones_do_not():
    docs = [feats("rehab actress lohan court clinic", ["lohan"], ["2013"]),
            feats("lohan rehab clinic checks actress", ["lohan"], ["2013"]),
            feats("earthquake strikes coast tsunami warning", ["chile"]),
            feats("tsunami warning earthquake coast", ["chile"])]
    assert online(docs, Params(threshold=0.3)) == [1, 1, 2, 2]


def test_conflicting_years_split_a_story():
    a = feats("rehab actress lohan court clinic", ["lohan"], ["2013"])
    b = feats("rehab actress lohan court clinic", ["lohan"], ["2008"])
    same_year = feats("rehab actress lohan court clinic", ["lohan"], ["2013"])
    p = Params(threshold=1.95, time=0.3, repair=None)  # identical text and entities score 2; the year decides
    assert online([a, b, same_year], p) == [1, 2, 1]


def test_stories_decay_with_time():
    text, ents = "xiaomi carriers smartphones united states deal", ["xiaomi", "at&t"]
    index = StoryIndex()
    first = assign(index, feats(text, ents, date="2017-12-18")).story.id
    assert assign(index, feats(text, ents, date="2018-01-09")).story.id == first
    assert assign(index, feats(text, ents, date="2022-12-18")).new  # five years on: another story


def test_candidates_come_from_bounded_postings():
    index = StoryIndex()
    for i in range(POSTINGS * 3):  # many stories share one entity
        assign(index, feats(f"unique{i} topic{i} words{i}", ["hub"]), Params(threshold=10, repair=None))
    assert len(index.by_entity["ORG", "hub"]) == POSTINGS
    found = index.candidates({("ORG", "hub"): "Hub"}, [], None, None, limit=1000)
    assert len(found) == POSTINGS and min(s.id for s in found) == POSTINGS * 2 + 1  # the most recent ones


def test_timeline_orders_by_date_and_marks_modality_shifts():
    a1, a2 = ArticleSummary(1, None, "one", "2018-01-02", None), ArticleSummary(2, None, "two", "2017-12-18", None)
    events = [TimelineItem("2017-12-18", "event", a2, "deal", event_type="Deal", modality="planned", polarity="positive"),
              TimelineItem("2018-01-02", "event", a1, "deal", event_type="Deal", modality="certain", polarity="negative")]
    items = build_timeline([(a1, "Deal is off."), (a2, "Talks with carriers.")], events)
    assert [(i.date, i.kind) for i in items] == [("2017-12-18", "article"), ("2017-12-18", "event"),
                                                 ("2018-01-02", "article"), ("2018-01-02", "event")]
    assert items[1].shift is None and items[3].shift == "planned -> certain, positive -> negative"
    # inside one article a claim's mentions do not shift against each other; the next article compares with the
    # last mention of the article before it
    a3 = ArticleSummary(3, None, "three", "2018-01-05", None)
    more = [TimelineItem("2018-01-02", "event", a1, "deal", event_type="Deal", modality="certain",
                         polarity="positive"),
            TimelineItem("2018-01-05", "event", a3, "deal", event_type="Deal", modality="certain",
                         polarity="positive"),
            TimelineItem("2018-01-05", "event", a3, "deal", event_type="Deal", modality="possible",
                         polarity="positive")]
    items = build_timeline([(a1, ""), (a2, ""), (a3, "")], events + more)
    assert [(i.article.id, i.modality, i.polarity, i.shift) for i in items if i.kind == "event"] == [
        (2, "planned", "positive", None), (1, "certain", "negative", "planned -> certain, positive -> negative"),
        (1, "certain", "positive", "planned -> certain"), (3, "certain", "positive", None),
        (3, "possible", "positive", "certain -> possible")]


def test_stored_events_become_timeline_items():
    a = ArticleSummary(1, None, "one", "2017-12-18", None)
    events = [Event("Deal", None, "talks", 0, 5, 0, modality="planned", article=a, sentence_text="In talks."),
              Event("Rating", "Upgrade", "upgraded", 0, 8, 1, polarity="negated", article=a),
              Event("Deal", None, "deal", 0, 4, 2)]  # not read from a store: no article, no item
    items = event_items(events)
    assert [(i.kind, i.date, i.event_type, i.modality, i.polarity, i.text) for i in items] == [
        ("event", "2017-12-18", "Deal", "planned", "positive", "In talks."),
        ("event", "2017-12-18", "Rating.Upgrade", "certain", "negated", "upgraded")]


def test_label_names_key_entities_once():
    index = StoryIndex()
    f = ArticleFeatures(tf={"talks": 1.0}, entities={("PERSON", "wen jiabao"): "Wen Jiabao", ("PERSON", "wen"): "Wen",
                                                     ("GPE", "india"): "India"},
                        times=frozenset(), date=None, sentence_terms=[])
    assert assign(index, f).story.label == "Wen Jiabao · India"


def test_label_merges_acronyms_and_names_the_dominant_event():
    index = StoryIndex()
    f = ArticleFeatures(tf={"talks": 1.0}, entities={("ORG", "international monetary fund"): "International Monetary Fund",
                                                     ("ORG", "imf"): "IMF", ("GPE", "eu"): "EU", ("ORG", "eu"): "EU"},
                        times=frozenset(), date=None, sentence_terms=[], events=frozenset({"Financing"}))
    story = assign(index, f).story
    assert story.label == "EU · International Monetary Fund: Financing"  # order: idf with the Wikinews prior
    # an event type reported by fewer than half the articles is a stray extraction, not the story's event
    g = ArticleFeatures(tf={"talks": 1.0}, entities=dict(f.entities), times=frozenset(), date=None,
                        sentence_terms=[])
    for _ in range(2):
        assert assign(index, g, Params(threshold=0.1)).story.id == story.id
    assert story.label == "EU · International Monetary Fund"


def test_lead_embeddings_pull_articles_together():
    import numpy as np

    up, side = np.zeros(4, dtype=np.float32), np.zeros(4, dtype=np.float32)
    up[0], side[1] = 1.0, 1.0

    def f(vector):
        return ArticleFeatures(tf={"quake": 1.0}, entities={}, times=frozenset(), date=None, sentence_terms=[],
                               embedding=vector)

    params = Params(text=0.0, entities=0.0, time=0.0, embedding=1.0, threshold=0.5)
    assert online([f(up), f(up), f(side), f(up)], params) == [1, 1, 2, 1]


def test_lead_skips_bare_url_lines():
    from newsgraph.model import AnnotatedArticle, ExtractedDoc, SentenceSpan
    from newsgraph.stories.features import lead_text

    text = "http : / / www . example . com / 2013 / quake .\nQuake hits Chile .\nMany houses fell .\nAid came .\nMore ."
    spans, start = [], 0
    for i, part in enumerate(["http : / / www .", "example .", "com / 2013 / quake .", "Quake hits Chile .",
                              "Many houses fell .", "Aid came .", "More ."]):
        start = text.index(part, start)
        spans.append(SentenceSpan(i, start, start + len(part), part))
    doc = ExtractedDoc(item="x", text=text, url=None, canonical_url=None, content_hash="", title=None)
    article = AnnotatedArticle(doc=doc, sentences=spans, mentions=[], words=0)
    assert lead_text(article) == "Quake hits Chile .\nMany houses fell .\nAid came ."
    titled = AnnotatedArticle(doc=ExtractedDoc(**{**doc.__dict__, "title": "Chile quake"}), sentences=spans,
                              mentions=[], words=0)
    assert lead_text(titled, 1) == "Chile quake\nQuake hits Chile ."


def test_label_drops_a_name_inside_a_bracketed_span():
    index = StoryIndex()
    f = ArticleFeatures(tf={"storm": 1.0}, entities={("ORG", "national hurricane center (nhc"): "National Hurricane Center (NHC",
                                                     ("ORG", "nhc"): "NHC", ("EVENT", "dorian"): "Hurricane Dorian"},
                        times=frozenset(), date=None, sentence_terms=[])
    assert assign(index, f).story.label == "Hurricane Dorian · National Hurricane Center (NHC"


def test_repair_agreement_matrices_match_the_pairwise_functions():
    import numpy as np

    from newsgraph.stories.features import (
        agreement_matrices,
        date_agreement,
        year_agreement,
    )

    ts = [frozenset(), frozenset({"2005", "--11-27"}), frozenset({"2006", "2005-11", "--11-27"}),
          frozenset({"2005"}), frozenset({"--11-28"})]
    years, days = agreement_matrices(ts)
    assert (years == np.array([[year_agreement(a, b) for b in ts] for a in ts])).all()
    assert (days == np.array([[date_agreement(a, b) for b in ts] for a in ts])).all()
    assert years[1, 2] == -1.0 and years[1, 3] == 1.0 and years[0, 1] == 0.0 and days[1, 2] == 1.0


def test_only_confident_events_name_a_storys_event_type():
    from newsgraph.stories.labels import (
        LABEL_EVENT_COUNT,
        LABEL_EVENT_SCORE,
        reported_types,
    )

    def ev(kind: str, score: float) -> Event:
        return Event(kind, None, "t", 0, 1, 0, score=score)

    strong = [ev("Deal", LABEL_EVENT_SCORE)] * LABEL_EVENT_COUNT
    assert reported_types(strong + [ev("Profit/Loss", 0.99)]) == {"Deal"}  # one trigger, however sure, is not enough
    assert reported_types(strong[:-1] + [ev("Deal", LABEL_EVENT_SCORE - 0.01)]) == frozenset()  # nor weak ones


def test_label_ranks_entities_by_how_much_the_articles_are_about_them():
    # both names are unknown to the prior (same idf): presence alone cannot rank them, mentions do
    index = StoryIndex()
    f = ArticleFeatures(tf={"talks": 1.0}, entities={("ORG", "acme widgets"): "Acme Widgets",
                                                     ("ORG", "zeta notes"): "Zeta Notes"},
                        times=frozenset(), date=None, sentence_terms=[], repeated={("ORG", "acme widgets"): 6})
    story = assign(index, f).story
    assert story.label == "Acme Widgets · Zeta Notes"
    assert story.repeats == {("ORG", "acme widgets"): pytest.approx(math.log(6))}  # named once: nothing kept
    # a story stored before repeats were kept has none: it ranks by member articles, then adds the new ones
    story.repeats.clear()
    index.add(story, {"talks": 1.0}, f.entities, f.times, None, repeated={("ORG", "zeta notes"): 3})
    assert story.repeats == {("ORG", "zeta notes"): pytest.approx(math.log(3))}
    assert story.label == "Zeta Notes · Acme Widgets"


def test_article_features_count_repeated_mentions():
    from newsgraph.model import (
        AnnotatedArticle,
        ExtractedDoc,
        MentionSpan,
        SentenceSpan,
    )
    from newsgraph.stories.features import article_features

    text = "Acme sued Zeta. Acme won. Acme appeals."
    mentions = [MentionSpan(0, 0, 4, "Acme", "ORG", "acme", "Acme"), MentionSpan(0, 10, 14, "Zeta", "ORG", "zeta", "Zeta"),
                MentionSpan(1, 16, 20, "Acme", "ORG", "acme", "Acme"), MentionSpan(2, 26, 30, "Acme", "ORG", "acme", "Acme"),
                MentionSpan(2, 0, 0, "", "DATE", "", "")]
    doc = ExtractedDoc(item="x", text=text, url=None, canonical_url=None, content_hash="x")
    f = article_features(AnnotatedArticle(doc=doc, sentences=[SentenceSpan(0, 0, len(text), text)],
                                          mentions=mentions, words=7), embedding=False)
    assert f.repeated == {("ORG", "acme"): 3}  # Zeta is named once: not kept


def test_label_spells_out_an_acronym_the_story_names_in_full():
    index = StoryIndex()
    f = ArticleFeatures(tf={"fine": 1.0}, entities={("ORG", "cfpb"): "CFPB", ("ORG", "wells fargo"): "Wells Fargo",
                                                    ("ORG", "consumer financial protection bureau"):
                                                        "Consumer Financial Protection Bureau",
                                                    ("ORG", "nasa"): "NASA"},
                        times=frozenset(), date=None, sentence_terms=[],
                        repeated={("ORG", "cfpb"): 8, ("ORG", "wells fargo"): 3, ("ORG", "nasa"): 2})
    # the acronym ranks first and is shown by its full name, once; an acronym without one stays as it is
    assert assign(index, f).story.label == "Consumer Financial Protection Bureau · Wells Fargo · NASA"
