-- PostgreSQL's write CPU per article (issue #14; PostgreSQL only, SQLite checks a foreign key in-process for next
-- to nothing). An article writes ~650 band-key and n-gram seed rows; each row's foreign key cost the server a
-- trigger and a locking lookup of its sentence, about a fifth of all the server's statement time. Both tables are
-- derived postings that only add_provenance writes (for sentences it has just written) and that lookups join back
-- to sentences; deleting an article now deletes its sentences' postings itself (sqlite_delete.delete_article), and
-- `Store.check()` reports any posting of a missing sentence.
ALTER TABLE sentence_keys DROP CONSTRAINT IF EXISTS sentence_keys_sentence_id_fkey;
ALTER TABLE sentence_ngrams DROP CONSTRAINT IF EXISTS sentence_ngrams_sentence_id_fkey;

-- Most entity pairs share one article (97.5% of the pairs after 300 Wikinews articles), and each cost an entry in
-- the ordered index too. It keeps the pairs of two or more articles only; store/cooccurrence.strongest reads the
-- one-article pairs after them, from the primary key in id order (the same order as before).
DROP INDEX cooccurrences_strongest;
CREATE INDEX cooccurrences_strongest ON cooccurrences(entity_id, articles DESC, other_id) WHERE articles >= 2;

-- The postings' sentence_id index serves only range reads (deleting an article's postings, `batch --provenance
-- join` reading a sentence range): rows are appended in sentence order, so a BRIN index answers those and costs
-- next to nothing per insert, where the btree cost one more index entry (and WAL record) per posting.
DROP INDEX IF EXISTS sentence_keys_sentence;
DROP INDEX IF EXISTS sentence_ngrams_sentence;
CREATE INDEX sentence_keys_sentence ON sentence_keys USING BRIN (sentence_id) WITH (autosummarize = on);
CREATE INDEX sentence_ngrams_sentence ON sentence_ngrams USING BRIN (sentence_id) WITH (autosummarize = on);
