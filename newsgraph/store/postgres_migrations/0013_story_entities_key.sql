-- An entity's stories join story_entities on the key alone (an entity's type may have changed since its story
-- counted it): without this index the entity page scanned every story entity, a cost growing with the store.
CREATE INDEX story_entities_key ON story_entities(key, story_id);
