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

from veille import story_headlines
from veille.reference_text import fold
from veille.story_index import Runs, expand

CODE, NUMBER, FIGURE, NAME = 0, 1, 2, 3
KIND_WEIGHT = np.array([1.0, 0.7, 0.7, 0.25])   # per kind, chosen on the demo's story groups
_DAY_BITS = 16                                   # days since 2000: 179 years in the low bits

# a token from its first capital or digit on ("2 500" and "2,500" are 2500): most words have neither.
# The pattern opens on one character class (the thousands' digits are told apart after it)
# so that the regex engine skips to the next capital or digit in C instead of trying both
# alternatives at every character; and a plain word opening a sentence ("Le", "The"), the
# most frequent candidate and never an anchor (see anchor_tokens), fails at its first letter.
_CANDIDATE = re.compile(r"[A-Z0-9](?:(?<=[0-9])[0-9]{0,2}(?:[ ,][0-9]{3})+(?![0-9])"
                        r"|(?<=[0-9])[0-9]*,[0-9]{1,2}(?![0-9])"     # a French decimal comma: "1,2 MWc"
                        r"|(?!(?:(?<=^[A-Z])|(?<=[.:;!?] [A-Z])|(?<=[.:;!?][A-Z]))"
                        r"[a-z]+(?![A-Za-z0-9]|[-/.:][A-Za-z0-9]))"
                        r"[A-Za-z0-9]*(?:[-/.:][A-Za-z0-9]+)*)")
_DIGIT = re.compile(r"[0-9]")
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
# the word before a number (its last letters, with no digit between), matched on the 24
# characters before it reversed: the same word as ``([A-Za-z]+)[^A-Za-z0-9]*$`` searched
# forwards, which retried every start and backtracked over every word (1.4 us a number)
_PREVIOUS_REVERSED = re.compile(r"[^A-Za-z0-9]*([A-Za-z]+)")
_NEXT = re.compile(r"[ ]*([A-Za-z%]+(?:/[a-z]+)?)")      # the word (or unit) after it
_MONTHS = frozenset("""janvier fevrier mars avril mai juin juillet aout septembre octobre novembre
decembre january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec""".split())
_UNITS = frozenset("""kg g t mm cm m km kw mw gw w kwh mwh gwh kwc mwc gwc wc kva mva v kv a ah kah bar nm hz ghz mhz m/s % eur
euros usd dollars tonnes tons ans years heures hours jours days ms um exposants exhibitors
salaries employees emplois jobs postes sites usines plants robots million millions milliard milliards
billion billions""".split())
# capitalised in headlines and institutions' names whatever the event: not distinctive
_COMMON_CAPS = frozenset("""le la les un une des du de et en au aux pour sur dans avec par ce cet
cette ces selon apres avant lors the an and of for in on with by to from at as its it this that
our new how why what when eu ue commission journal officiel union europeenne european parliament
parlement conseil council etat state government gouvernement ministere ministry france french
europe regulation reglement directive act""".split()) | _MONTHS
_SENTENCE_END = frozenset(".:;!?")


def _is_year(token: str) -> bool:
    return len(token) == 4 and token[:2] in ("19", "20")


def anchors(folded_title: str, folded_summary: str) -> list[int]:
    """The anchor codes (sorted, distinct) of an item's title and summary, both already
    folded to plain letters (``references.fold``) with their capitals kept."""
    return sorted({_code(token, kind) for token, kind in anchor_tokens(folded_title, folded_summary)})


