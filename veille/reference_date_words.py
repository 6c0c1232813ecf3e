"""What a date's sentence says: the words that tell an application date or a deadline from
an event's date (``reference_dates`` reads them).

Every pattern reads the folded, lowered text (accents off: "echeance", "a partir").
"""
from __future__ import annotations

import re

# A sentence about a rule: where a bare "from", "by", "avant le", "depuis le" dates a rule's step
RULE_CUE = re.compile(
    r"\b(?:appli\w*|apply|applies|applied|mandator\w*|compulsor\w*|requir\w*|must|shall|need|needs"
    r"|oblig\w*|ban|bans|banned|prohib\w*|interdi\w*|phas(?:e|es|ed|ing)|deadlines?|due|compl(?:y|ies|iance|iant)"
    r"|conform\w*|force|effect|vigueur|transitions?|transitional|transpos\w*|regulat\w*|reglement\w*"
    r"|directives?|laws?|lois?|acts?|decrets?|decrees?|arretes?|ordonnances?|rules?|normes?|standards?"
    r"|legislat\w*|repeal\w*|abrog\w*|replac\w*|remplac\w*|withdraw\w*|expir\w*|label\w*|etiquet\w*"
    r"|marking|marquage|certif\w*|declar\w*|doit|doivent|devra|devront|exig\w*|echeances?|limites?"
    r"|no\s+longer|plus\s+(?:possible|autorise\w*)|ne\s+(?:sera|seront)\s+plus|plus\s+aucun\w*"
    r"|at\s+the\s+latest|au\s+plus\s+tard|support\w*|prise?s?\s+en\s+charge|end-of-\w+|soumis\w*|subject\s+to|delai\w*"
    r"|end\s+of\s+(?:sale|life|support)|fin\s+de\s+(?:vie|commercialisation)|arret\s+de\s+(?:la\s+)?commercialisation"
    r"|discontinu\w*|obsole\w*"
    r"|ne\s+[a-z]+\s+plus|n'[a-z]+\s+plus|cess\w*|ceas\w*|reject\w*|impos\w*|devai\w*|devr\w*|cannot|tenu\w*\s+de"
    r"|(?:est|sont|sera|seront)\s+a\s+[a-z]+(?:er|ir|re)|transitoire\w*|derogat\w*|exempt\w*|supersed\w*"
    r"|stop|stops|stopped|arret\s+(?:de\s+la|du|des|de)\s+(?!travail)"
    r"|homolog\w*|accredit\w*|agrement\w*|autorisations?|authoris\w*|authoriz\w*|licen[cs]\w*|permits?"
    r"|ecoul\w*|sell-through|sell-off|existing\s+(?:stock|inventory)|stocks?\s+existants?|toleranc\w*|conditionn\w*"
    r"|(?:will|shall|would)\s+have\s+to|(?:have|has|had)\s+to\s+be|(?:is|are|was|were)\s+to\s+be\s+[a-z]+ed|grace"
    r"|moratoi\w*|coexist\w*)\b")
# right before the date: a text's or an issue's date, one end of a range, a product's market date
NOT_APPLICATION_BEFORE = re.compile(
    r"(?:\b(?:(?<!partir\s)(?<!compter\s)du|(?<!end\s)of|dated|jo|joue|officiel|official|journal|between|entre|(?:marche|market)\s+(?:avant|before))"
    r"|(?<![\w/.-])(?:[0-3]?\d|1er|(?:19|20)\d\d)\s*(?:-|au|to|and|et|&)"
    r"|\b(?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february"
    r"|march|april|may|june|july|august|september|october|november|december)\s+(?:-|a|au|to))\s+(?:(?:le|on|the|en|in|du|de)\s+)?$")
# in the date's clause: what happened that day (a publication, an adoption, an event). A verb
# written as an adjective ("the updated code", "l'édition révisée"), after an auxiliary ("must
# have completed", "devra avoir mis à jour") or a noun after "de"/"of" ("les déclarations
# d'accidents") tells no event.
NOT_EVENT_BEFORE = (r"(?<!\bthe\s)(?<!\ban\s)(?<!\bits\s)(?<!'s\s)(?<!\bla\s)(?<!\ble\s)(?<!\bles\s)"
                    r"(?<!l')(?<!\bavoir\s)(?<!\betre\s)(?<!\bbe\s)(?<!\bbeen\s)(?<!\bhave\s)")
