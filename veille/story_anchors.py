"""Story anchors: the distinctive tokens of an item that survive a rewrite.

A trade journal retelling a press release changes most words (MinHash then sees an
estimated Jaccard of 0.1-0.4, below the story threshold) but keeps what names the event:
product and model codes (F5000, S7-1500, ED 6542), text and standard numbers (2026-214,
2023/1230, 13849-1), figures with their unit (30 kg, 2 500 exposants) and proper names
(Visionik, EU-OSHA, SIMATIC). Each is hashed to an int64 *anchor code* whose two low bits
say its kind (a code weighs more than a name). What weighs is rarity among the items of the
same weeks: "2023/1230" or "ISO" are cited by many different news items, "2026-214" or
"F5000" by the few items telling one event (``AnchorIndex.probe`` counts them).

Extraction reads title and summary only, accents folded, case kept (capitals mark names):
cheap enough to run for every item in ingest's worker process.
"""
from __future__ import annotations

import re
import zlib
from datetime import date
from functools import lru_cache
from typing import Sequence

import numpy as np

from veille.story_index import Runs, expand

CODE, NUMBER, FIGURE, NAME = 0, 1, 2, 3
KIND_WEIGHT = np.array([1.0, 0.7, 0.7, 0.25])   # per kind, chosen on the demo's story groups
_DAY_BITS = 16                                   # days since 2000: 179 years in the low bits

# a token from its first capital or digit on ("2 500" is 2500): most words have neither.
# The pattern opens on one character class (the thousands' digits are told apart after it)
# so that the regex engine skips to the next capital or digit in C instead of trying both
# alternatives at every character; and a plain word opening a sentence ("Le", "The"), the
# most frequent candidate and never an anchor (see anchor_tokens), fails at its first letter.
_CANDIDATE = re.compile(r"[A-Z0-9](?:(?<=[0-9])[0-9]{0,2}(?: [0-9]{3})+(?![0-9])"
                        r"|(?!(?:(?<=^[A-Z])|(?<=[.:;!?] [A-Z])|(?<=[.:;!?][A-Z]))"
                        r"[a-z]+(?![A-Za-z0-9]|[-/.:][A-Za-z0-9]))"
                        r"[A-Za-z0-9]*(?:[-/.:][A-Za-z0-9]+)*)")
