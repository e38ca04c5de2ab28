"""The ingest enricher that resolves an article's mentions to entities, with types re-decided from stored evidence.

Incremental: per article, one indexed read of the touched keys' state (votes, names, short-form links), never a
rebuild. `reindex.py` replays the same rules over stored mentions.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from newsgraph.model import VALUE_LABELS, AnnotatedArticle, MentionSpan, Resolution
from newsgraph.nlp.resolve import (
    add_votes,
    article_votes,
    better_name,
    cluster_key,
    company_form,
    decide_type,
    curated,
)

SENSE_MIN = 3.0  # PRODUCT votes a key needs before a company form of it ("Vista Inc.") is another entity
LINK_MIN = 2.0  # articles that must have linked a lone surname to one fuller name before others follow
LINK_SHARE = 0.6  # ... and the share of its links that name must hold
SURNAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "PRODUCT", "LOC"})


class EntityState(Protocol):
    """What the resolver reads: a Store, or reindex's in-memory replay."""

    def entity_state(self, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict[str, float]]]: ...

    def alias_targets(self, keys: list[str]) -> dict[str, dict[str, float]]: ...


def _short_key(m: MentionSpan) -> str | None:
    """The key a one-word mention has on its own ("bush"), when the article linked it to a fuller name."""
    if len(m.text.split()) != 1 or m.label in VALUE_LABELS:
        return None
    return cluster_key(m.text, "PERSON")[0]


def link_votes(mentions: list[MentionSpan]) -> dict[str, dict[str, float]]:
    """Short key -> fuller key: once per article for each lone surname the article tied to a full name."""
    links: dict[str, dict[str, float]] = {}
    for m in mentions:
        short = _short_key(m) if m.label == "PERSON" else None
        if short and short != m.key:
            links.setdefault(short, {})[m.key] = 1.0
    return links


def follow_links(mentions: list[MentionSpan], state: EntityState) -> list[MentionSpan]:
    """A lone surname the article does not spell out ("Bush") joins the full name other articles tied it to,
    when one name holds most of those links; names with a gazetteer type ("Dell") never do."""
    lone = {m.key for m in mentions if m.label in SURNAME_LABELS and len(m.text.split()) == 1
            and m.key == _short_key(m) and not curated(m.key)}
    if not lone:
        return mentions
    chosen = {}
    for key, targets in state.alias_targets(sorted(lone)).items():
        best, weight = max(targets.items(), key=lambda tw: (tw[1], tw[0]))
        if weight >= LINK_MIN and weight >= LINK_SHARE * sum(targets.values()):
            chosen[key] = best
    if not chosen:
        return mentions
    names = state.entity_state(sorted(set(chosen.values())))
    return [replace(m, key=chosen[m.key], name=names.get(chosen[m.key], (m.name,))[0] or m.name, label="PERSON")
            if m.key in chosen else m for m in mentions]


def split_senses(mentions: list[MentionSpan], state: dict) -> list[MentionSpan]:
    """A company form of a name the store knows as a product ("Vista Inc." beside Windows "Vista") is its own
    entity: the legal form in the mention is the evidence that the name means a second thing."""
    out = []
    for m in mentions:
        known = state.get(m.key)
        if known and known[1] == "PRODUCT" and known[2].get("PRODUCT", 0.0) >= SENSE_MIN:
            form = company_form(m)  # cleanco, the resolver's costliest call: only for the few stored products
            if form:
                m = replace(m, key=form[0], name=form[1], label="ORG")
        out.append(m)
    return out


def resolve_mentions(state: EntityState, mentions: list[MentionSpan], text: str):
    """(mentions keyed to their entities, type votes, short-form links, the touched keys' stored state)."""
    mentions = [m if m.ner_label else replace(m, ner_label=m.label) for m in mentions]
    links = link_votes(mentions)
    mentions = follow_links(mentions, state)
    votes = article_votes(mentions, text)
    if not votes:
        return mentions, votes, links, {}
    known = state.entity_state(sorted(votes))
    split = split_senses(mentions, known)
    if split != mentions:
        mentions = split
        votes = article_votes(mentions, text)
        known.update(state.entity_state(sorted(set(votes) - set(known))))
    return mentions, votes, links, known


def decide(mentions: list[MentionSpan], votes: dict, known: dict) -> tuple[dict[str, str], dict[str, str]]:
    """(type, display name) by key, from the stored votes plus this article's."""
    total: dict[str, dict[str, float]] = {k: dict(v[2]) for k, v in known.items()}
    add_votes(total, votes)
    first_label: dict[str, str] = {}
    for m in mentions:
        first_label.setdefault(m.key, m.label)
    types = {k: decide_type(k, total.get(k, {}), (known.get(k) or (None, None))[1] or first_label.get(k, "ORG"))
             for k in votes}
    names: dict[str, str] = {}
    for m in mentions:
        if m.label not in VALUE_LABELS:
            stored = known[m.key][0] if m.key in known else None
            names[m.key] = better_name(names.get(m.key) or stored, m.name)
    return types, names


def resolve_entities(store: EntityState, article: AnnotatedArticle) -> AnnotatedArticle:
    """Give each mention its entity (by key) and that entity's type, decided from all evidence so far."""
    mentions, votes, links, known = resolve_mentions(store, article.mentions, article.doc.text)
    if not votes:
        return replace(article, mentions=mentions)
    types, names = decide(mentions, votes, known)
    resolved = [m if m.label in VALUE_LABELS else replace(m, label=types[m.key], name=names[m.key])
                for m in mentions]
    # Event arguments name their entity by the key annotate gave; follow any re-keying done here.
    rekey = {old.key: new.key for old, new in zip(article.mentions, resolved) if old.key != new.key}
    events = [replace(ev, arguments=[
        replace(a, entity_key=rekey.get(a.entity_key, a.entity_key),
                entity_label=types.get(rekey.get(a.entity_key, a.entity_key), a.entity_label))
        if a.entity_key else a for a in ev.arguments]) for ev in article.events]
    return replace(article, mentions=resolved, events=events,
                   resolution=Resolution(votes=votes, types=types, names=names, links=links))
