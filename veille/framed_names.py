"""Organisations and products a text frames as such, beyond the lists: "la société X",
"X GmbH", "Comau, fabricant italien de robots,", "le cobot Racer-5", "ABB's IRB 6700". Each
framing pattern is tried only where it can match (after a frame's first word, before a legal
form, at the runs before an apposition's comma), not at every capital of a long text.
Apart from ``reference_names`` (the lists compiled) because these readings need no list."""
from __future__ import annotations

import re
from itertools import chain
from typing import Iterator

from veille.name_frames import MAKER_PREPOSITIONS, OPENING, last_words, type_after, typed
from veille.name_lexicon import (CLASS_WORDS, COMMA_LEGAL, DIMENSION, DIVISIONS, GENERIC, HEADS, LAUNCH_VERBS, LEGAL,
                                 NOT_A_CODE, OPENERS, PROTOCOLS, ROLE_LAST, TYPE_WORDS, TYPES, camel, common,
                                 given_names, is_code, name_start, places)
from veille.reference_text import Text, occurrences, scan


JOB_AFTER = ("managers?|teams?|departments?|officers?|directors?|leads?|professionals?|functions?|polic(?:y|ies)|"
             "management|systems?|coordinators?|advis[eo]rs?|specialists?|engineers?|requirements|training|"
             "risks?|culture|performance|compliance")

_CAP = r"[A-Z][\w&+]*(?:-[\w&+]+)*"          # a word written with a capital (folded text)
_LEGAL = r"(?:GmbH|AG|SAS|SARL|SA|S\.A\.|S\.p\.A\.|SpA|NV|BV|AB|A/S|Oy|KG|Inc\.?|Ltd\.?|Corp\.?|Corporation|plc|LLC)"
_NATIONALITY = (r"(?:allemande?|japonaise?|suisse|francaise?|danoise?|americaine?|italien(?:ne)?|chinoise?|"
                r"coreen(?:ne)?|suedoise?|autrichien(?:ne)?|britannique|neerlandaise?|espagnole?|"
                r"German|Japanese|Swiss|French|Danish|American|Italian|Chinese|Korean|Swedish|Austrian|British|Dutch)")
# an organisation the text frames as one: "la société X", "le fabricant allemand X", "X GmbH",
# "X, Inc." (a comma only before the English forms that take one)
_FRAMED_ORGANISATION = re.compile(
    rf"(?<![\w-])(?:(?i:la[^\S\n]+societe|l'entreprise|la[^\S\n]+start-?up|le[^\S\n]+groupe|le[^\S\n]+fabricant|le[^\S\n]+constructeur"
    rf"|the[^\S\n]+company|(?:robot|cobot|machine|printer)[^\S\n]+maker)(?:[^\S\n]+{_NATIONALITY})?[^\S\n]+"
    rf"(?P<name>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}})"
    rf"|(?<![\w-])(?P<name2>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}})(?:,(?=[^\S\n]+(?:{COMMA_LEGAL})(?!\w)))?"
    rf"[^\S\n]+{_LEGAL}(?!\w))")
# what a maker is called in an apposition after its name: "Comau, fabricant italien de robots,"
_ROLES = ("fabricant constructeur editeur specialiste fournisseur integrateur equipementier "
          "maker builder manufacturer supplier developer specialist integrator company firm start-up startup").split()
FRAME_WORDS = frozenset(b"societe entreprise start startup groupe company gmbh inc ltd corp plc llc".split()
                        + [r.encode() for r in _ROLES])
_LEGAL_CAPITALS = frozenset((b"SA", b"SAS", b"AG"))   # not SE: "Mac SE" is a computer
LEGAL_LOWERED = frozenset(c.lower() for c in _LEGAL_CAPITALS)   # "sa" in French: capitals decide
CODE = r"(?=[\w/-]*\d)[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?:\.\d+)*"   # "PC-DMIS 2025.1"
# an apposition saying what the organisation before it makes: ", fabricant italien de robots,",
# ", a Japanese machine tool builder," (a role word within its first few words)
# (opening with an article or the role: not "Mexico, another oil supplier to Cuba,", nor
# "Within the US, manufacturers have to…")
_APPOSITION = (rf",[^\S\n]+(?:(?:(?:un|une|le|la|a|an|the)[^\S\n]+|l')(?:[\w-]+[^\S\n]+){{0,3}}?)?(?:{'|'.join(_ROLES)})(?![\w'-])"
               r"[^,.;:()]{0,60},")
_APPOSED = re.compile(rf"(?<![\w-])(?P<name>{_CAP}(?:[^\S\n]+{_CAP}){{0,2}}){_APPOSITION}")
_APPOSITION_AFTER = re.compile(_APPOSITION)
# a product type framing a model: "le cobot Racer-5", "la presse plieuse HG 1303", "the gripper 2F-85"
_TYPES = ("cobot robot machine presse imprimante capteur automate scanner variateur prehenseur pince "
          "camera printer sensor controller gripper tour fraiseuse palpeur sonde changeur convoyeur scrutateur "
          "servomoteur passerelle casque exosquelette headset exoskeleton probe gateway conveyor lathe").split()
_ROLE_WORDS = frozenset(part.encode() for r in _ROLES for part in r.split("-"))   # as Text.words splits
PRODUCT_TYPE_WORDS = frozenset(t.encode() for t in _TYPES) | frozenset(t.encode() + b"s" for t in _TYPES)
_VERB = (r"(?:lance|presente|devoile|livre|installe|propose|commercialise|launche[sd]|unveil(?:s|ed)|"
         r"introduce[sd]|present(?:s|ed)|show(?:s|ed)|ships|releases|released)")
