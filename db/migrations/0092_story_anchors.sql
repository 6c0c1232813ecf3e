-- Story anchors (veille/story_anchors.py): the distinctive tokens of an item's title and
-- summary (codes, text numbers, figures, names) as int64 codes, little endian; a second
-- signal beside MinHash for heavily rewritten retellings of one event. NULL for items signed
-- before it (`veille stories rebuild` fills them).
ALTER TABLE item_signatures ADD COLUMN anchors BLOB;
