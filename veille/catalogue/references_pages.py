"""Reference pages of the catalogue: the index of standards and legal texts cited, a page per
reference (its history, its dates, "follow this reference"), and the calendar of application
dates with its iCalendar export. Reads through Datasette; the one write (following a
reference) calls the alert-rule code in Datasette's write thread."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from itertools import groupby
from urllib.parse import quote, unquote, urlencode

import yaml

from veille.alerts import links, rules
from veille.catalogue.i18n import Translator, request_lang, topic_ids
from veille.catalogue.i18n_references import month_label
from veille.catalogue.references_ics import calendar_ics as ics_text
from veille.catalogue.web import (Response, cached_read, can_view, email_of, error_page, read, read_db,
                                  render, require_user, state, write)
from veille.references import DATA_PATH, extract, fold
from veille.store import entities as entity_store
from veille.store import references_view as view

CALENDAR_FEED = "calendar-feed"

KINDS = view.REFERENCE_KINDS
KIND_PATTERN = "|".join(KINDS)
INDEX_TTL = 30.0   # seconds: one pass over the entities index, which changes with each crawl
INDEX_SHOWN = 100  # the most cited; the filter box finds the others
_KEY_SEPARATORS = re.compile(r"[,;\n]+")
_FRENCH_NAME = re.compile(r"^(règlement|directive|mécanisme|code)\b", re.IGNORECASE)


def reference_href(kind: str, key: str) -> str:
    """The reference page; the key (which holds '/', ':' and spaces) is percent-encoded whole."""
    return f"/reference/{kind}/{quote(key, safe='')}"


@lru_cache(maxsize=1)
def _act_names() -> dict[str, list[str]]:
    data = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8")) or {}
    return {str(key): list(e.get("names") or []) + list(e.get("exact") or [])
            for key, e in (data.get("eu_acts") or {}).items()}


def common_name(kind: str, key: str, lang: str) -> str | None:
    """The act's usual name in the page's language (veille/references.yaml), if it has one."""
    names = _act_names().get(key) if kind == "eu_act" else None
    if not names:
        return None
    if lang == "fr":
        return next((n for n in names if _FRENCH_NAME.match(n)), names[0])
    return next((n for n in names if not _FRENCH_NAME.match(n)), names[0])


def _matches(ref: dict, needles: list[str]) -> bool:
    """Does a filter typed by a person (folded, lower case; as typed and as a key) meet the
    key or one of the act's names?"""
    names = _act_names().get(ref["key"], []) if ref["kind"] == "eu_act" else []
    return any(n in fold(h).lower() for h in (ref["key"], *names) for n in needles)


def parse_reference_keys(text: str) -> list[str]:
    """Reference keys from what a person typed, separated by commas, semicolons or lines: a
    spelling the extractor recognises becomes its key ("NF EN ISO 13849-1:2023" ->
    "ISO 13849-1", "Règlement (UE) 2023/1230" -> "2023/1230"); anything else is kept as typed."""
    keys: list[str] = []
    for entry in (e.strip() for e in _KEY_SEPARATORS.split(text or "")):
        if not entry:
            continue
        found = [r for r in extract(entry) if r.kind != "date"]
        key = found[0].key if len(found) == 1 else entry
        if key not in keys:
            keys.append(key)
    return keys


async def references(request, datasette):
    """GET /references?q=&kind= — the index, most cited first."""
    await can_view(datasette, request)
    lang = request_lang(request)[0]
    rows = await cached_read(datasette, "reference_index", INDEX_TTL, view.reference_index)
    kind = request.args.get("kind") if request.args.get("kind") in KINDS else None
    typed = (request.args.get("q") or "").strip()
    # "NF EN ISO 13849-1:2023" finds ISO 13849-1: the typed text also counts as its key
    needles = sorted({fold(x).lower() for x in [typed, *parse_reference_keys(typed)] if x})
    found = [r for r in rows if (not needles or _matches(r, needles))]
    counts = {k: sum(1 for r in found if r["kind"] == k) for k in KINDS}
    chosen = [r for r in found if not kind or r["kind"] == kind]
    wanted = [(r["kind"], r["key"]) for r in chosen[:INDEX_SHOWN]]
    if typed:
        details = await read(datasette, view.reference_details, wanted)
    else:  # the landing page: its latest mentions cost ~150 ms at 1M items, cached with the index
        details = await cached_read(datasette, f"reference_details:{kind}", INDEX_TTL, view.reference_details, wanted)
    shown = [dict(r, **details.get((r["kind"], r["key"]), {}), name=common_name(r["kind"], r["key"], lang),
                  href=reference_href(r["kind"], r["key"])) for r in chosen[:INDEX_SHOWN]]
    kind_href = lambda k: "/references?" + urlencode({k2: v for k2, v in (("q", typed), ("kind", k)) if v})  # noqa: E731
    return await render(datasette, request, "veille_references.html", {
        "refs": shown, "total": len(chosen), "shown_max": INDEX_SHOWN, "kind": kind, "typed": typed,
        "counts": counts, "kinds": KINDS, "kind_href": kind_href})


