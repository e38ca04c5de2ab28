"""`Graph`, newsgraph's Python API: ingest news into a store and query what it found."""
from __future__ import annotations

import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import BinaryIO, TextIO

from .errors import NewsgraphError, NotFound
from .model import (
    ArticleDetail,
    ArticleFull,
    ArticleSummary,
    ArticleTrace,
    CopyFamily,
    EntityDetail,
    EntitySummary,
    EntityTimeline,
    Event,
    IngestReport,
    MentionInContext,
    OriginalityRow,
    SearchHit,
    Stats,
    StoredError,
    VALUE_LABELS,
    StoryDetail,
    StorySummary,
)
from .records import Cooccurrence
from .store.base import Store

DEFAULT_DB = "newsgraph.db"
STORY_ARTICLES = 200  # a story timeline lists events from at most this many member articles
STORY_EVENTS = 200  # events read per article


def demo_corpus() -> Path:
    """Path of the bundled demo corpus: 200 English Wikinews articles (CC BY 2.5)."""
    return Path(str(resources.files("newsgraph") / "data" / "demo-wikinews-200.jsonl"))


def default_db_path() -> str:
    return os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB


class Graph:
    """A news knowledge graph over a store.

    The store is built by the caller and passed in (`newsgraph.open` builds a SQLite one).
    The spaCy pipeline and the fetcher are made on first use, or can be passed in too.
    """

    def __init__(self, store: Store, *, nlp=None, fetcher=None, db: str | None = None):
        self.store = store
        self.db = db  # what the store was opened from (a path or a URL with its password): `batch` reopens it
        self._nlp = nlp
        self._fetcher = fetcher
        from .ingest.enrichers import default_enrichers  # light imports: no model loading

        self.enrichers: list = default_enrichers()

    # ---- lifecycle -----------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def nlp(self):
        if self._nlp is None:
            from .nlp import load_pipeline

            self._nlp = load_pipeline()
        return self._nlp

    # ---- ingest --------------------------------------------------------------

    def ingest(
        self,
        sources: Iterable[str | Path],
        *,
        workers: int = 1,
        allow_private: bool = False,
        max_bytes: int | None = None,
        stdin: BinaryIO | None = None,
        progress=None,
        batch: int | None = None,
    ) -> IngestReport:
        """Read, extract, annotate and store every source; see `newsgraph ingest --help` for kinds. `batch`
        articles are written per transaction (default ingest.pipeline.BATCH_ARTICLES); each is all or nothing."""
        from .ingest import Fetcher, Limits
        from .ingest.pipeline import BATCH_ARTICLES, run_ingest

        fetcher = self._fetcher or Fetcher(allow_private=allow_private)
        limits = Limits(max_bytes=max_bytes) if max_bytes else Limits()
        return run_ingest(
            [str(s) for s in sources], store=self.store, nlp=self.nlp, fetcher=fetcher, limits=limits,
            workers=workers, stdin=stdin, progress=progress, enrichers=self.enrichers,
            batch_articles=batch or BATCH_ARTICLES,
        )

    def batch(self, sources: Iterable[str | Path], *, master: str | None = None, partitions: int | None = None,
              max_bytes: int | None = None, progress=None, provenance: str = "lookup"):
        """Ingest files (WARC/WARC.gz, JSONL, ..., directories, globs) with Apache Spark: each partition reads,
        parses and stores its own records into this graph's store, which every executor must reach (a PostgreSQL
        URL on a cluster). `master` defaults to spark-submit's, else local[2]. `provenance` "join" finds matches by
        a Spark join over the whole batch instead of store lookups per sentence. Returns a `batch.BatchReport`."""
        from .batch import run_batch
        from .store import is_postgres_url

        if self.db is None:
            raise NewsgraphError("batch needs a graph opened by newsgraph.open(URL_OR_PATH): executors open it too")
        db = self.db if is_postgres_url(self.db) else os.path.abspath(self.db)
        return run_batch([str(s) for s in sources], db, master=master, partitions=partitions, max_bytes=max_bytes,
                         progress=progress, provenance=provenance)

    def ingest_demo(self, **kwargs) -> IngestReport:
        return self.ingest([demo_corpus()], **kwargs)

    def copy_from(self, source: Store, progress=None):
        """Copy every article of another store into this graph's, rebuilding provenance and stories here as an
        ingest would (no NLP is re-run); articles already here are skipped, so a re-run adds nothing."""
        from .ingest.copy import copy_store

        return copy_store(source, self.store, self.enrichers, progress=progress)

    def delete_article(self, ref: int | str) -> ArticleSummary:
        """Remove an article (by id, URL or item name) and everything hanging off it: its sentences and their
        search index, mentions, events, provenance links both ways and its story membership. Returns what went."""
        gone = self.article(ref).article
        self.store.delete_article(gone.id)
        return gone

    # ---- queries -------------------------------------------------------------

    def stats(self) -> Stats:
        return self.store.stats()

    def version(self) -> int:
        """The store version: it changes with every write, so anything cached under another one is stale."""
        return self.store.version()

    def changes_since(self, version: int) -> list[tuple[int, frozenset[str] | None]] | None:
        """What each write after `version` touched ("article:7", "entity:3", "story:2", "errors"; None: anything),
        oldest first, or None when the store no longer knows: a cache drops just the pages a write changed."""
        return self.store.changes_since(version)

    def entities(self, type: str | None = None, limit: int = 50, offset: int = 0,
                 values: bool = False) -> list[EntitySummary]:
        """Entities, most mentioned first; dates and sums (model.VALUE_LABELS) only by `type` or `values=True`."""
        return self.store.entities(label=type.upper() if type else None, limit=limit, offset=offset, values=values)

    def top_entities(self, per_type: int = 8, types: int | None = None, values: bool = False,
                     stats: Stats | None = None) -> dict[str, list[EntitySummary]]:
        """The most mentioned entities of each type, commonest types first; value types only with `values`.
        `stats`, when the caller already read them, saves counting the store again."""
        by_type = (stats or self.stats()).entities_by_type
        labels = [t for t in by_type if values or t not in VALUE_LABELS]
        return {t: self.store.entities(label=t, limit=per_type) for t in labels[:types]}

    def entity(self, name: str | int, type: str | None = None, mentions: int = 20,
               values: bool = False) -> EntityDetail:
        """An entity by id, canonical name or alias; the most mentioned one when a name is ambiguous.
        Its neighbours leave out dates and sums unless `values=True`."""
        if isinstance(name, int):
            entity = self.store.entity(name)
        else:
            found = self.store.find_entities(name.strip(), label=type.upper() if type else None)
            if not found:
                raise NotFound(f"no entity named {name!r}")
            entity = found[0]
        return EntityDetail(entity=entity,
                            mentions=self.store.entity_mentions(entity.id, limit=mentions, oldest_first=False)
                            if mentions else [],
                            neighbours=self.store.entity_neighbours(entity.id, values=values),
                            events=self.entity_events(entity.id))

    def article(self, ref: int | str) -> ArticleDetail:
        """An article by id, or by URL (as ingested or canonical) or item name."""
        if isinstance(ref, str) and ref.strip().isdecimal():
            ref = int(ref.strip())
        if isinstance(ref, int):
            return self.store.article(ref)
        try:
            return self.store.article(ref)
        except NotFound:
            from .extract.urls import canonical_url

            return self.store.article(canonical_url(ref))

    def article_full(self, ref: int | str) -> ArticleFull:
        """An article with its events, each sentence's provenance and its story: what its page shows.
        Events come most confident first, all of them: the page folds away those below the default confidence."""
        detail = self.article(ref)
        from .provenance.trace import trace

        return ArticleFull(**{f: getattr(detail, f) for f in detail.__dataclass_fields__},
                           events=sorted(self.store.events(article=detail.article.id, limit=STORY_EVENTS),
                                         key=lambda e: (-e.score, e.sentence, e.id)),
                           provenance=trace(self.store, detail),
                           story=self.store.article_story(detail.article.id))

    def articles(self, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        return self.store.articles(limit=limit, offset=offset)

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        """Full-text search over sentences in the newsgraph search syntax: words, "phrases", a OR b, -excluded,
        prefix* (see `newsgraph.store.query`); a malformed query raises QueryError saying what is wrong."""
        return self.store.search(query, limit=limit, offset=offset)

    def errors(self, limit: int = 100) -> list[StoredError]:
        return self.store.errors(limit=limit)

    # ---- web ----

    def find_articles(self, *, site: str | None = None, date_from: str | None = None, date_to: str | None = None,
                      entity: int | None = None, limit: int = 50, offset: int = 0) -> list[ArticleSummary]:
        """Articles newest first, filtered by site, inclusive ISO date range and a mentioned entity id."""
        return self.store.articles(site=site, date_from=date_from, date_to=date_to, entity_id=entity,
                                   limit=limit, offset=offset)

    def find_entities(self, name: str, type: str | None = None) -> list[EntitySummary]:
        """Entities whose canonical name or an alias is `name` (any case), most mentioned first."""
        return self.store.find_entities(name.strip(), label=type.upper() if type else None)

    def entity_mentions(self, entity_id: int, limit: int = 50, offset: int = 0) -> list[MentionInContext]:
        """An entity's mentions ordered by article date, oldest first."""
        found = self.store.entity_mentions(entity_id, limit=limit, offset=offset, oldest_first=True)
        if not found:  # every entity has a mention: none (on any page) means no entity, and this raises NotFound
            self.store.entity(entity_id)
        return found

    def entity_links(self, entity_ids: list[int]) -> list[Cooccurrence]:
        """Co-occurrence edges (a, b, shared articles) among the given entities."""
        return list(self.store.cooccurrences(list(entity_ids)))

    # ---- stories -------------------------------------------------------------

    def _entity_id(self, entity: str | int) -> int:
        return entity if isinstance(entity, int) else self.entity(entity, mentions=0).entity.id

    def stories(self, entity: str | int | None = None, since: str | None = None, limit: int = 50,
                offset: int = 0) -> list[StorySummary]:
        """Stories, latest first; `entity` (name, alias or id) keeps those it takes part in, `since` (YYYY-MM-DD)
        those still running on or after that date."""
        entity_id = None if entity is None else self._entity_id(entity)
        return self.store.stories(entity_id=entity_id, since=since, limit=limit, offset=offset)

    def story(self, id: int, events: bool = False) -> StoryDetail:  # noqa: A002 - the issue's name
        """A story: label, date range, key entities and its timeline (member articles with their key sentence).

        `events=True` adds the member articles' events to the timeline, each change of a claim's modality or
        polarity marked as a shift (for the first STORY_ARTICLES articles: a huge story stays one quick read).
        """
        from .stories.timeline import build_timeline, event_items

        from .events.query import check_confidence

        story = self.store.story(int(id))
        members = [(m.article, m.text) for m in self.store.story_members(story.id)]
        cut = check_confidence(None)  # a timeline lists the confident events only
        found = [] if not events else [
            e for a, _ in members[:STORY_ARTICLES]
            for e in self.store.events(article=a.id, limit=STORY_EVENTS, min_score=cut)]
        return StoryDetail(story=story, entities=self.store.story_entities(story.id),
                           timeline=build_timeline(members, event_items(found)))

    def article_story(self, article: int | str) -> StorySummary | None:
        """The story an article belongs to, or None before stories are assigned."""
        return self.store.article_story(self.article(article).article.id)

    def entity_stories(self, entity_id: int) -> list[StorySummary]:
        """The stories an entity (by id) takes part in, oldest first; `entity_timeline` without re-reading it."""
        return self.store.entity_stories(entity_id)

    def entity_timeline(self, entity: str | int) -> EntityTimeline:
        """An entity's stories, oldest first."""
        entity_id = self._entity_id(entity)
        return EntityTimeline(entity=self.store.entity(entity_id),
                              stories=self.store.entity_stories(entity_id))

    def recluster(self, merge_threshold: float | None = None) -> dict[str, int]:
        """Rebuild all stories from the stored articles in date order and merge close ones; returns counts."""
        from .stories.recluster import recluster

        return recluster(self.store, merge_threshold=merge_threshold)

    # ---- provenance ----------------------------------------------------------

    def trace(self, article: int | str) -> ArticleTrace:
        """Where each sentence of an article came from: kind, earliest source, every match; originality, stitched."""
        from .provenance.trace import trace

        return trace(self.store, self.article(article))

    def copies(self, article: int | str) -> CopyFamily:
        """The article's copy family (articles linked by copied sentences) and its near-duplicate articles."""
        detail = self.article(article)
        family = self.store.article_summaries(self.store.copy_family(detail.article.id))
        dups = {d.article_id: d.similarity for d in self.store.near_duplicates(detail.article.id)}
        return CopyFamily(article=detail.article, family=family,
                          duplicates=[(a, dups[a.id]) for a in self.store.article_summaries(list(dups))])

    def originality(self, site: bool = False, limit: int = 50, least_first: bool = False) -> list[OriginalityRow]:
        """Articles (or sites) ranked by originality (1 - mean copied-word share per sentence), most original first."""
        return self.store.originality(by_site=site, limit=limit, least_first=least_first)

    # ---- events ----

    def events(self, type: str | None = None, entity: str | int | None = None, modality: str | None = None,
               since: str | None = None, article: int | str | None = None, limit: int = 100,
               offset: int = 0, min_confidence: float | None = None) -> list[Event]:
        """Business events, filtered by type ("Deal" or "Rating.Upgrade"), entity, modality, article date, article.

        Only events whose confidence (the probability that it is a real event of its type) is at least
        `min_confidence` are listed: by default `events.typology.DEFAULT_MIN_CONFIDENCE`; 0 lists every one.
        """
        from .events.query import check_confidence, check_modality, entity_ids

        ids = entity_ids(self.store, entity) if entity is not None else None
        article_id = None if article is None else self.article(article).article.id
        return self.store.events(type=type, entity_ids=ids, modality=check_modality(modality), since=since,
                                 article=article_id, limit=limit, offset=offset,
                                 min_score=check_confidence(min_confidence))

    def entity_events(self, name_or_id: str | int, limit: int = 100,
                      min_confidence: float | None = None) -> list[Event]:
        """The events an entity takes part in, as a timeline: oldest article first (confident ones by default)."""
        from .events.query import check_confidence, entity_ids, timeline

        return timeline(self.store.events(entity_ids=entity_ids(self.store, name_or_id), limit=limit,
                                          min_score=check_confidence(min_confidence)))

    # ---- export --------------------------------------------------------------

    def export(self, format: str, out: TextIO | str | Path, min_confidence: float | None = None,
               values: bool = False) -> dict[str, int]:
        """Write the graph as `jsonl` (to a stream), `csv` (into a directory) or `graphml` (a file or stream).

        Events under `min_confidence` (default: the default cut; 0 exports every event) are left out; GraphML
        co-occurrence edges join dates and sums only with `values=True`."""
        from . import export
        from .events.query import check_confidence

        return export.write(self.store, format, out, min_event_score=check_confidence(min_confidence), values=values)

    # ---- entity resolution ---------------------------------------------------

    def reindex_entities(self, progress=None) -> dict[str, int]:
        """Re-resolve every stored mention with the current rules (keys, cues, types) without re-parsing."""
        from .entities.reindex import reindex_entities

        return reindex_entities(self.store, progress=progress)

    def link_kb(self, path: str | Path, threshold: float | None = None, dry_run: bool = False):
        """Attach the ids of a JSONL knowledge base ({id, name, aliases, type}) to the entities they match:
        exact name, then alias, then fuzzy above `threshold` (0-100). Ties are reported, not guessed."""
        from .entities.kb import DEFAULT_THRESHOLD, link_kb

        return link_kb(self.store, path, DEFAULT_THRESHOLD if threshold is None else threshold, dry_run=dry_run)


def open(target: str | Path | None = None, *, create: bool = True,  # noqa: A001 - mirrors sqlite_utils.Database
         readers: int | None = None, **kwargs) -> Graph:
    """Open (creating if needed) a graph: a `postgresql://user@host:port/db` URL opens PostgreSQL, anything else
    is a SQLite file path; default `$NEWSGRAPH_DB`, then ./newsgraph.db. `create=False` opens only an existing
    store (NotFound otherwise), for a store that is only read from. `readers`: connections read on at once
    (default 8; a server wants at least one per handler thread)."""
    from .store import READERS, open_store

    target = str(target or default_db_path())
    return Graph(open_store(target, create=create, readers=readers or READERS), db=target, **kwargs)
