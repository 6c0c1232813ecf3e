-- Ingest indexes a batch's new items in one statement (INSERT INTO items_fts ... SELECT over
-- the batch's id range), a third cheaper than the per-row trigger. While it writes items it
-- holds the 'fts_deferred' setting inside its own transaction (never committed, so no other
-- connection sees it); every other writer of items keeps the per-row trigger.
DROP TRIGGER items_fts_insert;
CREATE TRIGGER items_fts_insert AFTER INSERT ON items
WHEN NOT EXISTS (SELECT 1 FROM settings WHERE key = 'fts_deferred')
BEGIN
    INSERT INTO items_fts(rowid, title, summary, content)
    VALUES (new.id, new.title, new.summary, new.content);
END;
