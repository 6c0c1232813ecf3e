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
Precision first: a run none of these frames holds is not a name.
"""
from __future__ import annotations

import re
from functools import lru_cache
from veille.common_words import common_sets
from veille.reference_text import Text

# Names beyond the list are read in an item's opening (its title and summary, where news says
# who launches what): the cost of reading them stays bounded on long items.
OPENING = 400
_frequencies = common_sets   # (common, very common) French and English words, folded


# Acronyms of things, not of organisations; product types written in capitals
GENERIC = frozenset(
    "PLC CNC AGV AGVs AMR AMRs MES ERP PLM CAD CAO CFAO FAO HMI IHM IoT IIoT AI IA ML LLM API SaaS "
    "PME PMI ETI TPE CEO CTO COO CFO DG PDG RH HR R&D QSE HSE EHS OEM OEMs B2B PDF EPI PPE ATEX CE UE EU "
    "US USA UK SCARA CMM MMT IT OT TSN OPC UA MQTT RFID GPS LIDAR LiDAR 3D 2D 5G 4G VR AR XR IRL SLA SLS "
    "SLM DED FDM FFF MJF EBM DMLS LPBF CO2 GES PFAS REACH RoHS KPI OEE TRS TPM SMED VSM ROI GMAO CMMS "
    "FAQ PoC POC NC DIY HD CVE CVSS MEMS ASIC FPGA GPU CPU SoC kHz MHz GHz Hz kW MW GW kWh MWh GWh Wh kVA Nm kN MPa GPa dB".split())
# Words a run of capitals opens with that are no part of the name after them
_OPENERS = frozenset(
    "Le La Les L Un Une De Des Du D Et En Au Aux A Chez Selon Pour Par Sur Dans Avec Son Sa Ses Leur "
    "Ce Cette Ces Hier Aujourd Demain Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Depuis Apres "
    "Avant Mais Ou Donc Ainsi Enfin Puis The An And Of In On At By For With Its Their This That These "
    "Today Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday Also But So Then After "
    "Before Following According Meanwhile Earlier Later New Nouveau Nouvelle Nouveaux Start-up Startup "
    "Start-Up Class Classe Type Category Categorie Level Niveau Gen Generation Phase Stage Annex Annexe "
    "Article Part Partie Section Chapter Chapitre".split())
# what a name's first word cannot be when its last is a head word: "Smart Manufacturing"
_FIELD_WORDS = frozenset(
    "industrial collaborative advanced digital smart additive intelligent autonomous mobile global "
    "connected modern future european french german american international national applied "
    "integrated flexible humanoid service medical automotive aerospace cognitive generative physical "
    "soft cloud edge quantum precision robotic robotique industrielle numerique intelligente autonome "
    "avancee francaise europeenne lean green clean sustainable next machine computer global world "
    "reglement regulation directive norme standard loi decret arrete programme program plan".split())
# a company's head word ends its name: "Fetch Robotics", "Prusa Research", "Kerlann Automation"
_HEADS = frozenset(
    "Robotics Robotique Robots Automation Automatisation Technologies Technology Systems Systemes "
    "Industries Group Groupe Electric Electronics Engineering Ingenierie Solutions Instruments Dynamics "
    "Machines Machinery Aerospace Labs Software Research Manufacturing Controls Metrology Motion "
    "Medical Materials Composites Plastics Motors Mobility Logistics Semiconductors Analytics Networks "
    "Holding Holdings Corporation Company Photonics Vision Sensors Tools Tooling Additive Consulting Partners "
    "Capital Ventures Bionics Drives Pharma Chemicals Networks Microsystems Laboratories Institute Centre "
    "Center Agency Authority Executive Federation Association Council Foundation Laboratory Energies".split())
# what ends an event's or a prize's name, never a product's: "Hannover Messe", "Hermes Award"
_EVENT_WORDS = frozenset("Messe Show Expo Award Awards Week Summit Forum Conference Congress Days Salon Fair "
                         "Prize Trophy Trophees Cup Championship Festival Hackathon".split())
# what follows or precedes a head-word name that is an event, not an organisation
_EVENT_AFTER = re.compile(r" (?:Week|Show|Summit|Expo|Forum|Conference|Congress|Days?|Awards?|Challenge|Fair|"
                          r"Symposium|Meeting|Salon|Prize|Hackathon|Report|Index|Survey|Europe|World|Tour)\b")
_EVENT_BEFORE = re.compile(r"(?i:salon|show|fair|congres|conference|edition|trophees|journees|exhibition|expo)"
                           r"(?: (?:de|du|des|of|the))? $")
_TITLE_BEFORE = re.compile(r"(?:\bM\.|\bMme|\bMlle|\bMr\.?|\bMrs\.?|\bMs\.?|\bDr\.?|\bPr\.?|\bSir|\bDame) $")

# a run of words written with capitals (or camel case: "ctrlX", "eMotion") and model codes
_TOKEN = r"(?:[A-Z][\w&+]*(?:[-/][\w&+]+)*|[a-z]{1,5}[A-Z]\w*(?:-\w+)*|\d\w*(?:[-/]\w+|\.\d+)*)"   # "2025.1"
_RUN = re.compile(rf"(?<![\w&+/.,-]){_TOKEN}(?: {_TOKEN}){{0,4}}(?![\w&+-]|[.,]\d)")   # not "Industrie 4.0"
_CODE_TOKEN = re.compile(r"(?=[A-Za-z0-9/.-]*\d)[A-Za-z0-9]+(?:[-/.][A-Za-z0-9]+)*$")

_VERBS = (
    # French, present and past
    r"lance(?:nt)?|presente(?:nt)?|devoile(?:nt)?|annonce(?:nt)?|rachete|acquiert|investit|inaugure|"
    r"ouvre|livre|equipe|installe|deploie|commercialise|propose|signe|s'associe|s'allie|recrute|leve|"
    r"cede|fournit|integre|developpe|renforce|etend|choisit|selectionne|remporte|publie|certifie|"
    r"industrialise|s'implante|agrandit|finalise|acheve|met en service|met en place|automatise(?:nt)?|"
    r"robotise(?:nt)?|modernise(?:nt)?|teste(?:nt)?|rejoint|reprend|cree|ferme|construit|relocalise|embauche|"
    r"recoit|mise sur|"
    r"a (?:lance|presente|devoile|annonce|rachete|acquis|investi|inaugure|ouvert|livre|installe|"
    r"deploye|signe|leve|cede|fourni|choisi|selectionne|remporte|publie|finalise|developpe|equipe)|"
    r"vient de (?:lancer|presenter|devoiler|racheter|lever|signer|publier)|"
    # English
    r"(?:has |have |will |is set to |plans to )?(?:launch(?:es|ed)?|unveil(?:s|ed)?|introduc(?:es|ed|e)|"
    r"announc(?:es|ed|e)|acquir(?:es|ed|e)|open(?:s|ed)?|present(?:s|ed)?|releas(?:es|ed)|ship(?:s|ped)?|"
    r"invest(?:s|ed)?|partner(?:s|ed)?|sign(?:s|ed)?|deploy(?:s|ed)?|expand(?:s|ed)?|rais(?:es|ed|e)|"
    r"suppl(?:ies|ied|y)|deliver(?:s|ed)?|install(?:s|ed)?|showcas(?:es|ed|e)|debut(?:s|ed)?|"
    r"roll(?:s|ed)? out|buil(?:ds|t|d)|develop(?:s|ed)?|select(?:s|ed)?|cho(?:se|oses)|"
    r"publish(?:es|ed)?|issu(?:es|ed)|certifi(?:es|ed)|add(?:s|ed)|extend(?:s|ed)|integrat(?:es|ed)|"
    r"offer(?:s|ed)?|provid(?:es|ed)|complet(?:es|ed)|agreed to|teams up|teamed up|bought|buys|"
    r"automat(?:es|ed)|test(?:s|ed)|secur(?:es|ed)|receiv(?:es|ed)|clos(?:es|ed)|pick(?:s|ed)|"
    r"expects|forecasts|warns|says|reports|moves|lifts|orders|ordered|standardi[sz]es|passes|brings|"
    r"files|takes|sells|sold|merges|targets|boosts|enters|appoints|names|taps|adopts|cho(?:oses)|"
    r"finali[sz]es|lands|unveils|opens)")
_ACTS_AFTER = re.compile(rf" (?:{_VERBS})(?![\w'-])")
# what precedes an organisation bought, joined, supplied or worked at
# a list goes on after an organisation: "avec Sentrix, Codasoft et Quantix"
_LIST_BETWEEN = re.compile(r"(?:, | et | and | & |, et |, and )(?:l'|le |la |les |the )?$")
# a product type: "le logiciel SolidWorks", "la presse à injection Netstal…", "the O3R platform"
_TYPES = (r"cobots?|robots?|machines?|presses?|imprimantes?|capteurs?|automates?|scanners?|variateurs?|"
          r"prehenseurs?|pinces?|cameras?|printers?|sensors?|controllers?|grippers?|logiciels?|software|"
          r"plateformes?|platforms?|bras|arms?|microscopes?|drones?|exosquelettes?|exoskeletons?|"
          r"humanoides?|humanoids?|tours?|fraiseuses?|centres?|centers?|modules?|controleurs?|systemes?|"
          r"systems?|solutions?|modeles?|models?|lasers?|casques?|"
          r"headsets?|lunettes|glasses|lecteurs?|readers?|terminals?|terminaux|tablettes?|applications?|"
          r"apps?|outils?|tools?|mills?|lathes?|perceuses?|AMR|AGV|CMM|PLC|HMI|MES|ERP|cobot|"
          r"convoyeurs?|conveyors?|chariots?|trucks?|vehicules?|vehicles?|sondes?|probes?|palpeurs?|"
          r"actionneurs?|actuators?|moteurs?|motors?|servomoteurs?|servos?|drives?|passerelles?|gateways?|"
          r"cellules?|cells?|stations?|melters?|curtains?|barrieres?|scanners?|microscopes?|routers?|routeurs?|"
          r"modems?|cameras?|exosquelettes?|grippers?|effectors?|welders?|torches?|spindles?|broches?|"
          r"units?|unites?|bancs?|benches?|fours?|furnaces?|monitors?|moniteurs?|heads?|tetes?|"
          r"navettes?|shuttles?|suites?|versions?")
# between a type and its model: adjectives and complements ("presse plieuse", "bras de mesure",
# "presse à injection"), not a preposition before a place ("usine d'automates à Himeji")
_LINKS = (r"(?:a|au|aux|en|in|at|on|de|du|des|of|for|pour|sur|dans|with|avec|chez|par|by|from|to|the|le|la|les|"
          r"un|une|et|and|ou|or|near|pres|as|comme|than|que|qui|that|which|is|are|was|est|sont|like|such)")
# a maker's role before its name: "special-machine builder Endutec", "robot maker Nordson"
# (French roles take adjectives after them, "l'intégrateur nantais X"; English ones before)
_ROLES_FR = ("integrateur fabricant constructeur fournisseur editeur distributeur specialiste start-up startup "
             "equipementier sous-traitant pme eti groupe societe entreprise pousse chaudronnerie").split()
_ROLES_EN = ("builder maker manufacturer supplier vendor integrator distributor specialist subcontractor group "
             "company firm provider developer publisher operator carmaker automaker start-up startup").split()
_ROLES = _ROLES_FR + _ROLES_EN
_NATIONS = ("allemand japonais italien americain chinois coreen suedois suisse danois francais britannique "
            "neerlandais autrichien espagnol finlandais norvegien belge canadien israelien taiwanais").split()
# a maker's role (and up to two adjectives) or its nationality before its name: "special-machine
# builder Endutec", "l'intégrateur nantais Robotika Ouest", "la jeune pousse bordelaise
# Predictia", "l'allemand Wandelbots"
# a product type after the product: "the NexaLink edge gateway", "ActiveGuard light curtains"
_TYPE_AFTER = re.compile(rf" (?:(?!{_LINKS}\b)[a-z-]+ )?(?i:{_TYPES})(?![\w-])")
_SOFTWARE = re.compile(r"(?i:software|logiciel|platform|plateforme|suite|app)s?$")
# a product's maker after it: "SolidWorks de Dassault Systèmes", "the DX5 from Sentrix",
# "l'exosquelette PX-Lumbar (Ergovia)"
_MAKER_AFTER = re.compile(r" (?:de la societe |du groupe |de |d'|du |by |from |made by |\()(?=[A-Za-z0-9])")
# after a maker: a verb and the product it launches: "Nordson launched the ProBlue Flex"
_LAUNCH_VERBS = (
    r"lance(?:nt)?|presente(?:nt)?|devoile(?:nt)?|annonce(?:nt)?|commercialise|propose|livre|installe|deploie|"
    r"a (?:lance|presente|devoile|annonce|livre|installe|deploye)|vient de (?:lancer|presenter|devoiler)|"
    r"(?:has |have |will |is set to |plans to )?(?:launch(?:es|ed)?|unveil(?:s|ed)?|introduc(?:es|ed|e)|"
    r"announc(?:es|ed|e)|present(?:s|ed)?|releas(?:es|ed|e)|ship(?:s|ped)?|showcas(?:es|ed|e)|debut(?:s|ed)?|"
    r"roll(?:s|ed)? out|offer(?:s|ed)?|deliver(?:s|ed)?|install(?:s|ed)?|deploy(?:s|ed)?|add(?:s|ed)|"
    r"updat(?:es|ed)|upgrad(?:es|ed)|expand(?:s|ed)|extend(?:s|ed)|publish(?:es|ed))|"
    r"met a jour|renforce|etoffe|enrichit|publie|a publie|a mis a jour")
_LAUNCH_AFTER = re.compile(
    rf"(?: (?:GmbH|AG|SAS|SA|Inc|Ltd|LLC|Corp|plc|NV|AB|SE|SpA)\.?)?"
    rf"(?:'s? (?:(?:new|latest|updated|flagship|next-generation|nouveau|nouvelle) )?|,? (?:{_LAUNCH_VERBS}) (?:(?:le|la|les|l'|une?|des|sa|son|ses|the|a|an|its|their|new|first|latest)"
    rf"(?: |(?<=') ?))?(?:(?!{_LINKS}\b)[a-z]+ ){{0,2}})")


_ARTICLES = frozenset("l' le la les the".split())
# the last word of each frame before a name, for a set test before any pattern runs
_OBJECT_LAST = frozenset(
    "rachete racheter de du d' acquiert acquerir acquis acquired acquires acquire of buys bought avec a with "
    "chez comme as to par by owned detenu mere company including dont alongside cotes aupres".split())
_ROLE_LAST = frozenset(_ROLES)
_ROLE_FR_SET = frozenset(_ROLES_FR)
# job titles: a person's, not an organisation's, name follows ("le directeur industriel Marc Lefort")
_SITES = frozenset("usine usines site sites plant plants factory factories ville city region entrepot "
                   "warehouse campus agglomeration commune".split())
_JOBS = frozenset("directeur directrice director ceo pdg president presidente manager responsable ingenieur "
                  "engineer fondateur founder cofondateur chairman chairwoman head chef vp analyst analyste "
                  "professeur professor chercheur researcher minister ministre depute senator".split())
_LINK_WORDS = frozenset(_LINKS[3:-1].replace("r\"", "").split("|"))


def _phrases(spec: str) -> frozenset[tuple[str, ...]]:
    """Word tuples from lines of positions, each position's alternatives split by "|"."""
    out: set[tuple[str, ...]] = set()
    for line in spec.strip().splitlines():
        tuples = [()]
        for position in line.split():
            tuples = [t + (alt,) for t in tuples for alt in position.split("|")]
        out.update(tuples)
    return frozenset(out)