_DIGIT = re.compile(r"[0-9]")
# the word before a number, read backwards: its last letters, after what is no letter nor
# digit (matched at the start of the reversed text: searching for it at the end tried every
# character of the text before)
_PREVIOUS = re.compile(r"[^A-Za-z0-9]*([A-Za-z]+)")
_NEXT = re.compile(r"[ ]*([A-Za-z%]+(?:/[a-z]+)?)")      # the word (or unit) after it
_MONTHS = frozenset("""janvier fevrier mars avril mai juin juillet aout septembre octobre novembre
decembre january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_UNITS = frozenset("""kg g t mm cm m km kw mw gw w kwh mwh gwh v kv a bar nm hz ghz mhz m/s % eur
euros usd dollars tonnes tons ans years heures hours jours days ms um exposants exhibitors
salaries employees emplois jobs postes sites usines plants robots""".split())
# capitalised in headlines and institutions' names whatever the event: not distinctive
_COMMON_CAPS = frozenset("""le la les un une des du de et en au aux pour sur dans avec par ce cet
cette ces selon apres avant lors the an and of for in on with by to from at as its it this that
our new how why what when eu ue commission journal officiel union europeenne european parliament
parlement conseil council etat state government gouvernement ministere ministry france french
europe""".split()) | _MONTHS
_SENTENCE_END = frozenset(".:;!?")


def _is_year(token: str) -> bool:
    return len(token) == 4 and token[:2] in ("19", "20")


def anchors(folded_title: str, folded_summary: str) -> list[int]:
    """The anchor codes (sorted, distinct) of an item's title and summary, both already
    folded to plain letters (``references.fold``) with their capitals kept."""
    return sorted({_code(token, kind) for token, kind in anchor_tokens(folded_title, folded_summary)})


def anchor_tokens(folded_title: str, folded_summary: str) -> set[tuple[str, int]]:
    """The anchors of an item as (token, kind): ``anchors`` before hashing. Only tokens
    with a capital or a digit are visited (most words of a text have neither)."""
    found: set[tuple[str, int]] = set()
    for part, text in enumerate((folded_title, folded_summary)):
        claimed = _amounts(text, found) if _may_hold_amounts(text) else ()
        opening = _OPENING.match(text)
        if opening and _rare(word := opening.group(1)):
            found.add((word.lower(), NAME))
        for m in _CANDIDATE.finditer(text):
            word, pos = m.group(), m.start()
            if claimed and any(a <= pos < b for a, b in claimed):
                continue
            if pos and text[pos - 1].isalpha():      # "v3.1", "eCobot": the word's start
                while pos and text[pos - 1].isalpha():
                    pos -= 1
                word = text[pos:m.start()] + word
            # most candidates are words: no digit search for them
            if not word.isalpha() and _DIGIT.search(m.group()):
                anchor = _numeric_at(word.replace(" ", "").lower(), text, pos, m.end())
                if anchor:
                    found.add(anchor)
            elif _is_name(word, pos, text, headline=part == 0):
                found.add((word.lower(), NAME))
    return found


@lru_cache(maxsize=64)
def _title_case(title: str) -> bool:
    """An English headline capitalises every word: its capitals mark no name. (Cached: asked
    once per capitalised word of the title, and only for those.)"""
    plain = [w for w in title.split() if w[0].isalpha() and w.lower().strip(",:;.!?") not in _COMMON_CAPS]
    return bool(plain) and sum(w[0].isupper() for w in plain) > 0.6 * len(plain)


def _is_name(word: str, pos: int, text: str, *, headline: bool) -> bool:
    """A capitalised word not at a sentence start (where every word is capitalised) nor in
    an English title-case headline; an acronym counts anywhere."""
    low = word.lower()         # may be longer than the word: "İ" lowers to two characters
    if len(low) < 3 or not word[0].isupper() or low in _COMMON_CAPS:
        return False
    if word.isupper():
        return True
    if not pos or text[max(0, pos - 4):pos].rstrip()[-1:] in _SENTENCE_END:
        return False
    # a headline capitalises every word: only the rare ones are names there
    return not (headline and _title_case(text)) or _rare(word)


@lru_cache(maxsize=1 << 14)
def _rare(word: str) -> bool:
    """Not a common French or English word (nor one capitalised whatever the event): a
    capitalised word that is a name even where every word is capitalised ("Rexroth buys
    Kollmorgen")."""
    low = word.lower()
    if len(low) < 3 or low in _COMMON_CAPS:
        return False
    common = _common()
    return any(part not in common for part in low.split("-"))   # "High-Temperature": no


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    from veille.common_words import common_sets
    return common_sets()[0]


# the first word of a title or summary, capitalised and plain: a name when rare (see _rare)
_OPENING = re.compile(r"([A-Z][a-z]+)(?![A-Za-z0-9]|[-/.:][A-Za-z0-9])")
# an amount: a number, its magnitude, a currency or a percent sign, however written
# ("$10 billion", "10bn $", "4,6 milliards d'euros", "100 000 EUR", "GBP400k", "5 percent")
_MAGNITUDES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "million": 1e6, "millions": 1e6,
               "md": 1e9, "mds": 1e9, "mrd": 1e9, "bn": 1e9, "b": 1e9, "milliard": 1e9,
               "milliards": 1e9, "billion": 1e9, "billions": 1e9, "thousand": 1e3}
_AMOUNT = re.compile(
    r"(?P<num>[0-9](?<![0-9.,][0-9])(?:[0-9]{0,2}(?:[ ,\u202f\u00a0][0-9]{3})+(?![0-9])|[0-9]*(?:[.,][0-9]+)?))"
    r"(?: ?(?P<mag>(?i:k|mn|mln|millions?|mds?|mrd|bn|b|milliards?|billions?|thousand|m))(?![a-zA-Z]))?"
    r"(?P<after> ?(?:[$\u00a3\u20ac]|(?:d'|de )?(?:euros?|dollars)\b|EUR\b|USD\b)"
    r"| ?(?:%|percent\b|pour ?cent\b))?")
_CURRENCY = frozenset("$\u00a3\u20ac")
# What any amount ``_amounts`` keeps has besides its digits: a currency or percent sign
# (anywhere: "$10bn" has it before), or right after a digit, a magnitude other than k, m, b
# (a bare "1 m" or "30 k" is not one) or a currency or percent word, with a magnitude between
# maybe. Most texts with digits have none (dates, codes, standards' numbers): their numbers
# are not visited twice.
_AMOUNT_WORD = re.compile(r"[0-9] ?(?:(?i:mn|mln|million|md|mrd|bn|milliard|billion|thousand)"
                          r"|(?i:k|m|b)? ?(?:d'|de )?(?:euro|dollars|EUR|USD|percent|pour ?cent))")


# A Latin-1 text's bytes with its digits as "0" and its ASCII letters lowercased (in Latin-1,
# ignoring case matches ASCII letters with ASCII letters only), spaces and apostrophes kept,
# every other character ".": the same words as _AMOUNT_WORD's, lowercased, found there.
_LOWERED = bytes(48 if 48 <= b <= 57 else b | 0x20 if 65 <= b <= 90 else b if b in b" 'abcdefghijklmnopqrstuvwxyz"
                 else 46 for b in range(256))
_LOWERED_WORD = re.compile(rb"0 ?(?:mn|mln|million|md|mrd|bn|milliard|billion|thousand"
                           rb"|[kmb]? ?(?:d'|de )?(?:euro|dollars|eur|usd|percent|pour ?cent))")


def _may_hold_amounts(text: str) -> bool:
    """Whether ``_amounts`` may find any amount in a text. Digits and signs are tested with
    ``in`` (a C scan for one character each); the words in the text's _LOWERED bytes, where
    a search skips from digit to digit in C: searching the text itself tries every character,
    10 times slower."""
    if not ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text
            or "5" in text or "6" in text or "7" in text or "8" in text or "9" in text):
        return False
    if "$" in text or "%" in text or "\u00a3" in text or "\u20ac" in text:
        return True
    try:
        return _LOWERED_WORD.search(text.encode("latin-1").translate(_LOWERED)) is not None
    except UnicodeEncodeError:   # other scripts
        return _AMOUNT_WORD.search(text) is not None


