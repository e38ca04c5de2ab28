-- provenance: LSH band keys (indexed: a lookup is never a scan), sentence matches both ways, near-duplicates
CREATE TABLE sentence_keys (
    key BIGINT NOT NULL,
    sentence_id BIGINT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    PRIMARY KEY (key, sentence_id)
);

CREATE TABLE sentence_matches (
    sentence_id BIGINT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    other_id BIGINT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    article_id BIGINT NOT NULL,
    other_article_id BIGINT NOT NULL,
    kind TEXT NOT NULL,  -- verbatim | near | spun | paraphrase
    similarity DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (sentence_id, other_id)
);
CREATE INDEX sentence_matches_article ON sentence_matches(article_id, other_article_id, kind);
CREATE INDEX sentence_matches_other ON sentence_matches(other_id);

CREATE TABLE article_keys (
    key BIGINT NOT NULL,
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (key, article_id)
);

CREATE TABLE article_signatures (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    signature BYTEA NOT NULL
);

CREATE TABLE article_duplicates (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    other_article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    similarity DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (article_id, other_article_id)
);
