-- A European standard numbered 6xxxx is an IEC standard adopted in Europe (CENELEC's numbers
-- follow IEC's): `EN 60204-1` and `IEC 60204-1` are one standard and now one key, as
-- `EN ISO 13849-1` and `ISO 13849-1` already were. Standard references, alert rules and
-- register entries stored under `EN 6xxxx` move to `IEC 6xxxx`; an item that already holds the
-- IEC key keeps that row only, and a register entry whose IEC twin exists stays as it is.
DELETE FROM entities
WHERE kind = 'standard' AND key GLOB 'EN 6[0-9][0-9][0-9][0-9]*' AND key NOT GLOB 'EN 6[0-9][0-9][0-9][0-9][0-9]*'
  AND EXISTS (SELECT 1 FROM entities AS e WHERE e.item_id = entities.item_id AND e.kind = 'standard'
              AND e.key = 'IEC ' || substr(entities.key, 4));
UPDATE entities SET key = 'IEC ' || substr(key, 4)
WHERE kind = 'standard' AND key GLOB 'EN 6[0-9][0-9][0-9][0-9]*' AND key NOT GLOB 'EN 6[0-9][0-9][0-9][0-9][0-9]*';
UPDATE alert_rules SET refs = (
    SELECT json_group_array(DISTINCT CASE
        WHEN value GLOB 'EN 6[0-9][0-9][0-9][0-9]*' AND value NOT GLOB 'EN 6[0-9][0-9][0-9][0-9][0-9]*'
        THEN 'IEC ' || substr(value, 4) ELSE value END)
    FROM json_each(alert_rules.refs))
WHERE refs GLOB '*"EN 6[0-9][0-9][0-9][0-9]*';
UPDATE register_entries SET ref_key = 'IEC ' || substr(ref_key, 4)
WHERE ref_kind = 'standard' AND ref_key GLOB 'EN 6[0-9][0-9][0-9][0-9]*'
  AND ref_key NOT GLOB 'EN 6[0-9][0-9][0-9][0-9][0-9]*'
  AND NOT EXISTS (SELECT 1 FROM register_entries AS r WHERE r.ref_kind = 'standard'
                  AND r.ref_key = 'IEC ' || substr(register_entries.ref_key, 4));
