-- articles, sentences (+FTS5), canonical entities, aliases, mentions, ingest errors
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    item TEXT NOT NULL,
    url TEXT,
    canonical_url TEXT,
    content_hash TEXT NOT NULL,
    title TEXT,
    date TEXT,
    author TEXT,
    site TEXT,
    language TEXT,
    text TEXT NOT NULL,
    words INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_canonical_url ON articles(canonical_url);
CREATE INDEX articles_date ON articles(date);
CREATE INDEX articles_site ON articles(site);

CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    UNIQUE (article_id, idx)
);
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text, content='sentences', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL DEFAULT 0,
    articles INTEGER NOT NULL DEFAULT 0,
    UNIQUE (label, key)
);
CREATE INDEX entities_rank ON entities(label, articles DESC);
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_alias ON aliases(alias COLLATE NOCASE);

CREATE TABLE mentions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX mentions_entity ON mentions(entity_id, article_id);
CREATE INDEX mentions_article ON mentions(article_id);

-- one row per (entity, article): makes co-occurrence a cheap self-join
CREATE TABLE entity_articles (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (entity_id, article_id)
) WITHOUT ROWID;
CREATE INDEX entity_articles_article ON entity_articles(article_id, entity_id);

CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    item TEXT NOT NULL,
    stage TEXT NOT NULL,
    message TEXT NOT NULL,
    count INTEGER NOT NULL DEFAULT 1,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    UNIQUE (item, stage, message)
);