# a product named right after its maker: "Stratasys F5000", "Yaskawa Motoman HC30PL",
# "ABB's IRB 6700", "DMG Mori lance la DMU 50", "Robotiq launched the 2F-85"
_AFTER_MAKER = re.compile(
    rf"(?:'s)?[^\S\n]+(?:{_VERB}[^\S\n]+(?:(?:le|la|les|l'|une?|des|sa|son|ses|the|a|an|its|new)[^\S\n]*)?"
    rf"(?:[a-z]+[^\S\n]+){{0,2}})?"   # "présente le préhenseur RG6", "lance la presse plieuse HG 1303"
    rf"(?P<product>(?:(?P<family>{_CAP}(?:[^\S\n]+{_CAP})?)[^\S\n]+)?(?P<code>{CODE}))(?![\w-])")
_NOT_A_FAMILY = frozenset("ISO IEC CEI EN NF DIN VDI UL CE ASTM Q".split()) | OPENERS
_MODEL = (rf"(?P<product>(?:(?P<family>{_CAP}(?:[^\S\n]+{_CAP})?)[^\S\n]+)?(?P<code>{CODE}))"
          r"(?![\w-]|[.,]\d)")     # "Industrie 4.0" is no model
# on one line; a preposition before the name introduces its maker ("les capteurs vibratoires de Wi6labs")
_TYPED = re.compile(rf"(?<![\w-])(?i:{'|'.join(_TYPES)})s?(?:[ \t]+[a-z]+){{0,2}}"
                    + "".join(rf"(?<![ \t]{p})" for p in MAKER_PREPOSITIONS if p.isalpha()) + rf"[ \t]+{_MODEL}")


def name_of(name: str) -> str | None:
    """A framed organisation's name without opening words or legal form; None if nothing is left."""
    words = [w for w in name.split() if w not in LEGAL and w.rstrip(".") not in LEGAL]   # "HP Inc."
    words = words[name_start(words):]        # "Finnish Start-Up Robotonni Oy"
    while words and words[0] in OPENERS and not (words[0] in _KEPT_PARTICLES and len(words) > 1):
        words.pop(0)                         # not a particle: "De Dietrich Thermique", "Du Pont"
    return " ".join(words) or None


_KEPT_PARTICLES = frozenset(("De", "Du"))   # a name's own particle stays in its key


def _shouted(folded: str, start: int, end: int) -> bool:
    return not any(c.islower() for c in folded[max(0, start - 30):end + 30])


# what follows a frame's first word ("la societe", "l'entreprise", "robot maker"), and what
# every legal form _LEGAL matches starts with ("Corporation": "Corp", "SARL": "SA")
_FRAME_SECONDS = tuple(b"societe entreprise start groupe fabricant constructeur company maker".split())
_LEGAL_OPENINGS = tuple("GmbH AG SA S.A. S.p.A. SpA NV BV AB A/S Oy KG Inc Ltd Corp plc LLC".split())
_CAPITAL = re.compile("[A-Z]")
# the legal forms in one pass (a pattern whose first capitals re looks for), not a find per
# form, which stops at every "SA" of "USA" or "SAFETY": a form's place that a match of another
# one holds follows no space, so no form a name is written with starts there
_LEGAL_OPENING = re.compile("|".join(map(re.escape, _LEGAL_OPENINGS)))


def _framing_starts(t: Text) -> Iterator[int]:
    """Every place in a plain text where _FRAMED_ORGANISATION can match (it is tried at each
    capital of a long text otherwise): a frame's first word, the word before one of
    _FRAME_SECONDS (only spaces between them, which the spaced view keeps in place); and the
    capitals of the three runs of non-space characters before a legal form (the name it
    follows has up to three words, spaces between)."""
    spaced, folded = t.spaced, t.folded
    for second in _FRAME_SECONDS:
        for k in occurrences(spaced, second):
            while k and spaced[k - 1] in b" \v":
                k -= 1
            while k and spaced[k - 1] not in b" \v":
                k -= 1
            yield k
    for m in _LEGAL_OPENING.finditer(folded):
        end = m.start()
        if end and folded[end - 1].isspace():    # a legal form follows a space ("USA" holds none)
            yield from _capitals_before(folded, end)


def _capitals_before(folded: str, end: int) -> Iterator[int]:
    """The capitals of the three runs of non-space characters before ``end`` (where a name of
    up to three words, spaces between, ending there can start)."""
    start = end
    for _ in range(3):
        while start and folded[start - 1].isspace():
            start -= 1
        while start and not folded[start - 1].isspace():
            start -= 1
    return (m.start() for m in _CAPITAL.finditer(folded, start, end))


# a role's word as the spaced view holds it ("start-up": "start")
_ROLE_FIRSTS = tuple(dict.fromkeys(r.split("-")[0].encode() for r in _ROLES))


def _apposition_starts(t: Text) -> Iterator[int]:
    """Every place in a plain text where _APPOSED can match (finditer tried every capital of
    the text): the capitals of the three runs before a comma that opens an apposition. Such
    a comma ends one of the five runs of non-space characters before a role word (its
    article and up to three words between), a whole word of the text preceded by a space
    or an apostrophe (a space in the spaced view, which keeps every place)."""
    spaced, folded, commas = t.spaced, t.folded, set()
    for role in _ROLE_FIRSTS:
        for r in occurrences(spaced, role) if role in t.words else ():
            if spaced[r - 1] != 32:
                continue
            p = r
            for _ in range(5):
                while p and not folded[p - 1].isspace():
                    p -= 1
                q = p
                while q and folded[q - 1].isspace():
                    q -= 1
                if q == p or q == 0:
                    break
                if folded[q - 1] == ",":
                    commas.add(q - 1)
                    break
                p = q
    for comma in commas:
        if _APPOSITION_AFTER.match(folded, comma):
            yield from _capitals_before(folded, comma)


