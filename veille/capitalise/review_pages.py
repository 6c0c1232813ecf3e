"""Catalogue pages of stakeholder review: reviewer groups (admins), a review request on an
item or register entry, and the answer page reached from the mail's signed link (no login)
or by a logged-in reviewer."""
from __future__ import annotations

import asyncio

from veille import store
from veille.capitalise import reviews
from veille.capitalise.register_pages import form_fields
from veille.catalogue.web import (Response, can_view, email_of, error_page, int_arg, read_db, render,
                                  require_user, role_of, state, write)
from veille.store import reviews as sql


async def groups_page(request, datasette):
    await can_view(datasette, request)
    require_user(datasette, request)
    is_admin = role_of(datasette, request.actor) == "admin"
    error, status = None, 200
    if request.method == "POST":
        if not is_admin:
            return await error_page(datasette, request, 403, "forbidden")
        form = await form_fields(request)
        try:
            await write(datasette, reviews.set_group, email_of(datasette, request.actor), form.get("name", ""),
                        form.get("emails", "").replace(",", "\n").splitlines())
        except reviews.ReviewError as exc:
            error, status = str(exc), 400
        else:
            return Response.redirect("/reviews/groups")
    found = await read_db(datasette, reviews.groups)
    return await render(datasette, request, "veille_review_groups.html",
                        {"groups": found, "is_admin": is_admin, "error": error}, status=status)


async def send_pending(datasette) -> reviews.ReviewMailReport:
    """Mail the reviewers of new requests, off the event loop and off Datasette's write
    thread (an SMTP server may be slow), with the catalogue's own database file."""
    settings = state(datasette).settings
    path = datasette.get_database("veille").path

    def run():
        db = store.connect(path, migrate=False)
        try:
            return reviews.send_review_requests(db, settings)
        finally:
            db.conn.close()
    return await asyncio.to_thread(run)


async def new_request(request, datasette):
    await can_view(datasette, request)
    if request.method == "GET" and email_of(datasette, request.actor) is None:
        return Response.redirect("/-/login")
    actor = require_user(datasette, request)
    target = {"item_id": int_arg(request.args.get("item"), 0) or None,
              "entry_id": int_arg(request.args.get("entry"), 0) or None}
    back = f"/item/{target['item_id']}" if target["item_id"] else f"/register/{target['entry_id']}"
    ctx = {"target": target, "back": back, "groups": await read_db(datasette, reviews.groups),
           "form": {}, "error": None}
    if request.method == "GET":
        return await render(datasette, request, "veille_review_new.html", ctx)
    form = await form_fields(request)
    try:
        request_id = await write(datasette, lambda db: reviews.request_review(
            db, actor, form.get("group", ""), form.get("question", ""), due_on=form.get("due_on") or None, **target))
    except reviews.ReviewError as exc:
        return await render(datasette, request, "veille_review_new.html",
                            {**ctx, "form": form, "error": str(exc)}, status=400)
    await send_pending(datasette)
    return Response.redirect(f"{back}?review={request_id}#reviews")


async def answer_by_link(request, datasette):
    """GET: the question and the answer form; POST: record it. The signed token is the
    authority: forged links get 400, expired ones 410, a second answer changes nothing."""
    token = request.args.get("t") or ""
    try:
        request_id, email = reviews.read_token(state(datasette).secret, token)
    except reviews.ExpiredLink as exc:
        return await error_page(datasette, request, 410, "review_expired", str(exc))
    except reviews.BadLink as exc:
        return await error_page(datasette, request, 400, "review_bad", str(exc))
    return await _answer_page(datasette, request, request_id, email, "mail", f"/review/answer?t={token}")


async def answer_in_catalogue(request, datasette):
    await can_view(datasette, request)
    email = require_user(datasette, request)
    request_id = int_arg(request.url_vars["request_id"], 0)
    if not await read_db(datasette, sql.is_member, request_id, email):
        return await error_page(datasette, request, 403, "forbidden")
    return await _answer_page(datasette, request, request_id, email, "catalogue", f"/review/{request_id}/answer")


async def _answer_page(datasette, request, request_id: int, email: str, via: str, action: str) -> Response:
    req = await read_db(datasette, reviews.request_with_thread, request_id)
    if req is None:
        return await error_page(datasette, request, 404, "not_found")
    ctx = {"req": req, "email": email, "action": action, "error": None,
           "verdict": request.args.get("verdict") or "",
           "already": await read_db(datasette, sql.answer_of, request_id, email)}
    if request.method == "GET" or ctx["already"]:
        return await render(datasette, request, "veille_review_answer.html", ctx,
                            status=409 if (request.method == "POST" and ctx["already"]) else 200)
    form = await form_fields(request)
    try:
        await write(datasette, reviews.answer, request_id, email, form.get("verdict", ""), form.get("comment", ""), via)
    except reviews.AlreadyAnswered as exc:
        return await render(datasette, request, "veille_review_answer.html", {**ctx, "already": exc.answer}, status=409)
    except reviews.ReviewError as exc:
        return await render(datasette, request, "veille_review_answer.html",
                            {**ctx, "error": str(exc), "verdict": form.get("verdict", "")}, status=400)
    req = await read_db(datasette, reviews.request_with_thread, request_id)
    return await render(datasette, request, "veille_review_answer.html", {**ctx, "req": req, "done": True})
