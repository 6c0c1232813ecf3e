"""The organisations and products a text names, put together from every reading.

``names_in`` gathers the listed names (references.yaml, compiled in ``reference_names``:
a family's model, a listed organisation with its division), the organisations the text frames
("la société X", "X GmbH"), the makers named by a common word where they act, and the names
read from their context (``reference_context``), then settles where each one ends and which
of two readings wins (a listed one-word product the context reads as a maker is the maker;
a maker written in front of a model is cut off it). It returns (kind, key, text) triples that
``references.extract`` adds to the standards, acts, French texts and dates it finds: apart
from those because they are patterns over the text, while this is the arbitration between
readings of the same capitalised words.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from functools import lru_cache, partial
from typing import Iterator

from veille.framed_names import (ampersand_names, apposed_type, equipment_makers, framed_organisations, listed_codes, trade_names, named_after, numbered_after,
                                 owned_products,
                                 product_after, quoted_products, range_products, software_products, typed_products)
from veille.name_frames import (HEADLINE_VERBS, OPENING, TYPE_FORMS, WORD, acts_after, acts_at, for_names, headline,
                                last_words, type_after, used_before)
from veille.name_lexicon import (
    DESIGNATORS,
    DIVISIONS,
    FIELD_WORDS,
    GENERIC,
    HEADS,
    INSTITUTIONS,
    LEGAL,
    OPENERS,
    PROTOCOLS,
    REGION_AFTER,
    TYPES,
    camel,
    common,
    is_code,
    namey,
    given_names,
    person_name,
    places,
    plain,
    surnames,
)
from veille.name_institutions import abbreviates, defined_acronyms
from veille.name_runs import run_at, run_span, split_run
from veille.name_spans import Taken, clear_of, complemented, edition, inside, nested, numbered, overlaps, plausible_product, rating, tail, widened
from veille.reference_context import context_names, model_code, release
from veille.reference_dates import MONTHS
from veille.reference_name_model import KINDS as NAME_KINDS, THRESHOLD, features as name_features, load_model
from veille.reference_names import PUBLISHERS, Names
from veille.reference_text import Text, fold, occurrences


def _bounded(pattern: re.Pattern, text: str, openings: set[str] | None = None) -> Iterator[re.Match]:
    """``pattern``'s matches not preceded by a letter, digit or hyphen: the same matches as
    with a leading lookbehind, found much faster (a retry one character on after a hit that
    fails the test, so no overlapping match is lost). With ``openings`` (what every match
    that passes the test starts with), the pattern is tried only where one of them is: a
    place skipped holds no match, or one the test fails, which would only be skipped too."""
    if openings is None:
        starts = None
    elif not openings:
        return
    else:
        starts = sorted({i for opening in openings for i in occurrences(text, opening)})
    pos = 0
    while (m := _next_match(pattern, text, pos, starts)) is not None:
        start = m.start()
        if start and (text[start - 1].isalnum() or text[start - 1] in "_-"):
            pos = start + 1
            continue
        yield m
        pos = m.end()


def _next_match(pattern: re.Pattern, text: str, pos: int, starts: list[int] | None) -> re.Match | None:
    """The first match at ``pos`` or after: anywhere, or at one of ``starts`` (sorted)."""
    if starts is None:
        return pattern.search(text, pos)
    for start in starts[bisect_left(starts, pos):]:
        if (m := pattern.match(text, start)) is not None:
            return m
    return None


# Characters scanned by the openings' searches beyond which a text's runs are read first: a name
# opens where a run of word characters starts, and a long article holding the words of hundreds
# of names ("M0609", "T7X": their words are single letters) has few of their runs
_SCANNED = 50_000
_FIRST_RUN = re.compile(r"\w+")


@lru_cache(maxsize=65536)
def _first_run(opening: str) -> str | None:
    """The run of word characters an opening starts with, that the text holds where the name
    starts (the run ends where the opening does or at a character no word has); None for an
    opening starting otherwise."""
    m = _FIRST_RUN.match(opening)
    return m.group() if m else None


def _listed(t: Text, data: Names, kind: str) -> list[tuple[int, int]]:
    """The spans of the listed names of a kind (matched as written, accents aside: the text's
    words tell where one can start, plain or not): ``_bounded``'s matches of ``named[kind]``,
    each place tried with the names starting with what the text has there only."""
    folded, at = t.folded, {}
    openings = data.name_sets[kind].openings(t.words)
    if len(openings) * len(folded) > _SCANNED:      # a long text with many names' words
        runs = t.runs
        openings = [opening for opening in openings if (run := _first_run(opening)) is None or run in runs]
    for opening in openings:
        size = len(opening)
        for i in occurrences(folded, opening):
            # a name's first word ends where the text's does (a space or the name's end
            # follows it): "T 264" is not tried at "The", nor "Apple" at "Applebee's"
            following = folded[i + size:i + size + 1]
            if not (following.isalnum() or following == "_"):
                at.setdefault(i, []).append(opening)
    spans, end = [], 0
    for start in sorted(at):
        # inside the last name, or after a letter, digit or hyphen (a hit there is skipped)
        if start < end or start and (folded[start - 1].isalnum() or folded[start - 1] in "_-"):
            continue
        if (m := data.named_from(kind, frozenset(at[start])).match(folded, start)) is not None:
            spans.append(m.span())
            end = m.end()
    return spans


_PLACE_BEFORE = frozenset("a au aux in at near pres".split())    # "à Ancenis", "in Leeds"
_SURNAME = re.compile(r" [A-Z][a-z]")


def _word_like(name: str) -> bool:
    """A name written like an ordinary capitalised word ("Spot", "Stretch")."""
    return name.isalpha() and name[:1].isupper() and name[1:].islower()


def names_in(t: Text, data: Names, english: bool = False, foreign: bool = False,
             cited: list[tuple[int, int]] | None = None) -> list[tuple[str, str, str]]:
    """Organisations and products: listed ones, organisations the text frames as such ("la
    société X", "X GmbH"), a listed family's model ("SIMATIC S7-1500"), a model right after
    its maker ("Stratasys F5000"), and names read from their context (``context_names``:
    "Nordson launched the ProBlue Flex"). Keys: a listed name's first spelling, else as written.
    ``foreign``: text in another language than French or English, whose words the readers
    of context do not know (German writes its nouns with a capital): listed names and what
    their frames give only. ``cited``: the spans of the standards, acts and French texts the text
    cites, which hold no name ("ANSI/RIA R15.08-1", "ETSI EN 303 645", "the CRA's")."""
    t, makers, products, runs = rule_names(t, data, english, foreign)
    model = load_model() if runs else None
    if model is not None:
        for kind, span in model_names(t, runs, makers, products, english, model):
            (makers if kind == "organisation" else products).append(span)
    if products:                # "the CMX-500 … the CMX-700": the line's other models
        title_end = getattr(t, "title_end", 0)
        products += [tail(t.folded, span, makers, title_end, acts_at) for span in _first(_siblings(t.folded, products, makers))]
    original = t.original
    # an organisation starts after a question opening a headline ("How Harrowgate Dairies cut ...")
    makers = [(m.end(), b) if (m := _QUESTION_FIRST.match(original, a, b)) else (a, b) for a, b in makers]
    if " (" in original:
        makers, products = _bodies_by_acronym(original, makers, products)
    if makers and products or len(makers) > 1:
        makers, products = _short_forms(original, data, makers, products)
    products = [_without_kind(original, span) for span in products if not _tag(t.folded, span)]
    # an ordinal is no part of the model ("son 150e TBM 960"), nor a protocol's version one ("Wi-Fi 6")
    products = [(m.end(), b) if (m := _ORDINAL.match(original, a, b) or _QUALIFIER.match(original, a, b)) else (a, b)
                for a, b in products
                if not _PROTOCOL_BEFORE.search(original, max(0, a - 12), a)
                and (original[a:b].split(" ", 1)[0] not in PROTOCOLS or data.is_listed("product", original[a:b]))]
    if ":" in original and (tickers := _tickers(original)):
        makers = [s for s in makers if not any(a <= s[0] < b for a, b in tickers)]     # "(NYSE: ROK)"
        products = [s for s in products if not any(a <= s[0] < b for a, b in tickers)]
    # a "+" written right after a product's name is its edition ("Windchill+", "Ewon Cosy+"), not
    # an energy class's ("A+++"); a number before its unit is no part of it ("MIT1025 10 kV tester")
    products = [(a, b + 1) if original[b:b + 1] == "+" and b - a > 1 and original[b + 1:b + 2] != "+"
                and not original[b + 1:b + 2].isalnum() else _without_measure(original, (a, b)) for a, b in products]
    products = [s for s in products if s is not None]
    if len(products) > 1:   # "sa gamme CRX avec le CRX-25iA": the range's code opens its model's
        ranges = _opening_others({original[a:b] for a, b in products})
        products = [s for s in products if original[s[0]:s[1]] not in ranges]
    makers, products = _sifted(t, data, makers, products, cited or [])
    return [(kind, span_key(data, kind, original, start, end), original[start:end])
            for kind, spans in (("organisation", makers), ("product", products)) for start, end in spans]


def _opening_others(names: set[str]) -> set[str]:
    """The names another opens, then a hyphen or a digit ("CRX" for "CRX-25iA"): the names
    sorted, those a name opens follow it."""
    ordered, out = sorted(names), set()
    for k, name in enumerate(ordered):
        for other in itertools.takewhile(lambda o: o.startswith(name), ordered[k + 1:]):
            if other[len(name)] in "-0123456789":
                out.add(name)
                break
    return out


def _sifted(t: Text, data: Names, makers: list[tuple[int, int]], products: list[tuple[int, int]],
            cited: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The names found, without what their words or place say they are not."""
    original = t.original
    makers = [s for s in clear_of(makers, cited) if not _inside_a_word(original, s)
              and not original.endswith((" Act", " Acts"), *s)          # a law: "backed by CHIPS Act funding"
              and not _plural_opening(original, data, "organisation", s)
              and not _LABEL_BEFORE.search(original, max(0, s[0] - 10), s[0])]   # "le label French Fab"
    products = [_without_update(original, s) for s in products]
    products = [s for s in clear_of(products, cited) if not _inside_a_word(original, s)
                and not rating(original[s[0]:s[1]])       # whatever cut it last: "IO-Link IP69K"
                and not _BOOTH_BEFORE.search(original, max(0, s[0] - 8), s[0])     # "Hall 9, Booth D11"
                # common words in a headline in Title Case ("Publishes Safety Manual for ctrlX CORE")
                and not _common_in_title(original, data, s)
                # a product type alone ("Google Cloud Platform" read as its maker and "Platform")
                and not (_TYPE_WORD.fullmatch(t.folded, *s) and not data.is_listed("product", original[s[0]:s[1]]))
                and not _CONFERENCE.fullmatch(original, *s)
                and not _BOOTH_AFTER.match(original, s[1])                  # a fair: "its Automate 2025 booth"
                and not _plural_opening(original, data, "product", s)
                # a text's part: "l'annexe XVII du règlement REACH"
                and not (_ROMAN.fullmatch(original, *s) and _PART_BEFORE.search(original, max(0, s[0] - 12), s[0]))
                and not _LABEL_BEFORE.search(original, max(0, s[0] - 10), s[0])]
    # a quality written before a model is no part of it ("its SF6-free ELK-14 switchgear")
    products = [(m.end(), b) if (m := _QUALITY_FIRST.match(original, a, b)) else (a, b) for a, b in products]
    # a model read again inside a longer one is that one ("ABB GoFa CRB 15000": not also "CRB 15000")
    longer = nested(products)
    products = [s for s in products if tuple(s) not in longer]
    # an ordinal before a model is which of its units, no model ("sa 500e TruLaser 3030": not "500e";
    # the Fiat 500e stays)
    starts = {a for a, _ in products}
    products = [s for s in products if not ((m := _ORDINAL.match(original, s[0])) and m.end() == s[1] + 1
                                            and m.end() in starts)]
    # a product's edition is no maker ("FactoryTalk View SE v13.0": not "SE"), nor a longer
    # organisation's word ("Bois du Marsan": not also "Marsan")
    dropped = inside(makers, products) | nested(makers)
    makers = [s for s in makers if tuple(s) not in dropped]
    # a place is no name, whichever reader took it ("la PME de Figeac"), unless listed as one,
    # written with its legal form ("Cincinnati Inc.") or naming the model after it ("a
    # Heidelberg Speedmaster XL 106")
    folded, known = t.folded, places()
    makers = [s for s in makers if folded[s[0]:s[1]].lower() not in known or data.is_listed("organisation", original[s[0]:s[1]])
              or original[s[1] + 1:s[1] + 12].partition(" ")[0].rstrip(".,;") in LEGAL or s[1] + 1 in starts]
    return makers, products


def _inside_a_word(original: str, span: tuple[int, int]) -> bool:
    """Whether a name begins after an apostrophe that elides no article nor pronoun: it is the
    end of a word ("Normand’Hy", "O'Reilly"), not a name of its own."""
    start = span[0]
    if start < 2 or original[start - 1] not in "'’" or not original[start - 2].isalpha():
        return False
    m = _WORD_BEFORE_APOSTROPHE.search(original, max(0, start - 12), start - 1)
    return m is not None and m.group().lower() not in _ELIDED


_WORD_BEFORE_APOSTROPHE = re.compile(r"\w+$")
_ELIDED = frozenset("l d qu n s j m t c jusqu lorsqu puisqu quoiqu presqu".split())


def _without_update(original: str, span: tuple[int, int]) -> tuple[int, int]:
    """A headline's word for what a release brings is no part of the product ("Adds SIMULIA
    Abaqus Updates")."""
    name, _, last = original[span[0]:span[1]].rpartition(" ")
    cut = last in _RELEASED or last in _RELEASE_WORDS and headline(original, span[0])
    return (span[0], span[0] + len(name)) if name and cut else span


_RELEASE_WORDS = frozenset("Updates Update Upgrades Upgrade Releases Release Features Enhancements Improvements "
                           "Integration Support Launch Debut Rollout".split())
# what was done with a release, never its name's last word, headline or not ("SolidWorks 2025 SP2 Released")
_RELEASED = frozenset("Released Launched Unveiled Announced Available".split())


_BOOTH_AFTER = re.compile(r" (?:booth|stand)(?![\w-])")
_BOOTH_BEFORE = re.compile(r"(?<![\w-])(?i:booth|stand|hall|halle) (?:n[o°º] ?)?$")
_LABEL_BEFORE = re.compile(r"\b(?i:label) $")


def _common_in_title(original: str, data: Names, span: tuple[int, int]) -> bool:
    """Whether a product read in a Title Case headline is only common words written with a
    capital, or ratings ("Safety Manual", "SIL Verification"; not "iPhone X", "Wii U")."""
    name = original[span[0]:span[1]]
    return " " in name and all(word in _RATINGS or len(word) > 2 and word.isalpha() and word[1:].islower()
                               and common(word) for word in name.split(" ")) \
        and headline(original, span[0]) and not data.is_listed("product", name)


_RATINGS = frozenset("SIL PL ATEX IP".split())
# a conference named by its field and "Con" ("GopherCon", "PyCon")
_CONFERENCE = re.compile(r"[A-Z][a-z]+Conf?(?: (?:EU|US|Europe|20\d\d))?")
# a product type alone is no product's name ("Google Cloud Platform" read as its maker and "Platform")
_TYPE_WORD = re.compile(rf"(?i:{TYPES})")


def _plural_opening(original: str, data: Names, kind: str, span: tuple[int, int]) -> bool:
    """Whether a name read is a common word's plural opening a line or a sentence ("Installers
    added 7.9 GW", "Chariots et AGV :")."""
    word = original[span[0]:span[1]]
    return word[-1:] == "s" and word.isalpha() and word[1:].islower() \
        and (span[0] == 0 or original[span[0] - 1] == "\n"
             or original[max(0, span[0] - 2):span[0]] in (". ", "? ", "! ")) \
        and (common(word[:-1]) or word.endswith("es") and common(word[:-2])) and not data.is_listed(kind, word)


_QUALITY_FIRST = re.compile(r"[\w.]+-(?:free|based|ready|enabled|powered|compatible|compliant|certified|rated) ")
_ROMAN = re.compile(r"(?=[IVXL])(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_PART_BEFORE = re.compile(r"(?i:annexe|annex|article|titre|title|chapitre|chapter|partie|part|livre|section|tome|phase|"
                          r"niveau|level|stage|tier)\s+$")


def _without_measure(original: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """A product's span without a number its unit follows ("Micropilot FMR62B 80 GHz radar"),
    None if only a common word is left."""
    words = original[span[0]:span[1]].split(" ")
    for k in range(len(words) - 1, 0, -1):       # "MIT1025 10 kV", read with its unit or before it
        if words[k].replace(".", "").replace(",", "").isdigit() and \
                (unit := _UNIT_AFTER.fullmatch(" " + " ".join(words[k + 1:])) if k + 1 < len(words)
                 else _UNIT_AFTER.match(original, span[1])):
            left = " ".join(words[:k])
            # a common word or a currency left is none ("GE Vernova Books 7 GW": a verb and a
            # plant's power; "SEK 4.6 billion": an amount)
            if k == 1 and (common(left) or unit.group().strip().startswith(_AMOUNTS)):
                return None
            return span[0], span[0] + len(left)
    return span


_AMOUNTS = ("million", "billion", "milliard")


# units a measure is given in (a power's, kW or W, may name a model: "ByStar Fiber 10 kW"; a
# plant's, MW or GW, does not: "GE Vernova Books 7 GW"), and amounts
# (not a letter alone, which a model's series is: "Allrounder 470 A")
_UNIT_AFTER = re.compile(r" ?(?:GHz|MHz|kHz|Hz|kV|mV|mA|mm|cm|µm|nm|bar|mbar|Nm|kN|kg|°C|L/min|l/min|rpm|"
                         r"tr/min|%|[MGT]Wh?|kWh|[kMG]Wc|tonnes|tons|millions?|billions?|milliards?)(?![\w/])")


def _apposed_runs(folded: str, runs: list[list[tuple[str, int]]],
                  taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the runs nothing else read that are apposed to a product type: a product,
    as a name the context frames would be ("feeds images into GridLens, a platform built
    by"), but a place after its preposition ("à Ancenis, une cellule de soudage")."""
    out = []
    for run in runs:
        span = run_span(run)
        if folded.startswith(", ", span[1]) and apposed_type(folded, span[1]) and namey(run[0][0]) \
                and not is_code(run[0][0]) and not overlaps(span, taken) \
                and _PLACE_BEFORE.isdisjoint(last_words(folded, span[0])[-1:]):
            out.append(span)
    return out


def _apposed_words(folded: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Capitalised words within a sentence of the opening, ordinary ones too, apposed to a
    product type: "has started shipping Explorer, a wireless handheld 3D scanner" (the runs
    leave ordinary words); not a place, a month, a day or a given name ("in Leeds, a",
    "on Monday, a", "said Anna, an engineer")."""
    if ", " not in folded[:OPENING]:
        return []
    out = []
    for m in _CAPITALISED_BEFORE_COMMA.finditer(folded, 0, OPENING):
        word, span = m.group(1), m.span(1)
        lowered = word.lower()
        if apposed_type(folded, span[1]) and not overlaps(span, taken) and lowered not in places() \
                and lowered not in MONTHS and lowered not in given_names() \
                and word not in OPENERS and _PLACE_BEFORE.isdisjoint(last_words(folded, span[0])[-1:]):
            out.append(span)
    return out


# a capitalised word after a word in small letters of its sentence (not a code's or a name's
# next word: "la RenAM 500 Ultra, à quatre lasers"), then a comma and an indefinite article
_CAPITALISED_BEFORE_COMMA = re.compile(r"(?<=[a-z] )([A-Z][a-z][\w-]*)(?=, (?:un|une|a|an) )")


def _without_kind(original: str, span: tuple[int, int]) -> tuple[int, int]:
    """A product's span without the kind of system written after its name ("the GENESIS64
    SCADA platform", "the SelTrac CBTC system": GENESIS64, SelTrac)."""
    name, _, last = original[span[0]:span[1]].rpartition(" ")
    return (span[0], span[0] + len(name)) if name and last in _SYSTEM_KINDS else span


_SYSTEM_KINDS = frozenset("SCADA DCS CBTC ETCS ERTMS BMS GTB GTC WMS TMS QMS LIMS CRM EAM MES ERP GMAO CMMS "
                          "resin resins powder filament".split())   # a material's form: "ULTEM 9085 resin"


def _short_forms(original: str, data: Names, makers: list[tuple[int, int]], products: list[tuple[int, int]]
                 ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """An unlisted organisation named again by its first word ("Trelby Instruments launches
    Trelby FlowSense 9", "Orvane Robotics debuts the Orvane PX-12", "Quayline's own CutPath"):
    the short mention is the same organisation, not another, and a product written after it
    is the product alone, as after any maker ("FlowSense 9"), but for a version alone
    ("Pickwise 4.2": the product Pickwise's)."""
    names = {original[a:b] for a, b in makers}
    firsts = {name.split(" ", 1)[0] for name in names if " " in name and not data.is_listed("organisation", name)}
    makers = [(a, b) for a, b in makers if original[a:b] not in firsts or data.is_listed("organisation", original[a:b])]
    out = []
    for a, b in products:
        first, _, rest = original[a:b].partition(" ")
        out.append((a + len(first) + 1, b) if rest and (first in firsts or first in names)
                   and not data.is_listed("product", original[a:b]) and not _BARE_VERSION.fullmatch(rest) else (a, b))
    return makers, out


def rule_names(t: Text, data: Names, english: bool = False, foreign: bool = False
               ) -> tuple[Text, list[tuple[int, int]], list[tuple[int, int]], list]:
    """The text as names are read in it, the spans of the organisations and products the
    rules read in it, and the capitalised runs of its opening."""
    t = for_names(t, data.cased, data.cased_products)
    original = t.original
    makers, products = _listed_names(t, data) if not t.plain or not data.name_hints.isdisjoint(t.words) else ([], [])
    if english:                 # "the HSE": a body in English text only
        makers += clear_of(data.english_bodies_in(t), makers)
    # a maker named by a common word, where it acts or names its model ("Carrier 30XW chillers")
    makers += [s for s in clear_of(data.word_makers_in(t), makers + products)
               if (_acting(t.folded, s[1]) or _MODEL_BY.search(t.folded, max(0, s[0] - 40), s[0])
                    or product_after(t.folded, s[1]))]
    if not t.plain or not data.publisher_or_short_words.isdisjoint(t.words):   # one set test rules most texts out
        makers += clear_of(_publishers_acting(t) + _short_makers_before_models(t, data), makers + products)
    # a body defined with its acronym holds what the list read in its name ("le Conseil européen de
    # l'innovation (EIC)" over "Conseil européen")
    makers = widened(makers, clear_of(defined_acronyms(t), products))
    more_makers, more_products, runs = context_names(
        t, makers, [s for s in makers if data.is_body(original[s[0]:s[1]])]) if not foreign else ([], [], [])
    # a person's name or a place the context frames as an organisation's or a product's ("chez
    # Bonduelle, Élodie Martin, responsable", "a Bristol start-up", "Verkor's Dunkirk gigafactory")
    more_makers = [s for s in more_makers if not person_name(original[s[0]:s[1]].split())
                   and t.folded[s[0]:s[1]].lower() not in places()]
    more_products = [s for s in more_products if t.folded[s[0]:s[1]].lower() not in places()]
    # a listed product's name the context reads as a maker before a model is the model's family
    # ("Honeywell … Experion LX R500": one product)
    for maker, model in [(m, p) for m in more_makers for p in more_products if p[0] == m[1] + 1
                         and data.is_listed("product", original[m[0]:m[1]])]:
        more_makers.remove(maker)
        more_products[more_products.index(model)] = (maker[0], model[1])
    # a name apposed to a product type is a product ("sells Sentinel, a vision-inspection system")
    apposed = [s for s in more_makers if apposed_type(t.folded, s[1])
               and not any(w in HEADS or w in DIVISIONS for w in t.folded[s[0]:s[1]].split())]
    more_makers = [s for s in more_makers if s not in apposed]
    more_products += apposed + _apposed_runs(t.folded, runs, makers + more_makers + products + more_products)
    more_products += _apposed_words(t.folded, makers + more_makers + products + more_products)
    # a listed one-word product the context reads as a maker is the maker ("les automates Opta d'Arduino")
    products = [s for s in products if s not in more_makers or not _word_like(original[s[0]:s[1]])]
    makers = widened(makers, [s for s in clear_of(more_makers, products)
                               if not data.is_act_name(original[s[0]:s[1]])
                               and not _product_after_maker(t.folded, s, makers, data.product_openers)])
    if " (" in original:        # "Hydrelis (Lorient) livrera", "Les Ateliers Bréhat (Morbihan)"
        makers = widened(makers, [s for s in clear_of(_placed_firms(original, t.folded), products)
                                  if not data.is_listed("product", original[s[0]:s[1]])])
    makers = [s if data.is_listed("organisation", original[s[0]:s[1]]) else complemented(t.folded, s)
              for s in makers]      # "chez Plastiques du Val de Loire", not "l'usine Renault de Douai"
    # a protocol's or an interface standard's name is no organisation ("over GigE Vision")
    makers = [s for s in makers if original[s[0]:s[1]].split(" ", 1)[0] not in PROTOCOLS
              or data.is_listed("organisation", original[s[0]:s[1]])]
    makers = _with_centres(t.folded, makers) if len(makers) > 1 else makers
    by_number, families = [], []    # "Peugeot 3008": a model a number alone names, after its maker
    for start, end in makers:
        span = None if data.is_body(original[start:end]) else (
            product_after(t.folded, end) or named_after(t.folded, start, end))
        bare = span is None and (number := _BARE_NUMBER.match(t.folded, end)) is not None
        if bare:
            span = number.span(1)               # kept only if another maker owns it: "Graco's Husky 1050"
        if span and span[0] == end + 1 and _owned(t.folded, (start, span[1]), makers):
            families.append((start, end))       # "Graco's Husky 1050": a listed name as another maker's family
            span = start, span[1]
        elif bare:
            span = None
        if span and not overlaps(span, products):
            products.append(span)
        elif span is None and (numbers := data.numbered_models.get(t.folded[start:end].lower())):
            span = numbered_after(t.folded, end, numbers)   # over what reads the number as no name
            if span and not overlaps(span, [s for s in products if plausible_product(original[s[0]:s[1]])]):
                by_number.append(span)          # kept from the test below: a bare number is no plausible name
    makers = [s for s in makers if s not in families]
    # "le cobot Racer-5": a type framing a model, where a maker is named; a model's code anywhere
    # ("le robot SCARA YK400XE")
    products += [s for s in clear_of(typed_products(t), products + makers)
                 if makers or _code_its_type_frames(t, s, english)]
    if makers:
        products += [s for s in clear_of(owned_products(t.folded, makers, getattr(t, "title_end", 0)), products + makers)
                     if t.folded[s[0]:s[1]].lower() not in places()]
    products += clear_of(quoted_products(t), products + makers)
    products += clear_of(range_products(t), products + makers)
    # "le logiciel Safety Designer": a kind framing software, where a maker is named; a name no
    # common word is, anywhere ("la GMAO Optimaint", "l'outil Qualios")
    products += [s for s in clear_of(software_products(t), products + makers)
                 if (makers or not any(common(w) for w in original[s[0]:s[1]].split()))]
    if makers:
        products += clear_of(listed_codes(t), products + makers)
    cuts: dict[int, list[int]] = {}
    for a, b in makers:             # where the makers written at a product's start end
        cuts.setdefault(a, []).append(b)
    more_products = [_after_its_maker(t, span, cuts) for span in more_products]
    products = widened(products, clear_of(more_products, makers))
    # a product named by a common word, where its maker is named ("Autodesk … Fusion")
    products += clear_of(data.word_products_in(t, [original[a:b] for a, b in makers]), products + makers)
    products = [edition(t.folded, s, data.is_listed("product", original[s[0]:s[1]]),
                        titled=" " in original[s[0]:s[1]] and headline(original, s[0]))
                for s in products if plausible_product(original[s[0]:s[1]])] + by_number
    # and what the written name goes on with: "ctrlX CORE plus X7", "Rilsan Invent Natural"
    title_end = getattr(t, "title_end", 0)
    products = [tail(t.folded, s, makers, title_end, acts_at) for s in products]
    products += _lines_after_makers(t, data, makers, products, title_end)
    products, makers = _makers_in_front(t, data, products, makers)
    products = _family_before(t, data, products)
    # a name its company's kind follows is that company ("Rio Tinto's ELYSIS joint venture")
    companies = [s for s in products if _COMPANY_AFTER.match(t.folded, s[1]) and not overlaps(s, makers)]
    if companies:
        products, makers = [s for s in products if s not in companies], makers + companies
    # a company's former name in parentheses is an organisation too ("Forvia (ex-Faurecia)")
    makers += [m.span("name") for _, end in makers if (m := _FORMER.match(original, end))
               and not overlaps(m.span("name"), makers + products)]
    # whichever reader took it, a name ends before a legal form written with dots ("Viganò S.p.A.")
    makers = [(a, b - 2) if b - a > 2 and _DOTTED_LEGAL.match(original, b - 2) else (a, b) for a, b in makers]
    return t, makers, products, runs


def _after_its_maker(t: Text, span: tuple[int, int], makers: dict[int, list[int]]) -> tuple[int, int]:
    """A product read from the context without the listed maker named again in front of it,
    when what follows is a model's name (a code, capitals or camel case): "the EOS NickelAlloy
    HX powder", "UltiMaker PET CF filament"; not a legal form, nor in a Title Case headline."""
    start, end = span
    cut = next((b for b in makers.get(start, ()) if b < end), None)
    if cut is None or t.folded[cut:cut + 1] != " " or start < getattr(t, "title_end", 0):
        return span
    tokens = t.folded[cut + 1:end].split(" ")
    if tokens[0] in LEGAL or not any(is_code(tok) or camel(tok) or tok.isupper() and len(tok) > 1 for tok in tokens):
        return span
    return cut + 1, end


_FORMER = re.compile(r" \((?:ex-|ex |anciennement |formerly |previously )(?P<name>[A-ZÀ-Ý][\w&'’.-]*(?: [A-ZÀ-Ý][\w&'’.-]*){0,3})\)")
_COMPANY_AFTER = re.compile(r",?(?: (?:the|a|an|la|une|sa|son|its|their))? (?i:joint[ -]venture|subsidiary|affiliate|spin-?off|business unit|division"
                            r"|filiale|coentreprise)(?![\w-])")


def _placed_firms(original: str, folded: str) -> list[tuple[int, int]]:
    """Names the press follows with their town in parentheses, as it places a firm ("Tolvane
    Aéro (Figeac) a obtenu", "Trammatec (Valenciennes)"): organisations; not a place itself
    ("Saint-Nazaire (Loire-Atlantique)", "à L'Horme (Loire)"), a plant ("Toledo Assembly Complex
    (Ohio)"), a person, an article or words in common."""
    out = []
    for m in _NAME_BEFORE_PLACE.finditer(folded):
        if fold(m.group("place")).lower() not in places():
            continue
        start, end = m.span("name")
        article = _LEADING_ARTICLE.match(folded, start)
        start = article.end() if article else start
        if _TOWN_BEFORE.intersection(last_words(folded, start)[-1:]):
            continue                # "à L'Horme (Loire)", "son usine de Verberie (Oise)": a town
        tokens = original[start:end].split()
        if tokens and tokens[0].lower() not in _NOT_FIRM_FIRST and fold(" ".join(tokens)).lower() not in places() \
                and not person_name(tokens) and not all(common(token) or token in GENERIC for token in tokens) \
                and _SITE_WORDS.isdisjoint(tokens):
            out.append((start, end))
    return out


_NAME_BEFORE_PLACE = re.compile(r"(?<![\w'-])(?P<name>[A-Z][\w&'-]*(?: [A-Z][\w&'-]*){0,3}) "
                                r"\((?P<place>[A-Z][\w' -]{2,40})\)")
_TOWN_BEFORE = _PLACE_BEFORE | {"de", "d", "du"}
# a headline's question: "How Harrowgate Dairies cut ...", "How Edo (Tokyo) transformed"
_QUESTION_WORDS = "How Why When What Where Who Comment Pourquoi".split()
# a question or a region's side before a place in parentheses: "How Edo (Tokyo)", "Western Sardinia (Italy)"
_NOT_FIRM_FIRST = frozenset(word.lower() for word in _QUESTION_WORDS) | frozenset(
    "western eastern northern southern central upper lower greater north south east west".split())
# a plant's words: "Toledo Assembly Complex (Ohio)"
_SITE_WORDS = frozenset("Assembly Complex Plant Factory Works Site Usine Terminal Port".split())
_LEADING_ARTICLE = re.compile(r"(?:Les|Le|La|L'|The) (?=[A-Z])")


_QUESTION_FIRST = re.compile(rf"(?:{'|'.join(_QUESTION_WORDS)}) (?=[A-Z])")
# a legal form written with dots, which the readers take up to its first letter ("S.A.S.", "S.A.R.L." too)
_DOTTED_LEGAL = re.compile(r" (?:S\.(?:p\.)?A\.|B\.V\.|N\.V\.)")


def _tag(folded: str, span: tuple[int, int]) -> bool:
    """Whether a code read as a product is a lot's, a place's or a plant item's tag: after
    "lot", "Hall", "stand", "bâtiment" ("lot 24B117", "Hall 9", "Stand D22"), or one letter
    and its number after a plant's equipment ("la pompe P-204", "breaker Q14", "du
    convoyeur C4"); or an EU hazard statement's code ("EUH380/430")."""
    name = folded[span[0]:span[1]]
    if (m := _TAG_WORD.match(name)) and is_code(name[m.end():]) or _EU_HAZARD_STATEMENT.fullmatch(name):
        return True
    before = folded[max(0, span[0] - 24):span[0]].lower().split()
    return bool(before) and (before[-1] in _TAG_BEFORE and is_code(name)
                             or before[-1] in _EQUIPMENT and _EQUIPMENT_TAG.fullmatch(name) is not None)


_TAG_BEFORE = frozenset("lot lots batch hall halle stand building batiment gate quai dock bay item serial p/n s/n "
                        "version release firmware build".split())     # "la version R2025x"
_TAG_WORD = re.compile(   # "Hall 9", "P/N D5317-2045"
    rf"(?:{'|'.join(re.escape(word.capitalize()) for word in sorted(_TAG_BEFORE))}|P/N|S/N) ")
_EQUIPMENT = frozenset("pompe pump convoyeur conveyor breaker disjoncteur vanne valve moteur motor cuve tank "
                       "compresseur compressor ventilateur fan armoire cabinet tableau panel".split())
_EQUIPMENT_TAG = re.compile(r"[A-Z]-?\d{1,4}")
# the code of a hazard statement the EU adds to the GHS's ("EUH380/430", "EUH208"), not a product
_EU_HAZARD_STATEMENT = re.compile(r"EUH\d{3}[A-Za-z]?(?:/\d{3}[A-Za-z]?)*")


_SIBLING_NUMBER = re.compile(r"\d[\w.+/-]*(?<![.-])")


def _siblings(folded: str, products: list[tuple[int, int]],
              makers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other models of a product's line the text names by its code's letters and another
    number: "the CMX-500 … the CMX-700 is offered as replacement", "la PZ-40 … tout comme la
    PZ-60", "le Rebel EMP 215ic … le Rebel EMP 205ic" (its written name up to its first digit,
    two letters or more, then digits)."""
    out: list[tuple[int, int]] = []
    taken = Taken(len(folded), products + makers)
    for prefix in {m.group(1) for a, b in products if (m := _CODE_PREFIX.match(folded, a, b))
                   and m.group(1).rstrip(" -").split(" ")[0] not in PROTOCOLS}:    # "Wi-Fi 6", no line
        # the prefix found as a string, its number matched after it: a pattern per prefix
        # missed the regular expressions' cache and was compiled again in most items
        at = folded.find(prefix)
        while at >= 0:
            m = None if at and (folded[at - 1].isalnum() or folded[at - 1] in "_-") \
                else _SIBLING_NUMBER.match(folded, at + len(prefix))
            if m is not None and not taken.overlaps(span := (at, m.end())):
                out.append(span)
                taken.add(span)
            at = folded.find(prefix, at + 1)
    # a one-letter line only where its other model is coordinated with it: "X20 et X35"; a model
    # code coordinated with one of the same shape, another line's ("Haas VF-2 et ST-10")
    for a, b in products:
        if (m := _LETTER_CODE.fullmatch(folded, a, b)) and (other := _COORDINATED.match(folded, b)) \
                and (other.group(2) == m.group(1) or m.group(2) and other.group(3)
                     and other.group(1).split("-")[0] not in DESIGNATORS):     # "VF-2 and ISO-9001 audits"
            span = other.span(1)
            if not taken.overlaps(span):
                out.append(span)
                taken.add(span)
    # a model coordinated with another the same way, each after its article and kind: "la perceuse
    # DF001G et la meuleuse GA038G", "le robot de soudage TM-2000 et le générateur WGH4"
    for a, b in products:
        if _ARTICLE_KIND_BEFORE.search(folded, max(0, a - 40), a) and (m := _COORDINATED_KIND.match(folded, b)) \
                and is_code(m.group(1)) and any(c.isalpha() for c in m.group(1)) and m.group(1) not in GENERIC:
            span = m.span(1)
            if not taken.overlaps(span):
                out.append(span)
                taken.add(span)
    return out


_ARTICLES_KIND = r"(?:le|la|l'|les|the|a|an|sa|son|ses|its|leur|their) ?(?:[a-z][a-z-]+ ){1,3}"
_ARTICLE_KIND_BEFORE = re.compile(rf"(?<![\w'-]){_ARTICLES_KIND}$")
_COORDINATED_KIND = re.compile(rf"(?:,? et|,? and|,) {_ARTICLES_KIND}"
                               rf"([A-Za-z]{{0,5}}\d[\w+-]*|[A-Z][\w+-]*\d[\w+-]*)(?![\w-])")


# a code of capitals and digits: one letter ("X20"), or two to four and a hyphen ("VF-2")
_LETTER_CODE = re.compile(r"([A-Z])(?:\d+[A-Za-z]{0,2}|([A-Z]{1,3}-\d+[A-Za-z]{0,2}))")
_COORDINATED = re.compile(r"(?:,| et| and| ou| or|/) ?(?=[A-Z]{1,4}-?\d)"
                          r"(([A-Z])(?:\d+[A-Za-z]{0,2}|([A-Z]{1,3}-\d+[A-Za-z]{0,2})))(?![\w-])")


def _surname(original: str, span: tuple[int, int]) -> bool:
    """Whether a one-word name is a person's surname after their given name ("Emily Ford")."""
    name = original[span[0]:span[1]]
    given = _GIVEN_BEFORE.search(original, max(0, span[0] - 20), span[0]) if " " not in name else None
    return given is not None and person_name([given.group(1), name])


_GIVEN_BEFORE = re.compile(r"(?<![\w'-])([A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?) $")
_ORDINAL = re.compile(r"\d{2,}(?:e|eme|ème|th|st|nd|rd) (?=\S)")     # not a name's own: "6th Sense"
# a word saying which of a model's units, capitalised by a headline or a sentence's start, before a
# model's code: "Ships First NXG 600E", "Affected 8-Series units" (not "New Glenn": no digit)
_QUALIFIER = re.compile(r"(?:First|New|Latest|Next|Affected|Recalled|Updated|Upgraded|Improved|Additional|Existing"
                        r"|Premier|Première|Premiere|Premiers|Premières|Nouveau|Nouvelle|Nouveaux|Nouvelles"
                        r"|Dernier|Dernière|Derniere) (?=.*\d)")
_PROTOCOL_BEFORE = re.compile(r"(?:Wi-?Fi|WiFi|Bluetooth|USB|PCIe|DDR|LTE|IP) $")


def _tickers(original: str) -> list[tuple[int, int]]:
    """Spans of a share's listings: an exchange and a ticker ("Fanuc (OTCMKTS:FANUY)", "(NYSE:
    ROK)", "EPA:SU"), neither of them the company. Read at the text's colons only (a pattern
    tried at every word of a long text cost 60 us)."""
    out, at = [], original.find(":")
    while at >= 0:
        m = _TICKER.search(original, max(0, at - 8), min(len(original), at + 13))
        if m is not None and m.start() <= at < m.end():
            out.append(m.span())
        at = original.find(":", at + 1)
    return out


_TICKER = re.compile(r"(?<![\w-])(?:NYSE|NASDAQ|Nasdaq|OTCMKTS|OTC|TSE|TYO|LSE|LON|EPA|ETR|FRA|XETRA|SWX|SIX|HKEX|"
                     r"HKG|BIT|AMS|BME|ASX|TSX|KRX|SHA|SHE|STO|CPH|HEL|OSL|EBR|ELI)\s?:\s?[A-Z0-9][A-Z0-9.]{0,9}\b")


# a model's written name up to its first digit: "CMX-", "PZ-", "Rebel EMP ", "HA"
_CODE_PREFIX = re.compile(r"((?=[^\d]*[A-Za-z][^\d]*[A-Za-z])[A-Za-z][^\d\n]{1,24}?[ -]?)(?=\d)")


def left_runs(t: Text, runs: list[list[tuple[str, int]]], makers: list[tuple[int, int]],
              products: list[tuple[int, int]], english: bool,
              everything: bool = False) -> list[tuple[tuple[int, int], list[str]]]:
    """The runs the rules left, as the second reader weighs them (``everything``: every run,
    for training): (span, features) of a run's words (an opener and a legal form dropped),
    of its code on, and of both together."""
    taken = makers + products
    title_end = getattr(t, "title_end", 0)
    maker_ends = {end for _, end in makers}
    left: list[tuple[tuple[int, int], list[str]]] = []
    for run in runs:
        if not everything and overlaps(run_span(run), taken):
            continue                         # the rules read a name in it: they read the run
        words, rest = split_run(run)
        for part in (words, rest, words + rest if words and rest else []):
            if part:
                start, end = run_span(part)
                left.append(((start, end), name_features(t.folded, start, end, title_end, bool(taken),
                                                         start - 1 in maker_ends, english)))
    return left


def model_names(t: Text, runs, makers, products, english: bool, model) -> list[tuple[str, tuple[int, int]]]:
    """The names the second reader reads in the runs the rules left, as (kind, span): the
    most probable first, none overlapping another."""
    found = chosen([(span, model.scores(f)) for span, f in left_runs(t, runs, makers, products, english)],
                   t.original)
    # a Title Case headline capitalises its common words: none of them alone makes an organisation
    # ("Stratasys to Showcase Manufacturing Solutions at Formnext")
    title_end = getattr(t, "title_end", 0)
    return [(kind, (a, b)) for kind, (a, b) in found
            if not (kind == "organisation" and (a < title_end and all(map(common, fold(t.original[a:b]).split()))
                                                or _noun_phrase_opening(t, a, b)))]


def _noun_phrase_opening(t: Text, start: int, end: int) -> bool:
    """Whether a word alone opens a headline as the head of its topic, words in small letters
    and no verb after it, then a colon ("Poudres métalliques : maîtriser les risques",
    "Lubrification automatique : moins d'interventions"): a topic, not an organisation
    ("Legavox lance", "Thermaflux remplace son four")."""
    original = t.original
    if (start and original[start - 1] != "\n") or " " in original[start:end] or original[end:end + 1] != " ":
        return False
    m = _TOPIC_THEN_COLON.match(original, end)
    return m is not None and m.group(1) not in _LINKS_AFTER_NAME and not acts_after(t.folded, end)


# words in small letters up to a colon: "Poudres métalliques :", "Linky en Meurthe-et-Moselle :"
_TOPIC_THEN_COLON = re.compile(r" ([a-zà-ÿ][a-zà-ÿ-]*)(?![\w'])[^:\n]{0,60}?\s?:(?=\s)")
_LINKS_AFTER_NAME = frozenset("et and".split())


def chosen(weighed: list[tuple[tuple[int, int], list[float]]], original: str,
           threshold: float = THRESHOLD) -> list[tuple[str, tuple[int, int]]]:
    """(kind, span) of the weighed spans reaching ``threshold`` for a kind, the most probable
    first, none overlapping one taken, each passing what the rules ask of a name of its kind
    (``readable``), none the surname of a person the runs name ("Tom Hargreaves ...
    Hargreaves will push"); an organisation apposed to a product type is a product."""
    found: list[tuple[str, tuple[int, int]]] = []
    ranked = sorted(((p, kind, span) for span, ps in weighed for kind, p in zip(NAME_KINDS, ps) if p >= threshold),
                    reverse=True)
    people = None
    for p, kind, span in ranked:
        if kind == "organisation" and original.startswith(", ", span[1]) and apposed_type(fold(original), span[1]):
            kind = "product"                 # "vend Argos, une caméra d'inspection", as the rules read it
        if overlaps(span, [s for _, s in found]) or not readable(kind, original, span):
            continue
        if " " not in (name := original[span[0]:span[1]]):
            if people is None:
                people = surnames([original[a:b].split() for (a, b), _ in weighed])
            if name in people:
                continue
        found.append((kind, span))
    return found


_YEAR = re.compile(r"(?:19|20)\d\d")


def readable(kind: str, original: str, span: tuple[int, int]) -> bool:
    """Whether the second reader may read a span as a name of a kind: what the rules never
    read as one stays unread (a common word alone, a month's day, a quarter, a quantity, a
    plan's far year, the acronym in parentheses after a name, a person's name, a place)."""
    tokens = original[span[0]:span[1]].split()
    if person_name(tokens) or fold(" ".join(tokens)).lower() in places():
        return False                         # "Nick Clegg and Jennifer Newstead said", "de Lacq"
    if all(token in GENERIC for token in tokens):
        return False                         # "Pictogrammes, FDS et séparation", "PLC HMI"
    if any(fold(token).lower().rstrip(".") in MONTHS for token in tokens) and any(t.isdigit() for t in tokens):
        return False                         # "Published June 28"
    if kind == "organisation":
        words = [fold(token).lower() for token in tokens]
        if words[0] in FIELD_WORDS and len(tokens) <= 3 and all(t.isalpha() and t[1:].islower() for t in tokens):
            return False                     # "Additive Manufacturing", "Digital Twin": a field
        return not (len(tokens) == 1 and common(fold(tokens[0]))) and not (
            tokens[0].isupper() and original[span[0] - 1:span[0]] == "(" and original[span[1]:span[1] + 1] == ")")
    if not plausible_product(original[span[0]:span[1]]):
        return False
    if _YEAR.fullmatch(tokens[-1]):
        return release(tokens)               # "Inventor 2025", not "Vision 2030"
    return not any(is_code(token) for token in tokens) or model_code(tokens)


def span_key(data: Names, kind: str, original: str, start: int, end: int) -> str:
    """A name's key (``Names.name_key``); an organisation written with its acronym in
    parentheses, which its words' initials make, keys on the acronym, as the acronym alone
    does ("the Environmental Protection Agency (EPA)": EPA)."""
    name = original[start:end]
    if kind == "organisation":
        legal = _LEGAL_BEFORE_ACRONYM.match(original, end)      # "Hallam Robotics Ltd (HRL)"
        acronym = _acronym_after(original, legal.end() if legal else end)
        if acronym and any(_initials(words) == acronym or abbreviates(acronym, words)
                           or _initials(words, links=True) == acronym      # "Île-de-France Mobilités (IDFM)"
                           for words in {name, _COUNTRY_FIRST.sub("", name, count=1),
                                         original[start:legal.end()] if legal else name}):
            return data.name_key(kind, acronym)
    return data.name_key(kind, name)


# a legal form between a company's name and its acronym in parentheses
_LEGAL_BEFORE_ACRONYM = re.compile(r",? (?:Ltd|Limited|Inc|LLC|Corp|GmbH|AG|SAS|SA|SE|plc|PLC)\.?(?= \()")


# a country in front of a national body's name, outside its acronym: "US Department of Energy (DOE)"
_COUNTRY_FIRST = re.compile(r"^(?:U\.?S\.?|U\.?K\.?|EU) (?=[A-Z])")


# a name's acronym in parentheses right after it: "Toyota Motor Manufacturing France (TMMF)"
_ACRONYM_AFTER = re.compile(r" \(([A-Z][A-Za-z]{1,7})\)")     # "(IMechE)" too
_NAME_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_LINK_WORDS = frozenset("de des du la le les l d et en of and the for pour sur au aux".split())
# the words that make a name a body's ("Institute", "Authority", "Syndicat"); a country's code
# in parentheses is no acronym ("Health and Safety Executive (UK)")
_BODY_HEADS = frozenset(INSTITUTIONS) | frozenset("Syndicat Inspectorate Inspection Confederation Groupement".split())
_COUNTRY_CODES = frozenset("UK US USA EU UE FR DE IT ES NL BE CH JP CN KR CA AU SE NO DK FI PL AT IN BR MX".split())
# a body's name in capitalised words and the link words within names, ending where its
# acronym's parenthesis opens
_BODY_NAME_BEFORE = re.compile(r"(?<![\w'’-])[A-ZÀ-Ý][\w-]*(?:,? (?:(?:de|des|du|de la|d'|of|for|pour|et|and) ?)?"
                               r"[A-ZÀ-Ý][\w-]*){1,8}$")     # "Ministry of Trade, Industry and Energy (MOTIE)"


def _bodies_by_acronym(original: str, makers: list[tuple[int, int]],
                       products: list[tuple[int, int]]) -> tuple[list, list]:
    """A body written in full with its acronym in parentheses, the acronym made of its last
    words' initials and an institution's word among them or just before ("Fraunhofer Institute
    for Laser Technology (ILT)", "Centre technique industriel de la plasturgie et des composites
    (IPC)", "University of Sheffield Advanced Manufacturing Research Centre (AMRC)"), is the
    acronym: what was read inside the long name gives way to it. So is a company's arm whose
    long name holds an organisation read and gives the acronym's initials ("Toyota Motor
    Manufacturing Kentucky (TMMK)")."""
    for m in _ACRONYM_AFTER.finditer(original):
        acronym = m.group(1)
        if acronym in GENERIC or len(acronym) < 2 or acronym.upper() in _COUNTRY_CODES:
            continue
        head = original[max(0, m.start() - 160):m.start()]
        words = [w for w in _NAME_WORD.finditer(head) if w.group().lower() not in _LINK_WORDS]
        n = len(acronym)
        initials = n > 2 and len(words) >= n and "".join(w.group()[0] for w in words[-n:]).upper() == acronym.upper()
        # or a company's arm named after it, by its place or trade ("Legrand North and Central
        # America (LNCA)", "Thales Ground Transportation Systems (GTS)"; not "Google Cloud Platform")
        last = words[-1].group() if initials else ""
        arm = initials and (last in HEADS or last in DIVISIONS or fold(last).lower() in places()) \
            and any(a <= m.start() - len(head) + words[-n].start() < b for a, b in makers)
        if initials:
            named = [w.group() for w in words[-n - 2:]]
            start = words[-n].start()
        elif (long_name := _BODY_NAME_BEFORE.search(head)) is not None:
            # an acronym of the body's own language or usage ("Swedish Work Environment
            # Authority (AV)", "Fraunhofer Institute for Solar Energy Systems (ISE)")
            named, start = long_name.group().split(), long_name.start()
        else:
            continue
        if not arm and _BODY_HEADS.isdisjoint(fold(w).capitalize() for w in named):
            continue                         # "Manufacturing Execution System (MES)": no body
        region = (m.start() - len(head) + start, m.start())
        span = m.span(1)
        makers = [s for s in makers if not overlaps(s, [region]) and s != span] + [span]
        products = [s for s in products if not overlaps(s, [region, span])]
    return makers, products


def _acronym_after(original: str, end: int) -> str | None:
    m = _ACRONYM_AFTER.match(original, end)
    return m.group(1) if m else None


def _initials(name: str, links: bool = False) -> str:
    """The capitals a name's acronym is made of: its words' first letters, link words aside
    ("Autorité de sûreté nucléaire" -> "ASN", "Toyota Motor Manufacturing France" -> "TMMF"),
    or with them (``links``: "Île-de-France Mobilités" -> "IDFM")."""
    return "".join(w[0].upper() for w in _NAME_WORD.findall(fold(name)) if links or w.lower() not in _LINK_WORDS)


_WORD_AT = re.compile(r"[A-Za-z][\w-]*")


_INSTITUTION_WORDS = frozenset(INSTITUTIONS)


def _with_centres(folded: str, makers: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """An institution's name with the acronym of its centre written right after it, one name
    as written ("The University of Sheffield AMRC trials…")."""
    ends = {end + 1 for _, end in makers}
    if not any(start in ends for start, _ in makers):
        return makers
    spans = sorted(map(tuple, makers))
    for i in range(len(spans) - 1, 0, -1):
        (a, b), (c, d) = spans[i - 1], spans[i]
        if c == b + 1 and folded[b] == " " and folded[c:d].isupper() and d - c >= 3 \
                and not _INSTITUTION_WORDS.isdisjoint(folded[a:b].split(" ")):
            spans[i - 1:i + 1] = [(a, d)]
    return spans if len(spans) < len(makers) else makers


def _lines_after_makers(t: Text, data: Names, makers: list[tuple[int, int]], products: list[tuple[int, int]],
                        title_end: int) -> list[tuple[int, int]]:
    """A listed family right after its maker, with a product line's words after it that name
    the model ("HTC Vive Focus Vision" -> ``Vive Focus Vision``); the family alone is no model."""
    found = []
    for _, end in makers:
        word = _WORD_AT.match(t.folded, end + 1) if t.folded.startswith(" ", end) else None
        if word and word.group() in data.product_openers and (m := data.family_alone.match(t.folded, end + 1)) \
                and not overlaps(m.span(), products + makers):
            span = tail(t.folded, m.span(), makers, title_end, acts_at)
            found += [span] if span != m.span() else []
    return found


def _product_after_maker(folded: str, span: tuple[int, int], makers: list[tuple[int, int]],
                         openers: frozenset[str]) -> bool:
    """Whether a name read from the context holds a maker found otherwise followed by a listed
    product's first word ("HTC Vive Focus Vision": HTC, and its headset), no division of it."""
    for start, end in makers:
        if span[0] <= start and end < span[1] and folded[end + 1:span[1]].split(" ", 1)[0] in openers:
            return True
    return False


def _makers_in_front(t: Text, data: Names, products: list[tuple[int, int]], makers: list[tuple[int, int]]
                     ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A product read with a listed organisation's name in front of its model: the maker is
    the organisation, the rest the product ("Meta Quest 3", "Zimmer GEP2000", "Index MS40-8");
    also its short name before a code of letters and digits ("Citizen L20": Citizen Machinery).
    Not a listed product's name before its dotted version ("CODESYS V3.5 SP21").
    Not where another maker owns the product: then the listed name is its family ("MSA
    Safety's ALTAIR 4XR", "le BW Clip4 de Honeywell")."""
    out = []
    for start, end in products:
        name = t.original[start:end]
        words = name.split(" ")
        for k in (2, 1):
            rest = words[k:]
            if len(words) > k and (data.is_listed("organisation", " ".join(words[:k])) or k == 1 and (_short_maker(
                    t.folded, start, data, rest[0]) or len(words) == 2 and _unknown_maker(data, words[0], rest[0])
                    and all(data.is_body(t.original[a:b]) for a, b in makers))) \
                    and any(c.isdigit() for c in rest[0]) and not _BARE_VERSION.fullmatch(" ".join(rest)) \
                    and not data.is_listed("product", name) and not _owned(t.folded, (start, end), makers) \
                    and not (_DOTTED_VERSION.match(rest[0]) and data.is_listed("product", " ".join(words[:k]))):
                maker = start, start + len(" ".join(words[:k]))
                makers = makers if overlaps(maker, makers) else makers + [maker]
                start = maker[1] + 1
                break
        out.append((start, end))
    return out, makers


def _family_before(t: Text, data: Names, products: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A listed product family's name (no digit in it) right before another product read is
    that product's first word: "LOGO! Soft Comfort V9", as "SIMATIC S7-1500" is written."""
    if len(products) < 2:
        return products
    ordered = sorted(set(products))
    out, skip = [], set()
    for (a, b), (c, d) in zip(ordered, ordered[1:]):
        name = t.original[a:b]
        if c == b + 1 and t.original[b] == " " and not any(ch.isdigit() for ch in name) \
                and data.is_listed("product", name):
            out.append((a, d))
            skip |= {(a, b), (c, d)}
    return out + [s for s in products if s not in skip]


# a software's dotted version: its listed name in front is no maker ("CODESYS V3.5 SP21")
_DOTTED_VERSION = re.compile(r"V?\d+(?:\.\d+)+$")


def _owned(folded: str, span: tuple[int, int], makers: list[tuple[int, int]]) -> bool:
    """Whether a maker other than the product's first words is written as its owner: right
    before it with a possessive ("Graco's Husky 1050") or right after it ("Tellus S2 de Shell",
    "the Zenmuse H30T from DJI")."""
    first = folded[span[0]:span[1]].split(" ", 1)[0].lower()
    for start, end in makers:
        if span[0] <= start < span[1] or folded[start:end].lower().startswith(first):
            continue                        # "EOS GmbH présente l'EOS M 400-4": its own name
        if end <= span[0] and _OWNER_BEFORE.fullmatch(folded, end, span[0]) \
                or start >= span[1] and _OWNER_AFTER.fullmatch(folded, span[1], start):
            return True
    return False


_CODED_MODEL = re.compile(r"(?=[\w.+/-]*\d)(?=[\w.+/-]*[A-Za-z])[\w.+/-]{3,}(?: [A-Z]{1,3})?")   # "TX2-90L HE"
def _code_its_type_frames(t: Text, span: tuple[int, int], english: bool) -> bool:
    """Whether a model a type frames, in a text naming no maker, is a model's code right after
    its type: not after a preposition ("via S7comm") and, in English, whose adjectives come
    before the type, after no word in between ("controllers talk S7comm": a verb's object)."""
    if not _CODED_MODEL.fullmatch(t.original, *span) or _LINK_BEFORE.search(t.folded, max(0, span[0] - 8), span[0]):
        return False
    last = last_words(t.folded, span[0])
    return not english or bool(last) and last[-1].lower() in TYPE_FORMS


_LINK_BEFORE = re.compile(r"(?<![\w-])(?:via|avec|with|using|par|by|sous|under|pour|for) $")   # "via S7comm"
_BARE_VERSION = re.compile(r"V\d+(?:\.\d+)*|\d+\.\d+(?:\.\d+)*")    # "V19", "4.2", not "3008"
_BARE_NUMBER = re.compile(r" (\d[\d.]*[A-Za-z]{0,2})(?![\w-]|[.,]\d)")
_OWNER_BEFORE = re.compile(r"(?:(?: Inc\.?| Ltd\.?)?'s|(?: has| a)? (?:released|launched|introduced|unveiled|"
                           r"launches|releases|introduces|unveils|lance|presente|devoile) "
                           r"(?:the|its|le|la|l'|son|sa)?) ?(?:new |latest |nouveau |nouvelle )?")
_OWNER_AFTER = re.compile(r" (?:de|du groupe|from|by|d')[ ]?"
                          r"|,? (?:du|de l'|of the) ?(?:fabricant|constructeur|editeur|specialiste|maker|manufacturer)"
                          r"(?: [a-z-]+)? ")     # "Vigilis ASD-4 du fabricant grenoblois Detekto"


def _short_makers_before_models(t: Text, data: Names) -> list[tuple[int, int]]:
    """A listed maker's short name written with a capital right before a model: a family
    word and a code, or a code of letters and digits, which ``product_after`` then reads
    ("une découpe jet d'eau Flow Mach 500", "Haas UMC-500"; not "Universal 5")."""
    found = []
    keys = data.short_maker_words.intersection(t.words) if t.plain else data.short_maker_words
    for key in keys:
        if not t.plain and key in data.short_maker_letters and key not in t.words:
            continue        # a name in ASCII letters followed by a space, comma or apostrophe is a word of the text
        word = data.short_maker_keys[key]
        for start in occurrences(t.folded, word) if t.plain or word.lower() in t.lowered else ():
            end = start + len(word)
            if start and (t.folded[start - 1].isalnum() or t.folded[start - 1] in "-/") \
                    or (span := product_after(t.folded, end)) is None:
                continue
            model = t.folded[span[0]:span[1]]
            if " " in model or any(c.isalpha() for c in model):
                found.append((start, end))
    return found


def _publishers_acting(t: Text) -> list[tuple[int, int]]:
    """A standards body named by its acronym where it acts, owns or is joined by another that
    acts, not before a standard's number: "ISO has published a revised ISO 10218-1", "L'ISO a
    publié", "ISO's Amendment 1", "ISO and ASTM sign"; and its committees, named by their
    number ("ISO/TC 283", "ISO TC 184/SC 2", "IEC SC 62A": the committee is the organisation)."""
    found, folded = [], t.folded
    for acronym in PUBLISHERS.intersection(t.words) if t.plain else PUBLISHERS:
        word = acronym.decode().upper()
        for start in occurrences(folded, word):
            end = start + len(word)
            if start and (folded[start - 1].isalnum() or folded[start - 1] in "/-") or folded[end:end + 1].isalnum():
                continue
            if (m := _COMMITTEE.match(folded, end)) is not None:
                found.append((start, m.end()))
            elif folded[end:end + 1] != "/" and (acts_after(folded, end) or folded.startswith("'s ", end)
                                                 or _publisher_and_acting(folded, end)
                                                 or _publisher_ending_a_clause(folded, start, end)):
                found.append((start, end))
    return found


def _publisher_ending_a_clause(folded: str, start: int, end: int) -> bool:
    """A body after a preposition that ends a clause: "en attendant sa révision par l'ISO.", "en
    cours de révision au sein de la CEI.", "adopted by IEC, then"; not "la norme ISO", "de l'ISO
    9001" nor "ISO-certified"."""
    return (end == len(folded) or folded[end] in ".,;:)") \
        and _PREPOSITION_BEFORE.search(folded, max(0, start - 24), start) is not None


_PREPOSITION_BEFORE = re.compile(r"\b(?i:par|de|du|au sein de|aupres de|by|from|within|of|with|avec|selon)"
                                 r" (?:l'|la |le |the )?$")


# a committee's designation after its body: "/TC 283", " TC 184/SC 2", " SC 62A", "/IEC JTC 1/SC 42"
_COMMITTEE = re.compile(r"(?:/IEC)?[/ ](?:JTC|TC|SC|WG|PC)[ ]?\d{1,3}[A-Z]?(?:/(?:SC|WG)[ ]?\d{1,3}[A-Z]?)*(?![\w/-])")
_AND_PUBLISHER = re.compile(r" (?:and|et) (?:l')?(?:ISO|IEC|ASTM|IATF|CEN|CENELEC|AFNOR|DIN|BSI|SAE|IEEE)(?![\w/-])")


def _publisher_and_acting(folded: str, end: int) -> bool:
    """Whether another standards body follows "and" and acts: "ISO and ASTM sign"."""
    m = _AND_PUBLISHER.match(folded, end)
    return m is not None and acts_after(folded, m.end())


def _unknown_maker(data: Names, word: str, code: str) -> bool:
    """Whether an unlisted name before a model code is its maker's, where the text names no
    company (``_makers_in_front``: "comme la fraiseuse Kaltek VM-650 saisie par les douanes",
    "Le Symop" a body): a rare word written with a capital and small letters, no family or
    product a list holds ("Yaskawa Motoman AR1440"), no place."""
    return word[:1].isupper() and word[1:].islower() and word.isalpha() and not common(word) \
        and is_code(code) and any(c.isalpha() for c in code) and not data.is_listed("product", word) \
        and fold(word).lower() not in data.cased_products and fold(word).lower() not in places()


def _short_maker(folded: str, start: int, data: Names, code: str) -> bool:
    """Whether the word at ``start`` is a listed maker's short name before a model code holding
    letters and digits ("Citizen L20", not "Universal 5")."""
    word = _WORD_AT.match(folded, start)
    return word is not None and word.group() in data.short_makers and is_code(code) and any(c.isalpha() for c in code)


# a model's maker after it: "le capteur W16 de Sick", "the deTec4 from Sick"
_MODEL_BY = re.compile(r"(?<![\w-])(?=[\w-]*\d)[A-Za-z][\w-]* (?:de|d'|from|by) ?$")


def _acting(folded: str, end: int) -> bool:
    """Whether a maker named by a common word ending at ``end`` acts, owns or is apposed:
    "Carbon launches", "Figure's", "Formic, a robots-as-a-service provider, adds"."""
    after = _APPOSED_LOOSELY.match(folded, end) or _WITH_PARTNER.match(folded, end)
    return folded.startswith("'s ", end) or acts_after(folded, after.end() if after else end)


# what may stand between such a maker and its verb: an apposition, a partner ("Dexterity and FedEx
# expand", "Sick et la Carsat Alsace-Moselle présentent")
_APPOSED_LOOSELY = re.compile(r", (?:a|an|the|un|une|le|la|l')\s?[^,.;:()]{1,60},")
_WITH_PARTNER = re.compile(r" (?:and|et|&) (?:the |la |le |l')?[A-Z][\w-]*(?: [A-Z][\w-]*)?(?= )")


def _first(spans: list[tuple[int, int]], most: int = 400) -> list[tuple[int, int]]:
    """At most ``most`` occurrences of names of one reader, the first in the text: a hostile or
    stuffed item repeating a name thousands of times ("KUKA KUKA KUKA ...") is read in the time
    of a long article (the real feeds' entries give at most 268 organisations and 169 products
    in all); below that, the spans as the reader gave them."""
    return spans if len(spans) <= most else sorted(spans)[:most]


def _listed_names(t: Text, data: Names) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans of listed and framed organisations, and of listed products and families' models."""
    # a family's model first: it holds a listed model it contains ("SIMATIC S7-1200": "S7-1200")
    products = _first([m.span() for m in _bounded(data.families, t.folded, data.family_set.openings(t.words))])
    # and a listed model holding a family's model takes its place ("DMU 65 monoBLOCK" over "DMU 65")
    products = widened(products, list(map(partial(numbered, t.folded), _first(_listed(t, data, "product")))))
    makers = [_division(t, span, products, data.is_body(t.original[span[0]:span[1]]), data.product_openers,
                       t.folded[span[0]:span[1]] in data.groups)
              for span in _first(_listed(t, data, "organisation"))
              if not (data.is_body(t.original[span[0]:span[1]]) and _DESIGNATION_AFTER.match(t.folded, span[1]))
              and not _CLOCK_BEFORE.search(t.folded, max(0, span[0] - 20), span[0])
              and not _CLOCK_AFTER.match(t.folded, span[1])]
    # a listed one-word name after a given name is a person's surname ("Emily Ford, a researcher")
    makers = [s for s in makers if not _surname(t.original, s)]
    framed = clear_of([(a, b) for _, a, b in framed_organisations(t)], makers)
    # a company named by its trade holds the framed name of its place ("Les Forges de Niaux, fabricant …")
    makers += widened(framed, clear_of(trade_names(t), makers))
    makers += clear_of(equipment_makers(t), makers)
    for span in ampersand_names(t):        # over a listed name it holds ("W. L. Gore & Associates": Gore)
        if not any(a < span[0] < b or a < span[1] < b or (a, b) == span for a, b in makers):
            makers = [s for s in makers if not span[0] <= s[0] < span[1]] + [span]
    # a listed product written with its maker in front is keyed without it ("Autodesk Fusion")
    starts = {start: end for start, end in makers}
    # (not a version alone: "Pickwise 4.2" is the product of Pickwise)
    products = [(starts[a] + 1, b) if a in starts and b - starts[a] > 2 and t.folded[starts[a]] == " "
                and not _BARE_VERSION.fullmatch(t.folded, starts[a] + 1, b) else (a, b) for a, b in products]
    # "Spot", "Digit", "Ignition": a product written like a common word only where its maker is
    # named or the text uses it ("using Ignition", "avec Spot"); "Opcenter" anywhere; none
    # inside a listed organisation's name ("Atlas Copco")
    products = [s for s in clear_of(products, makers) if (
        makers or not _word_like(t.original[s[0]:s[1]]) or used_before(t.folded, s[0])
        or not common(t.original[s[0]:s[1]]) and not _SURNAME.match(t.folded, s[1]))]   # not "Tessa Worley"
    return makers, products


# a listed acronym after a time of day or before "clock" is its time zone ("21:09:47 UTC",
# "time-zone UTC", "(UTC) timestamp" are no Université de Technologie de Compiègne)
_CLOCK_BEFORE = re.compile(r"(?:\d:\d\d(?::\d\d)?|(?i:time[- ]?zone|fuseau horaire))\s*\(?$")
_CLOCK_AFTER = re.compile(r"\)?\s+(?i:clock|time|timestamp|offset|heure)\b")


# a body's name before a number is a standard's designation, not the body: "la VDI 2263",
# "NFPA 70E", "ANSI/A3 R15.06-2025" (not "INRS ED 6009", a brochure the body publishes)
_DESIGNATION_AFTER = re.compile(r"/[A-Z]|[ -](?!(?:19|20)\d\d(?![\w.-]))[A-Z]{0,3}\d[\w.-]*(?![\w-])")


def _places_after(folded: str, end: int) -> re.Match | None:
    """The place, department or region words after a body's or a regional network's name that
    name its office there ("CCI Pau Béarn", "Medef Loire-Atlantique", "CCI de la Vendée",
    "CCI Ouest Normandie", "Crédit Agricole Centre-Est"): one to three capitalised words, each
    a place or a compass point, a link word allowed before them."""
    m = _PLACE_WORDS.match(folded, end)
    if m is None:
        return None
    words, known = m.group("words").split(" "), places()
    for n in range(len(words), 0, -1):
        if all(_a_place(w.lower(), known) for w in words[:n]) and words[n - 1] != "Grand":
            return _PLACE_WORDS.match(folded, end, m.start("words") + len(" ".join(words[:n])))
    return None


def _a_place(word: str, known: frozenset[str]) -> bool:
    """A place, a compass point, or places joined by hyphens ("rouen-dieppe", "UIMM Rouen-Dieppe")."""
    return word in known or word in _COMPASS or "-" in word and all(part in known for part in word.split("-"))


_PLACE_WORDS = re.compile(r" (?:(?:de la|de l'|du|des|de|d') ?)?(?P<words>[A-Z][\w'-]*(?: [A-Z][\w'-]*){0,2})")
_COMPASS = frozenset("nord sud est ouest centre centre-est centre-ouest nord-est nord-ouest sud-est sud-ouest "
                     "grand".split())
# banks and networks whose regional offices are organisations of their own ("Crédit Agricole
# Centre-Est", "Banque Populaire Grand Ouest")
_REGIONAL_NETWORKS = frozenset(("Credit Agricole", "Banque Populaire", "Caisse d'Epargne", "Credit Mutuel",
                                "CIC", "Reseau Entreprendre", "Initiative", "Medef", "CPME", "UIMM", "CCI",
                                "CMA", "Bpifrance", "Carsat", "DREETS", "Dreets", "DREAL", "Dreal", "Ademe"))


def _division(t: Text, span: tuple[int, int], taken: list[tuple[int, int]], body: bool,
             product_openers: frozenset[str] = frozenset(), group: bool = False) -> tuple[int, int]:
    """A listed organisation's span, with the division or subsidiary words written after it:
    up to three capitalised words ending with a region ("FANUC America"), a company head or
    division word ("Safran Landing Systems", "Siemens Digital Industries"), or a body's
    institute ("Fraunhofer IPA"); none a model code, a camel-case or long capitals word (a
    product family: "KUKA KR QUANTEC", "Trumpf TruLaser"), a verb ("Siemens Unveils"), a
    span already taken or a listed product's first word ("HTC Vive Focus Vision"). "Renault
    Austral", "Yaskawa Motoman" stay the maker alone."""
    folded, end = t.folded, span[1]
    if not folded.startswith(" ", end) or t.original[end] in "\n\r":
        return span
    network = folded[span[0]:end] in _REGIONAL_NETWORKS
    if (body or network) and (ends := [m.end() for m in (
            REGION_AFTER.match(folded, end), _places_after(folded, end) if network else None) if m]):
        return span[0], max(ends)
    run = run_at(t, end + 1, keep=True)
    if run and not body and _division_acting(folded, run[0][0], run[0][1] + len(run[0][0]), product_openers, group):
        return span[0], run[0][1] + len(run[0][0])    # "Fives Landis livre…": the group's division
    if not run or not any(tok in HEADS or tok in DIVISIONS or body and tok.isupper() for tok, _ in run[:3]) \
            or any(is_code(tok) for tok, _ in run) or type_after(folded, run_span(run)[1]):
        return span                          # "Velo3D Sapphire XC printers": a model
    titled = headline(t.original, span[0])
    extended = span
    for i, (token, at) in enumerate(run[:3]):
        if camel(token) or token in GENERIC and token not in DIVISIONS or token in OPENERS or token in LEGAL or token.isupper() and len(token) > 3 \
                or acts_at(" " + token.lower(), 0) or any(a <= at < b for a, b in taken) \
                or token in product_openers and token not in HEADS and token not in DIVISIONS:
            break
        if token in HEADS or token in DIVISIONS or body and i == 0 and token.isupper():
            extended = span[0], at + len(token)
    # in a Title Case headline, every word is capitalised: the words are the division's only
    # where its verb follows them ("Kion Group Cuts 1,400 Jobs", "DHL Supply Chain Deploys")
    if titled and extended != span and not _verb_after(t.original, extended[1]):
        return span
    return extended


def _verb_after(original: str, end: int) -> bool:
    """Whether the word after ``end`` in a Title Case headline is a verb ("Cuts", "Deploys")."""
    word = WORD.match(original, end + 1) if original.startswith(" ", end) else None
    lowered = word.group().lower() if word else ""
    return bool(lowered) and (lowered in HEADLINE_VERBS or acts_at(" " + lowered, 0) is not None)


def _division_acting(folded: str, token: str, end: int, product_openers: frozenset[str], group: bool) -> bool:
    """Whether a word after a listed organisation's name names its division or subsidiary: a
    group's division, a rare name in plain letters ("Fives Landis livre"; "Renault Austral",
    "Yaskawa Motoman" are models), after another name a short acronym ("Rolls-Royce SMR
    selects"); no product's, and the two act."""
    return (plain(token) and namey(token) if group else 2 <= len(token) <= 4 and token.isalpha()
            and token.isupper()) and token not in product_openers and acts_after(folded, end)
