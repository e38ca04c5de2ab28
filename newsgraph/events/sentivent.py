"""Reads the SENTiVENT corpus in place (never copied) and parses its sentences with newsgraph's pipeline."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from newsgraph.errors import InputError


@dataclass
class GoldEvent:
    type: str
    subtype: str | None
    start: int  # offsets into the sentence text
    end: int
    modality: str  # certain | other
    polarity: str  # positive | negative
    arguments: list[tuple[int, int, str]]  # (start, end, role) in sentence offsets


@dataclass
class GoldSentence:
    doc_id: str
    text: str
    types: list[str]
    events: list[GoldEvent]


def read_sentences(path: str | Path) -> Iterator[GoldSentence]:
    """Every sentence of a SENTiVENT JSONL file with the events whose trigger starts in it."""
    try:
        f = open(path, encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read SENTiVENT data: {exc}") from exc
    with f:
        for n, line in enumerate(f, 1):
            try:
                doc = json.loads(line)
                sentences = doc["sentences"]
                events = doc["events"]
            except (json.JSONDecodeError, KeyError) as exc:
                raise InputError(f"{path}:{n}", f"not a SENTiVENT document: {exc}") from exc
            for s in sentences:
                lo, hi = s["start"], s["end"]
                gold = [GoldEvent(e["type"], e.get("subtype"), e["trigger"]["start"] - lo, e["trigger"]["end"] - lo,
                                  e.get("modality", "certain"), e.get("polarity", "positive"),
                                  [(a["start"] - lo, a["end"] - lo, a["role"]) for a in e.get("arguments", [])
                                   if lo <= a["start"] and a["end"] <= hi])
                        for e in events if lo <= e["trigger"]["start"] < hi]
                yield GoldSentence(doc["id"], s["text"], sorted(set(s.get("event_types", []))), gold)


def parse(nlp, sentences: list[GoldSentence], batch_size: int = 64) -> list[Doc]:
    """One Doc per gold sentence (SENTiVENT's own split); callers treat `doc[:]` as the sentence."""
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p == "newsgraph_events"]):
        return list(nlp.pipe((s.text for s in sentences), batch_size=batch_size))


def gold_triggers(sentences: list[GoldSentence], docs: list[Doc]) -> Iterator[tuple[GoldSentence, GoldEvent, Token]]:
    """(sentence, gold event, the root of its trigger in our parse) for every gold event whose span maps onto it."""
    for s, d in zip(sentences, docs, strict=True):
        for e, span in gold_spans(s, d):
            yield s, e, span.root


def gold_spans(sentence: GoldSentence, doc: Doc) -> Iterator[tuple[GoldEvent, Span]]:
    """(gold event, its trigger's tokens in our parse) for the sentence's events whose span maps onto the parse."""
    for e in sentence.events:
        span = doc.char_span(e.start, e.end, alignment_mode="expand")
        if span is not None and len(span):
            yield e, span
