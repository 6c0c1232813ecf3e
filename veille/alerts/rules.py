"""Alert rules: what a subscriber wants to hear about, validated once, at creation.

The CLI (`veille rules ...`) and the catalogue's subscription forms both call these
functions, so a rule refused in one is refused in the other with the same sentence.
"""
from __future__ import annotations

import re
import sqlite3
from datetime import timedelta
from typing import get_args

import sqlite_utils
from pydantic import BaseModel, ConfigDict, Field

from veille.sources import TOPIC_NAMES, Category
from veille.store import alerts as store
from veille.timeutil import iso, now_iso, utcnow

FREQUENCIES = ("immediate", "daily", "weekly")
LANGS = ("fr", "en")
CATEGORIES = get_args(Category)
# no display names, no lists, no control characters: an address and nothing else
_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+$")


class RuleError(ValueError):
    """A rule cannot be saved as given; the message says what to change."""


class RuleSpec(BaseModel):
    """What a rule asks for. Empty lists mean 'any'."""

    model_config = ConfigDict(extra="forbid")
    email: str
    name: str | None = None
    topics: list[str] = Field(default_factory=list)
    query: str | None = None
    sources: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    refs: list[str] = Field(default_factory=list)
    min_score: float = 0.0
    frequency: str = "daily"
    lang: str | None = None
    webhook_url: str | None = None
    subscriber_name: str | None = None   # the subscriber's settings, applied when given
    mail_lang: str | None = None


def validate(db: sqlite_utils.Database, spec: RuleSpec) -> dict:
    """The rule's stored fields, or RuleError naming the first thing wrong."""
    email = spec.email.strip()
    if not _EMAIL.match(email):
        raise RuleError(f"email {spec.email!r} is not an address such as name@example.org")
    if spec.frequency not in FREQUENCIES:
        raise RuleError(f"frequency {spec.frequency!r} is not one of {', '.join(FREQUENCIES)}")
    for label, value in (("language", spec.lang), ("mail language", spec.mail_lang)):
        if value is not None and value not in LANGS:
            raise RuleError(f"{label} {value!r} is not one of fr, en")
    known = set(TOPIC_NAMES) | store.known_topics(db)
    for topic in spec.topics:
        if topic not in known:
            raise RuleError(f"unknown topic {topic!r} (known: {', '.join(sorted(known))})")
    for cat in spec.categories:
        if cat not in CATEGORIES:
            raise RuleError(f"unknown category {cat!r} (known: {', '.join(CATEGORIES)})")
    missing = sorted(set(spec.sources) - store.existing_source_ids(db, spec.sources))
    if missing:
        raise RuleError(f"unknown source id {missing[0]!r} (see `veille sources list` or sources.yaml)")
    if not 0 <= spec.min_score <= 1:
        raise RuleError(f"minimum score {spec.min_score} must be between 0 and 1")
    if spec.webhook_url and not re.match(r"^https?://[^\s/]+", spec.webhook_url):
        raise RuleError(f"webhook {spec.webhook_url!r} must be an http or https address")
    query = (spec.query or "").strip() or None
    if query:
        try:
            store.check_fts_query(db, query)
        except sqlite3.OperationalError as exc:
            reason = str(exc).removeprefix("fts5: ").replace('near ""', "near end")
            raise RuleError(f"query {query!r}: {reason} "
                            "(full-text syntax: words, \"exact phrase\", OR, NOT, prefix*)") from None
    fields = spec.model_dump()
    fields.update(email=email, query=query, name=(spec.name or "").strip() or None,
                  refs=reference_keys(spec.refs))
    return fields


def reference_keys(refs: list[str]) -> list[str]:
    """Reference keys as `veille references` writes them: a spelling the extractor reads
    ("Règlement (UE) 2023/1230", "Cyber Resilience Act") becomes its key; a key already in
    that form (2023/1230, code du travail R4323-105) is kept; a word that names no
    reference ("machines") is refused, since it could never match."""
    from veille.references import extract

    keys: list[str] = []
    for ref in (r.strip() for r in refs):
        if not ref:
            continue
        found = [r.key for r in extract(ref) if r.kind in ("standard", "eu_act", "fr_text", "date")]
        if found:
            keys += [k for k in found if k not in keys]
        elif not any(ch.isdigit() for ch in ref):
            raise RuleError(f"reference {ref!r} names no standard, EU act or French text "
                            "(examples: ISO 13849-1, 2023/1230, Cyber Resilience Act, "
                            "décret 2024-1234)")
        elif ref not in keys:
            keys.append(ref)
    return keys


def add_rule(db: sqlite_utils.Database, spec: RuleSpec) -> int:
    """Save a new rule (creating its subscriber if needed); returns its id."""
    fields = validate(db, spec)
    now = now_iso()
    with db.atomic():
        sub = store.ensure_subscriber(db, fields["email"], now, spec.subscriber_name, spec.mail_lang)
        return store.insert_rule(db, sub, fields, now)


def update_rule(db: sqlite_utils.Database, rule_id: int, spec: RuleSpec) -> None:
    get_rule(db, rule_id)
    fields = validate(db, spec)
    now = now_iso()
    with db.atomic():
        sub = store.ensure_subscriber(db, fields["email"], now, spec.subscriber_name, spec.mail_lang)
        store.update_rule(db, rule_id, sub, fields, now)


def set_status(db: sqlite_utils.Database, rule_id: int, status: str) -> None:
    if status not in ("active", "paused"):
        raise RuleError(f"status {status!r} is not one of active, paused")
    if not store.set_rule_status(db, rule_id, status, now_iso()):
        raise RuleError(f"no rule with id {rule_id}")


def remove_rule(db: sqlite_utils.Database, rule_id: int) -> None:
    if not store.delete_rule(db, rule_id):
        raise RuleError(f"no rule with id {rule_id}")


def list_rules(db: sqlite_utils.Database, email: str | None = None) -> list[dict]:
    return store.fetch_rules(db, email)


def get_rule(db: sqlite_utils.Database, rule_id: int) -> dict:
    rule = store.fetch_rule(db, rule_id)
    if rule is None:
        raise RuleError(f"no rule with id {rule_id}")
    return rule


def set_subscriber(db: sqlite_utils.Database, email: str, name: str | None = None,
                   lang: str | None = None) -> None:
    """Change the name or mail language of an existing subscriber."""
    if lang is not None and lang not in LANGS:
        raise RuleError(f"mail language {lang!r} is not one of fr, en")
    if not store.update_subscriber(db, email.strip(), name=name, lang=lang):
        raise RuleError(f"no subscriber with email {email!r}")


def preview(db: sqlite_utils.Database, spec_or_rule_id: RuleSpec | int, days: int = 30,
            limit: int = 50) -> list[dict]:
    """Items the rule would have matched in the last ``days`` days, newest first."""
    from veille.alerts.match import ItemIndex, rule_matches

    if isinstance(spec_or_rule_id, RuleSpec):
        rule = validate(db, spec_or_rule_id)
    else:
        rule = get_rule(db, int(spec_or_rule_id))
    ids = store.recent_item_ids(db, iso(utcnow() - timedelta(days=days)))
    if not ids:
        return []
    matched = rule_matches(db, rule, ItemIndex(store.items_for_matching(db, ids)))
    return store.item_summaries(db, matched, limit)
