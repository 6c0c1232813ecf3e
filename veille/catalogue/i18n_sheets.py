"""Labels of the watch sheet and report pages and of the report document, (fr, en);
merged into the catalogue's Translator labels by veille.catalogue.i18n."""
from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "sheets": ("Fiches", "Sheets"), "reports": ("Rapports", "Reports"),
    "sheets_title": ("Fiches de veille", "Watch sheets"),
    "sheet_new": ("Nouvelle fiche de veille", "New watch sheet"),
    "sheet_edit": ("Modifier la fiche", "Edit the sheet"),
    "sheet_create_button": ("Créer une fiche de veille", "Create a watch sheet"),
    "sheet_create_from_selection": ("Créer une fiche avec la sélection", "Create a sheet from the selection"),
    "sheets_search_placeholder": ("Chercher une fiche : fusion laser, cobot, 5G…",
                                  "Search the sheets: laser fusion, cobot, 5G…"),
    "sheets_none": ("Aucune fiche. Ouvrez un article et créez une fiche de veille à partir de lui.",
                    "No sheets yet. Open an item and create a watch sheet from it."),
    "sheets_no_match": ("Aucune fiche ne correspond.", "No sheet matches."),
    "sheets_citing": ("Fiches de veille citant cet article", "Watch sheets citing this item"),
    "sheet_title": ("Titre", "Title"), "sheet_technique": ("Technique ou produit", "Technique or product"),
    "sheet_summary": ("Synthèse", "Summary"), "sheet_maturity": ("Maturité", "Maturity"),
    "sheet_availability": ("Disponibilité commerciale", "Commercial availability"),
    "sheet_vendor": ("Fournisseurs", "Vendors"), "sheet_price_range": ("Fourchette de prix", "Price range"),
    "sheet_available_since": ("Disponible depuis", "Available since"),
    "sheet_strengths": ("Points forts", "Strengths"), "sheet_weaknesses": ("Points faibles", "Weaknesses"),
    "sheet_comparison": ("Comparatif des solutions", "Comparison of solutions"),
    "sheet_solution": ("Solution", "Solution"), "sheet_criterion": ("Critère", "Criterion"),
    "sheet_add_row": ("Ajouter une solution", "Add a solution"),
    "sheet_add_column": ("Ajouter un critère", "Add a criterion"),
    "sheet_items": ("Sources citées", "Sources cited"), "sheet_item_ids": ("Articles cités (numéros)", "Items cited (ids)"),
    "sheet_note": ("Ce qui change (facultatif)", "What changes (optional)"),
    "sheet_versions": ("Versions", "Versions"), "sheet_version": ("Version", "Version"),
    "sheet_by": ("par", "by"), "sheet_current": ("actuelle", "current"),
    "sheet_compare": ("Comparer", "Compare"), "sheet_diff_title": ("Différences entre les versions {a} et {b}",
                                                                  "Differences between versions {a} and {b}"),
    "sheet_no_diff": ("Aucune différence.", "No difference."),
    "sheet_old_version": ("Version {n} du {at}, par {author} : ce n'est pas la version actuelle.",
                          "Version {n} of {at}, by {author}: not the current version."),
    "sheet_saved": ("Fiche enregistrée (version {n}).", "Sheet saved (version {n})."),
    "sheet_stale_yours": ("Votre texte (non enregistré)", "Your text (not saved)"),
    "sheet_login": ("Connectez-vous pour créer ou modifier une fiche.", "Log in to create or edit a sheet."),
    "maturity_research": ("Recherche", "Research"), "maturity_pilot": ("Pilote", "Pilot"),
    "maturity_industrial": ("Industrialisé", "Industrial"), "maturity_mature": ("Mature", "Mature"),
    "field_title": ("Titre", "Title"), "field_technique": ("Technique", "Technique"),
    "field_maturity": ("Maturité", "Maturity"), "field_vendor": ("Fournisseurs", "Vendors"),
    "field_price_range": ("Prix", "Price range"), "field_available_since": ("Disponible depuis", "Available since"),
    "field_summary": ("Synthèse", "Summary"), "field_strengths": ("Points forts", "Strengths"),
    "field_weaknesses": ("Points faibles", "Weaknesses"), "field_comparison": ("Comparatif", "Comparison"),
    "field_items": ("Articles cités", "Items cited"),
    "report_title": ("Rapport de veille", "Watch report"),
    "report_from": ("Du", "From"), "report_to": ("au", "to"), "report_topic": ("Thème", "Topic"),
    "report_group": ("Catégorie de sources", "Source category"), "report_all": ("Tous", "All"),
    "report_show": ("Afficher", "Show"), "report_download": ("Télécharger (Word)", "Download (Word)"),
    "report_save": ("Enregistrer dans la base", "Save to the knowledge base"),
    "report_save_title": ("Titre du rapport", "Report title"),
    "report_saved_list": ("Rapports enregistrés", "Saved reports"),
    "report_saved_none": ("Aucun rapport enregistré.", "No saved report yet."),
    "report_saved_by": ("Enregistré le {at} par {author}", "Saved on {at} by {author}"),
    "report_empty": ("Rien dans cette période : aucun article, aucune fiche, aucun changement du registre entre le "
                     "{a} et le {b}. Élargissez la période ou retirez un filtre.",
                     "Nothing in this period: no item, no sheet, no register change between {a} and {b}. "
                     "Widen the period or remove a filter."),
    "report_items": ("{n} articles dans la période", "{n} items in the period"),
    "report_stories": ("Faits marquants", "Key stories"),
    "report_story_sources": ("sources : {n}", "sources: {n}"),
    "report_new_sheets": ("Nouvelles fiches de veille", "New watch sheets"),
    "report_no_sheets": ("Aucune nouvelle fiche.", "No new sheet."),
    "report_register": ("Évolutions du registre réglementaire", "Regulatory register changes"),
    "report_no_register": ("Aucune évolution du registre.", "No register change."),
    "report_chart": ("Articles par thème et par semaine", "Items per topic per week"),
    "report_counts": ("Articles par thème", "Items per topic"),
    "report_week": ("Semaine du", "Week of"),
    "report_built": ("Établi le {at}", "Built on {at}"),
    "action_create": ("création", "created"), "action_update": ("modification", "updated"),
    "action_delete": ("suppression", "deleted"), "action_import": ("import", "imported"),
}


def merge_into_catalogue() -> None:
    """Add these labels to the catalogue's Translator (idempotent). Called on import by the
    modules that render sheets and reports, so the catalogue's i18n module needs no edit."""
    from veille.catalogue import i18n

    for key, pair in LABELS.items():
        i18n.LABELS.setdefault(key, pair)


merge_into_catalogue()
