"""spaCy components that reconcile the gazetteer ruler with the statistical NER and fix entity boundaries."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsgraph.nlp.gazetteer import Gazetteer, load_gazetteer
from newsgraph.nlp.patterns import (
    COMPANY_PREFIX,
    PRODUCT_ID,
    WHOLE_PRODUCT_ID,
    ProductIndex,
    company_id,
)

NER_SNAPSHOT = "newsgraph_ner"  # doc.spans key holding the NER's entities before the ruler
# A longer NER span of these labels around a ruler product is kept ("Galaxy S8 Active" PRODUCT).
PRODUCT_YIELDS = frozenset({"PRODUCT", "WORK_OF_ART", "EVENT", "FAC"})
DETERMINERS = frozenset({"the", "The", "a", "A", "an", "An"})
CURRENCY = re.compile(r"^(?:[A-Z]{0,3}\$|[€£¥₹₩])$")
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
# Labels whose spans are names, where spaCy's leading "the" is not part of the name.
NAME_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "PERSON"})


@Language.component("newsgraph_ner_snapshot")
def ner_snapshot(doc: Doc) -> Doc:
    """Keep the NER's entities so newsgraph_entity_fix can restore them after the ruler overwrites."""
    doc.spans[NER_SNAPSHOT] = list(doc.ents)
    return doc


def _longer_name(outer: Span, inner: Span) -> bool:
    """`outer` contains `inner` and adds more than an article, a possessive or whitespace at its edges.

    ("the Mi 7" and "Lockheed Martin's" are no longer names than "Mi 7" and "Lockheed Martin".)
    """
    doc = outer.doc
    start, end = outer.start, outer.end
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in POSSESSIVE):
        end -= 1
    if start < end and doc[start].text in DETERMINERS:
        start += 1
    return start <= inner.start and end >= inner.end and end - start > len(inner)


class EntityFix:
    """Reads each ruler span in full, decides between it and the NER, and splits brand + product."""

    def __init__(self, gazetteer: Gazetteer):
        self.gaz = gazetteer
        self.products = ProductIndex.build(gazetteer)

    def __call__(self, doc: Doc) -> Doc:
        originals = list(doc.spans[NER_SNAPSHOT]) if NER_SNAPSHOT in doc.spans else []
        if NER_SNAPSHOT in doc.spans:
            del doc.spans[NER_SNAPSHOT]  # internal; don't ship it with the doc
        restored: list[Span] = []  # NER spans that beat the ruler
        ruler: list[Span] = []
        kept: list[Span] = []  # NER spans the ruler did not touch
        fallback: list[Span] = []  # NER spans under ruler matches that turned out not to be names
        for ent in doc.ents:
            if not ent.id_.startswith("newsgraph:"):
                kept.append(ent)
                continue
            spans = self._finish(doc, ent)
            start = min([ent.start] + [s.start for s in spans])
            end = max([ent.end] + [s.end for s in spans])
            overlapping = [o for o in originals if o.start < end and o.end > start]
            winner = self._decide(ent, spans, overlapping)
            if winner is spans:
                ruler.extend(spans)
                fallback.extend(overlapping)  # used only where the ruler's spans leave room
            else:
                restored.extend(winner)
        # Earlier groups claim their tokens first; a span overlapping a claimed token is dropped.
        taken: set[int] = set()
        final = []
        for span in restored + ruler + kept + fallback:
            tokens = range(span.start, span.end)
            if any(i in taken for i in tokens):
                continue
            taken.update(tokens)
            final.append(span)
        doc.ents = sorted(final, key=lambda s: s.start)
        return doc

    def _decide(self, ent: Span, spans: list[Span], overlapping: list[Span]) -> list[Span]:
        """`spans` if the ruler wins, else the NER spans to put back (possibly none)."""
        if not spans:
            return overlapping  # an ambiguous anchor ("Galaxy" with no model): leave it to the NER
        if ent.id_.startswith(COMPANY_PREFIX):
            name = spans[0]
            containing = [o for o in overlapping if _longer_name(o, name)]
            if containing:
                return containing  # "Bloomberg Business News", "Michael Dell": the longer name wins
            company = self.gaz.company(ent.id_[len(COMPANY_PREFIX):])
            exact = [o for o in overlapping if o.start == name.start and o.end == name.end]
            if company is not None:
                if exact and exact[0].label_ in company.yield_to:
                    return exact
                if company.relabel_only and not overlapping:
                    return []  # a common word spaCy did not take for a name
            return spans
        product = spans[-1]
        containing = [o for o in overlapping if _longer_name(o, product) and o.label_ in PRODUCT_YIELDS]
        return containing or spans

    def _finish(self, doc: Doc, ent: Span) -> list[Span]:
        """The ruler span read in full: "Huawei Mate 9" -> ORG + PRODUCT, "Microsoft Corp" -> ORG."""
        if ent.id_ == PRODUCT_ID:
            r = self.products.resolve(doc, ent)
            spans = []
            if r.brand and self.gaz.company(ent[0].text) is not None:
                spans.append(Span(doc, ent.start, r.product_start, label="ORG", span_id=company_id(ent[0].text)))
            if r.valid:
                spans.append(Span(doc, r.product_start, r.end, label="PRODUCT", span_id=WHOLE_PRODUCT_ID))
            return spans
        if ent.id_.startswith(COMPANY_PREFIX):
            end = ent.end
            # "Microsoft Corp", "Samsung Electronics Co. Ltd." belong to the name
            while end < len(doc) and end - ent.end < 2 and doc[end].text in self.gaz.legal_suffixes:
                end += 1
            return [Span(doc, ent.start, end, label=ent.label_, span_id=ent.id_)] if end != ent.end else [ent]
        if ent.id_ == WHOLE_PRODUCT_ID:
            return [ent]
        raise ValueError(f"unknown newsgraph pattern id {ent.id_!r}")


