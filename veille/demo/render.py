"""Render demo sources as real sites do: feeds in four formats, listing pages without a
feed (with pagination and French dates), and article pages.

Every renderer is a pure function of the content, the server's base URL and the moment the
server started, so a response is byte-identical across requests and its ETag holds.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape, quoteattr

from .bundle import DemoContent, DemoItem, DemoSource

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        PARIS = ZoneInfo("Europe/Paris")
    except ZoneInfoNotFoundError:  # no tz database: French sources then speak UTC
        PARIS = timezone.utc
except ImportError:  # pragma: no cover
    PARIS = timezone.utc

CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "rss1": "application/rdf+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
LISTING_PAGE_SIZE = 10
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                 "septembre", "octobre", "novembre", "décembre")


# --------------------------------------------------------------------------- dates

def local_time(dt: datetime, language: str) -> datetime:
    """French sources publish in Paris time, English ones in UTC."""
    return dt.astimezone(PARIS if language == "fr" else timezone.utc)


def rfc822(dt: datetime, language: str = "en") -> str:
    local = local_time(dt, language)
    return format_datetime(local, usegmt=local.utcoffset().total_seconds() == 0 and language != "fr")


def rfc3339(dt: datetime, language: str = "en") -> str:
    text = local_time(dt, language).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z")


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


def french_date(dt: datetime, numeric: bool) -> str:
    local = local_time(dt, "fr")
    if numeric:
        return local.strftime("%d/%m/%Y")
    return f"{local.day} {FRENCH_MONTHS[local.month - 1]} {local.year}"


# --------------------------------------------------------------------------- feeds

def newest(items: list[DemoItem], now: datetime) -> datetime:
    return max((i.published(now) for i in items), default=now)


def render_feed(content: DemoContent, source: DemoSource, base: str, now: datetime) -> tuple[bytes, str]:
    """The source's feed in its format, newest item first; returns (body, content type)."""
    items = content.items_of(source.id)
    renderer = {"rss2": _rss2, "atom": _atom, "rss1": _rss1, "jsonfeed": _jsonfeed}[source.feed_format]
    return renderer(source, items, base, now).encode("utf-8"), CONTENT_TYPES[source.feed_format]


def _text(value: str) -> str:
    return xml_escape(value)


def _rss2(source: DemoSource, items: list[DemoItem], base: str, now: datetime) -> str:
    lang = source.language
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "<channel>",
        f"<title>{_text(source.name)}</title>",
        f"<link>{_text(base)}/</link>",
        f"<description>{_text(source.name)}</description>",
        f"<language>{'fr-FR' if lang == 'fr' else 'en-US'}</language>",
        f"<lastBuildDate>{rfc822(newest(items, now), lang)}</lastBuildDate>",
        f'<atom:link href={quoteattr(base + source.path)} rel="self" type="application/rss+xml"/>',
    ]
    for item in items:
        link = base + item.path
        out += [
            "<item>",
            f"<title>{_text(item.title)}</title>",
            f"<link>{_text(link)}</link>",
            f'<guid isPermaLink="true">{_text(link)}</guid>',
            f"<pubDate>{rfc822(item.published(now), lang)}</pubDate>",
            *([f"<dc:creator>{_text(item.author)}</dc:creator>"] if item.author else []),
            f"<description>{_text(item.summary_for(base))}</description>",
            "</item>",
        ]
    out += ["</channel>", "</rss>", ""]
    return "\n".join(out)


def _atom_id(item: DemoItem) -> str:
    # Stable across runs and ports, and not a URL: exercises guid-based identity.
    return f"tag:veille-demo.invalid,2026:{item.source}/{item.slug}"


