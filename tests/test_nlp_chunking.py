"""Long articles are parsed in paragraph-aligned pieces and joined back without changing the result's text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.model import ExtractedDoc
from newsgraph.nlp import annotate
from newsgraph.nlp.chunking import join_docs, split_for_nlp

PARAGRAPH = ("Samsung Electronics Co. sold 10 million phones in March. Apple Inc. CEO Tim Cook said "
             "the iPhone X sold well, and Huawei plans to sell the Mate 10 in the US.")


@given(st.text(alphabet="ab \n.", max_size=400), st.integers(min_value=5, max_value=60))
@settings(max_examples=200)
def test_pieces_concatenate_to_the_text(text, max_chars):
    pieces = split_for_nlp(text, max_chars)
    assert "".join(pieces) == text
    assert all(pieces) or pieces == [""]
    for piece in pieces[:-1]:
        assert piece[-1].isspace()  # so join_docs adds no space between pieces


def test_long_text_is_cut_at_paragraphs():
    text = "\n\n".join([PARAGRAPH] * 10)
    pieces = split_for_nlp(text, max_chars=500)
    assert len(pieces) > 2
    assert all(len(p) <= 500 for p in pieces)
    assert all(p.startswith("Samsung") for p in pieces)


def test_joined_doc_annotates_like_the_whole(nlp):
    text = "\n\n".join([PARAGRAPH] * 6)
    extracted = ExtractedDoc(item="long", text=text, url=None, canonical_url=None, content_hash="h")
    whole = annotate(nlp(text), extracted)
    joined = annotate(join_docs(list(nlp.pipe(split_for_nlp(text, max_chars=400)))), extracted)
    assert [(s.start, s.end) for s in joined.sentences] == [(s.start, s.end) for s in whole.sentences]
    assert [(m.start, m.label, m.name) for m in joined.mentions] == [(m.start, m.label, m.name) for m in whole.mentions]


def test_joined_doc_keeps_events_at_their_offsets(nlp):
    text = "\n\n".join([PARAGRAPH] * 6)
    whole = nlp(text)
    joined = join_docs(list(nlp.pipe(split_for_nlp(text, max_chars=400))))
    events = joined._.newsgraph_events
    assert events and events == whole._.newsgraph_events
    for e in events:
        assert text[e["start"]:e["end"]] == e["trigger"]
