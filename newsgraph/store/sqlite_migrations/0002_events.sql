-- business events (SENTiVENT typology) with their arguments, modality, polarity and attribution
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    sentence_idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    subtype TEXT,
    trigger TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    modality TEXT NOT NULL,
    polarity TEXT NOT NULL,
    attribution TEXT NOT NULL,
    source TEXT,
    cue TEXT,
    tags TEXT NOT NULL DEFAULT '',
    score REAL NOT NULL
);
CREATE INDEX events_article ON events(article_id, start);
CREATE INDEX events_type ON events(type, modality);

CREATE TABLE event_arguments (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    entity_id INTEGER REFERENCES entities(id),
    via TEXT
);
CREATE INDEX event_arguments_event ON event_arguments(event_id);
CREATE INDEX event_arguments_entity ON event_arguments(entity_id, event_id);