def _amounts(text: str, found: set[tuple[str, int]]) -> list[tuple[int, int]]:
    """Add the amounts and percentages of a text to ``found`` as figures keyed by their value
    ("$10bn" and "10 billion dollars" meet; "32,5 M\u20ac" is 32.5 million), and answer the
    spans they cover: the other anchors skip them."""
    spans = []
    for m in _AMOUNT.finditer(text):
        start = m.start()       # a currency sign before: "$10bn", "\u20ac 4 M"
        cur = text[start - 1:start] in _CURRENCY or text[start - 2:start - 1] in _CURRENCY and start > 1
        mag, after = (m.group("mag") or "").lower(), m.group("after") or ""
        money = bool(cur) or bool(after and after.strip()[:1] not in "%pP")
        if not (money or after or mag not in ("", "k", "m", "b")):
            continue            # a bare number: the other rules say whether it anchors
        if mag in ("k", "m", "b") and not money:
            continue            # "1 m" is a length, "30 k" a speed: not an amount
        num = m.group("num")
        if re.fullmatch(r"[0-9]{1,3}(?:[ ,\u202f\u00a0][0-9]{3})+", num):
            value = float(re.sub(r"[^0-9]", "", num))
        else:
            value = float(num.replace(",", "."))
        value *= _MAGNITUDES.get(mag, 1.0)
        percent = not money and bool(after)
        found.add((f"{value:.6g}{'%' if percent else '='}", FIGURE))
        spans.append((start, m.end()))
    return spans


