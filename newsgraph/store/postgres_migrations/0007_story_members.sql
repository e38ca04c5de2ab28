-- stories: each article's story features, so local repair can re-partition a neighbourhood (mirrors 0007)
CREATE TABLE story_article_state (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    embedding BYTEA
);
