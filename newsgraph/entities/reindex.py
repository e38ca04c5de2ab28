"""`reindex entities`: re-resolve every stored mention with the current rules, without re-parsing any article.

Two passes over the stored mentions (oldest article first): the first gathers short-form links ("Bush" ->
"George W. Bush"), the second replays the ingest resolver against an in-memory state seeded with them; each
entity's type is then decided once from all its votes. One transaction rewrites the entities.
"""
from __future__ import annotations

from collections.abc import Callable

from newsgraph.model import VALUE_LABELS, MentionSpan
from newsgraph.nlp.annotate import link_surnames
from newsgraph.nlp.resolve import add_votes, better_name, cluster_key, decide_type, link_acronyms
from newsgraph.store.base import Store

from .enrich import decide, keyed_mentions, link_votes, resolve_mentions


class MemoryState:
    """The resolver's view of the store, kept in memory while replaying."""

    def __init__(self, links: dict[str, dict[str, float]]):
        self.links = links
        self.names: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.votes: dict[str, dict[str, float]] = {}

    def entity_state(self, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict[str, float]]]:
        return {k: (self.names.get(k), self.types.get(k), dict(self.votes.get(k, {})))
                for k in keys if k in self.names or k in self.votes}

    def alias_targets(self, keys: list[str]) -> dict[str, dict[str, float]]:
        return {k: self.links[k] for k in keys if k in self.links}


def _mentions(text: str, rows: list[tuple]) -> tuple[list[int], list[MentionSpan]]:
    """Stored mention rows back to annotate's MentionSpans (spaCy's label, fresh keys, in-article links)."""
    ids, spans = [], []
    for mention_id, sentence, start, end, surface, label in rows:
        key, name = cluster_key(surface, label)
        ids.append(mention_id)
        spans.append(MentionSpan(sentence=sentence, start=start, end=end, text=surface, label=label, key=key,
                                 name=name))
    return ids, link_acronyms(link_surnames(spans), text)


def reindex_entities(store: Store, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Rebuild all entities from the stored mentions; returns counts (entities before/after, mentions)."""
    links: dict[str, dict[str, float]] = {}
    full_names: dict[str, str] = {}  # a link target's name as first written, as ingest would have stored it
    for _, text, rows in store.mention_inputs():
        spans = keyed_mentions(_mentions(text, rows)[1])
        article_links = link_votes(spans)
        add_votes(links, article_links)
        targets = {t for by_target in article_links.values() for t in by_target}
        for m in spans:
            if m.key in targets:
                full_names.setdefault(m.key, m.name)
    state = MemoryState(links)
    state.names.update(full_names)
    keys: dict[int, str] = {}
    for n, (_, text, rows) in enumerate(store.mention_inputs(), 1):
        ids, spans = _mentions(text, rows)
        resolved, votes, _, known, _ = resolve_mentions(state, spans, text, new_links=False)
        if votes:
            types, names = decide(resolved, votes, known)
            state.types.update(types)
            for key, name in names.items():
                state.names[key] = better_name(state.names.get(key), name)
            add_votes(state.votes, votes)
        for mention_id, m in zip(ids, resolved):
            keys[mention_id] = m.key
            if m.label in VALUE_LABELS:
                state.names.setdefault(m.key, m.name)
                state.types.setdefault(m.key, m.label)
        if progress is not None:
            progress(n)
    used = set(keys.values())
    entities = {k: (state.names.get(k) or k, decide_type(k, state.votes.get(k, {}), state.types.get(k, "ORG")))
                for k in used}
    return store.rebuild_entities(keys, entities, state.votes, links)
