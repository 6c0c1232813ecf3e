-- Stories: near-duplicate items across sources share items.cluster_id (the id of the
-- story's first item, never changed afterwards so that a story's delivery key is stable).

-- MinHash signature of an item's normalised title and summary (uint32 array, little endian).
CREATE TABLE item_signatures (
    item_id INTEGER PRIMARY KEY REFERENCES items(id),
    signature BLOB NOT NULL
);

-- LSH bands of each signature: items sharing a (band, hash) are candidate duplicates,
-- found by an indexed lookup instead of an index rebuilt in memory.
CREATE TABLE story_bands (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    item_id INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (band, hash, item_id)
) WITHOUT ROWID;

-- One row per story: its lead item (primary source first, then the most complete) and size.
CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,                -- = items.cluster_id = the story's first item
    lead_item_id INTEGER NOT NULL REFERENCES items(id),
    size INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

-- The catalogue's "also in N sources": every source a story was seen in.
CREATE VIEW story_sources AS
SELECT i.cluster_id AS cluster_id, s.source_id AS source_id, min(s.seen_at) AS first_seen_at
FROM items i JOIN item_sources s ON s.item_id = i.id
WHERE i.cluster_id IS NOT NULL
GROUP BY i.cluster_id, s.source_id;
