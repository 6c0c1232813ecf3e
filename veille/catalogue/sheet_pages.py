"""Watch sheet pages: list and search, create from items, view with versions and
differences, edit (refused with the user's text kept when someone saved in between). The
sheet logic is veille.capitalise.sheets; this module maps forms and URLs to it."""
from __future__ import annotations

import re
from urllib.parse import parse_qs

from veille.capitalise import sheets
from veille.catalogue import i18n_sheets  # noqa: F401  (labels of these pages)
from veille.catalogue.web import (NotFound, Response, can_view, email_of, error_page, int_arg, read_db,
                                  render, require_user, write)
from veille.store import sheets as sheet_store

_CELL = re.compile(r"^cell-(\d+)-(\d+)$")
_SOLUTION = re.compile(r"^solution-(\d+)$")
_CRITERION = re.compile(r"^criterion-(\d+)$")


def item_ids(text: str) -> list[int]:
    """'12, 15 18' -> [12, 15, 18]; anything else in the text is ignored."""
    return [int(x) for x in re.findall(r"\d+", text or "")][:200]


def _comparison(form: dict[str, list[str]]) -> sheets.Comparison:
    """The grid of inputs back as a table: columns criterion-C, rows solution-R, cells cell-R-C.
    Indexes come from the page's script and may have gaps (a removed row); order is kept."""
    one = lambda k: (form.get(k) or [""])[0]  # noqa: E731
    cols = sorted(int(m.group(1)) for k in form if (m := _CRITERION.match(k)))
    rows = sorted(int(m.group(1)) for k in form if (m := _SOLUTION.match(k)))
    return sheets.Comparison(
        criteria=[one(f"criterion-{c}") for c in cols],
        rows=[{"solution": one(f"solution-{r}"), "values": [one(f"cell-{r}-{c}") for c in cols]} for r in rows])


def draft_from_form(form: dict[str, list[str]]) -> sheets.SheetDraft:
    one = lambda k: (form.get(k) or [""])[0]  # noqa: E731
    return sheets.SheetDraft(
        title=one("title"), technique=one("technique"), summary=one("summary"), maturity=one("maturity"),
        vendor=one("vendor"), price_range=one("price_range"), available_since=one("available_since"),
        strengths=one("strengths"), weaknesses=one("weaknesses"), comparison=_comparison(form),
        item_ids=item_ids(one("items")), note=one("note"))


async def _form(request) -> dict[str, list[str]]:
    body = (await request.post_body()).decode("utf-8", "replace")
    return parse_qs(body, keep_blank_values=True)


async def _form_page(datasette, request, draft: sheets.SheetDraft, *, sheet_id: int | None = None,
                     base_version: int | None = None, error: str | None = None, stale: dict | None = None,
                     status: int = 200) -> Response:
    cited = await read_db(datasette, sheet_store.item_titles, draft.item_ids)
    return await render(datasette, request, "veille_sheet_form.html", {
        "draft": draft, "sheet_id": sheet_id, "base_version": base_version, "error": error, "stale": stale,
        "cited": cited, "maturities": sheets.MATURITIES}, status=status)


async def sheets_list(request, datasette):
    await can_view(datasette, request)
    sq = (request.args.get("sq") or "").strip()
    found = await read_db(datasette, sheets.search, sq)
    return await render(datasette, request, "veille_sheets.html", {"sheets": found, "sq": sq})


async def sheet_new(request, datasette):
    await can_view(datasette, request)
    if request.method == "GET":
        if email_of(datasette, request.actor) is None:
            return await error_page(datasette, request, 403, "sheet_login")
        draft, _ = await read_db(datasette, sheets.draft_from_items, item_ids(request.args.get("items", "")))
        return await _form_page(datasette, request, draft)
    author = require_user(datasette, request)
    draft = draft_from_form(await _form(request))
    try:
        sheet_id = await write(datasette, sheets.create_sheet, draft, author)
    except sheets.SheetError as exc:
        return await _form_page(datasette, request, draft, error=str(exc), status=400)
    return Response.redirect(f"/sheets/{sheet_id}?saved=1")


