-- the store version, bumped by every write transaction: each web worker reads it, so no process serves a stale page
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO store_meta VALUES ('version', 0);

CREATE INDEX mentions_sentence ON mentions(sentence_id);
CREATE INDEX sentence_keys_sentence ON sentence_keys(sentence_id);
CREATE INDEX events_sentence ON events(sentence_id);
CREATE INDEX article_keys_article ON article_keys(article_id);
CREATE INDEX article_duplicates_other ON article_duplicates(other_article_id);
