-- stories: summed repeats of each story entity (mirrors sqlite_migrations/0008)
ALTER TABLE story_entities ADD COLUMN repeats DOUBLE PRECISION NOT NULL DEFAULT 0;