async def _sheet_or_404(datasette, request) -> dict:
    sheet = await read_db(datasette, sheets.get_sheet, int_arg(request.url_vars["sheet_id"], 0))
    if sheet is None:
        raise NotFound("sheet")
    return sheet


async def _version_draft(datasette, sheet_id: int, number: int) -> sheets.SheetDraft | None:
    row = await read_db(datasette, sheet_store.version, sheet_id, number)
    return sheets.draft_of(row["content"]) if row else None


async def sheet_view(request, datasette):
    """The current sheet; ?a=N&b=M adds the differences between versions N and M."""
    await can_view(datasette, request)
    sheet = await _sheet_or_404(datasette, request)
    changes, pair = None, None
    a, b = int_arg(request.args.get("a"), 0), int_arg(request.args.get("b"), 0)
    if a and b:
        old, new = (await _version_draft(datasette, sheet["id"], a), await _version_draft(datasette, sheet["id"], b))
        if old is None or new is None:
            return await error_page(datasette, request, 404, "not_found")
        changes, pair = sheets.diff(old, new), (a, b)
    return await render(datasette, request, "veille_sheet.html", {
        "sheet": sheet, "changes": changes, "pair": pair, "old_version": None,
        "saved": request.args.get("saved") == "1", "can_edit": email_of(datasette, request.actor) is not None})


async def sheet_version(request, datasette):
    """One saved version, shown like the sheet with a banner."""
    await can_view(datasette, request)
    sheet = await _sheet_or_404(datasette, request)
    row = await read_db(datasette, sheet_store.version, sheet["id"], int_arg(request.url_vars["number"], 0))
    if row is None:
        return await error_page(datasette, request, 404, "not_found")
    draft = sheets.draft_of(row["content"])
    cited = await read_db(datasette, sheet_store.item_titles, draft.item_ids)
    shown = {**sheet, **{k: getattr(draft, k) for k in sheets.TEXT_LIMITS}, "maturity": draft.maturity,
             "comparison": draft.comparison, "items": cited}
    return await render(datasette, request, "veille_sheet.html", {
        "sheet": shown, "changes": None, "pair": None, "old_version": row, "saved": False, "can_edit": False})


async def sheet_edit(request, datasette):
    await can_view(datasette, request)
    if email_of(datasette, request.actor) is None:
        return await error_page(datasette, request, 403, "sheet_login")
    sheet = await _sheet_or_404(datasette, request)
    if request.method == "GET":
        return await _form_page(datasette, request, sheets.draft_of(sheet), sheet_id=sheet["id"],
                                base_version=sheet["version"])
    author = require_user(datasette, request)
    form = await _form(request)
    draft = draft_from_form(form)
    base = int_arg((form.get("base_version") or ["0"])[0], 0)
    try:
        version = await write(datasette, sheets.update_sheet, sheet["id"], draft, base, author)
    except sheets.StaleEdit as exc:
        # the user's text comes back in the form, now based on the version that won, with
        # what that version changed against it: they merge by hand, nothing is overwritten
        current = await _version_draft(datasette, sheet["id"], exc.current["version"])
        stale = {"message": str(exc), "version": exc.current["version"],
                 "changes": sheets.diff(exc.draft, current) if current else []}
        return await _form_page(datasette, request, exc.draft, sheet_id=sheet["id"],
                                base_version=exc.current["version"], stale=stale, status=409)
    except sheets.SheetError as exc:
        return await _form_page(datasette, request, draft, sheet_id=sheet["id"], base_version=base,
                                error=str(exc), status=400)
    return Response.redirect(f"/sheets/{sheet['id']}?saved=1&v={version}")


async def item_sheets(datasette, request) -> dict:
    """Template variables of the item page: the sheets citing the item."""
    item_id = int_arg((request.url_vars or {}).get("item_id"), 0) if request else 0
    if not item_id:
        return {}
    return {"citing_sheets": await read_db(datasette, sheet_store.sheets_citing, item_id)}
