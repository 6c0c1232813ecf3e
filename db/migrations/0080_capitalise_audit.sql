-- Audit trail of capitalisation writes (register entries, reviews, watch sheets, reports):
-- who did what, when, and the row before and after. Rows are only ever added.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                      -- ISO 8601 UTC
    actor TEXT NOT NULL,                   -- the account's email, or 'system' / 'mail:<email>'
    action TEXT NOT NULL,                  -- create | update | delete | import | answer | ...
    entity TEXT NOT NULL,                  -- register_entry | review_request | sheet | report ...
    entity_id TEXT NOT NULL,
    before TEXT,                           -- JSON object, NULL on create
    after TEXT                             -- JSON object, NULL on delete
);
CREATE INDEX audit_log_by_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_log_by_actor ON audit_log(actor, at);
