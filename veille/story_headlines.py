"""What a headline says happened: a rule's step, an event's kind.

Two items of one maker or one text share their names, their codes and much of their wording
while telling two events: a start-up's funding round and its takeover, a product's launch and
its first delivery, a draft put to consultation and the text adopted. Their headlines say
which: ``apart`` tells two headlines that state different steps of one rule or different
kinds of event. A headline stating none ("Terre cuite : un four électrique à Castelnaudary")
is apart from nothing, and two outlets telling one event state the same kind of it in their
own words ("lève 12 M€" and "boucle un tour de table"; "acquires" and "takeover"), so what
counts is kinds that do not meet: a headline stating two (an "accord de fourniture") meets
either. Read on the headline folded to plain letters, lowercase.
"""
from __future__ import annotations

import re
from functools import lru_cache

from veille.reference_text import fold

_A = r"(?:'|\s)?"      # an elided article or pronoun: "s'implante", "d'affaires"

# a rule's or a standard's step: a draft put to consultation, or the text published, adopted,
# in force ("Projet d'arrêté soumis à consultation" and "L'arrêté est publié" are two events)
_DRAFT = re.compile(r"\b(?:projet|draft|proposes?|proposed|proposal|proposition|consultation|enquete\s+publique"
                    r"|open\s+for\s+comments?|call\s+for|appel\s+a|soumise?s?\s+a)\b")
_FINAL = re.compile(r"\b(?:publiee?s?|parue?s?|published|adoptee?s?|adopted|written\s+into\s+law|final"
                    r"|entre(?:ra)?\s+en\s+vigueur|in\s+force|takes?\s+effect|laureat(?:e|s|es)|winners)\b")

# a deal's step: agreed, cleared by an authority, completed ("agrees to buy Rollmark", "EU clears
# the Rollmark takeover", "completes the acquisition" are three events of one deal)
_DEAL_STEPS = (
    ("agreed", re.compile(r"\b(?:agrees?\s+to|agreed\s+to|to\s+(?:acquire|buy|merge)|va\s+racheter|veut\s+racheter"
                          r"|negociations?\s+exclusives?|exclusive\s+talks|in\s+talks|bids?\s+for|offer\s+for"
                          r"|projet\s+de\s+(?:rachat|fusion|cession)|offre\s+(?:de\s+rachat|publique))\b")),
    ("cleared", re.compile(r"\b(?:clears?|cleared|approves?|approved|autorise|autorisee?|feu\s+vert|green\s+light"
                           r"|greenlights?|blocks?\s+(?:the\s+)?(?:deal|takeover|merger|acquisition)|blocked|bloque)\b")),
    ("completed", re.compile(r"\b(?:completes?|completed|completion|finalise|finalises|finalisee?|finalizes?"
                             r"|finalized|conclut|bouclee?)\b")),
)


_OUTCOME = re.compile(r"\b(?:synthese|bilan|resultats?|retours?|contributions?|summary|outcome|results|responses?)\s+"
                      r"(?:de\s+la|a\s+la|of\s+the|to\s+the)\s+consultation\b")

