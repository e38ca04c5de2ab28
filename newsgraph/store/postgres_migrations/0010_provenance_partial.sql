-- provenance part 2 (mirrors sqlite_migrations/0010): word n-gram seeds of sentences (partial copies) and the
-- copied spans of a match
CREATE TABLE sentence_ngrams (
    key BIGINT NOT NULL,
    sentence_id BIGINT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    PRIMARY KEY (key, sentence_id)
);
-- Deleting an article cascades to its sentences' seeds: without this the cascade scans the whole table.
CREATE INDEX sentence_ngrams_sentence ON sentence_ngrams(sentence_id);

-- A `partial` match's copied span in characters of sentence_id's text and of other_id's text (the latter may run
-- on into the next sentence of its article); NULL for whole-sentence kinds. share: the part of sentence_id's words
-- the match covers (1 for whole-sentence kinds), what originality counts.
ALTER TABLE sentence_matches
    ADD COLUMN span_start INTEGER,
    ADD COLUMN span_end INTEGER,
    ADD COLUMN source_start INTEGER,
    ADD COLUMN source_end INTEGER,
    ADD COLUMN share DOUBLE PRECISION NOT NULL DEFAULT 1.0;
