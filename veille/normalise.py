"""Normalising a raw entry into an ``Item``: canonical URL, clean text, safe HTML, UTC date,
language, identity key and content hash.

Runs on every entry of every pass (10,000 in a cycle), so it sticks to regular
expressions, nh3 (Rust) and py3langid, and detects a language only when none is declared.
"""
from __future__ import annotations

import codecs
import dataclasses
import hashlib
import html
import itertools
import re
import string
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Sequence
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import nh3

from veille.item import Item, RawItem

# languages of the sources an industrial watch reads; a wider set misreads short French
# titles as Catalan or Romanian
LANGUAGES = ("fr", "en", "de", "es", "it", "nl", "pt", "pl", "cs", "sv", "ru", "ja", "zh", "ko")
TRACKING_PARAMS = re.compile(
    r"^(?:utm_\w*|at_\w*|mtm_\w*|pk_\w*|hsa_\w*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|"
    r"yclid|mc_cid|mc_eid|xtor|xtref|igshid|_hsenc|_hsmi|ref_src|oly_enc_id|oly_anon_id|"
    r"vero_id|wt_mc|wt\.mc_id|cmpid|ncid|sr_share|s_cid|__twitter_impression)$", re.I)
# Fragments that never tell two entries apart: tracking (#xtor=RSS-1, #utm_...), "read more"
# and comment anchors, page-layout anchors. Other fragments are kept: some blogs give every
# post of a day page its own anchor (/2017/06/26.html#a080605), and those are distinct items.
NOISE_FRAGMENT = re.compile(
    r"^(?:.*=.*|more(?:-\d+)?|comments?|respond|reply|content|main(?:-content)?|top|"
    r"page|article|disqus_thread|comment-\d+|ref-.*)?$", re.I)
DEFAULT_PORTS = {"http": 80, "https": 443}
# An absolute http(s) URL with a plain ASCII host (no user, port or IPv6 brackets) and none
# of the tab and newlines urlsplit deletes: its parts are where urlsplit would cut it.
_PLAIN_URL = re.compile(r"(https?)://([A-Za-z0-9.-]+)(/[^?#\t\r\n]*)?"
                        r"(?:\?([^#\t\r\n]*))?(?:#([^\t\r\n]*))?")
LANG_SAMPLE = 120               # detection cost grows with the length; this much suffices
QUICK_SAMPLE = 300              # function words counted in this much (cheap; more answers)
SUMMARY_FROM_CONTENT = 600      # characters of the body used when an entry has no summary
EARLIEST = datetime(1995, 1, 1, tzinfo=timezone.utc)
# A UTC date to the second, as fastfeedparser writes every date it reads
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\+00:00|Z)")
_DIGITS = "0123456789"   # "" too: an empty date goes the whole way, as it always did

_DROP_BLOCKS = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
_BLOCK_TAGS = re.compile(r"<(?:br|/p|/div|/li|/h\d|/tr|/blockquote|hr)\b[^>]*>", re.I)
# the tags that end a block of text (with ``lines``, a line): a private-use character marks
# them until whitespace is collapsed (it is no space), then becomes a line break
_BLOCK_BREAKS = re.compile(r"<(?:br|hr|/?(?:p|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|blockquote|pre|section"
                           r"|article|header|footer|aside|nav|figure|figcaption))\b[^>]*>", re.I)
_BREAK = "\ue000"
_ONE_TAG = r"</?[A-Za-z!][^>]*>"
# a run of adjacent tags becomes one space, which leaves fewer spaces to collapse
_TAGS = re.compile(f"{_ONE_TAG}(?:{_ONE_TAG})*")
# Every _BLOCK_TAGS match is a tag with the same span, so blanking block tags first changes
# nothing unless a '<' comes before a block tag with no '>' in between.
_NESTED_LT = re.compile(r"<[^<>]*<")
_FOLD = re.compile(r"[\W_]+")
_PUNCT_TO_SPACE = bytes(32 if chr(i) in string.punctuation else i for i in range(256))
_MARKS = re.compile(r"[\u0300-\u036f]")
_PIXEL = re.compile(r"<img\b[^>]*?\b(?:width|height)\s*=\s*[\"']?[01](?:px)?[\"'\s/>][^>]*>", re.I)
_ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
                 "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
                 "li", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
                 "table", "tbody", "td", "th", "thead", "tr", "u", "ul"}
_ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title", "width", "height"},
                  "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}, "abbr": {"title"}}
_CLEAN_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed", "form"}


class Unusable(ValueError):
    """An entry with nothing to show (no title, link or id); the message says what lacked."""


def normalise(raw: RawItem, *, default_lang: str | None, fetched_at: str,
              detect: bool = True) -> Item:
    """The stored form of ``raw``. Raises Unusable when the entry cannot be identified.

    With ``detect=False`` a language that neither the feed nor the function words give is
    left None, for ``settle_languages`` to decide over the whole batch."""
    raw = _without_lone_surrogates(raw)
    url = canonical_url(raw.url, raw.base_url)
    title = clean_text(raw.title)
    guid = (raw.guid or "").strip() or None
    if not (title or url or guid):
        raise Unusable("entry has no title, link or id")
    summary = clean_text(raw.summary, lines=True)
    content = clean_text(raw.content, lines=True) if raw.content else ""
    if not summary and content:
        summary = _shorten(content, SUMMARY_FROM_CONTENT)
    summary_html = sanitise_html(raw.summary or raw.content or "", raw.base_url)
    text = f"{title} {summary}"
    lang = declared_lang(raw.lang) or declared_lang(default_lang) or quick_lang(text[:QUICK_SAMPLE])
    if lang is None and detect:
        lang = detect_lang(text[:LANG_SAMPLE])
    return Item(
        source_id=raw.source_id, key=guid or url or _sha1(f"{title}\n{summary}"),
        title=title, summary=summary, summary_html=summary_html, content=content,
        published_at=published_at(raw.published, fetched_at), fetched_at=fetched_at,
        content_hash=content_hash(title, summary), url=url, guid=guid,
        author=clean_text(raw.author) or None if raw.author else None, lang=lang,
        page_version=raw.page_version)


_TEXT_FIELDS = ("title", "summary", "content", "url", "guid", "author", "lang", "base_url")


def _without_lone_surrogates(raw: RawItem) -> RawItem:
    """A JSON Feed may escape half a surrogate pair ("\\ud800"), which json reads as a lone
    surrogate: no UTF-8 encoder, SQLite's included, takes it, and the whole feed would fail.
    Each one becomes U+FFFD; valid text (nearly every entry) is only checked, in one pass
    over the fields as attributes (a loop of getattr by name costs twice as much)."""
    try:
        for value in (raw.title, raw.summary, raw.content, raw.url, raw.guid, raw.author,
                      raw.lang, raw.base_url):
            if value and not value.isascii():
                value.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        pass
    fixed = {}
    for name in _TEXT_FIELDS:
        value = getattr(raw, name)
        if value and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                fixed[name] = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return dataclasses.replace(raw, **fixed)


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """http(s) URL with scheme and host lowercased, default port, tracking parameters and
    noise fragments removed and the query sorted; None for anything else (mailto:,
    javascript:). A fragment that names a post on a shared page is kept. A Google redirect
    (Google Alerts' links: google.com/url?url=...) is the page it leads to: the article a
    watch's alert feed and the journal's own feed both carry is one item, told by its
    publisher."""
    canonical = _canonical(url, base)
    if canonical and "/url?" in canonical and (m := _GOOGLE_REDIRECT.match(canonical)):
        query = dict(parse_qsl(m.group(1)))
        target = query.get("url") or query.get("q") or ""
        if target.startswith(("http://", "https://")):
            return _canonical(target, None) or canonical
    return canonical


_GOOGLE_REDIRECT = re.compile(r"https?://(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?/url\?([^#]*)")


