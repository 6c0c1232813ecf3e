"""Labels of the reference pages, the calendar and story notes (fr, en); merged into
veille.catalogue.i18n.LABELS."""
from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "references_nav": ("Références", "References"),
    "calendar_nav": ("Calendrier", "Calendar"),
    "references_title": ("Normes et textes cités", "Standards and legal texts cited"),
    "references_help": ("Chaque norme, acte européen ou texte français cité par les articles collectés. "
                        "Filtrez par numéro ou par nom : 13849, machines, 2023/1230.",
                        "Every standard, EU act or French text the collected items cite. "
                        "Filter by number or name: 13849, machines, 2023/1230."),
    "references_filter": ("Filtrer les références", "Filter references"),
    "references_more": ("Les {n} plus citées sont affichées ; filtrez pour trouver les autres.",
                        "The {n} most cited are shown; filter to find the others."),
    "references_none": ("Aucune référence ne correspond.", "No reference matches."),
    "kind_standard": ("Normes", "Standards"), "kind_eu_act": ("Actes européens", "EU acts"),
    "kind_fr_text": ("Textes français", "French texts"), "kind_date": ("Dates", "Dates"),
    "kind_organisation": ("Organisation", "Organisation"), "kind_product": ("Produit", "Product"),
    "kind_all": ("Toutes", "All"),
    "reference": ("Référence", "Reference"), "mentions": ("articles", "items"),
    "latest_mention": ("Dernière mention", "Latest mention"),
    "common_name": ("Nom usuel", "Common name"),
    "as_written": ("Tel qu'écrit", "As written"),
    "mentions_title": ("Articles qui la citent, du plus ancien au plus récent",
                       "Items citing it, oldest first"),
    "reference_dates": ("Dates d'application annoncées", "Application dates announced"),
    "follow_reference": ("Suivre cette référence", "Follow this reference"),
    "follow_reference_login": ("Connectez-vous pour suivre cette référence",
                               "Log in to follow this reference"),
    "follow_rule_name": ("Référence {ref}", "Reference {ref}"),
    "calendar_title": ("Calendrier des dates d'application", "Calendar of application dates"),
    "calendar_help": ("Dates d'application, d'entrée en vigueur et échéances annoncées dans les articles.",
                      "Application dates, entry into force and deadlines stated in the items."),
    "calendar_past": ("Inclure les dates passées", "Include past dates"),
    "calendar_ref": ("Référence (clé)", "Reference (key)"),
    "calendar_filter": ("Filtrer", "Filter"),
    "calendar_none": ("Aucune date à venir pour ces filtres.", "No upcoming date for these filters."),
    "calendar_ics": ("Exporter (iCalendar)", "Export (iCalendar)"),
    "calendar_month_only": ("dans le mois", "during the month"),
    "also_in": ("Aussi dans {n} sources :", "Also in {n} sources:"),
    "also_in_one": ("Aussi dans 1 autre source :", "Also in 1 other source:"),
    "rule_categories": ("Catégories de sources", "Source categories"),
    "rule_refs": ("Références suivies", "References followed"),
    "rule_refs_help": ("Clés séparées par des virgules : ISO 13849-1, 2023/1230, décret 2024-1234",
                       "Keys separated by commas: ISO 13849-1, 2023/1230, décret 2024-1234"),
}

MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}


def month_label(month: str, lang: str) -> str:
    """'2027-01' -> 'janvier 2027' / 'January 2027'."""
    try:
        year, number = month.split("-")[:2]
        return f"{MONTHS.get(lang, MONTHS['fr'])[int(number) - 1]} {year}"
    except (ValueError, IndexError):
        return month
