-- one entity per cluster key across labels: spaCy's label kept per mention, type votes per key, KB ids.
-- Existing entities sharing a key are merged here; `newsgraph reindex entities` then re-keys and re-types
-- them with the resolver's full rules (cleanco, cues, gazetteer prior) from the stored mentions.
ALTER TABLE mentions ADD COLUMN label TEXT;
UPDATE mentions SET label = (SELECT e.label FROM entities e WHERE e.id = mentions.entity_id);
ALTER TABLE entities ADD COLUMN kb_id TEXT;
CREATE INDEX entities_kb ON entities(kb_id) WHERE kb_id IS NOT NULL;

CREATE TABLE entity_votes (
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (key, label)
) WITHOUT ROWID;

-- a short form's links to a fuller entity ("Bush" -> "George W. Bush" in articles naming both)
CREATE TABLE entity_aliases (
    key TEXT NOT NULL,
    target TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (key, target)
) WITHOUT ROWID;

-- values keep their label in the key ("date:2007"), so a date and a sum never share an entity
UPDATE entities SET key = lower(label) || ':' || key
 WHERE label IN ('DATE', 'TIME', 'CARDINAL', 'ORDINAL', 'PERCENT', 'QUANTITY', 'MONEY');
INSERT INTO entity_votes (key, label, weight)
SELECT e.key, m.label, COUNT(*) FROM mentions m JOIN entities e ON e.id = m.entity_id GROUP BY e.key, m.label;

CREATE INDEX entities_by_key ON entities(key, mentions DESC, id);
CREATE TEMP TABLE entity_merge (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
INSERT INTO entity_merge
SELECT e.id, (SELECT k.id FROM entities k WHERE k.key = e.key ORDER BY k.mentions DESC, k.id LIMIT 1) FROM entities e;
DELETE FROM entity_merge WHERE old = new;
UPDATE mentions SET entity_id = (SELECT g.new FROM entity_merge g WHERE g.old = mentions.entity_id)
 WHERE entity_id IN (SELECT old FROM entity_merge);
UPDATE event_arguments SET entity_id = (SELECT g.new FROM entity_merge g WHERE g.old = event_arguments.entity_id)
 WHERE entity_id IN (SELECT old FROM entity_merge);
INSERT INTO entity_articles (entity_id, article_id, mentions)
SELECT g.new, ea.article_id, ea.mentions FROM entity_articles ea JOIN entity_merge g ON g.old = ea.entity_id WHERE true
    ON CONFLICT(entity_id, article_id) DO UPDATE SET mentions = mentions + excluded.mentions;
DELETE FROM entity_articles WHERE entity_id IN (SELECT old FROM entity_merge);
INSERT INTO aliases (entity_id, alias, count)
SELECT g.new, a.alias, a.count FROM aliases a JOIN entity_merge g ON g.old = a.entity_id WHERE true
    ON CONFLICT(entity_id, alias) DO UPDATE SET count = count + excluded.count;
DELETE FROM aliases WHERE entity_id IN (SELECT old FROM entity_merge);
DELETE FROM entities WHERE id IN (SELECT old FROM entity_merge);
DROP TABLE entity_merge;
DROP INDEX entities_by_key;

UPDATE entities SET mentions = (SELECT COUNT(*) FROM mentions m WHERE m.entity_id = entities.id),
                    articles = (SELECT COUNT(*) FROM entity_articles ea WHERE ea.entity_id = entities.id),
                    label = COALESCE((SELECT v.label FROM entity_votes v WHERE v.key = entities.key
                                       ORDER BY v.weight DESC, v.label LIMIT 1), label);
CREATE UNIQUE INDEX entities_key ON entities(key);
