"""Alert rules, matching at ingest, deliveries, mail and digests."""
