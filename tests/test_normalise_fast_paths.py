"""normalise's fast paths give what the plain definitions give (docs/collect.md, speed)."""
from __future__ import annotations

import sys
import unicodedata
from datetime import timezone
from urllib.parse import urlsplit

import pytest

from veille import normalise
from veille.normalise import canonical_url, clean_text, fold, published_at, quick_lang


def fold_by_definition(text: str) -> str:
    """Lowercase, NFKD, ASCII kept when most of the text has some, punctuation as spaces."""
    text = text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ = decomposed.encode("ascii", "ignore")
    if len(ascii_) * 4 >= len(text) * 3:
        return " ".join(ascii_.translate(normalise._PUNCT_TO_SPACE).decode().split())
    return " ".join(normalise._FOLD.sub(" ", normalise._MARKS.sub("", decomposed)).split())


def test_other_spaces_are_every_separator_of_str_split():
    spaces = {chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()} - {" "}
    assert set(normalise._OTHER_SPACES) == spaces
    for c in map(chr, range(0x3001)):
        assert normalise._other_spaces(f"ab{c}cd") == (c in spaces)


def test_fold_of_every_pair_of_latin1_characters_follows_nfkd():
    for i in range(256):
        pairs = "".join(chr(i) + chr(j) + " " for j in range(256))
        assert fold(pairs) == fold_by_definition(pairs)


@pytest.mark.parametrize("text", [
    "L’usine … ﬁnale", "ℕ ½ ¼ Œuvre", "İstanbul Σ ΑΣ", "中文 texte 中文 中文 中文", "été\u2009—\u3000x",
    "a\x1cb\x1fc\x85d\xa0e", "", "   ", "¾"])
def test_fold_beyond_latin1_follows_nfkd(text):
    assert fold(text) == fold_by_definition(text)


@pytest.mark.parametrize("html, text", [
    ("<p>Une ligne</p><p>une autre</p>", "Une ligne une autre"),
    ("<a <br>text>after", "after"),          # the <br> sits inside the span of '<a '
    ("a<br>b <hr/>c", "a b c"),
    ("  a \u2009\u00a0 b\n\t c  ", "a b c"),
    ("&lt;b&gt;gras&lt;/b&gt; titre", "gras titre"),
])
def test_clean_text(html, text):
    assert clean_text(html) == text


@pytest.mark.parametrize("html, text", [
    ("<p>Une ligne</p><p>une autre</p>", "Une ligne\nune autre"),
    ("<h2>Caractéristiques</h2><ul><li>Charge utile : 10 kg</li><li>Portée : 1 300 mm</li></ul>",
     "Caractéristiques\nCharge utile : 10 kg\nPortée : 1 300 mm"),
    ("a<br>b <hr/>c", "a\nb\nc"),
    ("<div> <p> </p> x </div>", "x"),                      # no empty line, none at either end
    ("<a <br>text>after", "after"),
    ("<b>Fanuc</b> et <i>ABB</i>", "Fanuc et ABB"),         # inline tags stay in the line
    ("Texte brut\nrevenu à la ligne  ici", "Texte brut revenu à la ligne ici"),   # wrapped plain text
    ("&lt;p&gt;échappé&lt;/p&gt; deux fois", "échappé deux fois"),
])
def test_clean_text_keeps_html_blocks_as_lines(html, text):
    assert clean_text(html, lines=True) == text


@pytest.mark.parametrize("link, page", [
    ("https://www.google.com/url?rct=j&sa=t&url=https://www.usinenouvelle.com/article/x.N1%3Futm_source%3Drss"
     "&ct=ga&cd=CAE&usg=AOvVaw", "https://www.usinenouvelle.com/article/x.N1"),        # Google Alerts
    ("https://www.google.fr/url?q=http://127.0.0.1/a&sa=U", "http://127.0.0.1/a"),
    ("https://www.google.com/url?url=javascript:alert(1)", "https://www.google.com/url?url=javascript:alert(1)"),
    ("https://www.google.com/search?q=cobot", "https://www.google.com/search?q=cobot"),
    ("http://127.0.0.1/url?url=https://127.0.0.2/", "http://127.0.0.1/url?url=https://127.0.0.2/"),
])
def test_a_google_redirect_is_the_page_it_leads_to(link, page):
    assert canonical_url(link) == page


@pytest.mark.parametrize("url", [
    "https://Example.ORG/a/b?utm_source=rss&b=2&a=1#comments",
    "http://example.org?x=1", "https://example.org/p?#", "https://example.org/p#a080605",
    "https://example.org/p?q#f#g", "https://example.org/#f?q", "https://example.org/a b/é",
])
def test_plain_urls_read_as_urlsplit_reads_them(url):
    parts = urlsplit(url)
    canonical = canonical_url(url)
    again = urlsplit(canonical)
    assert (again.scheme, again.hostname, again.path) == (parts.scheme, parts.hostname.lower(),
                                                          parts.path or "/")
    assert canonical == canonical_url(canonical)            # canonical is a fixed point


def test_function_word_lists_share_no_word():
    assert not normalise._FR_WORDS & normalise._EN_WORDS     # quick_lang counts each once


def test_quick_lang_counts_words_beyond_latin1():
    assert quick_lang("L’usine et la ligne de production pour les opérateurs") == "fr"
    assert quick_lang("leœ laœ lesœ deœ") is None           # 'œ' is a letter of the word
    assert quick_lang("quİ quİ quİ") == "fr"                 # lowered: "qui" and a dot
    assert quick_lang("the line and the plant of the group") == "en"


@pytest.mark.parametrize("date, stored", [
    ("Mon, 02 Nov 2026 10:00:00 +0100", "2026-11-02T09:00:00Z"),
    ("2026-11-02T10:00:00+02:00", "2026-11-02T08:00:00Z"),
    ("pas de date", "2026-11-26T13:14:27Z"),                 # unreadable: the fetch time
])
def test_published_at(date, stored):
    assert published_at(date, "2026-11-26T13:14:27Z") == stored


def test_plain_text_is_what_nh3_gives_back_unchanged():
    cleaner = normalise._cleaner(None)
    texts = ["Une ligne, \"citée\" = 'x' \t\n\x0c\x01\x7f\x85 \u2028 \ufdd0\uffff \U0001f600 ",
             "x\ufeff", *(f"a{chr(i)}b" for i in range(0xD800)),
             *(f"a{chr(i)}b" for i in range(0xE000, 0x110000, 97))]
    for text in texts:
        if normalise._plain_text(text):
            assert cleaner.clean(text) == text
    for text in ("a<b", "a>b", "a&b", "a\rb", "a\x00b", "a\xa0b", "\ufeffab"):
        assert not normalise._plain_text(text) and cleaner.clean(text) != text


@pytest.mark.parametrize("date", [
    "2026-11-02T10:00:00+00:00", "2026-11-02T10:00:00Z", "1994-12-31T23:59:59Z",
    "2026-11-27T13:14:27+00:00", "2026-11-27T13:14:28+00:00", "2026-02-30T10:00:00Z",
    "2026-11-02T10:00:00.5+00:00", "2026-11-02T10:00:00+01:00", "2026-W45-1T10:00:00+00:00"])
def test_published_at_utc_seconds_as_the_general_reading(date):
    fetched = "2026-11-26T13:14:27Z"
    dt = normalise.parse_date(date)
    general = fetched if dt is None or dt < normalise.EARLIEST or dt > normalise._latest(fetched) \
        else dt.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat() + "Z"
    assert published_at(date, fetched) == general
