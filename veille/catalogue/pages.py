"""Read pages of the catalogue: overview, search, item, sources."""
from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import urlencode

import nh3

from veille.catalogue import chart
from veille.catalogue.i18n import Translator, request_lang, topic_ids
from veille.catalogue.query import to_fts
from veille.catalogue.references_pages import reference_href
from veille.alerts.match import queue_deliveries
from veille.catalogue.web import (NotFound, Response, cached_read, can_view, email_of, error_page,
                                  int_arg, read, render, role_of, write)
from veille.store import catalogue as cat
from veille.store import references_view
from veille.store import topics as store_topics

WEEKS = 12
SIMILAR_WORDS = 8
OVERVIEW_TTL = 30.0  # seconds; a crawl pass takes longer than that
FACET_PARAMS = {"topic": "topic", "source": "source", "category": "category", "lang": "language",
                "month": "month"}  # facet -> URL parameter (lang is the interface language)
_WORD = re.compile(r"\w{4,}", re.UNICODE)
_STOP = set("avec dans pour plus sont nous vous leur leurs cette ces entre être fait faire sans "
            "sous chez mais donc comme aussi tout tous toutes with from that this have will their "
            "into more about after been were which when what your than them they".split())


def safe_html(html: str | None) -> str:
    """Re-sanitise stored HTML on display (defence in depth): no script, no images, so no
    tracking pixels; links open outside without referrer."""
    tags = {"p", "br", "a", "ul", "ol", "li", "em", "strong", "b", "i", "blockquote", "code", "pre",
            "h3", "h4", "table", "thead", "tbody", "tr", "td", "th", "sup", "sub"}
    return nh3.clean(html or "", tags=tags, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


async def overview(request, datasette):
    await can_view(datasette, request)
    today = date.today()
    weeks = chart.week_starts(today, WEEKS)
    data = await cached_read(datasette, f"overview:{today}", OVERVIEW_TTL, cat.overview, weeks[0], today.isoformat())
    topics = topic_ids()
    latest = await read(datasette, cat.latest_by_topic, topics, 5)
    t = Translator(request_lang(request)[0])
    svg = chart.weekly_bars(data["weekly"], weeks, topics, {x: t.topic(x) for x in topics}, t("chart_title"))
    return await render(datasette, request, "veille_overview.html",
                        {"data": data, "chart_svg": svg, "latest": latest})


def _filters(request) -> cat.Filters:
    return cat.Filters(**{facet: (request.args.get(param) or None) for facet, param in FACET_PARAMS.items()})


def _link(args: dict, **changes) -> str:
    merged = {k: v for k, v in {**args, **changes}.items() if v not in (None, "")}
    return "/search" + ("?" + urlencode(merged) if merged else "")


async def search(request, datasette):
    await can_view(datasette, request)
    q = (request.args.get("q") or "").strip()
    fts = to_fts(q)
    filters = _filters(request)
    sort = "newest" if request.args.get("sort") == "newest" or not fts else "relevance"
    known_total = None
    if not fts and not filters.active():
        known_total = await cached_read(datasette, "item_count", OVERVIEW_TTL, cat.item_count)
    result = await read(datasette, lambda conn: cat.search(
        conn, fts, filters, sort=sort, page=int_arg(request.args.get("page")), known_total=known_total))
    # a story shows once, as its lead, with "also in N sources" (this page only: stays fast)
    result.items = await read(datasette, references_view.collapse_stories, result.items)
    names = await cached_read(datasette, "source_names", 60, cat.source_names)
    args = {"q": q, "sort": request.args.get("sort") or "",
            **{param: getattr(filters, facet) or "" for facet, param in FACET_PARAMS.items()}}
    t = Translator(request_lang(request)[0])
    facets = [{"name": facet, "param": FACET_PARAMS[facet], "selected": getattr(filters, facet),
               "values": [{"value": v, "label": t.facet_value(facet, v, names), "count": n,
                           "href": _link(args, **{FACET_PARAMS[facet]: v, "page": ""})}
                          for v, n in result.facets.get(facet, [])],
               "clear": _link(args, **{FACET_PARAMS[facet]: "", "page": ""})}
              for facet in cat.FACETS]
    # the exports carry every filter of the page, so a CSV holds what the page listed
    export = urlencode({"q": fts or "", **{param: getattr(filters, facet) or "" for facet, param in FACET_PARAMS.items()}})
    return await render(datasette, request, "veille_search.html", {
        "q": q, "result": result, "facets": facets, "sort": sort, "args": args,
        "relevance_href": _link(args, sort="", page=""), "newest_href": _link(args, sort="newest", page=""),
        "page_href": lambda n: _link(args, page=n), "export_query": export, "has_fts": bool(fts),
        "source_names": names})


def _similar_query(title: str, summary: str) -> str | None:
    words = []
    for w in _WORD.findall(f"{title} {summary[:300]}".lower()):
        if w not in _STOP and w not in words:
            words.append(w)
    return " OR ".join(f'"{w}"' for w in words[:SIMILAR_WORDS]) or None


async def item(request, datasette):
    await can_view(datasette, request)
    item_id = int_arg(request.url_vars["item_id"], 0)
    detail = await read(datasette, cat.item_detail, item_id)
    if detail is None:
        raise NotFound("item")
    similar = await read(datasette, cat.similar_items, item_id,
                         _similar_query(detail["title"], detail["summary"]), 5)
    also_in = await read(datasette, references_view.also_seen_in, [item_id])
    return await render(datasette, request, "veille_item.html", {
        "item": detail, "summary_html": safe_html(detail.get("summary_html") or ""),
        "also_in": also_in[item_id], "reference_href": reference_href,
        "similar": similar, "can_correct": role_of(datasette, request.actor) in ("editor", "admin")})


def source_state(src: dict) -> str:
    if not src["enabled"]:
        return "disabled"
    if src["error_count"]:
        return "error"
    if not src["last_fetch_at"]:
        return "new"
    if not src["items_30d"]:
        return "silent"
    return "ok"


async def sources(request, datasette):
    await can_view(datasette, request)
    since = (date.today() - timedelta(days=30)).isoformat()
    rows = await read(datasette, cat.source_health, since)
    for r in rows:
        r["state"] = source_state(r)
    return await render(datasette, request, "veille_sources.html", {"sources": rows})


def _correct_and_rematch(db, item_id: int, topics: list[str], by: str) -> int:
    """The human tags replace the item's, then alert rules see the item again (the unique
    subscriber-story key keeps anyone from being told twice)."""
    changed = store_topics.correct_topics(db, item_id, topics, by)
    return queue_deliveries(db, changed) if changed else 0


async def correct_topics(request, datasette):
    """Editors fix an item's topics from the item page."""
    await can_view(datasette, request)
    if role_of(datasette, request.actor) not in ("editor", "admin"):
        return await error_page(datasette, request, 403, "forbidden")
    item_id = int_arg(request.url_vars["item_id"], 0)
    form = await request.post_vars()
    chosen = [t for t in topic_ids() if form.get(f"topic_{t}")]
    try:
        await write(datasette, _correct_and_rematch, item_id, chosen, email_of(datasette, request.actor))
    except KeyError:
        raise NotFound("item") from None
    return Response.redirect(f"/item/{item_id}")