def framed_organisations(t: Text) -> Iterator[tuple[str, int, int]]:
    """Organisations beyond the list that the text frames as such: (name, start, end)."""
    if t.plain and t.words.isdisjoint(FRAME_WORDS) and (
            t.words.isdisjoint(LEGAL_LOWERED) or t.capitals.isdisjoint(_LEGAL_CAPITALS)):
        return
    for m in scan(_FRAMED_ORGANISATION, t, lambda: _framing_starts(t)):
        group = "name" if m.group("name") else "name2"
        name = name_of(m.group(group))
        if name and _shouted(t.folded, m.start(), m.end()):
            continue            # text in capitals: any word can look like a name
        if name:
            start = m.start(group) + m.group(group).index(name.split()[0])
            yield name, start, start + len(name)
    for m in scan(_APPOSED, t, lambda: _apposition_starts(t)) if not t.plain or not t.words.isdisjoint(_ROLE_WORDS) else ():
        name = name_of(m.group("name"))
        if name and not _shouted(t.folded, m.start(), m.end()):
            start = m.start("name") + m.group("name").index(name.split()[0])
            yield name, start, start + len(name)


def trade_names(t: Text) -> list[tuple[int, int]]:
    """Spans of French companies named by their trade and a name, place or owner after it
    ("Forges de Bologne", "Tôlerie Moderne du Béarn", "Ateliers Guérin & Fils", "Usinage
    Lavallois"), and of courts, prefectures and councils named with their place ("le tribunal
    de commerce de Lyon", "la préfecture de la Sarthe", "le conseil régional de Normandie"):
    organisations no list holds, framed by their own first words."""
    words = TRADE_NAME_WORDS.intersection(t.words) if t.plain else TRADE_NAME_WORDS
    if not words:
        return []
    folded, title_end = t.folded, getattr(t, "title_end", 0)
    out = []
    # a trade word in small letters ("l'atelier") opens no name: the pattern only where one is
    # capitalised; not in a Title Case headline (its capitals frame nothing), nor a trade word
    # that goes on with a name before it ("Sylvalène Plastiques S.p.A.")
    if any(_CAPITALISED_TRADES.get(w, "\0") in folded for w in words):
        out += [_without_town(folded, m.span()) for m in _TRADE_NAME.finditer(folded) if m.start() >= title_end
                and not _NAME_BEFORE.search(folded, max(0, m.start() - 30), m.start())]
    if not words.isdisjoint(_PLACED_WORDS):
        out += [m.span() for m in _PLACED_BODY.finditer(folded)]
    return out


def equipment_makers(t: Text) -> list[tuple[int, int]]:
    """Spans of the makers French trade news names after the equipment a plant buys: a line,
    a furnace, a press or a machine, what it does after "de" in small letters, then one plain
    name ("une ligne de sciage Linck", "un four de trempe Ipsen", "deux machines de finition
    Wintersteiger", "les presses d'injection Engel"); a name right after the equipment's word
    is as often its model ("la remplisseuse Modulfill"). A robot, a cell or a system after its
    trade is a product's name ("le robot de perçage Jaibot"), and so is a name in camel case
    or capitals ("le système de transfert ActiveMover", "lignes de conditionnement UHT"); a
    place, a given name, a common word or a name a code follows are none ("la ligne de
    ferrage de Mulhouse", "la presse plieuse HG 1303")."""
    if t.plain and t.words.isdisjoint(_EQUIPMENT_WORDS):
        return []
    folded = t.folded
    out = []
    for m in _EQUIPMENT_MAKER.finditer(folded):
        name = m.group("name")
        if common(name) or camel(name) or name.lower() in places() or name.lower() in given_names():
            continue
        out.append(m.span("name"))
    return out


# equipment a plant buys from its maker, and what it does, in small letters
_EQUIPMENT_WORDS = frozenset(b"ligne lignes four fours machine machines presse presses cabine cabines equipement "
                             b"equipements installation installations autoclave autoclaves soudeuse soudeuses "
                             b"ensacheuse ensacheuses remplisseuse remplisseuses usinage".split())
_NOT_A_COMPLEMENT = r"(?!(?:de|du|des|d|a|au|aux|en|par|pour|chez|dans|sur|vers|son|sa|ses|leur|leurs|la|le|les|l|" \
                    r"un|une|et|ou|vie)(?![\w-]))"
_EQUIPMENT_MAKER = re.compile(
    r"(?<![\w-])(?:lignes?|fours?|machines?|presses?|cabines?|equipements?|installations?|autoclaves?|"
    r"soudeuses?|ensacheuses?|remplisseuses?|centres?[^\S\n]+d'usinage)"
    rf"(?:[^\S\n]+(?:de|des|du)[^\S\n]+|[^\S\n]+d'){_NOT_A_COMPLEMENT}[a-z][a-z-]+"
    rf"(?:(?:[^\S\n]+(?:de|des|du)[^\S\n]+|[^\S\n]+d'|[^\S\n]+){_NOT_A_COMPLEMENT}[a-z][a-z-]+){{0,3}}"
    r"[^\S\n]+(?P<name>[A-Z][a-z][a-z-]+)"
    r"(?=[^\S\n]*(?:[,.;:)]|\n|$)|[^\S\n]+[a-z])")        # no model's code or name after it


