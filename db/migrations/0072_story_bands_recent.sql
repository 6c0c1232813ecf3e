-- Band keys of recent items, merged into story_bands in key order every ~1,000 items: a
-- batch's keys are random, so writing them straight into the large index dirtied one page
-- per key at every commit; this small table stays in a few pages. Candidates are looked up
-- in both tables.
CREATE TABLE story_bands_recent (
    band INTEGER NOT NULL,
    hash INTEGER NOT NULL,
    item_id INTEGER NOT NULL
);
CREATE INDEX story_bands_recent_by_key ON story_bands_recent(band, hash, item_id);