EVENT_VERBS = (r"publie|publiee?s?|published|paru\w*|adopt\w*|signe\w*|signed|announc\w*|annonc\w*|issued"
               r"|presente\w*|presented|held|tenu\w*|takes?\s+place|took\s+place|a\s+lieu|aura\s+lieu|se\s+tiendra"
               r"|meets?|met|reuni\w*|confirm\w*|voted|released?|launched|lance\w*|opened|(?<!exercice\s)(?<!exercices\s)ouvert\w*"
               r"|certified|obtenu\w*|obtained|awarded|passed|ruled|imposed|said|says|sent|amended|citee?s?|cited"
               r"|mis\s+a\s+jour|updated|wrote|written|paraitr\w*|parait|paraitra|hearings?|posted|redige\w*"
               r"|indique\w*|indicated|stated")
EVENT_NOUNS = (r"(?<!d')(?<!\bde\s)(?<!\bdes\s)(?<!\bof\s)(?:meeting|reunion|salon|webinaires?|webinars?|conferences?"
               r"|consultations?|enquetes?\s+publiques?|votes?|inspections?|audits?|incidents?|accidents?|publication|launch\s+date"
               r"|release\s+date|briefings?|seminaires?|seminars?|forums?|dinners?|diners?|comments?|commentaires?"
               r"|mergers?|fusions?|acquisitions?|rachats?|deals?)")
EVENT = rf"\b(?:{NOT_EVENT_BEFORE}(?:{EVENT_VERBS})|{EVENT_NOUNS})\b"
EVENT_BEFORE = re.compile(EVENT)
EVENT_VERB_BEFORE = re.compile(rf"\b{NOT_EVENT_BEFORE}(?:{EVENT_VERBS})\b")
EVENT_AFTER = re.compile(r"[^.;:]{0,40}?" + EVENT)
EVENT_NEAR_AFTER = re.compile(r"[^.;:]{0,25}?" + EVENT)
# A date without a trigger needs more than a rule's subject nearby: its own clause, within
# ``reference_dates._OBLIGATION_REACH`` characters, states that something applies, is due, banned, required or
# ends ("obligatoire depuis le 1er juillet 2003", "will be sunset on April 11, 2016").
OBLIGATION = re.compile(
    r"\b(?:applicab\w*|s'appliqu\w*|apply|applies|applied|application|mandator\w*|compulsor\w*|obligatoir\w*"
    r"|obligations?|requir\w*|must|shall|doit|doivent|devra|devront|interdi\w*|prohib\w*|ban|bans|banned"
    r"|vigueur|into\s+force|in\s+force|takes?\s+effect|took\s+effect|prend\w*\s+effet|deadlines?|echeances?"
    r"|date\s+limite|transition\w*|transpos\w*|complian\w*|comply|conformite|end\s+of\s+(?:sale|life|support)"
    r"|end-of-(?:sale|life|support)|fin\s+de\s+(?:vie|commercialisation|support|la\s+periode)|no\s+longer"
    r"|ne\s+(?:sera|seront)\s+plus|expir\w*|withdraw\w*|retir\w*|abrog\w*|repeal\w*|sunset\w*"
    r"|ne\s+[a-z]+\s+plus|n'[a-z]+\s+plus|cess\w*|ceas\w*|reject(?:s|ed)?|impos\w*\s+a|exige|exigent|exigera\w*"
    r"|s'acheve\w*|(?:will|shall)\s+have\s+to|(?:have|has)\s+to\s+be|ce\s+qui\s+change|(?:may|can)\s+(?:still|continue)|pourr\w*\s+encore|peu\w*\s+encore"
    r"|cannot|can\s+no\s+longer|(?:may|must|shall)\s+not|ne\s+(?:peut|peuvent|pourra|pourront)\s+(?:plus|pas)"
    r"|(?:est|sont|sera|seront)\s+a\s+[a-z]+(?:er|ir|re)|tenu\w*\s+de|required\s+to"
    r"|s'arret\w*|stops?|stopped|will\s+stop|(?:mis|met|mettra|mettront)\s+fin|prend\w*\s+fin|soumis\w*\s+a)\b")
# a date named right after it ("28 juin 2025 : date d'application")
DEADLINE_AFTER = re.compile(r"\s*[,:]?\s+(?:la\s+)?(?:deadline|echeance|date\s+limite|cut-off|date\s+butoir"
                            r"|date\s+d'(?:application|entree\s+en\s+vigueur)|date\s+de\s+(?:retrait|fin))\b")
