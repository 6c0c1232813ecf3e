"""Alert rules in the catalogue: a logged-in user lists, creates, edits, pauses and deletes
their own rules with a preview of the last 30 days; signed links (unsubscribe, rule feed)
work without a login. The rule logic is veille.alerts; this module only maps forms to it."""
from __future__ import annotations

from urllib.parse import parse_qs

from veille.alerts import feeds, links, rules
from veille.catalogue.i18n import topic_ids
from veille.catalogue.references_pages import parse_reference_keys
from veille.catalogue.web import (Response, can_view, email_of, error_page, int_arg, read, read_db,
                                  render, require_user, role_of, state, write)
from veille.store import alerts as alert_store
from veille.store import catalogue as cat

async def _form(request) -> dict[str, list[str]]:
    # parse_qs keeps repeated fields (several topics, several sources)
    body = (await request.post_body()).decode("utf-8", "replace")
    return parse_qs(body, keep_blank_values=True)


def _draft(form: dict[str, list[str]]) -> dict:
    """The form's values as the form template shows them (kept as typed on an error)."""
    one = lambda k: (form.get(k) or [""])[0].strip()  # noqa: E731
    return {"name": one("name"), "topics": [t for t in form.get("topics", []) if t],
            "query": one("query"), "sources": [s for s in form.get("sources", []) if s],
            "categories": [c for c in form.get("categories", []) if c],
            "refs": parse_reference_keys(one("refs")),
            "frequency": one("frequency") or "daily", "lang": one("rule_lang") or None,
            "min_score": one("min_score") or "0"}


def _spec(email: str, draft: dict) -> rules.RuleSpec:
    try:
        min_score = float(draft["min_score"])
    except ValueError:
        raise rules.RuleError(f"minimum score {draft['min_score']!r} is not a number between 0 and 1") from None
    return rules.RuleSpec(email=email, name=draft["name"] or None, topics=draft["topics"],
                          query=draft["query"] or None, sources=draft["sources"], min_score=min_score,
                          categories=draft["categories"], refs=draft["refs"],
                          frequency=draft["frequency"], lang=draft["lang"])


async def _own_rule(datasette, request) -> dict | Response:
    """The rule named in the URL if the visitor may change it (owner or admin), else the
    refusal page to return (403 for someone else's rule, 404 for an unknown one)."""
    email = require_user(datasette, request)
    try:
        rule = await read_db(datasette, rules.get_rule, int_arg(request.url_vars["rule_id"], 0))
    except rules.RuleError:
        return await error_page(datasette, request, 404, "not_found")
    if rule["email"].lower() != email.lower() and role_of(datasette, request.actor) != "admin":
        return await error_page(datasette, request, 403, "forbidden")
    return rule


async def _form_page(datasette, request, rule: dict, *, error: str | None = None,
                     preview: list | None = None, status: int = 200) -> Response:
    names = await read(datasette, cat.source_names)
    return await render(datasette, request, "veille_rule_form.html", {
        "rule": rule, "error": error, "preview": preview, "frequencies": rules.FREQUENCIES, "saved": request.args.get("saved") == "1",
        "all_topics": topic_ids(), "source_names": names, "all_categories": rules.CATEGORIES}, status=status)


async def subscriptions(request, datasette):
    await can_view(datasette, request)
    email = email_of(datasette, request.actor)
    mine = await read_db(datasette, rules.list_rules, email) if email else []
    st = state(datasette)
    for r in mine:
        r["feed_url"] = links.rule_feed_url(st.settings.base_url, st.secret, r["id"])
    return await render(datasette, request, "veille_subscriptions.html", {"rules": mine})


async def new_rule(request, datasette):
    await can_view(datasette, request)
    if request.method == "GET":
        if email_of(datasette, request.actor) is None:
            return Response.redirect("/-/login")
        blank = {"id": None, "name": "", "topics": [], "query": "", "sources": [], "frequency": "daily",
                 "categories": [], "refs": [],
                 "lang": None, "min_score": 0}
        return await _form_page(datasette, request, blank)
    email = require_user(datasette, request)
    return await _save(datasette, request, email, None)


async def edit_rule(request, datasette):
    await can_view(datasette, request)
    rule = await _own_rule(datasette, request)
    if isinstance(rule, Response):
        return rule
    if request.method == "GET":
        preview = await read_db(datasette, rules.preview, rule["id"])
        return await _form_page(datasette, request, rule, preview=preview)
    return await _save(datasette, request, rule["email"], rule["id"])


async def _save(datasette, request, email: str, rule_id: int | None) -> Response:
    form = await _form(request)
    draft = {"id": rule_id, **_draft(form)}
    try:
        spec = _spec(email, draft)
        if (form.get("action") or [""])[0] == "preview":
            preview = await read_db(datasette, rules.preview, spec)
            return await _form_page(datasette, request, draft, preview=preview)
        if rule_id is None:
            rule_id = await write(datasette, rules.add_rule, spec)
        else:
            await write(datasette, rules.update_rule, rule_id, spec)
    except (rules.RuleError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        return await _form_page(datasette, request, draft, error=str(exc), status=400)
    return Response.redirect(f"/subscriptions/{rule_id}/edit?saved=1")


async def rule_action(request, datasette):
    """POST /subscriptions/{id}/pause|resume|delete."""
    await can_view(datasette, request)
    rule = await _own_rule(datasette, request)
    if isinstance(rule, Response):
        return rule
    action = request.url_vars["action"]
    if action == "delete":
        await write(datasette, rules.remove_rule, rule["id"])
    else:
        await write(datasette, rules.set_status, rule["id"], "paused" if action == "pause" else "active")
    return Response.redirect("/subscriptions")


def _token_value(datasette, request, purpose: str) -> int | None:
    st = state(datasette)
    try:
        return int(links.verify(st.secret, purpose, request.args.get("t") or ""))
    except (links.BadToken, ValueError):
        return None


async def unsubscribe(request, datasette):
    """GET: a confirmation page; POST (the button or a mail client's RFC 8058 one-click):
    unsubscribe. The signed token is the authority, so no login and no CSRF token."""
    subscriber_id = _token_value(datasette, request, "unsubscribe")
    if subscriber_id is None:
        return await error_page(datasette, request, 400, "bad_link")
    sub = await read_db(datasette, alert_store.subscriber_by_id, subscriber_id)
    if sub is None:
        return await error_page(datasette, request, 400, "bad_link")
    done = request.method == "POST"
    if done:
        await write(datasette, feeds.unsubscribe, subscriber_id)
    return await render(datasette, request, "veille_unsubscribe.html",
                        {"email": sub["email"], "done": done, "token": request.args.get("t")})


async def rule_feed(request, datasette):
    rule_id = int_arg(request.url_vars["rule_id"], 0)
    if _token_value(datasette, request, "rule-feed") != rule_id:
        return Response.text("This feed link is invalid or has expired.", status=403)
    try:
        xml = await read_db(datasette, feeds.rule_feed, rule_id, state(datasette).settings.base_url)
    except rules.RuleError:
        return Response.text("This alert no longer exists.", status=404)
    return Response(xml, content_type="application/atom+xml; charset=utf-8")
