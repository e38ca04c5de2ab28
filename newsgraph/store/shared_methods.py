"""The store methods both SQL backends share: each hands a function of the sqlite_* modules (portable SQL, see
postgres_sql.Portable) a connection through the backend's own `_read`, `_stream` and `_transaction`."""
from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

from ..errors import NotFound
from ..model import (
    AnnotatedArticle,
    ArticleDetail,
    ArticleSummary,
    CandidateSentence,
    EntitySummary,
    Event,
    IngestError,
    MatchRow,
    MentionInContext,
    Neighbour,
    OriginalityRow,
    ProvenanceData,
    SeedCandidate,
    Stats,
    StoredError,
    StoryEntity,
    StorySummary,
)
from ..records import (
    ArticleSignature,
    ArticleStoryState,
    Cooccurrence,
    CopiedSpan,
    KeySentence,
    NearDuplicate,
    SourceLink,
    StoredArticle,
    StoryChanges,
    StoryRecord,
    StorySnapshot,
    StoryVocabulary,
)
from . import (
    changes,
    cooccurrence,
    sqlite_delete,
    sqlite_entities,
    sqlite_provenance,
    sqlite_provenance_join,
    sqlite_reads,
    sqlite_stories,
    sqlite_web,
)
from .clock import now
from .sqlite_events import add_events, query_events
from .sqlite_params import in_chunks


def _entity_keys(article: AnnotatedArticle) -> dict[str, tuple[str | None, str]]:
    """key -> (name, type) that add_mentions writes for the article's entities; name None for a key it only
    votes a type for (the same rules as add_mentions)."""
    types = {m.key: m.label for m in article.mentions}
    names = {m.key: m.name for m in article.mentions}
    if article.resolution is not None:
        types.update(article.resolution.types)
        names.update(article.resolution.names)
    mentioned = {m.key for m in article.mentions}
    return {k: (names[k] if k in mentioned else None, t) for k, t in types.items()}


def _entities_before(con, keys) -> dict[str, tuple[int, str, str]]:
    """key -> (id, name, type) of the stored entities among `keys`, read before an article's write."""
    out = {}
    for chunk, marks in in_chunks(sorted(keys)):
        for eid, key, name, label in con.execute(f"SELECT id, key, name, label FROM entities WHERE key IN ({marks})",
                                                 chunk):
            out[key] = (eid, name, label)
    return out


def _touched_by(article_id: int, article: AnnotatedArticle,
                before: dict[str, tuple[int, str, str]]) -> list[str] | None:
    """The pages a new article changes: its own; its stored entities' ("entity:", counts and links) and, for those
    whose name or type it changes, every page naming them ("name:"); its story's members' and the articles it
    copies from (their traces gain it). A story repair moves other articles, and folding an entity into another
    moves other articles' mentions: then None, everything."""
    story = article.story
    if story is not None and story.rewrites or article.resolution is not None and article.resolution.moves:
        return None
    tags = [f"article:{article_id}"]
    for key, (name, label) in _entity_keys(article).items():
        if key in before:
            eid, old_name, old_label = before[key]
            if name is not None:  # mentioned here: its counts and links change
                tags.append(f"entity:{eid}")
            if label != old_label or (name is not None and name != old_name):
                tags.append(f"name:{eid}")
    if story is not None:
        tags.append(f"story:{story.story_id}")
    if article.provenance is not None:
        tags += [f"article:{m.other_article_id}" for m in article.provenance.matches]
        tags += [f"article:{other}" for other, _ in article.provenance.duplicates]
    return tags


