"""The runs of capitalised words and codes in an item's opening that can hold a name.

A name read from its context (``reference_context``) starts at a capitalised word no common
word of French or English is ("Nordson", "HandySCAN"), a company's head word ("Robotics"), a
code ("W16"), or the first capitalised word after a frame's word ("le fabricant Rational").
This module finds those places, keeps the ones some frame can hold (a test of the words
around them, cheaper than reading the run) and cuts the runs there into (token, position)
lists; whether a run names an organisation or a product is ``reference_context``'s question.
It is apart because finding candidates is a scan of the whole opening, tuned for speed, while
reading them is a set of frames tried on a few runs.
"""
from __future__ import annotations

import re

from veille.framed_names import apposed_type
from veille.name_frames import OPENING, frame_word, last_words, type_after
from veille.name_lexicon import (
    BEFORE_WORDS,
    HEADS,
    LEGAL,
    OPENERS,
    TOKEN,
    TRIGGERS,
    TYPE_WORDS,
    VERB_PREFIXES,
    common,
    frequencies,
    is_code,
    name_start,
    plain,
)
from veille.reference_text import Text

_RUN = re.compile(rf"(?<![\w&+/.,-]){TOKEN}(?: {TOKEN}){{0,4}}(?![\w&+-]|[.,]\d)")   # not "Industrie 4.0"


def split_run(run: list[tuple[str, int]], folded: str = "") -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """A run's words before its first model code (openers and a legal form dropped), and
    the tokens from that code on: "The Haas UMC-500" -> [Haas], [UMC-500]; with the text
    (``folded``), a French article or particle in capitals inside a sentence opens the name
    ("le fabricant de chaudières De Dietrich Thermique", "selon Le Parisien")."""
    k = len(run)
    for i, (token, _) in enumerate(run):
        if is_code(token):
            k = i
            break
    words, rest = run[:k], run[k:]
    words = words[name_start([token for token, _ in words]):]
    while words and (words[0][0] in OPENERS or words[0][0].endswith("-based")) \
            and not (len(words) > 1 and words[0][0] in _PARTICLES and _inside_sentence(folded, words[0][1])):
        words = words[1:]
    while words and (words[-1][0] in LEGAL or len(words[-1][0]) == 1 and len(words) > 1):
        words = words[:-1]                   # "Meccanotek S.p.A.", "Nordson Inc"
    return words, rest


_PARTICLES = frozenset("De Du Des Le La Les".split())


def _inside_sentence(folded: str, at: int) -> bool:
    """Whether a word at ``at`` follows a word in small letters or a comma of its sentence."""
    before = folded[max(0, at - 2):at]
    return len(before) == 2 and before[1] == " " and (before[0].islower() or before[0] == ",")


def run_span(tokens: list[tuple[str, int]]) -> tuple[int, int]:
    return tokens[0][1], tokens[-1][1] + len(tokens[-1][0])


def capitalised_runs(t: Text) -> list[list[tuple[str, int]]]:
    """The runs of capitalised words and codes in the opening that can hold a name, as
    (token, position) lists: the runs around its rare capitalised words and head words."""
    runs, end, folded = [], -1, t.folded
    for at, framed in _rare_places(t):
        if at < end or not framed and not _worth(folded, at):
            continue                         # inside the run just read, or framed by nothing
        m = _RUN.match(folded, _run_start(folded, at))
        if m is None or m.end() <= at:
            continue
        runs += _cut(t, m, keep=framed)
        end = m.end()
    return runs


