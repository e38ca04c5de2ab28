-- stories: online clusters, their members with key sentences, and the clusterer's persisted index (mirrors 0004)
CREATE TABLE stories (
    id BIGINT PRIMARY KEY,
    label TEXT NOT NULL,
    first_date TEXT COLLATE "C",
    last_date TEXT COLLATE "C",
    articles INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_date ON stories(last_date);

CREATE TABLE story_articles (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id BIGINT NOT NULL REFERENCES stories(id),
    score DOUBLE PRECISION NOT NULL,
    key_sentence INTEGER
);
CREATE INDEX story_articles_story ON story_articles(story_id, article_id);

CREATE TABLE story_entities (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    label TEXT NOT NULL COLLATE "C",
    key TEXT NOT NULL COLLATE "C",
    name TEXT NOT NULL COLLATE "C",
    articles INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, label, key)
);
CREATE INDEX story_entities_entity ON story_entities(label, key, story_id);

CREATE TABLE story_terms (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (story_id, term)
);

CREATE TABLE story_times (
    story_id BIGINT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    time TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, time)
);

CREATE TABLE story_df (
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    df INTEGER NOT NULL,
    PRIMARY KEY (kind, term)
);

CREATE TABLE story_meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO story_meta VALUES ('docs', 0), ('version', 0);
