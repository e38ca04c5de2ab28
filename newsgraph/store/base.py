"""The storage interface every backend (SQLite, PostgreSQL) implements: one small protocol per feature.

A store reads and writes the typed records of `model` and `records.py`; it knows no clustering, scoring or
timelines (the domain packages build those from the records). Implementations raise only `newsgraph.errors`.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Literal, Protocol, TypeVar

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
    SearchHit,
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

Row = TypeVar("Row")


class ArticleStore(Protocol):
    """Articles, entities and ingest errors. Writes are atomic per article: after a crash an article is either
    wholly there (with its sentences, mentions, events, provenance and story) or not at all."""

    url: str  # where the store lives, without any password: safe to print

    def has_article(self, identity: str) -> bool: ...

    def add_article(self, article: AnnotatedArticle) -> int | None:
        """Insert an article with everything annotated on it; None if it was already there."""
        ...

    def delete_article(self, article_id: int) -> None:
        """Remove an article and everything hanging off it in one transaction; NotFound if there is none."""
        ...

    def record_error(self, error: IngestError) -> None: ...

    def ingest_lock(self) -> AbstractContextManager[None]:
        """Held while an article is enriched and written: the enrichers read what earlier articles stored (story
        index, provenance candidates), so concurrent writers take turns through this section."""
        ...

    def write_batch(self, action: str = "writing a batch") -> AbstractContextManager[None]:
        """One transaction around every write this thread makes inside it (each write then a savepoint, undone
        alone if it fails); this thread's reads see the batch's writes. All of it or none is committed."""
        ...

    def version(self) -> int:
        """Bumped by every write, so a cached response can tell it is stale (read from the store, so every
        process sees it)."""
        ...

    def changes_since(self, version: int) -> list[tuple[int, frozenset[str] | None]] | None:
        """(version, what it touched) of each write after `version`, oldest first: tags such as "article:7",
        "entity:3", "story:2", "errors", or None for a write that may have changed anything. None when the log no
        longer reaches back to `version` (then assume everything changed)."""
        ...

    def stats(self) -> Stats: ...

    def check(self) -> list[str]:
        """Consistency problems, one line each (none in a healthy store): counters that differ from their rows,
        orphaned rows, and the backend's own integrity checks."""
        ...

    def article(self, ref: int | str) -> ArticleDetail:
        """An article by id or by URL (as ingested, or canonical) or item name."""
        ...

    def articles(self, *, site: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 entity_id: int | None = None, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        """Articles newest first, filtered by site, date range (ISO, inclusive) and a mentioned entity."""
        ...

    def article_summaries(self, ids: list[int]) -> list[ArticleSummary]:
        """The articles with these ids, oldest first (undated last)."""
        ...

    def errors(self, limit: int = 100) -> list[StoredError]: ...

    def entities(self, label: str | None = None, limit: int = 50, offset: int = 0,
                 values: bool = False) -> list[EntitySummary]:
        """Entities by articles; without a label, value types (dates, sums: model.VALUE_LABELS) only if `values`."""
        ...

    def find_entities(self, name: str, label: str | None = None) -> list[EntitySummary]:
        """Entities whose canonical name or an alias matches `name` (case-insensitive)."""
        ...

    def entity(self, entity_id: int) -> EntitySummary:
        """One entity; NotFound if there is none."""
        ...

    def entity_neighbours(self, entity_id: int, limit: int = 20, values: bool = False) -> list[Neighbour]:
        """Entities sharing articles with this one, most shared first (value entities only if `values`)."""
        ...

    def entity_mentions(self, entity_id: int, limit: int = 50, offset: int = 0,
                        oldest_first: bool = True) -> list[MentionInContext]:
        """One entity's mentions in context, ordered by article date."""
        ...

    def cooccurrences(self, entity_ids: list[int] | None = None, min_articles: int = 1,
                      values: bool = False) -> Iterator[Cooccurrence]:
        """Pairs of entities (a < b) sharing at least `min_articles` articles: among `entity_ids`, or all (value
        entities among all only if `values`)."""
        ...


class EntityStore(Protocol):
    """What entity resolution (entities/) reads and rewrites: per-key type votes, short-form links, KB ids."""

    def surface_entities(self, texts: list[str]) -> dict[str, dict[int, tuple[str, int]]]:
        """For each mention text (exact, case-sensitive): entity id -> (entity type, mentions), name types only."""
        ...

    def entity_state(self, keys: list[str]) -> dict[str, tuple[str | None, str | None, dict[str, float]]]:
        """key -> (display name, type, {type: accumulated vote weight}) for the keys the store knows (indexed)."""
        ...

    def alias_targets(self, keys: list[str]) -> dict[str, dict[str, float]]:
        """short key -> {fuller key: accumulated weight}: where a short form ("bush") was linked in articles."""
        ...

    def mention_inputs(self) -> Iterator[tuple[int, str, list[tuple]]]:
        """(article id, article text, [(mention id, sentence idx, start, end, text, spaCy label)]) per article,
        oldest id first: what `reindex entities` re-resolves without re-parsing."""
        ...

    def rebuild_entities(self, keys: dict[int, str], entities: dict[str, tuple[str, str]],
                         votes: dict[str, dict[str, float]], links: dict[str, dict[str, float]]) -> dict[str, int]:
        """In one transaction: point each mention (id -> key) at the entity of that key (key -> (name, type)),
        keeping the ids of surviving keys, move event arguments along, drop emptied entities, rebuild counts,
        aliases and co-occurrence rows, and replace all type votes and short-form links. Returns entity counts
        before/after."""
        ...

    def set_kb_ids(self, links: dict[int, str | None]) -> int:
        """Attach the user's knowledge-base id to each entity id (None clears it); returns how many it set."""
        ...


class SearchStore(Protocol):
    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Sentences matching a newsgraph search query (store/query.py); a malformed one raises QueryError."""
        ...


class ProvenanceStore(Protocol):
    def sentence_candidates(self, keys: list[int], exact: int, limit: int = 100) -> list[CandidateSentence]:
        """Stored sentences sharing LSH band keys with a sentence (`exact` is its whole-text key); indexed only."""
        ...

    def article_candidates(self, keys: list[int]) -> list[ArticleSignature]:
        """Stored articles sharing an article band key, with their MinHash signatures."""
        ...

    def seed_candidates(self, keys: list[int], max_postings: int = 100, limit: int = 20) -> list[SeedCandidate]:
        """Stored sentences sharing word n-gram seed keys, most first; a key held by more than `max_postings`
        sentences is skipped (a stock phrase). Indexed lookups only."""
        ...

    def sentences_at(self, article_id: int, indices: list[int]) -> list[SeedCandidate]:
        """An article's sentences at these indices (a candidate's neighbours), `seeds` empty."""
        ...

    def sentence_candidates_many(self, queries: list[tuple[list[int], int]],
                                 limit: int = 100) -> list[list[CandidateSentence]]:
        """`sentence_candidates` of several sentences ((keys, exact) each) at once: one round trip on a server."""
        ...

    def seed_candidates_many(self, queries: list[list[int]], max_postings: int = 100,
                             limit: int = 20) -> list[list[SeedCandidate]]:
        """`seed_candidates` of several sentences' seeds at once: two round trips on a server."""
        ...

    def sentence_matches(self, article_id: int) -> list[MatchRow]: ...

    # Whole-corpus provenance (`batch --provenance join`): articles stored with keys only, matched later in bulk.
    def provenance_pending(self) -> list[int]:
        """Ids of articles stored with their keys but not yet their matches, oldest first."""
        ...

    def sentence_id_range(self) -> tuple[int, int]:
        """(lowest, highest) sentence id; (0, 0) for an empty store."""
        ...

    def index_rows(self, index: Literal["bands", "seeds"], first: int, last: int) -> Iterator[tuple[int, int, int]]:
        """(key, sentence id, article id) rows of the sentence band keys ("bands") or word n-gram seeds ("seeds")
        for sentences first..last: bulk rows for a corpus-wide join, so plain tuples."""
        ...

    def sentences_by_id(self, ids: list[int]) -> list[SeedCandidate]:
        """Sentences by id (`seeds` empty), in no particular order."""
        ...

    def add_matches(self, found: list[tuple[int, ProvenanceData]]) -> None:
        """Write each (article id, its matches, article keys, signature, near-duplicates) in one transaction."""
        ...

    def copy_family(self, article_id: int, limit: int = 1000) -> list[int]: ...

    def near_duplicates(self, article_id: int) -> list[NearDuplicate]: ...

    def originality(self, by_site: bool = False, limit: int = 50, least_first: bool = False) -> list[OriginalityRow]:
        ...

    def source_links(self) -> Iterator[SourceLink]:
        """Each copied sentence counted once, at its earliest source."""
        ...

    def copied_spans(self) -> Iterator[CopiedSpan]:
        """Every copy match from an earlier article with its copied character spans, in article order."""
        ...