def ampersand_names(t: Text) -> list[tuple[int, int]]:
    """Spans of companies named by two names joined by "&" ("Fenwick & Hale", "Marston & Pike
    Engineering", "W. L. Gore & Associates"): one of the two no common word, or a company's
    head word after them ("Health & Safety Executive"), not "Research & Development"."""
    folded = t.folded
    if " & " not in folded:
        return []
    out = []
    for m in _AMPERSAND.finditer(folded):
        left, head = m.group(1).split(" "), m.group(3).strip()
        if left[-1] in LEGAL:                 # "GmbH & Co. KG"
            continue
        start = m.start()
        if len(left) > 1 and not left[-2].endswith(".") and common(left[-2]):
            start = m.start(1) + len(m.group(1)) - len(left[-1])     # "At Fenwick & Hale": not "At"
        if head and (head in HEADS or head in DIVISIONS or head in _PARTNERS):
            out.append((start, m.end()))
        elif m.group(2) in _PARTNERS or not all(map(common, [*folded[start:m.end(1)].split(" "), m.group(2)])):
            out.append((start, m.end(2)))
    return out


# up to two names before "&" ("Brammer Buck & Hickman"), initials before them ("W. L. Gore")
_AMPERSAND = re.compile(r"(?<![\w&.'-])((?:[A-Z]\. ){0,2}(?:[A-Z][a-z][\w-]* )?[A-Z][a-z][\w-]*) & ([A-Z][a-z][\w-]*)"
                        r"((?: [A-Z][a-z][\w-]*)?)")
_PARTNERS = frozenset("Associates Sons Fils Cie Co Partners".split())


# a trade's word in capitals (folded), as a small company's name opens with it
_TRADE_OPENERS = ("Usinage Decolletage Levage Outillage Tolerie Toleries Chaudronnerie Chaudronneries "
                  "Menuiserie Menuiseries Mecanique Mecaniques Fonderie Fonderies Plasturgie Emballages "
                  "Automatismes Atelier Ateliers Forge Forges Salaisons Metallerie Traitements Thermoformage "
                  "Moulage Moulages Scierie Scieries Papeterie Papeteries Tissage Tissages Filature Filatures "
                  "Acieries Trefilerie Trefileries Verrerie Verreries Imprimerie Cablerie Cableries Laiterie "
                  "Laiteries Conserverie Conserveries Robinetterie Visserie Boulonnerie Estampage Emboutissage "
                  "Decoupage Carrosserie Carrosseries Plastiques Chimie Cartonnerie Cartonneries Transports "
                  "Hydraulique Cablages Constructions Etablissements Fromagerie Fromageries Savonnerie "
                  "Cimenterie Cimenteries Briqueterie Tuilerie Tuileries Distillerie Brasserie Brasseries "
                  "Biscuiterie Confiserie Tournage Fraisage Rectification Soudure Serrurerie Charpentes "
                  "Coutellerie Maroquinerie Corderie Sellerie").split()
_PLACED_WORDS = frozenset(b"tribunal prefecture conseil cour".split())
TRADE_NAME_WORDS = frozenset(w.lower().encode() for w in _TRADE_OPENERS) | _PLACED_WORDS
_CAPITALISED_TRADES = {w.lower().encode(): w for w in _TRADE_OPENERS}
_TOWN_LAST = re.compile(r" de (?P<town>[A-Z][\w'-]+(?: [A-Z][\w'-]+)?)$")


def _without_town(folded: str, span: tuple[int, int]) -> tuple[int, int]:
    """A trade's firm without the town it is in: "les Fonderies Ferrand de Vierzon" is Fonderies
    Ferrand; a firm its trade and its place name keeps it ("Fonderies de Vierzon", "Composites de
    Gascogne", "Mécanique Industrielle du Jura", "Plastiques du Val de Loire")."""
    m = _TOWN_LAST.search(folded, span[0], span[1])
    if m is None or m.group("town").lower() not in places():
        return span
    named = folded[span[0]:m.start()].split(" ")[1:]    # one family name: no trade, link or place
    return (span[0], m.start()) if len(named) == 1 and named[0][:1].isupper() and named[0] not in _TRADE_OPENERS \
        and named[0].lower() not in places() else span


_NAME_WORD = r"[A-Z][\w'-]+"
# a capitalised word before, or one and a link word (not an article, a preposition or an
# acronym: "la PME Plastiques du Val")
_NAME_BEFORE = re.compile(r"(?<![\w'-])(?!(?:Le|La|Les|L|Des|Du|De|Chez|Et|Pour|Par|Avec|Selon|Dans|Reprise|Rachat|"
                          r"Cession|Liquidation|Redressement|Sauvegarde|Fermeture|Faillite)\b)"
                          r"[A-Z][a-z][\w'-]*(?: (?:de|du|des|de la|d'))? $")   # "École Supérieure de Mécanique"
_LINK = r"(?:de[^\S\n]+la|de[^\S\n]+l'|du|des|de|d')"
_TRADE_NAME = re.compile(
    rf"(?<![\w'-])(?:{'|'.join(_TRADE_OPENERS)})"
    rf"(?:[^\S\n]+{_NAME_WORD}|[^\S\n]+{_LINK}[^\S\n]*(?<=[ '])(?={_NAME_WORD}){_NAME_WORD}|[^\S\n]+&[^\S\n]+Fils){{1,5}}"
    r"(?![\w-])")
_PLACED_BODY = re.compile(
    r"(?<![\w-])(?:[Tt]ribunal (?:de commerce|judiciaire|administratif|correctionnel|des activites economiques)"
    r"|[Cc]our d'appel|[Cc]onseil (?:regional|departemental)|[Pp]refecture)"
    rf" {_LINK}[^\S\n]*(?<=[ ']){_NAME_WORD}(?:[ -](?:{_LINK} |sur-|en-)?{_NAME_WORD}){{0,3}}(?![\w-])")