# a date the next sentence takes up ("Save the date: 2 August 2026. From then on, …")
TAKEN_UP = re.compile(r"\s*[.?!]\s+(?:from\s+then\s+on|from\s+that\s+(?:date|day)|after\s+that\s+date"
                     r"|as\s+of\s+that\s+date|a\s+(?:partir|compter)\s+de\s+cette\s+date|apres\s+cette\s+date"
                     r"|a\s+cette\s+date|des\s+cette\s+date|passe\s+ce\s+delai|passee\s+cette\s+date)\b")
# a date listed after another ("le 1er octobre 2026 … et le 1er janvier 2028")
LIST_WORD = re.compile(r"\b(?:et|and|puis|then|ou|or|contre|versus|vs)\b")
# a product's market date ("mises sur le marché avant le")
LAUNCH = re.compile(r"\b(?:disponibilite|availability|available(?!\s+(?:until|till|through))|disponibles?(?!\s+jusqu)|lancement|launch|sortie|shipping|ships)\b")
MARKET_BEFORE = re.compile(r"\b(?:marche|market|service)\s+(?:avant|before|prior)")
# a date a noun's event starts, closes, is due or set for ("the hearing began on", "the comment
# period closes on"): read with the event nouns before it
STARTS = re.compile(r"(?:starts?|started|begins?|began|beginning|commence|commencera|demarre|demarrera|debute|debutera"
                    r"|depuis|since|close|closes|closing|closed|clotur\w*|date\s+de\s+cloture|due|set\s+(?:for|at))\b")
# a goal is no rule ("the group aims to eliminate PFAS seals by June 2027", "vise la certification
# avant le"), nor a date a later one replaced ("initialement fixée au 1er janvier 2026")
GOAL = re.compile(r"\b(?:aims?|aiming|vise|visent|visons|objecti\w*|targets?|targeting|goal|ambition\w*)\b")
SUPERSEDED = re.compile(r"\b(?:initialement|initially|originally|previously|auparavant|d'abord\s+prevue?s?)\b")
# "until": what goes on until then (a transition, a validity, a support), unless negated
# ("wasn't elevated to chairman until January 2017")
UNTIL = re.compile(r"until|till|through|jusqu")
HAVE_BEFORE = re.compile(r"\b(?:(?:ont|avaient|avait|auront|disposent|dispose|have|has|had)\b[^.;:]{0,40}"
                         r"|a\s+(?:[a-z]+\s+)?)$")   # "a" ("à" folded too) only right before: "a désormais jusqu'au"
UNTIL_BEFORE = re.compile(r"\b(?:until|till|through|jusqu'(?:au|a|en))\s+(?:the\s+)?$")
GOES_ON = re.compile(r"\b(?:may|can|could|still|continu\w*|coexist\w*|d[ée]lai\w*|periods?|periode|runs?|running|courant"
                     r"|appl(?:y|ies|icable)|s'appliqu\w*|remains?|valid\w*|valables?|encore|rest\w*|support\w*"
                     r"|transition\w*|derogat\w*|d[ée]rogat\w*|exempt\w*|grace|presum\w*|presomption|pourr\w*|peuvent|possibles?"
                     r"|court|courra|courent|toleranc\w*|prolong\w*|extended|moratoi\w*|provided|maintained"
                     r"|maintenue?s?|assuree?s?|fournie?s?)\b")
BULLET = re.compile(r"[ \t]*(?:[-*\u2022\u2013\u2014]|\d{1,2}[.)]|(?:step|phase|etape|stage|tranche)\s+\d{1,2}\b)[ \t]*")
# a table column's header over dates already past ("Last inspection", "Dernière vérification")
PAST_COLUMN = re.compile(r"\b(?:last|latest|previous|dernier|derniere|precedente?|issued|emise?|erected|done|realisee?"
                         r"|effectuee?|installed|installee?|delivered|livree?|created|creee?)\b")
# a list item's label before its date ("• Bilan carbone scope 3 : ", "CMRT | ")
ITEM_LABEL = re.compile(r"(?:[:|\u2013]|\s-)\s*$")
# a date the text says is not, or no longer, the one
NOT_THE_DATE = re.compile(r"\b(?:not(?!\s+(?:have|need|be\s+required))|never|ne\s+\S+\s+pas(?!\s+a\b)"
                          r"|n'\S+\s+pas(?!\s+a\b)|originally|initially|initialement|original|previously|formerly"
                          r"|d'abord\s+prevue?s?)\b[^.;:]*$")
NEGATION = re.compile(r"n['\u2019]t\b|\b(?:not|never|ne|n')\b")
