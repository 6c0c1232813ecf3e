-- The regulatory register (veille réglementaire for ISO 14001 / 45001 audits): one entry per
-- text, its applicability to the site, its owner, actions, compliance and evidence.
-- Dates are 'YYYY-MM-DD'. `version` is the optimistic lock: an update names the version it
-- was read at and is refused when someone else saved in between.
CREATE TABLE register_entries (
    id INTEGER PRIMARY KEY,
    item_id INTEGER REFERENCES items(id),      -- the watch item it was created from, if any
    ref_kind TEXT,                             -- eu_act | fr_text | standard (entities kinds)
    ref_key TEXT,                              -- normalised key ('2023/1230'), NULL when typed freely
    reference TEXT NOT NULL,                   -- as written ('Règlement (UE) 2023/1230')
    title TEXT NOT NULL,
    issuer TEXT NOT NULL DEFAULT '',           -- issuing body
    published_on TEXT,
    application_dates TEXT NOT NULL DEFAULT '[]',   -- JSON list of dates, sorted
    applicability TEXT NOT NULL DEFAULT 'to_assess'
        CHECK (applicability IN ('to_assess', 'applicable', 'not_applicable')),
    applicability_reason TEXT NOT NULL DEFAULT '',
    owner TEXT NOT NULL DEFAULT '',            -- email of the person in charge
    actions TEXT NOT NULL DEFAULT '',          -- required actions
    status TEXT NOT NULL DEFAULT 'to_assess'
        CHECK (status IN ('to_assess', 'compliant', 'non_compliant', 'in_progress')),
    evidence_url TEXT NOT NULL DEFAULT '',
    next_review TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
-- one entry per identified text: creating it again from another item opens the existing one
CREATE UNIQUE INDEX register_by_ref ON register_entries(ref_kind, ref_key) WHERE ref_key IS NOT NULL;
CREATE INDEX register_by_item ON register_entries(item_id);
CREATE INDEX register_by_owner ON register_entries(owner);

-- Reminders to an entry's owner before a deadline: one row per (entry, deadline, kind, lead),
-- claimed ('sending') before the message leaves, so a reminder is never sent twice.
CREATE TABLE register_reminders (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES register_entries(id),
    deadline TEXT NOT NULL,                    -- the date reminded of
    kind TEXT NOT NULL,                        -- application | review
    lead_days INTEGER NOT NULL,                -- 14, 1 ...
    recipient TEXT NOT NULL,
    status TEXT NOT NULL,                      -- sending | sent | failed | skipped
    message_id TEXT,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    error TEXT,
    UNIQUE (entry_id, deadline, kind, lead_days)
);