class SharedMethods(sqlite_entities.EntityMethods):
    """Everything but connections, search, the sentence and entity writes of an article and the few queries each
    backend words its own way."""

    def version(self) -> int:
        return self._query("reading the store version", "SELECT value FROM store_meta WHERE key = 'version'")[0][0]

    def changes_since(self, version: int) -> list[tuple[int, frozenset[str] | None]] | None:
        return self._read("reading the store's changes", changes.since, version)

    def stats(self) -> Stats:
        return self._read("counting", sqlite_reads.stats)

    def record_error(self, error: IngestError) -> None:
        at = now()
        with self._transaction(f"recording error for {error.item}") as con:
            changes.touch(["errors"])
            con.execute("INSERT INTO errors (item, stage, message, first_seen, last_seen) VALUES (?,?,?,?,?)"
                        " ON CONFLICT (item, stage, message) DO UPDATE SET count = errors.count + 1,"
                        " last_seen = excluded.last_seen", (error.item, error.stage, error.message, at, at))

    # Each backend writes an article's sentences its own way (`_add_sentences`: their ids in sentence order) and
    # may upsert its entities and write its events in fewer statements.
    _upsert_entities = staticmethod(sqlite_entities.upsert_entities)
    _add_events = staticmethod(add_events)

    def add_article(self, article: AnnotatedArticle) -> int | None:
        doc = article.doc
        with self._transaction(f"storing {doc.item}") as con:
            row = con.execute(
                "INSERT INTO articles (identity, item, url, canonical_url, content_hash, title, date, author,"
                " site, language, text, words, meta, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT (identity) DO NOTHING RETURNING id",
                (doc.identity, doc.item, doc.url, doc.canonical_url, doc.content_hash, doc.title, doc.date,
                 doc.author, doc.site, doc.language, doc.text, article.words,
                 json.dumps(doc.meta, ensure_ascii=False, default=str), now())).fetchone()
            if row is None:
                changes.touch([])  # already stored: this write changed nothing
                return None
            article_id = row[0]
            sentence_ids = self._add_sentences(con, article_id, article)
            before = _entities_before(con, _entity_keys(article))
            sqlite_entities.add_mentions(con, article_id, sentence_ids, article, upsert=self._upsert_entities)
            cooccurrence.add_article(con, article_id)
            if article.story is not None:
                sqlite_stories.write_assignment(con, article_id, article.story)
            if article.provenance is not None:
                sqlite_provenance.add_provenance(con, article_id, sentence_ids, article.provenance)
            self._add_events(con, article_id, sentence_ids, article.events)
            touched = _touched_by(article_id, article, before)
            if touched is not None:  # else nothing named: the transaction counts as touching everything
                changes.touch(touched)
            return article_id

    def has_article(self, identity: str) -> bool:
        return bool(self._query("looking up article", "SELECT 1 FROM articles WHERE identity = ?", (identity,)))

    def delete_article(self, article_id: int) -> None:
        with self._transaction(f"deleting article {article_id}") as con:
            if not sqlite_delete.delete_article(con, article_id):
                raise NotFound(f"no article {article_id!r}")

    def entities(self, label: str | None = None, limit: int = 50, offset: int = 0,
                 values: bool = False) -> list[EntitySummary]:
        return self._read("listing entities", sqlite_reads.entities, label, limit, offset, values)

    def find_entities(self, name: str, label: str | None = None) -> list[EntitySummary]:
        return self._read("finding entities", sqlite_reads.find_entities, name, label)

    def entity(self, entity_id: int) -> EntitySummary:
        return self._read("reading entity", sqlite_reads.entity, entity_id)

    def entity_neighbours(self, entity_id: int, limit: int = 20, values: bool = False) -> list[Neighbour]:
        return self._read("reading neighbours", sqlite_reads.neighbours, entity_id, limit, values)

    def article(self, ref: int | str) -> ArticleDetail:
        return self._read("reading article", sqlite_reads.article, ref)

    def articles(self, *, site: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 entity_id: int | None = None, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        return self._read("listing articles", sqlite_web.articles, site=site, date_from=date_from, date_to=date_to,
                          entity_id=entity_id, limit=limit, offset=offset)

    def article_summaries(self, ids: list[int]) -> list[ArticleSummary]:
        return self._read("reading articles", sqlite_provenance.summaries, ids)

    def errors(self, limit: int = 100) -> list[StoredError]:
        rows = self._query("listing errors", "SELECT item, stage, message, count, last_seen FROM errors"
                                             " ORDER BY last_seen DESC, id DESC LIMIT ?", (limit,))
        return [StoredError(*r) for r in rows]

    def story_version(self) -> int:
        return self._read("reading story version", sqlite_stories.version)

    def story_changes(self, since: int) -> StoryChanges:
        return self._read("reading story changes", sqlite_stories.changes, since)

    def story_vocabulary(self) -> StoryVocabulary:
        return self._read("reading story vocabulary", sqlite_stories.vocabulary)

    def story_ids(self) -> list[int]:
        return self._read("listing stories", sqlite_stories.story_ids)

    def story_records(self, ids: list[int]) -> dict[int, StoryRecord]:
        return self._read("reading stories", sqlite_stories.story_records, ids)

    def story_placements(self) -> dict[int, int]:
        return self._read("reading story members", sqlite_stories.placements)

    def article_story_states(self, seqs: list[int]) -> dict[int, ArticleStoryState]:
        return self._read("reading story state", sqlite_stories.article_states, seqs)

    def member_sentences(self, seqs: list[int], first: int) -> dict[int, list[str]]:
        return self._read("reading member sentences", sqlite_stories.member_sentences, seqs, first)

    def replace_stories(self, snapshot: StorySnapshot) -> None:
        with self._transaction("replacing stories") as con:
            sqlite_stories.replace_all(con, snapshot)

    def story_inputs(self) -> Iterator[StoredArticle]:
        yield from self._stream("reading articles for stories", sqlite_stories.iter_for_recluster)

    def stories(self, entity_id: int | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StorySummary]:
        return self._read("listing stories", sqlite_stories.list_stories, entity_id=entity_id, since=since,
                          limit=limit, offset=offset)

    def story(self, story_id: int) -> StorySummary:
        return self._read("reading story", sqlite_stories.story_summary, story_id)

    def story_entities(self, story_id: int, limit: int = 20) -> list[StoryEntity]:
        return self._read("reading story entities", sqlite_stories.story_entities, story_id, limit)

    def story_members(self, story_id: int) -> list[KeySentence]:
        return self._read("reading story members", sqlite_stories.story_members, story_id)

    def article_story(self, article_id: int) -> StorySummary | None:
        return self._read("reading an article's story", sqlite_stories.article_story, article_id)

    def entity_stories(self, entity_id: int) -> list[StorySummary]:
        return self._read("reading entity stories", sqlite_stories.entity_stories, entity_id)

    def cooccurrences(self, entity_ids: list[int] | None = None, min_articles: int = 1,
                      values: bool = False) -> Iterator[Cooccurrence]:
        if entity_ids is not None:
            yield from self._read("reading co-occurrences", cooccurrence.among, list(entity_ids), min_articles)
            return
        yield from self._stream("reading co-occurrences", cooccurrence.every_pair, min_articles, values)

    def entity_mentions(self, entity_id: int, limit: int = 50, offset: int = 0,
                        oldest_first: bool = True) -> list[MentionInContext]:
        return self._read("reading mentions", sqlite_web.entity_mentions, entity_id, limit=limit, offset=offset,
                          oldest_first=oldest_first)

    def source_links(self) -> Iterator[SourceLink]:
        yield from (SourceLink(*r) for r in self._stream("exporting source links", sqlite_provenance.source_links))

    def copied_spans(self) -> Iterator[CopiedSpan]:
        yield from self._stream("exporting copied spans", sqlite_provenance.copied_spans)

    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        return self._read("looking up sentence candidates", sqlite_provenance.candidates, keys, exact, limit)

    def article_candidates(self, keys: list[int]) -> list[ArticleSignature]:
        return [ArticleSignature(a, bytes(sig)) for a, sig in
                self._read("looking up duplicate candidates", sqlite_provenance.article_candidates, keys)]

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        return self._read("looking up n-gram seed candidates", sqlite_provenance.seed_candidates, keys, max_postings,
                          limit)

    def sentence_candidates_many(self, queries: list[tuple[list[int], int]],
                                 limit: int = 100) -> list[list[CandidateSentence]]:
        return self._read("looking up sentence candidates", self._candidates_many, queries, limit)

    def seed_candidates_many(self, queries: list[list[int]], max_postings: int = 100,
                             limit: int = 20) -> list[list[SeedCandidate]]:
        return self._read("looking up n-gram seed candidates", self._seed_candidates_many, queries, max_postings,
                          limit)

    # A server backend answers the lookups of many sentences in a statement or two.
    _candidates_many = staticmethod(sqlite_provenance.candidates_many)
    _seed_candidates_many = staticmethod(sqlite_provenance.seed_candidates_many)

    def sentences_at(self, article_id: int, indices: list[int]) -> list[SeedCandidate]:
        return self._read("reading neighbouring sentences", sqlite_provenance.sentences_at, article_id, indices)

    def provenance_pending(self) -> list[int]:
        return self._read("listing articles without matches", sqlite_provenance_join.pending)

    def sentence_id_range(self) -> tuple[int, int]:
        return self._read("reading the sentence id range", sqlite_provenance_join.sentence_id_range)

    def index_rows(self, index: Literal["bands", "seeds"], first: int, last: int) -> Iterator[tuple[int, int, int]]:
        yield from self._stream(f"reading the provenance {index}", sqlite_provenance_join.index_rows, index, first,
                                last)

    def sentences_by_id(self, ids: list[int]) -> list[SeedCandidate]:
        return self._read("reading sentences", sqlite_provenance_join.sentences_by_id, ids)

    def add_matches(self, found: list[tuple[int, ProvenanceData]]) -> None:
        with self._transaction(f"storing the matches of {len(found)} articles") as con:
            sqlite_provenance_join.add_matches(con, found)

    def sentence_matches(self, article_id: int) -> list[MatchRow]:
        return self._read("reading sentence matches", sqlite_provenance.match_rows, article_id)

    def copy_family(self, article_id: int, limit: int = 1000) -> list[int]:
        return self._read("reading copy family", sqlite_provenance.copy_family, article_id, limit)

    def near_duplicates(self, article_id: int) -> list[NearDuplicate]:
        return [NearDuplicate(*r) for r in self._read("reading near-duplicates", sqlite_provenance.duplicates,
                                                      article_id)]

    def originality(self, by_site: bool = False, limit: int = 50, least_first: bool = False) -> list[OriginalityRow]:
        return self._read("ranking originality", sqlite_provenance.originality, by_site, limit, least_first)

    def events(self, *, type: str | None = None, entity_ids: list[int] | None = None, modality: str | None = None,
               since: str | None = None, article: int | None = None, limit: int = 100,
               offset: int = 0, min_score: float | None = None) -> list[Event]:
        return self._read("listing events", query_events, type=type, entity_ids=entity_ids, modality=modality,
                          since=since, article=article, limit=limit, offset=offset, min_score=min_score)
