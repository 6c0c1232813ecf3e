"""French wording of the validation messages the library raises in English (alert rules,
register, watch sheets, reviews). The library keeps one language, which the command line
and the logs share; the catalogue shows a French visitor the French sentence. A message
without a French pattern here is shown as written rather than lost."""
from __future__ import annotations

import re

# field names as the library writes them -> as a French form labels them
FIELDS = {
    "reference": "la référence", "title": "le titre", "publication date": "la date de publication",
    "next review date": "la date de prochaine revue", "application date": "la date d'application",
    "applicability": "l'applicabilité", "compliance status": "l'état de conformité",
    "technique": "la technique", "summary": "le résumé", "vendor": "les fournisseurs",
    "price range": "la fourchette de prix", "available since": "« disponible depuis »",
    "strengths": "les points forts", "weaknesses": "les points faibles", "note": "la note",
    "maturity": "la maturité",
}

_PATTERNS: list[tuple[str, str]] = [
    # alert rules
    (r"email (?P<v>'.*') is not an address such as name@example\.org",
     "l'adresse {v} n'est pas une adresse e-mail (nom@exemple.fr)"),
    (r"unknown topic (?P<v>'.*') \(known: (?P<known>.*)\)", "thème inconnu {v} (thèmes : {known})"),
    (r"unknown category (?P<v>'.*') \(known: (?P<known>.*)\)", "catégorie inconnue {v} (catégories : {known})"),
    (r"unknown source id (?P<v>'.*?') .*", "source inconnue {v}"),
    (r"minimum score (?P<v>.*) (must be|is not a number) between 0 and 1",
     "le score minimal {v} doit être un nombre entre 0 et 1"),
    (r"webhook (?P<v>'.*') must be an http or https address", "le webhook {v} doit être une adresse http ou https"),
    (r"frequency (?P<v>'.*') is not one of (?P<known>.*)", "fréquence {v} inconnue (au choix : {known})"),
    (r"query (?P<v>'.*'): (?P<why>.*?) \(full-text syntax: .*\)",
     "requête {v} illisible ({why}) ; syntaxe : mots, \"phrase exacte\", OR, NOT, préfixe*"),
    # register
    (r"(?P<f>reference|title) is required", "{f} est obligatoire"),
    (r"(?P<f>[a-z ]+ date|[a-z ]+ dates?): (?P<v>'.*') is not a date \(YYYY-MM-DD or DD/MM/YYYY\)",
     "{f} : {v} n'est pas une date (AAAA-MM-JJ ou JJ/MM/AAAA)"),
    (r"(?P<f>applicability|compliance status): (?P<v>'.*') is not one of (?P<known>.*)",
     "{f} : {v} n'est pas une valeur connue ({known})"),
    (r"owner: (?P<v>'.*') is not an email address", "responsable : {v} n'est pas une adresse e-mail"),
    (r"evidence link: (?P<v>'.*') must start with http:// or https://",
     "lien vers la preuve : {v} doit commencer par http:// ou https://"),
    (r"a compliant entry needs an evidence link \(what an auditor will ask for\)",
     "une exigence conforme demande un lien vers la preuve (ce que demandera l'auditeur)"),
    (r"a text that does not apply needs the reason why", "un texte non applicable demande la raison"),
    (r"(?P<v>.+) is already in the register \(entry (?P<n>\d+)\)", "{v} est déjà dans le registre (exigence {n})"),
    (r"this entry was changed by (?P<who>\S+) at (?P<at>.+) UTC; reload it and apply your change again",
     "{who} a modifié cette exigence le {at} UTC : rechargez-la et refaites votre modification"),
    # watch sheets
    (r"(?P<f>[a-z ]+) is (?P<n>\d+) characters long; at most (?P<limit>\d+)\.",
     "{f} fait {n} caractères ; {limit} au plus."),
    (r"A watch sheet needs a title\.", "Une fiche de veille a besoin d'un titre."),
    (r"maturity (?P<v>'.*') is not one of: .*", "maturité {v} inconnue."),
    (r"The comparison table has more than (?P<n>\d+) rows or criteria\.",
     "Le tableau comparatif a plus de {n} lignes ou critères."),
    (r"Every row of the comparison table needs the name of the solution it describes\.",
     "Chaque ligne du tableau comparatif doit nommer la solution qu'elle décrit."),
    (r"No item with id (?P<v>.*) in the watch\.", "Aucun article n° {v} dans la veille."),
    # reviews
    (r"group name (?P<v>'.*'): use letters, digits, spaces and & ' \+ \. - \(40 at most\)",
     "nom de groupe {v} : lettres, chiffres, espaces et & ' + . - (40 au plus)"),
    (r"not email addresses: (?P<v>.*)", "adresses e-mail invalides : {v}"),
    (r"a group needs at least one member", "un groupe a besoin d'au moins un membre"),
    (r"the question to the reviewers is required", "la question posée au groupe est obligatoire"),
    (r"due date (?P<v>'.*') is not a date \(YYYY-MM-DD\)", "échéance {v} : ce n'est pas une date (AAAA-MM-JJ)"),
    (r"there is no reviewer group (?P<v>'.*')", "aucun groupe de relecture {v}"),
    (r"a comment needs some text", "un commentaire demande un texte"),
    (r"(?P<v>\S+) was not asked for this review", "{v} n'a pas été sollicité pour cet avis"),
]
# what SQLite says about a full-text query, inside the query message
_REASONS = [(re.compile(r"unterminated string"), "guillemet non fermé"),
            (re.compile(r"syntax error near (.*)"), r"erreur de syntaxe près de \1"),
            (re.compile(r"near end"), "à la fin"), (re.compile(r"no such column: (.*)"), r"« \1: » n'est pas un champ")]
_COMPILED = [(re.compile(pattern + r"\Z", re.DOTALL), french) for pattern, french in _PATTERNS]


def french(message: str) -> str:
    """The French sentence for a library message; the message itself when none is known."""
    for pattern, template in _COMPILED:
        m = pattern.match(message)
        if m:
            values = {k: FIELDS.get(v, v) if k == "f" else v for k, v in m.groupdict().items()}
            if "why" in values:
                for reason, french_reason in _REASONS:
                    values["why"] = reason.sub(french_reason, values["why"])
            text = template.format(**values)
            if template.startswith(("{v}", "{who}")):  # an address or a reference keeps its case
                return text
            return text[0].upper() + text[1:]
    return message


def localise(error, lang: str):
    """An error as a page shows it (None, one message or a list of them) in ``lang``."""
    if lang != "fr" or not error:
        return error
    if isinstance(error, str):
        return french(error)
    return [french(str(e)) for e in error]
