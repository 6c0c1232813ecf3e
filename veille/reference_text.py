"""An item's text as reference extraction reads it.

Matching runs on a copy of the text folded to plain letters *of the same length* (accents,
typographic apostrophes, non-breaking spaces and hyphens), so that every span found maps
back to the text as written. Text in Latin-1 (nearly every item) is also seen through its
words, capitals and digits, which rule most extractors out before any pattern runs, and
patterns are tried only where a match can start (``scan``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Iterator


# --- folding: same length, so spans in the folded text are spans in the original ---------

_HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "\u2018\u2019\u02bc\u00b4`"
# typographic hyphens and apostrophes written plain (a name read from the text is keyed so)
PLAIN_PUNCTUATION = str.maketrans(dict.fromkeys(_HYPHENS, "-") | dict.fromkeys(_APOSTROPHES, "'"))


def _fold_char(c: str) -> str:
    if c in "\u00a0\u202f\u2007\u2009\t\r":
        return " "
    if c in _HYPHENS:
        return "-"
    if c in _APOSTROPHES:
        return "'"
    if c == "\u00ba":  # ordinal indicator, written for the degree sign in n°
        return "\u00b0"
    base = unicodedata.normalize("NFD", c)[0]
    return base if len(c) == 1 and base.isascii() and base.isalpha() else c


_FOLD_TABLE = {cp: _fold_char(chr(cp)) for cp in range(0x80, 0x2300) if _fold_char(chr(cp)) != chr(cp)}
_FOLD_TABLE.update({ord(c): " " for c in "\t\r"})   # a line break stays: no name goes on past it


_FOLD_MAP = {chr(cp): to for cp, to in _FOLD_TABLE.items()}
# Replacing only the characters that change is 4-5x faster than str.translate over the whole
# text (which looks every character up), since most characters are plain ASCII.
_FOLDED = re.compile("[" + "".join(re.escape(c) for c in _FOLD_MAP) + "]")


def _folded_char(m: re.Match) -> str:
    return _FOLD_MAP[m.group()]


# Nearly every item is Latin-1 (French and English with accents): folded byte by byte,
# 10x faster than the replacement above.
_LATIN1_FOLD = bytes(ord(_FOLD_MAP.get(chr(b), chr(b))) for b in range(256))


def fold(text: str) -> str:
    """Accents off, apostrophes, spaces and hyphens plain; the length is unchanged."""
    try:
        return text.encode("latin-1").translate(_LATIN1_FOLD).decode("latin-1")
    except UnicodeEncodeError:
        return _FOLDED.sub(_folded_char, text)


# The letters beyond ASCII that a case-insensitive pattern's ASCII letter matches (the dotless
# and dotted i, the long s, the Kelvin sign): a name a pattern matched is looked up with them
# read as that letter ("Loı" is "loi", "Directıve" "directive"), else the lookup fails.
LOOKALIKES = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "\u212a": "k"})


def lookup_key(name: str) -> str:
    """A matched name as the tables of names are keyed: lookalike letters read plain, lowered."""
    return name.translate(LOOKALIKES).lower()


# --- a first look: what a text cannot cite -----------------------------------------------

# letters lowercased; digits become a vertical tab, which splits words like a space but
# tells that the text has digits
_LETTERS = bytes(b | 0x20 if chr(b).isascii() and chr(b).isalpha() else 11 if 48 <= b <= 57 else 32
                 for b in range(256))
_CAPITALS = bytes(b if 65 <= b <= 90 else 32 for b in range(256))
_DIGITS_AS_ZERO = bytes(48 if 48 <= b <= 57 else b for b in range(256))


def words_of(latin1: bytes) -> set[bytes]:
    """The runs of ASCII letters, lowercased."""
    return set(latin1.translate(_LETTERS).split())


class _lazy:
    """A value computed on first use and kept on the instance (functools.cached_property
    takes a lock on each first use, a cost here where a text is read once)."""

    def __init__(self, compute: Callable):
        self.compute, self.name = compute, compute.__name__

    def __get__(self, obj, cls=None):
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


# --- characters beyond Latin-1 that plain reading may pass over ---------------------------

_WIDE = re.compile("[^\x00-\xff]")
_ANY_LATIN1 = re.compile("(?i)[\x00-\xff]")
_INERT: dict[str, bool] = {}


def _inert(c: str) -> bool:
    """Whether a character beyond Latin-1 (left by folding: ellipsis, euro, oe, bullets...)
    plays no part a Latin-1 character could: no pattern letter matches it case-insensitively
    (unlike the dotless i, long s, Kelvin and Angstrom signs), its cases hold no Latin-1
    character, it is no decimal digit, and lowering keeps its length. Such a character reads
    as a separator in the plain views, as other non-ASCII characters already do. Worked out
    from re and str themselves, once per character."""
    inert = _INERT.get(c)
    if inert is None:
        cases = c.lower() + c.upper() + c.casefold() + c.swapcase()
        inert = _INERT[c] = (not _ANY_LATIN1.match(c) and not c.isdecimal() and not re.match(r"\d", c)
                             and len(c.lower()) == 1 and all(ord(x) > 0xff for x in cases))
    return inert


class Text:
    """One item's text as the extractors read it: as written, folded, lowered.

    Text in Latin-1, once folded, but for characters no pattern letter or digit can read
    (``_inert``: nearly every item) is ``plain``: in it the patterns' case-insensitive
    letters are ASCII letters in any case and their digits ASCII digits, so the text's words,
    capitalised runs and digits rule most extractors out before any pattern runs, and the
    patterns are tried only where a match can start. Other text is read as a whole by the
    case-insensitive patterns.
    ``latin1``: the text folded, as Latin-1 bytes (characters beyond Latin-1 read "?"). In
    text that is not plain its views (``spaced``, ``words``) still serve the patterns that
    match names as written: no character beyond Latin-1 is a letter of theirs."""

    def __init__(self, original: str, vocabulary: frozenset[bytes]):
        self.original, self._vocabulary = original, vocabulary
        try:
            self.latin1 = original.encode("latin-1").translate(_LATIN1_FOLD)
        except UnicodeEncodeError:
            self.folded = _FOLDED.sub(_folded_char, original)
            self.plain = all(map(_inert, set(_WIDE.findall(self.folded))))
            # the characters beyond Latin-1 read as "?", a separator in every view
            self.latin1 = self.folded.encode("latin-1", "replace")
        else:
            self.folded, self.plain = self.latin1.decode("latin-1"), True

    @_lazy
    def lowered(self) -> str:
        return self.folded.lower()

    @_lazy
    def spaced(self) -> bytes:
        """The text's words (runs of ASCII letters, lowercased) between spaces, at the
        places they have in the text."""
        return self.latin1.translate(_LETTERS)

    def has(self, part: str) -> bool:
        """Whether the lowered text contains ``part`` (ASCII letters)."""
        return part.encode() in self.spaced if self.plain else part in self.lowered

    @_lazy
    def words(self) -> set[bytes]:
        """The text's words in ``vocabulary`` (a set of them all is slower to make)."""
        return self._vocabulary.intersection(self.spaced.split())

    @_lazy
    def capitals(self) -> set[bytes]:
        """Runs of capital ASCII letters (designators, acronyms)."""
        return set(self.latin1.translate(_CAPITALS).split())

    @_lazy
    def shape(self) -> bytes:
        """The folded text with every digit written 0."""
        return self.latin1.translate(_DIGITS_AS_ZERO)

    @_lazy
    def has_digit(self) -> bool:
        return not self.plain or b"\v" in self.spaced

    @_lazy
    def runs(self) -> frozenset[str]:
        """The runs of word characters (``\\w+``) the folded text has where a word starts
        (after no word character nor hyphen)."""
        return frozenset(_WORD_RUN.findall(self.folded))


_WORD_RUN = re.compile(r"(?<![\w-])\w+")


def occurrences(text: str | bytes, needle: str | bytes, start: int = 0, end: int | None = None) -> Iterator[int]:
    i = text.find(needle, start, end)
    while i >= 0:
        yield i
        i = text.find(needle, i + 1, end)


def scan(pattern: re.Pattern, t: Text, starts: Callable[[], Iterable[int]],
          pos: int = 0, endpos: int | None = None) -> Iterator[re.Match]:
    """``pattern.finditer(t.folded, pos, endpos)``; in plain text tried only at ``starts()``
    (every place a match can begin, in any order), which gives the same matches since none
    is empty."""
    endpos = len(t.folded) if endpos is None else endpos
    if not t.plain:
        yield from pattern.finditer(t.folded, pos, endpos)
        return
    for start in sorted(set(starts())):
        if start >= pos and (m := pattern.match(t.folded, start, endpos)) is not None:
            yield m
            pos = m.end()
