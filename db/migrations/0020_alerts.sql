-- Alerts: webhook per rule, claim time of a delivery (for crash recovery), digest runs,
-- and the indexes matching and sending need.

-- Optional JSON POST target per rule (Teams/Slack incoming webhook or any endpoint).
ALTER TABLE alert_rules ADD COLUMN webhook_url TEXT;

-- When a delivery was claimed for sending: its message's Date and the age after which a
-- claim left by a killed process is sent again with the same Message-ID.
ALTER TABLE deliveries ADD COLUMN claimed_at TEXT;

CREATE INDEX deliveries_by_item ON deliveries(item_id, subscriber_id);
CREATE INDEX deliveries_by_message ON deliveries(message_id) WHERE message_id IS NOT NULL;
CREATE INDEX alert_rules_active ON alert_rules(status, frequency);

-- One row per rule and item pushed to the rule's webhook (never twice).
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL REFERENCES alert_rules(id),
    item_id INTEGER NOT NULL REFERENCES items(id),
    status TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed | cancelled
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (rule_id, item_id)
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(status, rule_id);

-- A digest reaches a subscriber once per period window ('daily' '2026-11-26',
-- 'weekly' '2026-W48'), however often the digest job runs.
CREATE TABLE digest_runs (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers(id),
    period TEXT NOT NULL,                    -- daily | weekly
    window_key TEXT NOT NULL,
    message_id TEXT NOT NULL,
    items INTEGER NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (subscriber_id, period, window_key)
);
