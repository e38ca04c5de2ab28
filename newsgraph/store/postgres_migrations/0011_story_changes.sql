-- The story change log (mirrors sqlite_migrations/0011): the stories each story version wrote, and the version
-- that last changed each document frequency, so a clusterer in another process refreshes its in-memory index with
-- only what changed since it last looked instead of reloading it whole (stories/persist.py refresh).
CREATE TABLE story_changes (
    version BIGINT NOT NULL,
    story_id BIGINT NOT NULL,
    PRIMARY KEY (version, story_id)
);
ALTER TABLE story_df ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX story_df_version ON story_df(version);
-- 'rebuilt': the last story version written by anything but one article's assignment (a delete, a recluster);
-- an index older than it is reloaded whole. Stores migrated from before the log start there.
INSERT INTO story_meta SELECT 'rebuilt', value FROM story_meta WHERE key = 'version';
