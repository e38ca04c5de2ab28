-- one entity per cluster key across labels: spaCy's label kept per mention, type votes per key, KB ids
-- (mirrors sqlite_migrations/0009). Existing entities sharing a key are merged here; `newsgraph reindex entities`
-- then re-keys and re-types them with the resolver's full rules from the stored mentions.
ALTER TABLE mentions ADD COLUMN label TEXT COLLATE "C";
UPDATE mentions m SET label = e.label FROM entities e WHERE e.id = m.entity_id;
ALTER TABLE entities ADD COLUMN kb_id TEXT COLLATE "C";
CREATE INDEX entities_kb ON entities(kb_id) WHERE kb_id IS NOT NULL;

CREATE TABLE entity_votes (
    key TEXT NOT NULL COLLATE "C",
    label TEXT NOT NULL COLLATE "C",
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (key, label)
);

-- a short form's links to a fuller entity ("Bush" -> "George W. Bush" in articles naming both)
CREATE TABLE entity_aliases (
    key TEXT NOT NULL COLLATE "C",
    target TEXT NOT NULL COLLATE "C",
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (key, target)
);

-- values keep their label in the key ("date:2007"), so a date and a sum never share an entity
UPDATE entities SET key = lower(label) || ':' || key
 WHERE label IN ('DATE', 'TIME', 'CARDINAL', 'ORDINAL', 'PERCENT', 'QUANTITY', 'MONEY');
INSERT INTO entity_votes (key, label, weight)
SELECT e.key, m.label, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.key, m.label;

-- every entity -> the one of its key with the most mentions (lowest id on a tie)
CREATE TEMP TABLE entity_merge ON COMMIT DROP AS
SELECT e.id AS old, k.id AS new FROM entities e
  JOIN (SELECT DISTINCT ON (key) key, id FROM entities ORDER BY key, mentions DESC, id) k ON k.key = e.key
 WHERE e.id != k.id;
CREATE UNIQUE INDEX ON entity_merge(old);
UPDATE mentions m SET entity_id = g.new FROM entity_merge g WHERE g.old = m.entity_id;
UPDATE event_arguments a SET entity_id = g.new FROM entity_merge g WHERE g.old = a.entity_id;
INSERT INTO entity_articles (entity_id, article_id, mentions)
SELECT g.new, ea.article_id, SUM(ea.mentions) FROM entity_articles ea JOIN entity_merge g ON g.old = ea.entity_id
 GROUP BY g.new, ea.article_id
    ON CONFLICT (entity_id, article_id) DO UPDATE SET mentions = entity_articles.mentions + excluded.mentions;
DELETE FROM entity_articles WHERE entity_id IN (SELECT old FROM entity_merge);
INSERT INTO aliases (entity_id, alias, count)
SELECT g.new, a.alias, SUM(a.count) FROM aliases a JOIN entity_merge g ON g.old = a.entity_id GROUP BY g.new, a.alias
    ON CONFLICT (entity_id, alias) DO UPDATE SET count = aliases.count + excluded.count;
DELETE FROM aliases WHERE entity_id IN (SELECT old FROM entity_merge);
DELETE FROM entities WHERE id IN (SELECT old FROM entity_merge);

UPDATE entities e SET mentions = COALESCE(c.m, 0), articles = COALESCE(c.n, 0)
  FROM entities x LEFT JOIN (SELECT entity_id, COUNT(*) AS n, SUM(mentions) AS m FROM entity_articles
                              GROUP BY entity_id) c ON c.entity_id = x.id
 WHERE x.id = e.id;
UPDATE entities e SET label = v.label
  FROM (SELECT DISTINCT ON (key) key, label FROM entity_votes ORDER BY key, weight DESC, label) v
 WHERE v.key = e.key;
CREATE UNIQUE INDEX entities_key ON entities(key);
