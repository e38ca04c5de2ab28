-- What each write touched, by store version, so a response cache drops only the pages a write changed:
-- `tags` is a space-separated set such as "article:7 entity:3 story:2", NULL when the write may touch anything.
-- Only the latest versions are kept (store/changes.py prunes); a cache that fell further behind drops everything.
CREATE TABLE store_changes (
    version BIGINT PRIMARY KEY,
    tags TEXT
);
