"""Watch sheets (fiches de veille): a technique or product written up from items of the
watch — summary, commercial availability, maturity, strengths and weaknesses, a comparison
table across competing solutions, the items cited — versioned in full and searchable.

Edits are optimistic: a form carries the version it was read at, and saving over a newer
version is refused with ``StaleEdit`` (which carries the user's draft, so nothing typed is
lost). Every save writes the sheet, its full version and the audit row in one transaction.
"""
from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field

import sqlite_utils

from veille import store
from veille.store import audit
from veille.store import sheets as sheet_store
from veille.timeutil import now_iso

MATURITIES = ("research", "pilot", "industrial", "mature") + tuple(f"TRL {n}" for n in range(1, 10))
TEXT_LIMITS = {"title": 200, "technique": 200, "vendor": 300, "price_range": 120, "available_since": 60,
               "summary": 20000, "strengths": 10000, "weaknesses": 10000}
MAX_GRID = 40  # rows and criteria: a comparison wider than this is no longer readable


class SheetError(ValueError):
    """A sheet cannot be saved as given; the message says what to fix."""


class StaleEdit(SheetError):
    """Someone saved the sheet after this form was opened: nothing was overwritten."""

    def __init__(self, sheet_id: int, base_version: int, current: dict, draft: "SheetDraft"):
        self.sheet_id, self.base_version, self.current, self.draft = sheet_id, base_version, current, draft
        super().__init__(
            f"This sheet was saved by {current['updated_by']} at {current['updated_at']} (version "
            f"{current['version']}) after you opened it at version {base_version}. Your text was not "
            "saved and is shown below: copy what you need into the current version.")


@dataclass
class Comparison:
    """Rows are competing solutions, columns criteria; cells are short text."""

    criteria: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # {"solution": str, "values": [str, ...]}

    @classmethod
    def from_json(cls, data: dict | None) -> "Comparison":
        data = data or {}
        return cls(criteria=[str(c) for c in data.get("criteria") or []],
                   rows=[{"solution": str(r.get("solution") or ""), "values": [str(v) for v in r.get("values") or []]}
                         for r in data.get("rows") or []])

    def cleaned(self) -> "Comparison":
        """Cells trimmed and aligned with the criteria; empty rows and columns dropped."""
        width = len(self.criteria)
        rows = [{"solution": r["solution"].strip(),
                 "values": [v.strip() for v in (r["values"] + [""] * width)[:width]]} for r in self.rows]
        rows = [r for r in rows if r["solution"] or any(r["values"])]
        keep = [k for k, c in enumerate(self.criteria) if c.strip() or any(r["values"][k] for r in rows)]
        return Comparison([self.criteria[k].strip() for k in keep],
                          [{"solution": r["solution"], "values": [r["values"][k] for k in keep]} for r in rows])

    def as_text(self) -> str:
        lines = [" | ".join(["", *self.criteria])] if self.criteria else []
        lines += [" | ".join([r["solution"], *r["values"]]) for r in self.rows]
        return "\n".join(lines)


@dataclass
class SheetDraft:
    title: str
    technique: str = ""
    summary: str = ""
    maturity: str = ""
    vendor: str = ""
    price_range: str = ""
    available_since: str = ""
    strengths: str = ""
    weaknesses: str = ""
    comparison: Comparison = field(default_factory=Comparison)
    item_ids: list[int] = field(default_factory=list)
    note: str = ""  # what this save changes (kept with the version)

    def content(self) -> dict:
        """The version's content as stored: every field and the cited items."""
        data = asdict(self)
        data.pop("note")
        return data


def validate(draft: SheetDraft) -> SheetDraft:
    """The draft trimmed and checked; SheetError names the field to fix."""
    for name, limit in TEXT_LIMITS.items():
        value = (getattr(draft, name) or "").strip()
        if len(value) > limit:
            raise SheetError(f"{name.replace('_', ' ')} is {len(value)} characters long; at most {limit}.")
        setattr(draft, name, value)
    if not draft.title:
        raise SheetError("A watch sheet needs a title.")
    if draft.maturity and draft.maturity not in MATURITIES:
        raise SheetError(f"maturity {draft.maturity!r} is not one of: {', '.join(MATURITIES)}.")
    draft.comparison = draft.comparison.cleaned()
    if len(draft.comparison.criteria) > MAX_GRID or len(draft.comparison.rows) > MAX_GRID:
        raise SheetError(f"The comparison table has more than {MAX_GRID} rows or criteria.")
    if any(not r["solution"] for r in draft.comparison.rows):
        raise SheetError("Every row of the comparison table needs the name of the solution it describes.")
    draft.item_ids = sorted({int(i) for i in draft.item_ids})
    return draft


def slugify(title: str) -> str:
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60].strip("-") or "sheet"


