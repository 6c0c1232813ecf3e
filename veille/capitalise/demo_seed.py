"""A filled register for the demo: entries made from the demo's regulation items in each
state an auditor looks for, a reviewer group and one answered review request."""
from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from veille.capitalise import register, reviews
from veille.store import register as sql

DEMO_ACTOR = "demo@veille.example"
QSE_OWNER = "qse@veille.example"
CSE_MEMBERS = ["cse.secretaire@veille.example", "cse.sst@veille.example"]


def _states(today: date) -> list[dict]:
    d = lambda n: (today + timedelta(days=n)).isoformat()  # noqa: E731
    return [
        {"applicability": "applicable", "status": "compliant", "owner": QSE_OWNER, "next_review": d(300),
         "evidence_url": "https://intranet.example/qse/evaluations/2026-machines.pdf",
         "actions": "Mise à jour des analyses de risques des cellules robotisées"},
        {"applicability": "applicable", "status": "in_progress", "owner": QSE_OWNER, "application_dates": [d(10)],
         "next_review": d(180), "actions": "Inventaire des produits connectés ; plan de correctifs"},
        {"applicability": "applicable", "status": "non_compliant", "owner": "methodes@veille.example",
         "application_dates": [d(-20)], "next_review": d(30), "actions": "Mesures d'exposition à refaire"},
        {"applicability": "not_applicable", "status": "to_assess", "owner": QSE_OWNER, "next_review": d(365),
         "applicability_reason": "Le site ne met pas de tels produits sur le marché"},
    ]


def seed_register_demo(db: sqlite_utils.Database, today: date | None = None) -> list[int]:
    """Create the demo entries (once: a register that has entries is left alone); returns
    their ids."""
    if sql.count_entries(db):
        return []
    today = today or date.today()
    ids: list[int] = []
    candidates = sql.regulation_items(db)
    for n, state in enumerate(_states(today)):
        item_id = candidates[n] if n < len(candidates) else None
        if item_id is not None:
            entry_id = register.create_from_item(db, DEMO_ACTOR, item_id, state)
            if entry_id in ids:  # two items about one text: type the next one by hand
                item_id = None
        if item_id is None:
            entry_id = register.create(db, DEMO_ACTOR, {"reference": f"Exigence interne QSE-{n + 1}",
                                                         "title": "Consigne sécurité machines", **state})
        ids.append(entry_id)
    reviews.set_group(db, DEMO_ACTOR, "CSE", CSE_MEMBERS)
    request_id = reviews.request_review(db, QSE_OWNER, "CSE", "Ce texte concerne-t-il les postes de l'atelier "
                                        "d'assemblage ? Faut-il informer les équipes ?", entry_id=ids[1],
                                        due_on=(today + timedelta(days=7)).isoformat())
    reviews.answer(db, request_id, CSE_MEMBERS[0], "relevant",
                   "Oui : postes 3 et 4, à présenter au prochain CSE.", via="mail")
    return ids