def _model(m: re.Match | None) -> tuple[int, int] | None:
    """The span of the model a match names, unless its code or family says it is none."""
    if m is None:
        return None
    family, code = m.group("family"), m.group("code")
    if family and family.split()[0] in _NOT_A_FAMILY:
        return None
    if family and family.split()[-1] in GENERIC:    # "le robot SCARA GX10B": a type, no family
        return m.start("code"), m.end("code")
    if family and family.split()[-1] in CLASS_WORDS:   # "MRX-G4064 Layer 3": a class, not the model
        first = family.split()[0]
        return (m.start("family"), m.start("family") + len(first)) if " " in family and is_code(first) else None
    if NOT_A_CODE.match(code) or DIMENSION.match(code) or not family and not re.search(r"[A-Za-z]", code):
        return None             # a quarter, a screw size, a quantity, a year: not a model
    return m.start("product"), m.end("product")


def product_after(folded: str, end: int) -> tuple[int, int] | None:
    """The span of a product named right after a maker ending at ``end`` (or after an
    apposition there: "Comau, fabricant italien de robots, lance le cobot Racer-5"), if any."""
    apposition = _APPOSITION_AFTER.match(folded, end)
    return _model(_AFTER_MAKER.match(folded, apposition.end() if apposition else end))


# one or two words written with a capital right after a maker's name ("Zeiss Metrotom")
_WORDS_AFTER_MAKER = re.compile(rf"[^\S\n]+(?P<name>{_CAP}(?:[^\S\n]+{_CAP})?)(?![\w-])")


def named_after(folded: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of a product named in words right after a maker's name at ``start:end``, where
    a product type frames them, before the maker or right after the words: "le scanner Zeiss
    Metrotom", "Keysight Scienlab test benches", "capteurs vibratoires SKF Enlight Collect".
    Its first word is no common word but in camel case ("des robots Fanuc Premium"), and no
    word is a company's head, division or legal form or a generic acronym (a listed maker's
    unlisted division: "Hexagon Manufacturing Intelligence")."""
    m = _WORDS_AFTER_MAKER.match(folded, end)
    if m is None:
        return None
    words = m.group("name").split()
    if common(words[0]) and not camel(words[0]) or any(
            w in HEADS or w in DIVISIONS or w in LEGAL or w in GENERIC or w in OPENERS for w in words):
        return None
    if type_after(folded, m.end()) is None and not typed(folded, start, last_words(folded, start)):
        return None
    return m.span("name")


# a number right after a maker's name, with its variant ("787-9"), not a decimal
_NUMBER_AFTER_MAKER = re.compile(r"[^\S\n]+(?P<number>(?P<base>\d{2,5})(?:-\d{1,4})?)(?![\w-]|[.,]\d)")


def numbered_after(folded: str, end: int, numbers: frozenset[str]) -> tuple[int, int] | None:
    """The span of a model named by a number alone right after its maker's name, when the
    maker makes a model of that number ("Peugeot 3008", "Boeing 787-9"; ``numbers``: the
    maker's, from the data file's ``numbered_models``)."""
    m = _NUMBER_AFTER_MAKER.match(folded, end)
    return m.span("number") if m is not None and m.group("base") in numbers else None


def typed_products(t: Text) -> Iterator[tuple[int, int]]:
    """The spans of models a product type frames: "le cobot Racer-5", "the gripper 2F-85"."""
    if t.plain and t.words.isdisjoint(PRODUCT_TYPE_WORDS):
        return
    types = t.words.intersection(PRODUCT_TYPE_WORDS) if t.plain else ()
    # a match starts at its type word, a whole word of the text (as Text.spaced writes it)
    for m in scan(_TYPED, t, lambda: (i for word in types for i in occurrences(t.spaced, word))):
        span = _model(m)
        if span:
            yield span


def owned_products(folded: str, makers: list[tuple[int, int]], title_end: int) -> Iterator[tuple[int, int]]:
    """The spans of products named in capitalised words a product type frames and a maker
    owns, common words too: "le harnais Newton de Petzl", "les bacs de rétention Retenflex de
    la PME Stocksûr", "Kask's Zenith helmet"; not in a Title Case headline, whose capitals tell
    nothing ("Wins Transformer Order From National Grid")."""
    for start, end in makers:
        # the type's pattern is tried only where the words of ownership end right before the maker
        before = _TYPED_BEFORE_MAKER.search(folded, max(0, start - 90), start) \
            if _OWNED_BY.search(folded, max(0, start - 90), start) else None
        found = [m for m in (before, _MAKERS_TYPED.match(folded, end)) if m and m.start() >= title_end]
        for m in found:
            words = m.group("name").split()
            while words and (words[-1] in GENERIC or words[-1] in PROTOCOLS):
                words.pop()                  # "GX-C SCARA robots": a technique, no part of the name
            if words and not (words[0] in GENERIC or words[0] in PROTOCOLS or words[0] in OPENERS
                              or words[0] in LEGAL or any(w in HEADS or w in DIVISIONS or w.lower() in TYPE_WORDS
                                                          or w[:-1].lower() in TYPE_WORDS for w in words)):
                yield m.start("name"), m.start("name") + len(" ".join(words))


_OWNED_NAME = r"(?P<name>[A-Z][\w'+-]*(?:[^\S\n]+[A-Z0-9][\w'+.-]*){0,2})"
_OWNER_WORDS = (r"(?:de|d'|from|by|du groupe)[^\S\n]*(?:(?:la|le|l'|the)[^\S\n]*"
                r"(?:(?:societe|PME|entreprise|groupe|fabricant|firme|start-up)[^\S\n]+(?:[a-z]+[^\S\n]+)?)?)?$")
_TYPED_BEFORE_MAKER = re.compile(
    rf"(?<![\w-])(?i:{TYPES})(?:[^\S\n]+(?:(?:de|d'|a)[^\S\n]*)?[a-z][\w-]*){{0,2}}[^\S\n]+{_OWNED_NAME}"
    rf"[^\S\n]+{_OWNER_WORDS}")
_OWNED_BY = re.compile(_OWNER_WORDS)        # its end alone: a cheap test before it
_MAKERS_TYPED = re.compile(rf"'s[^\S\n]+(?:new[^\S\n]+)?{_OWNED_NAME}[^\S\n]+(?i:{TYPES})(?![\w-])")


# a name in quotes, as French trade news writes new products ("le cobot « Ondine 7 »",
# "rolls out \"Ferro\" servo motors"): at most four words on one line, no sentence inside
_QUOTED = re.compile(r'(?:«[^\S\n]*|“|")(?P<name>[^\W_][^«»“”"\n.!?;:]{0,38}?)(?:[^\S\n]*»|”|")')
_QUOTES = ("«", "“", '"', " '")
# what a quoted programme's, award's or campaign's name follows
_PROGRAMME_WORDS = frozenset("subvention subventions aide aides programme programmes dispositif label plan campagne "
                             "operation prix trophee trophees concours initiative appel grant grants scheme award "
                             "awards campaign program challenge pepr projet project".split())
_PROPOSE = frozenset("propose proposent proposes proposed proposait".split())
_WORD_AFTER = re.compile(r"[^\S\n]*[»”\"']?,?[^\S\n]+(\w+)")
_NAMING = frozenset("baptise baptisee baptises baptisees nomme nommee appele appelee denomme denommee "
                    "surnomme called named dubbed branded code".split())
_LAUNCH = re.compile(rf"(?:{LAUNCH_VERBS})")
# a company's role after the type it makes: "Lyten, a US battery start-up" is the company
_ROLE_AFTER = re.compile(r"[ -]([a-z][a-z-]*?)s?(?![\w-])")
_ARTICLE_AFTER = re.compile(r",[^\S\n]+(?:un|une|a|an|sa|son|its)[^\S\n]")     # "Prevy, sa GMAO"


def apposed_type(folded: str, end: int) -> bool:
    """Whether ", a <product type>" follows ``end`` ("« Lyra », un système d'inspection",
    "Sentinel, a vision-inspection system"), or its maker's ("Prevy, sa GMAO prédictive")."""
    m = _ARTICLE_AFTER.match(folded, end)
    return m is not None and (kind := type_after(folded, m.end() - 1)) is not None \
        and not ((role := _ROLE_AFTER.match(folded, kind.end())) and role.group(1) in ROLE_LAST)


