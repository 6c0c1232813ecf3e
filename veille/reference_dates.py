"""Application dates and deadlines in an item's text (``references.extract``'s ``date`` kind).

A date counts when the text frames it as an application date, an entry into force or a
deadline: after a trigger ("applicable à partir du", "enters into force on", "no later than");
after a bare "from", "by", "as of", "dès le" only in a sentence about a rule or a text citing
an act or a standard; without a trigger when its own clause (or, for a sentence opening on the
date, its main clause) states an obligation (docs/references.md). An event's, a publication's or
a text's own date, and a date without a year, are no reference. The dates the rules leave go
to a second reader, a model trained on the labelled sets (``reference_date_model``). The date
formats are also read by the French texts' pattern ("décret du 12 mars 2024").
"""
from __future__ import annotations

import bisect
import itertools
import re
from datetime import date
from typing import Iterator

from veille.reference_date_words import (BULLET, DEADLINE_AFTER, EVENT_AFTER, EVENT_BEFORE, EVENT_NEAR_AFTER,
                                         EVENT_VERB_BEFORE, GOAL, GOES_ON, HAVE_BEFORE, LAUNCH, LIST_WORD,
                                         ITEM_LABEL, MARKET_BEFORE, NEGATION, NOT_APPLICATION_BEFORE, NOT_THE_DATE,
                                         OBLIGATION, PAST_COLUMN, RULE_CUE, STARTS, SUPERSEDED, TAKEN_UP, UNTIL, UNTIL_BEFORE)
from veille.reference_date_model import THRESHOLD, features, load_model
from veille.reference_text import Text, lookup_key, occurrences, scan

