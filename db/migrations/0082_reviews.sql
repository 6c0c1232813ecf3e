-- Stakeholder review: an item or a register entry sent to a reviewer group (CSE, R&D, QSE ...)
-- for an opinion; each member answers once (relevant / not relevant / comment).
CREATE TABLE review_groups (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    emails TEXT NOT NULL DEFAULT '[]',         -- JSON list of member emails
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE review_requests (
    id INTEGER PRIMARY KEY,
    item_id INTEGER REFERENCES items(id),
    entry_id INTEGER REFERENCES register_entries(id),
    group_name TEXT NOT NULL,
    question TEXT NOT NULL,
    due_on TEXT,                               -- YYYY-MM-DD
    requested_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((item_id IS NULL) != (entry_id IS NULL))
);
CREATE INDEX review_requests_by_item ON review_requests(item_id);
CREATE INDEX review_requests_by_entry ON review_requests(entry_id);

-- The members asked (the group as it was when asked) and the mail each one was sent:
-- claimed ('sending') before the message leaves, so nobody is asked twice.
CREATE TABLE review_recipients (
    request_id INTEGER NOT NULL REFERENCES review_requests(id),
    email TEXT NOT NULL COLLATE NOCASE,
    status TEXT NOT NULL DEFAULT 'pending',    -- pending | sending | sent | failed
    message_id TEXT,
    claimed_at TEXT,
    sent_at TEXT,
    error TEXT,
    PRIMARY KEY (request_id, email)
);

CREATE TABLE review_answers (
    id INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES review_requests(id),
    email TEXT NOT NULL COLLATE NOCASE,
    verdict TEXT NOT NULL CHECK (verdict IN ('relevant', 'not_relevant', 'comment')),
    comment TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL,                         -- mail | catalogue
    at TEXT NOT NULL,
    UNIQUE (request_id, email)
);
