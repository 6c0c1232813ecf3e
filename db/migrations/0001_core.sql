-- Core schema: the watch plan, what was fetched, the items and their tags,
-- and the subscription side (subscribers, rules, deliveries).
-- Times are ISO 8601 UTC text ('2026-11-26T13:14:27Z'). JSON lists are TEXT.

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                    -- feed | html | page | sitemap
    url TEXT NOT NULL,
    category TEXT NOT NULL DEFAULT 'other',
    lang TEXT,                             -- declared language, NULL: detect per item
    schedule_seconds INTEGER NOT NULL DEFAULT 3600,
    topics TEXT NOT NULL DEFAULT '[]',     -- default topics, JSON list
    reliability TEXT,
    selectors TEXT,                        -- JSON object for html/page/sitemap sources
    enabled INTEGER NOT NULL DEFAULT 1,    -- 0: removed from sources.yaml, items kept
    -- observed state (the database is the truth for what was observed)
    moved_to TEXT,                         -- permanent redirect target, reported not rewritten
    etag TEXT,
    last_modified TEXT,
    last_fetch_at TEXT,
    last_success_at TEXT,
    last_status TEXT,
    last_error TEXT,
    last_error_at TEXT,
    error_count INTEGER NOT NULL DEFAULT 0,  -- consecutive failures, drives backoff
    next_fetch_at TEXT,
    flag TEXT,                             -- readable warning on a feed that still works
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE fetches (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),
    started_at TEXT NOT NULL,
    status TEXT NOT NULL,                  -- ok | not_modified | flagged | failed
    http_status INTEGER,
    duration_ms INTEGER,
    items_found INTEGER NOT NULL DEFAULT 0,
    items_new INTEGER NOT NULL DEFAULT 0,
    error TEXT,                            -- human-readable, NULL on success
    url TEXT                               -- the URL actually requested
);
CREATE INDEX fetches_by_source ON fetches(source_id, started_at);

CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES sources(id),   -- where it was first seen
    url TEXT,                              -- canonical URL (tracking parameters stripped)
    guid TEXT,
    title TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',      -- clean text
    summary_html TEXT,                     -- sanitised HTML, safe to show
    content TEXT NOT NULL DEFAULT '',      -- clean text of the full body when known
    author TEXT,
    published_at TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    lang TEXT,
    content_hash TEXT NOT NULL,
    cluster_id INTEGER,                    -- story: items of one event share it
    page_version INTEGER,                  -- page-change items: the version they describe
    classified_at TEXT
);
CREATE UNIQUE INDEX items_by_url ON items(url) WHERE url IS NOT NULL AND page_version IS NULL;
CREATE UNIQUE INDEX items_by_page_version ON items(source_id, page_version) WHERE page_version IS NOT NULL;
CREATE INDEX items_by_hash ON items(content_hash);
CREATE INDEX items_by_published ON items(published_at);
CREATE INDEX items_by_source ON items(source_id, published_at);
CREATE INDEX items_by_cluster ON items(cluster_id);
CREATE INDEX items_unclassified ON items(id) WHERE classified_at IS NULL;

-- Every source an item was seen in; (source_id, key) is the per-source identity
-- (the guid, else the canonical link, else a hash of the entry).
CREATE TABLE item_sources (
    item_id INTEGER NOT NULL REFERENCES items(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    key TEXT NOT NULL,
    url TEXT,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (source_id, key)
);
CREATE INDEX item_sources_by_item ON item_sources(item_id);

-- Full-text index, diacritics folded: 'securite' finds 'sécurité'.
CREATE VIRTUAL TABLE items_fts USING fts5(
    title, summary, content,
    content='items', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER items_fts_insert AFTER INSERT ON items BEGIN
    INSERT INTO items_fts(rowid, title, summary, content)
    VALUES (new.id, new.title, new.summary, new.content);
END;
CREATE TRIGGER items_fts_delete AFTER DELETE ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content)
    VALUES ('delete', old.id, old.title, old.summary, old.content);
END;
CREATE TRIGGER items_fts_update AFTER UPDATE OF title, summary, content ON items BEGIN
    INSERT INTO items_fts(items_fts, rowid, title, summary, content)
    VALUES ('delete', old.id, old.title, old.summary, old.content);
    INSERT INTO items_fts(rowid, title, summary, content)
    VALUES (new.id, new.title, new.summary, new.content);
END;

CREATE TABLE item_topics (
    item_id INTEGER NOT NULL REFERENCES items(id),
    topic TEXT NOT NULL,
    score REAL NOT NULL,
    origin TEXT NOT NULL DEFAULT 'model',  -- model | rule | human (human overrides the model)
    PRIMARY KEY (item_id, topic)
);
CREATE INDEX item_topics_by_topic ON item_topics(topic, item_id);

-- References found in an item (standards, EU acts, French texts, dates).
CREATE TABLE entities (
    item_id INTEGER NOT NULL REFERENCES items(id),
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (item_id, kind, key)
);
CREATE INDEX entities_by_key ON entities(kind, key);

CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT,
    lang TEXT NOT NULL DEFAULT 'fr',       -- language of the mail
    created_at TEXT NOT NULL,
    unsubscribed_at TEXT
);

CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    name TEXT,
    topics TEXT NOT NULL DEFAULT '[]',     -- JSON list: any of them
    query TEXT,                            -- FTS5 query, accents ignored
    sources TEXT NOT NULL DEFAULT '[]',    -- JSON list of source ids: any of them
    categories TEXT NOT NULL DEFAULT '[]', -- JSON list of source categories: any of them
    refs TEXT NOT NULL DEFAULT '[]',       -- JSON list of reference keys: any of them
    min_score REAL NOT NULL DEFAULT 0,
    frequency TEXT NOT NULL DEFAULT 'daily',   -- immediate | daily | weekly
    lang TEXT,                             -- filter items by language
    status TEXT NOT NULL DEFAULT 'active', -- active | paused
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX alert_rules_by_subscriber ON alert_rules(subscriber_id);

-- One row per subscriber and story: a story reaches a subscriber once.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    rule_id INTEGER REFERENCES alert_rules(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    story_key TEXT NOT NULL,               -- 'c<cluster_id>' or 'i<item_id>'
    frequency TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed | cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    message_id TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (subscriber_id, story_key)
);
CREATE INDEX deliveries_pending ON deliveries(status, frequency, subscriber_id);

-- Catalogue accounts (passwords hashed by the auth plugin's own function).
CREATE TABLE users (
    email TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'reader',   -- reader | editor | admin
    created_at TEXT NOT NULL
);

-- Instance settings kept in the database (e.g. the generated signing secret).
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
