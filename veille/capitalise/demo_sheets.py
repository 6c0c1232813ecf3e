"""Watch sheets and a saved report for the demo database: three sheets written for the
project (palletising cobots, metal powder bed fusion, private 5G for the plant), each citing
the demo items it was drawn from, one edited once so its versions show, and the report of
the last 30 days kept in the knowledge base. Idempotent: nothing is added twice."""
from __future__ import annotations

from datetime import date, timedelta

import sqlite_utils

from veille.capitalise import reports, sheets
from veille.capitalise.docx_report import report_docx
from veille.store import sheets as sheet_store

DEMO_SHEETS = [
    ("cobot* OR palettis* OR palletis*", sheets.SheetDraft(
        title="Cobots de palettisation en fin de ligne", technique="Robotique collaborative",
        maturity="industrial", vendor="Universal Robots, FANUC, Doosan Robotics, ABB",
        price_range="60 – 120 k€ la cellule complète", available_since="2019",
        summary="Palettiser des cartons de 10 à 25 kg sans cage, à côté des opérateurs. Les offres "
                "intègrent désormais le logiciel de plan de palettisation et le scanner de zone.",
        strengths="Mise en service en quelques jours\nEmprise au sol réduite\nRéduit les TMS au poste de fin de ligne",
        weaknesses="Cadence limitée (8 à 12 colis/min)\nAnalyse de risques ISO/TS 15066 à mener poste par poste",
        comparison=sheets.Comparison(["Charge utile", "Portée", "Cadence", "Prix indicatif"], [
            {"solution": "UR20 + kit palettisation", "values": ["20 kg", "1 750 mm", "≈ 10 colis/min", "70 k€"]},
            {"solution": "FANUC CRX-25iA", "values": ["25 kg", "1 889 mm", "≈ 9 colis/min", "85 k€"]},
            {"solution": "Doosan H2017", "values": ["20 kg", "1 700 mm", "≈ 8 colis/min", "65 k€"]}]))),
    ('multilaser OR "fabrication additive" OR "metal AM" OR poudre', sheets.SheetDraft(
        title="Fusion laser sur lit de poudre métallique (L-PBF)", technique="Fabrication additive métal",
        maturity="TRL 8", vendor="EOS, Nikon SLM Solutions, Farsoon, AddUp",
        price_range="0,5 – 2,5 M€ la machine", available_since="2005 (multilaser depuis 2017)",
        summary="Pièces métalliques complexes (titane, Inconel, aluminium) pour l'aéronautique et l'outillage. "
                "Les machines multilasers visent la production en série.",
        strengths="Géométries impossibles en usinage\nAllègement des pièces\nStocks de pièces de rechange réduits",
        weaknesses="Qualification longue des pièces de vol\nPoudres fines : ATEX et exposition des opérateurs\n"
                   "Post-traitements (support, HIP, usinage)",
        comparison=sheets.Comparison(["Lasers", "Volume utile", "Matériaux"], [
            {"solution": "EOS M 400-4", "values": ["4 × 400 W", "400 × 400 × 400 mm", "Ti, Ni, Al, aciers"]},
            {"solution": "Nikon SLM NXG XII 600", "values": ["12 × 1 kW", "600 × 600 × 600 mm", "Ti, Ni, Al"]},
            {"solution": "AddUp FormUp 350", "values": ["4 × 500 W", "350 × 350 × 350 mm", "Ti, Ni, aciers"]}]))),
    ('"5G" OR "private 5G" OR "5G privée"', sheets.SheetDraft(
        title="Réseau 5G privé pour l'usine", technique="Connectivité industrielle (IoT)",
        maturity="pilot", vendor="Nokia, Ericsson, Siemens, opérateurs (Orange Business)",
        price_range="150 – 600 k€ par site (cœur + antennes)", available_since="2021 (bande 3,8–4,2 GHz en France)",
        summary="Un réseau cellulaire propre au site pour les AGV, les outils connectés et les capteurs mobiles, "
                "là où le Wi-Fi décroche.",
        strengths="Latence et itinérance maîtrisées\nIsolation du réseau de l'entreprise",
        weaknesses="Terminaux industriels encore rares\nCompétences radio à acquérir\nLicence de fréquences à demander",
        comparison=sheets.Comparison(["Déploiement", "Exploitation"], [
            {"solution": "Nokia DAC", "values": ["Clé en main", "Intégrateur ou opérateur"]},
            {"solution": "Ericsson Private 5G", "values": ["Clé en main", "Cloud de supervision"]},
            {"solution": "Siemens SCALANCE MUM", "values": ["Routeurs 5G", "Équipe OT du site"]}]))),
]


def seed_sheets_demo(db: sqlite_utils.Database, author: str = "demo@veille.local") -> dict:
    """Add the demo sheets and the saved report of the last 30 days, unless sheets exist."""
    if sheet_store.sheet_count(db):
        return {"sheets": 0, "report": None}
    created = []
    for query, draft in DEMO_SHEETS:
        draft.item_ids = sheet_store.items_matching(db, query, 3)
        created.append(sheets.create_sheet(db, draft, author))
    # one edit, so the demo shows a version history and a difference
    edited = sheets.draft_of(sheets.get_sheet(db, created[0]))
    edited.strengths += "\nPlan de palettisation généré sans programmation"
    edited.note = "retour d'essai sur la ligne 3"
    sheets.update_sheet(db, created[0], edited, 1, author)
    today = date.today()
    report = reports.build_report(db, today - timedelta(days=29), today)
    title = "Rapport de veille — 30 derniers jours"
    report_id = reports.save_report(db, report, report_docx(report, "fr", title), author, title)
    return {"sheets": len(created), "report": report_id}