def anchor_tokens(folded_title: str, folded_summary: str) -> set[tuple[str, int]]:
    """The anchors of an item as (token, kind): ``anchors`` before hashing. Only tokens
    with a capital or a digit are visited (most words of a text have neither). A name is a
    capitalised word not at a sentence start (where every word is capitalised) nor in an
    English title-case headline; an acronym counts anywhere. (The name tests are written
    here, not in a function: most candidates are names to test, and a call each cost more
    than the test.)"""
    found: set[tuple[str, int]] = set()
    for headline, text in ((True, folded_title), (False, folded_summary)):
        for m in _CANDIDATE.finditer(text):
            word, pos = m.group(), m.start()
            if pos and text[pos - 1].isalpha():      # "v3.1", "eCobot": the word's start
                while pos and text[pos - 1].isalpha():
                    pos -= 1
                word = text[pos:m.start()] + word
            # most candidates are words: no digit search for them
            if not word.isalpha() and _DIGIT.search(word):
                anchor = _numeric_at(_number(word).lower(), text, pos, m.end())
                if anchor:
                    found.add(anchor)
                continue
            low = word.lower()     # may be longer than the word: "İ" lowers to two characters
            if len(low) < 3 or not word[0].isupper() or low in _COMMON_CAPS:
                continue
            if word.isupper() or (pos and text[max(0, pos - 4):pos].rstrip()[-1:] not in _SENTENCE_END
                                  and not (headline and _title_case(text))):
                found.add((low, NAME))
    return found


def _act_number(core: str) -> str:
    """An EU act's number as references.yaml keys it: "2006/42/ce" is 2006/42."""
    return core.rsplit("/", 1)[0] if core.count("/") == 2 else core


@lru_cache(maxsize=1)
def _named_acts() -> frozenset[str]:
    """The EU acts known by a common name (the Machinery Regulation's 2023/1230): two
    different events citing one of them share it, a training course and a decree adapting
    the law to it, so it weighs as a name does. Read when a code with a "/" is first met:
    the names' data is loaded then in the process extraction runs in."""
    from veille.references import named_acts

    return named_acts()


@lru_cache(maxsize=1)
def _designators() -> frozenset[str]:
    """The standards bodies' designators (``name_lexicon.DESIGNATORS``: ISO, EN, IEC, ANSI...),
    lowercased. A standard's number written after one weighs as a name: a standard is the
    field's vocabulary, as an act with a common name is (a course, a vendor's launch and the
    standard's publication cite "ISO 14001:2026" alike; rare in a new database, the number
    would join them). Read when such a number is first met, as the acts' names are."""
    from veille.name_lexicon import DESIGNATORS

    return frozenset(d.lower() for d in DESIGNATORS)


def _after_standards_body(text: str, pos: int) -> bool:
    """Whether the word before ``pos`` is a standards body's designator, in capitals ("ISO",
    "EN", "IEC"; not the preposition "en")."""
    before = _PREVIOUS_REVERSED.match(text[max(0, pos - 24):pos][::-1])
    return before is not None and before.group(1).isupper() and before.group(1)[::-1].lower() in _designators()


def _number(token: str) -> str:
    """A token with digits as written without its thousands' separators, a decimal comma
    made a point: "2 500" and "2,500" are 2500, "1,2" is 1.2."""
    if "," in token and _DECIMAL_COMMA.fullmatch(token):
        return token.replace(",", ".")
    return token.replace(" ", "").replace(",", "")


_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]{1,2}")


@lru_cache(maxsize=64)
def _title_case(title: str) -> bool:
    """An English headline capitalises every word: its capitals mark no name. (Cached: asked
    once per capitalised word of the title, and only for those.)"""
    plain = [w for w in title.split() if w[0].isalpha() and w.lower().strip(",:;.!?") not in _COMMON_CAPS]
    return bool(plain) and sum(w[0].isupper() for w in plain) > 0.6 * len(plain)


def _numeric_at(low: str, text: str, pos: int, end: int) -> tuple[str, int] | None:
    """The anchor of the token with a digit written at text[pos:end] (``low``: lowercased,
    its spaces off): a code, a number or a figure with its unit; None for dates, years and
    small bare numbers (every text has some). The words around it are read only when the
    answer depends on them: a code or a year needs neither, a small bare number not the
    word before (three tokens in four)."""
    core = low.split(":")[0].rstrip(".")
    if not core.isdigit():
        if _DECIMAL.fullmatch(core) and (after := _NEXT.match(text, end)) and after.group(1).lower() in _UNITS:
            return core + after.group(1).lower(), FIGURE      # "7.5 kW"
        if "/" in core and _act_number(core) in _named_acts():
            return core, NAME       # "2023/1230": cited by news of every kind, as a name is
        if core[0].isdigit() and _after_standards_body(text, pos):
            return core, NAME       # "ISO 10218-1", "EN 60204-1": a standard is vocabulary too
        return core, CODE
    if _is_year(core):
        return None
    after = _NEXT.match(text, end)
    nxt = after.group(1).lower() if after else ""
    if nxt in _MONTHS or (len(core) < 3 and nxt not in _UNITS):
        return None
    before = _PREVIOUS_REVERSED.match(text[max(0, pos - 24):pos][::-1])
    written = before.group(1)[::-1] if before else ""
    prev = written.lower()
    if prev in _MONTHS:
        return None
    if nxt in _UNITS:
        return core + nxt, FIGURE
    if written.isupper() and prev.isalpha() and len(prev) <= 4:   # "ED 6542", "ISO 9001"
        return prev + core, NAME if prev in _designators() else CODE     # "ISO 9001" a name
    return core, NUMBER