_MONTHS = {
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12, "janv": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7,
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = rf"(?P<mon>{_MONTH_NAMES})\.?"
_DAY = r"(?P<day>1er|[0-3]?\d)(?:st|nd|rd|th)?"
FULL_DATE = (rf"(?:{_DAY}\s+(?:of\s+)?{_MONTH}\s+(?P<year>(?:19|20)\d\d)"
             rf"|{_MONTH.replace('mon>', 'mon2>')}\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year2>(?:19|20)\d\d)"
             rf"|(?P<nd>[0-3]?\d)/(?P<nm>[01]?\d)/(?P<ny>(?:19|20)\d\d)"
             rf"|(?P<pd>[0-3]?\d)\.(?P<pm>[01]?\d)\.(?P<py>(?:19|20)\d\d)"
             rf"|(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d))")
_MONTH_YEAR = rf"{_MONTH.replace('mon>', 'mon3>')}\s+(?P<year3>(?:19|20)\d\d)"


def ymd(g: dict, prefix: str = "") -> str | None:
    """The date a FULL_DATE match names, as YYYY-MM-DD; None when it is not a real date."""
    def get(name):
        return g.get(prefix + name)
    if get("year"):
        y, mo, d = get("year"), _month(get("mon")), get("day")
    elif get("year2"):
        y, mo, d = get("year2"), _month(get("mon2")), get("day2")
    elif get("ny"):
        y, mo, d = get("ny"), int(get("nm")), get("nd")
        if mo > 12 >= int(d):
            mo, d = int(d), get("nm")       # "12/15/2026": only the US order reads it
    elif get("py"):
        y, mo, d = get("py"), int(get("pm")), get("pd")
    elif get("iy"):
        y, mo, d = get("iy"), int(get("im")), get("id")
    else:
        return None
    try:
        return date(int(y), mo, 1 if d.lower() == "1er" else int(d)).isoformat()
    except (TypeError, ValueError):   # no such month or day
        return None


def _month(name: str) -> int | None:
    """A month's number; "janvıer" (a lookalike letter the case-insensitive pattern matched) too."""
    return _MONTHS.get(lookup_key(name))


# --- application dates and deadlines ----------------------------------------------------

# Words that date a rule's step only in a sentence about a rule (bare triggers, see below): a
# deadline ("avant le", "before", "ahead of"), a start ("depuis le", "since", "starts on",
# "démarre le"), an end ("until", "jusqu'au"), a date moved ("reporté d'un an, au", "postponed
# to", "extended to"), a date set ("fixe au", "effective au").
_BARE_MORE = (
    r"des|starting|on\s+or\s+after|avant(?:\s+le)?|before|ahead\s+of|prior\s+to|apres\s+le|after"
    r"|depuis\s+le|since|until|till|through|jusqu'(?:au|a|en)"
    r"|(?:starts?|started|begins?|began|commence|commencera|demarre|demarrera|debute|debutera)\s+(?:on|le|au)"
    r"|(?:reporte|repousse|decale|differe)e?s?(?:\s+[^\s.;:,]+){0,3}?,?\s+(?:au|a|en)|report(?:\s+[^\s.;:,]+){0,3}?\s+au"
    r"|(?:postponed|extended|deferred|delayed|pushed\s+back|moved)(?:\s+[^\s.;:]+){0,8}?\s+(?:to|until)"
    r"|au-dela\s+d[ue]|beginning(?:\s+(?:on|in|from))?|due(?:\s+(?:on|by))?|(?:close|closes|closing|closed)\s+on"
    r"|closing\s+date(?:\s+is)?\s*:?|date\s+de\s+cloture\s*:?|clotur\w*\s+le"
    r"|fixee?s?\s+au|effective\s+(?:au|le|depuis\s+le)"
    r"|termin(?:e|era|ent|eront|ait)\s+(?:le|au|en|fin)|(?:ended|ends|expired|expires|lapsed)\s+in")
# a time of day written before the date ("by 23:59 on 31 October", "by noon on 8 July")
_TIME = (r"(?i:(?:noon|midday|midi|midnight|minuit|\d{1,2}[:h]\d\d(?:\s*[ap]\.?m\.?)?|\d{1,2}(?:\.\d\d)?\s*[ap]\.?m\.?)"
         r"(?:\s*\(?(?:cet|cest|utc|gmt|bst|(?:uk|paris|brussels|local)\s+time|heure\s+(?:de\s+paris|locale))\)?)?"
         r"\s+(?:on\s+(?:the\s+)?|le\s+)?)?"
         # and a weekday ("à compter du lundi 3 novembre 2025", "by Friday, 27 March 2026")
         r"(?i:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday"
         r"|friday|saturday|sunday),?\s+(?:the\s+)?)?")
# Only dates the text frames as application, entry into force or deadline: an event's date,
# a publication date or a date without a year is not a reference.
_TRIGGER = (
    r"(?i:(?:applicables?|s'appliquer(?:a|ont)?|s'applique(?:nt)?|obligatoires?|en\s+application)\s+"
    r"(?:(?:a\s+partir|a\s+compter|des)\s+(?:du|de|le)|le|au)"
    r"|a\s+(?:partir|compter)\s+(?:du|de|d')|des\s+le"
    r"|entre(?:ra|nt|ront)?\s+en\s+(?:vigueur|application)\s+(?:le|au)|entree\s+en\s+(?:vigueur|application)\s*(?:le|au|:)"
    r"|en\s+vigueur\s+depuis\s+le|date\s+d'(?:application|entree\s+en\s+vigueur)\s*(?::|le|au|est\s+fixee\s+au)?"
    r"|d'ici\s+(?:le|au|a)|au\s+plus\s+tard\s+(?:le|au|en)"
    r"|(?:dates?\s+(?:et\s+heures?\s+)?limites?|deadlines?|date\s+butoir|cut-off|cutoff)(?:\s+[^\s.;:]+){0,5}?\s*(?:est\s+fixee\s+au|fixee\s+au|est\s+le|is|are|:|le|du|au|of)"
    r"|(?:date\s+limite|deadline|date\s+butoir)(?:\s+[^\s.;:]+){6,14}?\s*:"
    r"|(?:s'applique(?:nt)?|applicables?)\s+depuis\s+le|(?:applied|applies|apply|applicable)\s+since"
    r"|echeance\s*(?::|du|le|au|fixee\s+au)"
    r"|(?:apply|applies|applicable|apply\s+in\s+full|mandatory|compulsory)\s+(?:from|as\s+of|as\s+from|on)"
    r"|(?:enter|enters|entered|entering|come|comes|came|coming)\s+into\s+(?:force|application|effect)\s+on"
    r"|entry\s+into\s+(?:force|application)\s*(?:on|:)|date\s+of\s+application\s*(?::|is)?"
    r"|no\s+later\s+than|not\s+later\s+than"
    r"|(?:date\s+d'(?:effet|application|entree\s+en\s+vigueur|expiration)|(?:compliance|cut-off|cutoff|effective|sunset"
    r"|expiry|expiration)\s+date|last[\s-]+time[\s-]+buy\s+date|fin\s+d[eu]\s+(?:support|vie|commercialisation|garantie|production|fabrication|validite)(?:\s+technique)?|end\s+of\s+(?:support|sales?|life|validity"
    r"|new\s+sales|repair\s+service|service|spare\s+parts(?:\s+supply)?|maintenance)|last[\s-]+time[\s-]+buy"
    r"|derniere\s+date\s+de\s+commande(?:\s+[^\s.;:|]+){0,4}?|date\s+de\s+(?:retrait|fin)(?:\s+effecti(?:f|ve))?"
    r"|date\s+(?:de|of)\s+(?:cessation|withdrawal)(?:\s+[^\s.;:|]+){0,8}?"
    r"|clotures?\s+d(?:es|u)\s+(?:candidatures|inscriptions|depots?|offres|dossiers|soumissions)(?:\s+des\s+(?:dossiers|offres|candidatures))?"
    r"|last\s+(?:order|shipment|delivery|ship|buy)\s+date|final\s+orders?|last\s+orders?"
    r"|date\s+de\s+derniere\s+(?:commande|livraison)|derniere\s+livraison)\s*(?::|-|\u2013|\u2014|is|est|,\s*le)"
    r"|(?:take|takes|took|taking)\s+effect\s+(?:on|from|as\s+of)"
    r"|prend(?:ra)?\s+effet\s+(?:le|au|a\s+(?:partir|compter)\s+(?:du|de|d'))"
    r"|(?:ont|a|avez|avons|auront|avaient|avait|aviez|aurez|aurons|aura)\s+jusqu'(?:au|a\s+fin|a)|(?:have|has|had)\s+until"
    r"|(?:valid|valable|valables|valide|valides)\s+(?:until|till|through|jusqu'(?:au|a|en))"
    r"|(?:candidatures|applications|guichet|dossiers|orders|commandes|appels?\s+a\s+projets)\b[^.;:\n]{0,40}?"
    r"\b(?:ouvert\w*|open|accepted|acceptee?s|recevables?|possibles?)\s+(?:until|jusqu'(?:au|a|en))"
    r"|devien\w*\s+cadu(?:c|qu)\w*\s+(?:le|au|a\s+compter\s+du)|becomes?\s+void\s+(?:on|from)|changes\s+on"
    r"|(?:becomes?|became)\s+(?:law|legally\s+binding|binding)(?:\s+[^\s.;:]+){0,8}?\s+(?:on|from|as\s+of)"
    r"|(?:goes|go|went|going)\s+live\s+(?:on|from)|(?:kicks?|kicked|kicking)\s+in\s+(?:on|from)"
    r"|(?:lapses?|lapsed)\s+(?:on|at\s+the\s+end\s+of)|(?:grandfathered|given|granted|allowed)\s+until"
    r"|(?:expire|expires|expired|expiring|ends?|ending)\s+at\s+the\s+end\s+of"
    r"|due\s+date\s*(?:on|:|is|of)?|(?:attendus|attendues|exigee?s?|requise?s?)\s+pour\s+le"
    r"|enforceable\s+(?:on|from|as\s+of)|(?:shut\s+down|switched\s+off|turned\s+off|retired|decommissioned"
    r"|discontinued)\s+(?:on|from|as\s+of|after)"
    r"|(?:sunset|compliance|cut-off|cutoff|expiry|expiration|last[\s-]+time[\s-]+buy|last[\s-]+order)\s+date(?:\s+[^\s.;:]+){1,12}?\s+(?:is|est|will\s+be|sera)"
    r"|effective\s+(?:from|on|as\s+of)|as\s+of|as\s+from|starting\s+(?:from|on)|from|by|until\s+no\s+later\s+than"
    r"|effective|(?:withdrawn|withdrawal)\s+(?:on|from|as\s+of)|(?:end|ends|ended|ending|expire|expires|expired|expiring)\s+(?:on|from|le)"
    r"|ending|expiring|clotures?\s+d(?:es|u)\s+(?:candidatures|inscriptions|depots?|offres|dossiers|soumissions)"
    r"(?:\s+des\s+(?:dossiers|offres|candidatures))?\s+(?:le|au)"
    r"|prend(?:ra)?\s+fin\s+(?:le|au|en|a\s+partir\s+du)|pris\s+fin\s+(?:le|au|en)|expirera\s+le|fixee\s+au|set\s+(?:for|at)"
    rf"|{_BARE_MORE})"
    r"(?:(?<=')|\s+)(?:the\s+|le\s+)?(?:(?:end\s+of|fin)\s+)?" + _TIME)
_YEAR_ANYWHERE = re.compile(r"(?:19|20)\d\d")
_AFTER_YEAR = 7       # "2026-11-20": -MM-DD, and the character the end's lookahead reads
_TRIGGER_REACH = 400   # characters from a trigger's start to its date's year, with room to spare
_DATES_READ = 200      # dates weighed in one text, at most, by each reading (a table of dates
                       # or a log holds thousands, each read against its sentence)
_RANGE_AFTER = re.compile(r"\s*(?:-|au|to|until|till|through|jusqu'au|et\s+le|and)\s+\d", re.I)
# days listed before the date that gives their month or year ("on 11 and 3 March 2024", "à partir
# du 1er et du 15 mars 2026"): the trigger reaches the last date; the first are read after
_LISTED_DAYS = (rf"(?P<listed>(?i:(?:(?:1er|[0-3]?\d)(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?:{_MONTH_NAMES}))?"
                r"\s*(?:,|and|or|et|ou)\s+(?:(?:du|le|the)\s+)?){1,3}))")
_DATE = re.compile(rf"(?<!\w){_TRIGGER}{_LISTED_DAYS}?(?:(?i:{FULL_DATE})|(?i:{_MONTH_YEAR}))(?![\w/-])")
# A bare "from", "by", "as of", "dès le", "à partir de" dates many things besides a rule: a
# post from May 2016, cash as of 30 September 2011, a fair from 3 March. Its date counts when
# its sentence is about a rule (an obligation, a ban, an act, a standard, a compliance step)
# or the text cites an act, a French text or a standard.
_BARE_TRIGGER = re.compile(
    r"(?:from|by|as\s+(?:of|from)|starting\s+(?:from|on)|des\s+le|a\s+(?:partir|compter)\s+(?:du|de|d')"
    r"|d'ici\s+(?:le|au|a)|effective|(?:withdrawn|withdrawal)\s+(?:on|from|as\s+of)"
    r"|(?:end|ends|ended|ending|expire|expires|expired|expiring)\s+(?:on|from|le)|prend(?:ra)?\s+fin\s+(?:le|au|en|a\s+partir\s+du)"
    r"|pris\s+fin\s+(?:le|au|en)"
    rf"|expirera\s+le|fixee\s+au|set\s+(?:for|at)|{_BARE_MORE})"
    r"(?:(?<=')|\s+)(?:the\s+|le\s+)?(?:(?:end\s+of|fin)\s+)?" + _TIME + "$", re.I)
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n")
_SENTENCE_REACH = 300    # characters read each side of a date for its sentence, at most


MONTHS = frozenset(_MONTHS)
MONTH_WORDS = frozenset(month.encode() for month in _MONTHS)


# The words triggers start with, and two that may have the next word glued on ("echeanceau").
TRIGGER_FIRSTS = frozenset(
    b"applicable applicables s obligatoire obligatoires en a des entre entrera entrent entreront entree "
    b"date d au apply applies applied mandatory compulsory enter enters entered entering come comes came "
    b"coming entry no not effective as starting from by until take takes took taking prend prendra ont avaient avait aviez "
    b"avez avons auront have has had withdrawn withdrawal end ends ended ending expire expires expired expiring expirera "
    b"fixee set on avant before after apres compliance cut cutoff sunset expiry expiration fin last derniere ahead prior depuis since jusqu start starts started begin begins began commence "
    b"aurez aurons aura valid valable valables valide valides enforceable shut switched turned retired decommissioned "
    b"discontinued final report beginning due close closes closing cloture cloturee cloturees clotures "
    b"candidatures applications guichet dossiers orders commandes appel appels goes go went going kicks kick kicked "
    b"kicking lapses lapse lapsed grandfathered given granted allowed attendus attendues exigee exigees exige exiges "
    b"requis requise requises devient deviendra deviennent becomes become became changes "
    b"commencera demarre demarrera debute debutera reporte reportee reportes reportees repousse repoussee "
    b"repousses repoussees decale decalee decales decalees differe differee differes differees postponed "
    b"extended deferred delayed pushed moved fixe fixes fixees till through termine terminera terminent termineront terminait closed "
    b"dates pris".split())
_TRIGGER_PREFIXES = (b"deadline", b"echeance", b"date butoir")


# What a trigger starting with a short, common word goes on with, as the spaced view writes
# it after spaces ("a partir", "s'applique", "as of", "no later than"): "a" alone is a third of
# the places the date pattern would be tried at in a long text, each try costing a microsecond.
# "from" and "by" alone are triggers: a date follows them, its day or year (a digit, a vertical
# tab there), its month, "the", "the end of", "fin" or a time of day.
_TIME_FIRSTS = (b"noon", b"midday", b"midi", b"midnight", b"minuit")
_WEEKDAYS = (b"lundi", b"mardi", b"mercredi", b"jeudi", b"vendredi", b"samedi", b"dimanche", b"monday", b"tuesday",
             b"wednesday", b"thursday", b"friday", b"saturday", b"sunday")
_DATE_FIRSTS = (b"\v", b"the", b"end", b"fin", *_TIME_FIRSTS, *_WEEKDAYS, *sorted(MONTH_WORDS))
_FR_DATE_FIRSTS = (b"\v", b"le", b"fin", *_TIME_FIRSTS, *_WEEKDAYS, *sorted(MONTH_WORDS))
_TRIGGER_NEXT = {b"a": (b"partir", b"compter", b"jusqu"), b"s": (b"appliqu",), b"as": (b"of", b"from"),
                 b"no": (b"later",), b"not": (b"later",), b"en": (b"application", b"vigueur"),
                 b"d": (b"ici",), b"from": _DATE_FIRSTS, b"by": _DATE_FIRSTS,
                 **dict.fromkeys((b"take", b"takes", b"took", b"taking"), (b"effect",)),
                 **dict.fromkeys((b"prend", b"prendra"), (b"effet", b"fin")), b"pris": (b"fin",),
                 **dict.fromkeys((b"ont", b"avez", b"avons", b"auront", b"avaient", b"avait", b"aviez", b"aurez", b"aurons",
                                  b"aura"), (b"jusqu",)),
                 **dict.fromkeys((b"valid", b"valable", b"valables", b"valide", b"valides"), (b"until", b"till", b"through",
                                                                                        b"jusqu")),
                 b"enforceable": (b"on", b"from", b"as"),
                 **dict.fromkeys((b"goes", b"go", b"went", b"going"), (b"live",)),
                 **dict.fromkeys((b"devient", b"deviendra", b"deviennent"), (b"cadu",)),
                 **dict.fromkeys((b"becomes", b"become"), (b"void", b"law", b"legally", b"binding")),
                 b"became": (b"law", b"legally", b"binding"), b"changes": (b"on",),
                 **dict.fromkeys((b"kicks", b"kick", b"kicked", b"kicking"), (b"in",)),
                 **dict.fromkeys((b"lapses", b"lapse", b"lapsed"), (b"on", b"at", b"in")),
                 **dict.fromkeys((b"grandfathered", b"given", b"granted", b"allowed"), (b"until",)),
                 **dict.fromkeys((b"attendus", b"attendues", b"exigee", b"exigees", b"exige",
                                  b"exiges", b"requis", b"requise", b"requises"), (b"pour",)),
                 b"shut": (b"down",), b"switched": (b"off",), b"turned": (b"off",),
                 **dict.fromkeys((b"retired", b"decommissioned", b"discontinued"), (b"on", b"from", b"as", b"after")),
                 b"final": (b"order",), b"due": (b"on", b"by", b"date", b"le", *_DATE_FIRSTS), b"close": (b"on",), b"closes": (b"on",), b"closed": (b"on",),
                 **dict.fromkeys((b"have", b"has", b"had"), (b"until",)),
                 **dict.fromkeys((b"withdrawn", b"withdrawal"), (b"on", b"from", b"as")),
                 **dict.fromkeys((b"end", b"ends", b"ended", b"expire", b"expires", b"expired"), (b"on", b"from", b"le", b"of", b"at", b"in")),
                 **dict.fromkeys((b"ending", b"expiring"), (b"on", b"from", b"at", *_DATE_FIRSTS)), b"des": (b"le", *_FR_DATE_FIRSTS),
                 b"expirera": (b"le",), b"set": (b"for", b"at"),
                 **dict.fromkeys((b"fixe", b"fixee", b"fixes", b"fixees"), (b"au",)),
                 **dict.fromkeys((b"before", b"since", b"till", b"through"), _DATE_FIRSTS), b"until": (*_DATE_FIRSTS, b"no"),
                 **dict.fromkeys((b"termine", b"terminera", b"terminent", b"termineront", b"terminait"), (b"le", b"au", b"en", b"fin")),
                 b"avant": _FR_DATE_FIRSTS, b"depuis": (b"le",), b"jusqu": (b"au", b"a", b"en"),
                 b"ahead": (b"of",), b"prior": (b"to",), b"on": (b"or",),
                 **dict.fromkeys((b"start", b"starts", b"started", b"begin", b"begins", b"began"), (b"on",)),
                 **dict.fromkeys((b"commence", b"commencera", b"demarre", b"demarrera", b"debute", b"debutera"),
                                 (b"le", b"au")),
                 b"after": _DATE_FIRSTS, b"apres": (b"le",), b"fin": (b"de", b"du"),
                 b"last": (b"time", b"order", b"shipment", b"delivery", b"ship", b"buy"),
                 **dict.fromkeys((b"compliance", b"sunset", b"expiry", b"expiration"), (b"date",)),
                 b"cut": (b"date", b"off")}     # "cutoff" goes on with any word ("the cutoff for … is")


def _trigger_starts(t: Text, pos: int, endpos: int) -> Iterator[int]:
    """Where a date's trigger can start between ``pos`` and ``endpos``: at a word a trigger
    starts with, followed by what the trigger goes on with."""
    yield pos                   # the text's first word has no space before it
    after, spaced = max(pos - 1, 0), t.spaced
    for first in TRIGGER_FIRSTS & t.words:
        nexts = _TRIGGER_NEXT.get(first)
        for i in occurrences(spaced, b" " + first + b" ", after, endpos + len(first) + 1):
            if nexts is None or _next_word_starts(spaced, i + len(first) + 1, nexts):
                yield i + 1
    for prefix in _TRIGGER_PREFIXES:
        yield from (i + 1 for i in occurrences(spaced, b" " + prefix, after, endpos + len(prefix)))


def _next_word_starts(spaced: bytes, at: int, starts: tuple[bytes, ...]) -> bool:
    """Whether the first word after the spaces at ``at`` starts with one of ``starts`` (the
    trigger's \\s+ is spaces there; a digit, a vertical tab, ends it)."""
    while spaced[at:at + 1] == b" ":
        at += 1
    return spaced.startswith(starts, at)


def _year_span(t: Text) -> tuple[int, int] | None:
    """The first year's start and the last year's end as ``_YEAR_ANYWHERE.finditer`` finds
    them; in plain text years are searched for in runs of four digits or more only."""
    if not t.plain:
        years = list(_YEAR_ANYWHERE.finditer(t.folded))
        return (years[0].start(), years[-1].end()) if years else None
    first = t.shape.find(b"0000")
    if first < 0 or (m := _YEAR_ANYWHERE.search(t.folded, first)) is None:
        return None
    last = t.shape.rfind(b"0000")
    while True:                 # the last run with a year; matches in a run do not depend on
        run = last              # the runs before it (a year is within one run)
        while run and t.shape[run - 1] == 48:
            run -= 1
        end = last + 4
        while end < len(t.shape) and t.shape[end] == 48:
            end += 1
        if years := list(_YEAR_ANYWHERE.finditer(t.folded, run, end)):
            return m.start(), years[-1].end()
        last = t.shape.rfind(b"0000", 0, run)


def _may_date(t: Text) -> bool:
    """Whether the text can hold a date: every date names its month or is all digits
    (0/0/0000, 0/00/0000, 0.00.0000, 0000-00-00)."""
    return not t.plain or t.has_digit and (not t.words.isdisjoint(MONTH_WORDS) or b"0/0/0000" in t.shape
                                           or b"0/00/0000" in t.shape or b"0000-00-00" in t.shape
                                           or b"0.0.0000" in t.shape or b"0.00.0000" in t.shape)


def dates(t: Text, cites_rules: bool = False) -> list[tuple[str, str]]:
    """Application dates and deadlines; ``cites_rules``: the text cites an act, a French text
    or a standard, so a date after a bare "from" or "by" anywhere in it counts. The dates the
    rules leave go to the second reader (``reference_date_model``)."""
    found, left = rule_dates(t, cites_rules)
    model = load_model() if left else None
    if model is not None:
        found += [(a, b, key) for a, b, key, f in left_dates(t, left, found, cites_rules)
                  if model.probability(f) >= THRESHOLD]
    lowered = t.lowered
    found = [f for f in found if not _CLOSING_DATE.search(lowered, max(0, f[0] - 24), f[0])]
    return _found(found + _shared_parts(t, found), t.original)


# the date accounts, a survey or a count are closed at is no deadline ("les comptes arrêtés au 31
# décembre 2024", "l'enquête arrêtée au", "exercice clos le", "for the year ended 31 December")
_CLOSING_DATE = re.compile(r"(?:(?<![\w'])arretee?s?\s+au|(?:exercice|comptes|periode|semestre|trimestre)s?(?:\s+\w+)?"
                           r"\s+(?:clos|cloture)e?s?\s+(?:le|au)|(?:year|period|quarter|half|months)\s+ended)\s+$")


# a date whose month or year the next date of its list gives: "from 30 June or 31 December 2025",
# "à compter du 1er et du 15 mars 2026" (not a range's start: "du 10 au 13 mars")
_SHARED_PART = re.compile(rf"(?<![\w/.-])(?P<part>(?P<day>1er|[0-3]?\d)(?:st|nd|rd|th)?(?:\s+(?:of\s+)?(?P<mon>{_MONTH_NAMES}))?)"
                          r"\s*(?:,|and|or|et|ou)\s+(?:(?:du|le|the)\s+)?$")


_DATE_PREPOSITION = re.compile(r"(?<![\w'])(?:on|from|by|until|before|after|du|le|au|des|avant|apres|jusqu'au)\s+$")


def _shared_parts(t: Text, found: list[tuple[int, int, str | None]]) -> list[tuple[int, int, str]]:
    lowered, out = t.lowered, []
    for a, _, key in found:
        if key and len(key) == 10 and (m := _SHARED_PART.search(lowered, max(0, a - 30), a)) is not None:
            if not m.group("mon") and not _DATE_PREPOSITION.search(lowered, max(0, m.start() - 12), m.start()):
                continue        # a day alone is one after a date's preposition ("on 11 and 3 March"), not "Article 12 and"
            month = _MONTHS[m.group("mon")] if m.group("mon") else int(key[5:7])
            day = 1 if m.group("day") == "1er" else int(m.group("day"))
            try:
                out.append((*m.span("part"), date(int(key[:4]), month, day).isoformat()))
            except ValueError:
                pass            # 31 June is no date
    return out


def rule_dates(t: Text, cites_rules: bool) -> tuple[list[tuple[int, int, str | None]], list[re.Match]]:
    """(start, end, key) of each date the rules take, and the dates they leave."""
    folded = t.folded
    if not _may_date(t):
        return [], []
    years = _year_span(t)       # every date pattern has one, the trigger before it, the
    if not years:               # day and month at most _AFTER_YEAR characters after it
        return [], []
    start, end = max(0, years[0] - _TRIGGER_REACH), years[1] + _AFTER_YEAR
    found = []                  # (start, end, key) of each date
    for n, m in enumerate(scan(_DATE, t, lambda: _trigger_starts(t, start, end), start, end)):
        if n == _DATES_READ:
            return found, []            # a table or a log: its first dates only
        if _RANGE_AFTER.match(folded, m.end()):
            continue            # "from 10 to 13 March", "du 3 au 5": an event's dates
        date_at = _date_start(m)
        if NOT_THE_DATE.search(t.lowered, max(0, m.start() - 40), date_at) or _COMMENTS_AFTER.match(t.lowered, m.end()):
            continue            # "was not withdrawn on 1 March 2026 as planned", "originally due to apply from",
                                # "have until 30 June 2026 to submit comments" (a consultation's)
        if _BARE_TRIGGER.match(folded, m.start(), m.start("listed") if m.group("listed") else date_at) and (
                "\n" in folded[m.start():date_at]      # a headline's last word ("… ans après\nLe 21 septembre 2001")
                or (not cites_rules or UNTIL.match(t.lowered, m.start())) and not _about_a_rule(t, m.start(), m.end())
                or _an_event_date(t, m.start(), m.end())):
            continue
        found.append((date_at, m.end(), _date_key(m)))
    left: list[re.Match] = []
    found += _dates_in_rules(t, years, found, left)
    return found, left


def left_dates(t: Text, left: list[re.Match], found: list[tuple[int, int, str | None]],
               cites_rules: bool) -> list[tuple[int, int, str, dict[str, float]]]:
    """The dates the rules left (``rule_dates``) that the second reader weighs, with their
    features (``reference_date_model``): not one whose key the rules took, not one end of a
    range, not one the rules read as moved since, a launch's, an event's or a text's ("du",
    "dated", "Journal officiel" right before it)."""
    folded, lowered = t.folded, t.lowered
    taken = {key for _, _, key in found}
    ends = sorted([b for _, b, _ in found] + [m.end() for m in left])
    out = []
    for m in left[:_LEFT_READ]:
        if lowered.endswith(_TEXT_DATE_BEFORE, 0, m.start()) \
                and not lowered.endswith(_NOT_TEXT_DATE_BEFORE, 0, m.start()) \
                or lowered.endswith("(", 0, m.start()) and lowered.startswith(")", m.end()) \
                and folded[m.start():m.start() + 4].isdigit():
            continue            # "décret n° 2024-1234 du 12 mars 2024", most dates left: a text's;
                                # "Debian 5.10.158-2 (2022-12-13)": a version's
        key = _date_key(m)
        if key is None or key in taken or _RANGE_AFTER.match(folded, m.end()) \
                or _range_end(lowered, ends, m.start()):
            continue
        taken.add(key)
        lo = max(0, m.start() - _EVENT_REACH)
        clause = max(max(lowered.rfind(c, lo, m.start()) for c in _CLAUSE_MARKS) + 1, lo)
        line = lowered.rfind("\n", 0, m.start()) + 1
        if NOT_THE_DATE.search(lowered, lo, m.start()) or LAUNCH.search(lowered, lo, m.start()) \
                or NOT_APPLICATION_BEFORE.search(lowered, clause, m.start()) \
                or lowered.find("|", line, m.start()) >= 0 and _past_column(lowered, line, m.start()):
            continue
        event = EVENT_BEFORE.search(lowered, clause, m.start())
        if event and not _DEADLINE_AFTER_EVENT.search(lowered, event.end(), m.start()):
            continue
        f = features(lowered, m.start(), m.end(), len(key) == 7, cites_rules)
        if event:
            f["event_before"] = 1.0
        out.append((m.start(), m.end(), key, f))
    return out


# an event word before a date, then a deadline's word: the date is the deadline's ("confirm
# compliance in the portal by 15 March 2026", "reste ouvert jusqu'au 30 juin 2026")
_DEADLINE_AFTER_EVENT = re.compile(r"\b(?:by|due|until|till|jusqu|avant|before|no\s+later|au\s+plus\s+tard|d'ici)\b")
_LEFT_READ = 40        # dates the second reader weighs in one text, at most
_TEXT_DATE_BEFORE = (" du ", " of ", " dated ", "\ndu ")
_NOT_TEXT_DATE_BEFORE = ("partir du ", "compter du ", "end of ")   # a start, a month's end
_RANGE_BETWEEN = re.compile(r",?\s*(?:-|\u2013|au|to|until|till|through|jusqu'au|et|and)\s*")


def _range_end(lowered: str, ends: list[int], start: int) -> bool:
    """Whether the date at ``start`` closes a range another date opens ("from 2020-03-01 to
    2022-12-31"): a date ends right before it, a range's word between."""
    k = bisect.bisect_right(ends, start) - 1
    return k >= 0 and _RANGE_BETWEEN.fullmatch(lowered, ends[k], start) is not None


def _found(found: list[tuple[int, int, str | None]], original: str) -> list[tuple[str, str]]:
    """(key, text as written) of each date found, in the text's order."""
    return [(key, original[a:b]) for a, b, key in sorted(found) if key]


def _date_start(m: re.Match) -> int:
    g = m.groupdict()
    return m.start("mon3") if g.get("year3") else next(m.start(n) for n in ("day", "mon2", "nd", "pd", "iy") if g.get(n))


def _date_key(m: re.Match) -> str | None:
    g = m.groupdict()
    if g.get("year3"):
        month = _month(g["mon3"])
        return f"{g['year3']}-{month:02d}" if month else None
    return ymd(g)


# A date no trigger introduces is an application date or a deadline when its clause states an
# obligation ("ce qui change au 18 février 2027", "support ends on 31 March 2027", "la période de
# transition s'achèvera le 30 avril 2029") and it is not the date of a publication, an adoption,
# a signature, a text ("décret du 12 mars 2024", "Regulation of 13 June 2024"), an event or one
# end of a range.
_ANY_DATE = re.compile(rf"(?<![\w/-])(?:(?i:{FULL_DATE})|(?i:{_MONTH_YEAR}))(?![\w/-])")
_BEFORE_YEAR = 24       # characters from a date's start to its year's, at most ("1st of September 2026")
_EVENT_REACH = 45       # characters before a date in which an event word dates it
_OBLIGATION_REACH = 75
# a sentence opening on a date: at most two short words before it ("starting", "since", "en",
# "au", "à compter du"), the main clause read up to the sentence's end, this far at most
_LEADING = re.compile(r"\s*(?:(?:[-*\u2022\u2013]|\d{1,2}[.)])\s*)?(?:[a-z']+\s+){0,3}")   # a list's bullet too
_MAIN_CLAUSE_REACH = 160
_CLAUSE_MARKS = ",;:()[].\n\u2014"


def _dates_in_rules(t: Text, years: tuple[int, int], found: list[tuple[int, int, str | None]],
                    left: list[re.Match] | None = None) -> list:
    """The dates no trigger introduced whose clause states an obligation (see _ANY_DATE); the
    others go on ``left`` when given."""
    folded, out = t.folded, []
    dated = {b for _, b, _ in found}    # where the dates found end: a date found again ends there too
    for year in itertools.islice(_YEAR_ANYWHERE.finditer(folded, years[0], years[1]), _DATES_READ):
        for m in _ANY_DATE.finditer(folded, max(0, year.start() - _BEFORE_YEAR), year.end() + _AFTER_YEAR):
            if not m.start() <= year.start() < m.end() or m.end() in dated:
                continue
            dated.add(m.end())
            if _in_a_rule(t, m, found + out):
                out.append((m.start(), m.end(), _date_key(m)))
            elif left is not None:
                left.append(m)
    return out


def _in_a_rule(t: Text, m: re.Match, found: list[tuple[int, int, str | None]]) -> bool:
    """Whether the date ``m`` no trigger introduced is an application date or a deadline
    (``_dates_in_rules``; ``found``: the dates taken before it)."""
    folded, lowered = t.folded, t.lowered
    lo = max(0, m.start() - 80)
    clause = max(max(lowered.rfind(c, lo, m.start()) for c in _CLAUSE_MARKS) + 1, lo)
    if _RANGE_AFTER.match(folded, m.end()) \
            or NOT_THE_DATE.search(lowered, max(clause, m.start() - 40), m.start()):
        return False
    if DEADLINE_AFTER.match(lowered, m.end()) or TAKEN_UP.match(lowered, m.end()) \
            or _item_value(lowered, m.start(), m.end()):
        # "28 juin 2025 : date d'application", "2 August 2026. From then on, … apply",
        # "1. Split air-conditioning systems up to 12 kW: 1 January 2027."
        return True
    if _listed_after(lowered, found, m.start()) \
            and not EVENT_BEFORE.search(lowered, max(clause, m.start() - _EVENT_REACH), m.start()):
        return True
    if UNTIL_BEFORE.search(lowered, max(0, m.start() - 12), m.start()) \
            and not _about_a_rule(t, m.start(), m.end(), until=True):
        return False    # "he didn't lead the vote to repeal the rules until December 2017"
    if NOT_APPLICATION_BEFORE.search(lowered, clause, m.start()) \
            or EVENT_BEFORE.search(lowered, max(clause, m.start() - _EVENT_REACH), m.start()) \
            or _event_after(lowered, clause, m.start(), m.end()):
        return False
    ends = [i for i in (lowered.find(c, m.end(), m.end() + _OBLIGATION_REACH) for c in _CLAUSE_MARKS) if i >= 0]
    end = min(ends, default=min(len(lowered), m.end() + _OBLIGATION_REACH))
    if _LEADING.fullmatch(lowered, clause, m.start()) and lowered.startswith((",", ":"), end) \
            and lowered[clause - 1:clause] in ("", ".", "\n") and not lowered[m.end():end].strip():
        # the sentence opens on the date ("Starting January 1, 2027, new forklifts
        # must…", "En juillet 2026, l'exigence … deviendra obligatoire"): it dates the
        # main clause, where the obligation is stated
        after = _SENTENCE_END.search(lowered, end, end + _MAIN_CLAUSE_REACH)
        end = after.start() if after else min(len(lowered), end + _MAIN_CLAUSE_REACH)
    # the obligation's clause reads through a parenthesis ("conformes au règlement (UE)
    # 2023/1230 au 20 janvier 2027", "Transition period (ending 31 October 2026)")
    lo = max(0, m.start() - _OBLIGATION_REACH)
    own = max(max(lowered.rfind(c, lo, m.start()) for c in _OBLIGATION_MARKS) + 1, lo)
    return OBLIGATION.search(lowered, own, end) is not None


_OBLIGATION_MARKS = ",;:.\n\u2014"
_LIST_REACH = 100


def _listed_after(lowered: str, found: list[tuple[int, int, str | None]], start: int) -> bool:
    """Whether a date goes on a list a date found after its trigger opened, in the same
    sentence ("entrera en vigueur le 1er octobre 2026 pour les installations nouvelles et le
    1er janvier 2028 pour les existantes", "ended on 24 February 2023, and those for T5 tubes
    on 24 August 2023")."""
    before = max((b for _, b, _ in found if b <= start), default=None)
    return before is not None and start - before <= _LIST_REACH and not _SENTENCE_END.search(lowered, before, start) \
        and (LIST_WORD.search(lowered, before, start) is not None or lowered[before:start].strip() == ",")




_COMMENTS_AFTER = re.compile(r"[^.;:]{0,30}?\b(?:comments?|commentaires?|observations|contributions?|feedback)\b")
_THAT = re.compile(r"\b(?:that|que|qu')")


def _an_event_date(t: Text, start: int, end: int) -> bool:
    """Whether a date after a bare trigger (``start:end``) is rather what happened or happens
    that day: an event's verb in its clause right before the trigger ("ouverte jusqu'au",
    "announced on"), an event after the date (``_event_after``), or a product's market date
    ("mises sur le marché avant le")."""
    lowered = t.lowered
    starts = STARTS.match(lowered, start) is not None
    lo = max(0, start - (80 if starts else 40))     # "the comment period on the proposed rule closes on"
    clause = max(max(lowered.rfind(c, lo, start) for c in _CLAUSE_MARKS) + 1, lo)
    # what starts that day, what someone aims at, a date since replaced
    before = EVENT_BEFORE if starts else EVENT_VERB_BEFORE
    # "orders issued on or after 1 July 2026": the verb is the rule's subject's, not the date's
    event = before.search(lowered, clause, start)
    # "announced that from 1 March 2026 all parts must…": what was announced has its own date
    event = event is not None and not _THAT.search(lowered, event.end(), start)
    return bool(not lowered.startswith("on or after", start) and event
                or LAUNCH.search(lowered, max(0, start - 40), start) or GOAL.search(lowered, max(0, start - 80), start)
                or SUPERSEDED.search(lowered, max(0, start - 25), start)
                or MARKET_BEFORE.search(lowered, max(0, start - 12), end)
                or _event_after(lowered, clause, start, end))




def _event_after(lowered: str, clause: int, start: int, end: int) -> bool:
    """An event word after a date (``start:end``, its clause starting at ``clause``) in its
    own clause ("the committee meets on 9 March 2026 to…"); when the sentence opens on the
    date, in the main clause after the comma ("Starting on 9 March 2026, the committee will
    meet"), not in an attribution ("…, a annoncé l'éditeur", "…, CEN said")."""
    opening = not lowered[clause:start].strip() or _LEADING.fullmatch(lowered, clause, start)
    if opening and (clause == 0 or lowered[clause - 1] in ".\n") and lowered.startswith(",", end):
        return bool(EVENT_AFTER.match(lowered, end, end + 60))
    # within a clause, an event comes right after its date ("le 12 mars 2026 a été publié");
    # further on it is another date's ("fixée au 30 septembre par l'arrêté signé le 4 juin")
    reach = end + 60
    ends = [i for i in (lowered.find(c, end, reach) for c in _CLAUSE_MARKS) if i >= 0]
    return bool(EVENT_NEAR_AFTER.match(lowered, end, min(ends, default=reach)))


def _about_a_rule(t: Text, start: int, end: int, reach: int = _SENTENCE_REACH, until: bool = False) -> bool:
    """Whether the sentence around ``start:end`` (``reach`` characters each side at most: a
    text without full stops is not one sentence to read again at each date) speaks of a rule;
    for an "until" or "jusqu'au", also of what goes on until then (a transition, a validity, a
    support: "certificates may still be issued until", "reste fixée à 0,5 ppm jusqu'au"), and
    no negation reads it as "only then" ("wasn't elevated to chairman until January 2017")."""
    lo = max(0, start - reach)
    before = max(t.folded.rfind(mark, lo, start) for mark in (". ", "! ", "? ", "; ", "\n"))
    after = _SENTENCE_END.search(t.folded, end, end + reach)
    sentence = (max(before + 1, lo), after.start() if after else min(len(t.folded), end + reach))
    lowered = t.lowered
    # a list's item is read with the line that leads the list ("Suppliers must:\n• implement
    # … on or after 1 July 2026;")
    cue = RULE_CUE.search(lowered, *sentence) is not None or _lead_in_cue(lowered, sentence[0])
    if until or UNTIL.match(lowered, start):
        have = HAVE_BEFORE.search(lowered, max(sentence[0], start - 50), start) is not None
        return (cue or have) and (have or GOES_ON.search(lowered, *sentence) is not None) \
            and NEGATION.search(lowered, sentence[0], start) is None
    return cue


def _item_value(lowered: str, start: int, end: int) -> bool:
    """Whether the date at ``start`` is the value a list's item or a table's row gives its
    label ("• Bilan carbone scope 3 : 2026-09-30", "Déclaration CMRT | 31/05/2026"), or the
    label of an item stating what is due then ("- 31 January 2027 – submit the returns"), in a list
    or table led by a line that speaks of a rule or a deadline ("Exigence | Échéance",
    "The following prohibitions apply:")."""
    line = lowered.rfind("\n", max(0, start - _SENTENCE_REACH), start) + 1
    label = lowered[line:start]
    bullet = BULLET.match(lowered, line)
    first = bullet is not None and bullet.end() == start     # "- 31 January 2027 – submit the returns"
    if not (ITEM_LABEL.search(label) or first) or not (bullet or "|" in label) \
            or EVENT_VERB_BEFORE.search(label) or first and _event_item(lowered, end) \
            or "|" in label and _past_column(lowered, line, start):
        return False    # "Grant agreements signed | October 2026", "- 15 March – industry dinner"
    return _lead_in_cue(lowered, line, table="|" in label) or first and _obligation_item(lowered, end)


def _past_column(lowered: str, line: int, start: int) -> bool:
    """Whether the table cell at ``start`` (its row starting at ``line``) is in a column whose
    header tells a past date ("| Equipment | Last inspection | Next inspection due |")."""
    top = line
    for _ in range(_LIST_ITEMS_READ):       # rows read back to the header, at most
        if top == 0:
            break
        above = lowered.rfind("\n", 0, top - 1) + 1
        if lowered.find("|", above, top - 1) < 0:
            break
        top = above
    if top == line:
        return False
    header = lowered[top:lowered.find("\n", top)].split("|")
    column = lowered.count("|", line, start)
    return column < len(header) and PAST_COLUMN.search(header[column]) is not None


_ITEM_SEPARATOR = re.compile(r"\s*[:\u2013\u2014-]\s*")


def _item_rest(lowered: str, end: int) -> tuple[int, int] | None:
    """Where the words of the item a date opens (ending at ``end``) start and end, after its
    separator ("- 29 juin 2023 : publication au JOUE"); None when no separator follows."""
    sep = _ITEM_SEPARATOR.match(lowered, end)
    line_end = lowered.find("\n", end)
    return (sep.end(), len(lowered) if line_end < 0 else line_end) if sep else None


def _event_item(lowered: str, end: int) -> bool:
    """Whether the item a date opens names an event ("- 29 juin 2023 : publication au JOUE")."""
    rest = _item_rest(lowered, end)
    return rest is not None and EVENT_AFTER.match(lowered, *rest) is not None


def _obligation_item(lowered: str, end: int) -> bool:
    """Whether the item a date opens states an obligation's step ("- 1er octobre 2023 : début
    de la période transitoire")."""
    rest = _item_rest(lowered, end)
    return rest is not None and OBLIGATION.search(lowered, *rest) is not None


def _lead_in_cue(lowered: str, line_start: int, table: bool = False) -> bool:
    """Whether the text starting at ``line_start`` is a list's item (a bullet, a dash, a
    number opening its line; with ``table``, a row of cells) whose lead-in line, the last one
    before the list (or its header row), speaks of a rule or a deadline."""
    def row(at: int) -> bool:
        if not table:
            return BULLET.match(lowered, at) is not None
        end = lowered.find("\n", at)
        return lowered.find("|", at, len(lowered) if end < 0 else end) >= 0

    if not (line_start == 0 or lowered[line_start - 1] == "\n") or not row(line_start):
        return False
    end = line_start - 1
    for k in range(_LIST_ITEMS_READ):
        start = lowered.rfind("\n", max(0, end - _SENTENCE_REACH), end) + 1
        if table and row(start) and RULE_CUE.search(lowered, start, end) is not None:
            return True         # the header row ("Exigence | Échéance")
        if not row(start):      # the line before the list; a table has a header row
            return not (table and k == 0) and RULE_CUE.search(lowered, start, end) is not None
        if start == 0:
            return False
        end = start - 1
    return False


_LIST_ITEMS_READ = 30    # a list's items read back to its lead-in line, at most