@Language.factory("newsgraph_entity_fix")
def make_entity_fix(nlp: Language, name: str) -> EntityFix:
    return EntityFix(load_gazetteer())


@Language.component("newsgraph_money_fix")
def money_fix(doc: Doc) -> Doc:
    """A MONEY span takes in the currency symbol in front of it ("$500", not "500")."""
    ents = list(doc.ents)
    changed = False
    for i, ent in enumerate(ents):
        if ent.label_ != "MONEY" or ent.start == 0:
            continue
        before = doc[ent.start - 1]
        if not before.ent_type and CURRENCY.match(before.text):
            ents[i] = Span(doc, ent.start - 1, ent.end, label="MONEY")
            changed = True
    if changed:
        doc.ents = ents
    return doc


# Time-zone abbreviations spaCy tags ORG ("as of 16:08 UTC"); they name no organisation or place.
TIME_ZONES = frozenset({"UTC", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "CET", "CEST", "BST",
                        "JST", "KST", "HKT", "SGT", "AEST", "AEDT"})
CLOCK = re.compile(r"^(?:\d{1,2}(?:[:.]\d{2})?|[ap]\.?m\.?)$", re.IGNORECASE)  # "16:08", "9", "a.m."


@Language.component("newsgraph_time_zone_fix")
def time_zone_fix(doc: Doc) -> Doc:
    """A time zone is part of a time: "16:08 UTC" is TIME, where spaCy tags "UTC" ORG and leaves "16:08" out."""
    ents: list[Span] = []
    changed = False
    for ent in doc.ents:
        if ent.text not in TIME_ZONES or ent.label_ == "TIME":
            ents.append(ent)
            continue
        start = ent.start
        if ents and ents[-1].end == start and ents[-1].label_ == "TIME":
            start = ents.pop().start
        else:
            while start > 0 and not doc[start - 1].ent_type and CLOCK.match(doc[start - 1].text):
                start -= 1
        ents.append(Span(doc, start, ent.end, label="TIME"))
        changed = True
    if changed:
        doc.ents = ents
    return doc


def _leading_article(tok: Token) -> bool:
    # Mid-sentence "The" is part of a name ("The New York Times"); "the" never is.
    return tok.text == "the" or (tok.text == "The" and tok.is_sent_start)


def _possessive_words(gaz: Gazetteer) -> frozenset[str]:
    """Last words of names that end in 's ("Poor's" of "Standard & Poor's"), apostrophes straightened."""
    return frozenset(name.replace("’", "'").split()[-1] for name in gaz.possessive_names)


class BoundaryFix:
    """Trims entity edges: no trailing possessive "'s", no leading "the", no whitespace at either end."""

    def __init__(self, gazetteer: Gazetteer):
        self.keep = _possessive_words(gazetteer)

    def _owns_possessive(self, doc: Doc, end: int) -> bool:
        # "McDonald's", "Moody's": the 's is part of the name
        return end >= 2 and (doc[end - 2].text + doc[end - 1].text).replace("’", "'") in self.keep

    def __call__(self, doc: Doc) -> Doc:
        ents = []
        changed = False
        for ent in doc.ents:
            start, end = ent.start, ent.end
            while end > start and doc[end - 1].is_space:
                end -= 1
            while end > start and doc[end - 1].text in POSSESSIVE and not self._owns_possessive(doc, end):
                end -= 1
            while start < end and doc[start].is_space:
                start += 1
            from_ruler = ent.id_.startswith("newsgraph:")  # gazetteer names keep their "The" ("The Verge")
            if end - start > 1 and ent.label_ in NAME_LABELS and not from_ruler and _leading_article(doc[start]):
                start += 1
            if (start, end) == (ent.start, ent.end):
                ents.append(ent)
                continue
            changed = True
            if end > start:
                ents.append(Span(doc, start, end, label=ent.label_, span_id=ent.id_))
        if changed:
            doc.ents = ents
        return doc


@Language.factory("newsgraph_boundary_fix")
def make_boundary_fix(nlp: Language, name: str) -> BoundaryFix:
    return BoundaryFix(load_gazetteer())