def _numeric_at(low: str, text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The anchor of the token with a digit written at text[pos:end], given the words
    around it."""
    before = _PREVIOUS.match(text[max(0, pos - 24):pos][::-1])
    word = before.group(1)[::-1] if before else ""
    after = _NEXT.match(text, end)
    return _numeric(low, word.lower(), word, after.group(1).lower() if after else "")


def _numeric(low: str, prev: str, prev_written: str, nxt: str) -> tuple[str, int] | None:
    """A token with a digit as an anchor: a code, a number or a figure with its unit; None
    for dates, years and small bare numbers (every text has some)."""
    core = low.split(":")[0].rstrip(".")
    if not core.isdigit():      # "3d", "5g": a generic term, not a model's code
        return core, CODE if len(core) > 2 else NAME
    if _is_year(core) or prev in _MONTHS or nxt in _MONTHS:
        return None
    if nxt in _UNITS:
        return core + nxt, FIGURE
    if len(core) < 3:
        return None
    if prev_written.isupper() and prev.isalpha() and len(prev) <= 4:   # "ED 6542", "ISO 9001"
        return prev + core, CODE
    return core, NUMBER


@lru_cache(maxsize=1 << 15)
def _code(token: str, kind: int) -> int:
    """47-bit anchor code: a 45-bit hash of the token, then its kind in the two low bits
    (two tokens meeting on one hash only add a candidate, which is verified anyway). Cached:
    names, codes and figures recur from item to item."""
    raw = token.encode()
    h = (zlib.crc32(raw) << 13) ^ zlib.crc32(raw, 0x5EED)
    return ((h & ((1 << 45) - 1)) << 2) | kind


# What kind of event an item tells, and at which stage: two items naming one company or one
# text tell one story only if they tell the same kind of event (one maker's launch and its
# results share its name) at the same stage (a deal announced and completed, a regulation
# proposed, adopted, published, applying share both names and the text's number). Words of
# both languages, lowercase, accents folded; a bit per kind and per stage.
_EVENTS = {
    "deal": """acquire acquires acquired acquiring acquisition acquisitions acquiert acquis rachat rachete
               racheter rachetera buy buys bought takeover purchase merger fusion cession cede sells sale
               owned deal absorbe offer offre""",
    "funds": """raises raised raising leve levee levees funding round financement finance secures secured
                fundraising investors investisseurs""",
    "launch": """launch launches launched lance lancent lancement unveil unveils unveiled devoile devoilent
                 presente presentent presents presented introduces introduced release releases released
                 gamme range""",
    "site": """open opens opened inaugure inaugurate inaugurates inauguration ouvre ouvrent ouverture plant
               usine factory showroom campus centre center agrandit extension""",
    "fine": """fine fined fines amende condamnee condamne condamnation penalty tribunal court prosecuted""",
    "guide": """guide guidance fascicule brochure recommandation recommandations recommends recommande""",
    "results": """revenue sales ventes results resultats orders commandes semestre semestriel quarter
                  quarterly trimestre trimestriel croissance growth benefice profit loss perte affaires""",
}
_STAGES = {
    "announced": """agree agrees agreed plans plan propose proposes proposed proposal proposition projet
                    draft consultation ballot envisage intends""",
    "done": """complete completes completed closes closed clears finalise finalisee finalized boucle""",
    "adopted": """adopt adopts adopted adopte adoptee vote votes voted approve approves approved""",
    "published": """journal promulgue promulguee parue paru""",
    "in_force": """vigueur force""",
    "applies": """applies applicable applique""",
}
_FACT_BITS = {name: 1 << k for k, name in enumerate([*_EVENTS, *_STAGES])}
STAGE_MASK = sum(_FACT_BITS[name] for name in _STAGES)
# each word cut as shingles are (story_signing.STEM letters) -> the bits it sets
_CUT = 6
FACT_WORDS = 32              # the headline and the lead say what happened: the first words
_WORD_BITS: dict[bytes, int] = {}
for _name, _words in [*_EVENTS.items(), *_STAGES.items()]:
    for _word in _words.split():
        _WORD_BITS[_word[:_CUT].encode()] = _WORD_BITS.get(_word[:_CUT].encode(), 0) | _FACT_BITS[_name]


def facts(words: bytes) -> int:
    """The kinds and stages of event a text tells, one bit each (see _EVENTS, _STAGES), given
    its lowercase words between spaces (story_signing's runs): the OR of ``run_facts`` over
    its first FACT_WORDS words. (Signing gets the same from its vocabulary of runs.)"""
    bits = 0
    for cut in {w[:_CUT] for w in words.split(None, FACT_WORDS)[:FACT_WORDS]}.intersection(_WORD_BITS):
        bits |= _WORD_BITS[cut]
    return bits


def run_facts(run: bytes) -> int:
    """The facts bits one word (a run of story_signing) sets."""
    return _WORD_BITS.get(run[:_CUT], 0)


EVENT_MASK = sum(_FACT_BITS[name] for name in _EVENTS)


def one_event(a: int, b: int) -> bool:
    """Whether two items' facts bits tell one kind of event at no different stages."""
    return bool(a & b & EVENT_MASK) and not other_stage(a, b)


def other_stage(a: int, b: int) -> bool:
    """Whether both items name a stage (announced, completed, adopted...) and no common one."""
    stages_a, stages_b = a & STAGE_MASK, b & STAGE_MASK
    return bool(stages_a and stages_b and not stages_a & stages_b)


def facts_code(bits: int) -> int:
    """An item's facts stored among its anchor codes: negative, so first once sorted and
    never indexed (anchor codes are not)."""
    return -1 - bits


def split_facts(codes: np.ndarray) -> tuple[int, np.ndarray]:
    """(facts bits, anchor codes) of a stored or signed row of codes."""
    if len(codes) and codes[0] < 0:
        return int(-1 - codes[0]), codes[1:]
    return 0, codes


def day_number(published_at: str) -> int:
    """Days from 2000-01-01 to an ISO date-time's day: the time axis of the anchor index."""
    return date.fromisoformat(published_at[:10]).toordinal() - _EPOCH


_EPOCH = date(2000, 1, 1).toordinal()


def weights(codes: np.ndarray, others: np.ndarray, cap: int) -> np.ndarray:
    """Weight of each anchor given how many other recent items carry it: a code another
    item carries weighs 1, shared by 4 others 0.25; beyond ``cap`` others, nothing."""
    w = KIND_WEIGHT[codes & 3] / np.maximum(others, 1)
    return np.where((others >= 1) & (others <= cap), w, 0.0)


class AnchorIndex:
    """Anchor codes of stored items by day: sorted int64 keys ``code << 16 | day`` beside
    item ids, so that the items carrying an anchor within some days of a date are one
    ``searchsorted`` range. Same layout as the band index (story_index.Runs)."""

    def __init__(self) -> None:
        self.runs = Runs()

    def add(self, item_ids: Sequence[int], days: Sequence[int], codes: np.ndarray,
            lengths: Sequence[int]) -> None:
        """Index items: ``codes`` holds their anchors one after the other, ``lengths`` how
        many each."""
        if not len(codes):
            return
        keys = (codes << _DAY_BITS) | np.repeat(np.asarray(days, dtype=np.int64), lengths)
        ids = np.repeat(np.asarray(item_ids, dtype=np.int64), lengths)
        anchor = codes >= 0                 # facts codes are not anchors
        self.runs.add(keys[anchor], ids[anchor])

    def probe(self, codes: np.ndarray, days: np.ndarray, *, count_days: int, near_days: int,
              cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For anchors ``codes`` of items published on ``days`` (parallel arrays): how many
        indexed items carry each within ``count_days``, and the (position, item id) pairs of
        those within ``near_days`` for the anchors carried by at most ``cap`` items."""
        counts = np.zeros(len(codes), dtype=np.int64)
        positions, ids = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        base = codes << _DAY_BITS
        for run in self.runs:
            counts += (np.searchsorted(run.keys, base | (days + count_days), "right")
                       - np.searchsorted(run.keys, base | np.maximum(days - count_days, 0), "left"))
        for run in self.runs:
            lo = np.searchsorted(run.keys, base | np.maximum(days - near_days, 0), "left")
            hi = np.searchsorted(run.keys, base | (days + near_days), "right")
            take = (hi > lo) & (counts <= cap)
            if take.any():
                pos, found = expand(np.flatnonzero(take), lo[take], hi[take], run.ids)
                positions.append(pos)
                ids.append(found)
        return counts, np.concatenate(positions), np.concatenate(ids)


def scores(codes: Sequence[np.ndarray], days: Sequence[int], ids: Sequence[int],
           stored_counts: Sequence[np.ndarray], stored_near: Sequence[dict[int, list[int]]], *,
           count_days: int, near_days: int, cap: int) -> list[dict[int, float]]:
    """Per batch item (in order), the anchor score of each item published within
    ``near_days`` of it, stored or earlier in the batch, that shares anchors with it: the sum
    of the shared anchors' weights, rarity counted over the stored items
    (``stored_counts``, ``stored_near``: AnchorIndex.probe's answer) and the batch's earlier
    items within ``count_days``."""
    out: list[dict[int, float]] = [{} for _ in codes]
    listed = [c.tolist() for c in codes]
    carriers: dict[int, list[int]] = {}      # anchor code -> rows of the batch so far
    # an item shares nothing unless a stored item near it does or one of its codes is
    # carried by another item of the batch: most items, whose score is settled here; and
    # scores nothing unless what it shares is more than names (see _scored)
    for n, strong in _sharing_rows(listed, stored_near):
        if strong:
            earlier = [[r for r in carriers.get(c, ()) if abs(days[r] - days[n]) <= count_days]
                       for c in listed[n]]
            # a code the batch shares weighs nothing beyond ``cap`` carriers (a common one)
            held = np.asarray(stored_counts[n]).tolist()
            if stored_near[n] or any(e and h + len(e) <= cap for h, e in zip(held, earlier)):
                out[n] = _scored(codes[n], earlier, days, n, ids, stored_counts[n], stored_near[n],
                                 near_days=near_days, cap=cap)
        for c in listed[n]:
            carriers.setdefault(c, []).append(n)
    return out


def _sharing_rows(listed: list[list[int]], stored_near: Sequence[dict]) -> list[tuple[int, bool]]:
    """The batch rows (in order) near a stored item sharing anchors, or carrying a code
    another row carries, each with whether a code it shares is more than a name: every
    other row's score is empty, and so is the score of a row sharing names only."""
    seen: set[int] = set()
    shared: set[int] = set()
    for row in listed:
        for c in row:
            (shared if c in seen else seen).add(c)
    strong = {c for c in shared if c & 3 != NAME}
    return [(n, not strong.isdisjoint(row) or any(row[k] & 3 != NAME for positions in stored_near[n].values()
                                                  for k in positions))
            for n, row in enumerate(listed) if stored_near[n] or not shared.isdisjoint(row)]


def _scored(item_codes: np.ndarray, earlier: list[list[int]], days: Sequence[int], n: int,
            ids: Sequence[int], stored_counts: np.ndarray, stored_near: dict[int, list[int]], *,
            near_days: int, cap: int) -> dict[int, float]:
    """One row's scores given, per anchor, the earlier rows of the batch carrying it within
    the count window (``scores``)."""
    w = weights(item_codes, np.asarray(stored_counts) + [len(e) for e in earlier], cap)
    kinds = item_codes & 3
    found = {other: (float(w[positions].sum()), bool((kinds[positions] != NAME).any()))
             for other, positions in stored_near.items()}
    for k, (weight, rows) in enumerate(zip(w.tolist(), earlier)):
        for r in rows if weight else ():
            if abs(days[r] - days[n]) <= near_days:
                score, strong = found.get(ids[r], (0.0, False))
                found[ids[r]] = (score + weight, strong or kinds[k] != NAME)
    # names alone do not make a story: one maker's or body's different news share them
    return {other: score for other, (score, strong) in found.items() if strong and score > 0}