# what precedes an organisation bought, joined, supplied, chosen or worked at
_OBJECT_FRAMES = _phrases("""
rachete|racheter|acquiert|acquerir|acquired|acquires|acquire|buys|bought|chez|alongside|confie
a rachete|acquis
rachat|acquisition|filiale|spin-off|fournisseur|distributeur|commande|aupres|compte de|du|d'
acquisition|subsidiary|distributor|spin-off of
partenariat|collaboration|contrat|fusion|associe|allie|associent|allient avec
s'associe|s'allie|s'associent|s'allient a
partners|partner|partnered|partnership|merger|contract|collaborates|collaborated|collaborating with
teams|team|teamed up with
clients|client comme|dont
customers|customer including
customers|customer such as
sold to
vendu a
order from
aux cotes de|du|d'
maison mere
parent company
retenu|retenue|retenus|retenues|choisi|choisie|choisis|choisies|selectionne|selectionnee|selectionnes|adopte|adoptee|adoptes|fourni|fournie|fournis|fournies|developpe|developpee|developpes|rachete|rachetee|equipe|equipee|equipes|commande|commandee|detenu|detenue par
acquired|backed|used|chosen|selected|adopted|developed|built|made|owned by
control|stake|shares|controle|participation of|in|de|d'|dans
capital de|du|d'
""")
_NATION_SET = frozenset(_NATIONS) | frozenset(n + "e" for n in _NATIONS) | frozenset(n + "ne" for n in _NATIONS)
# the words of the frames above, added to the words a text is seen through (``Text.words``): a
# text with none of them has no organisation a frame names with a common word ("le fabricant Rational")
FRAME_VOCABULARY = frozenset(w.encode() for w in (_OBJECT_LAST | _ROLE_LAST | _NATION_SET)
                             if w.isalpha() and len(w) > 3)
