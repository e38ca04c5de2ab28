-- stories: the sum of the member articles' lead embeddings (float32 bytes, newsgraph.nlp.embeddings.DIM of them),
-- one fixed-size row per story. Stories clustered before this migration have none; they gain one when an article
-- next joins them, or all at once with `newsgraph stories --recluster`.
CREATE TABLE story_vectors (
    story_id INTEGER PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    vector BLOB NOT NULL
);

-- stories: how many member articles report an event of each type (the label names the dominant one)
CREATE TABLE story_events (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, type)
) WITHOUT ROWID;
