"""The seed, stitched from other outlets' sentences: trace finds exactly its sources, in any ingest order."""
from __future__ import annotations

import json

import pytest
from seed import SEED, SEED_DATE, SEED_URL

HEADLINE = "Xiaomi in talks with carriers to launch flagship smartphones in the US"
YEARS_PAST = ("In years past, it's been insulated from competition by strong support from carriers, which used to"
              " subsidize its expensive iPhones and lowered the upfront price for customers.")
RETAIL_EDITED = ("For the time being, Xiaomi plans to open retail stores across the country to sell fitness trackers,"
                 " thermostats and vacuum cleaners, which will help build its brand ahead of the smartphone launch.")

SOURCES = [  # (key, site, date, text): written for this test
    ("arena", "PhoneArena", "2017-12-01",
     f"{HEADLINE}\n\nThe company has sold phones in China and India for years. Its US plans were long rumoured by"
     " analysts who follow the handset business closely."),
    ("bloomberg", "Bloomberg", "2017-12-05",
     f"Apple faces a tougher market at home\n\n{YEARS_PAST.replace(chr(39), chr(8217))} Analysts expect the"
     " pressure on margins to grow through next year as rivals cut their prices."),
    ("gizmo", "Gizmochina", "2017-12-10",
     f"Xiaomi's US plan starts with gadgets\n\n{RETAIL_EDITED} The firm already sells a range of smart home"
     " products through its own online store in other markets."),
    ("repost", "Tech Digest", "2017-12-12",  # a later repost of the Bloomberg sentence: a match, not the source
     f"Carriers and the iPhone\n\n{YEARS_PAST} Some readers wrote in to ask what happens once subsidies end."),
]
UNRELATED = [
    ("samefacts", "Phone Weekly", "2017-12-02",  # same topic and entities, not a copy
     "Who rules American phones\n\nApple and Samsung have long ruled the American phone market. Smaller brands"
     " fight over what the two leaders leave behind in the prepaid segment."),
    ("football", "Sports Daily", "2017-12-03",
     "Late goal settles derby\n\nA header in the final minute gave the home side a narrow win on Saturday night."
     " The visiting coach said his players had run out of energy after a long week."),
]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for key, site, date, text in rows:
            f.write(json.dumps({"url": f"https://{key}.example.com/xiaomi", "site": site, "date": date,
                                "text": text}) + "\n")


@pytest.fixture(params=["sources-first", "seed-first"])
def traced(request, graph, tmp_path):
    pages, seed = tmp_path / "pages.jsonl", tmp_path / "seed.jsonl"
    write_jsonl(pages, SOURCES + UNRELATED)
    with open(seed, "w", encoding="utf-8") as f:
        f.write(json.dumps({"url": SEED_URL, "date": SEED_DATE, "site": "Gamesworld Italia", "text": SEED}) + "\n")
    order = [pages, seed] if request.param == "sources-first" else [seed, pages]
    for path in order:
        report = graph.ingest([path])
        assert report.ok, report.errors
    return graph, graph.trace(SEED_URL)


def url(key):
    return f"https://{key}.example.com/xiaomi"


def test_trace_finds_exactly_the_sources(traced):
    graph, t = traced
    by_text = {s.sentence: s for s in t.sentences}
    assert {a.url for a in t.sources} == {url("arena"), url("bloomberg"), url("gizmo")}
    assert by_text[HEADLINE].kind == "verbatim" and by_text[HEADLINE].source.url == url("arena")
    years = by_text[YEARS_PAST]
    assert years.kind == "verbatim" and years.source.url == url("bloomberg")  # the earliest, not the repost
    assert {m.url for m in years.matches} == {url("bloomberg"), url("repost")}
    retail = next(s for s in t.sentences if s.sentence.startswith("For the time being"))
    assert retail.kind == "near" and retail.source.url == url("gizmo") and 0.9 <= retail.source.similarity < 1
    copied = [s for s in t.sentences if s.source is not None]
    assert len(copied) == 3
    market = next(s for s in t.sentences if s.sentence.startswith("The U.S. phone market"))
    assert market.kind == "original" and not any(m.url == url("samefacts") for m in market.matches)


def test_seed_is_stitched_with_the_right_originality(traced):
    graph, t = traced
    assert t.stitched
    assert len(t.sentences) == 18
    assert t.originality == pytest.approx(15 / 18, abs=1e-4)
    assert t.credited == []  # the seed never names PhoneArena, Bloomberg's story or Gizmochina nearby
    unrelated = graph.trace(url("football"))
    assert unrelated.originality == 1.0 and not unrelated.stitched
    family = graph.copies(SEED_URL)
    assert {a.url for a in family.family} == {SEED_URL, url("arena"), url("bloomberg"), url("gizmo"), url("repost")}
    ranked = graph.originality(limit=10, least_first=True)
    assert ranked[0].originality < 1.0 and all(r.originality == 1.0 for r in ranked if r.name == url("football"))