def conflicting(a: tuple[str, str], b: tuple[str, str]) -> bool:
    """Whether two items, (title, summary) each, tell two events: their headlines state two
    steps of one rule or deal or two kinds of event (``story_headlines.apart``: a draft and
    the text adopted, a funding round and a takeover); their headlines name two versions,
    codes or figures of one kind ("ControlOS 3.0" and "ControlOS 3.1", even where the newer
    item's summary names the older; 250 kW and 7.5 kW); their texts name codes, numbers,
    figures or years of one kind that the other does not (models M1500 and M600, 18 and 12
    trains, a plant in Monterrey and one in Saltillo share a maker, a unit, a word, and are
    two events); or each headline names a town, customer or partner the other item does not
    write ("opens a centre in Toulouse", "s'implante à Nantes"). A retelling keeps its
    release's codes and figures, and a brief drops some without adding its own. Read as
    signing reads an item (``story_signing.story_text``, folded, case kept)."""
    if story_headlines.apart(a[0], b[0]) or _apart(_headline_codes(a[0]), _headline_codes(b[0])):
        return True
    if _apart(_kinded(*a), _kinded(*b)):
        return True
    here, there = _headline_others(a[0]), _headline_others(b[0])
    return bool(here) and bool(there) and not any(p in _plain_text(*b) for p in here) \
        and not any(p in _plain_text(*a) for p in there)


# a name after a place's or a partner's word: "à Toulouse", "in Hamburg", "with Stratus Cloud", "choisit Contrôlia",
# "son usine de Cholet", "leur site d'Angers"
_NAMED_AFTER = re.compile(r"(?:^|\s)(?:a|au|aux|in|near|pres de|at|with|avec|chez|from|selects?|picks?|chooses|taps"
                          r"|choisit|choisissent|retient|(?:usine|site|plant|factory|atelier|entrepot)\s+(?:de|du|d'))"
                          r"\s*([A-Z][A-Za-z'-]+(?:[ -](?:(?:sur|sous|en|de|du|la|le|les)[ -])?"
                          r"[A-Z][A-Za-z'-]+){0,3})")
_COUNTRIES = frozenset("""france allemagne germany europe italie italy espagne spain royaume-uni uk us usa etats-unis
chine china inde india japon japan mexique mexico bresil brazil canada pologne poland maroc morocco turquie turkey
asie asia afrique africa amerique america suede sweden suisse switzerland belgique belgium pays-bas netherlands
autriche austria tchequie czechia portugal roumanie romania hongrie hungary""".split())


@lru_cache(maxsize=1024)
def _headline_others(title: str) -> frozenset[str]:
    """The towns, customers and partners a headline names after "à", "in", "near", "with",
    "selects": one maker's two plants, two customers, two partners."""
    text = fold(title)
    return frozenset(m.group(1).lower() for m in _NAMED_AFTER.finditer(text)
                     if m.group(1).lower() not in _COUNTRIES and m.group(1).lower() not in _COMMON_CAPS)


@lru_cache(maxsize=1024)
def _plain_text(title: str, summary: str) -> str:
    return fold(title + " " + summary).lower()


def _apart(mine: frozenset[tuple[str, str]], theirs: frozenset[tuple[str, str]]) -> bool:
    """Whether each side names a (token, kind) of a kind the other names, that the other lacks."""
    return not {group for token, group in mine if (token, group) not in theirs}.isdisjoint(
        group for token, group in theirs if (token, group) not in mine)


