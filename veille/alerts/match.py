"""Matching new items against alert rules (placeholder until rules exist)."""
from __future__ import annotations


def queue_deliveries(db, item_ids: list[int]) -> int:
    """Create pending deliveries for the rules the items match; returns how many."""
    return 0
