-- Co-occurrence counts kept at write time, one row per direction: the entity page reads an entity's strongest
-- neighbours from an index instead of self-joining entity_articles, which grows with the store.
-- Kept by store/cooccurrence.py on add, delete and entity rebuild; filled here for an existing store.
CREATE TABLE cooccurrences (
    entity_id INTEGER NOT NULL,
    other_id INTEGER NOT NULL,
    articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, other_id)
) WITHOUT ROWID;
CREATE INDEX cooccurrences_strongest ON cooccurrences(entity_id, articles DESC, other_id);

INSERT INTO cooccurrences (entity_id, other_id, articles)
SELECT x.entity_id, y.entity_id, COUNT(*) FROM entity_articles x
  JOIN entity_articles y ON y.article_id = x.article_id AND y.entity_id != x.entity_id
 GROUP BY x.entity_id, y.entity_id;
