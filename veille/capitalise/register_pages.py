"""Catalogue pages of the regulatory register: list with due and overdue, new entry (by
hand or from an item), detail with edit form, history and review thread, exports, import.
Forms map to veille.capitalise.register; anonymous visitors never write (403)."""
from __future__ import annotations

import secrets
from datetime import date
from email import message_from_bytes, policy
from urllib.parse import parse_qs

from itsdangerous import BadSignature

from veille.capitalise import register, register_io, reviews
from veille.catalogue.i18n import Translator, request_lang
from veille.catalogue.web import (Response, can_view, email_of, error_page, int_arg, read_db, render,
                                  require_user, role_of, write)
from veille.store import register as sql

EDITORS = ("editor", "admin")


async def form_fields(request) -> dict[str, str]:
    body = (await request.post_body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


async def register_list(request, datasette):
    await can_view(datasette, request)
    args = {k: request.args.get(k) or "" for k in ("status", "applicability", "owner")}
    entries = await read_db(datasette, register.list_entries, args["status"], args["applicability"], args["owner"])
    due = await read_db(datasette, register.due, date.today())
    owners = await read_db(datasette, sql.owners)
    return await render(datasette, request, "veille_register.html", {
        "entries": entries, "due": due, "owners": owners, "filters": args,
        "statuses": register.STATUSES, "applicabilities": register.APPLICABILITY})


def _blank() -> dict:
    return {"id": None, "reference": "", "title": "", "issuer": "", "published_on": "", "application_dates": [],
            "applicability": "to_assess", "applicability_reason": "", "owner": "", "actions": "",
            "status": "to_assess", "evidence_url": "", "next_review": register.next_review_default()}


async def _form_page(datasette, request, entry: dict, *, action: str, error=None, status: int = 200,
                     **extra) -> Response:
    return await render(datasette, request, "veille_register_form.html", {
        "entry": entry, "action": action, "error": error, "statuses": register.STATUSES,
        "applicabilities": register.APPLICABILITY, **extra}, status=status)


async def register_new(request, datasette):
    await can_view(datasette, request)
    if request.method == "GET" and email_of(datasette, request.actor) is None:
        return Response.redirect("/-/login")
    actor = require_user(datasette, request)
    if request.method == "GET":
        return await _form_page(datasette, request, _blank(), action="/register/new")
    form = await form_fields(request)
    try:
        entry_id = await write(datasette, register.create, actor, form)
    except register.EntryError as exc:
        return await _form_page(datasette, request, {**_blank(), **form}, action="/register/new",
                                error=exc.problems, status=400)
    return Response.redirect(f"/register/{entry_id}?created=1")


async def register_from_item(request, datasette):
    """GET: the form prefilled from the item (or the existing entry for its text); POST: create."""
    await can_view(datasette, request)
    if request.method == "GET" and email_of(datasette, request.actor) is None:
        return Response.redirect("/-/login")
    actor = require_user(datasette, request)
    item_id = int_arg(request.url_vars["item_id"], 0)
    try:
        draft = await read_db(datasette, register.draft_from_item, item_id)
    except register.EntryNotFound:
        return await error_page(datasette, request, 404, "not_found")
    if draft["ref_key"]:
        existing = await read_db(datasette, sql.entry_by_ref, draft["ref_kind"], draft["ref_key"])
        if existing:
            return Response.redirect(f"/register/{existing['id']}")
    action = f"/register/from-item/{item_id}"
    if request.method == "GET":
        draft["next_review"] = register.next_review_default()
        return await _form_page(datasette, request, draft, action=action)
    form = await form_fields(request)
    try:
        entry_id = await write(datasette, register.create_from_item, actor, item_id, form)
    except register.EntryError as exc:
        return await _form_page(datasette, request, {**draft, **form}, action=action, error=exc.problems, status=400)
    return Response.redirect(f"/register/{entry_id}?created=1")


async def register_entry(request, datasette):
    """GET: the entry, its edit form, history and review thread; POST: save (with version)."""
    await can_view(datasette, request)
    entry_id = int_arg(request.url_vars["entry_id"], 0)
    try:
        entry = await read_db(datasette, register.get, entry_id)
    except register.EntryNotFound:
        return await error_page(datasette, request, 404, "not_found")
    if request.method == "GET":
        return await _entry_page(datasette, request, entry, entry)
    actor = require_user(datasette, request)
    form = await form_fields(request)
    try:
        await write(datasette, register.update, actor, entry_id, int_arg(form.get("version"), 0), form)
    except register.EntryError as exc:
        return await _entry_page(datasette, request, entry, {**entry, **form}, error=exc.problems, status=400)
    except register.StaleEntry as exc:
        return await _entry_page(datasette, request, exc.entry, {**entry, **form, "version": exc.entry["version"]},
                                 error=[str(exc)], status=409, conflict=exc.entry)
    return Response.redirect(f"/register/{entry_id}?saved=1")


async def _entry_page(datasette, request, entry: dict, shown: dict, *, error=None, status: int = 200,
                      conflict: dict | None = None) -> Response:
    """``shown`` is what the form holds: the entry, or what the person typed after an error."""
    history = await read_db(datasette, register.history, entry["id"])
    thread = await read_db(datasette, reviews.thread, None, entry["id"])
    item = await read_db(datasette, sql.item_for_register, entry["item_id"]) if entry["item_id"] else None
    return await _form_page(datasette, request, shown, action=f"/register/{entry['id']}", error=error,
                            status=status, current=entry, history=history, thread=thread, item=item,
                            conflict=conflict, saved=request.args.get("saved") == "1",
                            created=request.args.get("created") == "1")


def _labels(request) -> dict[str, str]:
    t = Translator(request_lang(request)[0])
    return {f: t("reg_" + f) if t("reg_" + f) != "reg_" + f else f for f in register_io.EXPORT_FIELDS}


async def register_csv(request, datasette):
    await can_view(datasette, request)
    text = await read_db(datasette, register_io.export_csv)
    return Response(text, content_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="register-{date.today()}.csv"'})


async def register_xlsx(request, datasette):
    await can_view(datasette, request)
    data = await read_db(datasette, register_io.export_xlsx, _labels(request))
    return Response(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"content-disposition": f'attachment; filename="register-{date.today()}.xlsx"'})


def csrf_ok(datasette, request) -> bool:
    """The double-submit check asgi-csrf makes: the token in the form's URL equals the signed
    csrftoken cookie."""
    cookie, sent = request.cookies.get("ds_csrftoken") or "", request.args.get("csrftoken") or ""
    try:
        datasette.unsign(cookie, "csrftoken")
    except BadSignature:
        return False
    return bool(sent) and secrets.compare_digest(cookie, sent)


def uploaded_file(content_type: str, body: bytes, field: str = "file") -> bytes | None:
    """The bytes of one file field of a multipart/form-data body (Datasette 0.65 has no parser)."""
    msg = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body, policy=policy.HTTP)
    for part in msg.iter_parts() if msg.is_multipart() else []:
        if part.get_param("name", header="content-disposition") == field:
            return part.get_payload(decode=True) or b""
    return None


async def register_import(request, datasette):
    await can_view(datasette, request)
    actor = require_user(datasette, request)
    if role_of(datasette, request.actor) not in EDITORS:
        return await error_page(datasette, request, 403, "editors_only")
    if request.method == "GET":
        return await render(datasette, request, "veille_register_import.html", {})
    if not csrf_ok(datasette, request):
        return await error_page(datasette, request, 403, "forbidden", "CSRF token missing or wrong; reload the page")
    data = uploaded_file(request.headers.get("content-type", ""), await request.post_body())
    if not data:
        problems = [(1, "no file was sent")]
    else:
        try:
            report = await write(datasette, register_io.import_csv, actor, data)
        except register_io.ImportRefused as exc:
            problems = exc.problems
        else:
            return await render(datasette, request, "veille_register_import.html", {"imported": report.imported})
    return await render(datasette, request, "veille_register_import.html", {"problems": problems}, status=400)