_TYPE_WORDS = frozenset(w.lower() for w in re.findall(r"[A-Za-z]+", _TYPES.replace("s?", "")))
TYPE_VOCABULARY = frozenset(w.encode() for w in _TYPE_WORDS) | frozenset(w.encode() + b"s" for w in _TYPE_WORDS)
# participles of passive frames ("retenus par", "selected by"): their words, as a text is seen
_PASSIVES = frozenset(f"{stem}{end}".encode() for stem in
                      "retenu choisi selectionne adopte fourni developpe rachete equipe commande".split()
                      for end in ("", "e", "s", "es")) | frozenset(
    b"acquired backed used chosen selected adopted developed built made".split())
TRIGGERS = FRAME_VOCABULARY | TYPE_VOCABULARY | _PASSIVES


# every verb form opens with one of the pattern's words: a set test on the next word's first
# three letters rules most places out before the long alternation is tried
_VERB_PREFIXES = frozenset(w[:3] for w in re.findall(r"[a-z']+", _VERBS))


def _acts_after(folded: str, end: int) -> bool:
    """Whether a verb of what organisations do follows ``end``: "Nordson lance", "has acquired"."""
    if not folded.startswith(" ", end):
        return False
    word = folded[end + 1:end + 4]
    return (word in _VERB_PREFIXES or word.split(" ")[0] in _VERB_PREFIXES) and bool(_ACTS_AFTER.match(folded, end))


@lru_cache(maxsize=256)
def _last_words(folded: str, start: int) -> list[str]:
    """The few words before ``start`` in its sentence, lowercased: what the frames before a
    name end with."""
    window = folded[max(0, start - 40):start]
    cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind(": "))
    return window[cut + 1:].lower().split()[-4:]


def _frame_word(word: str) -> bool:
    if word.startswith(("l'", "d'")):
        word = word[2:]
    return word in _OBJECT_LAST or word in _ROLE_LAST or word in _NATION_SET


def _object_or_role(folded: str, start: int, last: list[str]) -> bool:
    """Whether the words before ``start`` buy, join, supply or employ ("rachète", "partners
    with", "retenus par", "chez"), or give a maker's role or nationality, with up to two
    adjectives or a complement between ("l'intégrateur nantais", "the sensor maker", "la
    jeune pousse bordelaise", "l'allemand"): word tests, no pattern."""
    words = last[:-1] if last and last[-1] in _ARTICLES else last
    if not words:
        return False
    if words[-1].startswith("l'") and words[-1][2:] in _NATION_SET:
        return True
    if any(tuple(words[-k:]) in _OBJECT_FRAMES for k in (1, 2, 3) if len(words) >= k):
        return True
    if _role_word(words[-1]):                # "the sensor maker Nordson", "l'intégrateur Alsarob"
        return True
    for k in (2, 3):                         # a French role, then an adjective or "de <noun>"
        role = words[-k] if len(words) >= k else ""
        between = words[len(words) - k + 1:]
        if (role[2:] if role.startswith(("l'", "d'")) else role) in _ROLE_FR_SET and _adjectives(between) \
                and (k == 2 or between[0] in ("de", "a")):
            return True
    return False