def _atom(source: DemoSource, items: list[DemoItem], base: str, now: datetime) -> str:
    lang = source.language
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">',
        f"<id>tag:veille-demo.invalid,2026:{source.id}</id>",
        f"<title>{_text(source.name)}</title>",
        f"<updated>{rfc3339(newest(items, now), lang)}</updated>",
        f'<link rel="self" type="application/atom+xml" href={quoteattr(base + source.path)}/>',
        f'<link rel="alternate" type="text/html" href={quoteattr(base + "/")}/>',
        f"<author><name>{_text(source.name)}</name></author>",
    ]
    for item in items:
        published = rfc3339(item.published(now), lang)
        out += [
            "<entry>",
            f"<id>{_atom_id(item)}</id>",
            f'<title type="text">{_text(item.title)}</title>',
            f'<link rel="alternate" type="text/html" href={quoteattr(base + item.path)}/>',
            f"<published>{published}</published>",
            f"<updated>{published}</updated>",
            *([f"<author><name>{_text(item.author)}</name></author>"] if item.author else []),
            f'<summary type="html">{_text(item.summary_for(base))}</summary>',
            "</entry>",
        ]
    out += ["</feed>", ""]
    return "\n".join(out)


def _rss1(source: DemoSource, items: list[DemoItem], base: str, now: datetime) -> str:
    lang = source.language
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        f"<channel rdf:about={quoteattr(base + source.path)}>",
        f"<title>{_text(source.name)}</title>",
        f"<link>{_text(base)}/</link>",
        f"<description>{_text(source.name)}</description>",
        f"<dc:language>{lang}</dc:language>",
        f"<dc:date>{rfc3339(newest(items, now), lang)}</dc:date>",
        "<items><rdf:Seq>",
        *[f"<rdf:li rdf:resource={quoteattr(base + i.path)}/>" for i in items],
        "</rdf:Seq></items>",
        "</channel>",
    ]
    for item in items:
        link = base + item.path
        out += [
            f"<item rdf:about={quoteattr(link)}>",
            f"<title>{_text(item.title)}</title>",
            f"<link>{_text(link)}</link>",
            f"<description>{_text(item.summary_for(base))}</description>",
            f"<dc:date>{rfc3339(item.published(now), lang)}</dc:date>",
            *([f"<dc:creator>{_text(item.author)}</dc:creator>"] if item.author else []),
            "</item>",
        ]
    out += ["</rdf:RDF>", ""]
    return "\n".join(out)


def _jsonfeed(source: DemoSource, items: list[DemoItem], base: str, now: datetime) -> str:
    lang = source.language
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": source.name,
        "home_page_url": base + "/",
        "feed_url": base + source.path,
        "language": lang,
        "items": [
            {
                "id": _atom_id(item),
                "url": base + item.path,
                "title": item.title,
                "content_html": item.summary_for(base),
                "date_published": rfc3339(item.published(now), lang),
                **({"authors": [{"name": item.author}]} if item.author else {}),
            }
            for item in items
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------- html pages

def html_page(title: str, body: str, lang: str) -> bytes:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html_escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    ).encode("utf-8")


