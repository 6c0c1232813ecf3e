"""Strings a regular expression's every match contains, read from the pattern itself.

Taxonomy rules are regular expressions an analyst edits; most items match none of them.
A substring test (``"toner" in text``) costs a fraction of a regex scan, so text holding
none of a rule's required strings skips the rule without changing what it would decide.
The analysis reads CPython's own parse of the pattern and is conservative: when it cannot
tell (case-insensitive flags, a branch that may match nothing, ...) it says so with None.
"""
from __future__ import annotations

import re
from re import _constants as c, _parser   # the parse tree ``re`` itself compiles
from collections import Counter
from typing import Iterator, NamedTuple


class Needle(NamedTuple):
    """A string a match contains; ``bounded``: a ``\\b`` the pattern puts on both sides
    (``\\brpa\\b`` is not met by "terpar"), checked after a substring hit."""
    text: str
    bounded: bool = False

    def found_in(self, haystack: str) -> bool:
        return next(self.places(haystack), -1) >= 0

    def places(self, haystack: str) -> Iterator[int]:
        """Where the needle starts in ``haystack`` (within bounds when ``bounded``)."""
        at, end = haystack.find(self.text), len(self.text)
        while at >= 0:
            if not self.bounded or not (at and _is_word(haystack[at - 1])) and not (
                    at + end < len(haystack) and _is_word(haystack[at + end])):
                yield at
            at = haystack.find(self.text, at + 1)


Needles = frozenset   # of Needle: every match contains at least one of them


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"     # what ``\\w`` means for a str pattern


