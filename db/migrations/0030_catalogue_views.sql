-- A readable items table for Datasette's own pages: the columns a person reads (title,
-- source name, date, language, topics, a short summary), without the full text, the stored
-- HTML or the content hash. No join and no ORDER BY (the metadata sorts it newest first):
-- that keeps the view flattenable, so Datasette's row count stays a count of items.
CREATE VIEW items_catalogue AS
SELECT
    i.id,
    i.title,
    i.url,
    (SELECT s.name FROM sources s WHERE s.id = i.source_id) AS source,
    i.published_at,
    i.lang,
    (SELECT group_concat(t.topic, ', ') FROM item_topics t WHERE t.item_id = i.id) AS topics,
    substr(i.summary, 1, 280) AS summary
FROM items i;
