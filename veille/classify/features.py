"""Text to features, the same way at training and at tagging time.

An item's text becomes tokens (lowercased, accents folded, standard and law references
turned into tokens such as ``iso_10218``, ``std_iso``, ``eu_act``). Each token counts as a
word feature plus its character 3-5-grams within the word (so that French and English
inflections and unseen compounds share weight); neighbouring tokens give bigram features.
Title tokens count twice.

The feature vector is the counts divided by the square root of their sum. That norm is
additive over tokens, so tagging can score a word once (its word and n-gram weights
summed) and reuse it for every item: see ``veille.classify.model``.
"""
from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

TITLE_WEIGHT = 2
NGRAM_WEIGHT = 1.0   # a character n-gram counts this much against a whole word
MAX_CHARS = 4000  # longer text adds little signal and would slow a batch down
NGRAM_SIZES = (3, 4, 5)

_TAG = re.compile(r"<[^>]*>")
_COMBINING = re.compile(r"[\u0300-\u036f]")
_TOKEN = re.compile(r"[^\W_]+(?:_[^\W_]+)*")
# ISO 10218-1, ISO/TS 15066, NF EN ISO 13849-1:2023, IEC 62443, ISO/ASTM 52900, EN 18031
_STANDARD = re.compile(
    r"\b(?P<body>iso|iec|en|nf|astm|ansi|din|ul|ieee|vda|iatf|ohsas|ria|as)"
    r"(?:\s*/\s*(?:ts|tr|astm|iec|pas|is|dis|fdis))*\s*(?:[a-z]{1,2}\s*)?"
    r"(?P<number>\d{3,5})(?P<part>(?:-\d+)*)(?::\d{4})?\b")
# Regulation (EU) 2023/1230, Directive 2006/42/EC, règlement (CE) n° 1907/2006
_EU_ACT = re.compile(r"\((?:ue|eu|ce|ec|cee|eec)\)\s*(?:no|n°|nr)?\s*\d{2,4}/\d{1,4}"
                     r"|\b(?:19|20)\d\d/\d{1,4}/(?:ue|eu|ce|ec|cee|eec)\b")
# French texts (décret n° 2024-1234) and code articles (R4323-105), one pass for both
_FR_TEXT = re.compile(r"\b(?:(?P<fr_text>(?:decret|loi|ordonnance|arrete)\s+(?:n°\s*)?\d{2,4}-\d{1,5})"
                      r"|[lrd]\.?\s?\d{3,4}-\d{1,3}(?:-\d+)?)\b")
_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*\b")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT = re.compile(r"\d")


