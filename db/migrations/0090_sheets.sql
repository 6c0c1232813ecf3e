-- Watch sheets (fiches de veille): a technique or product written up from items of the
-- watch, versioned in full, searchable, linked from the items they cite.

CREATE TABLE sheets (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,             -- from the title, made unique; stable across edits
    title TEXT NOT NULL,
    technique TEXT NOT NULL DEFAULT '',    -- the technique or product family described
    summary TEXT NOT NULL DEFAULT '',
    maturity TEXT NOT NULL DEFAULT '',     -- research | pilot | industrial | mature | TRL 1 ... TRL 9
    vendor TEXT NOT NULL DEFAULT '',       -- commercial availability: who sells it
    price_range TEXT NOT NULL DEFAULT '',
    available_since TEXT NOT NULL DEFAULT '',
    strengths TEXT NOT NULL DEFAULT '',
    weaknesses TEXT NOT NULL DEFAULT '',
    comparison TEXT NOT NULL DEFAULT '{"criteria": [], "rows": []}',  -- JSON: rows = solutions
    comparison_text TEXT NOT NULL DEFAULT '',  -- the table's cells as words, for search
    version INTEGER NOT NULL DEFAULT 1,    -- optimistic locking: an edit names the version it read
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX sheets_by_updated ON sheets(updated_at);
CREATE INDEX sheets_by_created ON sheets(created_at);

-- Every saved version in full (the sheet's fields and cited items as JSON), never rewritten.
CREATE TABLE sheet_versions (
    sheet_id INTEGER NOT NULL REFERENCES sheets(id),
    version INTEGER NOT NULL,
    content TEXT NOT NULL,                 -- JSON object of the sheet's fields and item ids
    author TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',         -- what changed, as the author put it
    PRIMARY KEY (sheet_id, version)
);

-- Items a sheet cites (the item page lists the sheets citing it).
CREATE TABLE sheet_items (
    sheet_id INTEGER NOT NULL REFERENCES sheets(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (sheet_id, item_id)
);
CREATE INDEX sheet_items_by_item ON sheet_items(item_id);

-- Full-text index, diacritics folded like items_fts: 'metal fusion laser' finds 'métal'.
CREATE VIRTUAL TABLE sheets_fts USING fts5(
    title, technique, summary, vendor, strengths, weaknesses, comparison_text,
    content='sheets', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER sheets_fts_insert AFTER INSERT ON sheets BEGIN
    INSERT INTO sheets_fts(rowid, title, technique, summary, vendor, strengths, weaknesses, comparison_text)
    VALUES (new.id, new.title, new.technique, new.summary, new.vendor, new.strengths, new.weaknesses,
            new.comparison_text);
END;
CREATE TRIGGER sheets_fts_delete AFTER DELETE ON sheets BEGIN
    INSERT INTO sheets_fts(sheets_fts, rowid, title, technique, summary, vendor, strengths, weaknesses,
                           comparison_text)
    VALUES ('delete', old.id, old.title, old.technique, old.summary, old.vendor, old.strengths,
            old.weaknesses, old.comparison_text);
END;
CREATE TRIGGER sheets_fts_update AFTER UPDATE ON sheets BEGIN
    INSERT INTO sheets_fts(sheets_fts, rowid, title, technique, summary, vendor, strengths, weaknesses,
                           comparison_text)
    VALUES ('delete', old.id, old.title, old.technique, old.summary, old.vendor, old.strengths,
            old.weaknesses, old.comparison_text);
    INSERT INTO sheets_fts(rowid, title, technique, summary, vendor, strengths, weaknesses, comparison_text)
    VALUES (new.id, new.title, new.technique, new.summary, new.vendor, new.strengths, new.weaknesses,
            new.comparison_text);
END;

-- Watch reports kept in the knowledge base: what was shown (JSON) and the Word document.
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    params TEXT NOT NULL,                  -- JSON: period_start, period_end, topic, group
    content TEXT NOT NULL,                 -- JSON: the report as built when saved
    docx BLOB NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
