-- stories: each article's story features (terms, entities, years, date, events, lead embedding), so the online
-- clusterer's local repair can re-partition a neighbourhood of stories (newsgraph/stories/repair.py).
-- `seq` is the article's arrival number in the clusterer. Articles clustered before this migration have none;
-- their stories are never repaired (they are left as they are) until `newsgraph stories --recluster`.
CREATE TABLE story_article_state (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL UNIQUE,
    state TEXT NOT NULL,
    embedding BLOB
);