def _canonical(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    plain = _PLAIN_URL.fullmatch(url)
    if plain:
        return _canonical_plain(*plain.groups())
    if base and not url.startswith(("http://", "https://")):
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    fragment = "" if NOISE_FRAGMENT.match(parts.fragment) else parts.fragment
    return urlunsplit((scheme, netloc, parts.path or "/", _clean_query(parts.query), fragment))


def _canonical_plain(scheme: str, host: str, path: str | None, query: str | None,
                     fragment: str | None) -> str:
    """canonical_url of a URL _PLAIN_URL matched: what urlsplit and urlunsplit make of it,
    five times cheaper (most entries' links are such URLs)."""
    url = f"{scheme}://{host.lower()}{path or '/'}"
    if query and (query := _clean_query(query)):
        url = f"{url}?{query}"
    if fragment and not NOISE_FRAGMENT.match(fragment):
        url = f"{url}#{fragment}"
    return url


@lru_cache(maxsize=1024)
def _clean_query(query: str) -> str:
    """Tracking parameters removed, the others sorted (one order for one page). Kept: a
    feed's links share their few queries (utm_source=rss...), and a lookup costs a tenth."""
    if not query:
        return query
    pairs = [p for p in query.split("&") if p and not TRACKING_PARAMS.match(p.split("=", 1)[0])]
    return "&".join(sorted(pairs))


def clean_text(value: str | None, *, lines: bool = False) -> str:
    """Plain text from HTML or text: tags stripped, entities decoded, whitespace collapsed.

    With ``lines``, HTML's paragraphs, list items, headings, table rows and line breaks
    become line breaks (one between blocks, none at either end): a list's items and a
    heading stay apart from the text around them, as a reader sees them, and no name is
    read across them. Line breaks in plain text (wrapped lines) are spaces, as before."""
    if not value:
        return ""
    if "<" in value:
        value = _DROP_BLOCKS.sub(" ", value)
        if lines:
            value = _BLOCK_BREAKS.sub(_BREAK, value)
        elif _NESTED_LT.search(value):  # a block tag inside another tag's span: two passes
            value = _BLOCK_TAGS.sub(" ", value)
        value = _TAGS.sub(" ", value)
    if "&" in value:
        value = html.unescape(value)
        if "<" in value and "&lt;" not in value:  # double-escaped markup, common in titles
            value = _TAGS.sub(" ", value)
    value = _single_spaces(value)
    if lines and _BREAK in value:
        value = "\n".join(filter(None, (line.strip(" ") for line in value.split(_BREAK))))
    return value


# str.split()'s separators besides the space (every c with c.isspace(); a test checks)
_OTHER_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004" \
                "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _single_spaces(text: str) -> str:
    """' '.join(text.split()), without a string per word when spaces are the only
    separators (2.5 times cheaper on a summary, a quarter on a body; a \\s+ regex is ten
    times dearer). ``c in text`` is a memchr, or nothing when ``c`` is wider than every
    character of ``text``. Pretty-printed HTML, newlines and indents, is split, and so is
    a title, shorter than the checks cost."""
    if len(text) < 160 or _other_spaces(text):
        return " ".join(text.split())
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip(" ")


# whether a text holds one of _OTHER_SPACES, as one expression (a loop over them costs twice)
_other_spaces = eval("lambda text: " + " or ".join(f"{c!r} in text" for c in _OTHER_SPACES))


def sanitise_html(value: str, base_url: str | None = None) -> str:
    """HTML safe to show: basic formatting, links rel="noopener nofollow", http(s) images
    only and no tracking pixels; no script, style, event attributes or javascript: URLs."""
    if not value or not value.strip():
        return ""
    if _plain_text(value):
        return value.strip()
    if "<img" in value:
        value = _PIXEL.sub("", value)
    base = base_url if base_url and base_url.startswith(("http://", "https://")) else None
    return _cleaner(base).clean(value).strip()


def _plain_text(value: str) -> bool:
    """True when nh3 gives ``value`` back unchanged (a plain-text summary, most feeds'):
    no markup or character reference to read, none of the characters html5ever changes in
    text (CR and NUL as it reads, the no-break space it writes as &nbsp;), and no leading
    byte-order mark, which it drops. Seven memchr are 40 times cheaper than the clean."""
    return not ("<" in value or "&" in value or ">" in value or "\r" in value
                or "\x00" in value or "\xa0" in value or value[0] == "\ufeff")


@lru_cache(maxsize=512)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    """One sanitiser per base URL (relative links resolve against it); building one costs
    ten times a clean, so they are kept."""
    relative = ("rewrite_with_base", base_url) if base_url else "deny"
    return nh3.Cleaner(tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS,
                       clean_content_tags=_CLEAN_CONTENT, link_rel="noopener nofollow",
                       url_schemes={"http", "https", "mailto"}, url_relative=relative)


def published_at(value: datetime | str | None, fetched_at: str) -> str:
    """ISO UTC; the fetch time when the date is missing, unreadable, before 1995, or more
    than a day in the future (a wrong clock must not pin an item at the top)."""
    dt = _isoformat(value) if value.__class__ is str and _UTC_SECONDS.fullmatch(value) else None
    utc = dt is not None
    if not utc:
        dt = parse_date(value)
    if dt is None or dt < EARLIEST or dt > _latest(fetched_at):
        return fetched_at
    if utc:  # already the stored form, but for the zone's spelling (five times cheaper)
        return value[:19] + "Z"
    return dt.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"


@lru_cache(maxsize=64)
def _latest(fetched_at: str) -> datetime:
    """The latest believable date of an entry fetched then (one fetch time per feed)."""
    return datetime.fromisoformat(fetched_at.replace("Z", "+00:00")) + timedelta(days=1)


def parse_date(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    text = str(value).strip()
    dt = _isoformat(text) if text[:1] in _DIGITS else None  # "Mon, 02 Nov ..." is not ISO
    if dt is None:
        try:
            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = _dateutil(text)
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def _isoformat(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _dateutil(text: str) -> datetime | None:
    from dateutil import parser  # rare formats only
    try:
        return parser.parse(text, fuzzy=True)
    except (ValueError, OverflowError, TypeError):
        return None


def declared_lang(value: str | None) -> str | None:
    """'fr-FR', 'FR', 'fr_fr' -> 'fr'."""
    if not value:
        return None
    code = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return code if len(code) in (2, 3) and code.isalpha() else None


# Function words that are frequent in one of the two languages a French watch mostly reads
# and absent from the other (no "a", "on", "se", "as", "an": both languages use them).
_FR_WORDS = frozenset("""le la les des du de un une et est sont pour dans sur par avec au aux
ce cette ces qui que ne pas plus leur leurs son sa ses nous vous il elle ils elles lors entre
été être sera ont avait été selon aussi mais très chez sans sous dont depuis après où également
l d qu n s c j""".split())
_EN_WORDS = frozenset("""the and of to is are was were for with by from this that these those
its it's has have had will would can could which who what when where how their they our we
into over than been be not but about after new also more said says all its""".split())
_WORDISH = re.compile(r"[^\W\d_]+")
# The same words found in bytes, three times cheaper: the text encoded as Latin-1, where a
# run of other characters is lowercased and each character of it beyond Latin-1 becomes "ÿ"
# when _WORDISH takes it (no function word has one), a space when not; then bytes are
# lowercased (no Latin-1 letter lowers beyond), those _WORDISH does not take become
# spaces, and bytes.split() cuts.
_LOWER_WORDISH = bytes(ord(chr(i).lower()) if _WORDISH.match(chr(i)) else 32 for i in range(256))
# Both counts in one sum: a French word weighs _EN_WEIGHT, an English one 1 (the lists share
# no word, and no text holds _EN_WEIGHT words; the sum stays a machine integer).
_EN_WEIGHT = 1 << 32
_WORD_WEIGHTS = {**{w.encode("latin-1"): _EN_WEIGHT for w in _FR_WORDS},
                 **{w.encode("latin-1"): 1 for w in _EN_WORDS}}
_NOTHING = itertools.repeat(0)


def _words_beyond_latin1(exc: UnicodeEncodeError) -> tuple[str, int]:
    run = exc.object[exc.start:exc.end].lower()      # "İ" lowers to "i" and a dot
    return "".join(c if c <= "\xff" else "ÿ" if _WORDISH.match(c) else " " for c in run), exc.end


codecs.register_error("veille.words", _words_beyond_latin1)
_CLEAR = 3          # function words of one language, none of the other... 
_MARGIN = 4         # ...or this many times more of one than of the other


def quick_lang(text: str) -> str | None:
    """'fr' or 'en' when the function words say so clearly, else None (ask py3langid).

    About 20 times cheaper than py3langid on a title and summary; on the shared corpus'
    labelled items it agrees with the label wherever it answers (see docs/collect.md)."""
    words = text.encode("latin-1", "veille.words").translate(_LOWER_WORDISH).split()
    fr, en = divmod(sum(map(_WORD_WEIGHTS.get, words, _NOTHING)), _EN_WEIGHT)
    if fr >= _CLEAR and fr >= _MARGIN * en:
        return "fr"
    if en >= _CLEAR and en >= _MARGIN * fr:
        return "en"
    return None


_identifier = None


def detect_lang(text: str) -> str | None:
    """The most likely of LANGUAGES, or None for text too short to tell."""
    global _identifier
    if len(text) < 20:
        return None
    if _identifier is None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier  # loads numpy: lazily
        _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
        _identifier.set_languages(list(LANGUAGES))
    return _identifier.classify(text[:LANG_SAMPLE])[0]


def settle_languages(items: Sequence[Item]) -> None:
    """Give a language to the items of one feed that ``normalise(detect=False)`` left
    without: the language of the feed's other items when they agree on one; one py3langid
    call over the feed's undecided items together when none was decided (a feed of short
    titles); py3langid per item only in a feed that mixes languages."""
    undecided = [it for it in items if it.lang is None]
    if not undecided:
        return
    known = {it.lang for it in items if it.lang is not None}
    if len(known) == 1:
        lang = known.pop()
    elif not known:
        lang = detect_lang(" ".join(f"{it.title} {it.summary}"[:LANG_SAMPLE] for it in undecided[:8]))
    else:
        for it in undecided:
            it.lang = detect_lang(f"{it.title} {it.summary}"[:LANG_SAMPLE])
        return
    for it in undecided:
        it.lang = lang


# fold as one bytes.translate, without str.lower (a per-character Unicode lookup): NFKD
# leaves each character's ASCII part whatever its neighbours (it reorders combining marks
# only, never ASCII), so a table per Latin-1 character, lowercasing included, is exact;
# characters beyond Latin-1 get their ASCII part from the "veille.fold" error handler while
# encoding. ¼ ½ ¾ (two characters each), and symbols whose ASCII part is a capital (ℕ: the
# table would lower it, str.lower does not), take the general path. Punctuation and
# str.split()'s ASCII separators become spaces.
_LATIN1_FOLDS = [unicodedata.normalize("NFKD", chr(i).lower()).encode("ascii", "ignore")
                 for i in range(256)]
_LATIN1_FOLD = bytes(f[0] if len(f) == 1 else i for i, f in enumerate(_LATIN1_FOLDS)).translate(
    bytes(32 if chr(i) in string.punctuation or chr(i).isspace() else i for i in range(256)))
_LATIN1_DROP = bytes(i for i, f in enumerate(_LATIN1_FOLDS) if not f)


class _CapitalBeyondLatin1(ValueError):
    """A character beyond Latin-1 leaves a capital ASCII letter: fold takes the general path."""


def _fold_beyond_latin1(exc: UnicodeEncodeError) -> tuple[str, int]:
    """The ASCII that NFKD leaves of characters beyond Latin-1 (’ nothing, … '...')."""
    kept = unicodedata.normalize("NFKD", exc.object[exc.start:exc.end].lower())
    kept = kept.encode("ascii", "ignore").decode("ascii")
    if kept.lower() != kept:
        raise _CapitalBeyondLatin1(kept)
    return kept, exc.end


codecs.register_error("veille.fold", _fold_beyond_latin1)


def content_hash(title: str, summary: str) -> str:
    """Equal for the same story told with other accents, case or punctuation."""
    return _sha1(fold(f"{title} {summary}"))


def fold(text: str) -> str:
    """Lowercase, accents and punctuation removed, single spaces."""
    try:
        data = text.encode("latin-1", "veille.fold")
    except _CapitalBeyondLatin1:
        data = b"\xbc"
    if b"\xbc" not in data and b"\xbd" not in data and b"\xbe" not in data:  # ¼ ½ ¾
        folded = data.translate(_LATIN1_FOLD, _LATIN1_DROP)
        # as the NFKD path decides; lowered, "İ" is two characters (the only one)
        if len(folded) * 4 >= (len(text) + text.count("\u0130")) * 3:
            while b"  " in folded:
                folded = folded.replace(b"  ", b" ")
            return folded.strip(b" ").decode("ascii")
    text = text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ = decomposed.encode("ascii", "ignore")
    if len(ascii_) * 4 >= len(text) * 3:  # mostly Latin script: the fast byte path is exact enough
        return " ".join(ascii_.translate(_PUNCT_TO_SPACE).decode().split())
    return " ".join(_FOLD.sub(" ", _MARKS.sub("", decomposed)).split())


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit] + "…"