def quoted_products(t: Text) -> Iterator[tuple[int, int]]:
    """The spans of products named in quotes where a product type, a launch or a naming word
    frames them: "le cobot « Ondine 7 »", "lance « Lyra », un système d'inspection",
    "its \"Osprey\" AMR fleet", "launches 'pulsecheck' handheld leak detector", "« ecoflux » : le
    chargeur"; "sold under the PV-220 code" is not quoted and not read here. A quoted phrase
    (« zéro défaut »), a quotation or a programme's name is none: the name must be capitalised,
    a code or camel case, and framed; a name in small letters, framed right before it (a type,
    a launch) or right after it (an apposed type, a type after a colon), and a common word in
    small letters framed on both sides (lance « vigie », un boîtier)."""
    original, folded = t.original, t.folded
    if not any(q in original for q in _QUOTES):
        return
    for m in chain(_QUOTED.finditer(original), _SINGLE_QUOTED.finditer(original) if "'" in original else ()):
        words = m.group("name").split()
        if not 1 <= len(words) <= 4:
            continue
        capitalised = words[0][:1].isupper() or any(is_code(w) and not w.isdigit() for w in words) or camel(words[0])
        if all(common(w) for w in words) and not any(map(is_code, words)) and len(words) > 2:
            continue                         # « Usine du futur »: a phrase
        start, end = m.start(), m.end()
        last = last_words(folded, start)
        if _PROGRAMME_WORDS.intersection(last[-2:]) or (after_word := _WORD_AFTER.match(folded, end)) \
                and after_word.group(1).lower() in _PROGRAMME_WORDS:
            continue                         # une subvention « Prévention TPE », « Robotique organique », programme
        # framed right before it: a type, or a launch's or naming word among its last two words
        close = typed(folded, start, last) or any(_LAUNCH.fullmatch(w) or w in _NAMING for w in last[-2:])
        before = close or any(_LAUNCH.fullmatch(w) for w in last[-4:])
        after = type_after(folded, end) or apposed_type(folded, end) or _type_after_colon(folded, end)
        if capitalised:     # a common word's frame right before it: "was newly added and is \"Supported\""
            framed = (close if all(map(common, words)) else before) or after
        elif len(words) > 2:
            framed = False
        elif any(map(is_code, words)):
            framed = before or after                      # « micra 25 »
        else:     # a common word framed on both sides; not a proposal's name (« omnibus »)
            close = close and _PROPOSE.isdisjoint(last[-2:])
            framed = (close or after) and (before and after or not all(map(common, words)))
        if framed:
            yield m.span("name")


# a name in single quotes, not an apostrophe: "launches 'pulsecheck' handheld"
_SINGLE_QUOTED = re.compile(r"(?<![\w'])'(?P<name>[^\W_][^'\n.!?;:]{0,38}?)'(?![\w'])")
_COLON_TYPE = re.compile(r"[^\S\n]*:[^\S\n]+(?:(?:le|la|les|un|une|the|a|an)[^\S\n]+|l')?(?=\S)")


def _type_after_colon(folded: str, end: int) -> bool:
    """Whether a product type follows a name after a colon ("« ecoflux » : le chargeur")."""
    m = _COLON_TYPE.match(folded, end)
    return m is not None and type_after(folded, m.end() - 1) is not None