def _rare_places(t: Text) -> list[tuple[int, bool]]:
    """Where the opening's capitalised words that can open a name start, in order, with
    whether a frame word comes before them: rare words (no common French or English word:
    "Nordson", "HandySCAN", "GXO"), company head words ("Robotics"), codes ("W16"), and the
    first capitalised word after a frame's or a product type's word ("le fabricant Rational",
    "le bras de mesure Absolute Arm 8525")."""
    folded, places, end = t.folded, [], 0
    for word, code in _CAPITALISED_CODE.findall(folded, 0, OPENING):
        # the match starts at the first capital after the one before: where its word is next
        at = folded.find(word, end)
        end = at + len(word) + len(code)
        kind = 2 if code else _KINDS.get(word)
        if kind is None:
            if len(_KINDS) > 65536:
                _KINDS.clear()               # bounded, as a cache
            kind = _KINDS[word] = _capital_kind(word)
        if kind == 2:
            places.append((at, False))           # "W16", "Power Focus 8", "Robotics"
        elif kind == 1:
            if not _plain_opening(folded, at, end) and not (at >= 2 and folded[at - 1] == "'" and folded[at - 2] in "OD"):
                places.append((at, False))       # "Nordson", "HandySCAN", "GXO"; not "O'Neill"
    places += _after_triggers(t)
    places.sort()
    return places


def _plain_opening(folded: str, at: int, end: int) -> bool:
    """A sentence's first word followed by an ordinary word that is no verb nor "and" ("Proca
    natriefor titer."): no frame can hold it, ruled out before any run is read."""
    if at >= 2 and folded[at - 2] not in ".!?" and folded[at - 1] != "\n" or folded[end:end + 1] != " ":
        return False                         # a line's first word opens a sentence too
    following = folded[end + 1:end + 12].split(" ", 1)[0]
    return following[:1].islower() and following[:3] not in VERB_PREFIXES and not _and_a_name(folded, end)


def _and_a_name(folded: str, end: int) -> bool:
    """Whether "and" and a capitalised word follow a word ending at ``end`` ("Serfim et Eiffage")."""
    if not folded.startswith((" et ", " and "), end):
        return False
    at = end + 4 + (folded[end + 1] == "a")
    return folded[at:at + 1].isupper()


def _after_triggers(t: Text) -> list[tuple[int, bool]]:
    """The first capitalised word or code within a few words after each frame or type word of
    the opening (the frame itself is checked later, on the run found there)."""
    folded = t.folded
    if not t.plain:     # no word positions to look through: every capitalised word is a candidate
        return [(m.start(), True) for m in _CAPITALISED.finditer(folded, 0, OPENING)
                if m.group() not in OPENERS]
    triggers = t.words.intersection(TRIGGERS)
    if not triggers:
        return []
    spaced, places = t.spaced, []
    for word in triggers:
        i = spaced.find(word, 0, OPENING)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or spaced[i - 1] == 32) and spaced[j:j + 1] in (b" ", b""):
                m = _NEXT_CAPITAL.search(folded, j, j + 45)
                if m and "." not in folded[j:m.start()]:
                    places.append((m.start(), True))
            i = spaced.find(word, j, OPENING)
    return places


_NEXT_CAPITAL = re.compile(r"(?<![\w-])[A-Z0-9]")


_CAPITALISED = re.compile(r"[A-Z][A-Za-z]*")
_CAPITALISED_CODE = re.compile(r"([A-Z][A-Za-z]*)( ?\d)?")


_KINDS: dict[str, int] = {}   # _capital_kind of the words seen (a dict lookup costs less than a call)


def _capital_kind(word: str) -> int:
    """2: a company head word; 1: a rare word (no common French or English word); 0: else."""
    if word in HEADS:
        return 2
    return 1 if len(word) > 1 and word.lower() not in frequencies()[0] else 0

_TOKEN_TAIL = re.compile(r"[\w&+/-]*")


