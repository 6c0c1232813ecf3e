"""The regulatory register: texts, their applicability to the site, owners, actions,
compliance and evidence, as HSE auditors expect for ISO 14001 / 45001.

Every write records an audit row in the same transaction. Updates are optimistic: they carry
the version the person read, and a stale one is refused with who changed the entry and when,
so nothing is overwritten silently.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlite_utils

from veille import store
from veille.store import audit
from veille.store import register as sql
from veille.timeutil import now_iso

ENTITY = "register_entry"
APPLICABILITY = ("to_assess", "applicable", "not_applicable")
STATUSES = ("to_assess", "compliant", "non_compliant", "in_progress")
REF_KINDS = ("eu_act", "fr_text", "standard")  # the entities kinds a register entry is keyed by
DUE_HORIZON_DAYS = 30
# what people type in a spreadsheet, in either language, for the coded values
_ALIASES = {
    "à évaluer": "to_assess", "a evaluer": "to_assess", "to assess": "to_assess",
    "applicable": "applicable", "non applicable": "not_applicable", "not applicable": "not_applicable",
    "conforme": "compliant", "compliant": "compliant", "non conforme": "non_compliant",
    "non-conforme": "non_compliant", "non compliant": "non_compliant", "non-compliant": "non_compliant",
    "en cours": "in_progress", "in progress": "in_progress",
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ISSUERS = {"eu_act": "Union européenne", "fr_text": "République française"}


class EntryError(ValueError):
    """The entry cannot be saved as given; ``problems`` lists each field's message."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class StaleEntry(RuntimeError):
    """Someone saved the entry after it was read: reload before changing it."""

    def __init__(self, entry: dict):
        super().__init__(f"this entry was changed by {entry['updated_by']} at "
                         f"{entry['updated_at'].replace('T', ' ').rstrip('Z')} UTC; reload it and "
                         "apply your change again")
        self.entry = entry


class EntryNotFound(LookupError):
    pass


def parse_date(text: str | None, what: str) -> str | None:
    """'2027-01-20' or '20/01/2027' as '2027-01-20'; empty: None."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise ValueError(f"{what}: {text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)")


def _dates(value, problems: list[str]) -> list[str]:
    parts = value if isinstance(value, (list, tuple)) else re.split(r"[,;\s]+", value or "")
    out = []
    for p in parts:
        try:
            d = parse_date(p, "application date")
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if d:
            out.append(d)
    return sorted(set(out))


def _code(value: str | None, allowed: tuple[str, ...], what: str, problems: list[str]) -> str:
    text = (value or "").strip()
    code = _ALIASES.get(text.lower(), text.lower().replace(" ", "_").replace("-", "_")) if text else allowed[0]
    if code not in allowed:
        problems.append(f"{what}: {text!r} is not one of {', '.join(allowed)}")
        return allowed[0]
    return code


def validate(raw: dict) -> dict:
    """The register fields from a form, a CSV row or code, checked and normalised; raises
    EntryError listing every problem at once."""
    problems: list[str] = []
    text = lambda k: str(raw.get(k) or "").strip()  # noqa: E731
    out = {k: text(k) for k in ("reference", "title", "issuer", "applicability_reason", "owner",
                                "actions", "evidence_url")}
    for key, what in (("reference", "reference"), ("title", "title")):
        if not out[key]:
            problems.append(f"{what} is required")
    for key, what in (("published_on", "publication date"), ("next_review", "next review date")):
        try:
            out[key] = parse_date(raw.get(key) if not isinstance(raw.get(key), date) else raw[key].isoformat(), what)
        except ValueError as exc:
            problems.append(str(exc))
            out[key] = None
    out["application_dates"] = _dates(raw.get("application_dates"), problems)
    out["applicability"] = _code(raw.get("applicability"), APPLICABILITY, "applicability", problems)
    out["status"] = _code(raw.get("status"), STATUSES, "compliance status", problems)
    if out["owner"] and not _EMAIL.match(out["owner"]):
        problems.append(f"owner: {out['owner']!r} is not an email address")
    if out["evidence_url"] and not out["evidence_url"].startswith(("http://", "https://")):
        problems.append(f"evidence link: {out['evidence_url']!r} must start with http:// or https://")
    if out["status"] == "compliant" and not out["evidence_url"]:
        problems.append("a compliant entry needs an evidence link (what an auditor will ask for)")
    if out["applicability"] == "not_applicable" and not out["applicability_reason"]:
        problems.append("a text that does not apply needs the reason why")
    if problems:
        raise EntryError(problems)
    return out


def create(db: sqlite_utils.Database, actor: str, values: dict, *, item_id: int | None = None,
           ref_kind: str | None = None, ref_key: str | None = None) -> int:
    """A new entry (validated); returns its id. A text already in the register (same
    reference key) is refused with the existing entry's id."""
    clean = validate(values)
    with store.transaction(db):
        if ref_key and (existing := sql.entry_by_ref(db, ref_kind, ref_key)):
            raise EntryError([f"{ref_key} is already in the register (entry {existing['id']})"])
        now = now_iso()
        entry_id = sql.insert_entry(db, {**clean, "item_id": item_id, "ref_kind": ref_kind,
                                         "ref_key": ref_key}, actor, now)
        audit.record(db, actor, "create", ENTITY, entry_id, None, _snapshot(sql.get_entry(db, entry_id)), at=now)
    return entry_id


