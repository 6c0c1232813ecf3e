"""French labels by default, English on request (?lang=en, remembered in a cookie).

Topic labels come from the classifier's taxonomy (veille/classify/taxonomy.yaml) when it is
present; an unknown topic shows its id.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from veille.catalogue.i18n_references import LABELS as REFERENCE_LABELS

LANGS = ("fr", "en")
COOKIE = "veille_lang"
TAXONOMY = Path(__file__).resolve().parent.parent / "classify" / "taxonomy.yaml"

LABELS: dict[str, tuple[str, str]] = {
    # key: (fr, en)
    "app": ("Veille technologique", "Technology watch"),
    "overview": ("Vue d'ensemble", "Overview"),
    "search": ("Recherche", "Search"),
    "sources": ("Sources", "Sources"),
    "subscriptions": ("Mes alertes", "My alerts"),
    "tables": ("Tables", "Tables"),
    "login": ("Connexion", "Log in"),
    "logout": ("Déconnexion", "Log out"),
    "search_placeholder": ("Rechercher : sécurité machine, \"jumeau numérique\", robot*",
                           "Search: machine safety, \"digital twin\", robot*"),
    "search_button": ("Rechercher", "Search"),
    "search_help": ("Accents et majuscules ignorés. \"phrase exacte\", préfixe*, mot1 OR mot2, -exclure.",
                    "Accents and case ignored. \"exact phrase\", prefix*, word1 OR word2, -exclude."),
    "results": ("résultats", "results"),
    "at_least": ("plus de", "more than"),
    "no_results": ("Aucun résultat. Essayez moins de mots, un préfixe (robot*) ou retirez un filtre.",
                   "No results. Try fewer words, a prefix (robot*) or remove a filter."),
    "relevance": ("Pertinence", "Relevance"),
    "newest": ("Plus récents", "Newest"),
    "sort": ("Tri", "Sort"),
    "facet_topic": ("Thème", "Topic"), "facet_source": ("Source", "Source"),
    "facet_category": ("Catégorie", "Category"), "facet_lang": ("Langue", "Language"),
    "facet_month": ("Mois", "Month"),
    "facets_bounded": ("Répartition sur les {n} résultats les plus récents.",
                       "Counts over the {n} most recent results."),
    "remove_filter": ("retirer", "remove"),
    "export": ("Exporter", "Export"),
    "follow_atom": ("Suivre (Atom)", "Follow (Atom)"),
    "page": ("Page", "Page"), "previous": ("Précédente", "Previous"), "next": ("Suivante", "Next"),
    "items": ("articles", "items"), "items_week": ("nouveaux en 7 jours", "new in 7 days"),
    "sources_enabled": ("sources actives", "active sources"),
    "sources_in_error": ("sources en erreur", "sources in error"),
    "active_rules": ("alertes actives", "active alerts"),
    "chart_title": ("Nouveaux articles par thème et par semaine", "New items per topic per week"),
    "latest": ("Derniers articles par thème", "Latest items per topic"),
    "errors_title": ("Sources en erreur", "Sources in error"), "no_errors": ("Aucune source en erreur.",
                                                                         "No source in error."),
    "last_error": ("Dernière erreur", "Last error"), "last_success": ("Dernier succès", "Last success"),
    "failures": ("échecs consécutifs", "consecutive failures"),
    "category": ("Catégorie", "Category"), "reliability": ("Fiabilité", "Reliability"),
    "items_30d": ("Articles 30 j", "Items 30 d"), "status": ("État", "Status"),
    "state_ok": ("OK", "OK"), "state_error": ("En erreur", "Failing"), "state_silent": ("Silencieuse", "Silent"),
    "state_disabled": ("Désactivée", "Disabled"), "state_new": ("Jamais collectée", "Never fetched"),
    "sources_help": ("Une source silencieuse n'a rien publié depuis 30 jours : vérifiez qu'elle vit encore.",
                     "A silent source published nothing in 30 days: check it is still alive."),
    "never": ("jamais", "never"),
    "summary": ("Résumé", "Summary"), "topics": ("Thèmes", "Topics"), "score": ("score", "score"),
    "similar": ("Articles proches", "Similar items"), "seen_in": ("Collecté depuis", "Fetched from"),
    "references": ("Références citées", "References cited"), "published": ("Publié le", "Published"),
    "fetched": ("Collecté le", "Fetched"), "open_source": ("Lire à la source", "Read at the source"),
    "correct_topics": ("Corriger les thèmes", "Correct the topics"), "save": ("Enregistrer", "Save"),
    "origin_model": ("modèle", "model"), "origin_rule": ("règle", "rule"), "origin_human": ("humain", "human"),
    "my_rules": ("Mes alertes", "My alerts"), "new_rule": ("Nouvelle alerte", "New alert"),
    "edit_rule": ("Modifier l'alerte", "Edit alert"), "rule_name": ("Nom", "Name"),
    "rule_query": ("Recherche plein texte", "Full-text query"), "frequency": ("Fréquence", "Frequency"),
    "freq_immediate": ("Immédiate", "Immediate"), "freq_daily": ("Quotidienne", "Daily"),
    "freq_weekly": ("Hebdomadaire", "Weekly"), "rule_lang": ("Langue des articles", "Item language"),
    "any": ("toutes", "any"), "min_score": ("Score minimal", "Minimum score"),
    "preview": ("Aperçu", "Preview"),
    "preview_title": ("Ce que l'alerte aurait trouvé ces 30 derniers jours",
                      "What the alert would have matched in the last 30 days"),
    "preview_none": ("Rien ces 30 derniers jours.", "Nothing in the last 30 days."),
    "saved": ("Alerte enregistrée. Voici ce qu'elle aurait trouvé ces 30 derniers jours.",
              "Alert saved. Here is what it would have matched in the last 30 days."),
    "create": ("Créer l'alerte", "Create alert"), "update": ("Enregistrer", "Save"),
    "pause": ("Suspendre", "Pause"), "resume": ("Reprendre", "Resume"), "delete": ("Supprimer", "Delete"),
    "paused": ("suspendue", "paused"), "active": ("active", "active"),
    "no_rules": ("Aucune alerte. Créez-en une pour recevoir les nouveautés par e-mail.",
                 "No alerts yet. Create one to receive new items by email."),
    "login_needed": ("Connectez-vous pour gérer vos alertes.", "Log in to manage your alerts."),
    "feed": ("Flux Atom", "Atom feed"),
    "unsubscribe_title": ("Se désabonner", "Unsubscribe"),
    "unsubscribe_confirm": ("Ne plus recevoir aucun e-mail de veille à {email} ?",
                            "Stop every veille email to {email}?"),
    "unsubscribe_done": ("C'est fait : {email} ne recevra plus d'e-mails.", "Done: {email} will get no more email."),
    "bad_link": ("Ce lien n'est pas valide ou a expiré.", "This link is invalid or has expired."),
    "forbidden": ("Accès refusé.", "Access denied."), "not_found": ("Introuvable.", "Not found."),
    "all": ("Tous", "All"), "help_title": ("Premiers pas", "Getting started"),
    "help_text": ("Cherchez dans la barre ci-dessus, filtrez par thème ou source, puis créez une alerte "
                  "pour recevoir les nouveautés par e-mail.",
                  "Search with the bar above, filter by topic or source, then create an alert to get new "
                  "items by email."),
    "email": ("Adresse e-mail", "Email address"), "password": ("Mot de passe", "Password"),
}
# the register and review pages keep their labels in their own module
from veille.catalogue.i18n_capitalise import LABELS as _CAPITALISE_LABELS  # noqa: E402
LABELS.update(_CAPITALISE_LABELS)

LABELS.update(REFERENCE_LABELS)  # reference pages, calendar, story notes

CATEGORY_LABELS = {
    "manufacturer": ("Fabricant", "Manufacturer"), "trade_journal": ("Presse spécialisée", "Trade journal"),
    "regulatory": ("Réglementaire", "Regulatory"), "standards": ("Normalisation", "Standards"),
    "institution": ("Institution", "Institution"), "event": ("Événement", "Event"),
    "training": ("Formation", "Training"), "other": ("Autre", "Other"),
}
LANG_LABELS = {"fr": ("Français", "French"), "en": ("Anglais", "English"), "?": ("Inconnue", "Unknown")}


@lru_cache(maxsize=1)
def topic_labels() -> dict[str, tuple[str, str]]:
    try:
        data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return {}
    out = {}
    for t in data.get("topics") or []:
        if isinstance(t, dict) and t.get("id"):
            label = t.get("label") or {}
            out[t["id"]] = (label.get("fr") or t["id"], label.get("en") or t["id"])
    return out


def topic_ids() -> list[str]:
    return list(topic_labels()) or ["robotics", "additive_manufacturing", "iot", "regulation", "qse"]


class Translator:
    """t('key'), and labels of topics, categories and languages, in one language."""

    def __init__(self, lang: str):
        self.lang = lang if lang in LANGS else "fr"
        self._i = LANGS.index(self.lang)

    def __call__(self, key: str, **values) -> str:
        pair = LABELS.get(key)
        text = pair[self._i] if pair else key
        return text.format(**values) if values else text

    def topic(self, topic_id: str) -> str:
        pair = topic_labels().get(topic_id)
        return pair[self._i] if pair else topic_id

    def category(self, cat: str | None) -> str:
        pair = CATEGORY_LABELS.get(cat or "other")
        return pair[self._i] if pair else str(cat)

    def language(self, code: str | None) -> str:
        pair = LANG_LABELS.get(code or "?")
        return pair[self._i] if pair else str(code)

    def facet_value(self, facet: str, value: str, source_names: dict[str, str]) -> str:
        if facet == "topic":
            return self.topic(value)
        if facet == "category":
            return self.category(value)
        if facet == "lang":
            return self.language(value)
        if facet == "source":
            return source_names.get(value, value)
        return value


def request_lang(request) -> tuple[str, bool]:
    """The page language and whether the cookie must be (re)set."""
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked, request.cookies.get(COOKIE) != asked
    cookie = request.cookies.get(COOKIE)
    return (cookie if cookie in LANGS else "fr"), False
