-- provenance: LSH band keys of sentences and articles, sentence matches (both directions), near-duplicate articles
CREATE TABLE sentence_keys (
    key INTEGER NOT NULL,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    PRIMARY KEY (key, sentence_id)
) WITHOUT ROWID;

CREATE TABLE sentence_matches (
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL,
    other_article_id INTEGER NOT NULL,
    kind TEXT NOT NULL,  -- verbatim | near | spun | paraphrase
    similarity REAL NOT NULL,
    PRIMARY KEY (sentence_id, other_id)
) WITHOUT ROWID;
CREATE INDEX sentence_matches_article ON sentence_matches(article_id, other_article_id, kind);
CREATE INDEX sentence_matches_other ON sentence_matches(other_id);

CREATE TABLE article_keys (
    key INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

CREATE TABLE article_signatures (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);

CREATE TABLE article_duplicates (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    similarity REAL NOT NULL,
    PRIMARY KEY (article_id, other_article_id)
) WITHOUT ROWID;
