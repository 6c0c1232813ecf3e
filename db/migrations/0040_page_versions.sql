-- Pages without feeds: versions of monitored pages (kind: page) and the pages a sitemap
-- source has already listed (kind: sitemap), so that only new pages become items.

CREATE TABLE page_versions (
    source_id TEXT NOT NULL REFERENCES sources(id),
    version INTEGER NOT NULL,              -- 1 for the first visit, +1 per meaningful change
    fetched_at TEXT NOT NULL,
    url TEXT NOT NULL,                     -- the page actually read
    text_hash TEXT NOT NULL,               -- hash of the text with dates/counters masked
    text TEXT NOT NULL,                    -- the extracted text of the watched region
    PRIMARY KEY (source_id, version)
);

CREATE TABLE sitemap_urls (
    source_id TEXT NOT NULL REFERENCES sources(id),
    url TEXT NOT NULL,
    lastmod TEXT,
    first_seen_at TEXT NOT NULL,
    PRIMARY KEY (source_id, url)
);