def _role_word(word: str) -> bool:
    return (word[2:] if word.startswith(("l'", "d'")) else word) in _ROLE_LAST


def _adjectives(words: list[str]) -> bool:
    """Words that can stand between a role or a type and the name: adjectives, a dimension
    ("3d"), a complement ("de mesure", "à injection", "d'usinage"); no link word alone."""
    i = 0
    while i < len(words):
        word = words[i]
        if word in ("de", "a") and i + 1 < len(words) and words[i + 1] not in _LINK_WORDS:
            i += 2
            continue
        if word in _LINK_WORDS or not (word.replace("-", "").isalpha() or _DIMENSION.match(word)) \
                and not word.startswith("d'"):
            return False
        i += 1
    return len(words) <= 3


def _typed(folded: str, start: int, last: list[str]) -> bool:
    """Whether a product type (with adjectives or a complement) comes right before ``start``:
    "le cobot", "la presse plieuse", "le bras de mesure", "le scanner 3D portable"."""
    for k in (1, 2, 3, 4):
        if len(last) >= k and (last[-k] in _TYPE_WORDS or last[-k][:-1] in _TYPE_WORDS
                               and last[-k].endswith("s")):
            between = folded[max(0, start - 40):start].split()[len(last) - k + 1:] if k > 1 else []
            return _adjectives(last[len(last) - k + 1:]) and not any(w[:1].isupper() for w in between)
    return False


@lru_cache(maxsize=65536)
def common(word: str) -> bool:
    """A common word of French or English (accents and case aside)."""
    return word.lower() in _frequencies()[0]


@lru_cache(maxsize=65536)
def _camel(token: str) -> bool:
    """Written with a capital inside a word: "AddUp", "HandySCAN", "ctrlX", "Raise3D"."""
    return any(a.islower() and (b.isupper() or b.isdigit()) for a, b in zip(token, token[1:]))


@lru_cache(maxsize=65536)
def namey(token: str) -> bool:
    """Whether a capitalised word can open a maker's name: no generic acronym, and written in
    camel case or not a common word ("Nordson", "GXO", "Raise3D"; not "Mardi", "Robot")."""
    if len(token) < 2 or token in GENERIC or token in _OPENERS:
        return False
    if _camel(token) or any(c.isdigit() for c in token) and not token.isdigit():
        return True
    return not common(token.split("-")[0]) and not common(token)


@lru_cache(maxsize=65536)
def _is_code(token: str) -> bool:
    """A model code ("HC30PL", "CRX-10iA", "UR10e", "290-2"), not a name written with a digit
    ("Raise3D", "Wi6labs", "Filéa3D": four small letters or more, no hyphen)."""
    if token.isalpha() or "-" not in token and sum(c.islower() for c in token) >= 4:
        return False
    return bool(_CODE_TOKEN.match(token))


_LEGAL = frozenset("GmbH AG SAS SA SARL SE Inc Ltd Corp plc PLC LLC Co NV BV AS AB Oy KG SpA SRL Srl Pty KK "
                   "ApS Pvt Ltda".split())