def required_strings(pattern: re.Pattern) -> Needles | None:
    """Strings of which every match of ``pattern`` contains at least one, or None."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except (re.error, RecursionError):
        return None
    needles = _sequence(list(tree))
    if needles and (pattern.flags & re.ASCII or "(?a" in pattern.pattern):
        # an ASCII \\b sees "é" as a boundary, which found_in would not: drop the bounds
        needles = frozenset(Needle(n.text) for n in needles)
    return needles


def _sequence(items: list) -> Needles | None:
    """Consecutive literals of a sequence match side by side: the best such run, or the
    best requirement of one of its parts (each part is matched, so each one's holds)."""
    best: Needles | None = None
    start = 0
    for i, (op, av) in enumerate([*items, (None, None)]):
        if op is c.LITERAL:
            continue
        found = [_run(items, start, i), _node(op, av) if op is not None else None]
        for needles in found:
            if needles and (best is None or _strength(needles) > _strength(best)):
                best = needles
        start = i + 1
    return best


def _run(items: list, start: int, end: int) -> Needles | None:
    """The literals items[start:end] as one needle, bounded when ``\\b`` stands on both
    sides and the run begins and ends with word characters."""
    if start == end:
        return None
    text = "".join(chr(av) for _op, av in items[start:end])
    bounded = (start > 0 and end < len(items) and _is_word(text[0]) and _is_word(text[-1])
               and items[start - 1] == items[end] == (c.AT, c.AT_BOUNDARY))
    return frozenset([Needle(text, bounded)])


def _node(op, av) -> Needles | None:
    if op is c.SUBPATTERN:
        _group, add_flags, _del_flags, sub = av
        return None if add_flags & c.SRE_FLAG_IGNORECASE else _sequence(sub)
    if op is c.ATOMIC_GROUP:
        return _sequence(av)
    if op is c.BRANCH:
        choices = [_sequence(alternative) for alternative in av[1]]
        return None if None in choices else frozenset().union(*choices)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _sequence(av[2])
    return None   # a class, an assertion, an optional part: nothing certain


def _strength(needles: Needles) -> tuple[int, bool]:
    """Longer strings are rarer in text: the shortest one says how selective a set is."""
    return min((len(n.text), n.bounded) for n in needles)


def group_needles(needles: Needles, shortest: int = 3) -> list[tuple[str, tuple[Needle, ...]]]:
    """Needles gathered under a string several of them contain ("robot" for "toy robot" and
    "robotic process automation"): text without that string holds none of them, so one scan
    rules out the group. Greedy, the string shared by the most needles (then the longest)
    first; a needle sharing nothing is its own group."""
    left, groups = sorted(needles), []
    while left:
        shared = Counter(part for n in left for part in {
            n.text[i:j] for i in range(len(n.text)) for j in range(i + shortest, len(n.text) + 1)})
        key, count = max(sorted(shared.items()), key=lambda kv: (kv[1], len(kv[0])),
                         default=("", 0))
        if count < 2:
            groups += [(n.text, (n,)) for n in left]
            break
        groups.append((key, tuple(n for n in left if key in n.text)))
        left = [n for n in left if key not in n.text]
    return groups


def present_needles(groups: list[tuple[str, tuple[Needle, ...]]], text: str) -> list[Needle]:
    """The grouped needles whose string occurs in ``text`` (bounds not checked)."""
    present: list[Needle] = []
    for key, members in groups:
        if key in text:
            present += [n for n in members if n.text == key or n.text in text]
    return present


class PieceFlags:
    """Needles read piece by piece: text split at whitespace (``str.split``) gives pieces
    that repeat from item to item, so each piece's test runs once and an item's needles
    come from an OR of its pieces' bits.

    A needle without whitespace lies inside one piece, bounds included (a piece is preceded
    and followed by whitespace or nothing, none a word character): its bit says it is there.
    A needle with whitespace spans pieces: each of its whitespace-free parts has a bit, and
    an item holding all of them is searched for the needle itself."""

    MAX_BITS = 63

    def __init__(self, needles: Needles):
        self.needles = tuple(sorted(needles))
        tests: dict[str, int] = {}               # string looked for in a piece -> its bit
        self._whole: list[tuple[int, Needle]] = []       # (bit, needle) for a whole needle
        self._spanning: list[tuple[int, Needle]] = []    # (bits of its parts, needle)
        for needle in self.needles:
            parts = needle.text.split()
            if len(parts) == 1 and parts[0] == needle.text:
                self._whole.append((1 << len(tests), needle))
                tests[f"\0{len(tests)}"] = len(tests)    # placeholder key: tested as a Needle
            else:
                bits = 0
                for part in parts:
                    bits |= 1 << tests.setdefault(part, len(tests))
                self._spanning.append((bits, needle))
        self.usable = len(tests) <= self.MAX_BITS
        self._parts = [(part, 1 << bit) for part, bit in tests.items() if not part.startswith("\0")]
        self._groups = [(key, tuple(n for n in members))
                        for key, members in group_needles(frozenset(n for _, n in self._whole))]
        self._bit_of = {n: bit for bit, n in self._whole}
        self._candidates: dict[int, tuple[tuple[Needle, ...], tuple[Needle, ...]]] = {}

    def of_pieces(self, pieces: list[str]) -> list[int]:
        """The bits of each piece: whole needles found in it, parts of needles it holds.
        Each string is first looked for in all the pieces at once (joined by a newline,
        which no needle holds), then in each piece only when it is there."""
        bits = [0] * len(pieces)
        text = "\n".join(pieces)
        for key, members in self._groups:
            if key in text:
                for i, piece in enumerate(pieces):
                    if key in piece:
                        for needle in members:
                            if needle.found_in(piece):
                                bits[i] |= self._bit_of[needle]
        for part, bit in self._parts:
            if part in text:
                for i, piece in enumerate(pieces):
                    if part in piece:
                        bits[i] |= bit
        return bits

    def candidates(self, bits: int) -> tuple[tuple[Needle, ...], tuple[Needle, ...]]:
        """For an item whose pieces' bits OR to ``bits``: the needles it holds, and those
        it may hold (all their parts are there), to look for in its text."""
        known = self._candidates.get(bits)
        if known is None:
            if len(self._candidates) > 10_000:
                self._candidates.clear()
            known = self._candidates[bits] = (
                tuple(n for bit, n in self._whole if bits & bit),
                tuple(n for need, n in self._spanning if bits & need == need))
        return known

    def present(self, bits: int, text: str) -> frozenset:
        """The needles in ``text``, an item whose pieces' bits OR to ``bits``."""
        held, maybe = self.candidates(bits)
        return frozenset([*held, *(n for n in maybe if n.found_in(text))])