# kinds of event, as trade-press and company headlines state them (French and English)
_MONEY = r"(?=[^.;:]{0,30}(?:€|\$|£|\d ?m\b|millions?|milliards?|billions?|fonds|funding|round|seed|series))"
# a deal's completion is no closure: "closes Desktop Metal deal", "closes $19m round"
_COMPLETED = r"(?![^.;:]{0,40}\b(?:deal|round|transaction|acquisition|sale|purchase|funding|financing|series|takeover|merger))"
_EVENTS = (
    (("funding",), r"(?:leve|levent|raises?|raised|raising|secures?|secured|boucle|closes?|closed|cloture)" + _MONEY
     + r"|levee\s+de\s+fonds|tour\s+de\s+table|funding\s+round|series\s+[a-d]\b|serie\s+[a-d]\b|seed\s+round"
       r"|fundraising|amorcage|finance|financement|financing"),
    (("acquisition",), r"rachete|rachetent|rachetee|rachat|acquiert|acquierent|acquis|acquisition|acquires?|acquired"
                       r"|acquiring|takeover|buys?|bought|rapproche|fusion(?:ne)?|merger|merges?|absorbe|cede|cession"
                       r"|divests?|repris\s+par|reprise\s+(?:de|par)|tombe\s+dans\s+le\s+giron"),
    (("launch",), r"lance|lancent|lancement|launch(?:es|ed|ing)?|unveils?|unveiled|devoile|devoilent|introduces?"
                  r"|introduced|debuts?|presente|presentent|commercialise|nouvelle\s+version|new\s+version"
                  r"|premiere\s+mondiale|world\s+premiere"),
    # an order and a delivery done are two events ("Ardmore to supply 28 trams", "First tram
    # delivered"); a supplier delivering or a customer putting machines to work may be either
    # side of one deal ("Fives livre … à Dassault", "Dassault commande…")
    (("order",), r"commande|commandes|commandent|orders?|ordered|contrat|contracts?|remporte|decroche|wins?|won"
                 r"|selects?|selected|choisit|choisissent|picks?|retient|retenu|to\s+supply|will\s+supply|fournira"
                 r"|equipera"),
    (("delivery",), r"delivered|livree?s?|handed\s+over|remise?s?\s+a|completes?\s+(?:the\s+)?deliver\w*"
                    r"|achev\w*\s+(?:la\s+)?livraison"),
    (("order", "delivery"), r"livre(?!\s+blanc)|livrent|livraisons?|delivers?|(?<!completes\s)(?<!complete\s)delivery"
                            r"|deliveries|(?<!s')installe"
                            r"|installs|installed|deploie|deploient|deploys?|deployed|deployment|deploiement"
                            r"|rolls?\s+out|equipe\s+(?:le|la|les|l'|ses|son|sa)|equips|equipped"
                            r"|(?<!to\s)(?<!will\s)supply|supplies|supplied|fournir|fournit|fourniture"),
    (("partnership",), r"partenariat|partenaires?|s" + _A + r"associ\w*|partners?|partnership|teams?\s+up|accord"
                       r"|agreement|collaboration|collaborates?|alliance|signe|signent|signs?|signed|joint\s+venture"
                       r"|coentreprise"),
    # a site's works begun and the site opened are two events ("breaks ground", "fires up")
    (("building",), r"construction|breaks\s+ground|premiere\s+pierre|groundbreaking|chantier"
                    r"|(?:builds?|construit|construira)\s+(?:(?:a|an|its|the|une|un|son|sa|ses)\s+)?(?:new\s+|nouvel?l?e?\s+)?"
                    r"(?:plant|factory|facility|site|warehouse|usine|batiment|entrepot)"),
    (("opening",), r"ouvre|ouvrent|ouverture|inaugure|inaugurent|inauguration|opens?|opened|opening|demarre|demarrage"
                   r"|starts?\s+production|starts?\s+up|fires?\s+up|mise\s+a\s+feu"),
    (("building", "opening"), r"s" + _A + r"implante|s" + _A + r"installe|implantation|agrandit|agrandissement"
                              r"|extension|expands?|expansion|relocalise|nouvelle\s+usine|nouveau\s+site"
                              r"|new\s+(?:plant|factory|site|facility|centre|center)"),
    (("opening", "delivery"), r"mise\s+en\s+service|met\s+en\s+service|commissions|commissioned|commissioning"),
    (("closure",), r"ferme|fermer|fermera|fermeture|(?:closes?|closing)" + _COMPLETED + r"|closure|shuts?|shut\s+down"
                   r"|cessation|liquidation|redressement\s+judiciaire|receivership|insolvency|faillite|plan\s+social"
                   r"|suppressions?\s+d" + _A + r"emplois|job\s+cuts|layoffs?|cuts?\s+\d"),
    (("results",), r"resultats?|chiffre\s+d" + _A + r"affaires|revenues?|earnings|profits?|benefices?"
                   r"|pertes?\s+(?:nette|operationnelle)|net\s+loss|quarterly|trimestre|trimestriels?|semestre"
                   r"|semestriels?|half-year|first\s+half|full-year|annual\s+results|exercice"),
    (("people",), r"nomme|nommee|nomination|appoints?|appointed|appointment|succede|succeeds?|steps?\s+down"
                  r"|new\s+(?:ceo|cto|cfo|coo|chief|president|managing\s+director)"
                  r"|nouvel?l?e?\s+(?:directeur|directrice|president|presidente|pdg|dg)"
                  r"|names?\s+[^.;:]{0,30}\b(?:ceo|cto|cfo|coo|chief|president|head\s+of)"),
    (("incident",), r"accident|blesses?|blessee?s?|tue|tues|mort|morts|deces|killed|injured|injures?|fatal|fatality"
                    r"|explosion|incendie|fire\s+at|fuite|leak|effondrement|collapse"),
    (("strike",), r"greve|grevistes|strike|strikes|walkout|debrayage"),
    # a trial and what comes of it are two events ("trials exoskeletons for welders", "rolls out
    # exoskeletons to 80 welders")
    (("trial",), r"trials?|trialled|trialling|trialing|pilots|piloted|piloting|pilot\s+(?:project|scheme|line)"
                 r"|projet\s+pilote|teste|testent|experimente|experimentent|experimentation"),
    (("sanction",), r"amende|sanction(?:ne|nee)?s?|condamne(?:e|es|s)?|fined|fines|penalty|penalties"
                    r"|mise\s+en\s+demeure|prosecuted|poursuivie?s?|convicted"),
    # a deal's word alone states no kind of it: a takeover, an order or a funding round
    (("funding", "acquisition", "order", "partnership"), r"deal|transaction|operation"),
    (("recall",), r"rappel|rappelle|recalls?|recalled"),
    (("award",), r"prix|awards?|awarded|trophee|trophees|laureat|recompense|recompensee?"),
)
_EVENT_PATTERNS = [(frozenset(kinds), re.compile(r"\b(?:" + pattern + r")\b")) for kinds, pattern in _EVENTS]


