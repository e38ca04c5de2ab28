-- Mirrors postgres_migrations/0016 (whose foreign-key drop is PostgreSQL's alone). Most entity pairs share one
-- article (97.5% of the pairs after 300 Wikinews articles), and each cost an entry in the ordered index too. It
-- keeps the pairs of two or more articles only; store/cooccurrence.strongest reads the one-article pairs after them,
-- from the primary key in id order (the same order as before).
DROP INDEX cooccurrences_strongest;
CREATE INDEX cooccurrences_strongest ON cooccurrences(entity_id, articles DESC, other_id) WHERE articles >= 2;
