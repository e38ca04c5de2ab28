"""Copy one store into another (a laptop's SQLite into a team's PostgreSQL) through the ingest path, without NLP.

Each article is rebuilt from the source's records (text, sentences, mentions with their canonical entities,
events) and written to the target by the same enrichers and `add_article` as an ingest, in the source's ingest
order: provenance links and stories are rebuilt in the target as they were built in the source, and an article
already in the target (same identity) is skipped, so an interrupted copy resumes and a re-run adds nothing.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model import AnnotatedArticle, ExtractedDoc, IngestError, MentionSpan
from ..records import ArticleRow, EntityRow
from ..store.base import Store
from .pipeline import Enricher, store_article

EVENTS_PER_ARTICLE = 100_000  # every event of one article


@dataclass
class CopyReport:
    total: int = 0  # articles in the source
    added: int = 0
    skipped: int = 0  # already in the target
    errors: int = 0  # source ingest errors carried over


def rebuild(source: Store, row: ArticleRow, keys: dict[int, tuple[str, str]]) -> AnnotatedArticle:
    """The article as annotated at ingest, read back from `source`."""
    detail = source.article(row.id)
    doc = ExtractedDoc(item=row.item, text=row.text, url=row.url, canonical_url=row.canonical_url,
                       content_hash=row.content_hash, title=row.title, date=row.date, author=row.author,
                       site=row.site, language=row.language, meta=json.loads(row.meta))
    # spaCy's label, as annotate gave it: the target's entity resolver votes on it as the source's did
    mentions = [MentionSpan(m.sentence, m.start, m.end, m.text, m.ner_label or m.label, keys[m.entity_id][1], m.name,
                            ner_label=m.ner_label)
                for m in detail.mentions]
    events = sorted(source.events(article=row.id, limit=EVENTS_PER_ARTICLE), key=lambda e: e.id or 0)
    return AnnotatedArticle(doc=doc, sentences=detail.sentences, mentions=mentions, words=row.words, events=events)


def copy_store(source: Store, target: Store, enrichers: Sequence[Enricher] = (),
               progress: Callable[[CopyReport], None] | None = None) -> CopyReport:
    """Copy every article of `source` (and its recorded ingest errors) into `target`."""
    report = CopyReport(total=source.stats().articles)
    keys = {e.id: (e.label, e.key) for e in source.export(EntityRow)}
    for row in source.export(ArticleRow):
        # checked before the rebuild too: a resumed copy reads nothing back for what it already copied
        if target.has_article(row.identity) or store_article(target, rebuild(source, row, keys), enrichers) is None:
            report.skipped += 1
        else:
            report.added += 1
        if progress is not None:
            progress(report)
    known = {(e.item, e.stage, e.message) for e in target.errors(limit=1_000_000)}
    for e in source.errors(limit=1_000_000):
        if (e.item, e.stage, e.message) not in known:
            target.record_error(IngestError(e.item, e.stage, e.message))
            report.errors += 1
    return report
