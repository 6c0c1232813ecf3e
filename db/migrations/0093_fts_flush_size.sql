-- FTS5 writes its pending terms to a new segment whenever they pass 'hashsize' bytes (1 MB by
-- default), so a crawl's transaction of 1,000 items made several small segments that
-- automerge then merged again. 8 MB holds a whole transaction's terms: one segment per
-- transaction, the same index content (store CPU per item, 10,000 items: 68 -> 60 us).
INSERT INTO items_fts(items_fts, rank) VALUES ('hashsize', 8388608);