def draft_from_item(db: sqlite_utils.Database, item_id: int) -> dict:
    """Form values prefilled from an item: its first act/text/standard reference, the item's
    title and date, the dates it states as application dates."""
    item = sql.item_for_register(db, item_id)
    if item is None:
        raise EntryNotFound(f"item {item_id} does not exist")
    refs = item["references"]
    # the text the item is about is usually the one its title names; else acts before French
    # texts before standards
    main = min((r for r in refs if r["kind"] in REF_KINDS), default=None,
               key=lambda r: (r["key"] not in item["title"] and r["text"] not in item["title"],
                              REF_KINDS.index(r["kind"]), r["key"]))
    dates = [r["key"] for r in refs if r["kind"] == "date" and len(r["key"]) == 10]
    return {"item_id": item_id, "ref_kind": main["kind"] if main else None,
            "ref_key": main["key"] if main else None,
            "reference": main["text"] if main else item["title"][:120], "title": item["title"],
            "issuer": _ISSUERS.get(main["kind"], "") if main else item["source_name"],
            "published_on": item["published_at"][:10], "application_dates": dates,
            "applicability": "to_assess", "status": "to_assess", "applicability_reason": "",
            "owner": "", "actions": "", "evidence_url": "", "next_review": None,
            "source_name": item["source_name"], "item_title": item["title"]}


def create_from_item(db: sqlite_utils.Database, actor: str, item_id: int,
                     overrides: dict | None = None) -> int:
    """An entry for the text an item announces; the existing entry's id when that text is
    already in the register (nothing twice)."""
    draft = draft_from_item(db, item_id)
    if draft["ref_key"] and (existing := sql.entry_by_ref(db, draft["ref_kind"], draft["ref_key"])):
        return existing["id"]
    values = {**draft, **(overrides or {})}
    return create(db, actor, values, item_id=item_id, ref_kind=draft["ref_kind"], ref_key=draft["ref_key"])


def get(db: sqlite_utils.Database, entry_id: int) -> dict:
    entry = sql.get_entry(db, entry_id)
    if entry is None:
        raise EntryNotFound(f"register entry {entry_id} does not exist")
    return entry


def update(db: sqlite_utils.Database, actor: str, entry_id: int, version: int, values: dict) -> dict:
    """Save the changes made to the entry as read at ``version``; StaleEntry when it has
    changed since. Returns the saved entry."""
    clean = validate(values)
    with store.transaction(db):
        before = get(db, entry_id)
        if before["version"] != int(version):
            raise StaleEntry(before)
        if not sql.update_entry(db, entry_id, int(version), clean, actor, now_iso()):
            raise StaleEntry(get(db, entry_id))
        after = get(db, entry_id)
        audit.record(db, actor, "update", ENTITY, entry_id, _snapshot(before), _snapshot(after),
                     at=after["updated_at"])
    return after


def _snapshot(entry: dict) -> dict:
    """What the audit trail keeps of an entry: its fields, without bookkeeping columns."""
    return {k: entry[k] for k in ("item_id", "ref_kind", "ref_key") + sql.FIELDS}


def history(db: sqlite_utils.Database, entry_id: int) -> list[dict]:
    return audit.history(db, ENTITY, entry_id)


@dataclass
class Deadline:
    entry: dict
    kind: str        # application | review
    date: str
    days: int        # days from today (negative: overdue)


@dataclass
class DueReport:
    overdue: list[Deadline] = field(default_factory=list)
    due_soon: list[Deadline] = field(default_factory=list)


def deadlines(entry: dict) -> list[tuple[str, str]]:
    """(kind, date) the owner must act by: application dates while the entry is not yet
    compliant (and may apply), and the next review date in every case."""
    out = []
    if entry["status"] != "compliant" and entry["applicability"] != "not_applicable":
        out += [("application", d) for d in entry["application_dates"]]
    if entry["next_review"]:
        out.append(("review", entry["next_review"]))
    return out


def due(db: sqlite_utils.Database, today: date | None = None, horizon: int = DUE_HORIZON_DAYS) -> DueReport:
    """Deadlines passed (overdue) and within ``horizon`` days (due soon), soonest first."""
    today = today or date.today()
    report = DueReport()
    for entry in sql.list_entries(db):
        for kind, d in deadlines(entry):
            days = (date.fromisoformat(d) - today).days
            if days < 0:
                report.overdue.append(Deadline(entry, kind, d, days))
            elif days <= horizon:
                report.due_soon.append(Deadline(entry, kind, d, days))
    report.overdue.sort(key=lambda x: x.date)
    report.due_soon.sort(key=lambda x: x.date)
    return report


def list_entries(db: sqlite_utils.Database, status: str | None = None, applicability: str | None = None,
                 owner: str | None = None, today: date | None = None) -> list[dict]:
    """The register, filtered, each entry marked 'overdue' or 'due_soon' (its ``urgency``)
    with its nearest deadline."""
    today = today or date.today()
    rows = sql.list_entries(db, status or None, applicability or None, owner or None)
    for entry in rows:
        dated = sorted((d, kind) for kind, d in deadlines(entry))
        entry["deadline"] = dated[0] if dated else None
        days = (date.fromisoformat(dated[0][0]) - today).days if dated else None
        entry["urgency"] = ("overdue" if days is not None and days < 0 else
                            "due_soon" if days is not None and days <= DUE_HORIZON_DAYS else "")
    return rows


def next_review_default(today: date | None = None) -> str:
    """A year from today: the usual cycle of a regulatory compliance evaluation."""
    return ((today or date.today()) + timedelta(days=365)).isoformat()
