"""The frames around a place in a text, as names are read (``reference_context``): the text
as names are read in it (``for_names``: line breaks kept, a Title Case headline read as a
sentence), the words before a place (``last_words``), and whether they buy, join, employ
or cite an organisation (``object_or_role``, ``cited``, ``listed_after``), frame a product
type (``typed``), or a verb or a product type follows (``acts_after``, ``acts_at``,
``type_after``: each pattern tried only where the next word can open it). Word tests only,
no pattern over the whole text.
"""
from __future__ import annotations

import re
import re._parser as re_parser
from typing import Mapping
from functools import lru_cache

from veille.name_lexicon import (
    ACTS_AFTER,
    ARTICLES,
    CITING,
    DIMENSION,
    DIVISIONS,
    EDITION_WORDS,
    HEADS,
    HEADLINE_VERBS,
    LEGAL,
    LINK_WORDS,
    LIST_BETWEEN,
    NATION_SET,
    NATIONS_EN,
    OBJECT_FRAMES,
    OBJECT_LAST,
    ROLE_FR_SET,
    ROLE_LAST,
    TYPE_AFTER,
    TYPE_WORDS,
    TYPES,
    USED_FRAMES,
    VERB_PREFIXES,
    VERBS,
    common,
)
from veille.reference_text import Text


# --- patterns after a name, tried only where a set lookup says they can match ------------

def spellings(pattern: str) -> set[str]:
    """Every string a pattern of letters, classes of letters, groups, alternatives and
    optional parts matches (read with re's own parser, so that they are the pattern's)."""
    def sequence(items) -> set[str]:
        out = {""}
        for op, arg in items:
            out = {a + b for a in out for b in one(str(op), arg)}
        return out

    def one(op: str, arg) -> set[str]:
        if op == "LITERAL":
            return {chr(arg)}
        if op == "SUBPATTERN":
            return sequence(arg[-1])
        if op == "BRANCH":
            return set().union(*(sequence(branch) for branch in arg[1]))
        if op == "MAX_REPEAT" and arg[:2] == (0, 1):
            return {""} | sequence(arg[2])
        if op == "IN" and all(str(kind) == "LITERAL" for kind, _ in arg):
            return {chr(c) for _, c in arg}
        raise ValueError(f"{op} in a pattern of spellings")
    return sequence(re_parser.parse(pattern))


# the first word of every verb form: a verb can follow a name only where the next word is one
VERB_FIRST_WORDS = frozenset(spelling.split(" ")[0] for spelling in spellings(VERBS))
_NEXT_WORD = re.compile(r" ([\w'-]+)")


def acts_at(text: str, pos: int) -> re.Match | None:
    """``ACTS_AFTER.match(text, pos)``, tried only where the next word opens a verb form: the
    pattern's alternatives are tried one by one, a set lookup is one step (the form's first
    word is the whole word there, since a space or the lookahead follows it)."""
    m = _NEXT_WORD.match(text, pos)
    return ACTS_AFTER.match(text, pos) if m is not None and m.group(1) in VERB_FIRST_WORDS else None


def _type_forms(alternation: str) -> frozenset[str]:
    """Every word an alternation of words (each maybe with "s?") matches, lowercased."""
    forms = set()
    for word in alternation.split("|"):
        stem = word[:-2] if word.endswith("s?") else word
        assert stem.isascii() and stem.isalpha(), word
        forms.update((stem.lower(), stem.lower() + "s") if word.endswith("s?") else (word.lower(),))
    return frozenset(forms)


TYPE_FORMS = _type_forms(TYPES)
_NEXT_WORDS = re.compile(r" ([\w-]+)(?: ([\w-]+))?")
_SMALL_WORD = re.compile(r"[a-z-]+|[A-Z]{2,4}")     # "hybrid shunter", "PEM stacks"


@lru_cache(maxsize=256)
def type_after(folded: str, end: int) -> re.Match | None:
    """``TYPE_AFTER.match(folded, end)``, tried only where the next word, or the word after
    it (the next being small letters or a short acronym), is a type. A type matches a whole word (the lookahead
    rules out a word character or a hyphen after it), and an ASCII word is a type if its
    small letters are one; a word with other characters is tried (the dotless i, the long s
    and the Kelvin sign match letters case-insensitively). The pattern costs about 2 us a
    place, the test a tenth of that; a name's frames ask it twice at its end."""
    m = _NEXT_WORDS.match(folded, end)
    if m is None:
        return None
    first, second = m.groups()
    if first.lower() in TYPE_FORMS or not first.isascii() or second and (
            second.lower() in TYPE_FORMS or not second.isascii()) and _SMALL_WORD.fullmatch(first):
        return TYPE_AFTER.match(folded, end)
    return None


