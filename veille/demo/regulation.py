"""The demo `page` source: a regulation's consolidated text that changes in place.

Modelled on the EUR-Lex page of the Machinery Regulation (EU) 2023/1230; the wording is
a short paraphrase written for the demo, not the official text. The page has two versions:
the second (reached through /_demo/advance) records a corrigendum that rewrites two points
of Annex III and adds an entry to the list of amending acts. Each request also changes a
"consulted on" timestamp inside the watched region and a visit counter outside it: neither
is a meaningful change.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from .render import html_page, local_time

_ARTICLES = [
    ("Article premier — Objet",
     "Le règlement fixe les exigences de santé et de sécurité pour la conception et la "
     "construction des machines, des produits connexes et des quasi-machines, afin de "
     "permettre leur mise à disposition sur le marché de l'Union."),
    ("Article 6 — Catégories de machines présentant un risque élevé",
     "Les machines et produits connexes énumérés à l'annexe I, partie A, font l'objet d'une "
     "évaluation de la conformité par un organisme notifié."),
    ("Article 10 — Obligations des fabricants",
     "Le fabricant établit la documentation technique, effectue l'évaluation de la conformité "
     "et conserve la documentation pendant dix ans après la mise sur le marché. Les "
     "instructions peuvent être fournies sous forme numérique."),
    ("Article 18 — Modification substantielle",
     "Toute personne qui apporte à une machine une modification substantielle est considérée "
     "comme un fabricant pour la partie modifiée ou pour l'ensemble de la machine."),
    ("Article 20 — Présomption de conformité",
     "Les machines conformes à des normes harmonisées dont les références ont été publiées au "
     "Journal officiel de l'Union européenne sont présumées conformes aux exigences couvertes."),
    ("Article 50 — Abrogation",
     "La directive 2006/42/CE est abrogée avec effet au 20 janvier 2027."),
    ("Article 54 — Entrée en vigueur et application",
     "Le règlement s'applique à partir du 20 janvier 2027. Les dispositions relatives aux "
     "organismes notifiés s'appliquent à partir du 20 janvier 2024."),
]

_ANNEX_III_V1 = [
    ("1.1.9 — Protection contre la corruption",
     "La machine est conçue de sorte que la connexion d'un autre dispositif ne conduise pas à "
     "une situation dangereuse."),
    ("1.2.1 — Sécurité et fiabilité des systèmes de commande",
     "Les systèmes de commande sont conçus pour résister aux contraintes de service prévues."),
]

_ANNEX_III_V2 = [
    ("1.1.9 — Protection contre la corruption",
     "La machine est conçue de sorte que la connexion d'un autre dispositif, en personne ou à "
     "distance, ne conduise pas à une situation dangereuse. Les composants matériels et "
     "logiciels essentiels à la sécurité sont protégés contre la corruption accidentelle ou "
     "intentionnelle, et les interventions sont enregistrées."),
    ("1.2.1 — Sécurité et fiabilité des systèmes de commande",
     "Les systèmes de commande sont conçus pour résister aux contraintes de service prévues "
     "et aux influences extérieures, y compris les tentatives malveillantes raisonnablement "
     "prévisibles."),
]

VERSIONS = [
    {
        "consolidated": "Texte publié au JO L 165 du 29.6.2023",
        "amendments": ["Aucune modification à ce jour."],
        "annex_iii": _ANNEX_III_V1,
    },
    {
        "consolidated": "Version consolidée intégrant le rectificatif de 2026",
        "amendments": ["Rectificatif au règlement (UE) 2023/1230 : annexe III, points 1.1.9 et "
                       "1.2.1 (JO L, série L, 2026)."],
        "annex_iii": _ANNEX_III_V2,
    },
]


def render_regulation_page(version: int, visits: int, now: datetime) -> bytes:
    """The page at `version` (0-based). `visits` and `now` change on every request."""
    data = VERSIONS[version]
    consulted = local_time(now, "fr").strftime("%d/%m/%Y à %H:%M:%S")
    articles = "\n".join(
        f'<div class="article"><h3>{escape(title)}</h3><p>{escape(text)}</p></div>'
        for title, text in _ARTICLES
    )
    annex = "\n".join(
        f'<div class="point"><h4>{escape(title)}</h4><p>{escape(text)}</p></div>'
        for title, text in data["annex_iii"]
    )
    amendments = "".join(f"<li>{escape(a)}</li>" for a in data["amendments"])
    body = (
        '<header class="eurlex"><a href="/">EUR-Lex — accès au droit de l\'Union (démo)</a>'
        '<p class="langues">BG ES CS DA DE ET EL EN FR GA HR IT</p></header>\n'
        '<main id="document1">\n'
        f'<p class="consultation">Consulté le {consulted}</p>\n'
        "<h1>Règlement (UE) 2023/1230 du Parlement européen et du Conseil du 14 juin 2023 "
        "sur les machines et abrogeant la directive 2006/42/CE</h1>\n"
        f'<p class="statut">{escape(data["consolidated"])}</p>\n'
        f'<h2>Actes modificatifs</h2>\n<ul class="modifications">{amendments}</ul>\n'
        f"<h2>Dispositif (extraits résumés)</h2>\n{articles}\n"
        "<h2>Annexe III — Exigences essentielles de santé et de sécurité (extraits résumés)</h2>\n"
        f"{annex}\n</main>\n"
        f'<footer><div id="compteur">Nombre de consultations de cette page : {visits}</div>'
        "<p>Démo hors ligne : résumé rédigé pour le projet veille, pas le texte officiel.</p></footer>"
    )
    return html_page("Règlement (UE) 2023/1230 — machines (démo)", body, "fr")
