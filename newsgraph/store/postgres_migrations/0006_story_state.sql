-- stories: summed lead embeddings (float32 bytes) and per-type event counts (mirrors sqlite_migrations/0006)
CREATE TABLE story_vectors (
    story_id BIGINT PRIMARY KEY REFERENCES stories(id) ON DELETE CASCADE,
    vector BYTEA NOT NULL
);

CREATE TABLE story_events (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, type)
);
