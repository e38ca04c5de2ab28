-- the store version, bumped by every write transaction, so a cached web response can tell it is stale
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO store_meta VALUES ('version', 0);

-- child-side indexes for deleting an article: without them each deleted sentence's ON DELETE CASCADE
-- scans the whole mentions, sentence_keys and events tables
CREATE INDEX mentions_sentence ON mentions(sentence_id);
CREATE INDEX sentence_keys_sentence ON sentence_keys(sentence_id);
CREATE INDEX events_sentence ON events(sentence_id);
CREATE INDEX article_keys_article ON article_keys(article_id);
CREATE INDEX article_duplicates_other ON article_duplicates(other_article_id);