def _worth(folded: str, at: int) -> bool:
    """Whether any frame can hold the capitalised word at ``at`` (a test of the words around
    it, before the run is read): the run goes on or began before it, a possessive, a verb,
    "and", an apposed product type after it or a frame's last word before it."""
    end = _TOKEN_TAIL.match(folded, at).end()
    after = folded[end:end + 2]
    if after[:1] == "'" or len(after) == 2 and after[0] == " " and (after[1].isupper() or after[1].isdigit()):
        return True
    if at >= 2 and folded[at - 1] == " ":
        before = _token_start(folded, at - 1)
        if before < at - 1 and (folded[before].isupper() or folded[before].isdigit()):
            return True
    if after[:1] == "," and apposed_type(folded, end):
        return True                          # "GridLens, a platform"
    following = folded[end + 1:end + 12].split(" ", 1)[0]
    if after[:1] == " " and (following[:3] in VERB_PREFIXES or _and_a_name(folded, end)
                             or type_after(folded, end)):
        return True
    if at < 2 or folded[at - 2] in ".!?" or folded[at - 1] == "\n":
        return False                         # a sentence's (or line's) first word: no frame before it
    for word in last_words(folded, at)[-4:]:
        framing = _FRAMING.get(word)
        if framing is None:
            if len(_FRAMING) > 65536:
                _FRAMING.clear()             # bounded, as a cache
            framing = _FRAMING[word] = word in BEFORE_WORDS or frame_word(word) or word.rstrip("s") in TYPE_WORDS \
                or word[-1:] in ",;("
        if framing:
            return True
    return False


_FRAMING: dict[str, bool] = {}   # whether a word before a capitalised word can end a frame


def _token_start(folded: str, at: int) -> int:
    """Where the token holding the character at ``at - 1`` starts."""
    while at > 0 and (folded[at - 1].isalnum() or folded[at - 1] in "&+/-_"):
        at -= 1
    return at


def _run_start(folded: str, at: int) -> int:
    """Where the run holding the word at ``at`` starts: back to its token's start, then over
    up to four capitalised words or codes before it."""
    start = _token_start(folded, at)
    for _ in range(4):
        if start < 2 or folded[start - 1] != " ":
            break
        before = _token_start(folded, start - 1)
        if before == start - 1 or not _TOKEN_START.match(folded, before):
            break
        start = before
    return start


_TOKEN_START = re.compile(TOKEN + r"(?= )")


def _cut(t: Text, m: re.Match, keep: bool = False) -> list[list[tuple[str, int]]]:
    """A run matched as (token, position) lists: a line break ends a run (a title's last
    words and the summary's first are two runs); one common word is no run unless ``keep``
    (a frame names it: "le fabricant Rational")."""
    text, folded = m.group(), t.folded
    if " " not in text and (text in OPENERS or not keep and plain(text) and common(text)):
        return []                            # one common word ("Le", "Mardi", "Robots"): no name
    at, run, runs = m.start(), [], []
    for token in text.split(" "):
        if run and t.original[at - 1] in "\n\r":
            runs.append(run)
            run = []
        if run and (counted := _COUNTED.fullmatch(token)) and common(counted.group(1)):
            break                            # "UMC-400 5-Axis Machining Center": what follows describes it
        run.append((token, at))
        at += len(token) + 1
    if len(run) > 1 and len(run[-1][0]) == 1 and folded.startswith("'", m.end()):
        run.pop()                            # "chez Drouant L'Académie": an elided article
    if len(run) > 1 and run[-1][0].isdigit() and _QUANTITY_AFTER.match(folded, m.end()):
        run.pop()                            # "took Kestrel Valves 18 months": a quantity, no model
    return runs + [run]


# a number and what it counts in one token, in small letters: "5-axis", "6-axes" (not "7-Axis", a name's)
_COUNTED = re.compile(r"\d+-([a-z]+)")

# what a number counts, after a name: "Kestrel Valves 18 months", "Haulotte 30 salariés"
_QUANTITY_AFTER = re.compile(r" (?:months?|years?|weeks?|days?|hours?|minutes?|mois|ans|annees|semaines|jours|"
                             r"heures|employees|staff|people|workers|salaries|personnes|emplois|jobs|percent|pour ?cent)\b")


def run_at(t: Text, at: int, keep: bool = False) -> list[tuple[str, int]] | None:
    """The run starting at ``at``, if one does."""
    m = _RUN.match(t.folded, at)
    runs = _cut(t, m, keep) if m else []
    return runs[0] if runs else None
