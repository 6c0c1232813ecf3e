-- A French text cited by its number and its date ("décret n° 2026-187 du 9 mars 2026") is keyed
-- by its number; cited by its date alone ("le décret du 9 mars 2026") it is keyed by its date.
-- Each item giving both teaches one alias here (kind, the date's key, the number's key); an
-- alias one number holds moves the references stored under the date's key to the number's, so
-- that the text has one reference page (veille/store/entities.py). Two numbers sharing a date
-- leave that date's key as it is. Items stored before this table teach their aliases when
-- `veille references rebuild` reads them again.
CREATE TABLE reference_aliases (
    kind TEXT NOT NULL,
    alias TEXT NOT NULL,       -- the date's key: 'décret 2026-03-09'
    key TEXT NOT NULL,         -- the number's key: 'décret 2026-187'
    PRIMARY KEY (kind, alias, key)
);
