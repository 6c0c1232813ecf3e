"""What alert mail says, in French and English."""
from __future__ import annotations

TOPIC_LABELS = {
    "fr": {"robotics": "robotique", "additive_manufacturing": "fabrication additive", "iot": "IoT",
           "regulation": "réglementation", "qse": "QSE", "augmented_reality": "réalité augmentée",
           "industrial_software": "logiciels industriels"},
    "en": {"robotics": "robotics", "additive_manufacturing": "additive manufacturing", "iot": "IoT",
           "regulation": "regulation", "qse": "QSE", "augmented_reality": "augmented reality",
           "industrial_software": "industrial software"},
}

TEXTS = {
    "fr": {
        "immediate": "Nouveaux éléments de veille",
        "daily": "Synthèse quotidienne de veille",
        "weekly": "Synthèse hebdomadaire de veille",
        "other": "Autres",
        "original": "Lire à la source",
        "why": "Vous recevez ce message parce que vos règles d'alerte veille correspondent à ces éléments.",
        "manage": "Gérer mes abonnements",
        "unsubscribe": "Se désabonner",
        "feed": "Flux Atom de la règle",
        "colon": " : ",
        "more": "… et {n} autres éléments dans le catalogue",
    },
    "en": {
        "immediate": "New watch items",
        "daily": "Daily watch digest",
        "weekly": "Weekly watch digest",
        "other": "Other",
        "original": "Read at the source",
        "why": "You receive this message because your veille alert rules match these items.",
        "manage": "Manage my subscriptions",
        "unsubscribe": "Unsubscribe",
        "feed": "Rule's Atom feed",
        "colon": ": ",
        "more": "… and {n} more items in the catalogue",
    },
}


def topic_label(topic: str, lang: str) -> str:
    return TOPIC_LABELS[lang].get(topic, topic.replace("_", " "))


def period_title(kind: str, lang: str) -> str:
    return TEXTS[lang][kind]


def subject(kind: str, count: int, topics: list[str], lang: str) -> str:
    """'[veille] 3 nouveaux éléments : robotique, réglementation'; digests:
    '[veille] Synthèse quotidienne : 12 éléments — robotique, QSE'."""
    labels = ", ".join(topic_label(t, lang) for t in topics[:4]) + (", …" if len(topics) > 4 else "")
    fr = lang == "fr"
    if kind == "immediate":
        what = (("1 nouvel élément" if count == 1 else f"{count} nouveaux éléments") if fr
                else ("1 new item" if count == 1 else f"{count} new items"))
        sep = " : " if fr else ": "
    else:
        title = period_title(kind, lang).replace(" de veille", "").replace(" watch", "")
        n = (("1 élément" if count == 1 else f"{count} éléments") if fr
             else ("1 item" if count == 1 else f"{count} items"))
        what, sep = f"{title}{' : ' if fr else ': '}{n}", " — "
    return f"[veille] {what}" + (f"{sep}{labels}" if labels else "")