# --- the words around a place ------------------------------------------------------------

# Names beyond the list are read in an item's opening (its title and summary, where news says
# who launches what): the cost of reading them stays bounded on long items.
OPENING = 400


def acts_after(folded: str, end: int) -> bool:
    """Whether a verb of what organisations do follows ``end``: "Nordson lance", "has acquired"."""
    if not folded.startswith(" ", end):
        return False
    word = folded[end + 1:end + 4]
    return (word in VERB_PREFIXES or word.split(" ")[0] in VERB_PREFIXES) and acts_at(folded, end) is not None


@lru_cache(maxsize=256)
def last_words(folded: str, start: int) -> list[str]:
    """The few words before ``start`` in its sentence, lowercased: what the frames before a
    name end with."""
    window = folded[max(0, start - 40):start]
    cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind(": "))
    return window[cut + 1:].lower().split()[-4:]


def frame_word(word: str) -> bool:
    if word.startswith(("l'", "d'")):
        word = word[2:]
    return word in OBJECT_LAST or word in ROLE_LAST or word in NATION_SET


_OBJECT_FRAME_ENDS = frozenset(frame[-1] for frame in OBJECT_FRAMES)   # every frame ends the words before


def object_or_role(folded: str, start: int, last: list[str]) -> bool:
    """Whether the words before ``start`` buy, join, supply or employ ("rachète", "partners
    with", "retenus par", "chez"), or give a maker's role or nationality, with up to two
    adjectives or a complement between ("l'intégrateur nantais", "the sensor maker", "la
    jeune pousse bordelaise", "l'allemand"): word tests, no pattern."""
    words = last[:-1] if last and last[-1] in ARTICLES else last
    if not words:
        return False
    if words[-1].startswith("l'") and words[-1][2:] in NATION_SET:
        return True
    if words[-1] in NATION_SET and len(words) >= 2 and words[-2] in _BEFORE_NATION:
        return True                          # "du japonais Hirano Tecseed", "le chinois XTC"
    if words[-1].endswith("'s") and words[-1][:-2] in NATIONS_EN:
        return True                          # "Italy's Tenova"
    if words[-1] in _OBJECT_FRAME_ENDS and any(tuple(words[-k:]) in OBJECT_FRAMES for k in (1, 2, 3) if len(words) >= k):
        return True
    if role_word(words[-1]):                # "the sensor maker Nordson", "l'intégrateur Alsarob"
        return True
    if len(words) >= 4 and words[-1] in _OF and words[-3] in _OF and words[-4].split("'")[-1] in _WORKS \
            and folded[max(0, start - 60):start].split()[-2][:1].isupper():
        return True                          # its works in a town: "l'usine de Vénissieux de Chimiplast"
    for k in (2, 3, 4):                      # a French role, then an adjective or "de <noun>"
        role = words[-k] if len(words) >= k else ""
        between = words[len(words) - k + 1:]
        if (role[2:] if role.startswith(("l'", "d'")) else role) in ROLE_FR_SET and adjectives(between, True) \
                and (k == 2 or between[0] in _COMPLEMENT or between[0].startswith("d'")):
            return True                      # "le spécialiste du levage Manulev", "de la découpe"
    return False


_COMPLEMENT = frozenset("de a du des au aux".split())
_OF = frozenset(("de", "d'"))
_WORKS = frozenset("usine usines site sites entrepot atelier ateliers".split())


_BEFORE_NATION = frozenset("le la du au de les des aux".split())


def role_word(word: str) -> bool:
    return (word[2:] if word.startswith(("l'", "d'")) else word) in ROLE_LAST


