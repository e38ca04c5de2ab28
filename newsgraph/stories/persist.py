"""The clusterer's state to and from a store's plain story records: the store keeps rows, this builds the index."""
from __future__ import annotations

from sys import intern

from ..records import (
    ArticleStoryState,
    StoryArticleRow,
    StoryEntityCount,
    StoryRecord,
    StorySnapshot,
    StoryVocabulary,
)
from ..store.base import StoryStore
from .cache import DEFAULT_STORIES
from .features import ArticleFeatures, key_sentence, tokens
from .index import INDEXED_TERMS, StoryIndex, StoryState, heaviest, story_entity_rows, vector_bytes, vector_from_bytes
from .members import state_from_json, state_json

KEY_SENTENCES = 10  # key_sentence() picks among an article's first ten sentences
LOAD_CHUNK = 500  # stories read back at a time while the index is built, so loading stays within the cap too


def story_state(record: StoryRecord) -> StoryState:
    story = StoryState(id=record.id, label=record.label, first_date=record.first_date, last_date=record.last_date,
                       size=record.size)
    for term, w in record.terms.items():
        story.centroid[intern(term)] = w  # one string per term across reloaded stories
    for e in record.entities:
        story.entities[e.label, e.key] = e.articles
        story.names[e.label, e.key] = e.name
        if e.repeats:
            story.repeats[e.label, e.key] = e.repeats
    story.times.update(record.times)
    story.events.update(record.events)
    if record.vector is not None:
        story.vector = vector_from_bytes(record.vector)
    return story


def load_stories(store: StoryStore, ids: list[int]) -> dict[int, StoryState]:
    """The persisted state of the stories with these ids (those the store has)."""
    return {sid: story_state(r) for sid, r in store.story_records(ids).items()}


def load_states(store: StoryStore, seqs: list[int]) -> dict[int, ArticleFeatures]:
    """The persisted story features of the articles with these clusterer keys (those the store has)."""
    return {seq: state_from_json(s.state, None if s.embedding is None else vector_from_bytes(s.embedding))
            for seq, s in store.article_story_states(seqs).items()}


def load_index(store: StoryStore, cap: int | None = DEFAULT_STORIES) -> StoryIndex:
    """The clusterer's index rebuilt from the store; postings are filled oldest story first, and at most `cap`
    stories (the most recently updated) stay in memory, the others read back through `stories.loader`.
    Members' per-article state is read on demand through `members.loader`."""
    index = StoryIndex()
    vocab = store.story_vocabulary()
    index.version = vocab.version
    index.vocab.docs = index.entity_vocab.docs = vocab.docs
    index.vocab.df.update(vocab.term_df)
    index.entity_vocab.df.update(vocab.entity_df)
    stories = index.stories
    stories.cap, stories.loader = cap, (lambda ids: load_stories(store, ids))
    ids = store.story_ids()
    for i in range(0, len(ids), LOAD_CHUNK):
        chunk = load_stories(store, ids[i:i + LOAD_CHUNK])
        for sid in ids[i:i + LOAD_CHUNK]:
            story = chunk[sid]
            for key in story.entities:
                index.post(index.by_entity, key, sid)
            for term, _ in heaviest(story.centroid, INDEXED_TERMS):
                index.post(index.by_term, term, sid)
            stories.cache[sid] = story
            stories.live[sid] = (story.first_date, story.last_date)
        stories.persisted()
    stories.live = {sid: stories.live.get(sid) for sid in sorted(ids)}
    index.next_id = max(ids, default=0) + 1
    # Only which story each article is in: repair reads the articles' state on demand.
    for seq, sid in store.story_placements().items():
        index.members.place(seq, sid)
    index.members.loader = lambda seqs: load_states(store, seqs)
    return index


def refresh(index: StoryIndex, store: StoryStore) -> bool:
    """Bring `index` up to the store's story version with only the stories changed since (another process wrote
    them: the change log names them); False when the log cannot tell and the index must be loaded whole.

    A changed story is read back whole and re-posted as the writing process posted it, a story the other process
    emptied goes, its moved members follow, and the document frequencies written since are taken as they are now."""
    changes = store.story_changes(index.version)
    if changes.reload:
        return False
    if changes.version == index.version:
        return True
    stories, members = index.stories, index.members
    for sid in changes.gone:
        if sid in stories:
            del stories[sid]
        if members is not None:
            members.of_story.pop(sid, None)
    for sid, record in changes.stories.items():
        story = story_state(record)
        stories.cache[sid] = story
        stories.cache.move_to_end(sid)
        stories.live[sid] = (story.first_date, story.last_date)  # a new id goes last: ids are handed out in order
        for key in sorted(story.entities):
            index.post(index.by_entity, key, sid)
        for term, _ in heaviest(story.centroid, INDEXED_TERMS):
            index.post(index.by_term, term, sid)
        index.next_id = max(index.next_id, sid + 1)
    if members is not None:
        for seq, sid in changes.placements.items():
            members.move(seq, sid)
    index.vocab.docs = index.entity_vocab.docs = changes.docs
    index.vocab.df.update(changes.term_df)
    index.entity_vocab.df.update(changes.entity_df)
    index.version = changes.version
    stories.persisted()  # what was read back may push older stories out, down to the cap
    return True


def moved_key_sentences(store: StoryStore, terms_of: dict[int, dict[str, float]]) -> dict[int, int | None]:
    """Key sentences of members local repair moved ({arrival number: the terms of the story it is now in})."""
    texts = store.member_sentences(sorted(terms_of), KEY_SENTENCES)
    out = {}
    for seq, terms in terms_of.items():
        probe = ArticleFeatures(tf={}, entities={}, times=frozenset(), date=None,
                                sentence_terms=[set(tokens(t)) for t in texts.get(seq, [])])
        out[seq] = key_sentence(probe, terms)
    return out


def snapshot(index: StoryIndex, members: dict[int, tuple[int, float, int | None]],
             seqs: dict[int, int] | None = None) -> StorySnapshot:
    """Every story of `index` as records (a recluster); `members`: article id -> (story, score, key sentence);
    `seqs`: article id -> its key in `index.members`, whose per-article state is persisted with it."""
    stories = [StoryRecord(id=s.id, label=s.label, first_date=s.first_date, last_date=s.last_date, size=s.size,
                           terms=dict(s.centroid), entities=[StoryEntityCount(*row) for row in story_entity_rows(s)],
                           times=dict(s.times), events=dict(s.events),
                           vector=None if s.vector is None else vector_bytes(s.vector))
               for s in index.stories.values()]
    states = []
    if seqs and index.members is not None:
        for aid, seq in seqs.items():
            f = index.members.features(seq)
            states.append(ArticleStoryState(article_id=aid, seq=seq, state=state_json(f),
                                            embedding=None if f.embedding is None else vector_bytes(f.embedding)))
    return StorySnapshot(stories=stories, members=[StoryArticleRow(aid, *m) for aid, m in members.items()],
                         states=states, vocabulary=StoryVocabulary(version=index.version, docs=index.vocab.docs,
                                                                  term_df=dict(index.vocab.df),
                                                                  entity_df=dict(index.entity_vocab.df)))