def stage(title: str) -> str | None:
    """"draft" for a headline on a draft or a consultation, "outcome" for one on what the
    consultation gave, "final" for one on the text published, adopted or in force, None for
    neither or both."""
    text = _plain(title)
    if _OUTCOME.search(text):
        return "outcome"
    draft, final = _DRAFT.search(text) is not None, _FINAL.search(text) is not None
    return "draft" if draft and not final else "final" if final and not draft else None


# a deal or a project called off: apart from its announcement ("la commande … suspendue")
_CALLED_OFF = re.compile(r"\b(?:annulee?s?|annule|annulation|suspendue?s?(?!\s+(?:a|au|aux)\b)|suspend|suspension"
                         r"|gelee?s?|abandonne\w*|renonce\w*|drops?\s+(?:its\s+|their\s+)?(?:bid|plan|offer)"
                         r"|cancel\w*|called\s+off|scrapp\w*|suspends?|suspended|halted|shelved|put\s+on\s+hold)\b")


# a strike's end: apart from the strike's start ("Tremont Engines strike ends after workers
# ratify new contract", "Workers strike at Tremont Engines plant")
_STRIKE_END = re.compile(r"\b(?:(?:strike|walkout|greve)s?\s+(?:ends?|ended|is\s+over|over|called\s+off)"
                         r"|end(?:s|ed)?\s+(?:the\s+|a\s+|its\s+|their\s+)?(?:\d+-day\s+)?(?:strike|walkout)"
                         r"|ratif\w*|fin\s+de\s+(?:la\s+)?greve|reprise\s+du\s+travail|levee\s+de\s+la\s+greve"
                         r"|back\s+to\s+work|return\s+to\s+work)\b")


def deal_step(title: str) -> str | None:
    """A deal's step a headline states alone: "agreed", "cleared" or "completed"."""
    text = _plain(title)
    steps = [name for name, pattern in _DEAL_STEPS if pattern.search(text)]
    return steps[0] if len(steps) == 1 else None


@lru_cache(maxsize=1024)     # an item is compared with each of its few candidates
def events(title: str) -> frozenset[str]:
    """The kinds of event a headline states ("funding", "acquisition", "launch", "order", ...)."""
    text = _plain(title)
    return frozenset().union(*(kinds for kinds, pattern in _EVENT_PATTERNS if pattern.search(text)))


def apart(a: str, b: str) -> bool:
    """Whether two headlines state different steps of one rule (a draft, the text adopted) or
    of one deal (agreed, cleared, completed), one a deal called off, one a strike's end, or
    kinds of event that do not meet (a funding round, a takeover)."""
    for step in (stage, deal_step):
        steps = {step(a), step(b)}
        if len(steps) == 2 and None not in steps:
            return True
    if (_CALLED_OFF.search(_plain(a)) is None) != (_CALLED_OFF.search(_plain(b)) is None):
        return True
    if "strike" in events(a) and "strike" in events(b) and \
            (_STRIKE_END.search(_plain(a)) is None) != (_STRIKE_END.search(_plain(b)) is None):
        return True
    mine, theirs = events(a), events(b)
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)


def _plain(title: str) -> str:
    return fold(title).lower().replace("\u2019", "'")
