"""The ingest enricher that resolves an article's mentions to entities, with types re-decided from stored evidence.

Incremental: per article, one indexed read of the touched keys' state (votes, names, short-form links), never a
rebuild. `reindex.py` replays the same rules over stored mentions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from newsgraph.model import VALUE_LABELS, AnnotatedArticle, MentionSpan, Resolution
from newsgraph.nlp.canonical import fold
from newsgraph.nlp.resolve import (
    CUE_WEIGHT,
    SURNAME_LABELS,
    add_votes,
    article_votes,
    better_name,
    cluster_key,
    company_form,
    decide_type,
    place,
    settled,
)

SENSE_MIN = 3.0  # PRODUCT votes a key needs before a company form of it ("Vista Inc.") is another entity
LINK_MIN = 2.0  # articles that must have linked a lone surname to one fuller name before others follow
LINK_SHARE = 0.6  # ... and the share of its links that name must hold
# Labels of a lone name that the article's full name of a person retypes ("Scaramucci" tagged PRODUCT).
SURNAME_CUE_LABELS = frozenset({"PERSON", "ORG", "PRODUCT", "NORP", "GPE"})  # works are often named after people
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Particles that belong to a surname: "Gloria La Riva" is "La Riva", "Ludwig van Beethoven" "van Beethoven".
PARTICLES = frozenset({"la", "le", "de", "del", "della", "da", "di", "du", "dos", "das", "van", "von", "der",
                       "den", "ter", "al", "el", "bin", "ibn"})
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_INITIAL = re.compile(r"^[^\W\d_]\.?$")  # "r.", "r": a middle initial


class EntityState(Protocol):
    """What the resolver reads: a Store, or reindex's in-memory replay."""

    def entity_state(self, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict[str, float]]]: ...

    def alias_targets(self, keys: list[str]) -> dict[str, dict[str, float]]: ...


def _surname_forms(name: str) -> list[str]:
    """The folded short forms a full name goes by: its last word and, with particles before it, those too."""
    words = [w for w in fold(name).split() if w not in NAME_SUFFIXES]
    if len(words) < 2:
        return []
    forms, i = [words[-1]], len(words) - 2
    while i >= 1 and words[i] in PARTICLES:
        forms.append(" ".join(words[i:]))
        i -= 1
    return forms


def _lone(m: MentionSpan) -> bool:
    """A mention still keyed on its own words (annotate tied it to no full name) that no list settles."""
    return (m.label in SURNAME_CUE_LABELS and not m.text.isupper() and not settled(m.key)
            and m.key == cluster_key(m.text, m.ner_label or m.label)[0])


def person_surnames(mentions: list[MentionSpan]) -> list[MentionSpan]:
    """The sense of a lone name, from the people the article names in full.

    A lone name that is the surname of a person the article names in full votes as that person: its vote is
    PERSON instead of spaCy's label ("Scaramucci" tagged PRODUCT beside "Anthony Scaramucci"; "La Riva" tagged
    ORG beside "Gloria La Riva"; "Blankenship" tagged GPE), unless it names a place ("Melbourne" beside a
    span "Make Melbourne"). Evidence, not a tie: keys stay, so "Musharraf" stays one entity across articles,
    typed by all of its votes. And a lone city name spaCy calls PERSON in an article that names nobody of that
    surname in full votes GPE ("Hamilton voters"): news names a person in full before using the surname alone.
    """
    surnames = {form for m in mentions if m.label == "PERSON" and " " in m.key and ":" not in m.key
                for form in _surname_forms(m.name)}
    out = []
    for m in mentions:
        if m.key in surnames:
            if _lone(m) and not (m.label == "GPE" and place(m.key)):
                m = replace(m, label="PERSON")
        elif m.label == "PERSON" and " " not in m.key and _lone(m) and place(m.key):
            m = replace(m, label="GPE")
        out.append(m)
    return out


def person_key(key: str) -> str:
    """One key for the written variants of a person's full name: a lone initial, in the middle or first, and a
    quoted nickname go ("John R. Bolton", "I. Lewis \"Scooter\" Libby" -> "john bolton", "lewis libby"). Two
    initials stay ("George H. W. Bush", "J. K. Rowling"): they tell people apart."""
    words = key.split()
    if len(words) < 3 or ":" in key:
        return key
    words = [w for w in words if not (w[0] in "\"“" and w[-1] in "\"”")] or words
    initials = [i for i, w in enumerate(words) if _INITIAL.match(w)]
    if len(initials) == 1 and initials[0] < len(words) - 1 and len(words) >= 3:
        del words[initials[0]]
    return " ".join(words) if len(words) >= 2 else key


