"""The register in and out of spreadsheets: CSV import (all rows or none), CSV and XLSX
exports for audits.

An import checks every row first and reports each bad one by its line in the file; only a
file without a bad row is imported, in one transaction, so an audit never meets half an import.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import sqlite_utils

from veille import store
from veille.capitalise import register
from veille.store import audit
from veille.store import register as sql
from veille.timeutil import now_iso

EXPORT_FIELDS = ("id",) + sql.FIELDS + ("ref_kind", "ref_key", "item_id", "version", "updated_at", "updated_by")
# header cells accepted on import: the field names, and the French and English labels
HEADER_LABELS = {
    "référence": "reference", "reference": "reference", "titre": "title", "title": "title",
    "émetteur": "issuer", "emetteur": "issuer", "issuing body": "issuer", "issuer": "issuer",
    "date de publication": "published_on", "publication date": "published_on",
    "dates d'application": "application_dates", "application dates": "application_dates",
    "applicabilité": "applicability", "applicability": "applicability",
    "motif": "applicability_reason", "reason": "applicability_reason",
    "responsable": "owner", "owner": "owner", "actions": "actions", "actions requises": "actions",
    "required actions": "actions", "conformité": "status", "compliance": "status", "status": "status",
    "preuve": "evidence_url", "evidence": "evidence_url", "evidence link": "evidence_url",
    "prochaine revue": "next_review", "next review": "next_review",
}


class ImportRefused(ValueError):
    """The file has bad rows; nothing was imported. ``problems`` is [(line, message)]."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        lines = "; ".join(f"line {n}: {m}" for n, m in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} bad row(s), nothing imported — {lines}{more}")


@dataclass
class ImportReport:
    imported: list[int] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: what spreadsheets save CSV as."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _reader(text: str) -> csv.reader:
    first = text.split("\n", 1)[0]
    # French spreadsheets write ';' because ',' is their decimal separator
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _columns(header: list[str]) -> tuple[list[str | None], list[tuple[int, str]]]:
    cols, problems = [], []
    for cell in header:
        name = cell.strip().lower()
        col = name if name in sql.FIELDS or name in EXPORT_FIELDS else HEADER_LABELS.get(name)
        if col is None and name:
            problems.append((1, f"unknown column {cell.strip()!r}"))
        cols.append(col)
    for required in ("reference", "title"):
        if required not in cols:
            problems.append((1, f"the header has no {required!r} column"))
    return cols, problems


def parse_rows(text: str) -> tuple[list[tuple[int, dict]], list[tuple[int, str]]]:
    """(line, validated values) for the good rows and (line, message) for the bad ones."""
    rows = _reader(text)
    header = next(rows, None)
    if not header:
        return [], [(1, "the file is empty: expected a header line and rows")]
    cols, problems = _columns(header)
    if problems:
        return [], problems
    good, seen = [], {}
    for cells in rows:
        line = rows.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(cols):
            problems.append((line, f"{len(cells)} cells for {len(cols)} columns"))
            continue
        raw = {c: v for c, v in zip(cols, cells) if c in sql.FIELDS}
        try:
            values = register.validate(raw)
        except register.EntryError as exc:
            problems.append((line, "; ".join(exc.problems)))
            continue
        key = values["reference"].lower()
        if key in seen:
            problems.append((line, f"reference {values['reference']!r} is also on line {seen[key]}"))
            continue
        seen[key] = line
        good.append((line, values))
    return good, problems


def import_csv(db: sqlite_utils.Database, actor: str, data: bytes | str) -> ImportReport:
    """Add the file's rows as new entries, all or none (ImportRefused names the bad lines)."""
    text = decode(data) if isinstance(data, bytes) else data
    good, problems = parse_rows(text)
    existing = sql.entries_by_references(db, [v["reference"] for _, v in good])
    problems += [(line, f"reference {v['reference']!r} is already in the register (entry "
                        f"{existing[v['reference'].lower()]})")
                 for line, v in good if v["reference"].lower() in existing]
    if problems:
        raise ImportRefused(sorted(problems))
    if not good:
        raise ImportRefused([(2, "no rows under the header")])
    report = ImportReport()
    now = now_iso()
    with store.transaction(db):
        for _, values in good:
            entry_id = sql.insert_entry(db, values, actor, now)
            audit.record(db, actor, "import", register.ENTITY, entry_id, None,
                         register._snapshot(sql.get_entry(db, entry_id)), at=now)
            report.imported.append(entry_id)
    return report


def _cell(value) -> str:
    """A value as text a spreadsheet shows as such: lists joined, and a leading = + - @
    quoted so that a title never runs as a formula (CSV injection)."""
    if isinstance(value, list):
        value = ", ".join(value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(db: sqlite_utils.Database) -> list[list[str]]:
    return [[_cell(e[f]) for f in EXPORT_FIELDS] for e in sql.list_entries(db)]


def export_csv(db: sqlite_utils.Database) -> str:
    """The whole register as CSV (UTF-8 with BOM so that Excel reads the accents); the header
    is the field names, so the file can be imported back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    writer.writerows(export_rows(db))
    return "\ufeff" + out.getvalue()


def export_xlsx(db: sqlite_utils.Database, labels: dict[str, str] | None = None) -> bytes:
    """The whole register as an Excel workbook: one sheet, a header row (``labels`` or the
    field names), frozen, filterable, columns sized to their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Register"
    ws.append([(labels or {}).get(f, f) for f in EXPORT_FIELDS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(db):
        ws.append(row)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(max(width + 2, 8), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