class EventStore(Protocol):
    def events(self, *, type: str | None = None, entity_ids: list[int] | None = None, modality: str | None = None,
               since: str | None = None, article: int | None = None, limit: int = 100,
               offset: int = 0, min_score: float | None = None) -> list[Event]:
        """Stored events matching every given filter (`type` may be "Type" or "Type.Subtype"; `min_score`: score at
        least this)."""
        ...


class StoryStore(Protocol):
    """Stories as the clusterer persists them (`stories/persist.py` builds its index from these records)."""

    def story_version(self) -> int:
        """Bumped by every story write, so a cached story index can tell it is stale."""
        ...

    def story_changes(self, since: int) -> StoryChanges:
        """What changed in the stories after story version `since` (the change log), so another process's index
        is refreshed with only that; `reload` when the log cannot tell (then read the index whole)."""
        ...

    def story_vocabulary(self) -> StoryVocabulary: ...

    def story_ids(self) -> list[int]:
        """Every story id, least recently dated first."""
        ...

    def story_records(self, ids: list[int]) -> dict[int, StoryRecord]:
        """The persisted state of the stories with these ids (those the store has)."""
        ...

    def story_placements(self) -> dict[int, int]:
        """Arrival number (`seq`) -> story id of every article with persisted story state, by arrival."""
        ...

    def article_story_states(self, seqs: list[int]) -> dict[int, ArticleStoryState]:
        """The persisted story features of the articles with these arrival numbers (those the store has)."""
        ...

    def member_sentences(self, seqs: list[int], first: int) -> dict[int, list[str]]:
        """The first `first` sentences of the articles with these arrival numbers."""
        ...

    def replace_stories(self, snapshot: StorySnapshot) -> None:
        """Replace every story in one transaction (a recluster)."""
        ...

    def story_inputs(self) -> Iterator[StoredArticle]:
        """Every article with its sentences and mentions, oldest first."""
        ...

    def stories(self, entity_id: int | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StorySummary]: ...

    def story(self, story_id: int) -> StorySummary:
        """One story; NotFound if there is none."""
        ...

    def story_entities(self, story_id: int, limit: int = 20) -> list[StoryEntity]: ...

    def story_members(self, story_id: int) -> list[KeySentence]:
        """Member articles, oldest first, each with its key sentence."""
        ...

    def article_story(self, article_id: int) -> StorySummary | None:
        """The story the article belongs to, if it has been assigned one."""
        ...

    def entity_stories(self, entity_id: int) -> list[StorySummary]: ...


class ExportStore(Protocol):
    def export(self, kind: type[Row]) -> Iterator[Row]:
        """Stream every stored record of one kind (a `records.EXPORT_ROWS` class or `EntityArticleRow`)."""
        ...


class Store(ArticleStore, EntityStore, SearchStore, ProvenanceStore, EventStore, StoryStore, ExportStore, Protocol):
    """A newsgraph store: every feature's protocol at once."""

    def close(self) -> None: ...