async def reference(request, datasette):
    """GET /reference/{kind}/{key}: every item citing it, oldest first; POST: follow it."""
    await can_view(datasette, request)
    kind, key = request.url_vars["kind"], unquote(request.url_vars["key"])
    if request.method == "POST":
        return await _follow(request, datasette, key)
    settled = await read_db(datasette, entity_store.settled_key, kind, key)
    if settled != key:      # a French text's date, once an item gave its number
        return Response.redirect(reference_href(kind, settled))
    mentions = await read(datasette, view.reference_mentions, kind, key)
    if not mentions:
        return await error_page(datasette, request, 404, "not_found", key)
    dates = await read(datasette, view.reference_dates, kind, key)
    email = email_of(datasette, request.actor)
    mine = await read_db(datasette, rules.list_rules, email) if email else []
    # a rule naming the text by its date follows it too
    keys = {key, *(await read_db(datasette, entity_store.aliases_of, [key])).get(key, [])} if mine else set()
    lang = request_lang(request)[0]
    return await render(datasette, request, "veille_reference.html", {
        "kind": kind, "key": key, "name": common_name(kind, key, lang),
        "spellings": sorted({m["text"] for m in mentions}), "mentions": mentions,
        "dates": [dict(d, label=date_label(d["date"], lang)) for d in dates],
        "following": [r for r in mine if keys & set(r["refs"])], "href": reference_href(kind, key)})


async def _follow(request, datasette, key: str) -> Response:
    """A daily alert rule on this reference for the logged-in user (403 for anyone else)."""
    email = require_user(datasette, request)
    t = Translator(request_lang(request)[0])
    spec = rules.RuleSpec(email=email, name=t("follow_rule_name", ref=key), refs=[key])
    rule_id = await write(datasette, rules.add_rule, spec)
    return Response.redirect(f"/subscriptions/{rule_id}/edit?saved=1")


def date_label(key: str, lang: str) -> str:
    """'2028-01-20' -> '20 janvier 2028'; a month-only date -> 'janvier 2028'."""
    month = month_label(key[:7], lang)
    if len(key) == 10:
        return f"{int(key[8:])} {month}" if lang == "fr" else f"{month.split()[0]} {int(key[8:])}, {key[:4]}"
    return month


def _calendar_filters(request) -> dict:
    topic = request.args.get("topic")
    typed_ref = (request.args.get("ref") or "").strip()
    keys = parse_reference_keys(typed_ref)
    return {"topic": topic if topic in topic_ids() else None, "ref": keys[0] if keys else None,
            "typed_ref": typed_ref, "past": request.args.get("past") == "1"}


async def _calendar_entries(datasette, filters: dict) -> list[dict]:
    """The entries, a story's date once: sources retelling a deadline add no new entry."""
    since = None if filters["past"] else date.today().isoformat()
    ref = filters["ref"] and await read_db(datasette, entity_store.settled_key, "fr_text", filters["ref"])
    entries = await read(datasette, lambda conn: view.calendar_entries(
        conn, since, topic=filters["topic"], ref=ref))
    kept: dict[tuple, dict] = {}
    for e in entries:
        kept.setdefault((e["date"], e["cluster_id"] or -e["item_id"]), e)
    return list(kept.values())


async def calendar(request, datasette):
    """GET /calendar?topic=&ref=&past=1 — application dates grouped by month."""
    await can_view(datasette, request)
    filters = _calendar_filters(request)
    entries = await _calendar_entries(datasette, filters)
    lang = request_lang(request)[0]
    for e in entries:
        e["label"] = date_label(e["date"], lang)
        e["month_only"] = len(e["date"]) == 7
        e["refs"] = [dict(r, href=reference_href(r["kind"], r["key"])) for r in e["refs"]]
    months = [(month_label(m, lang), list(group)) for m, group in groupby(entries, key=lambda e: e["date"][:7])]
    # the .ics link carries a signed token: a calendar application subscribes without a
    # login, also on a private catalogue (like the Atom feed of an alert rule)
    token = links.sign(state(datasette).secret, CALENDAR_FEED, "calendar")
    query = urlencode({k: v for k, v in (("topic", filters["topic"]), ("ref", filters["ref"]),
                                         ("past", "1" if filters["past"] else None), ("t", token)) if v})
    return await render(datasette, request, "veille_calendar.html", {
        "months": months, "filters": filters, "ics_href": "/calendar.ics?" + query})


async def calendar_feed(request, datasette):
    """GET /calendar.ics — the same entries as iCalendar, to subscribe to from a calendar;
    with the calendar page's signed token no login is needed."""
    try:
        links.verify(state(datasette).secret, CALENDAR_FEED, request.args.get("t") or "")
    except links.BadToken:
        await can_view(datasette, request)
    filters = _calendar_filters(request)
    entries = await _calendar_entries(datasette, filters)
    t = Translator(request_lang(request)[0])
    body = ics_text(entries, state(datasette).settings.base_url, f"veille · {t('calendar_title')}")
    return Response(body, content_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="veille-calendar.ics"'})
