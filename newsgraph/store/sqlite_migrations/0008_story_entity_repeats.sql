-- stories: how much more than once the member articles name each entity, summed over them (log of an article's
-- mentions of it, 0 when it names it once); with `articles` it ranks the story's key entities for its label. Rows
-- stored before this migration start at 0, so they rank by member articles alone until the story is next rebuilt.
ALTER TABLE story_entities ADD COLUMN repeats REAL NOT NULL DEFAULT 0;