# a version written after a product's name in a headline ("Planifab 5", "ControlOS 3.1", "MES 8")
# or as such ("la version 7"): two versions in two headlines are two releases
_VERSION = re.compile(r"(?<![\w-])(?:([A-Z][A-Za-z]*[a-z][A-Za-z]*|[A-Z]{2,})|(?i:version|release)) v?"
                      r"(\d{1,2}(?:\.\d{1,2})?)(?![\w.,/-]| ?%)")


@lru_cache(maxsize=1024)
def _headline_codes(title: str) -> frozenset[tuple[str, str]]:
    """A headline's codes by shape, its figures by unit and its versions."""
    text = fold(title)
    found = {(token, "c" + _DIGITS.sub("0", token) if kind == CODE else "f" + _NUMERAL.sub("", token))
             for token, kind in anchor_tokens(text, "") if kind in (CODE, FIGURE)}
    for m in _VERSION.finditer(text):
        after = _NEXT.match(text, m.end())
        if not (m.group(1) and m.group(1).lower() in _COMMON_CAPS) \
                and not (after and after.group(1).lower() in _UNITS | _MONTHS):
            found.add((m.group(2), "v"))
    return frozenset(found)


@lru_cache(maxsize=1024)     # an item is compared with each of its few candidates
def _kinded(title: str, summary: str) -> frozenset[tuple[str, str]]:
    """An item's codes, numbers and figures with what they name: a code its shape (its letters
    and where its digits go: "M1500" and "M600" are two models of one line, "R4311-4" and
    "2006/42/CE" an article and an act), a figure its unit, a number just that."""
    from veille.story_signing import story_text
    text = fold(story_text(title, summary))
    cut = len(title)
    return frozenset({(token, "f" + _NUMERAL.sub("", token) if kind == FIGURE else "c" + _DIGITS.sub("0", token)
                       if kind == CODE else "n") for token, kind in anchor_tokens(text[:cut], text[cut + 1:])
                      if kind != NAME} | {(year, "y") for year in _YEAR.findall(text)})   # 2023's report, 2024's


_DIGITS = re.compile(r"\d+")
_NUMERAL = re.compile(r"[\d.]+")      # a figure's number, its unit left: "7.5kw" and "250kw" are both kW
_YEAR = re.compile(r"(?<![\w/.-])(?:19|20)\d\d(?![\w/-])")


def _code(token: str, kind: int) -> int:
    """47-bit anchor code: a 45-bit hash of the token, then its kind in the two low bits
    (two tokens meeting on one hash only add a candidate, which is verified anyway)."""
    raw = token.encode()
    h = (zlib.crc32(raw) << 13) ^ zlib.crc32(raw, 0x5EED)
    return ((h & ((1 << 45) - 1)) << 2) | kind


# Organisation and product keys (veille.references, computed at ingest) as anchors: the
# same body or maker is written "HSE" and "Health and Safety Executive", "Mitsubishi" and
# "Mitsubishi Electric", so a key stands for its first word (when it has several) and,
# from three words on, its initials. Their codes are apart from the words' (a prefix no
# token has).
ORG = -1                     # in with_keys' groups: a plain anchor; ORG_WORD: a key's word
ORG_WORD = -2
_LINK_WORDS = frozenset("de des du la le les l d et and of for the a au aux at in on".split())
_KEY_SPLIT = re.compile(r"[\s'’/-]+")


def key_codes(keys: Sequence[str]) -> tuple[list[int], list[int], list[int]]:
    """For an item's organisation and product keys: the codes standing for them, which key
    each stands for (its position in ``keys``), and the name codes of their words (a name
    anchor that only repeats a key is no further evidence)."""
    codes, groups, words = [], [], []
    for group, key in enumerate(keys):
        aliases, key_words = _key_codes(key)
        codes += aliases
        groups += [group] * len(aliases)
        words += key_words
    return codes, groups, words


