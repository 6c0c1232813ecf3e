"""References engineers act on, pulled out of an item's text.

``extract(text)`` returns the standards, EU acts, French texts and application dates a text
cites, each with a key normalised so that spellings meet (``NF EN ISO 13849-1:2023`` and
``EN ISO 13849-1`` are both ``ISO 13849-1``). Precision first: what the text does not say
unambiguously is skipped, never guessed (a date without a year, an article without its
code, an acronym that could name two acts).

Matching runs on the text folded to plain letters of the same length, tried only where a
match can start in the Latin-1 text of nearly every item (``veille.reference_text``).
With ``names=True`` the organisations and products the text names are added
(``veille.reference_names_found``).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import yaml

from veille.common_words import common_sets
from veille.framed_names import VOCABULARY as FRAMED_VOCABULARY
from veille.name_lexicon import INSTITUTION_VOCABULARY, TRIGGERS
from veille.reference_dates import FULL_DATE, MONTH_WORDS, TRIGGER_FIRSTS, dates, left_dates, rule_dates, ymd
from veille.reference_names import Names
from veille.reference_names_found import left_runs, names_in, rule_names, span_key
from veille.reference_text import Text, fold, lookup_key, occurrences, scan  # noqa: F401 - fold: part of this module's API

KINDS = ("standard", "eu_act", "fr_text", "date")
NAME_KINDS = ("organisation", "product")
MAX_CHARS = 200_000  # a huge item is read up to here: references sit early, speed stays bounded
DATA_PATH = Path(__file__).with_name("references.yaml")
GENERAL_PATH = Path(__file__).with_name("names_general.yaml")


@dataclass(frozen=True)
class Reference:
    kind: str   # standard | eu_act | fr_text | date (| organisation | product)
    key: str    # normalised: where spellings meet
    text: str   # as written
    # a French text cited by its number and its date: the key it has when cited by its date
    # alone ("décret 2026-03-09" for "décret n° 2026-187 du 9 mars 2026"), so that both
    # citations meet (``veille.store.entities``); not part of what the reference is
    dated: str = field(default="", compare=False)


# --- standards ---------------------------------------------------------------------------

_NATIONAL = r"(?:NF|DIN|BS|UNE|SN|ONORM|UNI|NBN|SS|PN|CSN|EVS|IS|SIST|ETSI)"
# ISO13849-1 is a common spelling; "EN2026" is not a standard, so only ISO/IEC may touch digits
# joint designators: ISO/IEC, ISO/ASTM, ISO/SAE, ISO/IEC/IEEE; an adoption (IEC/EN) or a
# co-publisher (ISA/IEC 62443) aside
_DESIGNATOR = (r"(?:EN\s+|ISA/)?(?:ISO|IEC|CEI)(?:/(?:IEC|ISO|ASTM|SAE|IEEE|EN))*(?:[ /](?:TS|TR|PAS))?(?=\s?\d)"
               r"|EN(?:\s+IEC)?(?=\s+\d)")
# an ETSI standard's number is written in two groups ("EN 303 645", "EN 301 489-1")
_PART = r"(?:3\d\d \d{3}(?!\d)|\d{3,5}|(?<=EN )[1-9]\d(?=-\d))(?:-\d{1,3}){0,3}"
# what may follow a standard's number: not a letter, a digit or a hyphen, but a word a hyphen
# joins to it ("ISO 9001-certified", "IEC 61499-based")
_AFTER = r"(?![\w-]|\.\d)|(?=-[a-z]{3})"
_AMENDMENTS = r"(?:\s?\+\s?A\d{1,2}(?::\s?(?:19|20)\d\d)?)*"     # "+A1:2019", "+A2:2022+A3:2024"
_YEAR = rf"(?::\s?(?:19|20)\d\d{_AMENDMENTS})?"
_STANDARD = re.compile(
    rf"(?<![\w/.-])(?:{_NATIONAL}\s+)?(?P<des>{_DESIGNATOR})\s*(?P<num>{_PART})(?P<year>{_YEAR})(?:{_AFTER})"
    rf"(?P<more>(?:\s*(?:,|(?i:et|and|ou|or)|/)\s*(?:-\d{{1,3}}|\d{{4,5}}(?:-\d{{1,3}}){{0,3}}{_YEAR})(?![\w/-]))*)")
_MORE_ITEM = re.compile(rf"-\d{{1,3}}|\d{{4,5}}(?:-\d{{1,3}}){{0,3}}{_YEAR}")
_FRENCH_STANDARD = re.compile(r"(?<![\w/-])NF\s+(?P<letter>[A-Z])\s?(?P<num>\d{2}-\d{3}(?:-\d{1,2})?)(?![\w-])")
# E8, A36, F3122; a list shares the body ("ASTM F3122, F3187 and F3303")
_ASTM_NUMBER = r"[A-G]\d{1,5}(?:-\d{2})?(?![\w-])"
_ASTM = re.compile(rf"(?<![\w/-])ASTM\s+(?P<num>[A-G]\d{{1,5}})(?:-\d{{2}})?(?![\w-])"
                   rf"(?P<more>(?:\s*(?:,|et|and|ou|or)\s*{_ASTM_NUMBER})*)")
_ASTM_MORE = re.compile(r"[A-G]\d{1,5}")
# a German standard of its own ("DIN 51524-2", "DIN 8580"); "DIN EN ISO …" is the ISO one
_DIN = re.compile(r"(?<![\w/-])DIN\s+(?P<num>\d{3,5}(?:-\d{1,3}){0,3})(?![\w-])")
_BARE_YEAR = re.compile(r"^(?:19|20)\d\d$")
_LOWER = re.compile(r"[a-zà-ÿ]")
_EDITION = rf"(?:[:-]\s?(?:19|20)\d\d{_AMENDMENTS})?"
# Other bodies' standards, each in its designation's own shape (key: body and number, no
# year nor revision letter); the capitals each needs, then its pattern and its key.
_OTHER_STANDARDS = tuple((run, re.compile(rf"(?<![\w/.-]){pattern}(?:{_AFTER})"), key) for run, pattern, key in (
    ("IATF", r"IATF\s?(?P<num>16949)(?::\s?20\d\d)?", "IATF {}"),                  # automotive QMS
    ("AS", r"AS\s?(?P<num>9[01]\d\d)[A-D]?", "AS{}"),                                   # aerospace QMS: AS9100D
    ("OHSAS", r"(?:BS\s)?OHSAS\s?(?P<num>1800[12])(?::\s?(?:19|20)\d\d)?", "OHSAS {}"),
    ("UL", r"UL\s?(?P<num>(?!19[5-9]\d|20[0-4]\d)\d{2,5}[A-Z]?(?:-\d{1,2})*)", "UL {}"),  # not "UL 2024"
    ("NFPA", rf"NFPA\s?(?P<num>\d{{1,4}}[A-Z]?){_EDITION}", "NFPA {}"),               # NFPA 70E-2024
    ("IEEE", rf"IEEE\s?(?:Std\.?\s?)?(?P<num>\d{{3,4}}(?:\.\d{{1,2}}[a-z]{{0,3}})*){_EDITION}", "IEEE {}"),
    ("SAE", r"SAE\s?(?P<num>J\d{3,4}(?:/\d{1,3})?|ARP\s?\d{3,4}|AMS\s?\d{4})", "SAE {}"),
    ("ASME", r"ASME\s?(?P<num>[A-Z]{1,3}\d{1,3}(?:\.\d{1,3})*)", "ASME {}"),          # B31.3, Y14.5
    ("VDI", r"VDI(?P<vde>/VDE)?\s?(?P<num>\d{4}(?:-\d{1,2})?)", "VDI{vde} {}"),        # VDI 2263-6
    ("ISA", rf"(?:ANSI/)?ISA[-\s]?(?P<num>\d{{2,3}}(?:\.\d{{1,2}})*){_EDITION}", "ISA-{}"),  # ISA-95, ISA-18.2
    ("ANSI", rf"ANSI(?P<co>/(?!ISA\b)[A-Z][A-Z0-9]{{1,5}})?[\s/]?(?P<num>[A-Z]{{1,3}}\d{{1,3}}(?:\.\d{{1,3}})*"
             rf"(?:-(?!(?:19|20)\d\d)\d{{1,2}})?){_EDITION}",
     "ANSI{co} {}"),                                                                # ANSI/A3 R15.06, ANSI Z535.4
    # API RP 754, API 650; not an interface's status code or version ("API 404", "API 2.0")
    ("API", r"API\s(?P<num>(?:RP|Spec|Std)\s?\d{1,4}[A-Z]{0,2}|(?:510|570|580|610|617|650|653|670|682|1104)(?![.,]\d))",
     "API {}"),
    ("BS", rf"BS\s(?P<num>(?!(?:19|20)\d\d\b)\d{{3,5}}(?:-\d{{1,2}})*){_EDITION}", "BS {}"),   # BS 7671
    ("CSA", r"CSA\s(?P<num>[A-Z]\d{2,3}(?:\.\d{1,2})*)", "CSA {}"),                  # CSA Z432, C22.2
    ("IPC", r"IPC-(?P<num>(?:[A-Z]-)?\d{3,4})[A-Z]?", "IPC-{}"),                        # IPC-A-610H
    ("IPC", r"IPC\sJ-STD-(?P<num>\d{3})[A-Z]?", "IPC J-STD-{}"),                        # IPC J-STD-001J
    ("JIS", r"JIS\s?(?P<num>[A-Z])\s?(?P<n2>\d{4}(?:-\d{1,2})?)", "JIS {} {n2}"),      # JIS B 8433-1
    # Chinese GB/T, and mandatory GB ("GB 38031-2025"; not a memory's size: "16 GB 3200")
    ("GB", r"(?<!\d\s)GB(?P<t>/T)?\s?(?P<num>\d{4,5}(?:\.\d{1,2})?)(?:-(?:19|20)\d\d)?", "GB{t} {}"),
    ("SEMI", r"SEMI\s(?P<num>[A-Z]\d{1,3})(?:-\d{4})?", "SEMI {}"),                     # SEMI S2-0821, SEMI E187
))
_STANDARD_HINT = re.compile(r"ISO|IEC|CEI|EN\s")


def _standard_key(designator: str, number: str) -> str:
    des = _SPACES.sub(" ", designator).replace("CEI", "IEC").removeprefix("ISA/").replace("/EN", "")
    des = _LETTERED.sub(r"/\1", des)
    if des.startswith("EN ") and des != "EN IEC":
        des = des[3:]           # EN ISO 13849-1 is ISO 13849-1 adopted in Europe
    elif des == "EN IEC" or des == "EN" and _IEC_NUMBER.match(number):
        des = "IEC"             # EN 60204-1 is IEC 60204-1 adopted in Europe (CENELEC's 6xxxx)
    return f"{des} {number}"


_IEC_NUMBER = re.compile(r"6\d{4}(?!\d)")


_SPACES = re.compile(r"\s+")
_LETTERED = re.compile(r" (TS|TR|PAS)$")
_STANDARD_RUNS = frozenset((b"ISO", b"IEC", b"CEI", b"EN", b"NF", b"ASTM", b"DIN",
                            *(run.encode() for run, _, _ in _OTHER_STANDARDS)))
_STANDARD_LETTERS = re.compile(b"|".join(_STANDARD_RUNS))   # a run of capitals holds one: the text does


def _capitalised(t: Text, run: str) -> bool:
    """Whether ``run`` (a designator, written in capitals between non-letters) can be in the text."""
    return run.encode() in t.capitals if t.plain else run in t.folded


def _standard_starts(t: Text) -> Iterator[int]:
    """Where a standard can start: at its designator, or at a national prefix (2 to 5
    letters) spaces before it."""
    folded = t.folded
    for des in ("ISO", "IEC", "CEI", "EN"):
        for d in occurrences(folded, des) if _capitalised(t, des) else ():
            yield d
            if folded.startswith("ISA/", d - 4):
                yield d - 4     # ISA/IEC 62443
            w = d
            while w and folded[w - 1].isspace():
                w -= 1
            if w < d:
                yield from range(max(w - 5, 0), w - 1)


_FILM_SPEEDS = frozenset("50 64 80 100 125 160 200 250 320 400 500 640 800 1250 1600 2500 3200 6400 12800 "
                         "25600 51200".split())
_PHOTOGRAPHY = ("aperture", "shutter", "camera", "photo", "obturateur", "mirrorless", "reflex", "dslr")


def _about_photography(t: Text) -> bool:
    return any(t.has(word) for word in _PHOTOGRAPHY)


def _body_starts(folded: str, run: str) -> Iterator[int]:
    for d in occurrences(folded, run):
        yield d
        if folded.startswith("ANSI/", d - 5):
            yield d - 5         # ANSI/ISA-95


def _standards(t: Text) -> list[Reference]:
    if not t.has_digit or t.plain and not _STANDARD_LETTERS.search(t.latin1) \
            or t.plain and t.capitals.isdisjoint(_STANDARD_RUNS):
        return []               # every standard has a number, and a designator in capitals
    folded, original = t.folded, t.original
    out = []
    # each pattern needs its designator as written (case matters): skip it when absent
    hinted = t.plain or _STANDARD_HINT.search(folded)
    matches = scan(_STANDARD, t, lambda: _standard_starts(t)) if hinted else ()
    for m in matches:
        des, num = m.group("des"), m.group("num")
        if _BARE_YEAR.match(num) and des.strip() == "EN":
            continue            # "EN 2026" in a capitalised title is a year, not a standard
        if len(num.split("-")[0]) == 2 and not _LOWER.search(original, max(0, m.start() - 30), m.end() + 30):
            continue            # "EN 81-20" in a sentence, but "LIVRAISON EN 24-48 H" is no standard
        if des == "ISO" and num in _FILM_SPEEDS and not m.group("year") and _about_photography(t):
            continue            # a camera's sensitivity ("ISO 400"), not a standard
        out.append(Reference("standard", _standard_key(des, num), original[m.start():m.end("year")]))
        base = num
        for more in _MORE_ITEM.finditer(m.group("more")):
            tok = more.group(0)
            part = tok if not tok.startswith("-") else base.split("-")[0] + tok
            number = part.split(":")[0]
            if _BARE_YEAR.match(number):
                break
            text = original[m.start("more") + more.start():m.start("more") + more.end()]
            out.append(Reference("standard", _standard_key(des, number), text))
    for m in scan(_FRENCH_STANDARD, t, lambda: occurrences(folded, "NF")) if _capitalised(t, "NF") else ():
        out.append(Reference("standard", f"NF {m.group('letter')} {m.group('num')}", original[m.start():m.end()]))
    for m in scan(_ASTM, t, lambda: occurrences(folded, "ASTM")) if _capitalised(t, "ASTM") else ():
        out.append(Reference("standard", f"ASTM {m.group('num')}", original[m.start():m.end("num")]))
        out += [Reference("standard", f"ASTM {more.group()}", more.group())
                for more in _ASTM_MORE.finditer(m.group("more"))]
    for m in scan(_DIN, t, lambda: occurrences(folded, "DIN")) if _capitalised(t, "DIN") else ():
        out.append(Reference("standard", f"DIN {m.group('num')}", original[m.start():m.end()]))
    for run, pattern, key in _OTHER_STANDARDS:
        for m in scan(pattern, t, lambda: _body_starts(folded, run)) if _capitalised(t, run) else ():
            parts = {k: v or "" for k, v in m.groupdict().items() if k != "num"}
            out.append(Reference("standard", key.format(_SPACES.sub(" ", m.group("num")), **parts),
                                 original[m.start():m.end()]))
    return out

# --- EU acts -----------------------------------------------------------------------------

_EU_MARK = r"(?:UE|EU|CE|EC|CEE|EEC|Euratom)"
_ACT_TYPE = (r"(?:reglement|regulation|directive|decision)s?"
             r"(?:\s+(?:d'execution|delegue|implementing|delegated|de la Commission|du Conseil"
             r"|du Parlement europeen et du Conseil|of the European Parliament and of the Council))?")
_NO = r"(?i:n\s?°\.?\s?|no\.?\s|nr\.?\s)?"
_ACT_NUMBER = re.compile(
    rf"(?:(?P<type>(?i:{_ACT_TYPE}))\s+)?"
    rf"(?:\((?P<mark>{_EU_MARK})\)\s*{_NO}(?P<n1>\d{{2,4}}/\d{{1,4}})(?:/{_EU_MARK})?"
    rf"|(?P<n2>\d{{2,4}}/\d{{1,4}})/{_EU_MARK}"
    # after its type word only: "règlement 2023/1230", "Regulation EU 2023/1230", "Regulation 1272/2008"
    rf"|(?<=\s)(?:{_EU_MARK}\s+)?{_NO}(?P<n3>(?:19|20)\d\d/\d{{1,4}}|\d{{2,4}}/(?:19|20)\d\d))(?![\w/])")


_NUMBER_SLASH = re.compile(r"\d/\d")   # every act number has one
# the next numbers of a list of acts of one type
_MORE_ACT = re.compile(rf"\s*(?:,|and|et|&)\s+(?:\({_EU_MARK}\)\s*)?{_NO}"
                       rf"(?P<n>(?:19|20)\d\d/\d{{1,4}}|\d{{2,4}}/(?:19|20)\d\d)(?:/{_EU_MARK})?(?![\w/])")


def _act_number_starts(t: Text) -> Iterator[int]:
    """Where an act number can start: at its type word, its "(", at a digit 2 to 4 before
    its slash, or at the "n" of n°, no, nr 5 to 9 before it."""
    for word in ("reglement", "regulation", "directive", "decision"):
        yield from occurrences(t.spaced, word.encode())
    yield from occurrences(t.folded, "(")
    for i in occurrences(t.shape, b"0/0"):     # the slash is at i + 1
        yield from (c for c in range(max(0, i - 3), i) if t.shape[c] == 48)
        yield from (c for c in range(max(0, i - 8), max(0, i - 3)) if t.folded[c] in "nN")


def _eu_acts(t: Text, names: Names) -> list[Reference]:
    out = []
    slashed = b"/" in t.latin1 and b"0/0" in t.shape if t.plain else _NUMBER_SLASH.search(t.folded)
    numbered = scan(_ACT_NUMBER, t, lambda: _act_number_starts(t)) if slashed else ()
    original = t.original
    for m in numbered:
        if m.group("n3") and not m.group("type"):
            continue            # "2023/1230" alone could be anything; with "règlement" it is an act
        key = m.group("n1") or m.group("n2") or m.group("n3")
        out.append(Reference("eu_act", key, original[m.start():m.end()]))
        end = m.end()
        while m.group("type") and (more := _MORE_ACT.match(t.folded, end)) is not None:
            out.append(Reference("eu_act", more.group("n"), original[more.start("n"):more.end()]))
            end = more.end()    # "Regulations (EU) 2017/745 and 2017/746"
    for m in names.act_names(t):
        out.append(Reference("eu_act", names.act_key(m.group(0)), original[m.start():m.end()]))
    return out


# --- French texts ------------------------------------------------------------------------

_FR_TYPES = {"decret": "décret", "decree": "décret", "loi": "loi", "law": "loi",
             "ordonnance": "ordonnance", "ordinance": "ordonnance", "arrete": "arrêté"}
_FR_TEXT = re.compile(
    r"(?<!\w)(?P<type>(?i:decret|decree|loi|law|ordonnance|ordinance|arrete))"
    r"(?:\s+(?i:ministeriel|interministeriel|prefectoral|royal))?"
    r"(?:\s+[A-Z]{2,10}\s*\((?=(?i:n\s?°|no\.? )))?"         # its short name: "le décret BACS (n° 2020-887)"
    rf"(?:\s*(?i:n\s?°\.?|no\.?|numero|number))?\s*(?P<num>(?<![\d/])\d{{2,4}}-\d{{1,5}})(?![\w-])"
    rf"(?:\s+(?i:du|of)\s+(?i:{FULL_DATE}))?"
    rf"|(?<!\w)(?P<dtype>(?i:decret|loi|ordonnance|arrete))(?:\s+(?i:ministeriel|interministeriel|prefectoral|tarifaire))?"
    rf"\s+(?i:du|of)\s+(?P<date>(?i:{FULL_DATE.replace('?P<', '?P<f')}))")   # "the arrêté of 4 October 2010"
_FR_TYPE_WORDS = ("decre", "loi", "law", "ordin", "ordonnance", "arrete")
_FR_TYPE_TOKENS = frozenset(w.encode() for w in _FR_TYPES)
_ARTICLE = r"[LRD]\*?\s?\.?\s?\d{1,4}(?:-\d{1,4}){1,3}"
_ARTICLE_NUMBER = re.compile(r"[LRD]\*?\s?\.?\s?\d{1,4}-\d")    # how every _ARTICLE starts
# an aside may follow an article: "articles R4412-5 (agents non CMR) et R4412-61 (CMR) du Code du travail"
_ARTICLE_ASIDE = r"(?:\s*\([^()\n]{1,40}\))?"
_ARTICLE_LIST = rf"(?P<list>{_ARTICLE}{_ARTICLE_ASIDE}(?:\s*(?:,|et|a|and|to|ou|or)\s*{_ARTICLE}{_ARTICLE_ASIDE})*)"


def _fr_text_starts(t: Text) -> Iterator[int]:
    """At a type word, a whole word of the text."""
    return (i for word in _FR_TYPE_TOKENS & t.words for i in occurrences(t.spaced, word))


def _named_laws(t: Text, names: Names) -> list[Reference]:
    """French laws cited by their name: after "loi", or before "law" (looked for in the few
    words before it)."""
    folded, original = t.folded, t.original
    found = list(scan(names.laws, t, lambda: occurrences(t.spaced, b"loi"))) if t.has("loi") else []
    lowered = t.lowered
    for i in itertools.islice(occurrences(lowered, "law"), _LAWS_READ) if t.has("law") else ():
        if not lowered[i + 3:i + 4].isalpha() and (m := names.laws_before.search(folded, max(0, i - 80), i + 3)):
            found.append(m)     # not "lawyer"
    # a bill is no law yet ("le projet de loi El Khomri")
    return [Reference("fr_text", names.law_key(m.group("law")), original[m.start():m.end()]) for m in found
            if not _BILL.search(folded, max(0, m.start() - 16), m.start())]


_LAWS_READ = 200       # "law" read this many times at most in one text (a legal text says it thousands of times)
_BILL = re.compile(r"(?i:projet|proposition)\s+de\s+$")


def _fr_texts(t: Text, names: Names) -> list[Reference]:
    out = _named_laws(t, names) if t.has("loi") or t.has("law") else []
    if not t.has_digit:
        return out              # a text's number, its date, an article: all have digits
    folded, original = t.folded, t.original
    # a type is a whole word: the patterns have a boundary before it, a space or digit after
    typed = not t.words.isdisjoint(_FR_TYPE_TOKENS) if t.plain else any(t.has(w) for w in _FR_TYPE_WORDS)
    for m in scan(_FR_TEXT, t, lambda: _fr_text_starts(t)) if typed else ():
        g = m.groupdict()
        if g["num"]:
            kind = _FR_TYPES[lookup_key(g["type"])]
            when = ymd(g)
            out.append(Reference("fr_text", f"{kind} {g['num']}", original[m.start():m.end("num")],
                                 f"{kind} {when}" if when else ""))
            continue
        when = ymd(g, "f")
        if when:
            out.append(Reference("fr_text", f"{_FR_TYPES[lookup_key(g['dtype'])]} {when}", original[m.start():m.end()]))
    # every code's name has "code", every list an article number (English text often has
    # both words: "source code", "start"; the pattern, tried at every place, costs milliseconds
    # in a long text)
    articles = t.has("code") and t.has("art") and (not t.plain or b"0-0" in t.shape) \
        and _ARTICLE_NUMBER.search(folded) is not None
    for m in names.articles.finditer(folded) if articles else ():
        code = names.code_key(m.group("code") or m.group("code2"))
        span = m.group("list") or m.group("list2")
        start = m.start("list") if m.group("list") else m.start("list2")
        for a in re.finditer(_ARTICLE, span):
            number = re.sub(r"[\s.*]", "", a.group(0))
            out.append(Reference("fr_text", f"{code} {number}",
                                 original[start + a.start():start + a.end()]))
    return _dated_once(out)


def _dated_once(refs: list[Reference]) -> list[Reference]:
    """A text cited by its number and date, then by its date alone ("le décret n° 2026-187 du
    9 mars 2026 ... ce décret du 9 mars 2026"), is one reference, keyed by its number; a date
    two numbered texts of one type share names neither."""
    numbered: dict[str, set[str]] = {}
    for ref in refs:
        if ref.dated:
            numbered.setdefault(ref.dated, set()).add(ref.key)
    if not numbered:
        return refs
    return [ref for ref in refs if len(numbered.get(ref.key, ())) != 1]


def load_tables() -> None:
    """Load what extraction reads (the data file's names, the common words, the names' and
    dates' second readers) now: a process about to fork workers loads them once for all of
    them (each worker loading the readers' models cost it 0.25 s a crawl pass)."""
    from veille import reference_date_model, reference_name_model
    _names()
    common_sets()
    for model in (reference_name_model.load_model(), reference_date_model.load_model()):
        if model is not None and model.classes > 1:
            model.scores([])        # its per-class weights, built on first use


# libyaml's loader reads the 3,500 names ten times faster (9 against 93 ms) to the same data
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def name_data() -> dict:
    """The names' data: references.yaml, with names_general.yaml's lists and aliases added
    (the names of general news: media, public bodies, companies beyond industry); ``makers``
    keeps references.yaml's organisations alone."""
    data = yaml.load(DATA_PATH.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    general = yaml.load(GENERAL_PATH.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    data["makers"] = data["organisations"]       # whose first word can name them before a model
    for key, value in general.items():
        if isinstance(value, dict):          # aliases: one acronym's names from both files
            data[key] = {**data[key], **{k: data[key].get(k, []) + v for k, v in value.items()}}
        else:
            data[key] = data[key] + value
    return data


@lru_cache(maxsize=1)
def _names() -> Names:
    return Names(name_data(), kinds=NAME_KINDS,
                 article_list=_ARTICLE_LIST,
                 vocabulary=frozenset().union(MONTH_WORDS, TRIGGER_FIRSTS, _FR_TYPE_TOKENS, TRIGGERS,
                                                 INSTITUTION_VOCABULARY, FRAMED_VOCABULARY))


def named_acts() -> frozenset[str]:
    """The EU acts references.yaml gives a common name ("2023/1230", the Machinery
    Regulation): the field's common vocabulary, cited by news of every kind."""
    return _names().named_acts


# --- entry point -------------------------------------------------------------------------

_CUT_MARK = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*$")
_CUT_ENDS = ("…", "...", "]")


def reading_text(title: str, summary: str, content: str) -> str:
    """An item's text as extraction reads it: title, summary and content, without the summary
    when the content repeats it (a feed giving the article in both, or the article's opening
    as excerpt, ellipsis aside): the same references, each text read once."""
    if summary and content:
        # the pattern only where it can match: scanning a whole summary for it cost 6 µs
        lead = _CUT_MARK.sub("", summary) if summary.rstrip().endswith(_CUT_ENDS) else summary
        if lead and lead in content:
            return f"{title}\n{content}"
    return f"{title}\n{summary}\n{content}"


def item_references(title: str, summary: str, content: str, lang: str | None) -> list[Reference]:
    """What ingest stores for an item: every kind, organisations and products included, read
    from its clean title, summary and content."""
    return extract(reading_text(title, summary, content), lang, names=True)


def extract(text: str, lang: str | None = None, *, names: bool = False) -> list[Reference]:
    """The references a text makes, first occurrence of each (kind, key), in kind order.

    ``lang`` is accepted for callers that know it; the patterns cover French and English
    together because items mix them (an English title over a French summary). With
    ``names``, curated organisations and products are added (kinds organisation, product).
    """
    if not text:
        return []
    t, data, found = _rules_cited(text)
    english, foreign = lang == "en", lang is not None and lang not in ("fr", "en")
    found += [Reference("date", key, written) for key, written in dates(t, cites_rules=bool(found))]
    if names:
        found += [Reference(*name) for name in names_in(t, data, english, foreign, cited=_spans(t.original, found))]
    seen: set[tuple[str, str]] = set()
    out = []
    for ref in found:
        if (ref.kind, ref.key) not in seen:
            seen.add((ref.kind, ref.key))
            text = ref.text.strip()
            out.append(ref if text == ref.text else replace(ref, text=text))
    return out


def _spans(text: str, refs: list[Reference]) -> list[tuple[int, int]]:
    """Where the standards, acts and French texts found are written: every whole occurrence of
    each reference's text (a list's "-2" aside; dates aside, whose words a name may hold:
    "Industrie 4.0 Day 2026")."""
    out = []
    for written in {ref.text for ref in refs if ref.kind != "date" and len(ref.text) > 2 and ref.text[0].isalnum()}:
        at = text.find(written)
        while at >= 0:
            end = at + len(written)
            if not (text[at - 1:at].isalnum() or text[end:end + 1].isalnum()):    # "-2" of a list aside
                out.append((at, end))
            at = text.find(written, end)
    return out


def _rules_cited(text: str) -> tuple[Text, "Names", list[Reference]]:
    """The text as the extractors read it, the names' data, and the standards, EU acts and
    French texts it cites (whether it cites any changes how its dates are read)."""
    data = _names()
    t = Text(text[:MAX_CHARS], data.vocabulary)
    return t, data, _standards(t) + _eu_acts(t, data) + _fr_texts(t, data)


def date_candidates(text: str) -> tuple[set[str], list[tuple[str, dict[str, float]]]]:
    """For training the dates' second reader: the keys of the dates the rules take in a text,
    and (key, features) of each date they leave (``reference_date_model``)."""
    t, _, cited = _rules_cited(text)
    cites_rules = bool(cited)
    found, left = rule_dates(t, cites_rules)
    return {key for _, _, key in found if key}, [(key, f) for _, _, key, f in left_dates(t, left, found, cites_rules)]


def name_candidates(text: str, lang: str | None = None, everything: bool = False):
    """For training the names' second reader: the names the rules take in a text, as (kind,
    spelling), the text as written, and (span, the spelling it gives per kind, features) of
    each run they leave (``everything``: of every run; ``left_runs``)."""
    t, data, _ = _rules_cited(text)
    t, makers, products, runs = rule_names(t, data, english=lang == "en")
    original = t.original
    taken = {(kind, name_spelling(span_key(data, kind, original, a, b), kind)) for kind, spans in
             (("organisation", makers), ("product", products)) for a, b in spans}
    return taken, original, [((a, b), {kind: name_spelling(span_key(data, kind, original, a, b), kind)
                                        for kind in NAME_KINDS}, f)
                             for (a, b), f in left_runs(t, runs, makers, products, lang == "en", everything)]


def name_spelling(key: str, kind: str) -> str:
    """A name's key as names are compared (the sets' scoring): its listed key, accents and
    case aside."""
    return " ".join(fold(_names().name_key(kind, key)).lower().split())


def extract_lines(lines) -> "Iterator[tuple[int, dict | None, str | None]]":
    """Offline extraction over JSON lines {"id", "title"?, "summary"?, "content"?, "text"?,
    "lang"?}: yields (line number, output record, error) for every non-blank line; a bad line
    gives an error naming it and no record, every valid line gives one record."""
    import json

    from veille.normalise import clean_text
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, None, f"line {n}: not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(doc, dict) or "id" not in doc:
            yield n, None, f"line {n}: expected an object with an \"id\""
            continue
        title, summary, content, more = (str(doc.get(k) or "") for k in ("title", "summary", "content", "text"))
        text = reading_text(clean_text(title), clean_text(summary, lines=True), clean_text(content, lines=True)) \
            + "\n" + clean_text(more, lines=True)     # as ingest stores them: HTML read, wrapped lines joined
        refs = extract(text, doc.get("lang"))
        yield n, {"id": doc["id"], "references": [
            {"kind": r.kind, "key": r.key, "text": r.text} for r in refs]}, None
