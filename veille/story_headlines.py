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
                    r"|entre(?:ra)?\s+en\s+vigueur|in\s+force|takes?\s+effect|laureats|winners)\b")

# kinds of event, as trade-press and company headlines state them (French and English)
_MONEY = r"(?=[^.;:]{0,30}(?:€|\$|£|\d ?m\b|millions?|milliards?|billions?|fonds|funding|round|seed|series))"
# a deal's completion is no closure: "closes Desktop Metal deal", "closes $19m round"
_COMPLETED = r"(?![^.;:]{0,40}\b(?:deal|round|transaction|acquisition|sale|purchase|funding|financing|series|takeover|merger))"
_EVENTS = {
    "funding": re.compile(r"\b(?:(?:leve|levent|raises?|raised|raising|secures?|secured|boucle|closes?|closed|cloture)" + _MONEY
                          + r"|levee\s+de\s+fonds|tour\s+de\s+table|funding\s+round|series\s+[a-d]\b|seed\s+round"
                          r"|fundraising|amorcage|finance|financement|financing)\b"),
    "acquisition": re.compile(r"\b(?:rachete|rachetent|rachetee|rachat|acquiert|acquierent|acquis|acquisition"
                              r"|acquires?|acquired|acquiring|takeover|buys|bought|rapproche|fusion(?:ne)?"
                              r"|merger|merges?|absorbe|cede|cession|divests?|repris\s+par|reprise\s+(?:de|par)"
                              r"|tombe\s+dans\s+le\s+giron)\b"),
    "launch": re.compile(r"\b(?:lance|lancent|lancement|launch(?:es|ed|ing)?|unveils?|unveiled|devoile|devoilent"
                         r"|introduces?|introduced|debuts?|presente|presentent|commercialise|rolls?\s+out"
                         r"|nouvelle\s+version|new\s+version|premiere\s+mondiale|world\s+premiere)\b"),
    "deal": re.compile(r"\b(?:commande|commandes|commandent|orders?|ordered|contrat|contracts?|remporte"
                       r"|decroche|wins?|won|selects?|selected|choisit|choisissent|picks?|retient|retenu"
                       r"|livre(?!\s+blanc)|livrent|livree?s?|livraisons?|deliver(?:s|ed|y|ies)?|supply|supplies"
                       r"|fournir|fournira|fourniture|equipera|equipe\s+(?:le|la|les|l'|ses|son|sa))\b"),
    "partnership": re.compile(r"\b(?:partenariat|partenaires?|s" + _A + r"associ\w*|partners?|partnership"
                              r"|teams?\s+up|accord|agreement|collaboration|collaborates?|alliance|signe|signent"
                              r"|signs?|signed|joint\s+venture|coentreprise)\b"),
    "site": re.compile(r"\b(?:ouvre|ouvrent|ouverture|inaugure|inaugurent|inauguration|opens?|opened|opening"
                       r"|s" + _A + r"implante|implantation|construit|construction|builds?|breaks\s+ground"
                       r"|premiere\s+pierre|agrandit|agrandissement|extension|expands?|expansion|relocalise"
                       r"|nouvelle\s+usine|nouveau\s+site|new\s+(?:plant|factory|site|facility|centre|center))\b"),
    "closure": re.compile(r"\b(?:ferme|fermer|fermera|fermeture|(?:closes?|closing)" + _COMPLETED + r"|closure|shuts?|shut\s+down"
                          r"|cessation|liquidation|redressement\s+judiciaire|receivership|insolvency|faillite"
                          r"|plan\s+social|suppressions?\s+d" + _A + r"emplois|job\s+cuts|layoffs?|cuts?\s+\d)\b"),
    "results": re.compile(r"\b(?:resultats?|chiffre\s+d" + _A + r"affaires|revenues?|earnings|profits?|benefices?"
                          r"|pertes?\s+(?:nette|operationnelle)|net\s+loss|quarterly|trimestre|trimestriels?"
                          r"|semestre|semestriels?|half-year|first\s+half|full-year|annual\s+results|exercice)\b"),
    "people": re.compile(r"\b(?:nomme|nommee|nomination|appoints?|appointed|appointment|succede|succeeds?"
                         r"|steps?\s+down|new\s+(?:ceo|cto|cfo|coo|chief|president|managing\s+director)"
                         r"|nouvel?l?e?\s+(?:directeur|directrice|president|presidente|pdg|dg)"
                         r"|names?\s+[^.;:]{0,30}\b(?:ceo|cto|cfo|coo|chief|president|head\s+of))\b"),
    "incident": re.compile(r"\b(?:accident|blesses?|blessee?s?|tue|tues|mort|morts|deces|killed|injured|injures?"
                           r"|fatal|fatality|explosion|incendie|fire\s+at|fuite|leak|effondrement|collapse)\b"),
    "sanction": re.compile(r"\b(?:amende|sanction(?:ne|nee)?s?|condamne(?:e|es|s)?|fined|fines|penalty|penalties"
                           r"|mise\s+en\s+demeure|prosecuted|poursuivie?s?|convicted)\b"),
    # a deal's word alone states no kind of it: a takeover, an order or a funding round
    "deal_word": re.compile(r"\b(?:deal|transaction|operation)\b"),
    "recall": re.compile(r"\b(?:rappel|rappelle|recalls?|recalled)\b"),
    "award": re.compile(r"\b(?:prix|awards?|awarded|trophee|trophees|laureat|recompense|recompensee?)\b"),
}


def stage(title: str) -> str | None:
    """"draft" for a headline on a draft or a consultation, "final" for one on the text
    published, adopted or in force, None for neither or both."""
    text = _plain(title)
    draft, final = _DRAFT.search(text) is not None, _FINAL.search(text) is not None
    return "draft" if draft and not final else "final" if final and not draft else None


@lru_cache(maxsize=1024)     # an item is compared with each of its few candidates
def events(title: str) -> frozenset[str]:
    """The kinds of event a headline states ("funding", "acquisition", "launch", "deal", ...)."""
    text = _plain(title)
    found = {kind for kind, pattern in _EVENTS.items() if pattern.search(text)}
    if "deal_word" in found:
        found |= _DEAL_KINDS
    return frozenset(found)


_DEAL_KINDS = frozenset({"funding", "acquisition", "deal", "partnership"})


def apart(a: str, b: str) -> bool:
    """Whether two headlines state different steps of one rule (a draft, the text adopted)
    or kinds of event that do not meet (a funding round, a takeover)."""
    stages = {stage(a), stage(b)}
    if len(stages) == 2 and None not in stages:
        return True
    mine, theirs = events(a), events(b)
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)


def _plain(title: str) -> str:
    return fold(title).lower().replace("\u2019", "'")