# software and platforms named by plain capitalised words, which only their kind frames: "le
# logiciel Safety Designer", "la plateforme de maintenance prédictive Orbis", "le MES Leanware",
# "the Research Studio software", "the TEMI+ MES"
_SOFTWARE_KINDS_FR = r"logiciel|progiciel|plateforme|outil|suite|application|appli"   # one: "des applications Linux" is a kind
_SOFTWARE_KINDS = r"MES|ERP|WMS|SCADA|GMAO|CMMS|GTB|GTC|PLM|CAO|CAD|CAM|IHM|HMI|APS|MOM|QMS|LIMS|EAM"
_SOFTWARE_KINDS_EN = r"software|platform|suite|app|application|tool|historian|slicer"
_NAME_WORD = r"(?:[A-Z](?:[\w&+]|\.(?=\w))*|(?=[\w/-]*\d)[A-Za-z0-9]+(?:\.(?=\d)\d+)*)(?:-[\w&+]+)*\+?"
_PLAIN_NAME = rf"(?P<name>{_NAME_WORD}(?:[^\S\n]+{_NAME_WORD}){{0,3}})"
# the words between a kind and its name: its complement and adjectives ("de maintenance
# prédictive"), never a place's or an owner's preposition last ("la plateforme logistique de Réau")
_BETWEEN = r"(?:[^\S\n]+(?:de|d'|des|du)?[^\S\n]*(?!(?:a|au|aux|de|du|des|en|pour|sur|chez|par|dans|le|la|les)(?![\w']))[a-z][a-z-]*){0,3}?"
_SOFTWARE_BEFORE = re.compile(
    rf"(?<![\w-])(?:(?:l'|(?:le|la|les|du|au|aux|son|sa|ses|un|une|des|notre|nos|votre|vos|leur|leurs)[^\S\n]+)"
    rf"(?:{_SOFTWARE_KINDS_FR})(?:[^\S\n]+en[^\S\n]+ligne)?{_BETWEEN}"
    rf"|(?:l'|(?:le|la|les|du|au|aux|son|sa|ses|un|une|des|the|its|their)[^\S\n]+)(?:{_SOFTWARE_KINDS}))"
    rf"[^\S\n]+{_PLAIN_NAME}(?![\w-])")
# (not an organisation's description: "the Alphabet robotics software company")
_SOFTWARE_AFTER = re.compile(
    rf"(?<![\w-])(?:the|its|their|our|new)(?:[^\S\n]+[a-z][a-z-]*){{0,2}}[^\S\n]+{_PLAIN_NAME}(?:[^\S\n]+[a-z][a-z-]*){{0,2}}[^\S\n]+"
    rf"(?:{_SOFTWARE_KINDS_EN}|{_SOFTWARE_KINDS})(?![\w-])(?![^\S\n]+(?:company|companies|maker|makers|vendor|vendors|firm|"
    rf"group|specialist|provider|developer|business|house|start-up|startup|publisher|supplier)(?![\w-]))")
_SOFTWARE_WORDS = frozenset(w.encode() for w in "|".join(
    (_SOFTWARE_KINDS_FR, _SOFTWARE_KINDS_EN, _SOFTWARE_KINDS)).lower().split("|"))


def software_products(t: Text) -> Iterator[tuple[int, int]]:
    """The spans of software and platforms their kind frames, written in capitalised words
    that are common ones as often ("Safety Designer", "Quick Nest", "Research Studio"): a
    kind right before the name (with the article before the kind), or after it in English
    (with the article before the name). Names of the kind itself (acronyms of system kinds,
    protocols) are none."""
    if t.plain and t.words.isdisjoint(_SOFTWARE_WORDS):
        return
    for m in chain(scan(_SOFTWARE_BEFORE, t, lambda: _runs_before(t, _SOFTWARE_WORDS, 2, True)),
                   scan(_SOFTWARE_AFTER, t, lambda: _runs_before(t, _SOFTWARE_WORDS, 9))):
        words = m.group("name").split()
        if words[-1].endswith(("-based", "-compatible", "-ready")):
            continue                         # "Linux-based apps": what it runs on
        while words and (words[-1] in GENERIC or words[-1] in PROTOCOLS):
            words.pop()
        if not words or words[0] in GENERIC or words[0] in PROTOCOLS or words[0] in OPENERS \
                or words[0] in LEGAL or words[0].split("-")[0] in _NOT_A_FAMILY:
            continue
        start = m.start("name")
        yield start, start + len(" ".join(words))


_WORD_START = re.compile(r"(?<![\w-])\w")    # where the patterns tried by _runs_before begin


def _runs_before(t: Text, kinds: frozenset[bytes], runs: int, through: bool = False,
                 gated: bool = True) -> Iterator[int]:
    """The words' beginnings in the ``runs`` runs without spaces before each word of ``kinds``
    the text holds (lowered; ``through``: the word's own too; not ``gated``: any word beginning
    so, a plural too, whether the text's vocabulary holds it or not): where a pattern ending with such
    a word (or beginning just before it) can begin, if it begins with a word after no word or
    hyphen. Tried at every place of a long text, such a pattern costs tens of µs per real item."""
    folded, spaced = t.folded, t.spaced
    for word in t.words & kinds if gated else kinds:
        for end in occurrences(spaced, b" " + word):
            end += 1
            start = end
            for _ in range(runs):
                while start > 0 and folded[start - 1] != "\n" and folded[start - 1].isspace():
                    start -= 1
                while start > 0 and not folded[start - 1].isspace():
                    start -= 1
            yield from (m.start() for m in _WORD_START.finditer(folded, start, end + through))


# a model range named by its code or its capitals ("sa série GX", "la gamme iC7", "la famille de
# servovariateurs i950", "the cMT X series"), and models coordinated by their codes ("Les GX10C
# et GX20C", "the cMT3162X and cMT2108X panels")
_RANGE_TOKEN = r"[A-Za-z0-9][\w+]*(?:-[\w+]+)*"
_RANGE_BEFORE = re.compile(
    rf"(?<![\w-])(?:sa|son|ses|la|les|une|des|its|their|the|our)[^\S\n]+(?:serie|gamme|famille)s?"
    rf"(?:[^\S\n]+(?:de|d')[^\S\n]*[a-z][a-z-]*(?:[^\S\n]+[a-z][a-z-]*)?)?[^\S\n]+(?P<name>{_RANGE_TOKEN})(?![\w-])")
