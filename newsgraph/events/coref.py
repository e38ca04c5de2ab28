"""Nominal coreference: "the Chinese company", "the iPhone maker" or "it" resolves to the nearest compatible company."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Span

from newsgraph.errors import NewsgraphError
from newsgraph.nlp.canonical import canonical, fold
from newsgraph.nlp.gazetteer import load_gazetteer

COMPANY_NOUNS = frozenset({
    "company", "firm", "maker", "manufacturer", "vendor", "giant", "group", "conglomerate", "retailer",
    "carrier", "operator", "startup", "start-up", "brand", "automaker", "carmaker", "chipmaker", "bank",
    "lender", "insurer", "airline", "supplier", "producer", "developer", "provider", "corporation", "business",
    "titan", "behemoth", "rival", "outfit", "player",
})
PRONOUNS = frozenset({"it", "its"})
DEMONSTRATIVES = frozenset({"the", "this", "that"})
NATIONALITIES = {
    "chinese": "chinese", "china": "chinese", "american": "american", "us": "american", "u.s.": "american",
    "korean": "korean", "south korean": "korean", "japanese": "japanese", "taiwanese": "taiwanese",
    "german": "german", "french": "french", "british": "british", "uk": "british", "u.k.": "british",
    "indian": "indian", "swiss": "swiss", "dutch": "dutch", "canadian": "canadian", "swedish": "swedish",
    "finnish": "finnish", "italian": "italian", "spanish": "spanish", "european": "european",
}
WINDOW = 400  # tokens back an antecedent may be: a few paragraphs


@dataclass(frozen=True)
class Profile:
    nationality: str | None
    industry: frozenset[str]


@lru_cache(maxsize=1)
def profiles() -> dict[str, Profile]:
    """Nationality and industry words of well-known companies, keyed by canonical name."""
    try:
        raw = json.loads(resources.files("newsgraph.events").joinpath("companies.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NewsgraphError(f"cannot read events/companies.json: {exc}") from exc
    table = {name: Profile(p.get("nationality"), frozenset(p.get("industry", ()))) for name, p in raw["companies"].items()}
    # "the iPhone maker": a company is also described by its product lines.
    for line in load_gazetteer().products:
        for brand in line.brands:
            old = table.get(brand, Profile(None, frozenset()))
            table[brand] = Profile(old.nationality, old.industry | {fold(line.name)})
    return table


def is_descriptor(span: Span) -> bool:
    """A definite company description or a pronoun, which names no company itself."""
    head = span.root
    if head.lower_ in PRONOUNS and len(span) == 1:
        return True
    return head.lemma_.lower() in COMPANY_NOUNS and span[0].lower_ in DEMONSTRATIVES


def _constraints(span: Span) -> tuple[str | None, set[str]]:
    nationality, industry = None, set()
    for tok in span:
        if tok is span.root or tok.dep_ == "det":
            continue
        word = fold(tok.text)
        if word in NATIONALITIES:
            nationality = NATIONALITIES[word]
        elif tok.dep_ in ("compound", "amod", "nmod"):
            industry.add(fold(tok.lemma_))
            industry.add(word)
    return nationality, industry


def _compatible(name: str, nationality: str | None, industry: set[str]) -> bool:
    profile = profiles().get(name)
    if profile is None:
        return True  # unknown company: nothing disagrees
    if nationality and profile.nationality and profile.nationality != nationality:
        return False
    if industry and profile.industry and not (industry & profile.industry):
        return False
    return True


def resolve(span: Span) -> Span | None:
    """The ORG mention `span` refers to: the nearest earlier compatible one within WINDOW tokens."""
    if not is_descriptor(span):
        return None
    nationality, industry = _constraints(span)
    doc = span.doc
    for ent in reversed(doc.ents):
        if ent.end > span.start or ent.label_ != "ORG":
            continue
        if span.start - ent.end > WINDOW:
            return None
        if _compatible(canonical(ent.text, "ORG")[1], nationality, industry):
            return ent
    return None
