-- stories: online clusters of articles, their members with key sentences, and the clusterer's persisted index
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    articles INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_last_date ON stories(last_date);

CREATE TABLE story_articles (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL REFERENCES stories(id),
    score REAL NOT NULL,
    key_sentence INTEGER
);
CREATE INDEX story_articles_story ON story_articles(story_id, article_id);

-- the story's key entities (and the entity -> stories index behind per-entity timelines)
CREATE TABLE story_entities (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, label, key)
) WITHOUT ROWID;
CREATE INDEX story_entities_entity ON story_entities(label, key, story_id);

-- the story's truncated TF-IDF centroid
CREATE TABLE story_terms (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;

-- years / month-years the story's articles speak of
CREATE TABLE story_times (
    story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    time TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, time)
) WITHOUT ROWID;

-- document frequencies of terms (kind 't') and story entities (kind 'e'), kept incrementally
CREATE TABLE story_df (
    kind TEXT NOT NULL,
    term TEXT NOT NULL,
    df INTEGER NOT NULL,
    PRIMARY KEY (kind, term)
) WITHOUT ROWID;

-- counters: 'docs' (articles clustered) and 'version' (bumped by every story write, so a cached index can tell it is stale)
CREATE TABLE story_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO story_meta VALUES ('docs', 0), ('version', 0);