@lru_cache(maxsize=1 << 12)
def _key_codes(key: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """One key's codes (itself and its aliases) and its words' name codes. (Cached: a
    stream names the same makers and bodies over and over.)"""
    low = fold(key).lower()
    parts = [w for w in _KEY_SPLIT.split(low) if w]
    # the first word stands for the key (meeting on it, they meet on the whole key too)
    aliases = {parts[0] if len(parts) > 1 and len(parts[0]) >= 3 else low}
    plain = [w for w in parts if w not in _LINK_WORDS]
    if len(plain) >= 3:
        aliases.add("".join(w[0] for w in plain))
    return (tuple(_code("\x00" + alias, NAME) for alias in sorted(aliases)),
            tuple(_code(w, NAME) for w in parts if len(w) >= 3))


def with_keys(anchor_codes: np.ndarray, keys: Sequence[str]) -> tuple[np.ndarray, np.ndarray | None]:
    """An item's anchor codes with its keys' codes added (sorted, distinct), and per code
    its group: the key it stands for, ORG for a plain anchor, ORG_WORD for a
    name repeating a key's word (None without keys: every code is plain). Plain Python: an
    item has a few anchors, fewer than numpy's calls pay for."""
    if not keys:
        return anchor_codes, None
    codes, groups, words = key_codes(keys)
    group_of = dict.fromkeys(anchor_codes.tolist(), ORG)
    group_of.update((c, ORG_WORD) for c in words if c in group_of)
    group_of.update(zip(codes, groups))
    merged = sorted(group_of)
    return np.array(merged, dtype=np.int64), np.array([group_of[c] for c in merged], dtype=np.int64)


def day_number(published_at: str) -> int:
    """Days from 2000-01-01 to an ISO date-time's day: the time axis of the anchor index."""
    return date.fromisoformat(published_at[:10]).toordinal() - _EPOCH


_EPOCH = date(2000, 1, 1).toordinal()


def weights(codes: Sequence[int], others: Sequence[int], cap: int) -> np.ndarray:
    """Weight of each anchor given how many other recent items carry it: a code another
    item carries weighs 1, shared by 4 others 0.25; beyond ``cap`` others, nothing. (Plain
    Python over lists: an item has a few anchors, fewer than numpy's calls pay for; the
    same divisions, so the same weights.)"""
    return np.array([_KIND_WEIGHTS[c & 3] / o if 1 <= o <= cap else 0.0 for c, o in zip(codes, others)],
                    dtype=np.float64)


_KIND_WEIGHTS = KIND_WEIGHT.tolist()


class AnchorIndex:
    """Anchor codes of stored items by day: sorted int64 keys ``code << 16 | day`` beside
    item ids, so that the items carrying an anchor within some days of a date are one
    ``searchsorted`` range. Same layout as the band index (story_index.Runs); the story of
    each item indexed is kept the same way (item ids beside story ids)."""

    def __init__(self) -> None:
        self.runs = Runs()
        self.stories = Runs()
        self.merged: dict[int, int] = {}      # story -> the earlier story it was merged into

    def merge(self, merged: dict[int, int]) -> None:
        """Stories found to be one with an earlier one (``merged`` maps each to it, final):
        those merged before into one of them follow it."""
        self.merged = {story: merged.get(into, into) for story, into in self.merged.items()}
        self.merged.update(merged)

    def add(self, item_ids: Sequence[int], days: Sequence[int], codes: np.ndarray,
            lengths: Sequence[int], stories: Sequence[int]) -> None:
        """Index items of ``stories``: ``codes`` holds their anchors one after the other,
        ``lengths`` how many each."""
        if not len(codes):
            return
        ids = np.asarray(item_ids, dtype=np.int64)
        keys = (codes << _DAY_BITS) | np.repeat(np.asarray(days, dtype=np.int64), lengths)
        self.runs.add(keys, np.repeat(ids, lengths))
        carrying = np.asarray(lengths) > 0
        self.stories.add(ids[carrying], np.asarray(stories, dtype=np.int64)[carrying])

    def story_of(self, item_ids: np.ndarray) -> np.ndarray:
        """The story of each of ``item_ids`` (indexed items)."""
        out = item_ids.copy()
        for run in self.stories:
            if len(run.keys):
                at = np.minimum(np.searchsorted(run.keys, item_ids), len(run.keys) - 1)
                hit = run.keys[at] == item_ids
                out[hit] = run.ids[at[hit]]
        if self.merged:
            out = np.array([self.merged.get(story, story) for story in out.tolist()], dtype=np.int64)
        return out

    def probe(self, codes: np.ndarray, days: np.ndarray, *, count_days: int, near_days: int,
              cap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """For anchors ``codes`` of items published on ``days`` (parallel arrays): how many
        stories of indexed items carry each within ``count_days``; the (position, item id)
        pairs of the items within ``near_days`` for the anchors carried by at most ``cap``
        stories; and the (position, story) pairs, sorted, of the stories counted for those
        carried by at most ``_STORIES_COUNTED`` items (a story told by four sources is one
        event: its own code stays rare as it grows)."""
        counts = np.zeros(len(codes), dtype=np.int64)
        positions, ids = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
        base = codes << _DAY_BITS
        spans = []
        for run in self.runs:
            lo = np.searchsorted(run.keys, base | np.maximum(days - count_days, 0), "left")
            hi = np.searchsorted(run.keys, base | (days + count_days), "right")
            counts += hi - lo
            spans.append((lo, hi))
        told = np.flatnonzero((counts >= 1) & (counts <= _STORIES_COUNTED))
        held_pos, held_story = _EMPTY, _EMPTY
        if told.size:
            pairs = [expand(told, lo[told], hi[told], run.ids) for run, (lo, hi) in zip(self.runs, spans)]
            held_pos = np.concatenate([pos for pos, _ in pairs])
            held_story = self.story_of(np.concatenate([found for _, found in pairs]))
            distinct = np.unique(held_pos << 40 | held_story)
            held_pos, held_story = distinct >> 40, distinct & _LOW_40
            counts[told] = np.bincount(held_pos, minlength=len(codes))[told]
        for run in self.runs:
            lo = np.searchsorted(run.keys, base | np.maximum(days - near_days, 0), "left")
            hi = np.searchsorted(run.keys, base | (days + near_days), "right")
            take = (hi > lo) & (counts <= cap)
            if take.any():
                pos, found = expand(np.flatnonzero(take), lo[take], hi[take], run.ids)
                positions.append(pos)
                ids.append(found)
        return counts, np.concatenate(positions), np.concatenate(ids), (held_pos, held_story)


_STORIES_COUNTED = 64       # items carrying an anchor beyond which its stories are not counted
_LOW_40 = (1 << 40) - 1     # story ids below 2^40 share an int64 with the position above them
_EMPTY = np.empty(0, dtype=np.int64)


class AnchorScorer:
    """The anchor score of each batch item (in order) against the items published within
    ``near_days`` of it, stored or earlier in the batch, that share anchors with it: the
    sum of the shared anchors' weights, rarity counted in stories (each story once, however
    many sources told it) over the stored items (``stored_counts``, ``stored_near``,
    ``stored_stories``: AnchorIndex.probe's answer per item) and the batch's earlier items
    within ``count_days``. With ``groups`` (``with_keys``'s, per item), key codes weigh
    nothing in that sum, but an item sharing a rare key and a rare plain anchor (not a key's
    word) scores at least ``key_score``. Rows are scored in order, each once the stories of
    the rows before it are decided (``row``'s ``story_of``)."""

    def __init__(self, codes: Sequence[np.ndarray], days: Sequence[int], ids: Sequence[int],
                 stored_counts: Sequence[np.ndarray], stored_near: Sequence[dict[int, list[int]]],
                 stored_stories=None, *, count_days: int, near_days: int, cap: int,
                 groups: Sequence[np.ndarray | None] | None = None, key_score: float = 0.0):
        self.codes, self.days, self.ids = codes, days, ids
        self.listed = [c.tolist() for c in codes]
        self.stored_counts, self.stored_near = stored_counts, stored_near
        self.stored_stories = stored_stories or (lambda n, k: ())
        self.count_days, self.near_days, self.cap = count_days, near_days, cap
        self.groups, self.key_score = groups, key_score
        self.carriers: dict[int, list[int]] = {}    # anchor code -> rows of the batch so far
        # an item shares nothing unless a stored item near it does or one of its codes is
        # carried by another item of the batch: most items, whose score is settled here
        self.sharing = set(_sharing_rows(self.listed, stored_near))

    def row(self, n: int, story_of) -> dict[int, float]:
        """Row ``n``'s scores (rows are asked in order); ``story_of(r)``: the story of an
        earlier row ``r``."""
        out: dict[int, float] = {}
        if n in self.sharing:
            out = self._scored_row(n, story_of)
        for c in self.listed[n]:
            self.carriers.setdefault(c, []).append(n)
        return out

    def _scored_row(self, n: int, story_of) -> dict[int, float]:
        carriers, listed, day, cap = self.carriers, self.listed[n], self.days[n], self.cap
        # (most codes are carried by no earlier row: no comprehension run for them)
        earlier = [[r for r in carriers[c] if abs(self.days[r] - day) <= self.count_days]
                   if c in carriers else [] for c in listed]
        held = np.asarray(self.stored_counts[n]).tolist()
        # the stories the batch adds to the stored ones: an earlier row telling a stored
        # story, or one told by a row before it, is not one more
        others = [h + (len({story_of(r) for r in e}.difference(self.stored_stories(n, k))) if e else 0)
                  for k, (h, e) in enumerate(zip(held, earlier))]
        groups = None if self.groups is None else self.groups[n]
        # every join shares a plain anchor (a code, number or figure; or a name with a key):
        # items sharing only keys and their words are not scored
        plain = [True] * len(held) if groups is None else [g == ORG for g in groups.tolist()]
        stored = {o: at for o, at in self.stored_near[n].items() if any(plain[k] for k in at)}
        if not stored and not any(e and o <= cap and p for o, e, p in zip(others, earlier, plain)):
            return {}
        # a code the batch shares weighs nothing beyond ``cap`` stories (a common one)
        w = weights(listed, others, cap)
        near = _near_positions(earlier, w, self.days, n, self.ids, stored, self.near_days)
        return _scored(self.codes[n], w, near, groups, self.key_score)


def _sharing_rows(listed: list[list[int]], stored_near: Sequence[dict]) -> list[int]:
    """The batch rows (in order) near a stored item sharing anchors, or carrying a code
    another row carries; every other row's score is empty."""
    seen: set[int] = set()
    shared: set[int] = set()
    for row in listed:
        for c in row:
            (shared if c in seen else seen).add(c)
    return [n for n, row in enumerate(listed) if stored_near[n] or not shared.isdisjoint(row)]


def _near_positions(earlier: list[list[int]], w: np.ndarray, days: Sequence[int], n: int,
                    ids: Sequence[int], stored_near: dict[int, list[int]],
                    near_days: int) -> dict[int, list[int]]:
    """Per item near row ``n`` (stored, or earlier in the batch: ``earlier`` lists per anchor
    the batch rows carrying it, counted when the anchor weighs something), the positions of
    the row's anchors it shares."""
    found = {other: list(positions) for other, positions in stored_near.items()}
    for k, (weight, rows) in enumerate(zip(w.tolist(), earlier)):
        for r in rows if weight else ():
            if abs(days[r] - days[n]) <= near_days:
                found.setdefault(ids[r], []).append(k)
    return found


def _scored(item_codes: np.ndarray, w: np.ndarray, near: dict[int, list[int]],
            groups: np.ndarray | None, key_score: float) -> dict[int, float]:
    """One row's scores given its anchors' weights and the positions each near item shares.
    The tests on kinds, weights and groups read lists (a near item shares a few anchors,
    fewer than numpy's calls pay for); the sum stays numpy's, whose rounding it is."""
    strong_kind = [(c & 3) != NAME for c in item_codes.tolist()]
    plain = w if groups is None else np.where(groups < 0, w, 0.0)
    weighed = w.tolist()
    grouped = None if groups is None else groups.tolist()
    out = {}
    for other, positions in near.items():
        # names alone do not make a story: one maker's or body's different news share them
        score = float(plain[positions].sum()) if any(strong_kind[k] for k in positions) else 0.0
        if grouped is not None:      # a rare key, and a rare anchor that is not a key's word
            rare = [grouped[k] for k in positions if weighed[k] > 0]
            if any(g >= 0 for g in rare) and ORG in rare:
                score = max(score, key_score)
        if score > 0:
            out[other] = score
    return out