def _unique_slug(db: sqlite_utils.Database, title: str) -> str:
    base = slugify(title)
    slug, n = base, 2
    while sheet_store.slug_taken(db, slug):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _values(draft: SheetDraft) -> dict:
    values = {k: getattr(draft, k) for k in sheet_store.FIELDS if k not in ("comparison", "comparison_text")}
    values["comparison"] = json.dumps(asdict(draft.comparison), ensure_ascii=False)
    values["comparison_text"] = draft.comparison.as_text()
    return values


def _check_items(db: sqlite_utils.Database, draft: SheetDraft) -> None:
    missing = set(draft.item_ids) - set(sheet_store.existing_items(db, draft.item_ids))
    if missing:
        raise SheetError(f"No item with id {', '.join(str(i) for i in sorted(missing))} in the watch.")


def create_sheet(db: sqlite_utils.Database, draft: SheetDraft, author: str) -> int:
    """A new sheet at version 1; returns its id."""
    draft = validate(draft)
    at = now_iso()
    with store.transaction(db):
        _check_items(db, draft)
        sheet_id = sheet_store.insert_sheet(db, _unique_slug(db, draft.title), _values(draft), author, at)
        sheet_store.set_items(db, sheet_id, draft.item_ids)
        sheet_store.insert_version(db, sheet_id, 1, draft.content(), author, at, draft.note)
        audit.record(db, author, "create", "sheet", sheet_id, None, draft.content())
    return sheet_id


def update_sheet(db: sqlite_utils.Database, sheet_id: int, draft: SheetDraft, base_version: int,
                 author: str) -> int:
    """Save ``draft`` as the next version if the sheet is still at ``base_version``;
    returns the new version. StaleEdit if someone saved in between, KeyError if unknown."""
    draft = validate(draft)
    at = now_iso()
    with store.transaction(db):
        current = sheet_store.get_sheet(db, sheet_id)
        if current is None:
            raise KeyError(sheet_id)
        _check_items(db, draft)
        if current["version"] != base_version or not sheet_store.update_sheet(
                db, sheet_id, base_version, _values(draft), author, at):
            raise StaleEdit(sheet_id, base_version, current, draft)
        before = sheet_store.version(db, sheet_id, base_version)
        sheet_store.set_items(db, sheet_id, draft.item_ids)
        sheet_store.insert_version(db, sheet_id, base_version + 1, draft.content(), author, at, draft.note)
        audit.record(db, author, "update", "sheet", sheet_id, before["content"] if before else None,
                     draft.content())
    return base_version + 1


def get_sheet(db: sqlite_utils.Database, sheet_id: int) -> dict | None:
    """The current sheet with its comparison parsed, cited items and versions."""
    sheet = sheet_store.get_sheet(db, sheet_id)
    if sheet is None:
        return None
    sheet["comparison"] = Comparison.from_json(json.loads(sheet["comparison"]))
    sheet["items"] = sheet_store.cited_items(db, sheet_id)
    sheet["item_ids"] = [i["id"] for i in sheet["items"]]
    sheet["versions"] = sheet_store.versions(db, sheet_id)
    return sheet


def draft_of(content: dict) -> SheetDraft:
    """A stored version's content (or a sheet row) back as a draft."""
    names = {k: content.get(k) or "" for k in TEXT_LIMITS}
    return SheetDraft(**names, maturity=content.get("maturity") or "",
                      comparison=content["comparison"] if isinstance(content.get("comparison"), Comparison)
                      else Comparison.from_json(content.get("comparison")),
                      item_ids=list(content.get("item_ids") or []))


def draft_from_items(db: sqlite_utils.Database, item_ids: list[int]) -> tuple[SheetDraft, list[dict]]:
    """A new sheet prefilled from the chosen items: the first title, the items cited."""
    items = sheet_store.item_titles(db, item_ids)
    title = items[0]["title"] if len(items) == 1 else ""
    return SheetDraft(title=title, item_ids=[i["id"] for i in items]), items


def search(db: sqlite_utils.Database, text: str) -> list[dict]:
    """Sheets matching what a person typed (accents and case ignored), else all, newest first."""
    from veille.catalogue.query import to_fts

    fts = to_fts(text or "")
    return sheet_store.search_sheets(db, fts) if fts else sheet_store.list_sheets(db)


def _lines(draft: SheetDraft) -> dict[str, list[str]]:
    out = {k: (getattr(draft, k) or "").splitlines() for k in
           ("title", "technique", "maturity", "vendor", "price_range", "available_since", "summary",
            "strengths", "weaknesses")}
    out["comparison"] = draft.comparison.as_text().splitlines()
    out["items"] = [str(i) for i in draft.item_ids]
    return out


def diff(old: SheetDraft, new: SheetDraft) -> list[dict]:
    """The fields that changed between two versions, each as lines marked ' ', '-' or '+'."""
    a, b = _lines(old), _lines(new)
    changes = []
    for name in a:
        if a[name] == b[name]:
            continue
        lines = [(line[0], line[2:]) for line in difflib.ndiff(a[name], b[name]) if line[:1] in " -+"]
        changes.append({"field": name, "lines": lines})
    return changes
