-- Human corrections of an item's topics: they override the model for that item (rows with
-- origin 'human' in item_topics) and are training data for the next `veille train`.
CREATE TABLE topic_corrections (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES items(id),
    topics TEXT NOT NULL DEFAULT '[]',     -- JSON list: the item's full set of topics
    by TEXT,                               -- who corrected (email or name)
    at TEXT NOT NULL
);
CREATE INDEX topic_corrections_by_item ON topic_corrections(item_id, id);
