-- Articles stored with their keys but not yet their matches (`newsgraph batch --provenance join`); its row goes in
-- the transaction that writes the matches.
CREATE TABLE provenance_pending (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
);