def _split_run(run: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """A run's words before its first model code (openers and a legal form dropped), and
    the tokens from that code on: "The Haas UMC-500" -> [Haas], [UMC-500]."""
    k = next((i for i, (token, _) in enumerate(run) if _is_code(token)), len(run))
    words, rest = run[:k], run[k:]
    while words and (words[0][0] in _OPENERS or words[0][0].endswith("-based")):
        words = words[1:]
    while words and (words[-1][0] in _LEGAL or len(words[-1][0]) == 1 and len(words) > 1):
        words = words[:-1]                   # "Meccanotek S.p.A.", "Nordson Inc"
    return words, rest


def _span(tokens: list[tuple[str, int]]) -> tuple[int, int]:
    return tokens[0][1], tokens[-1][1] + len(tokens[-1][0])


def _organisation(words: list[tuple[str, int]], folded: str, strong: bool = False) -> tuple[int, int] | None:
    """The span of the organisation a run's words name in a context that frames one: its
    first word can open a name, or its last is a company's head word after a word that is
    no field of industry ("Fetch Robotics", not "Smart Manufacturing Week")."""
    if not words:
        return None
    start, end = _span(words)
    last = _last_words(folded, start)
    if _TITLE_BEFORE.search(folded, max(0, start - 6), start) or not _JOBS.isdisjoint(last) \
            or len(last) >= 2 and last[-2].split("'")[-1] in _SITES and last[-1] in ("de", "d'", "of", "in", "a"):
        return None                          # "M. Kowalski", "le directeur Marc Lefort", "l'usine de Douai"
    if _EVENT_AFTER.match(folded, end) or _EVENT_BEFORE.search(folded[max(0, start - 30):start]):
        return None                          # "le salon SEPEM Industries", "Automate Show"
    first = words[0][0].lower()
    if first in _FIELD_WORDS or words[0][0] in GENERIC or not _VENUES.isdisjoint(w for w, _ in words):
        return None                          # "Additive Manufacturing", "the Cobo Center"
    if strong or namey(words[0][0]) or _head_named(words) and first not in _frequencies()[1]:
        return start, end
    return None


def _head_named(words: list[tuple[str, int]]) -> bool:
    return len(words) >= 2 and words[-1][0] in _HEADS and words[0][0] not in GENERIC


# "BMW's Spartanburg plant", "le site Renault de Flins": a site, not a product
_SITE_AFTER = re.compile(r" (?:[a-z-]+ )?(?:plant|site|factory|facility|usine|headquarters|siege|campus|warehouse|"
                         r"entrepot|center|centre|hub|depot|line|works|campaign|campagne|programme|program|"
                         r"initiative|project|projet|prize|award)s?\b")


def _product(tokens: list[tuple[str, int]], folded: str, loose: bool) -> tuple[int, int] | None:
    """The span of a product a run names: generic acronyms around it and a trailing common
    word after its code dropped ("SCARA GX10B", "CRYSTA-Apex V CMM", "Pro3 Plus"); it needs a
    model code, a camel-case or capitals word or a rare word, unless ``loose`` (after a
    maker's launch verb, where two capitalised words are enough: "Core One")."""
    while tokens and (tokens[0][0] in GENERIC or tokens[0][0] in _OPENERS or tokens[0][0] in _LEGAL):
        tokens = tokens[1:]
    while tokens and tokens[-1][0] in GENERIC:
        tokens = tokens[:-1]
    while len(tokens) > 1 and tokens[0][0].isdigit():
        tokens = tokens[1:]                  # "50 E-Tech T", "20 FH Electric": a quantity first
    coded = [i for i, (token, _) in enumerate(tokens) if _is_code(token)]
    if coded and coded[-1] < len(tokens) - 1 and all(common(t) and not t.isupper() for t, _ in tokens[coded[-1] + 1:]):
        tokens = tokens[:coded[-1] + 1]      # "UR8 Long", "Pro3 Plus"
    if not tokens or tokens[0][0].split("/")[0] in _STANDARD_BODIES:
        return None
    texts = [token for token, _ in tokens]
    if any(t in _EVENT_WORDS for t in texts) or _SITE_AFTER.match(folded, tokens[-1][1] + len(texts[-1])):
        return None                          # "Hannover Messe", "Hermes Award"
    if coded:
        return _span(tokens) if _model_code(texts) else None
    if any(_camel(t) or (t.isupper() and len(t) > 2) for t in texts) or namey(texts[0]) and (
            len(texts) == 1 or not _plain(texts[0])):
        return _span(tokens)                 # "ProBlue", "GXO", "Sequoia", "CRYSTA-Apex V"
    # several plain capitalised words are a product only after a launch verb ("Core One"),
    # elsewhere a person as likely ("Uswitch's Richard Neudegg")
    return _span(tokens) if loose and len(tokens) >= 2 else None


_STANDARD_BODIES = frozenset("ISO IEC EN NF CEI DIN VDI ASTM UL".split())
_NOT_A_CODE = re.compile(r"(?:CVE-[\d-]+|[45]\.0|\d+-[a-z]+|\d+-DOF|\d+x\d+|Q[1-4]|H[12]|M\d{1,2}|\d{1,2}-\d{1,2}|"
                         r"\d+(?:e|er|eme|st|nd|rd|th|kg|g|mm|cm|m|km|kW|W|V|A|Nm|t|h|s|Hz|kHz|bar)"
                         r"|(?:19|20)\d\d)$")
_DIMENSION = re.compile(r"\d[Dd](?:/\d[Dd])*$")


def _model_code(texts: list[str]) -> bool:
    """Whether a run's codes make a model: not a year, a quantity or a quarter, and a
    dimension ("6D") only after the model's own word ("Virtuose 6D", not "imprimantes 3D")."""
    words = [t for t in texts if not _is_code(t)]
    codes = [t for t in texts if _is_code(t)]
    real = [c for c in codes if not _NOT_A_CODE.match(c) and (words or not _DIMENSION.match(c))]
    return bool(real) and (bool(words) or any(re.search(r"[A-Za-z]", c) for c in real))


def _runs(t: Text) -> list[list[tuple[str, int]]]:
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
    folded, places = t.folded, []
    for m in _CAPITALISED_CODE.finditer(folded, 0, OPENING):
        if m.group(1):
            places.append((m.start(), False))    # "W16", "Power Focus 8"
            continue
        kind = _capital_kind(m.group())
        if kind == 2:
            places.append((m.start(), False))    # "Robotics"
        elif kind == 1:
            at, end = m.span()
            if not _plain_opening(folded, at, end) and not (at >= 2 and folded[at - 1] == "'" and folded[at - 2] in "OD"):
                places.append((at, False))       # "Nordson", "HandySCAN", "GXO"; not "O'Neill"
    places += _after_triggers(t)
    places.sort()
    return places


def _plain_opening(folded: str, at: int, end: int) -> bool:
    """A sentence's first word followed by an ordinary word that is no verb ("Proca natriefor
    titer."): no frame can hold it, ruled out before any run is read."""
    if at >= 2 and folded[at - 2] not in ".!?" or folded[end:end + 1] != " ":
        return False
    following = folded[end + 1:end + 12].split(" ", 1)[0]
    return following[:1].islower() and following[:3] not in _VERB_PREFIXES


def _after_triggers(t: Text) -> list[tuple[int, bool]]:
    """The first capitalised word or code within a few words after each frame or type word of
    the opening (the frame itself is checked later, on the run found there)."""
    folded = t.folded
    if not t.plain:     # no word positions to look through: every capitalised word is a candidate
        return [(m.start(), True) for m in _CAPITALISED.finditer(folded, 0, OPENING)
                if m.group() not in _OPENERS]
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
_CAPITALISED_CODE = re.compile(r"[A-Z][A-Za-z]*( ?\d)?")


@lru_cache(maxsize=65536)
def _capital_kind(word: str) -> int:
    """2: a company head word; 1: a rare word (no common French or English word); 0: else."""
    if word in _HEADS:
        return 2
    return 1 if len(word) > 1 and word.lower() not in _frequencies()[0] else 0
_TOKEN_TAIL = re.compile(r"[\w&+/-]*")
_BEFORE_WORDS = _OBJECT_LAST | _ROLE_LAST | _TYPE_WORDS | frozenset("et and & , ; (".split())


def _worth(folded: str, at: int) -> bool:
    """Whether any frame can hold the capitalised word at ``at`` (a test of the words around
    it, before the run is read): the run goes on or began before it, a possessive, a verb
    or a frame's last word before it."""
    end = _TOKEN_TAIL.match(folded, at).end()
    after = folded[end:end + 2]
    if after[:1] == "'" or len(after) == 2 and after[0] == " " and (after[1].isupper() or after[1].isdigit()):
        return True
    if at >= 2 and folded[at - 1] == " ":
        before = _token_start(folded, at - 1)
        if before < at - 1 and (folded[before].isupper() or folded[before].isdigit()):
            return True
    following = folded[end + 1:end + 12].split(" ", 1)[0]
    if after[:1] == " " and (following[:3] in _VERB_PREFIXES or _TYPE_AFTER.match(folded, end)):
        return True
    if at < 2 or folded[at - 2] in ".!?":
        return False                         # a sentence's first word: no frame before it
    last = _last_words(folded, at)
    return any(w in _BEFORE_WORDS or _frame_word(w) or w.rstrip("s") in _TYPE_WORDS or w[-1:] in ",;("
               for w in last[-4:])


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


_TOKEN_START = re.compile(_TOKEN + r"(?= )")


_HEAD_BYTES = frozenset(h.lower().encode() for h in _HEADS)


def _cut(t: Text, m: re.Match, keep: bool = False) -> list[list[tuple[str, int]]]:
    """A run matched as (token, position) lists: a line break ends a run (a title's last
    words and the summary's first are two runs); one common word is no run unless ``keep``
    (a frame names it: "le fabricant Rational")."""
    text, folded = m.group(), t.folded
    if " " not in text and (text in _OPENERS or not keep and _plain(text) and common(text)):
        return []                            # one common word ("Le", "Mardi", "Robots"): no name
    at, run, runs = m.start(), [], []
    for token in text.split(" "):
        if run and t.original[at - 1] in "\n\r":
            runs.append(run)
            run = []
        run.append((token, at))
        at += len(token) + 1
    if len(run) > 1 and len(run[-1][0]) == 1 and folded.startswith("'", m.end()):
        run.pop()                            # "chez Drouant L'Académie": an elided article
    return runs + [run]


@lru_cache(maxsize=65536)
def _plain(token: str) -> bool:
    """Written like a name or a word: a capital, then small letters ("Shiffrin", "Neudegg")."""
    return token[1:].islower() and token[1:].isalpha()


def _person_like(words: list[tuple[str, int]], surnames: set[str]) -> bool:
    """Whether a name that acts or owns is as likely a person: plain words, two or more of
    them without a company's head word ("Mikaela Shiffrin", "Amal Clooney"), or one a person's
    name ends with elsewhere in the text ("Reymond Clavel … Clavel's team")."""
    tokens = [token for token, _ in words]
    if len(tokens) >= 2:
        return all(_plain(t) for t in tokens) and tokens[-1] not in _HEADS
    return tokens[0] in surnames


# "the sensor maker ifm", "le fabricant de capteurs ifm": a name in small letters the text frames
_SMALL_MAKER = re.compile(r"\b[a-z]+ (?:maker|manufacturer|supplier|vendor) (?P<name>[a-z][a-z0-9]{1,15})(?![\w'-])"
                          r"|\b(?:fabricant|fournisseur|editeur) (?:de|d') ?[a-z]+ (?P<name2>[a-z][a-z0-9]{1,15})(?![\w'-])")


_SMALL_MAKER_BYTES = frozenset(b"maker manufacturer supplier vendor fabricant fournisseur editeur".split())


# names of institutions with small link words inside: "Health and Safety Executive", "Institut
# de Soudure", "Office for National Statistics", "Chantiers de l'Atlantique"
_INSTITUTIONS = ("Institute Institut Centre Center Agency Agence Authority Office Executive Federation Federation "
                 "Association Council Conseil Foundation Fondation Laboratoire Laboratory Caisse Chantiers "
                 "Ministry Ministere Commission Bureau Chamber Chambre Society Societe Union").split()
_INSTITUTION = re.compile(
    rf"(?<![\w'-])(?:[A-Z][\w-]* (?:(?:and|of|for|de|des|du|et) )?){{0,3}}(?:{'|'.join(_INSTITUTIONS)})"
    rf"(?: (?:of|for|and|on|de|des|du|de la|pour|d'|de l')(?: ?[A-Z][\w-]*){{1,3}})*")
_VENUES = frozenset("Convention Exhibition Expo Congress Conference Events Shopping Trade Data Distribution "
                    "Fulfilment Fulfillment Service Call Cobo Visitor Visitors Sports Medical".split())
INSTITUTION_VOCABULARY = frozenset(w.lower().encode() for w in _INSTITUTIONS)


def _institutions(t: Text) -> list[tuple[int, int]]:
    """Spans of institution names in the opening: an institution word and capitalised words
    around it, with link words between ("Health and Safety Executive"); two words at least,
    not a sentence's first common word alone."""
    if t.plain and t.words.isdisjoint(INSTITUTION_VOCABULARY):
        return []
    found = []
    for m in _INSTITUTION.finditer(t.folded, getattr(t, "title_end", 0), OPENING):
        words = m.group().split()
        while words and (words[0] in _OPENERS or words[0].lower() in _LINK_WORDS):
            words = words[1:]
        if len(words) >= 2 and any(w[:1].isupper() for w in words[1:]) and not _EVENT_AFTER.match(t.folded, m.end()) \
                and _VENUES.isdisjoint(words):   # "Anaheim Convention Center" is a place
            start = m.end() - len(" ".join(words))
            found.append((start, m.end()))
    return found


def context_names(t: Text, known: list[tuple[int, int]],
                  bodies: list[tuple[int, int]] = ()) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Organisations and products (spans) named by the words around capitalised runs;
    ``known``: spans of organisations found otherwise, whose launches are read too, but for
    ``bodies`` (which publish documents, not products: "NIST published SP 800-82")."""
    folded = t.folded
    orgs: list[tuple[int, int]] = []
    opening = folded[:OPENING]
    small = not t.plain or not t.words.isdisjoint(_SMALL_MAKER_BYTES)
    for m in _SMALL_MAKER.finditer(opening) if small else ():   # and it acts: "the sensor maker ifm presented"
        group = "name" if m.group("name") else "name2"
        if not common(m.group(group)) and (_acts_after(folded, m.end()) or folded.startswith("'s ", m.end())):
            orgs.append(m.span(group))
    products: list[tuple[int, int]] = []
    runs = _runs(t)
    institutions = [s for s in _institutions(t) if not any(a < s[1] and s[0] < b for a, b in known + orgs)]
    if not runs and not known and not orgs and not institutions:
        return [], []                        # nothing capitalised can name anything here
    surnames = {run[-1][0] for run in runs if len(run) == 2 and all(_plain(t) for t, _ in run)
                and run[-1][0] not in _HEADS and run[0][0] not in _OPENERS}
    launches = {m.end() for _, end in known if (m := _LAUNCH_AFTER.match(folded, end))}
    orgs += institutions
    known_ends = sorted(end for _, end in known)
    title_end = getattr(t, "title_end", 0)
    last_org_end = -1
    for run in runs:
        words, rest = _split_run(run)
        start = run[0][1]
        org = None
        strong = bool(words) and _object_or_role(folded, words[0][1], _last_words(folded, words[0][1]))
        if words and (strong or namey(words[0][0]) or _head_named(words)):   # else it opens no name
            previous = max([last_org_end] + [e for e in known_ends if e <= words[0][1]])
            org = _framed(words, folded, previous if not rest else -1, surnames, strong, bool(rest),
                          words[0][1] < title_end)
            if org is None and rest and _maker_word(words[0][0]) and start not in launches \
                    and not _typed(folded, start, _last_words(folded, start)):
                # "Haas UMC-500", "Netstal Elion 3200": an unlisted maker and its model
                n = 2 if len(words) >= 2 and words[1][0] in _HEADS else 1
                tokens = words[n:] + rest
                while tokens and _ACTS_AFTER.match(" " + tokens[0][0].lower()):
                    tokens = tokens[1:]          # a headline's verb: "Formlabs Unveils Form 4L"
                product = _product(tokens, folded, loose=False)
                if product:
                    org = _span(words[:n])
                    products.append(product)
        if org:
            orgs.append(org)
            last_org_end = org[1]
            continue
        if _model_like(run) or namey(run[0][0]) or len(run) > 1:
            product, by = _typed_product(t, run, bool(known or orgs))
            if product is None and (known or orgs):
                product = _owned_or_coined(t, run)
            products += [product] if product else []
            orgs += [by] if by else []
    for span in known + orgs:
        if span not in bodies and span not in institutions:
            products += _launched(t, span[1])
    orgs = [o for o in orgs if not any(a <= o[0] and o[1] <= b and (a, b) != o for a, b in orgs)]
    named = {folded[a:b] for a, b in known + orgs}     # "AeroSpline" acts first: no product later
    return orgs, [p for p in products if folded[p[0]:p[1]] not in named]


def for_names(t: Text) -> Text:
    """The text as names are read in it (same length, so every span maps to the text as
    written): line breaks kept (a title's last word and the summary's first are no phrase),
    and a Title Case headline (the first sentence) read as a sentence: its verbs, link words
    and very common words in small letters, and compounds of common words ("Body-in-White"),
    so that "SICK Launches nanoScan3 Pro" reads as "SICK launches nanoScan3 Pro"."""
    original, folded = t.original, t.folded
    breaks, i = [], original.find("\n", 0, OPENING)
    while i >= 0:
        breaks.append(i)
        i = original.find("\n", i + 1, OPENING)
    end = min(i for i in (original.find(". ", 0, OPENING), breaks[0] if breaks else -1, OPENING) if i >= 0)
    title = _TITLE_START.match(original[:end]) and _title_case(original[:end])
    if not breaks and not title:
        return t
    head = folded[:OPENING]                  # only the opening is read this way: a few short slices
    for i in breaks:
        head = head[:i] + "\n" + head[i + 1:]
    for m in _WORD.finditer(head, 0, end) if title else ():
        if m.start() and _headline_word(m.group()):
            head = head[:m.start()] + m.group()[0].lower() + head[m.start() + 1:]
    cased = object.__new__(Text)             # a shallow copy (copy.copy costs more)
    cased.__dict__.update(t.__dict__)
    cased.folded = head + folded[OPENING:]
    cased.title_end = end if title else 0    # a headline's capitals frame no name by themselves
    return cased


def _headline_word(word: str) -> bool:
    """A headline's word that a sentence writes in small letters: a verb, a link word, a
    compound of common words; not a head, a division or any other word ("Form 4L")."""
    if not word[1:].replace("-", "").islower() or word in _HEADS or word in _DIVISIONS:
        return False
    lowered = word.lower()
    if "-" in word:
        return all(common(part) or part in _LINK_WORDS for part in lowered.split("-") if part)
    return lowered in _LINK_WORDS or bool(_ACTS_AFTER.match(" " + lowered))


_WORD = re.compile(r"[A-Za-z][\w-]*")
_TITLE_START = re.compile(r"\S+ (?:\S{1,3} )*[A-Z0-9]")   # its first long word after the first is capitalised


# camel-case names of protocols and technologies, not products
_PROTOCOLS = frozenset("EtherCAT LoRaWAN LoRa PROFINET ProfiNet PROFIBUS EtherNet CANopen ZigBee WiFi IoT IIoT "
                       "OPC MQTT DevOps MLOps FinOps JavaScript TypeScript PowerShell GitHub LinkedIn YouTube "
                       "WhatsApp ChatGPT OpenAI".split())
# what a product is used, shipped or built with: "ships with PC-DMIS", "basé sur EcoStruxure"
_USED_FRAMES = _phrases("""
ships|comes|equipped|fitted|integrated|compatible with
livre|livree|livres|equipe|equipee|equipes|integre|compatible avec|de
base|basee|bases|built|based sur|on
autour de|d'
using|uses|use|runs|run|deploys|deployed|utilise|utilisent|exploite|pilote|adopte|adopted|selected|selects|chose|chooses|picks|retenu|retient|selectionne|choisi|choisit
""")
_OWNERS = frozenset("its their his her son sa ses leur leurs notre our".split())
_NOT_COINED = re.compile(r"(?:Mc|Mac|De|Di|Van|Von|La|Le)[A-Z]")


def _owned_or_coined(t: Text, run: list[tuple[str, int]]) -> tuple[int, int] | None:
    """A product its maker's possessive introduces ("its RailGuard monitors", "son MES
    Opérys"), or a coined camel-case name no frame made an organisation ("SensoLog",
    "EcoStruxure Automation Expert"), in a text that names a maker."""
    folded, start = t.folded, run[0][1]
    last = _last_words(folded, start)
    owned = bool(last) and (last[-1] in _OWNERS or len(last) > 1 and last[-2] in _OWNERS and last[-1].upper() in GENERIC)
    words = last[:-1] if last and last[-1] in _ARTICLES else last
    if any(tuple(words[-k:]) in _USED_FRAMES for k in (1, 2) if len(words) >= k) and (
            any(_is_code(tok) or _camel(tok) or tok.isupper() and len(tok) > 2 for tok, _ in run)):
        return _product(run, folded, loose=False)    # "ships with PC-DMIS 2025.1", "runs the DeltaV"
    first = run[0][0]
    coined = first[:1].isupper() and _camel(first) and not _NOT_COINED.match(first) and first not in _PROTOCOLS \
        and not _acts_after(folded, _span(run)[1]) and not folded.startswith("'", _span(run)[1])
    if not (owned and (_model_like(run) or namey(run[0][0])) or coined):
        return None
    return _product(run, folded, loose=False)


def _typed_product(t: Text, run: list[tuple[str, int]], makers: bool) -> tuple[tuple[int, int] | None, ...]:
    """The product (span) a product type before or after a run frames, and its maker named
    after it, if any: "le logiciel SolidWorks de Dassault Systèmes", "the NexaLink edge gateway
    from Torrent IIoT Solutions", "les exosquelettes Paexo Shoulder d'Ottobock"; without a
    maker after it, only in a text that names one."""
    folded, (start, end) = t.folded, _span(run)
    after = _TYPE_AFTER.match(folded, end)
    if not after and not _typed(folded, start, _last_words(folded, start)):
        return None, None
    maker = _MAKER_AFTER.match(folded, after.end() if after else end)
    if after and not maker and not any(_is_code(token) for token, _ in run) \
            and not (_SOFTWARE.search(after.group()) and any(_camel(token) for token, _ in run)):
        return None, None                    # "IO-Link sensors", "EtherCAT devices": a technology
    product = _product(run, folded, loose=bool(maker))
    if not product or not (maker or makers):
        return None, None
    made_by = _run_at(t, maker.end()) if maker else None
    return product, _organisation(_split_run(made_by)[0], folded) if made_by else None


def _model_like(run: list[tuple[str, int]]) -> bool:
    """Whether a run can name a model at all (what ``_product`` asks, tested first because
    it is cheap): a code, a camel-case or capitals word, or one rare word."""
    return any(_is_code(t) or _camel(t) or t.isupper() and len(t) > 2 for t, _ in run) \
        or len(run) == 1 and namey(run[0][0])


def division(t: Text, span: tuple[int, int], taken: list[tuple[int, int]], body: bool) -> tuple[int, int]:
    """A listed organisation's span, with the division or subsidiary words written after it:
    up to three capitalised words ending with a region ("FANUC America"), a company head or
    division word ("Safran Landing Systems", "Siemens Digital Industries"), or a body's
    institute ("Fraunhofer IPA"); none a model code, a camel-case or long capitals word (a
    product family: "KUKA KR QUANTEC", "Trumpf TruLaser"), a verb ("Siemens Unveils") or a
    span already taken. "Renault Austral", "Yaskawa Motoman" stay the maker alone."""
    folded, end = t.folded, span[1]
    if not folded.startswith(" ", end) or t.original[end] in "\n\r":
        return span
    run = _run_at(t, end + 1, keep=True)
    if not run or not any(tok in _HEADS or tok in _DIVISIONS or body and tok.isupper() for tok, _ in run[:3]) \
            or any(_is_code(tok) for tok, _ in run) or _TYPE_AFTER.match(folded, _span(run)[1]) \
            or _headline(t.original, span[0]):
        return span                          # "Velo3D Sapphire XC printers": a model
    extended = span
    for i, (token, at) in enumerate(run[:3]):
        if _camel(token) or token in GENERIC or token in _OPENERS or token in _LEGAL or token.isupper() and len(token) > 3 \
                or _ACTS_AFTER.match(" " + token.lower()) or any(a <= at < b for a, b in taken):
            break
        if token in _HEADS or token in _DIVISIONS or body and i == 0 and token.isupper():
            extended = span[0], at + len(token)
    return extended


# what ends a division's or a subsidiary's name after its parent's
_DIVISIONS = frozenset(
    "France America Americas Europe Japan Deutschland Germany UK Italia Italy Iberica Espana Asia China India "
    "Canada Benelux Nordic Schweiz Suisse Austria Polska USA Industry Industrial Digital Aircraft Engines "
    "Landing Defence Defense Helicopters Helicopteres Trucks Intelligence Associates Healthineers Mobility "
    "Services Atlantic Aviation Energy Space Cars Motor Alloys Didactic Renouvelables Trucks Buses Rail "
    "Marine Medical Solutions Logistics Retail Foods International Chain".split())


def _headline(original: str, at: int) -> bool:
    """Whether the line around ``at`` is written in Title Case (most of its words capitalised)."""
    start = max(original.rfind("\n", 0, at) + 1, at - 100)
    end = original.find("\n", at, at + 100)
    return _title_case(original[start:end if end >= 0 else at + 100])


def _title_case(line: str) -> bool:
    """Four words or more, every one of four letters or more written with a capital."""
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 4 and all(not w.islower() for w in words if len(w) >= 4)


def _maker_word(token: str) -> bool:
    """A word that can be an unlisted maker's name before its model ("Haas UMC-500",
    "Raise3D Pro3"): capitalised, rare, not written in capitals nor camel case, which model
    families are ("SIMATIC S7-1500", "TruPrint 3000")."""
    return namey(token) and (token[1:].islower() or any(c.isdigit() for c in token))


# "PepsiCo's Frito-Lay division": an organisation, not a product
_DIVISION_AFTER = re.compile(r" (?:division|subsidiary|unit|filiale|business unit)\b")
_CITING = frozenset({("selon",), ("d'apres",), ("according", "to"), ("d'apres", "le"), ("d'apres", "la")})


def _listed_after(folded: str, previous_end: int, start: int, end: int) -> bool:
    """Whether a name goes on a list after an organisation: "Fanuc, Yaskawa et Sybot"; after
    a bare comma only if the list goes on after it ("Coca-Cola, l'ACV sert" is no list)."""
    between = _LIST_BETWEEN.match(folded, previous_end, start)
    if not between:
        return False
    return not between.group().startswith(", ") or between.group().startswith((", et", ", and")) \
        or folded.startswith((", ", " et ", " and ", " & "), end)


def _cited(last: list[str]) -> bool:
    """Whether the words before a name cite it: "selon l'ADEME", "according to the VDMA"."""
    words = last[:-1] if last and last[-1] in _ARTICLES else last
    return any(tuple(words[-k:]) in _CITING for k in (1, 2) if len(words) >= k)


_PRODUCT_VERBS = re.compile(r" (?:adds|added|gets|supports|brings|offers|provides|integrates|extends|expands|runs|"
                            r"ajoute|integre|prend en charge|gagne|offre|propose)\b")
_PLACE_AFTER = re.compile(r" ?(?:[a-z-]+ )?(?:port|airport|harbour|harbor|city|region|government|economy|plant|site|"
                          r"factory|factories|capital|coast|mayor|governor|largest|biggest)s?\b")


def _framed(words: list[tuple[str, int]], folded: str, last_org_end: int,
            surnames: set[str], strong: bool, coded: bool, in_title: bool = False) -> tuple[int, int] | None:
    """The organisation a run's words name where the context frames one: it is bought,
    joined or worked at, goes on a list of organisations, ends with a company's head word,
    or acts or owns and is not as likely a person."""
    start, end = _span(words)
    if _TYPE_AFTER.match(folded, end):
        return None                          # "alongside the Sparrow robotic arm": a product
    if words[0][0] in _STANDARD_BODIES and (coded or len(words) > 1):
        return None                          # "selon la NF EN ISO 9606-1": a standard
    if strong:                               # bought, joined, supplied, or after its role
        return None if coded else _organisation(words, folded, strong=True)
    framed = last_org_end >= 0 and _listed_after(folded, last_org_end, start, end) \
        or bool(_DIVISION_AFTER.match(folded, end)) or _cited(_last_words(folded, start))
    if not framed and (not _head_named(words) or coded or in_title):   # "Golden Electric 570" is a model
        owns = (folded.startswith("'s ", end) or words[-1][0].endswith("s") and folded.startswith("' ", end)) \
            and not _PLACE_AFTER.match(folded, end + 2)     # "Gothenburg's port"
        if not (owns or _acts_after(folded, end)) or _person_like(words, surnames) \
                or _camel(words[0][0]) and _PRODUCT_VERBS.match(folded, end):
            return None                      # "GrabCAD Print Pro adds…": a product does that too
    return _organisation(words, folded)


def _run_at(t: Text, at: int, keep: bool = False) -> list[tuple[str, int]] | None:
    """The run starting at ``at``, if one does."""
    m = _RUN.match(t.folded, at)
    runs = _cut(t, m, keep) if m else []
    return runs[0] if runs else None


def _launched(t: Text, end: int) -> list[tuple[int, int]]:
    """The product an organisation ending at ``end`` launches or owns, if any."""
    m = _LAUNCH_AFTER.match(t.folded, end)
    run = _run_at(t, m.end()) if m else None
    if run is None or m.group().endswith(" a ") and not any(_is_code(tok) or _camel(tok) for tok, _ in run):
        return []                            # "présente à Euroblech la TruLaser": a place, an event
    loose = not m.group().startswith("'") and len(run) <= 2   # "Core One", not "Sustainability Report Highlighting…"
    span = _product(run, t.folded, loose=loose)
    found = []
    while span:                              # "the GX10C and GX20C", "le TM5S, le TM12S et le TM20"
        found.append(span)
        more = _PRODUCT_LIST.match(t.folded, span[1])
        run = _run_at(t, more.end()) if more else None
        span = _product(run, t.folded, loose=False) if run and (
            any(_is_code(tok) or _camel(tok) for tok, _ in run) or namey(run[0][0])) else None
    return found


_PRODUCT_LIST = re.compile(r"(?:,| and| et| &) (?:the |le |la |l'|les |a |an |un |une )?")