def adjectives(words: list[str], role: bool = False) -> bool:
    """Words that can stand between a role or a type and the name: adjectives, a dimension
    ("3d"), a complement ("de mesure", "à injection", "d'usinage", "du levage"; after a
    ``role`` also "de la découpe"); no link word alone."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in _COMPLEMENT and i + 1 < len(words) and words[i + 1] not in LINK_WORDS:
            i += 2
            continue
        if role and word == "de" and i + 2 < len(words) and words[i + 1] == "la" and words[i + 2] not in LINK_WORDS:
            i += 3                           # "de la découpe"
            continue
        if word in LINK_WORDS or not (word.replace("-", "").isalpha() or DIMENSION.match(word)) \
                and not word.startswith("d'"):
            return False
        i += 1
    return len(words) <= 3


_TYPE_OR_PLURAL = TYPE_WORDS | frozenset(word + "s" for word in TYPE_WORDS)
# after a product type, these introduce its maker, not its model ("le tracteur autonome d'Agrimatic")
MAKER_PREPOSITIONS = ("d'", "de", "du", "des", "from", "by", "of")
_INSTITUTE_AFTER_CENTRE = frozenset("technique techniques technologique technologiques national nationale regional "
                                    "regionale hospitalier universitaire recherche formation competences ressources "
                                    "expertise d'essais d'expertise d'excellence d'innovation".split())
_OF_A_PRODUCT = frozenset("version versions edition editions release releases update updates".split())


def typed(folded: str, start: int, last: list[str]) -> bool:
    """Whether a product type (with adjectives or a complement) comes right before ``start``:
    "le cobot", "la presse plieuse", "le bras de mesure", "le scanner 3D portable"."""
    if _TYPE_OR_PLURAL.isdisjoint(last) and _TYPE_OR_PLURAL.isdisjoint(w[2:] for w in last if w[1:2] == "'"):
        return False                         # the test below, on every word at once ("l'exosquelette" too)
    if last and last[-1] in MAKER_PREPOSITIONS and not (len(last) > 1 and last[-2] in _OF_A_PRODUCT):
        return False                         # "le tracteur autonome d'Agrimatic": its maker (not "une version d'OIRA")
    for k in range(1, min(4, len(last)) + 1):
        word = last[-k][2:] if last[-k].startswith(("l'", "d'")) else last[-k]     # "l'exosquelette"
        if word in TYPE_WORDS or word[:-1] in TYPE_WORDS and word.endswith("s"):
            if word.rstrip("s") in ("centre", "center") and k > 1 and (last[-k + 1] in _INSTITUTE_AFTER_CENTRE or (
                    k > 2 and last[-k + 1] == "de" and last[-k + 2] in _INSTITUTE_AFTER_CENTRE)):
                return False                 # "le centre technique IPC", "le centre de recherche": a body
            between = folded[max(0, start - 40):start].split()[len(last) - k + 1:] if k > 1 else []
            return adjectives(last[len(last) - k + 1:]) and not any(w[:1].isupper() for w in between)
    return False


def for_names(t: Text, cased: Mapping[str, str] | None = None, products: frozenset[str] = frozenset()) -> Text:
    """The text as names are read in it (same length, so every span maps to the text as
    written): line breaks kept (a title's last word and the summary's first are no phrase),
    and a Title Case headline (the first sentence) read as a sentence: its verbs, link words
    and very common words in small letters, and compounds of common words ("Body-in-White"),
    so that "SICK Launches nanoScan3 Pro" reads as "SICK launches nanoScan3 Pro". A headline
    in capitals ("SIEMENS TO ACQUIRE ALTAIR") is read in small letters, but for the listed
    names ``cased`` gives (a name's words in small letters, single spaces -> the name as
    folded), with the edition word after a listed product (``products``: their spellings), and
    its codes: "Siemens to acquire altair"."""
    if cased is not None:
        t = _uncapped(t, cased, products)
    original, folded = t.original, t.folded
    breaks, i = [], original.find("\n", 0, OPENING)
    while i >= 0:
        breaks.append(i)
        i = original.find("\n", i + 1, OPENING)
    end = min(OPENING, breaks[0]) if breaks else OPENING    # the first sentence or line
    dot = original.find(". ", 0, end)
    end = dot if dot >= 0 else end
    title = TITLE_START.match(original, 0, end) is not None and title_case(original[:end])
    if not breaks and not title:
        return t
    head = folded[:OPENING]                  # only the opening is read this way: a few short slices
    if breaks:
        head = "\n".join([head[a + 1:b] for a, b in zip([-1] + breaks, breaks + [len(head)])])
    for m in WORD.finditer(head, 0, end) if title else ():
        if m.start() and headline_word(m.group()):
            head = head[:m.start()] + m.group()[0].lower() + head[m.start() + 1:]
    cased = object.__new__(Text)             # a shallow copy (copy.copy costs more)
    cased.__dict__.update(t.__dict__)
    cased.folded = head + folded[OPENING:]
    cased.title_end = end if title else 0    # a headline's capitals frame no name by themselves
    return cased


def _uncapped(t: Text, cased: Mapping[str, str], products: frozenset[str]) -> Text:
    """``t`` with an opening written in capitals read as a sentence writes it, its listed
    names and codes kept (see ``for_names``), up to the line's end or its first word in small
    letters ("RECALL NOTICE: TALLON LIFTING LTD recalls ..."); ``t`` itself when it has no
    such opening."""
    original = t.original
    if not original[:30].isupper():           # most texts: a small letter in their first words
        return t
    end = original.find("\n", 0, OPENING)
    end = end if end >= 0 else min(len(original), OPENING)
    folded = t.folded
    tokens, written = [], set()
    for m in _TOKEN.finditer(folded, 0, end):
        if not original[m.start(1):m.end(1)].isupper() and any(c.isalpha() for c in m.group(1)):
            if tokens and _own_capitals(m.group(1)):
                written.add(m.span(1))       # a brand's own capitals: "SAERTEX LAUNCHES SAERcore 2.0 WHILE"
                tokens.append(m.span(1))
                continue
            end = m.start()
            break
        tokens.append(m.span(1))
    if len(tokens) < 3 or sum(c.isalpha() for c in original[:end]) < 12:
        return t
    head = list(folded[:end].lower())
    after_name = False
    for k, (a, b) in enumerate(tokens):      # a word before "+" or a legal form is a name's
        named = folded[b:b + 1] == "+" or k + 1 < len(tokens) and \
            folded[slice(*tokens[k + 1])].rstrip(".") in _NAME_ENDS and not folded[a:b].rstrip(".") in _LEGAL_UPPER
        word = folded[a:b]
        if (a, b) in written:
            head[a:b], after_name = word, True
            continue
        if len(word) > 2 and word.lower() in _EDITIONS and _after_code(folded, tokens[max(0, k - 2):k]):
            head[a:b] = word[0] + word[1:].lower()      # a code's edition: "HA20 RTJ PRO"
        else:
            head[a:b] = _capped_word(word, after_name, named)
        after_name = head[a].isupper() or head[a].isdigit()
    i = 0
    while i < len(tokens):
        for n in range(min(4, len(tokens) - i), 0, -1):
            a, b = tokens[i][0], tokens[i + n - 1][1]
            spelling = " ".join(folded[a:b].lower().split())
            name = cased.get(spelling)
            if name is not None:
                head[a:b] = name if len(name) == b - a else folded[a:b].title()
                i += n
                if spelling in products and i < len(tokens):   # "EXPERION PKS HIVE", "MOVIGEAR PERFORMANCE"
                    a, b = tokens[i]
                    head[a:b] = _edition_word(folded[a:b], "".join(head[a:b]))
                break
        else:
            i += 1
    lowered = object.__new__(Text)
    lowered.__dict__.update(t.__dict__)
    lowered.folded = "".join(head) + folded[end:]
    return lowered


def _own_capitals(token: str) -> bool:
    """A word with capitals after its first letter and small letters too, as a brand writes
    itself ("SAERcore", "ctrlX", "iPhone"): no sign that a headline in capitals has ended."""
    return any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)


def _edition_word(folded: str, read: str) -> str:
    """A headline's word in capitals right after a listed product: its edition, with its
    capital, when no link word, verb or product type ("MOVIGEAR PERFORMANCE"; not "SOLIDWORKS
    2025 WITH", "KR QUANTEC DEPUIS")."""
    lowered = folded.lower()
    if not read.islower() or len(folded) < 3 or lowered in LINK_WORDS or lowered in HEADLINE_VERBS \
            or lowered in TYPE_WORDS or lowered[:-1] in TYPE_WORDS or acts_at(" " + lowered, 0) is not None:
        return read
    return folded[0] + lowered[1:]


def _capped_word(folded: str, after_name: bool, named: bool) -> str:
    """A word of a headline in capitals as a sentence writes it: a code as written
    ("S7-1500"), but for a common word after its number ("5-AXIS"); a legal form as the lists
    spell it ("LTD" -> "Ltd"); a short word no language has as written ("KD-ARC", "PKS"); a
    company's head word after a name, or a word before a "+" or a legal form, with its capital
    ("KESTREL DYNAMICS", "VISION+", "PELLARD HOISTS LTD"); another common or link word, or a
    product type, in small letters; any other word with its capital ("PRAYON" -> "Prayon"): it
    may be a name no list holds."""
    if any(c.isdigit() for c in folded):
        number, dash, word = folded.partition("-")
        return number + dash + word.lower() if number.isdigit() and word and common(word) else folded
    legal = _LEGAL_UPPER.get(folded.rstrip("."))
    if legal is not None:
        return legal + folded[len(legal):]
    lowered = folded.lower()
    titled = folded[0] + lowered[1:]
    if "'" in lowered or lowered in LINK_WORDS or len(folded) < 2 or all(map(common, lowered.split("-"))) \
            or lowered in TYPE_WORDS or lowered[:-1] in TYPE_WORDS:          # "HARNAIS", "RECTIFIEUSES"
        return titled if named or after_name and titled in HEADS else lowered
    return folded if any(len(part) <= 3 for part in lowered.split("-")) else titled


def _after_code(folded: str, before: list[tuple[int, int]]) -> bool:
    """Whether the tokens before a word end a code ("HA20", "HA20 RTJ": a short variant after it)."""
    words = [folded[a:b] for a, b in before]
    return bool(words) and (any(c.isdigit() for c in words[-1]) or len(words) == 2 and len(words[1]) <= 3
                            and any(c.isdigit() for c in words[0]))


# editions a code's model goes on with (as ``name_spans``' reading of sentences takes them; a
# short one stays as written: "SE", "XL")
_EDITIONS = frozenset(word.lower() for word in EDITION_WORDS)
_LEGAL_UPPER = {form.upper(): form for form in sorted(LEGAL, key=str.isupper)}   # "PLC" over "plc"
_NAME_ENDS = frozenset(_LEGAL_UPPER) - {"PLC", "SA", "SE", "AS", "CO", "AB"}   # "SAFETY PLC", "DIT SA POSITION"


# a word, a name's word or a code, without an elided article before it nor the punctuation after it
_TOKEN = re.compile(r"(?:[DLdl]')?([\w&+'.:/-]*\w)")


def headline_word(word: str) -> bool:
    """A headline's word that a sentence writes in small letters: a verb, a link word, a
    compound of common words; not a head, a division or any other word ("Form 4L")."""
    if not word[1:].replace("-", "").islower() or word in HEADS or word in DIVISIONS:
        return False
    lowered = word.lower()
    if "-" in word:
        return all(common(part) or part in LINK_WORDS for part in lowered.split("-") if part)
    return lowered in LINK_WORDS or lowered in HEADLINE_VERBS or acts_at(" " + lowered, 0) is not None


WORD = re.compile(r"[A-Za-z][\w-]*")


TITLE_START = re.compile(r"\S+ (?:\S{1,3} )*[A-Z0-9]")   # its first long word after the first is capitalised


def headline(original: str, at: int) -> bool:
    """Whether the line around ``at`` is written in Title Case (most of its words capitalised)."""
    start = max(original.rfind("\n", 0, at) + 1, at - 100)
    end = original.find("\n", at, at + 100)
    return title_case(original[start:end if end >= 0 else at + 100])


def title_case(line: str) -> bool:
    """Four words or more, every one of four letters or more written with a capital."""
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 4 and all(not w.islower() for w in words if len(w) >= 4)


def listed_after(folded: str, previous_end: int, start: int, end: int) -> bool:
    """Whether a name goes on a list after an organisation: "Fanuc, Yaskawa et Sybot"; after
    a bare comma only if the list goes on after it ("Coca-Cola, l'ACV sert" is no list)."""
    between = LIST_BETWEEN.match(folded, previous_end, start)
    if not between:
        return False
    link = between.group("link")
    return link != ", " or folded.startswith((", ", " et ", " and ", " & "), end)


def cited(last: list[str]) -> bool:
    """Whether the words before a name cite it: "selon l'ADEME", "according to the VDMA"."""
    words = last[:-1] if last and last[-1] in ARTICLES else last
    return any(tuple(words[-k:]) in CITING for k in (1, 2) if len(words) >= k)


_USED_MORE = frozenset({("avec",), ("with",), ("and",), ("et",)})


def used_before(folded: str, start: int) -> bool:
    """Whether the words before ``start`` say the text uses what follows: "using Onshape and",
    "Built on Ignition", "avec Onshape" (a listed name only: a common word is read no further)."""
    last = last_words(folded, start)
    words = last[:-1] if last and last[-1] in ARTICLES else last
    if words and words[-1] in ("and", "et") and len(words) >= 2:
        words = words[:-1]                   # "using Onshape and Arena": the list goes on
        return bool(words) and any(tuple(words[-k - 1:-1]) in USED_FRAMES for k in (1, 2) if len(words) > k)
    return any(tuple(words[-k:]) in USED_FRAMES | _USED_MORE for k in (1, 2) if len(words) >= k)
