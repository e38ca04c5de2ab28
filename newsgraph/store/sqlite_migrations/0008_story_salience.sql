-- stories: how much the member articles are about each entity, summed over them (1 + log of an article's mentions
-- of it); the story's label ranks its key entities by it. Rows stored before this migration have none (NULL): they
-- count 1 for each member article until an article next joins the story, or `newsgraph stories --recluster`.
ALTER TABLE story_entities ADD COLUMN salience REAL;