def listing_page_count(content: DemoContent, source: DemoSource) -> int:
    count = len(content.items_of(source.id))
    return max(1, -(-count // LISTING_PAGE_SIZE))


def render_listing(content: DemoContent, source: DemoSource, page: int, now: datetime) -> bytes | None:
    """One page of a listing without a feed, or None past the last page. Links are
    relative to the site, as on the real sites, so the crawler must resolve them."""
    pages = listing_page_count(content, source)
    if not 1 <= page <= pages:
        return None
    start = (page - 1) * LISTING_PAGE_SIZE
    items = content.items_of(source.id)[start:start + LISTING_PAGE_SIZE]
    style = _LISTING_STYLES[source.id] if source.id in _LISTING_STYLES else _inrs_style
    return html_page(f"{source.name} — page {page}", style(source, items, page, pages, now), source.language)


def _inrs_style(source: DemoSource, items: list[DemoItem], page: int, pages: int, now: datetime) -> str:
    rows = []
    for item in items:
        rows.append(
            '<div class="resultat-publication">\n'
            f'  <h3><a href="{html_escape(item.path)}">{html_escape(item.title)}</a></h3>\n'
            f'  <span class="date-parution">{french_date(item.published(now), numeric=True)}</span>\n'
            f'  <p class="resume">{html_escape(item.summary)}</p>\n'
            '</div>'
        )
    nav = []
    if page > 1:
        nav.append(f'<a class="precedent" href="{source.path}?page={page - 1}">Page précédente</a>')
    if page < pages:
        nav.append(f'<a class="suivant" href="{source.path}?page={page + 1}">Page suivante</a>')
    return (
        '<header class="bandeau"><a href="/">INRS — Santé et sécurité au travail (démo)</a></header>\n'
        '<main>\n<h1>Publications et outils : nouveautés</h1>\n'
        f'<p class="nb-resultats">{len(items)} résultats sur cette page — page {page}/{pages}</p>\n'
        '<div class="liste-resultats">\n' + "\n".join(rows) + '\n</div>\n'
        f'<nav class="pagination">{" ".join(nav)}</nav>\n</main>\n'
        '<footer><p>Démo hors ligne — contenu rédigé pour le projet veille.</p></footer>'
    )


def _dsfr_style(source: DemoSource, items: list[DemoItem], page: int, pages: int, now: datetime) -> str:
    cards = []
    for item in items:
        published = item.published(now)
        cards.append(
            '<div class="fr-col-12 fr-col-md-6">\n<div class="fr-card fr-enlarge-link">\n'
            '  <div class="fr-card__body"><div class="fr-card__content">\n'
            f'    <h3 class="fr-card__title"><a href="{html_escape(item.path)}">{html_escape(item.title)}</a></h3>\n'
            f'    <p class="fr-card__desc">{html_escape(item.summary)}</p>\n'
            f'    <p class="fr-card__detail">{french_date(published, numeric=False)}</p>\n'
            '  </div></div>\n</div>\n</div>'
        )
    links = []
    if page > 1:
        links.append(f'<li><a class="fr-pagination__link fr-pagination__link--prev" '
                     f'href="{source.path}?page={page - 1}">Page précédente</a></li>')
    for number in range(1, pages + 1):
        current = ' aria-current="page"' if number == page else ""
        links.append(f'<li><a class="fr-pagination__link" href="{source.path}?page={number}"{current}>{number}</a></li>')
    if page < pages:
        links.append(f'<li><a class="fr-pagination__link fr-pagination__link--next" '
                     f'href="{source.path}?page={page + 1}">Page suivante</a></li>')
    return (
        '<header class="fr-header"><p class="fr-header__service-title">'
        '<a href="/">Ministère du Travail (démo)</a></p></header>\n'
        '<main class="fr-container">\n<h1>Actualités</h1>\n'
        '<div class="fr-grid-row fr-grid-row--gutters">\n' + "\n".join(cards) + '\n</div>\n'
        '<nav class="fr-pagination" aria-label="Pagination"><ul class="fr-pagination__list">'
        + "".join(links) + '</ul></nav>\n</main>\n'
        '<footer class="fr-footer"><p>Démo hors ligne — contenu rédigé pour le projet veille.</p></footer>'
    )


_LISTING_STYLES = {"inrs-publications-demo": _inrs_style, "travail-emploi-demo": _dsfr_style}


def render_article(source: DemoSource, item: DemoItem, base: str, now: datetime) -> bytes:
    """The page an item's link points to; its body is in div.contenu."""
    summary = item.summary_for(base)
    body_html = summary if summary.lstrip().startswith("<") else f"<p>{html_escape(summary)}</p>"
    published = item.published(now)
    byline = f" — {html_escape(item.author)}" if item.author else ""
    body = (
        f'<header class="site"><a href="/">{html_escape(source.name)}</a></header>\n'
        '<main>\n<article>\n'
        f"<h1>{html_escape(item.title)}</h1>\n"
        f'<p class="meta"><time datetime="{rfc3339(published, source.language)}">'
        f"{french_date(published, True) if source.language == 'fr' else published.strftime('%B %d, %Y')}"
        f"</time>{byline}</p>\n"
        f'<div class="contenu">\n{body_html}\n</div>\n'
        "</article>\n</main>\n"
        '<footer><p>Offline demo — text written for the veille project.</p></footer>'
    )
    return html_page(item.title, body, source.language)


def render_index(content: DemoContent, base: str) -> bytes:
    rows = "\n".join(
        f'<li><a href="{html_escape(s.path)}">{html_escape(s.name)}</a> '
        f"<code>{s.kind}{'/' + s.feed_format if s.feed_format else ''}</code></li>"
        for s in content.sources
    )
    body = (f"<main><h1>veille — demo sources</h1><p>{len(content.items)} items served from "
            f"{html_escape(base)}</p><ul>\n{rows}\n</ul></main>")
    return html_page("veille demo", body, "en")
