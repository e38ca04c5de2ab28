"""SQL of the stories feature: persist assignments, load the clusterer's index, read stories and timelines."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from sys import intern

from ..errors import NotFound
from ..model import ArticleSummary, StoryAssignment, StoryEntity, StorySummary
from ..stories.cache import DEFAULT_STORIES
from ..stories.features import ArticleFeatures, key_sentence, tokens
from ..stories.index import (
    INDEXED_TERMS,
    StoryIndex,
    StoryState,
    heaviest,
    story_entity_rows,
    vector_bytes,
    vector_from_bytes,
)
from ..stories.members import state_from_json, state_json
from .sqlite_params import in_chunks

_STORY_COLS = "s.id, s.label, s.first_date, s.last_date, s.articles"
KEY_SENTENCES = 10  # key_sentence() picks among an article's first ten sentences


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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
    con.executemany("INSERT INTO story_df (kind, term, df) VALUES (?,?,1)"
                    " ON CONFLICT(kind, term) DO UPDATE SET df = df + 1",
                    [("t", t) for t in a.df_terms] + [("e", f"{label}:{key}") for label, key, *_ in a.entities])
    con.execute("UPDATE story_meta SET value = value + 1 WHERE key = 'docs'")
    con.execute("UPDATE story_meta SET value = ? WHERE key = 'version'", (a.version,))


def _fold_in(con: sqlite3.Connection, article_id: int, a: StoryAssignment) -> None:
    """The article joined (or started) one story and nothing else moved: increment that story's rows."""
    if a.new:
        con.execute("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,1,?)",
                    (a.story_id, a.label, a.first_date, a.last_date, _now()))
    else:
        con.execute("UPDATE stories SET label = ?, first_date = ?, last_date = ?, articles = articles + 1,"
                    " updated_at = ? WHERE id = ?", (a.label, a.first_date, a.last_date, _now(), a.story_id))
    con.execute("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                (article_id, a.story_id, a.score, a.key_sentence))
    con.executemany("INSERT INTO story_entities (story_id, label, key, name, articles, repeats) VALUES (?,?,?,?,1,?)"
                    " ON CONFLICT(story_id, label, key) DO UPDATE SET articles = articles + 1,"
                    " repeats = repeats + excluded.repeats",
                    [(a.story_id, *e) for e in a.entities])
    con.executemany("INSERT INTO story_times (story_id, time, count) VALUES (?,?,1)"
                    " ON CONFLICT(story_id, time) DO UPDATE SET count = count + 1",
                    [(a.story_id, t) for t in a.times])
    con.execute("DELETE FROM story_terms WHERE story_id = ?", (a.story_id,))
    con.executemany("INSERT INTO story_terms (story_id, term, weight) VALUES (?,?,?)",
                    [(a.story_id, t, w) for t, w in a.terms.items()])
    con.executemany("INSERT INTO story_events (story_id, type, count) VALUES (?,?,1)"
                    " ON CONFLICT(story_id, type) DO UPDATE SET count = count + 1",
                    [(a.story_id, t) for t in a.event_types])
    if a.vector is not None:
        con.execute("INSERT OR REPLACE INTO story_vectors (story_id, vector) VALUES (?,?)", (a.story_id, a.vector))


def _write_rewrites(con: sqlite3.Connection, article_id: int, a: StoryAssignment) -> None:
    """Local repair re-partitioned some stories (the article's among them): replace their rows whole.

    Order matters for the foreign keys: stories are created or updated first, members moved next, and the
    emptied stories deleted last (their cascade must not take moved members with it)."""
    now = _now()
    kept = [r for r in a.rewrites if r.members]
    for r in kept:
        con.execute("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,?,?)"
                    " ON CONFLICT(id) DO UPDATE SET label = excluded.label, first_date = excluded.first_date,"
                    " last_date = excluded.last_date, articles = excluded.articles, updated_at = excluded.updated_at",
                    (r.story_id, r.label, r.first_date, r.last_date, len(r.members), now))
        for table in ("story_entities", "story_terms", "story_times", "story_events", "story_vectors"):
            con.execute(f"DELETE FROM {table} WHERE story_id = ?", (r.story_id,))
        _insert_story_rows(con, r.story_id, r.entities, r.terms, r.times, r.events, r.vector)
    con.execute("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                (article_id, a.story_id, a.score, a.key_sentence))
    for r in kept:
        con.executemany("UPDATE story_articles SET story_id = ? WHERE article_id ="
                        " (SELECT article_id FROM story_article_state WHERE seq = ?)",
                        [(r.story_id, seq) for seq in r.members])
        for seq, score in r.moved:
            _rescore(con, seq, score, r.terms)
    con.executemany("DELETE FROM stories WHERE id = ?", [(r.story_id,) for r in a.rewrites if not r.members])


def _rescore(con: sqlite3.Connection, seq: int, score: float, terms: dict[str, float]) -> None:
    """A member repair moved to another story: its score there, and its key sentence against that story's terms."""
    (article_id,) = con.execute("SELECT article_id FROM story_article_state WHERE seq = ?", (seq,)).fetchone()
    probe = ArticleFeatures(tf={}, entities={}, times=frozenset(), date=None, sentence_terms=[
        set(tokens(text)) for (text,) in con.execute("SELECT text FROM sentences WHERE article_id = ? AND idx < ?"
                                                     " ORDER BY idx", (article_id, KEY_SENTENCES))])
    con.execute("UPDATE story_articles SET score = ?, key_sentence = ? WHERE article_id = ?",
                (score, key_sentence(probe, terms), article_id))


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


def load_index(con: sqlite3.Connection, cap: int | None = DEFAULT_STORIES) -> StoryIndex:
    """The clusterer's index rebuilt from the store; postings are filled oldest story first, and at most `cap`
    stories (the most recently updated) stay in memory: the caller sets `stories.loader` to read the rest back."""
    index = StoryIndex()
    meta = dict(con.execute("SELECT key, value FROM story_meta"))
    index.version = meta["version"]
    index.vocab.docs = index.entity_vocab.docs = meta["docs"]
    for kind, term, df in con.execute("SELECT kind, term, df FROM story_df"):
        (index.vocab if kind == "t" else index.entity_vocab).df[term] = df
    stories = index.stories
    stories.cap, stories.loader = cap, (lambda ids: load_stories(con, ids))
    ids = [sid for (sid,) in con.execute("SELECT id FROM stories ORDER BY COALESCE(last_date, ''), id")]
    for i in range(0, len(ids), 500):  # a chunk at a time, so loading stays within the cap too
        chunk = load_stories(con, ids[i:i + 500])
        for sid in ids[i:i + 500]:
            story = chunk[sid]
            for key in story.entities:
                index.post(index.by_entity, key, sid)
            for term, _ in heaviest(story.centroid, INDEXED_TERMS):
                index.post(index.by_term, term, sid)
            stories.cache[sid] = story
            stories.live[sid] = (story.first_date, story.last_date)
        stories.persisted()
    stories.live = {sid: stories.live.get(sid) for sid in sorted(ids)}
    stories.loader = None
    index.next_id = max(ids, default=0) + 1
    # Only which story each article is in: repair reads the articles' state on demand (load_states).
    for sid, seq in con.execute("SELECT sa.story_id, st.seq FROM story_article_state st"
                                " JOIN story_articles sa ON sa.article_id = st.article_id ORDER BY st.seq"):
        index.members.place(seq, sid)
    return index


def load_stories(con: sqlite3.Connection, ids: list[int]) -> dict[int, StoryState]:
    """The persisted state of the stories with these ids (those the store has)."""
    out: dict[int, StoryState] = {}
    for chunk, marks in in_chunks(ids):
        for sid, label, first, last, n in con.execute("SELECT id, label, first_date, last_date, articles FROM stories"
                                                      f" WHERE id IN ({marks})", chunk):
            out[sid] = StoryState(id=sid, label=label, first_date=first, last_date=last, size=n)
        for sid, term, w in con.execute(f"SELECT story_id, term, weight FROM story_terms WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].centroid[intern(term)] = w  # one string per term across reloaded stories
        for sid, label, key, name, n, w in con.execute("SELECT story_id, label, key, name, articles, repeats"
                                                       f" FROM story_entities WHERE story_id IN ({marks})", chunk):
            out[sid].entities[label, key] = n
            out[sid].names[label, key] = name
            if w:
                out[sid].repeats[label, key] = w
        for sid, time, n in con.execute(f"SELECT story_id, time, count FROM story_times WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].times[time] = n
        for sid, kind, n in con.execute(f"SELECT story_id, type, count FROM story_events WHERE story_id IN ({marks})",
                                        chunk):
            out[sid].events[kind] = n
        for sid, blob in con.execute(f"SELECT story_id, vector FROM story_vectors WHERE story_id IN ({marks})", chunk):
            out[sid].vector = vector_from_bytes(blob)
    return out


def load_states(con: sqlite3.Connection, seqs: list[int]) -> dict[int, ArticleFeatures]:
    """The persisted story state of the articles with these clusterer keys (those the store has)."""
    out = {}
    for chunk, marks in in_chunks(seqs):
        for seq, state, blob in con.execute("SELECT seq, state, embedding FROM story_article_state"
                                            f" WHERE seq IN ({marks})", chunk):
            out[seq] = state_from_json(state, None if blob is None else vector_from_bytes(blob))
    return out


def replace_all(con: sqlite3.Connection, index: StoryIndex, members: dict[int, tuple[int, float, int | None]],
                seqs: dict[int, int] | None = None) -> None:
    """Replace every story with those of `index` (a recluster); `members` maps article id -> (story, score, key sentence).

    `seqs` maps article id -> its key in `index.members`: the per-article state is rewritten from those."""
    for table in ("story_article_state", "story_articles", "story_entities", "story_terms", "story_times", "story_vectors", "story_events",
                  "story_df", "stories"):
        con.execute(f"DELETE FROM {table}")
    now = _now()
    con.executemany("INSERT INTO stories (id, label, first_date, last_date, articles, updated_at) VALUES (?,?,?,?,?,?)",
                    [(s.id, s.label, s.first_date, s.last_date, s.size, now) for s in index.stories.values()])
    con.executemany("INSERT INTO story_articles (article_id, story_id, score, key_sentence) VALUES (?,?,?,?)",
                    [(aid, *m) for aid, m in members.items()])
    for s in index.stories.values():
        _insert_story_rows(con, s.id, story_entity_rows(s), s.centroid,
                           s.times.items(), s.events.items(), None if s.vector is None else vector_bytes(s.vector))
    if seqs and index.members is not None:
        con.executemany("INSERT INTO story_article_state (article_id, seq, state, embedding) VALUES (?,?,?,?)",
                        [(aid, seq, state_json(f), None if f.embedding is None else vector_bytes(f.embedding))
                         for aid, seq in seqs.items() for f in [index.members.features(seq)]])
    con.executemany("INSERT INTO story_df (kind, term, df) VALUES ('t',?,?)", index.vocab.df.items())
    con.executemany("INSERT INTO story_df (kind, term, df) VALUES ('e',?,?)", index.entity_vocab.df.items())
    con.execute("UPDATE story_meta SET value = ? WHERE key = 'docs'", (index.vocab.docs,))
    con.execute("UPDATE story_meta SET value = value + 1 WHERE key = 'version'")


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


def story_members(con: sqlite3.Connection, story_id: int) -> list[tuple[ArticleSummary, str]]:
    """Member articles, oldest first, each with its key sentence (or its title when it has none)."""
    rows = con.execute(
        "SELECT a.id, a.url, a.title, a.date, a.site, COALESCE(sen.text, a.title, '') FROM story_articles sa"
        " JOIN articles a ON a.id = sa.article_id"
        " LEFT JOIN sentences sen ON sen.article_id = a.id AND sen.idx = sa.key_sentence"
        " WHERE sa.story_id = ? ORDER BY a.date, a.id", (story_id,))
    return [(ArticleSummary(*r[:5]), r[5]) for r in rows]


def iter_for_recluster(con: sqlite3.Connection):
    """(article id, title, date, text, sentences, mentions) of every article, oldest first."""
    for aid, title, date, text in con.execute("SELECT id, title, date, text FROM articles ORDER BY date, id"):
        sentences = con.execute('SELECT idx, start, "end", text FROM sentences WHERE article_id = ? ORDER BY idx',
                                (aid,)).fetchall()
        mentions = con.execute(
            'SELECT s.idx, m.start, m."end", m.text, e.label, e.key, e.name FROM mentions m'
            " JOIN entities e ON e.id = m.entity_id JOIN sentences s ON s.id = m.sentence_id"
            " WHERE m.article_id = ? ORDER BY m.start", (aid,)).fetchall()
        yield aid, title, date, text, sentences, mentions