def person_variants(mentions: list[MentionSpan]) -> list[MentionSpan]:
    return [replace(m, key=person_key(m.key)) if m.label == "PERSON" and " " in m.key else m for m in mentions]


def tie_lone_surnames(mentions: list[MentionSpan]) -> list[MentionSpan]:
    """Where annotate tied a lone surname to the article's full name ("Fumo" tagged PERSON -> "Vincent J. Fumo"),
    the article's other lone mentions of it, which spaCy called ORG, GPE or PRODUCT, follow the same tie: one
    person, one entity within the article. Only where a tie exists: an article with no PERSON-tagged lone mention
    keeps its words on their own key, one entity with their mentions elsewhere ("Musharraf"). Done here, not in
    annotate, whose keys the ECB+ story features read."""
    ties: dict[str, list[tuple[int, MentionSpan]]] = {}
    for i, m in enumerate(mentions):
        short = _short_key(m)
        if short and " " in m.key and m.key != short and m.label == "PERSON":
            ties.setdefault(short, []).append((i, m))
    if not ties:
        return mentions
    out = list(mentions)
    for i, m in enumerate(mentions):
        tied = ties.get(m.key)
        if tied and _lone(m) and not (m.label in PLACE_LABELS and place(m.key)):
            before = [t for j, t in tied if j < i]
            full = before[-1] if before else tied[0][1]
            out[i] = replace(m, key=full.key, name=full.name, label="PERSON")
    return out


def mention_votes_of(mentions: list[MentionSpan], text: str) -> dict[str, dict[str, float]]:
    """The type votes an article's mentions cast (resolve.article_votes), surnames of its people as persons."""
    return article_votes(person_surnames(mentions), text)


def _short_key(m: MentionSpan) -> str | None:
    """The key a one-word mention has on its own ("bush"), when the article linked it to a fuller name."""
    if len(m.text.split()) != 1 or m.label in VALUE_LABELS:
        return None
    return cluster_key(m.text, "PERSON")[0]


def link_votes(mentions: list[MentionSpan]) -> dict[str, dict[str, float]]:
    """Short key -> fuller key, once per article, for each lone surname the article tied to a full name ("Cook" ->
    "Tim Cook"). Acronyms stay within their article: across a corpus one means several things ("NDP")."""
    links: dict[str, dict[str, float]] = {}
    for m in mentions:
        short = _short_key(m) if m.label in SURNAME_LABELS and not m.text.isupper() else None
        if short and short != m.key and m.key != cluster_key(m.text, m.ner_label or m.label)[0]:
            links.setdefault(short, {})[m.key] = 1.0
    return links