def _strip_accents(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def _cp1252_tables() -> tuple[bytes, dict[str, str]]:
    """Windows-1252 byte -> the byte of its character without accents, and the characters
    that become something else than one such character (… ™ µ ¼ ½ ¾) -> what they become."""
    table, longer = bytearray(range(256)), {}
    for byte in range(128, 256):
        try:
            char = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue                    # no character encodes to it
        stripped = _strip_accents(char)
        single = stripped.encode("cp1252", "ignore") if len(stripped) == 1 else b""
        if single:
            table[byte] = single[0]
        else:
            longer[char] = stripped
    return bytes(table), longer


_CP1252_FOLD, _CP1252_LONGER = _cp1252_tables()


def _cp1252_lower_fold() -> bytes | None:
    """Windows-1252 byte -> the byte of its character lowercased then without accents, when
    every character lowercases to one character of Windows-1252 (it does: None otherwise)."""
    table = bytearray(_CP1252_FOLD)
    for byte in range(256):
        try:
            lower = bytes([byte]).decode("cp1252").lower().encode("cp1252")
        except UnicodeDecodeError:
            continue                    # no character encodes to it
        except UnicodeEncodeError:
            return None
        if len(lower) != 1:
            return None
        table[byte] = _CP1252_FOLD[lower[0]]
    return bytes(table)


_CP1252_LOWER_FOLD = _cp1252_lower_fold()


def fold(text: str) -> str:
    """Lowercase without accents: 'Sécurité' -> 'securite'."""
    if text.isascii():
        return text.lower()
    if _CP1252_LOWER_FOLD is not None:
        try:
            # French and most Western text: one byte translation lowercases and folds
            return _fold_cp1252(text.encode("cp1252"), _CP1252_LOWER_FOLD)
        except UnicodeEncodeError:
            pass
    text = text.lower()
    if text.isascii():
        return text                     # the Kelvin sign lowercases to 'k'
    try:
        return _fold_cp1252(text.encode("cp1252"), _CP1252_FOLD)
    except UnicodeEncodeError:
        return _strip_accents(text)


def _fold_cp1252(data: bytes, table: bytes) -> str:
    """The bytes translated (what NFKD and the combining marks' removal do character by
    character: each character folds alone), then the few characters folding to several."""
    data = data.translate(table)
    if data.isascii():
        return data.decode("ascii")     # none of the few is left
    text = data.decode("cp1252")
    for char, stripped in _CP1252_LONGER.items():
        if char in text:
            text = text.replace(char, stripped)
    return text


def clean(text: str | None) -> str:
    """Plain text from a title or summary that may hold HTML; very long text is cut."""
    if not text:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text[: MAX_CHARS * 2]
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return text[:MAX_CHARS]


def _mark_standard(match: re.Match) -> str:
    body, number = match.group("body"), match.group("number")
    # French "en 2024" is a year, not a standard
    if body == "en" and not match.group("part") and _YEAR.fullmatch(number):
        return " en 0 "
    return f" std_{body} {body}_{number} "


FIELD_BREAK = "qqfieldbreakqq"          # a token no text contains: splits a joined chunk
FIELD_JOIN = f"\n {FIELD_BREAK} \n"


def _mark_fr_text(match: re.Match) -> str:
    return " fr_text " if match.group("fr_text") else " code_article "


def _mark_references(text: str) -> str:
    # separate passes: each pattern alone keeps the regex engine's fast prefix scan; every
    # EU act has a "/" and every French text a "-", which a substring test rules out cheaply
    text = _STANDARD.sub(_mark_standard, text)
    if "/" in text:
        text = _EU_ACT.sub(" eu_act ", text)
    if "-" in text:
        text = _FR_TEXT.sub(_mark_fr_text, text)
    return text     # other numbers are marked piece by piece: see ``piece_tokens``


def _has_ascii_digit(text: str) -> bool:
    return "0" in text or "1" in text or "2" in text or "3" in text or "4" in text \
        or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text


def _digit_test(text: str) -> Callable[[str], object]:
    """A test for a digit (``\\d``) in parts of ``text``: ten substring tests, much faster
    than a regex scan, when no character of ``text`` can be another decimal digit than 0-9
    (none of ASCII or Windows-1252 is); the regex otherwise."""
    if text.isascii():
        return _has_ascii_digit
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return _DIGIT.search
    return _has_ascii_digit


def _mark_fields(joined: str) -> str:
    """References marked in the fields that hold a digit (every pattern needs one); the
    others are left as they are. No pattern spans the break between two fields, so marking
    field by field gives the text marking the whole would."""
    has_digit = _digit_test(joined)
    if not has_digit(joined):
        return joined
    return FIELD_JOIN.join([_mark_references(f) if has_digit(f) else f
                            for f in joined.split(FIELD_JOIN)])


def tokenise_fields(fields: list[str]) -> tuple[list[list[str]], str]:
    """Tokens of each field, and the fields cleaned, folded and joined by ``FIELD_JOIN``
    (what taxonomy rules read)."""
    toks, folded = chunk_tokens(fields)
    out, start = [], 0
    for _ in range(len(fields) - 1):
        end = toks.index(FIELD_BREAK, start)
        out.append(toks[start:end])
        start = end + 1
    out.append(toks[start:])
    return out, folded


def chunk_tokens(fields: list[str]) -> tuple[list[str], str]:
    """The tokens of all fields in one list, fields parted by ``FIELD_BREAK`` tokens, and
    the fields cleaned, folded and joined by ``FIELD_JOIN``.

    The fields are joined and folded, marked and tokenised in one pass: a chunk of
    thousands of items costs a handful of regex calls instead of a dozen per item. The
    break token between fields keeps every pattern from spanning two fields.
    """
    marked, folded = chunk_text(fields)
    return [tok for piece in marked.split() for tok in piece_tokens(piece)], folded


def chunk_text(fields: list[str]) -> tuple[str, str]:
    """The fields cleaned, folded and joined by ``FIELD_JOIN``, references marked (what
    ``chunk_tokens`` tokenises), and the same unmarked (what taxonomy rules read)."""
    folded = fold(FIELD_JOIN.join(clean(f) for f in fields))
    return _mark_fields(folded), folded


def piece_tokens(piece: str) -> list[str]:
    """Tokens of a whitespace-separated piece of marked text, other numbers than the
    references made ``0``. No token and no number holds whitespace (whose characters are
    no word characters for ``\\b``), so the tokens of a text are those of its pieces in
    turn, and a piece met again gives the same tokens."""
    return _TOKEN.findall(_NUMBER.sub(" 0 ", piece))


def pieces_tokens(pieces: list[str]) -> list[list[str]]:
    """``piece_tokens`` of each piece, the numbers of all marked in one pass: joined by
    newlines, which no piece holds, and around which ``\\b`` is as at a piece's ends."""
    if not pieces:
        return []
    return list(map(_TOKEN.findall, _NUMBER.sub(" 0 ", "\n".join(pieces)).split("\n")))


def tokens(text: str) -> list[str]:
    """The tokens of one field (title or summary), references made explicit."""
    return tokenise_fields([text])[0][0]


def word_ngrams(word: str) -> list[str]:
    """Character 3-5-grams of a word padded with spaces (word boundaries)."""
    padded = f" {word} "
    return list(map(padded.__getitem__, ngram_slices(len(padded))))


@lru_cache(maxsize=None)
def ngram_slices(length: int) -> tuple[slice, ...]:
    """The slices of a padded word of this length giving its n-grams, in the order of
    ``word_ngrams``: cutting with them is a loop in C rather than a comprehension."""
    return tuple(slice(i, i + n) for n in NGRAM_SIZES for i in range(length - n + 1))


LEXICON_FILE = Path(__file__).resolve().parent / "lexicon.yaml"
USE_LEXICON = True    # cue words also count as their concept ("k:safety"): see lexicon.yaml


def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, list[str]]:
    """concept -> cue words, as written in the lexicon file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(k): [str(w) for w in v] for k, v in sorted(data.items())}


@lru_cache(maxsize=8)
def _cue_index(lexicon_items: tuple) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for concept, words in lexicon_items:
        for word in words:
            index.setdefault(stem(word), []).append(concept)
    return {k: tuple(sorted(set(v))) for k, v in index.items()}


def cue_index(lexicon: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """stem of a cue word -> the concepts it signals."""
    return _cue_index(tuple((k, tuple(v)) for k, v in sorted(lexicon.items())))


STEM_BIGRAMS = True   # bigrams of stems: "robots collaboratifs" meets "robot collaboratif"
_SUFFIXES = ("ements", "ement", "ations", "ation", "iques", "ique", "ions", "ion",
             "ies", "es", "s", "e")


# the suffixes by their last letter, in the same order: a word can only end with those
_SUFFIXES_ENDING = {last: tuple(s for s in _SUFFIXES if s[-1] == last) for last in {s[-1] for s in _SUFFIXES}}


def stem_once(word: str) -> str:
    """A light French/English suffix stripper (plural, -ion, -ique, -ment...)."""
    if len(word) > 4:
        for suffix in _SUFFIXES_ENDING.get(word[-1], ()):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[:-len(suffix)]
    return word


stem = lru_cache(maxsize=200_000)(stem_once)   # words repeat: the loop runs once per word


def bigrams(toks: list[str], stems: bool | None = None) -> list[str]:
    if STEM_BIGRAMS if stems is None else stems:
        toks = [stem(t) for t in toks]
    return [f"{a} {b}" for a, b in zip(toks, toks[1:])]


def feature_counts(title: str, summary: str, title_weight: float | None = None,
                   ngram_weight: float | None = None, stem_bigrams: bool | None = None,
                   lexicon: dict[str, list[str]] | None = None) -> Counter:
    """Training-time form: feature name -> count ('w:' word, 'c:' n-gram, 'b:' bigram,
    'k:' concept of a cue word)."""
    cues = cue_index(lexicon) if lexicon else {}
    title_weight = TITLE_WEIGHT if title_weight is None else title_weight
    ngram_weight = NGRAM_WEIGHT if ngram_weight is None else ngram_weight
    counts: Counter = Counter()
    for toks, weight in ((tokens(title), title_weight), (tokens(summary), 1)):
        gram_weight = weight * ngram_weight
        for tok in toks:
            counts["w:" + tok] += weight
            for gram in word_ngrams(tok):
                counts["c:" + gram] += gram_weight
            for concept in cues.get(stem(tok), ()):
                counts["k:" + concept] += weight
        for pair in bigrams(toks, stem_bigrams):
            counts["b:" + pair] += weight
    return counts
