"""Where a product's or an organisation's name ends, once a reading has found where it starts:
the fuller name a context reading gives over a listed part of it, a version, variant or
edition written after a model, a type word or a generic word ending a model read from a
headline; and what looks like a model but is none (a rating, an alloy, a protocol)."""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from itertools import accumulate, chain
from typing import Callable

from veille.name_frames import TYPE_FORMS
from veille.name_lexicon import (CLASS_WORDS, DESIGNATORS, DIMENSION, EDITION_WORDS, EVENT_WORDS, FR_INSTITUTION, GENERIC, LINK_WORDS,
                                 NOT_A_CODE, OF_PROPER,
                                 OPENERS, PROTOCOLS, STANDARD_BODIES, TYPE_WORDS, TYPES, is_code, plain)


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def nested(spans: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans lying inside another span of the list (one sort: a hostile text repeating a
    name thousands of times costs no comparison of every pair)."""
    out, reach = set(), -1
    for span in sorted(set(map(tuple, spans)), key=lambda s: (s[0], -s[1])):
        if reach >= span[1]:       # an earlier span starts at or before it and ends at or after it
            out.add(span)
        reach = max(reach, span[1])
    return out


class Taken:
    """The characters names already hold, for overlap tests that cost a span's length, not
    the number of names (a text repeating a model thousands of times)."""

    def __init__(self, size: int, spans: list[tuple[int, int]]):
        self.mask = bytearray(size)
        for span in spans:
            self.add(span)

    def add(self, span: tuple[int, int]) -> None:
        self.mask[span[0]:span[1]] = b"\x01" * (span[1] - span[0])

    def overlaps(self, span: tuple[int, int]) -> bool:
        return self.mask.find(1, span[0], span[1]) >= 0


def clear_of(spans: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans overlapping none of ``taken`` (``overlaps`` for many spans at once: a sort and
    a binary search each, where a text repeating a model thousands of times would compare
    every pair)."""
    if not taken:
        return list(spans)
    ordered = sorted(taken, key=tuple)          # spans are pairs, some lists
    starts, reach = [a for a, _ in ordered], list(accumulate((b for _, b in ordered), max))
    return [s for s in spans if not (k := bisect_left(starts, s[1])) or reach[k - 1] <= s[0]]


def inside(spans: list[tuple[int, int]], containers: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The spans starting after a container's start and ending at or before its end."""
    if not containers:
        return set()
    ordered = sorted(containers, key=tuple)
    starts, reach = [a for a, _ in ordered], list(accumulate((b for _, b in ordered), max))
    return {tuple(s) for s in spans if (k := bisect_left(starts, s[0])) and reach[k - 1] >= s[1]}


# an edition written after a model's name is part of it ("RenAM 500Q Flex", "Teamcenter X");
# a type word or "3D" ending it is not ("CX210L Heavy-Payload Robot" in a headline); an operating
# system's edition too ("Windows 11 IoT Enterprise LTSC 2024"), and a generation ("Optimus Gen 3",
# "Skypod Next Gen", "FormUp 350 New Generation")
_EDITION = re.compile(rf" (?:{'|'.join(EDITION_WORDS)}|(?:IoT )?Enterprise|LTS[BC](?: (?:19|20)\d\d)?|Edition|Gen \d{{1,2}}"
                      r"|(?:Next|New) Gen(?:eration)?)(?![\w-])")
# a technique's acronym after a model is no variant of it ("ESPRIT EDGE 2025 CAM software")
_TECHNIQUES = frozenset("CAM CAD CAE PLM TIG MIG MAG CT X-ray".split())
# after a model code, its variant: "S7-1200 G2", "nanoScan3 I/O", "GA 37 VSD+", "M 290-2 1kW",
# "TruLaser 5030 fiber", "INTEGREX i-250H S"
# "TruLaser 5030 fiber", "INTEGREX i-250H S", "DMU 65 monoBLOCK", "KR C5 micro", "TIA Portal V19 Update 3"
_VARIANT = re.compile(r" ([A-Z]{1,3}\d?\+?|I/O|Update \d{1,2}|\d+(?:\.\d+)?k?W|fiber|Fiber|Color|Speed|micro|[a-z]{2,}[A-Z]{3,})(?![\w/+-])")
_NOT_VARIANTS = GENERIC | _TECHNIQUES | {"A", "I", "AT", "ON", "IN", "OR", "TO", "ET", "DE", "LE", "LA", "EN", "AU", "DU",
                           "UN", "ES", "IS", "IT", "OF", "AND", "THE", "PER", "AUX", "DES", "LES",
                           "UPS"}   # a power supply's kind: "Galaxy VXL UPS systems"
# model-code look-alikes: a protection rating, an alloy or a compound ("IP65", "Ti6Al4V", "AlSi10Mg", "TiO2")
# ("IP65/IP67", "H2S/CO": several of them)
_ELEMENTS = r"(?:Ti|Al|V|Si|Mg|Co|Cr|Mo|Ni|Fe|Cu|Zn|Mn|W|Nb|Ta|Zr|Sn|C|N|O|H|Cl|Li|Na|Ca)"
_COMPOUND = rf"(?:{_ELEMENTS}\d{{0,2}}){{2,6}}|H2S|SO2|SF6"
_NOT_A_PRODUCT = re.compile(rf"I[PK]\d\dK?(?:/I[PK]\d\dK?)*|{_COMPOUND}(?:/{_COMPOUND})*")
_ELEMENT = re.compile(rf"({_ELEMENTS})\d{{0,2}}")
# a technique's acronym before or as the type ("ESPRIT EDGE 2025 CAM software", "Dynasty 400 TIG welder")
_TYPE_END = re.compile(rf"(?: (?:(?i:{TYPES}|3D|CMMs|AMRs|AGVs|PLCs|HMIs|Generation|Series)|{'|'.join(_TECHNIQUES)})"
                       r"(?![\w-]))+$")


def edition(folded: str, span: tuple[int, int], listed: bool, titled: bool = False) -> tuple[int, int]:
    """A product's span with its edition and variant after it, without a protocol or a type
    ending it; in a Title Case headline (``titled``), without a type word and what follows it
    when no code comes after ("FLIRT Akku Battery Trains Enter": FLIRT Akku)."""
    start, end = span
    words = folded[start:end].split(" ")
    if not listed and len(words) > 1 and words[-1] in PROTOCOLS:
        end -= len(words[-1]) + 1                           # "the DXMR90 IO-Link master"
    elif not listed and len(words) > 1 and words[0] in PROTOCOLS and is_code(words[1]):
        start += len(words[0]) + 1                          # "le capteur IO-Link O5D150"
    words = folded[start:end].split(" ")
    if titled and not listed and len(words) > 2:   # a headline's type words, then more words
        for k in range(1, len(words) - 1):
            if words[k].lower() in TYPE_FORMS and not any(map(_has_digit, words[k:])):
                end = start + len(" ".join(words[:k]))
                break
    trimmed = None if listed else _TYPE_END.search(folded, start, end)   # "Absolute Arm" is listed
    if trimmed and trimmed.start() > start and " " in folded[start:end]:
        end = trimmed.start()
        tokens = folded[start:end].split(" ")
        # and the headline's words between the model and its type: "CX210L Heavy-Payload Robot"
        while len(tokens) > 1 and any(is_code(tok) for tok in tokens[:-1]) and \
                (tokens[-1] in GENERIC or all(part and plain(part) for part in tokens[-1].split("-"))):
            end -= len(tokens.pop()) + 1
        return start, end
    end = _glued(folded, start, end)
    while (m := _EDITION.match(folded, end)) is not None:
        end = m.end()
    # a variant after a model's code, or after the edition of a model with one ("microScan3 Pro I/O")
    name, _, last = folded[start:end].rpartition(" ")
    edited = _has_digit(name) and _EDITION.fullmatch(" " + last) is not None
    while (edited or _has_digit(folded[start:end].rsplit(" ", 1)[-1])) and \
            (m := _VARIANT.match(folded, end)) is not None and m.group(1) not in _NOT_VARIANTS:
        end, edited = m.end(), False
    return start, end


# a model's code going on after a dot or a colon ("TWINSCAN EXE:5200", "LOGO! 8.4", "VCXG-201M.R")
_GLUED = re.compile(r"[.:]([A-Za-z0-9]{1,6})(?![\w-]|[.:]\w)")


def _glued(folded: str, start: int, end: int) -> int:
    """A span's end past the rest of its model's code written on after a dot or a colon: after a
    code, or before digits after a colon ("NXT:2100i"); not a sentence's next word ("UR5e.The")."""
    m = _GLUED.match(folded, end)
    if m is None or m.group(1)[:1].isupper() and m.group(1)[1:].islower() and len(m.group(1)) > 1:
        return end
    digits = _has_digit(m.group(1))
    coded = is_code(folded[start:end].rsplit(" ", 1)[-1])
    return m.end() if (digits or coded) and (folded[end] == "." or digits) else end


def _has_digit(text: str) -> bool:
    return any(c.isdigit() for c in text)


def widened(spans: list[tuple[int, int]], read: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names with those read from the context: one holding a listed name or a family's model
    takes its place, as the fuller name ("GrabCAD Print Pro" over "GrabCAD Print", "PC-DMIS
    2025.1" over "PC-DMIS 2025", "IEEE Robotics and Automation Society" over "IEEE"). Each read
    span is compared with the spans near it only, through an index by start (a text stuffed
    with one name holds thousands); a read span is appended last, the others keep their order."""
    alive = dict.fromkeys(map(tuple, spans))          # insertion order is the result's order
    index = sorted(alive)
    longest = max((b - a for a, b in chain(alive, map(tuple, read))), default=0)
    for span in map(tuple, read):
        a, b = span
        near = index[bisect_left(index, (a - longest, -1)):bisect_left(index, (b, -1))]
        inside = [s for s in near if a <= s[0] and s[1] <= b]
        if any(s[0] < b and a < s[1] for s in near if s not in inside):
            continue
        for s in inside:
            del alive[s]
            index.pop(bisect_left(index, s))
        alive[span] = None
        insort(index, span)
    return list(alive)


_NUMBER_AFTER = re.compile(r" (?:\d+(?:\.\d+)*|[A-Z]?\d+[A-Za-z]*)(?![\w.,-]*\d)(?![\w-])"
                           r"|/\d+[A-Za-z]*(?![\w/-])")   # a variant: "M-20iD/25"
_YEAR_AFTER = re.compile(r" (?:19|20)\d\d")
_RELEASE = re.compile(r" R\d(?![\w-])")     # a year's release: "Mechanical 2024 R2"
# a power rating written after the model's number is part of its name, as "Fuse 1+ 30W" is
# ("ByStar Fiber 10 kW"): the number goes with its unit or not at all
_RATING = re.compile(r" [kM]?W(?![\w-])")


def numbered(folded: str, span: tuple[int, int]) -> tuple[int, int]:
    """A listed product with the number or version written after it: "TwinCAT 3", "GoFa 12",
    or its variant's: "M-410iC/500"; a year only after a name ending with a letter, which
    software is ("Solid Edge 2025", "PI Server 2024", "Mechanical 2024 R2"; a model's
    number is no year: "UR5e 2025" is not one), or one in capitals ("ESPRIT EDGE 2025");
    no dimension ("Laser Genius+ 2D cutting")."""
    m = _NUMBER_AFTER.match(folded, span[1])
    if m is None or DIMENSION.match(m.group(), 1):
        return span
    if _YEAR_AFTER.fullmatch(m.group()):
        name = folded[span[0]:span[1]]
        if not (name[-1:].isalpha() or name.isupper()):
            return span
        release = _RELEASE.match(folded, m.end())
        return span[0], release.end() if release else m.end()
    rating = _RATING.match(folded, m.end()) if m.group()[1:].replace(".", "").isdigit() else None
    return span[0], rating.end() if rating else m.end()


# a safety level or a generic polymer grade with its number ("SIL 2", "PL d", "PA 12", "PEEK")
_GRADE = re.compile(r"(?:A?SIL|PL|PA|PE|PP|PC|PET|PEI|PEEK|PEKK|PPS|TPU|ABS|ASA|PLA|PETG)(?: ?\d{1,3}[a-e]?| [a-e])?"
                    # steel, copper-alloy, aluminium and pipe grades: "S355 J2+N", "CW614N", "6063-T6", "PE100 SDR 11"
                    r"|S\d{3}(?: ?[JKM][\w+]*)?|CW\d{3}[A-Z]|\d{4}-T\d+|17-4 ?PH|PE\d{2,3}(?: SDR ?\d+)?"
                    # a hazardous area's zone, a pipe's nominal size or pressure: "Zone 21", "DN 300", "PN 16"
                    r"|Zone \d{1,2}|DN ?\d{1,4}|PN ?\d{1,3}|R[ée]gion \d{1,2}"
                    r"|[A-G]\+{1,3}")     # an energy class: "A+++"


def rating(name: str) -> bool:
    """Whether a name is a protection rating or an alloy ("IP69K", "AlSi10Mg"); not a model's
    code that only looks like a formula ("HH7": a formula never writes one element twice in a
    row)."""
    if _NOT_A_PRODUCT.fullmatch(name) is None:
        return False
    elements = [m.group(1) for m in _ELEMENT.finditer(name)]
    return not any(a == b for a, b in zip(elements, elements[1:]))


def plausible_product(name: str) -> bool:
    """Whether a span read as a product can be one: a letter in it ("a Tier 1 supplier"), not
    a rating, an alloy, a safety level or a polymer grade, not a protocol or a generic word
    alone ("modules EtherCAT", "3D"), and no standard's designator in it ("Cobots Under
    ISO/TS 15066": a standard is never a product nor part of one)."""
    return any(c.isalpha() for c in name) and not rating(name) and not _GRADE.fullmatch(name) \
        and name not in PROTOCOLS and name not in GENERIC and not _QUALIFIED.search(name) \
        and DESIGNATORS.isdisjoint(word.split("/")[0] for word in name.split()) \
        and (" " in name or PROTOCOLS.isdisjoint(_JOINED.split(name)))   # "OpenVPN/IPsec", "PubSub-over-MQTT"


_JOINED = re.compile(r"[/-]")
# a name's qualification, no name: "NIOSH-approved respirators", "ATEX-certified", "AI-based"
_QUALIFIED = re.compile(r"-(?:approved|certified|compliant|based|powered|driven|enabled|ready|rated|listed|"
                        r"homologue|certifie)e?s?$")


# what goes on after a product's name as written: a model code or a number ("ctrlX CORE plus
# X7", "VLT AutomationDrive FC 302"), an edition in capitals ("Onyx FR"), a product line's
# capitalised word ("Rilsan Invent Natural", "Virtuose 6D Desktop", "NX X Manufacturing"), a
# generation ("DVF 5000 2nd Generation"); an edition word in small letters only before more
# (a token ends at a line's end as at the text's: a headline reads the same with a summary after it)
_TAIL_TOKEN = re.compile(r" ([A-Za-z0-9][\w+.]*(?:[-/][\w+]+)*)(?=[ ,.;:)!?\n]|$)")
_VARIANT_LETTERS = re.compile(r"[A-Z]{1,3}-[A-Z]{1,2}")
_EDITION_CODE = re.compile(r"[A-Z]{2}[a-rt-z]")     # not a plural acronym ("3702i APs")
_SMALL_EDITIONS = frozenset("plus pro max mini nano micro ultra".split())
# and one a model's code or coined name ends with ("PSENmlock mini", "KR 240 R2900 ultra")
_LAST_SMALL_EDITIONS = frozenset("mini ultra nano".split())
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|e|eme)$")
_NOT_A_LINE_WORD = frozenset(("Series", "Update", "Upgrade", "Release"))   # "moneo Update"
_TAIL_REACH = 4
_YEAR = re.compile(r"(?:19|20)\d\d")
_LINE_STOPS = OPENERS | EVENT_WORDS | CLASS_WORDS | _NOT_A_LINE_WORD


def _tail_kind(token: str, previous: str, in_title: bool, final: bool) -> str | None:
    """How a token after a product's name can go on with it: "code", "caps", "word" (a
    capitalised word of a product line), "generation" (after an ordinal), "small" (an edition
    word in small letters), or None."""
    if is_code(token):
        if DIMENSION.match(token) and not final or NOT_A_CODE.match(token) and not (
                _YEAR.fullmatch(token) and previous[-1:].isalpha() or _ORDINAL.match(token)):
            return None                              # "2D cutting", "30 kg" (not "Electrical 3D."); a year after a letter
        return "code"
    if token in _NOT_VARIANTS or token in PROTOCOLS or token in STANDARD_BODIES or token in GENERIC \
            or _type_word(token):
        return None                                  # a type word is the model's kind, in capitals too ("TM25S COBOT")
    if token.isupper() and token.isalpha() and len(token) <= 5:
        return "caps"
    if _VARIANT_LETTERS.fullmatch(token) or _model_end(previous) and _EDITION_CODE.fullmatch(token):
        return "caps"       # a variant's letters: "Onyx FR-A"; after a model's code: "ENSIS-3015 AJe"
    if token in _SMALL_EDITIONS:
        return "caps" if token in _LAST_SMALL_EDITIONS and _model_end(previous) else "small"
    if token == "Generation" and _ORDINAL.match(previous) and not in_title:
        return "generation"                          # "DVF 5000 2nd Generation five-axis": no modifier
    if in_title or not token[:1].isupper() or not plain(token.replace("-", "")) or token in _LINE_STOPS:
        return None
    return "word"


def _model_end(token: str) -> bool:
    """A model's code or a coined name with capitals inside ("R2900", "PSENmlock")."""
    return is_code(token) or any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)


def _type_word(token: str) -> bool:
    """A product type, singular or plural, however it is written ("Cobot", "COBOTS")."""
    lowered = token.lower()
    return lowered in TYPE_WORDS or lowered[:-1] in TYPE_WORDS


_NEXT_SMALL = re.compile(r" ([a-z][\w'-]*)")


def _modifier(folded: str, end: int, acts: Callable[[str, int], object]) -> bool:
    """Whether a capitalised word ending at ``end`` qualifies the noun in small letters after
    it ("Grafana Andon panels"): a word that is no link word, product type ("UR8 Long cobot")
    nor verb follows."""
    m = _NEXT_SMALL.match(folded, end)
    word = m.group(1) if m else ""
    return bool(word) and word not in LINK_WORDS and word.rstrip("s") not in TYPE_WORDS and not acts(folded, end)


def tail(folded: str, span: tuple[int, int], taken: list[tuple[int, int]], title_end: int,
         acts: Callable[[str, int], object]) -> tuple[int, int]:
    """A product's span with the edition, variant, model code or product line's words written
    after it (``_TAIL_TOKEN``), up to a type word, a verb, a small word, punctuation or a name
    taken otherwise; in a Title Case headline only codes and capitals ("Launches" is a verb)."""
    start, end = span
    in_title = start < title_end
    previous, pending = folded[start:end].rsplit(" ", 1)[-1], None
    for _ in range(_TAIL_REACH + 1):
        m = _TAIL_TOKEN.match(folded, end if pending is None else pending)
        if m is None or any(a < m.end() and m.start() + 1 < b for a, b in taken):
            break
        token = m.group(1).rstrip(".")
        kind = _tail_kind(token, previous, in_title, not folded.startswith(" ", m.end()))
        if kind is None and not in_title and _type_word(token) and _versioned_after(folded, m.end()):
            kind = "word"                    # "EcoStruxure Operator Terminal Expert 2024": the name's
        if kind is None or kind == "word" and (acts(folded, m.start()) or folded.startswith("'", m.end())
                                               or _modifier(folded, m.end(), acts)):
            break
        if kind == "small":
            pending = m.start() + 1 + len(token)
            continue
        end, pending, previous = m.start() + 1 + len(token), None, token
    if (decimals := _DECIMALS.match(folded, end)) and _VERSION_CUT.search(folded, start, end):
        end = decimals.end()                 # "OTTO 1500 V2.5": a release's decimals, cut at its dot before
    return start, end


_VERSION_CUT = re.compile(r"(?<![\w.])V\d+$")
_DECIMALS = re.compile(r"(?:\.\d+)+(?![\w-]|\.\w)")     # a sentence's full stop may follow: "V3.1."


def _versioned_after(folded: str, end: int) -> bool:
    """Whether one or two capitalised words after a type word end with a release's year or
    version, as a software's long name does ("… Operator Terminal Expert 2024", "… Vision
    Designer Pro V3"): the type word is then the name's, no kind after it."""
    return _VERSIONED_AFTER.match(folded, end) is not None


_VERSIONED_AFTER = re.compile(r" [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:(?:19|20)\d\d|V?\d+(?:\.\d+)+|V\d+)(?=[ ,.;:)]|$)")


_SITE_BEFORE = re.compile(r"(?:usine|site|plant|factory|atelier|fonderie|foundry|forge|acierie|scierie|papeterie|verrerie|cimenterie|raffinerie|laiterie|sucrerie|distillerie|tannerie) $")


def complemented(folded: str, span: tuple[int, int]) -> tuple[int, int]:
    """An unlisted organisation named by one word, with the place or name after it that makes
    it one: "chez Plastiques du Val de Loire", "Tôlerie du Bocage" (not after a site: "l'usine
    Nordson de Lyon")."""
    word = folded[span[0]:span[1]]
    if not plain(word) or (m := OF_PROPER.match(folded, span[1])) is None \
            or _SITE_BEFORE.search(folded, max(0, span[0] - 12), span[0]) or _parent(folded, m):
        return span
    return span[0], m.end()


def _parent(folded: str, of: re.Match) -> bool:
    """Whether what a complement names is an institution, the name's parent and no place of
    it: "le laboratoire SYMME de l'Université Savoie Mont Blanc"."""
    capital = next((k for k, c in enumerate(of.group()) if c.isupper()), None)
    return capital is not None and FR_INSTITUTION.match(folded, of.start() + capital) is not None