def link_type_votes(mentions: list[MentionSpan], links: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """A surname tie made in this article votes its full name's type for the short form's key: once for the tie,
    and once more for each lone mention the article left untied ("Trump" tagged ORG beside "Donald Trump"), so
    "Scaramucci" is a PERSON wherever else spaCy calls it a product."""
    label_of = {m.key: m.label for m in mentions if " " in m.key or m.label == "PERSON"}
    untied: dict[str, int] = {}
    for m in mentions:
        if m.label not in PLACE_LABELS:  # "in Melbourne" beside a span "Make Melbourne" is no untied person
            untied[m.key] = untied.get(m.key, 0) + 1
    votes: dict[str, dict[str, float]] = {}
    for short, targets in links.items():
        for target in targets:
            if target in label_of and not settled(short):
                slot = votes.setdefault(short, {})
                weight = CUE_WEIGHT * (1 + untied.get(short, 0))
                slot[label_of[target]] = slot.get(label_of[target], 0.0) + weight
    return votes


def chosen_link(targets: dict[str, float]) -> str | None:
    """The fuller name a short key follows: one that at least LINK_MIN articles linked it to and that holds
    LINK_SHARE of its links; None while the evidence is thinner or split."""
    if not targets:
        return None
    best, weight = max(targets.items(), key=lambda tw: (tw[1], tw[0]))
    return best if weight >= LINK_MIN and weight >= LINK_SHARE * sum(targets.values()) else None


def _followable(m: MentionSpan) -> bool:
    """A mention keyed on one word that may stand for a person's full name; gazetteer names ("Dell") never do."""
    return m.label in SURNAME_LABELS and " " not in m.key and ":" not in m.key and not settled(m.key)


def follow_links(mentions: list[MentionSpan], state: EntityState,
                 links: dict[str, dict[str, float]]) -> tuple[list[MentionSpan], dict[str, str]]:
    """A lone surname the article does not spell out ("Bush") joins the full name articles tied it to, when one
    name holds most of those links; `links` (this article's, not yet stored) count too.

    Also returns the links this article established (short key -> fuller key): the store folds the short key's
    entity, made of earlier articles' lone mentions, into the fuller one, so the order of arrival does not matter.
    """
    followable = {m.key for m in mentions if _followable(m)}
    keys = sorted(followable | {k for k in links if not settled(k)})
    if not keys:
        return mentions, {}
    stored = state.alias_targets(keys)
    chosen: dict[str, str] = {}
    moves: dict[str, str] = {}
    for key in keys:
        before = stored.get(key, {})
        after = dict(before)
        for target, weight in links.get(key, {}).items():
            after[target] = after.get(target, 0.0) + weight
        target = chosen_link(after)
        if target is None:
            continue
        chosen[key] = target
        if target != chosen_link(before):
            moves[key] = target
    if not chosen:
        return mentions, moves
    # A follower votes for its full name's type: as stored, else as tagged here, else a person's.
    known = state.entity_state(sorted(set(chosen.values())))
    here = {m.key: m.label for m in mentions}
    out = []
    for m in mentions:
        if m.key in chosen:
            name, type_, _ = known.get(chosen[m.key], (None, None, None))
            m = replace(m, key=chosen[m.key], name=name or m.name,
                        label=type_ or here.get(chosen[m.key]) or "PERSON")
        out.append(m)
    return out, moves


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


@dataclass(frozen=True)
class PreparedMentions:
    """What resolution computes from the article alone (before the store's ingest lock): its mentions with their
    spaCy label kept, its short-form links, and the type votes of its mentions as annotate keyed them."""

    mentions: list[MentionSpan]
    links: dict[str, dict[str, float]]
    votes: dict[str, dict[str, float]]


def keyed_mentions(mentions: list[MentionSpan]) -> list[MentionSpan]:
    """Annotate's mentions with spaCy's label kept, keyed as the resolver keys them (ties, name variants)."""
    return person_variants(tie_lone_surnames([m if m.ner_label else replace(m, ner_label=m.label) for m in mentions]))


def prepare_mentions(mentions: list[MentionSpan], text: str) -> PreparedMentions:
    mentions = keyed_mentions(mentions)
    return PreparedMentions(mentions, link_votes(mentions), mention_votes_of(mentions, text))


def resolve_mentions(state: EntityState, mentions: list[MentionSpan], text: str, *, new_links: bool = True,
                     prepared: PreparedMentions | None = None):
    """(mentions keyed to their entities, type votes, short-form links, the touched keys' stored state, moves).

    `new_links`: the article's links are not in `state` yet (ingest); reindex's state already holds them all.
    `prepared`: `prepare_mentions(mentions, text)`, computed earlier (outside the ingest lock).
    """
    prepared = prepared or prepare_mentions(mentions, text)
    mentions, links = prepared.mentions, prepared.links
    followed, moves = follow_links(mentions, state, links if new_links else {})
    if not new_links:
        moves = {}
    # A folded entity's stored votes go to the entity it joins (the store drops the short key's).
    moved = {moves[k]: v[2] for k, v in state.entity_state(sorted(moves)).items()} if moves else {}
    # the prepared votes are a fresh copy's: add_votes adds into them
    votes = _copy(prepared.votes) if followed == mentions else mention_votes_of(followed, text)
    mentions = followed
    add_votes(votes, moved)
    add_votes(votes, link_type_votes(mentions, links))
    if not votes:
        return mentions, votes, links, {}, moves
    known = state.entity_state(sorted(votes))
    split = split_senses(mentions, known)
    if split != mentions:
        mentions = split
        votes = mention_votes_of(mentions, text)
        add_votes(votes, moved)
        add_votes(votes, link_type_votes(mentions, links))
        known.update(state.entity_state(sorted(set(votes) - set(known))))
    return mentions, votes, links, known, moves


def _copy(votes: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    return {k: dict(v) for k, v in votes.items()}


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


def prepare(article: AnnotatedArticle) -> PreparedMentions:
    """The store-free part of `resolve_entities`, run before the ingest lock."""
    return prepare_mentions(article.mentions, article.doc.text)


def resolve_entities(store: EntityState, article: AnnotatedArticle,
                     prepared: PreparedMentions | None = None) -> AnnotatedArticle:
    """Give each mention its entity (by key) and that entity's type, decided from all evidence so far;
    `prepared`: `prepare(article)`, when it was computed earlier."""
    mentions, votes, links, known, moves = resolve_mentions(store, article.mentions, article.doc.text,
                                                            prepared=prepared)
    if not votes:
        return replace(article, mentions=mentions)  # no names: no links, nothing to fold
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
                   resolution=Resolution(votes=votes, types=types, names=names, links=links, moves=moves))
