"""SQL of the stories feature: persist assignments and the clusterer's state as plain records, read stories."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace

from ..errors import NotFound
from ..model import ArticleSummary, MentionSpan, SentenceSpan, StoryAssignment, StoryEntity, StorySummary
from ..records import (
    ArticleStoryState,
    KeySentence,
    StoredArticle,
    StoryChanges,
    StoryEntityCount,
    StoryRecord,
    StorySnapshot,
    StoryVocabulary,
)
from .clock import now
from .sqlite_params import in_chunks

_STORY_COLS = "s.id, s.label, s.first_date, s.last_date, s.articles"
LOG_KEPT = 10_000  # story versions the change log keeps; a clusterer further behind reloads its index whole


def version(con: sqlite3.Connection) -> int:
    return con.execute("SELECT value FROM story_meta WHERE key = 'version'").fetchone()[0]


def write_assignment(con: sqlite3.Connection, article_id: int, a: StoryAssignment) -> None:
    """Record one article's story and fold it into the persisted index; runs inside add_article's transaction."""
    if a.seq is not None and a.state is not None:
        con.execute("INSERT INTO story_article_state (article_id, seq, state, embedding) VALUES (?,?,?,?)",
                    (article_id, a.seq, a.state, a.embedding))
    if a.rewrites:
        _write_rewrites(con, article_id, a)
    else:
        _fold_in(con, article_id, a)
    con.executemany("INSERT INTO story_df (kind, term, df, version) VALUES (?,?,1,?)"
                    " ON CONFLICT(kind, term) DO UPDATE SET df = story_df.df + 1, version = excluded.version",
                    [("t", t, a.version) for t in a.df_terms]
                    + [("e", f"{label}:{key}", a.version) for label, key, *_ in a.entities])
    con.execute("UPDATE story_meta SET value = value + 1 WHERE key = 'docs'")
    con.execute("UPDATE story_meta SET value = ? WHERE key = 'version'", (a.version,))
    # The change log: which stories this version wrote (other processes refresh only those); old entries go.
    con.executemany("INSERT INTO story_changes (version, story_id) VALUES (?,?) ON CONFLICT DO NOTHING",
                    [(a.version, sid) for sid in sorted({a.story_id, *(r.story_id for r in a.rewrites)})])
    con.execute("DELETE FROM story_changes WHERE version <= ?", (a.version - LOG_KEPT,))


def _fold_in(con: sqlite3.Connection, article_id: int, a: StoryAssignment) -> None:
    """The article joined (or started) one story and nothing else moved: increment that story's rows."""
    if a.new:
        con.execute("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,1,?)",
                    (a.story_id, a.label, a.first_date, a.last_date, now()))
    else:
        con.execute("UPDATE stories SET label = ?, first_date = ?, last_date = ?, articles = articles + 1,"
                    " updated_at = ? WHERE id = ?", (a.label, a.first_date, a.last_date, now(), a.story_id))
    con.execute("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                (article_id, a.story_id, a.score, a.key_sentence))
    con.executemany("INSERT INTO story_entities (story_id, label, key, name, articles, repeats) VALUES (?,?,?,?,1,?)"
                    " ON CONFLICT(story_id, label, key) DO UPDATE SET articles = story_entities.articles + 1,"
                    " repeats = story_entities.repeats + excluded.repeats",
                    [(a.story_id, *e) for e in a.entities])
    con.executemany("INSERT INTO story_times (story_id, time, count) VALUES (?,?,1)"
                    " ON CONFLICT(story_id, time) DO UPDATE SET count = story_times.count + 1",
                    [(a.story_id, t) for t in a.times])
    con.execute("DELETE FROM story_terms WHERE story_id = ?", (a.story_id,))
    con.executemany("INSERT INTO story_terms (story_id, term, weight) VALUES (?,?,?)",
                    [(a.story_id, t, w) for t, w in a.terms.items()])
    con.executemany("INSERT INTO story_events (story_id, type, count) VALUES (?,?,1)"
                    " ON CONFLICT(story_id, type) DO UPDATE SET count = story_events.count + 1",
                    [(a.story_id, t) for t in a.event_types])
    if a.vector is not None:
        con.execute("INSERT INTO story_vectors (story_id, vector) VALUES (?,?)"
                    " ON CONFLICT(story_id) DO UPDATE SET vector = excluded.vector", (a.story_id, a.vector))


def _write_rewrites(con: sqlite3.Connection, article_id: int, a: StoryAssignment) -> None:
    """Local repair re-partitioned some stories (the article's among them): replace their rows whole.

    Order matters for the foreign keys: stories are created or updated first, members moved next, and the
    emptied stories deleted last (their cascade must not take moved members with it)."""
    at = now()
    kept = [r for r in a.rewrites if r.members]
    for r in kept:
        con.execute("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET label = excluded.label, first_date = excluded.first_date,"
                    " last_date = excluded.last_date, articles = excluded.articles, updated_at = excluded.updated_at",
                    (r.story_id, r.label, r.first_date, r.last_date, len(r.members), at))
        for table in ("story_entities", "story_terms", "story_times", "story_events", "story_vectors"):
            con.execute(f"DELETE FROM {table} WHERE story_id = ?", (r.story_id,))
        _insert_story_rows(con, r.story_id, r.entities, r.terms, r.times, r.events, r.vector)
    con.execute("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                (article_id, a.story_id, a.score, a.key_sentence))
    for r in kept:
        con.executemany("UPDATE story_articles SET story_id = ? WHERE article_id ="
                        " (SELECT article_id FROM story_article_state WHERE seq = ?)",
                        [(r.story_id, seq) for seq in r.members])
        for seq, score, key in r.moved:
            _rescore(con, seq, score, key)
    con.executemany("DELETE FROM stories WHERE id = ?", [(r.story_id,) for r in a.rewrites if not r.members])


def _rescore(con: sqlite3.Connection, seq: int, score: float, key_sentence: int | None) -> None:
    """A member repair moved to another story: its score and key sentence there (the clusterer computed both)."""
    con.execute("UPDATE story_articles SET score = ?, key_sentence = ? WHERE article_id ="
                " (SELECT article_id FROM story_article_state WHERE seq = ?)", (score, key_sentence, seq))


def _insert_story_rows(con: sqlite3.Connection, story_id: int, entities, terms: dict[str, float], times, events,
                       vector: bytes | None) -> None:
    """A story's entity, term, time, event-type and embedding rows (the caller has cleared any old ones)."""
    con.executemany("INSERT INTO story_entities (story_id, label, key, name, articles, repeats) VALUES (?,?,?,?,?,?)",
                    [(story_id, *e) for e in entities])
    con.executemany("INSERT INTO story_terms (story_id, term, weight) VALUES (?,?,?)",
                    [(story_id, t, w) for t, w in terms.items()])
    con.executemany("INSERT INTO story_times (story_id, time, count) VALUES (?,?,?)", [(story_id, t, n) for t, n in times])
    con.executemany("INSERT INTO story_events (story_id, type, count) VALUES (?,?,?)",
                    [(story_id, t, n) for t, n in events])
    if vector is not None:
        con.execute("INSERT INTO story_vectors (story_id, vector) VALUES (?,?)", (story_id, vector))


def vocabulary(con: sqlite3.Connection) -> StoryVocabulary:
    meta = dict(con.execute("SELECT key, value FROM story_meta"))
    term_df, entity_df = {}, {}
    for kind, term, df in con.execute("SELECT kind, term, df FROM story_df"):
        (term_df if kind == "t" else entity_df)[term] = df
    return StoryVocabulary(version=meta["version"], docs=meta["docs"], term_df=term_df, entity_df=entity_df)


def story_ids(con: sqlite3.Connection) -> list[int]:
    return [sid for (sid,) in con.execute("SELECT id FROM stories ORDER BY COALESCE(last_date, ''), id")]


def story_records(con: sqlite3.Connection, ids: list[int]) -> dict[int, StoryRecord]:
    """The persisted state of the stories with these ids (those the store has)."""
    out: dict[int, StoryRecord] = {}
    for chunk, marks in in_chunks(ids):
        for sid, label, first, last, n in con.execute("SELECT id, label, first_date, last_date, articles FROM stories"
                                                      f" WHERE id IN ({marks})", chunk):
            out[sid] = StoryRecord(id=sid, label=label, first_date=first, last_date=last, size=n)
        for sid, term, w in con.execute(f"SELECT story_id, term, weight FROM story_terms WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].terms[term] = w
        for sid, label, key, name, n, w in con.execute("SELECT story_id, label, key, name, articles, repeats"
                                                       f" FROM story_entities WHERE story_id IN ({marks})", chunk):
            out[sid].entities.append(StoryEntityCount(label, key, name, n, w))
        for sid, time, n in con.execute(f"SELECT story_id, time, count FROM story_times WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].times[time] = n
        for sid, kind, n in con.execute(f"SELECT story_id, type, count FROM story_events WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].events[kind] = n
        for sid, blob in con.execute(f"SELECT story_id, vector FROM story_vectors WHERE story_id IN ({marks})", chunk):
            out[sid] = replace(out[sid], vector=blob)
    return out


def placements(con: sqlite3.Connection) -> dict[int, int]:
    return dict(con.execute("SELECT st.seq, sa.story_id FROM story_article_state st"
                            " JOIN story_articles sa ON sa.article_id = st.article_id ORDER BY st.seq"))


def article_states(con: sqlite3.Connection, seqs: list[int]) -> dict[int, ArticleStoryState]:
    out = {}
    for chunk, marks in in_chunks(seqs):
        for aid, seq, state, blob in con.execute("SELECT article_id, seq, state, embedding FROM story_article_state"
                                                 f" WHERE seq IN ({marks})", chunk):
            out[seq] = ArticleStoryState(article_id=aid, seq=seq, state=state, embedding=blob)
    return out


def member_sentences(con: sqlite3.Connection, seqs: list[int], first: int) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk, marks in in_chunks(seqs):
        for seq, text in con.execute("SELECT st.seq, s.text FROM story_article_state st"
                                     " JOIN sentences s ON s.article_id = st.article_id"
                                     f" WHERE st.seq IN ({marks}) AND s.idx < ? ORDER BY st.seq, s.idx",
                                     [*chunk, first]):
            out.setdefault(seq, []).append(text)
    return out


def replace_all(con: sqlite3.Connection, snap: StorySnapshot) -> None:
    """Replace every story with those of `snap` (a recluster)."""
    for table in ("story_article_state", "story_articles", "story_entities", "story_terms", "story_times",
                  "story_vectors", "story_events", "story_df", "stories"):
        con.execute(f"DELETE FROM {table}")
    at = now()
    con.executemany("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,?,?)",
                    [(s.id, s.label, s.first_date, s.last_date, s.size, at) for s in snap.stories])
    con.executemany("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                    [(m.article_id, m.story_id, m.score, m.key_sentence) for m in snap.members])
    for s in snap.stories:
        _insert_story_rows(con, s.id, [(e.label, e.key, e.name, e.articles, e.repeats) for e in s.entities],
                           s.terms, s.times.items(), s.events.items(), s.vector)
    con.executemany("INSERT INTO story_article_state (article_id, seq, state, embedding) VALUES (?,?,?,?)",
                    [(st.article_id, st.seq, st.state, st.embedding) for st in snap.states])
    vocab = snap.vocabulary
    con.executemany("INSERT INTO story_df (kind, term, df) VALUES ('t',?,?)", vocab.term_df.items())
    con.executemany("INSERT INTO story_df (kind, term, df) VALUES ('e',?,?)", vocab.entity_df.items())
    con.execute("UPDATE story_meta SET value = ? WHERE key = 'docs'", (vocab.docs,))
    rebuilt(con)


def rebuilt(con: sqlite3.Connection) -> None:
    """A story write the change log does not describe (a recluster, a delete): bump the version and mark it, so
    every clusterer holding an older index reloads it whole."""
    con.execute("UPDATE story_meta SET value = value + 1 WHERE key = 'version'")
    con.execute("DELETE FROM story_changes")
    con.execute("UPDATE story_meta SET value = (SELECT value FROM story_meta WHERE key = 'version')"
                " WHERE key = 'rebuilt'")


def changes(con: sqlite3.Connection, since: int) -> StoryChanges:
    """What the stories gained after version `since`: the log's stories re-read whole, and the frequencies written."""
    meta = dict(con.execute("SELECT key, value FROM story_meta"))
    version, docs = meta["version"], meta["docs"]
    if since > version or since < meta["rebuilt"] or since < version - LOG_KEPT:
        return StoryChanges(version=version, docs=docs, reload=True)
    if since == version:
        return StoryChanges(version=version, docs=docs)
    ids = [sid for (sid,) in con.execute("SELECT DISTINCT story_id FROM story_changes WHERE version > ?"
                                         " ORDER BY story_id", (since,))]
    stories = story_records(con, ids)
    placed: dict[int, int] = {}
    for chunk, marks in in_chunks(ids):
        placed.update(con.execute("SELECT st.seq, sa.story_id FROM story_articles sa JOIN story_article_state st"
                                  f" ON st.article_id = sa.article_id WHERE sa.story_id IN ({marks})", chunk))
    term_df, entity_df = {}, {}
    for kind, term, df in con.execute("SELECT kind, term, df FROM story_df WHERE version > ?", (since,)):
        (term_df if kind == "t" else entity_df)[term] = df
    return StoryChanges(version=version, docs=docs, stories=stories, gone=[i for i in ids if i not in stories],
                        placements=dict(sorted(placed.items())), term_df=term_df, entity_df=entity_df)


# ---- reads ---------------------------------------------------------------------


def list_stories(con: sqlite3.Connection, entity_id: int | None = None, since: str | None = None,
                 limit: int = 50, offset: int = 0) -> list[StorySummary]:
    where, params = [], []
    join = ""
    if entity_id is not None:
        join = " JOIN story_entities se ON se.story_id = s.id JOIN entities e ON e.key = se.key"
        where.append("e.id = ?")
        params.append(entity_id)
    if since:
        where.append("s.last_date >= ?")
        params.append(since)
    sql = (f"SELECT DISTINCT {_STORY_COLS} FROM stories s{join}" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY s.last_date DESC, s.articles DESC, s.id DESC LIMIT ? OFFSET ?")
    return [StorySummary(*r) for r in con.execute(sql, [*params, limit, offset])]


def entity_stories(con: sqlite3.Connection, entity_id: int) -> list[StorySummary]:
    """Every story an entity takes part in, oldest first (its timeline across stories)."""
    rows = con.execute(f"SELECT DISTINCT {_STORY_COLS} FROM stories s JOIN story_entities se ON se.story_id = s.id"
                       " JOIN entities e ON e.key = se.key WHERE e.id = ?"
                       " ORDER BY s.first_date, s.id", (entity_id,))
    return [StorySummary(*r) for r in rows]


def article_story(con: sqlite3.Connection, article_id: int) -> StorySummary | None:
    row = con.execute(f"SELECT {_STORY_COLS} FROM story_articles sa JOIN stories s ON s.id = sa.story_id"
                      " WHERE sa.article_id = ?", (article_id,)).fetchone()
    return StorySummary(*row) if row else None


def story_summary(con: sqlite3.Connection, story_id: int) -> StorySummary:
    row = con.execute(f"SELECT {_STORY_COLS} FROM stories s WHERE s.id = ?", (story_id,)).fetchone()
    if row is None:
        raise NotFound(f"no story with id {story_id}")
    return StorySummary(*row)


def story_entities(con: sqlite3.Connection, story_id: int, limit: int = 20) -> list[StoryEntity]:
    rows = con.execute("SELECT e.id, se.label, se.name, se.articles FROM story_entities se"
                       " LEFT JOIN entities e ON e.key = se.key WHERE se.story_id = ?"
                       " ORDER BY se.articles DESC, se.repeats DESC, se.name LIMIT ?", (story_id, limit))
    return [StoryEntity(*r) for r in rows]


def story_members(con: sqlite3.Connection, story_id: int) -> list[KeySentence]:
    """Member articles, oldest first, each with its key sentence (or its title when it has none)."""
    rows = con.execute(
        "SELECT a.id, a.url, a.title, a.date, a.site, COALESCE(sen.text, a.title, '') FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id"
        " LEFT JOIN sentences sen ON sen.article_id = a.id AND sen.idx = sa.key_sentence"
        " WHERE sa.story_id = ? ORDER BY a.date, a.id", (story_id,))
    return [KeySentence(ArticleSummary(*r[:5]), r[5]) for r in rows]


def iter_for_recluster(con: sqlite3.Connection) -> Iterator[StoredArticle]:
    """Every article with its sentences and mentions, oldest first."""
    for aid, title, date, text in con.execute("SELECT id, title, date, text FROM articles ORDER BY date, id"):
        sentences = [SentenceSpan(*r) for r in con.execute(
            'SELECT idx, start, "end", text FROM sentences WHERE article_id = ? ORDER BY idx', (aid,))]
        mentions = [MentionSpan(*r) for r in con.execute(
            'SELECT s.idx, m.start, m."end", m.text, e.label, e.key, e.name FROM mentions m'
            " JOIN entities e ON e.id = m.entity_id JOIN sentences s ON s.id = m.sentence_id"
            " WHERE m.article_id = ? ORDER BY m.start", (aid,))]
        yield StoredArticle(id=aid, title=title, date=date, text=text, sentences=sentences, mentions=mentions)