_RANGE_AFTER = re.compile(
    rf"(?<![\w-])(?P<name>{_RANGE_TOKEN}(?:[^\S\n]+[A-Z0-9])?)(?:[^\S\n]+[a-z][a-z-]*){{0,2}}[^\S\n]+"
    rf"(?:series|range|family|line-up|lineup)(?![\w-])")
_CODE_BEFORE = re.compile(rf"(?:^|(?<=[^\w-]))(?P<a>{_RANGE_TOKEN})$")
_CODE_AFTER = re.compile(rf"(?:(?:le|la|les|the)[^\S\n]+|l')?(?P<b>{_RANGE_TOKEN})(?![\w-])")
_PAIR_LINKS = (" et ", " and ", " & ", ", ")
_RANGE_WORDS = frozenset(b"serie series gamme range famille family lineup".split())
_RANGE_BEFORE_WORDS = frozenset(b"serie gamme famille".split())    # "series", "gammes", "familles" too
_RANGE_AFTER_WORDS, _LINE = frozenset(b"series range family lineup".split()), frozenset([b"line"])


def _range_name(word: str) -> bool:
    """A word that names a range or a model by itself: a model code, camel case, or capitals
    (not a system's kind, a protocol or a standards body)."""
    if word in GENERIC or word in PROTOCOLS or word.split("-")[0] in _NOT_A_FAMILY:
        return False
    if is_code(word):
        return not NOT_A_CODE.match(word) and not DIMENSION.match(word) and any(c.isalpha() for c in word)
    return camel(word) or word.isupper() and 2 <= len(word) <= 6


def range_products(t: Text) -> Iterator[tuple[int, int]]:
    """The spans of model ranges their range word frames and of models coordinated by code."""
    folded = t.folded
    if not t.plain or not t.words.isdisjoint(_RANGE_WORDS):
        after = _RANGE_AFTER_WORDS | _LINE if "line-up" in folded else _RANGE_AFTER_WORDS
        for m in chain(scan(_RANGE_BEFORE, t, lambda: _runs_before(t, _RANGE_BEFORE_WORDS, 1, gated=False)),
                       scan(_RANGE_AFTER, t, lambda: _runs_before(t, after, 4))):
            words = m.group("name").split()
            if _range_name(words[0]) and (len(words) == 1 or len(words[1]) == 1 or is_code(words[1])):
                yield m.span("name")
    for link in _PAIR_LINKS:           # a few places in a text: cheaper than a pattern over all of it
        for i in occurrences(folded, link, 0, OPENING):
            a = _CODE_BEFORE.search(folded, max(0, i - 24), i)
            b = _CODE_AFTER.match(folded, i + len(link))
            if a and b and is_code(a["a"]) and is_code(b["b"]) and _range_name(a["a"]) and _range_name(b["b"]) and (
                    type_after(folded, b.end()) or last_words(folded, a.start())[-1:] in (["les"], ["the"])):
                yield a.span("a")
                yield b.span("b")


# models listed by their codes, which share their letters ("TX-10, TX-40 et TX-90", "PX-200 and
# PX-500", "CP 200 et CP 400", "GA 90+ and GA 37VSD+"): not ratings, grades, levels or standards
_LISTED_CODE = r"[A-Z][A-Za-z]{0,4}(?:-?\d[\w+]*(?:-[\w+]+)*|[^\S\n]\d[\w.+]*(?<![.]))"
_LISTED_BEFORE = re.compile(rf"(?:^|(?<=[^\w-]))(?P<a>{_LISTED_CODE})$")
_LISTED_AFTER = re.compile(rf"(?:(?:le|la|les|des|the)[^\S\n]+|l')?(?P<b>{_LISTED_CODE})(?![\w-])")
_LETTERS = re.compile(r"[A-Za-z]*")
_NOT_LISTED_MODELS = frozenset("IP IK SIL PL Cat Class Classe Zone Euro Level Niveau Gen Phase Type Tier Rev "
                               "Version Mk Ti PA PP PE PET PVC S R H CS FP Q".split()) | _NOT_A_FAMILY


def listed_codes(t: Text) -> Iterator[tuple[int, int]]:
    """The spans of models listed together by codes that share their letters."""
    folded = t.folded
    for link in _PAIR_LINKS:
        for i in occurrences(folded, link, 0, OPENING):
            a = _LISTED_BEFORE.search(folded, max(0, i - 16), i)
            b = a and _LISTED_AFTER.match(folded, i + len(link))
            if b and _code_letters(a["a"]) == _code_letters(b["b"]) and _listed_model(a["a"]) and _listed_model(b["b"]):
                yield a.span("a")
                yield b.span("b")


def _code_letters(code: str) -> str:
    return _LETTERS.match(code).group().upper()


def _listed_model(code: str) -> bool:
    letters = _LETTERS.match(code).group()
    rest = code[len(letters):].lstrip(" -")
    if len(letters) == 1 and len(rest) < 3:
        return False                    # "les lignes T7 et T13", "A3 and A4": lines, formats
    return letters not in _NOT_LISTED_MODELS and letters not in GENERIC and letters not in PROTOCOLS \
        and not NOT_A_CODE.match(code) and not NOT_A_CODE.match(rest) and not DIMENSION.match(code)


# the words the tests above look for first (Text.words holds only the vocabulary's words)
VOCABULARY = _SOFTWARE_WORDS | _RANGE_WORDS | TRADE_NAME_WORDS | _EQUIPMENT_WORDS
