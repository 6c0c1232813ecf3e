"""Organisations and products beyond the list, named by the words around them.

Trade news names far more makers than any list holds. A run of capitalised words is read in
its context:

- an organisation that acts: "Nordson lance…", "Kerlann Automation a présenté…", "Teradyne
  acquired…"; that is bought, joined or worked at: "rachète Haption", "partners with
  Sentrix", "chez Forvia"; that owns: "Mitutoyo's"; or whose name ends with a company's head
  word: "Fetch Robotics", "Prusa Research", "Zebra Technologies";
- a product that such an organisation launches: "Nordson launched the ProBlue Flex",
  "Mitutoyo's CRYSTA-Apex V", that a product type frames with its maker: "le logiciel
  SolidWorks de Dassault Systèmes", or a model code right after an unlisted maker: "Haas
  UMC-500".

A capitalised word opens a name only if it is no common word of French or English
(``wordfreq``, Zipf frequency 3.5 or more in either): a sentence's first word, a weekday, a
city, a first name or a headline's words are common, a maker's name is not. So a person
("Jean Kowalski a présenté") or a place ("Grenoble accueille") is not read as a maker.
Precision first: a run none of these frames holds is not a name. The words and the frames'
patterns are in ``name_lexicon``, the runs are found by ``name_runs`` and institutions by
``name_institutions``; this module reads what each run names and where it ends.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from veille.name_frames import (
    OPENING,
    acts_after,
    acts_at,
    cited,
    headline,
    last_words,
    listed_after,
    object_or_role,
    role_word,
    type_after,
    typed,
)
from veille.name_institutions import institution_names
from veille.name_lexicon import (
    ARTICLES,
    CLASS_WORDS,
    DESIGNATORS,
    DIMENSION,
    DIVISION_AFTER,
    EVENT_AFTER,
    EVENT_BEFORE,
    EVENT_BEFORE_REACH,
    EVENT_WORDS,
    FIELD_WORDS,
    GENERIC,
    HEADS,
    JOBS,
    LAUNCH_AFTER,
    LEGAL,
    LINK_WORDS,
    MAKER_AFTER,
    NOT_A_CODE,
    NOT_COINED,
    OPENERS,
    OWNERS,
    PLACE_AFTER,
    PRODUCT_VERBS,
    PROTOCOLS,
    SITE_AFTER,
    SITES,
    SMALL_MAKER,
    SMALL_MAKER_BYTES,
    SOFTWARE,
    STANDARD_BODIES,
    TITLE_BEFORE,
    TRADES,
    TYPE_WORDS,
    USED_FRAMES,
    VENUES,
    camel,
    common,
    frequencies,
    is_code,
    namey,
    plain,
)
from veille.name_lexicon import surnames as people
from veille.name_runs import capitalised_runs, run_at, run_span, split_run
from veille.name_spans import plausible_product
from veille.reference_text import Text


def _organisation(words: list[tuple[str, int]], folded: str, strong: bool = False) -> tuple[int, int] | None:
    """The span of the organisation a run's words name in a context that frames one: its
    first word can open a name, or its last is a company's head word after a word that is
    no field of industry ("Fetch Robotics", not "Smart Manufacturing Week")."""
    if not words:
        return None
    start, end = run_span(words)
    last = last_words(folded, start)
    if TITLE_BEFORE.search(folded, max(0, start - 6), start) or not JOBS.isdisjoint(last) \
            or len(last) >= 2 and last[-2].split("'")[-1] in SITES and last[-1] in ("de", "d'", "of", "in", "a"):
        return None                          # "M. Kowalski", "le directeur Marc Lefort", "l'usine de Douai"
    if EVENT_AFTER.match(folded, end) or EVENT_BEFORE.search(folded, max(0, start - 30, start - EVENT_BEFORE_REACH), start):
        return None                          # "le salon SEPEM Industries", "Automate Show"
    first = words[0][0].lower()
    if first in FIELD_WORDS or words[0][0] in GENERIC or not VENUES.isdisjoint(w for w, _ in words) \
            or len(words) > 1 and words[-1][0] in EVENT_WORDS:
        return None                          # "Additive Manufacturing", "the Cobo Center", "Hannover Messe opened"
    if strong or namey(words[0][0]) or _head_named(words) and first not in frequencies()[1]:
        domain = _DOMAIN.match(folded, end)
        return start, domain.end() if domain else end      # "led by Maki.vc"
    return None


_DOMAIN = re.compile(r"\.[a-z]{2,3}(?![\w.-])")


def _head_named(words: list[tuple[str, int]]) -> bool:
    return len(words) >= 2 and words[-1][0] in HEADS and words[0][0] not in GENERIC


def _product(tokens: list[tuple[str, int]], folded: str, loose: bool) -> tuple[int, int] | None:
    """The span of a product a run names: generic acronyms around it and a trailing common
    word after its code dropped ("SCARA GX10B", "CRYSTA-Apex V CMM", "Pro3 Plus"); it needs a
    model code, a camel-case or capitals word or a rare word, unless ``loose`` (after a
    maker's launch verb, where two capitalised words are enough: "Core One")."""
    while tokens and (tokens[0][0] in GENERIC or tokens[0][0] in OPENERS or tokens[0][0] in LEGAL):
        tokens = tokens[1:]
    while tokens and tokens[-1][0] in GENERIC:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[0][0].isdigit():
        tokens = tokens[1:]                  # "50 E-Tech T", "20 FH Electric": a quantity first
    if len(tokens) > 2 and tokens[-2][0] in CLASS_WORDS and tokens[-1][0].isdigit():
        tokens = tokens[:-2]                 # "MRX-G4064 Layer 3": a class after the model
    coded = [i for i, (token, _) in enumerate(tokens) if is_code(token)]
    if coded and coded[-1] < len(tokens) - 1 and all(common(t) and not t.isupper() for t, _ in tokens[coded[-1] + 1:]):
        tokens = tokens[:coded[-1] + 1]      # "UR8 Long", "Pro3 Plus"
    if not tokens or tokens[0][0].split("/")[0] in STANDARD_BODIES:
        return None
    texts = [token for token, _ in tokens]
    site = SITE_AFTER.match(folded, tokens[-1][1] + len(texts[-1]))    # (a mill after a code is a machine)
    if any(t in EVENT_WORDS for t in texts) or site and not (coded and site.group().endswith(("mill", "mills"))) \
            or EVENT_BEFORE.search(folded, max(0, tokens[0][1] - EVENT_BEFORE_REACH), tokens[0][1]) \
            or folded.startswith(" of the Year", tokens[-1][1] + len(texts[-1])):
        return None                          # "Hannover Messe", "Hermes Award", "la compétition WorldSkills",
                                             # "its Integrator of the Year"
    if coded:
        return run_span(tokens) if model_code(texts) or loose and release(texts) else None
    if any(camel(t) or (t.isupper() and len(t) > 2) for t in texts) or namey(texts[0]) and (
            len(texts) == 1 or not plain(texts[0])):
        return run_span(tokens)                 # "ProBlue", "GXO", "Sequoia", "CRYSTA-Apex V"
    # several plain capitalised words are a product only after a launch verb ("Core One"),
    # elsewhere a person as likely ("Uswitch's Richard Neudegg")
    return run_span(tokens) if loose and len(tokens) >= 2 else None


_RELEASE_YEAR = re.compile(r"20[012]\d")


def release(texts: list[str]) -> bool:
    """Whether a launched name ends with its release's year after its words, as software is
    named ("Panorama Suite 2025", "Inventor 2025"; a plan's far year is not one: "Vision 2030")."""
    return len(texts) >= 2 and _RELEASE_YEAR.fullmatch(texts[-1]) is not None \
        and not any(is_code(t) for t in texts[:-1]) and texts[-2][:1].isupper()


def model_code(texts: list[str]) -> bool:
    """Whether a run's codes make a model: not a year, a quantity or a quarter, and a
    dimension ("6D") only after the model's own word ("Virtuose 6D", not "imprimantes 3D")."""
    words = [t for t in texts if not is_code(t)]
    codes = [t for t in texts if is_code(t)]
    real = [c for c in codes if not NOT_A_CODE.match(c) and (words or not DIMENSION.match(c))]
    return bool(real) and (bool(words) or any(re.search(r"[A-Za-z]", c) for c in real))


def _person_like(words: list[tuple[str, int]], surnames: set[str], owns: bool = False) -> bool:
    """Whether a name that acts or owns is as likely a person: plain words, two or more of
    them without a company's head word ("Mikaela Shiffrin", "Amal Clooney"), or one a person's
    name ends with elsewhere in the text ("Reymond Clavel … Clavel's team"); not a rare word
    before a common noun that acts, which a company's trade or place word is ("Bocchi
    Industrie", "Robotech Ouest"), a person's first name seldom (a verb is no trade word:
    "Docker Compose files"; an owner is as likely a person: "Alessandro Michele's"), nor a
    name holding a trade ("Manutec Levage", "Menuiseries Grellier")."""
    tokens = [token for token, _ in words]
    if len(tokens) >= 2:
        return all(plain(t) for t in tokens) and tokens[-1] not in HEADS and (
            owns or common(tokens[0]) or not common(tokens[-1]) or acts_at(" " + tokens[-1].lower(), 0)) \
            and TRADES.isdisjoint(t.lower() for t in tokens)
    return tokens[0] in surnames


_RUNS_READ = 200


def context_names(t: Text, known: list[tuple[int, int]],
                  bodies: list[tuple[int, int]] = ()) -> tuple[list[tuple[int, int]], list[tuple[int, int]],
                                                               list[list[tuple[str, int]]]]:
    """Organisations and products (spans) named by the words around capitalised runs, and
    the runs read; ``known``: spans of organisations found otherwise, whose launches are read
    too, but for ``bodies`` (which publish documents, not products: "NIST published SP 800-82")."""
    folded = t.folded
    orgs: list[tuple[int, int]] = []
    opening = folded[:OPENING]
    small = not t.plain or not t.words.isdisjoint(SMALL_MAKER_BYTES)
    for m in SMALL_MAKER.finditer(opening) if small else ():   # and it acts: "the sensor maker ifm presented"
        group = "name" if m.group("name") else "name2"
        if not common(m.group(group)) and (acts_after(folded, m.end()) or folded.startswith("'s ", m.end())):
            orgs.append(m.span(group))
    products: list[tuple[int, int]] = []
    # the real feeds' entries give at most 16 runs in their opening: a stuffed one is read for
    # its first runs only (each run is compared with the names before it)
    runs = capitalised_runs(t)[:_RUNS_READ]
    institutions = [s for s in institution_names(t) if not any(a < s[1] and s[0] < b for a, b in known + orgs)]
    if not runs and not known and not orgs and not institutions:
        return [], [], []                    # nothing capitalised can name anything here
    surnames = {run[-1][0] for run in runs if len(run) == 2 and plain(run[0][0]) and plain(run[1][0])
                and run[-1][0] not in HEADS and run[0][0] not in OPENERS} | people([[w for w, _ in run] for run in runs])
    launches = {m.end() for _, end in known if (m := LAUNCH_AFTER.match(folded, end))}
    orgs += institutions
    known_ends = sorted(end for _, end in known)
    known_starts = frozenset(start for start, _ in known)
    title_end = getattr(t, "title_end", 0)
    last_org_end = -1
    known_starts_free = None        # the known names' starts, bodies aside (read once, if needed)
    for run in runs:
        words, rest = split_run(run, folded)
        start = run[0][1]
        org = None
        strong = bool(words) and object_or_role(folded, words[0][1], last_words(folded, words[0][1]))
        if strong and rest and all(DIMENSION.match(token) for token, _ in rest):
            words, rest = words + rest, []   # "la start-up lyonnaise Addimat 3D": its name, no model
        if words and (strong or namey(words[0][0]) or _head_named(words)):   # else it opens no name
            previous = max([last_org_end] + [e for e in known_ends if e <= words[0][1]])
            org = _framed(words, folded, previous if not rest else -1, surnames, strong, bool(rest),
                          words[0][1] < title_end, known_starts)
            if org is None and rest and _maker_word(words[0][0]) and start not in launches \
                    and not typed(folded, start, last_words(folded, start)):
                # "Haas UMC-500", "Netstal Elion 3200": an unlisted maker and its model; or a
                # software's name before its version, which is all the product
                n = 2 if len(words) >= 2 and words[1][0] in HEADS else 1
                version = n == 1 and words[0][1] not in known_starts and _VERSION.fullmatch(rest[0][0]) \
                    and not _QUANTITY.match(folded, run_span(rest[:1])[1])
                # a common word after the first is the name's, not a model's ("Compute Module 5",
                # "Ubuntu Core 24", "Tecnomatix Process Simulate 2506": one product)
                worded = n == 1 and len(words) >= 2 and words[0][1] not in known_starts \
                    and (_name_word(words[1][0]) or words[1][0] in _SOFTWARE_NAME_WORDS) \
                    and not acts_at(" " + words[1][0].lower(), 0)
                tokens = words + rest if version or worded else words[n:] + rest
                while tokens and acts_at(" " + tokens[0][0].lower(), 0):
                    tokens = tokens[1:]          # a headline's verb: "Formlabs Unveils Form 4L"
                product = _product(tokens, folded, loose=False)
                if product and plausible_product(t.original[product[0]:product[1]]):   # not "Poudres PA 12"
                    maker = MAKER_AFTER.match(folded, product[1])
                    if maker and run_at(t, maker.end()):   # "Klüberplex BEM 41-132 de Klüber Lubrication":
                        product = _product(words + rest, folded, loose=False) or product   # its maker after it
                    elif len(tokens) < len(words) + len(rest):
                        org = run_span(words[:n])
                    products.append(product)
        if org:
            orgs.append(org)
            last_org_end = org[1]
            continue
        if _model_like(run) or namey(run[0][0]) or len(run) > 1:
            product, by = _typed_product(t, run, bool(known or orgs), known_starts)
            if product is None and (known or orgs):
                product = _owned_or_coined(t, run)
            if product is None:
                product = _versioned(t, run)
            if product is None:
                if known_starts_free is None:      # once: a stuffed text's known names are thousands
                    not_bodies = set(bodies)
                    known_starts_free = {span[0] for span in known if span not in not_bodies}
                product = _before_its_maker(t, run, known_starts_free | {span[0] for span in orgs if span not in bodies})
            products += [product] if product else []
            orgs += [by] if by else []
    for span in known + orgs:
        if span not in bodies and span not in institutions:
            products += _launched(t, span[1])
    orgs = [o for o in orgs if not any(a <= o[0] and o[1] <= b and (a, b) != o for a, b in orgs)]
    named = {folded[a:b] for a, b in known + orgs}     # "AeroSpline" acts first: no product later
    return orgs, [p for p in products if folded[p[0]:p[1]] not in named], runs


# a version, no model: what follows a software's name ("Startdrive V19", "GM Programmer 2.0"),
# not a maker's
_VERSION = re.compile(r"V\d+(?:\.\d+)*|\d+\.\d+(?:\.\d+)*")
_QUANTITY = re.compile(r" (?:millions?|milliards?|billions?|trillions?|bn|mn|m|k|%)(?![\w-])")    # "Bellamy 1.2 million"
_CLAUSE_OPENERS = LINK_WORDS | frozenset("while when since until once after before if although though currently now "
                                          "today also then installed using mit lorsque quand depuis des apres avant "
                                          "alors pendant grace selon sous".split())
_RELEASE_NAMES = frozenset("Version Release Update Build Patch Edition".split())    # "Mit Version 16.1"
_RULE_WORDS = frozenset("CFR USC U.S.C. Part Article Section Annex Annexe".split())
_ERAS = frozenset("Industry Industrie Industria Usine Factory Web Society Operator Opérateur Operateur Logistics "
                  "Logistique Maintenance Quality Qualité Qualite Health Santé Sante Agriculture Construction".split())


def _versioned(t: Text, run: list[tuple[str, int]]) -> tuple[int, int] | None:
    """Software named in capitalised words with its version ("Bin Picking Studio 1.11", "STEP 7
    Safety Advanced V20"): not a protocol's or an era's ("Bluetooth 5.3", "Industry 4.0")."""
    while run and run[0][0][0].isdigit():
        run = run[1:]                       # a number before: "29 CFR 1910.147"
    if len(run) > 2 and run[0][0].lower() in _CLAUSE_OPENERS:
        run = run[1:]                       # a clause's first word: "While Ruby 1.9.2 isn't due"
    if len(run) < 2 or not _VERSION.fullmatch(run[-1][0]) or run[-2][0] in _ERAS or run[-2][0] in _RELEASE_NAMES \
            or _QUANTITY.match(t.folded, run_span(run)[1]) \
            or any(token in PROTOCOLS or token in GENERIC or token in _RULE_WORDS for token, _ in run[:-1]):
        return None
    if len(run) == 2 and (run[0][0].isupper() or common(run[0][0])):
        return None         # a rule's, a currency's or a certificate's letters ("CFR 1910.147", "EUR 2.3")
    if headline(t.original, run[0][1]) and any(common(token) for token, _ in run[:-1]):
        return None         # a Title Case headline's words: "One Year Into Trump 2.0"
    product = _product(run, t.folded, loose=True)
    return product if product and plausible_product(t.original[product[0]:product[1]]) else None


_PLACE_BEFORE = frozenset("a au aux at chez".split())
# a public body's kind, whose name or acronym follows it ("the environment agency LfU")
_BODY_BEFORE = frozenset("agency agence ministry ministere authority autorite regulator inspectorate".split())
# a programme's, a project's or a scheme's kind: the name after it is no product ("le moteur du
# programme SCAF", "la certification FSSC 22000")
PROGRAMME_WORDS = frozenset("programme program projet project certification label scheme initiative".split())
# and a label's or a brand's preposition: "une gamme biodégradable sous Ecolabel européen"
_NOT_A_PRODUCT_BEFORE = PROGRAMME_WORDS | {"sous", "under"}
_MAKER_BEFORE = frozenset("de d' du by from of".split())


def _before_its_maker(t: Text, run: list[tuple[str, int]], makers: Iterable[int]) -> tuple[int, int] | None:
    """A model's code written right before its named maker ("la KIRA B 50 de Kärcher", "the
    Liberty SC50 from Nilfisk"); ``makers``: where the organisations found start."""
    m = MAKER_AFTER.match(t.folded, run_span(run)[1])
    if m is None or m.end() not in makers or not any(is_code(token) for token, _ in run) and not (
            len(run) >= 2 and any(token.isupper() and len(token) > 2 and token not in GENERIC for token, _ in run)):
        return None                          # (or a name and its grade in capitals: "l'Hexamoll DINCH de BASF")
    return _product(run, t.folded, loose=False)


_RELEASES = frozenset("version release firmware build".split())


def _owned_or_coined(t: Text, run: list[tuple[str, int]]) -> tuple[int, int] | None:
    """A product its maker's possessive introduces ("its RailGuard monitors", "son MES
    Opérys"), or a coined camel-case name no frame made an organisation ("SensoLog",
    "EcoStruxure Automation Expert"), in a text that names a maker."""
    folded, start = t.folded, run[0][1]
    last = last_words(folded, start)
    owned = bool(last) and (last[-1] in OWNERS or len(last) > 1 and last[-2] in OWNERS and last[-1].upper() in GENERIC)
    words = last[:-1] if last and last[-1] in ARTICLES else last
    if any(tuple(words[-k:]) in USED_FRAMES for k in (1, 2) if len(words) >= k) and (
            any(is_code(tok) or camel(tok) or tok.isupper() and len(tok) > 2 for tok, _ in run)):
        return _product(run, folded, loose=False)    # "ships with PC-DMIS 2025.1", "runs the DeltaV"
    first = run[0][0]
    if last and last[-1] in _BODY_BEFORE:
        return None                          # "the environment agency LfU": the body's acronym
    place = last and last[-1] in _PLACE_BEFORE and (last[-1] != "a" or t.original[start - 2:start - 1] == "à")
    if not owned and last and (place or last[-1] in _MAKER_BEFORE and typed(folded, start - len(last[-1]) - 1, last[:-1])):
        return None                          # "présente à LogiMAT", "les capteurs vibratoires de Wi6labs"
    coined = first[:1].isupper() and camel(first) and not NOT_COINED.match(first) and first not in PROTOCOLS \
        and not acts_after(folded, run_span(run)[1]) and not folded.startswith("'", run_span(run)[1])
    # a model's code after an article ("Chez Stäubli, le TX2-90L HE et…", "the VVB001")
    articled = last[-1:] in (["le"], ["la"], ["the"]) and is_code(first) and not DIMENSION.match(first) \
        and not NOT_A_CODE.match(first) and "inch" not in first
    # a release's number before it: "la version 1.24 de PAS4000", "release 5.2 of CODESYS"
    versioned = len(last) >= 3 and last[-1] in ("de", "of") and last[-3] in _RELEASES \
        and last[-2][:1].isdigit() and _model_like(run)
    if not (owned and (_model_like(run) or namey(run[0][0])) or coined or articled or versioned):
        return None
    return _product(run, folded, loose=False)


def _typed_product(t: Text, run: list[tuple[str, int]], makers: bool,
                   known_starts: frozenset[int] = frozenset()) -> tuple[tuple[int, int] | None, ...]:
    """The product (span) a product type before or after a run frames, and its maker named
    after it, if any: "le logiciel SolidWorks de Dassault Systèmes", "the NexaLink edge gateway
    from Torrent IIoT Solutions", "les exosquelettes Paexo Shoulder d'Ottobock"; without a
    maker after it, only in a text that names one."""
    folded, (start, end) = t.folded, run_span(run)
    after = type_after(folded, end)
    last = last_words(folded, start)
    if not after and not typed(folded, start, last) or role_before(last) \
            or last and last[-1] in _NOT_A_PRODUCT_BEFORE or not after and _headline_verb(t, start):
        return None, None                    # "le constructeur de machines Sermac": a maker
    maker = MAKER_AFTER.match(folded, after.end() if after else end)
    if after and not maker and not any(is_code(token) for token, _ in run) \
            and not (SOFTWARE.search(after.group()) and any(camel(token) for token, _ in run)) \
            and not (run[0][1] not in known_starts and _determined(t, run, last)):
        return None, None                    # "IO-Link sensors", "EtherCAT devices": a technology
    product = _product(run, folded, loose=bool(maker))
    coded_type = after is not None and any(is_code(token) for token, _ in run) \
        and re.split(r"[-/ ]", run[0][0])[0] not in DESIGNATORS   # "the CMX-500 measuring machine"
    if not product or not (maker or makers or coded_type):
        return None, None
    made_by = run_at(t, maker.end()) if maker else None
    return product, _organisation(split_run(made_by)[0], folded) if made_by else None


_DETERMINERS = ARTICLES | frozenset("a an its their our un une son sa ses leur leurs notre nos".split())


def _determined(t: Text, run: list[tuple[str, int]], last: list[str]) -> bool:
    """Whether a run before its product type is one rare name after an article or a
    possessive, written in capitals or camel case ("the EHMD rotary gripper module", "the CFDL
    controller"): a product; a technology goes without ("IO-Link sensors", "EtherCAT devices"),
    and a maker's plain name is its brand ("a Haas machine", "a Fanuc robot")."""
    token, start = run[0]
    return bool(last) and last[-1] in _DETERMINERS and len(run) == 1 and namey(token) \
        and (camel(token) or token.isupper() and len(token) > 2) \
        and token not in PROTOCOLS and token not in STANDARD_BODIES \
        and not (last[-1] == "a" and t.original[start - 2:start - 1] == "à")    # "assemble à Aspach ses…"


def role_before(last: list[str]) -> bool:
    """Whether a maker's role is among the words before a name ("le constructeur de machines
    d'emballage Sermac"): the name is the maker's, not a product's."""
    for i in range(len(last) - 1, -1, -1):
        if role_word(last[i]):
            return True
        if last[i] in _NOT_AFTER_ROLE:
            return False                     # "Renault Group teste les exosquelettes Exia"
    return False


_NOT_AFTER_ROLE = ARTICLES | frozenset("un une des a an".split())


def _headline_verb(t: Text, start: int) -> bool:
    """Whether the word before ``start`` is a headline's verb read in small letters that is
    also a product type ("Nestlé Automates Palletising")."""
    before = t.folded.rfind(" ", 0, start - 1) + 1
    return start <= getattr(t, "title_end", 0) and t.original[before:before + 1].isupper() \
        and t.folded[before:before + 1].islower()


def _model_like(run: list[tuple[str, int]]) -> bool:
    """Whether a run can name a model at all (what ``_product`` asks, tested first because
    it is cheap): a code, a camel-case or capitals word, or one rare word."""
    for token, _ in run:
        if _model_token(token):
            return True
    return len(run) == 1 and namey(run[0][0])


@lru_cache(maxsize=65536)
def _model_token(token: str) -> bool:
    """A code, a camel-case or a capitals word of three letters or more."""
    return is_code(token) or camel(token) or token.isupper() and len(token) > 2


def _name_word(token: str) -> bool:
    """A common word written as a product name's second word ("Compute Module 5", "Ubuntu Core
    24"): capitalised, no model's kind, class or site ("Model 3", "Factory 56", "MES 8")."""
    return token[:1].isupper() and token[1:].islower() and common(token) and token not in GENERIC \
        and token not in CLASS_WORDS and token.lower() not in TYPE_WORDS and token.lower() not in _NOT_NAME_WORDS


# a software kind written as its name's last word, before its version ("Additive Suite 2025 R2")
_SOFTWARE_NAME_WORDS = frozenset("Suite Studio Designer Workbench Server".split())
_NOT_NAME_WORDS = frozenset("model modele modell series serie line ligne factory usine plant site".split())


def _maker_word(token: str) -> bool:
    """A word that can be an unlisted maker's name before its model ("Haas UMC-500",
    "Raise3D Pro3"): capitalised, rare, not written in capitals nor camel case, which model
    families are ("SIMATIC S7-1500", "TruPrint 3000")."""
    return namey(token) and (token[1:].islower() or any(c.isdigit() for c in token))


def _framed(words: list[tuple[str, int]], folded: str, last_org_end: int, surnames: set[str], strong: bool,
            coded: bool, in_title: bool = False, known_starts: frozenset[int] = frozenset()) -> tuple[int, int] | None:
    """The organisation a run's words name where the context frames one: it is bought,
    joined or worked at, goes on a list of organisations, ends with a company's head word,
    or acts or owns and is not as likely a person."""
    start, end = run_span(words)
    if type_after(folded, end) and not (strong and not coded and role_before(last_words(folded, start))):
        return None                          # "alongside the Sparrow robotic arm": a product
    if words[0][0] in STANDARD_BODIES and (coded or len(words) > 1):
        return None                          # "selon la NF EN ISO 9606-1": a standard
    if strong:                               # bought, joined, supplied, or after its role
        return None if coded else _organisation(words, folded, strong=True)
    framed = last_org_end >= 0 and listed_after(folded, last_org_end, start, end) \
        or bool(DIVISION_AFTER.match(folded, end)) or cited(last_words(folded, start)) \
        or not coded and _coordinated_before(folded, end, known_starts)
    if not framed and (not _head_named(words) or coded or in_title):   # "Golden Electric 570" is a model
        owns = (folded.startswith("'s ", end) or words[-1][0].endswith("s") and folded.startswith("' ", end)) \
            and not PLACE_AFTER.match(folded, end + 2)     # "Gothenburg's port"
        if not (owns or acts_after(folded, end)) or _person_like(words, surnames, owns) \
                or camel(words[0][0]) and PRODUCT_VERBS.match(folded, end) \
                or last_words(folded, start)[-1:] in (["in"], ["near"]):
            return None                      # "GrabCAD Print Pro adds…"; "the Centre in Coventry opens"
    return _organisation(words, folded)


_AND_THEN = re.compile(r" (?:et|and|&) (?:l'|le |la |les |the )?")


def _coordinated_before(folded: str, end: int, known_starts: frozenset[int]) -> bool:
    """Whether a name is joined by "and" to an organisation found otherwise that follows it
    ("Serfim et Eiffage Énergie Systèmes remportent", "Dow and ExxonMobil share")."""
    m = _AND_THEN.match(folded, end) if known_starts else None
    return m is not None and m.end() in known_starts


def _launched(t: Text, end: int) -> list[tuple[int, int]]:
    """The product an organisation ending at ``end`` launches or owns, if any."""
    m = LAUNCH_AFTER.match(t.folded, end)
    run = run_at(t, m.end()) if m and m.group().rsplit(None, 1)[-1] not in PROGRAMME_WORDS else None
    if run is None or m.group().endswith(" a ") and not any(is_code(tok) or camel(tok) for tok, _ in run):
        return []                            # "présente à Euroblech la TruLaser": a place, an event
    loose = not m.group().startswith("'") and len(run) <= 2   # "Core One", not "Sustainability Report Highlighting…"
    span = _product(run, t.folded, loose=loose and run[0][0].lower() not in TYPE_WORDS)   # not "Cobot Portfolio"
    if span is None and len(run) <= 4 and release([token for token, _ in run]) \
            and not any(token in EVENT_WORDS or token in GENERIC for token, _ in run):
        span = run_span(run)                    # "Codra publie Panorama Suite 2025"
    if span and DIVISION_AFTER.match(t.folded, span[1]):
        return []                            # "PepsiCo's Frito-Lay division": an organisation
    found = []
    while span:                              # "the GX10C and GX20C", "le TM5S, le TM12S et le TM20"
        found.append(span)
        more = _PRODUCT_LIST.match(t.folded, span[1])
        run = run_at(t, more.end()) if more else None
        span = _product(run, t.folded, loose=False) if run and (
            any(is_code(tok) or camel(tok) for tok, _ in run) or namey(run[0][0])) else None
    return found


_PRODUCT_LIST = re.compile(r"(?:,| and| et| &) (?:the |le |la |l'|les |a |an |un |une )?")
