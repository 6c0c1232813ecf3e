"""Reference extraction scored on labeled French and English sentences, and bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from veille.reference_text import fold
from veille.references import KINDS, NAME_KINDS, extract, reading_text

FIXTURES = Path(__file__).parent / "fixtures" / "references"


def spelling(key: str) -> str:
    return " ".join(fold(key).lower().split())


def _aliases() -> dict[str, str]:
    from veille.references import name_data
    data = name_data()
    return {spelling(name): spelling(acronym) for acronym, names in data["aliases"].items() for name in names}


# a label keeps the name as the sentence writes it; a listed long name keys on its acronym
ALIASES = _aliases()


def label_key(key: str) -> str:
    return ALIASES.get(spelling(key), spelling(key))


def score(path: Path, kinds: tuple[str, ...] = KINDS) -> dict[str, tuple[float, float]]:
    """Precision and recall per kind; the name sets label organisations and products only."""
    names = kinds == NAME_KINDS
    # names are compared as spellings (case and accents aside: "Afnor" is listed "AFNOR")
    key = spelling if names else str
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        cases.append(({(r["kind"], label_key(r["key"]) if names else r["key"]) for r in case["references"]},
                      {(r.kind, key(r.key)) for r in extract(case["text"], case["lang"], names=names) if r.kind in kinds}))
    return tally(cases, kinds)


def tally(cases, kinds: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Precision and recall per kind over (expected, got) sets of (kind, key)."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for expected, got in cases:
        for kind, _ in got & expected:
            tp[kind] += 1
        for kind, _ in got - expected:
            fp[kind] += 1
        for kind, _ in expected - got:
            fn[kind] += 1
    return {k: (tp[k] / max(1, tp[k] + fp[k]), tp[k] / max(1, tp[k] + fn[k])) for k in kinds}


@pytest.mark.parametrize("name, min_recall", [("dates_heldout.jsonl", 0.95), ("dates_heldout2.jsonl", 0.90),
                                              ("dates_heldout3.jsonl", 0.90), ("dates_heldout4.jsonl", 0.90),
                                              ("dates_heldout5.jsonl", 0.95), ("dates_heldout6.jsonl", 0.90),
                                              ("dates_heldout7.jsonl", 0.90), ("dates_heldout8.jsonl", 0.85),
                                              ("dates_heldout9.jsonl", 0.90), ("dates_heldout10.jsonl", 0.85),
                                              ("dates_heldout11.jsonl", 0.80), ("dates_heldout12.jsonl", 0.90),
                                              ("dates_heldout13.jsonl", 0.90)])
def test_dates_written_many_ways_are_extracted_precisely(name, min_recall):
    """Sets of application dates beside other dates, each written blind and measured once,
    then used to build the readings (docs/references.md): precision holds, recall reaches the
    issue's target on each but the last (measured once: the fifth P 0.97 / R 0.88, the sixth 0.94 / 0.79,
    the seventh, whole feed entries, 0.96 / 0.81, the eighth 0.97 / 0.81; the eighth reaches
    0.87 since: below the issue's 0.90; the ninth, vendors' notices, lists and Q&A besides
    sentences, 0.98 / 0.80, then 1.00 / 0.94; the tenth, written after that round with unusual
    wordings asked for, 0.99 / 0.79 (0.99 / 0.75 with the session's first code), then 1.00 / 0.87;
    the eleventh, an ordinary mix written at the session's end, measured once and not tuned on:
    0.96 / 0.85, against 0.97 / 0.79 with the session's first code; the twelfth, measured once:
    0.98 / 0.83, with the dates' second reader 0.98 / 0.86; the thirteenth, unusual wordings
    asked for, measured once: 0.95 / 0.78 with the session's first code, 0.94 / 0.81 with the
    second reader). The second reader is trained on
    these sets: its honest figures leave each set out (test_reference_date_model.py)."""
    precision, recall = score(FIXTURES / name, ("date",))["date"]
    print(name, f"P={precision:.3f} R={recall:.3f}")
    assert precision >= 0.95
    assert recall >= min_recall


@pytest.mark.parametrize("name, kinds", [
    ("sentences.jsonl", KINDS), ("sentences_heldout.jsonl", KINDS),
    # written blind (150 FR/EN feed-like texts, 30 of them near-misses), measured once: standard
    # P 1.00 / R 0.97, eu_act 1.00 / 0.99, fr_text 1.00 / 0.96; it labels no dates
    ("refs_heldout.jsonl", ("standard", "eu_act", "fr_text"))])
def test_precision_and_recall_per_kind_meet_targets(name, kinds):
    figures = score(FIXTURES / name, kinds)
    print(name, {k: f"P={p:.3f} R={r:.3f}" for k, (p, r) in figures.items()})
    for kind, (precision, recall) in figures.items():
        assert precision >= 0.95, (kind, precision)
        assert recall >= 0.90, (kind, recall)


# names.jsonl and names_heldout.jsonl (held out in a first round, since looked at) tune the
# name rules and lists; names_heldout2.jsonl was written before the second round's rules and
# never tuned on: its recall is what the rules reach on names they were not shown. Issue 9's
# targets (P >= 0.95, R >= 0.90) are not reached there yet: makers outside the list named with
# no frame ("Nordson launched…") and models without digits ("ProBlue Flex") are missed.
NAME_TARGETS = {"names.jsonl": {"organisation": (1.00, 1.00), "product": (1.00, 1.00)},
                "names_heldout.jsonl": {"organisation": (1.00, 1.00), "product": (1.00, 1.00)},
                "names_heldout2.jsonl": {"organisation": (1.00, 0.98), "product": (1.00, 1.00)},
                # written by someone who saw neither rules nor lists: before the context round
                # org P 0.71 / R 0.41, product P 0.67 / R 0.17; tuned on since (dev set)
                "names_heldout3.jsonl": {"organisation": (0.99, 0.97), "product": (0.96, 0.96)},
                # blind before the third round (org P 0.83 / R 0.44, product P 0.80 / R 0.30 by
                # the rules of the session's start; 0.87 / 0.68 and 0.82 / 0.46 by the second
                # round's); tuned on since
                "names_heldout4.jsonl": {"organisation": (1.00, 0.96), "product": (1.00, 0.94)},
                # blind before the fourth round (session start: org 0.75 / 0.32, product 0.81 /
                # 0.23; third round: org 0.88 / 0.72, product 0.71 / 0.47); tuned on since
                "names_heldout5.jsonl": {"organisation": (0.98, 0.94), "product": (1.00, 0.92)},
                # blind until measured once after the fourth round (session start: org 0.77 /
                # 0.50, product 0.83 / 0.23; fourth round 0.95 / 0.82, 0.83 / 0.52); tuned on since
                "names_heldout6.jsonl": {"organisation": (0.99, 0.98), "product": (0.98, 0.94)},
                # blind until measured once after the fifth round (session start: org 0.81 /
                # 0.40, product 0.83 / 0.21; fifth round 0.87 / 0.69, 0.85 / 0.52); tuned on since
                "names_heldout7.jsonl": {"organisation": (0.96, 0.87), "product": (1.00, 0.89)},
                # blind until measured once after the sixth round (session start: org 0.82 /
                # 0.43, product 0.81 / 0.16): the unseen figure of the rules as they stand
                "names_heldout8.jsonl": {"organisation": (0.96, 0.90), "product": (0.98, 0.80)},
                # blind until the curated lists' second round (measured unseen: org 0.96 / 0.75,
                # product 0.75 / 0.58 by the rules at the start of that round; 0.97 / 0.85 and
                # 0.79 / 0.71 with the lists and the fuller names); tuned on since
                "names_heldout9.jsonl": {"organisation": (0.98, 0.94), "product": (1.00, 0.95)},
                # blind until measured once after the lists' second round (session start: org
                # 0.95 / 0.77, product 0.76 / 0.59): the unseen figure of the rules as they stand
                "names_heldout10.jsonl": {"organisation": (1.00, 0.97), "product": (0.98, 0.94)},
                # blind until measured once after the third names round of the lists (session
                # start: org 0.97 / 0.87, product 0.71 / 0.60): organisations 0.98 / 0.94
                "names_heldout11.jsonl": {"organisation": (1.00, 0.98), "product": (0.98, 0.93)},
                # products first, blind until measured once after the variants round (session
                # start: org 0.96 / 0.83, product 0.75 / 0.49): org 0.98 / 0.91, product 0.85 / 0.68
                "names_heldout12.jsonl": {"organisation": (1.00, 0.99), "product": (0.98, 0.94)},
                # blind until measured once after the protocols round (session start: org 0.94 /
                # 0.72, product 0.82 / 0.52): the unseen figure of the rules as they stand
                "names_heldout13.jsonl": {"organisation": (0.98, 0.95), "product": (0.97, 0.92)},
                # blind until measured once after the makers-in-front round (session start: org
                # 0.90 / 0.68, product 0.80 / 0.50): the unseen figure of the rules as they stand
                "names_heldout14.jsonl": {"organisation": (0.99, 0.92), "product": (0.99, 0.93)},
                # ordinary trade text, blind until measured once after the lists' third round
                # (rules at that round's start: org 0.98 / 0.92, product 0.93 / 0.90)
                "names_heldout15.jsonl": {"organisation": (1.00, 0.96), "product": (1.00, 1.00)},
                # written to be hard (names after prepositions, in lower case, common words,
                # products without digits, long lists), blind until measured once with set 15
                # (round start: org 0.98 / 0.91, product 0.89 / 0.64)
                "names_heldout16.jsonl": {"organisation": (1.00, 0.97), "product": (1.00, 0.94)},
                # ordinary trade text (17) and institution-heavy text (18), blind until measured
                # once after the fourth round (session start: 17 org 0.98 / 0.92, product 0.93 /
                # 0.83; 18 org 0.95 / 0.84, product 0.85 / 0.63; fourth round: 17 org 0.99 / 0.94,
                # product 0.93 / 0.87; 18 org 0.94 / 0.87, product 0.88 / 0.78); tuned on since
                "names_heldout17.jsonl": {"organisation": (1.00, 0.97), "product": (1.00, 0.96)},
                "names_heldout18.jsonl": {"organisation": (0.99, 0.97), "product": (0.96, 0.92)},
                # ordinary trade text (19) and half institutions, half vendors (20), blind until
                # measured once after the fifth round; together org P 0.98 / R 0.92, product P
                # 0.96 / R 0.92 (session start: org 0.96 / 0.88, product 0.89 / 0.80)
                "names_heldout19.jsonl": {"organisation": (1.00, 0.97), "product": (1.00, 0.96)},
                "names_heldout20.jsonl": {"organisation": (1.00, 0.95), "product": (0.97, 0.95)},
                # two more, mixed (21, 22), blind until measured once after the sixth round;
                # together org P 0.99 / R 0.97, product P 0.96 / R 0.90 (fifth round: 0.99 /
                # 0.95, 0.96 / 0.90; session start: 0.98 / 0.89, 0.88 / 0.79)
                "names_heldout21.jsonl": {"organisation": (0.98, 0.96), "product": (0.97, 0.91)},
                "names_heldout22.jsonl": {"organisation": (0.98, 0.97), "product": (0.93, 0.89)},
                # written at session 9's end (60 % real makers and bodies, 40 % invented), measured
                # once and not tuned on: org P 0.955 / R 0.867, product P 0.950 (0.9496) / R 0.880
                "names_heldout23.jsonl": {"organisation": (0.95, 0.86), "product": (0.94, 0.87)},
                # written in session 12 (an ordinary month, 24; harder, 25: names after
                # prepositions, banks and investors, divisions, brands in lower case), measured
                # once with the session's first code: 24 org P 0.938 / R 0.865, product 0.941 /
                # 0.736; 25 org 0.922 / 0.751, product 0.802 / 0.614; then once with the names'
                # second reader trained on the 25 sets before them: 24 org 0.920 / 0.900,
                # product 0.935 / 0.783; 25 org 0.914 / 0.823, product 0.794 / 0.644. Trained on
                # since. Far from issue 9's targets on text written this way (docs/references.md)
                "names_heldout24.jsonl": {"organisation": (0.93, 0.89), "product": (0.94, 0.78)},
                "names_heldout25.jsonl": {"organisation": (0.92, 0.85), "product": (0.82, 0.69)},
                # session 13's set E (an ordinary week, written blind), measured once with the
                # session's first code: P 0.913 / R 0.832 and P 0.855 / R 0.575
                "names_heldout26.jsonl": {"organisation": (0.95, 0.89), "product": (0.93, 0.73)},
                # session 14's set H, products weighted (blind: org P 0.943 / R 0.934, product
                # P 0.962 / R 0.693 by the session-start code); tuned on since
                "names_heldout27.jsonl": {"organisation": (0.96, 0.95), "product": (0.95, 0.82)},
                # session 15's dev set (products in process, packaging, pharma, electronics,
                # intralogistics, AR, drones): session-start P 0.92 / R 0.82; 0.88 / 0.55
                "names_heldout28.jsonl": {"organisation": (0.94, 0.87), "product": (0.91, 0.68)},
                # session 16's dev set (people named as much as organisations: appointments,
                # quotes, officials, founders): session-start P 0.84 / R 0.90; 0.90 / 0.69
                "names_heldout29.jsonl": {"organisation": (0.97, 0.94), "product": (0.92, 0.78)},
                # session 17's dev set (product news: launches, versions, installations, recalls,
                # end-of-life notices): session-start P 0.96 / R 0.94; 0.94 / 0.83
                "names_heldout30.jsonl": {"organisation": (0.96, 0.94), "product": (0.93, 0.85)},
                # session 17's second dev set (French regional and institutional news: SMEs named
                # by their trade, courts, prefectures, chambers, federations' regional offices):
                # session-start P 0.91 / R 0.76; 0.97 / 0.75
                "names_heldout31.jsonl": {"organisation": (0.95, 0.89), "product": (0.95, 0.76)},
                # session 17's third dev set (products named in passing: case studies, job ads,
                # release notes, tenders, comparisons): session-start P 0.91 / R 0.93; 0.96 / 0.88
                "names_heldout32.jsonl": {"organisation": (0.92, 0.93), "product": (0.95, 0.89)},
                # session 18's dev sets, written blind: 33 an ordinary mix in English and French
                # (session-start P 0.970 / R 0.904; 0.932 / 0.893), 34 French product news
                # (0.963 / 0.963; 0.980 / 0.909), 35 organisations of a month's news (0.955 /
                # 0.909; 0.937 / 0.922)
                "names_heldout33.jsonl": {"organisation": (0.97, 0.92), "product": (0.94, 0.90)},
                "names_heldout34.jsonl": {"organisation": (0.95, 0.95), "product": (0.97, 0.91)},
                "names_heldout35.jsonl": {"organisation": (0.95, 0.92), "product": (0.95, 0.93)},
                # session 18's later dev sets: 36 an ordinary month of the trade press, products
                # named in passing (session-start P 0.971 / R 0.922; 0.949 / 0.934), 37 a French
                # watch team's month (0.979 / 0.949; 0.961 / 0.939)
                "names_heldout36.jsonl": {"organisation": (0.96, 0.94), "product": (0.94, 0.93)},
                "names_heldout37.jsonl": {"organisation": (0.97, 0.96), "product": (0.96, 0.94)},
                # session 19's dev sets, each measured once with the session's first code: 38
                # products named in passing (org P 0.974 / R 0.946; product 0.965 / 0.850), 39
                # vendors' releases and case studies (0.973 / 0.930; 0.917 / 0.852), 40 a
                # maintenance and QSE watch (0.925 / 0.835; 0.906 / 0.682)
                "names_heldout38.jsonl": {"organisation": (0.97, 0.95), "product": (0.97, 0.89)},
                "names_heldout39.jsonl": {"organisation": (0.97, 0.96), "product": (0.94, 0.89)},
                "names_heldout40.jsonl": {"organisation": (0.97, 0.93), "product": (0.98, 0.91)},
                # and its last two: 41 codes and capitals that name nothing beside names
                # (session start: org 0.978 / 0.941; product 0.847 / 0.895), 42 French regional
                # news of small firms (0.902 / 0.755; 0.947 / 0.973)
                "names_heldout41.jsonl": {"organisation": (0.96, 0.93), "product": (0.94, 0.90)},
                "names_heldout42.jsonl": {"organisation": (0.94, 0.83), "product": (0.95, 0.95)},
                # session 20's, first measured with that session's first code: 43 machine tools,
                # robots, additive, welding and lifting (org P 0.978 / R 0.942; product 0.952 /
                # 0.863), 44 industrial software and its traps (0.949 / 0.869; 0.838 / 0.762, with
                # its writer's software versions put back in the keys, as the contract keys them),
                # 45 aerospace, rail, automotive and energy (0.970 / 0.877; 0.918 / 0.796)
                "names_heldout43.jsonl": {"organisation": (0.98, 0.95), "product": (0.95, 0.89)},
                "names_heldout44.jsonl": {"organisation": (0.95, 0.89), "product": (0.87, 0.80)},
                "names_heldout45.jsonl": {"organisation": (0.98, 0.92), "product": (0.98, 0.84)},
                # and its second three, first measured with the code of that moment (d125e18;
                # the session's first code in brackets): 46 French trade-press briefs (org 0.995 /
                # 0.971 [the same]; product 0.978 / 0.957 [0.967 / 0.935]), 47 vendors' product
                # news and its traps (0.974 / 0.914 [the same]; 0.869 / 0.843 [0.847 / 0.828]), 48
                # regulation, safety, recalls and courts (0.978 / 0.871 [0.977 / 0.861]; 0.873 /
                # 0.787 [0.852 / 0.754])
                "names_heldout46.jsonl": {"organisation": (0.98, 0.96), "product": (0.96, 0.95)},
                "names_heldout47.jsonl": {"organisation": (0.97, 0.91), "product": (0.93, 0.87)},
                "names_heldout48.jsonl": {"organisation": (0.98, 0.89), "product": (0.93, 0.81)}}


# Test sets, never trained on and their errors never read: kept in the repository so that their
# figures outlast a machine; a failure names the kind that fell, not the names. Read the figures,
# not the errors. Session 17's M (an ordinary month of the French-language trade press, written
# blind): floors just under session 18's final figures (org P 0.967 / R 0.915, product 0.938 /
# 0.877). Session 20's N (two blind sets of 140 lines, a factory's ordinary week of watch and an
# engineer's ordinary month of news, half French, half English), measured first with session 20's
# first code (org 0.989 / 0.959, product 0.967 / 0.924) and its last (0.990 / 0.969, 0.972 / 0.933).
# Session 22's O (two blind sets of 126 lines, makers' and trade news, regulators' and QSE news,
# half French, half English, every kind labelled under the contract's session-22 keys), measured
# once with session 22's code: standards P 0.993 / R 0.972, EU acts 1.000 / 0.989, French texts
# 1.000 / 0.970, dates 1.000 / 0.952, organisations 0.945 / 0.957, products 0.877 / 0.927 (session
# 21's code: standards 0.955 / 0.759, French texts 1.000 / 0.818, the other kinds the same).
# Session 23's Q (two blind sets of 127 and 130 lines written for that session's end: the whole
# range a factory watch receives, and an engineer's inbox of many kinds of sources at once),
# measured once with session 22's last code and once with session 23's: standards P 0.990 / R
# 0.953 -> 0.991 / 0.981, EU acts 1.000 / 0.984, French texts 1.000 / 0.967, dates 1.000 /
# 0.918 (the same), organisations 0.911 / 0.940 -> 0.940 / 0.940, products 0.804 / 0.822 ->
# 0.831 / 0.822: the names stay under the targets on text written apart from the rules.
BLIND_TEST_TARGETS = {"names_M.jsonl": {"organisation": (0.96, 0.90), "product": (0.92, 0.86)},
                      "names_N.jsonl": {"organisation": (0.98, 0.95), "product": (0.96, 0.92)},
                      "refs_O.jsonl": {"standard": (0.98, 0.96), "eu_act": (0.98, 0.97), "fr_text": (0.98, 0.95),
                                       "date": (0.98, 0.94), "organisation": (0.95, 0.95), "product": (0.89, 0.91)},
                      "refs_Q.jsonl": {"standard": (0.98, 0.97), "eu_act": (0.98, 0.97), "fr_text": (0.98, 0.95),
                                       "date": (0.98, 0.90), "organisation": (0.93, 0.93), "product": (0.82, 0.81)},
                      # Session 30's Y (two blind sets of 130 lines each: makers' and trade journals'
                      # news; regulators', prevention bodies', QSE and regional plant news), measured
                      # with session 30's first code and its last: standards P 0.984 / R 0.992,
                      # EU acts 1.000 / 1.000, French texts 0.949 / 1.000 -> 1.000 / 1.000 (a decree
                      # cited by number and date, then by date), dates 0.984 / 1.000, organisations
                      # 0.960 / 0.902, products 0.893 / 0.926 (the same); errors not read
                      "refs_Y.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                                       "date": (0.98, 0.98), "organisation": (0.95, 0.89), "product": (0.88, 0.91)}}


# Session 23's P1-P4 (sets of 124 to 146 lines, every kind labelled, written blind for it by four
# writers: makers' and trade news on robots, machine tools and additive manufacturing; on IoT,
# software, electrical equipment and vehicles; regulators' and QSE news; a watch's mixed inbox),
# measured once with session 22's last code, then tuned on (their errors read): organisations P
# 0.943 / 0.968 / 0.867 / 0.964, products 0.941 / 0.958 / 0.793 / 0.830 at first.
WRITTEN_ALL_KINDS_TARGETS = {
    "refs_P1.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.98, 0.98), "organisation": (0.95, 0.95), "product": (0.94, 0.88)},
    "refs_P2.jsonl": {"standard": (0.98, 0.97), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.98, 0.95), "organisation": (0.97, 0.98), "product": (0.96, 0.88)},
    "refs_P3.jsonl": {"standard": (0.97, 0.97), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.98, 0.98), "organisation": (0.95, 0.91), "product": (0.98, 0.87)},
    "refs_P4.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.95, 0.91), "organisation": (0.98, 0.96), "product": (0.92, 0.88)},
    # and R1-R2 (texts dense in products and their look-alikes; companies' and bodies' news),
    # written later in the session, measured once with its code of then (organisations P
    # 0.961 / R 0.938, products 0.930 / 0.853 over both; session 22's code 0.959 / 0.938 and
    # 0.923 / 0.853), then tuned on
    "refs_R1.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.90, 0.83), "organisation": (0.96, 0.93), "product": (0.94, 0.83)},
    "refs_R2.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.98, 0.88), "organisation": (0.96, 0.94), "product": (0.90, 0.94)},
    # Session 24's T (249 lines written blind: a week of a factory watch team's inbox; feeds'
    # headlines and teasers), blind in session 24 (organisations P 0.965 / R 0.947, products
    # 0.880 / 0.824 with its code and session 23's), its errors read and tuned on in session 25
    "refs_T.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                     "date": (0.98, 0.93), "organisation": (0.96, 0.94), "product": (0.93, 0.84)},
    # Session 25's U (258 lines written blind: a trade-fair fortnight's launches and
    # partnerships; vendors' and integrators' case studies), blind in session 25 (organisations
    # P 0.953 / R 0.941, products 0.906 / 0.833 with session 24's code; 0.955 / 0.941 and 0.910 /
    # 0.840 with session 25's), its errors read and tuned on in session 26
    "refs_U.jsonl": {"standard": (0.98, 0.96), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                     "date": (0.98, 0.95), "organisation": (0.95, 0.94), "product": (0.93, 0.87)},
    # Session 26's V (272 lines written blind: software and firmware releases, end-of-support
    # notices, advisories and recalls; regional business and plant news, orders and suppliers),
    # blind in sessions 26-27 (organisations P 0.952 / R 0.887, products 0.884 / 0.806), its
    # errors read and tuned on in session 28
    "refs_V.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                     "date": (0.96, 0.88), "organisation": (0.94, 0.89), "product": (0.88, 0.81)},
    # Session 28's W (260 lines written blind: makers' and trade journals' news; regulators',
    # QSE and regional news), blind in session 28 (organisations P 0.985 / R 0.965, products
    # 0.920 / 0.896), its errors read and tuned on in session 29
    "refs_W.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                     "date": (0.98, 0.98), "organisation": (0.98, 0.96), "product": (0.93, 0.91)},
    # Session 29's X (260 lines written blind: makers' and trade journals' news; regulators',
    # inspectorates', QSE and regional business news), blind in session 29 (organisations P
    # 0.958 / R 0.927, products 0.911 / 0.894), its errors read and tuned on in session 30
    "refs_X.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                     "date": (0.97, 0.97), "organisation": (0.98, 0.93), "product": (0.94, 0.91)},
    # and session 24's S1-S2 (product news dense in versions, editions and look-alike codes;
    # news dense in organisations, their arms and look-alikes), measured once with session 23's
    # last code (organisations P 0.846 / R 0.965 and 0.953 / 0.914, products 0.913 / 0.817 and
    # 0.761 / 0.854), then tuned on
    "refs_S1.jsonl": {"standard": (0.98, 0.94), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.88, 0.88), "organisation": (0.85, 0.95), "product": (0.93, 0.86)},
    "refs_S2.jsonl": {"standard": (0.98, 0.98), "eu_act": (0.98, 0.98), "fr_text": (0.98, 0.98),
                      "date": (0.98, 0.98), "organisation": (0.96, 0.93), "product": (0.86, 0.84)}}


def assert_floors(path: Path, targets: dict[str, tuple[float, float]]) -> None:
    """Each kind ``targets`` holds keeps at least its (precision, recall) on the set at ``path``."""
    figures = {}
    for kinds in (KINDS, NAME_KINDS):
        if not targets.keys().isdisjoint(kinds):
            figures |= score(path, kinds)
    for kind, (precision, recall) in figures.items():
        least_precision, least_recall = targets[kind]
        assert precision >= least_precision and recall >= least_recall, kind


@pytest.mark.parametrize("name", list(WRITTEN_ALL_KINDS_TARGETS))
def test_the_written_sets_of_every_kind_keep_their_figures(name):
    assert_floors(FIXTURES / name, WRITTEN_ALL_KINDS_TARGETS[name])


@pytest.mark.parametrize("name", list(BLIND_TEST_TARGETS))
def test_the_blind_test_sets_keep_their_figures(name):
    assert_floors(FIXTURES / "blind_test" / name, BLIND_TEST_TARGETS[name])


@pytest.mark.parametrize("name", list(NAME_TARGETS))
def test_organisations_and_products_precision_and_recall(name):
    figures = score(FIXTURES / name, NAME_KINDS)
    print(name, {k: f"P={p:.3f} R={r:.3f}" for k, (p, r) in figures.items()})
    for kind, (precision, recall) in figures.items():
        least_precision, least_recall = NAME_TARGETS[name][kind]
        assert precision >= least_precision, (kind, precision)
        assert recall >= least_recall, (kind, recall)


@pytest.mark.parametrize("pair", [(19, 20), (21, 22)])
def test_the_last_blind_pairs_together_meet_the_issue_targets(tmp_path, pair):
    """Issue 9's targets (P >= 0.95, R >= 0.90 per kind) on the last sets written blind for
    it, two by two as they were measured (260 lines each; set 20 alone holds 41 products)."""
    both = tmp_path / "names_blind_pair.jsonl"
    both.write_text("".join((FIXTURES / f"names_heldout{n}.jsonl").read_text(encoding="utf-8")
                            for n in pair), encoding="utf-8")
    figures = score(both, NAME_KINDS)
    print({k: f"P={p:.3f} R={r:.3f}" for k, (p, r) in figures.items()})
    assert all(p >= 0.95 and r >= 0.90 for p, r in figures.values()), figures


def names_in(text: str) -> set[tuple[str, str]]:
    return {(r.kind, r.key) for r in extract(text, names=True) if r.kind in NAME_KINDS}


def assert_names(text: str, expected: set, absent: set) -> None:
    """The names read in ``text`` hold every ``expected`` one and no ``absent`` one."""
    found = names_in(text)
    assert expected <= found, found
    assert not absent & found, found


@pytest.mark.parametrize("text", [
    "Conforme à l'ISO 10218-1 et au règlement (UE) 2023/1230, décret n° 2024-1234 du 3 mars 2024.",
    "Vis M8, charge de 30 kg, 4x4, robot 6-axis, résultats Q3 2025, chiffre d'affaires 2025.",
    "Marie Dupont, directrice du site de Lyon, accueille John Smith de Detroit.",
    "Spot de lumière. Stretch film. Digit by digit.",                   # listed products as words
    "LA SOCIÉTÉ POUR LA SÉCURITÉ A DIT SA POSITION.",                    # capitals: no framing
    "Un Mac SE sur le bureau ; sa machine ; le groupe de travail.",
    "Mexico, another oil supplier to Cuba, said so. Within the US, manufacturers have to comply.",
])
def test_look_alikes_are_not_names(text):
    assert names_in(text) == set(), text


def test_maker_figures_and_documents_are_not_products():
    assert names_in("Siemens annonce 78 milliards en 2025. FANUC Q3 2025. ABB 6-axis.") == {
        ("organisation", "Siemens"), ("organisation", "FANUC"), ("organisation", "ABB")}
    assert names_in("Fiche INRS ED 6009 sur le levage.") == {("organisation", "INRS")}


def test_spellings_of_one_listed_name_meet_on_its_listed_spelling():
    assert names_in("Staubli, STÄUBLI? Stäubli et TRUMPF, Trumpf, Dassault Systemes") == {
        ("organisation", "Stäubli"), ("organisation", "Trumpf"), ("organisation", "Dassault Systèmes")}
    assert names_in("Universal \u00a0 Robots") == {("organisation", "Universal Robots")}
    # a line break ends a name: stored text breaks lines where HTML ends a paragraph or an item
    assert names_in("Nos partenaires :\nUniversal\nRobots") == set()
    assert names_in("Nos partenaires :\nUniversal Robots\nFanuc") == {("organisation", "Universal Robots"),
                                                                      ("organisation", "FANUC")}


def test_a_lists_items_are_read_apart():
    """An HTML list's items become lines of the stored summary, and no name runs on from one
    to the next (read as one line, "CRX-10iA Techman TM5S" was a product, Techman no maker)."""
    from veille.item import RawItem
    from veille.normalise import normalise
    it = normalise(RawItem(source_id="s", title="Salon : les cobots exposés", url="http://127.0.0.1/a", summary=(
        "<p>Sur le stand :</p><ul><li>Universal Robots UR10e</li><li>Fanuc CRX-10iA</li><li>Techman TM5S</li></ul>")),
        default_lang="fr", fetched_at="2026-11-27T00:00:00Z")
    assert {(r.kind, r.key) for r in extract(reading_text(it.title, it.summary, it.content), "fr", names=True)} == {
        ("organisation", "Universal Robots"), ("organisation", "FANUC"), ("organisation", "Techman"),
        ("product", "UR10e"), ("product", "CRX-10iA"), ("product", "TM5S")}


def test_framed_organisations_and_models_after_their_maker():
    assert names_in("La société Vention SAS et le fabricant allemand Sick ; Zimmer Group GmbH.") == {
        ("organisation", "Vention"), ("organisation", "SICK"), ("organisation", "Zimmer Group")}   # listed: its key
    assert names_in("Yaskawa Motoman HC30PL et Stratasys F5000 ; DMG Mori lance la DMU 50.") >= {
        ("product", "Motoman HC30PL"), ("product", "F5000"), ("product", "DMU 50")}


def test_apposed_organisations_and_models_a_type_frames():
    assert names_in("Cobalio, spécialiste stéphanois du picking, lance le robot PX-4.") == {
        ("organisation", "Cobalio"), ("product", "PX-4")}
    assert names_in("Vexa, a Danish maker of grippers, introduced the VG10.") == {
        ("organisation", "Vexa"), ("product", "VG10")}
    assert names_in("Le fabricant Dobot installe 50 cobots CR20A chez un client.") == {
        ("organisation", "Dobot"), ("product", "CR20A")}
    # a type with a dimension, a joint count or a laser count frames no model; a model's code
    # without a maker named, but not after a preposition (a protocol: "via S7comm")
    assert names_in("ABB : imprimantes 3D, bras 7-DOF, machine 16-laser.") == {("organisation", "ABB")}
    assert names_in("Le robot TX-90 équipe la cellule.") == {("product", "TX-90")}
    assert names_in("Les robots TX2-90L HE obtiennent la classe 5.") == {("product", "TX2-90L HE")}
    assert names_in("La sonde identifie les automates via S7comm.") == set()
    assert names_in("La cellule reçoit le robot Gizmo.") == set()     # no code: a maker must be named


def test_software_its_kind_frames_after_a_possessive():
    assert ("product", "Electric Motion Sizing") in names_in(
        "Newsletter Festo – Découvrez notre outil en ligne Electric Motion Sizing pour dimensionner vos axes.")


def test_an_acronym_or_a_brand_before_its_type_after_an_article():
    # a name in capitals or camel case between an article and its product type is a product
    assert ("product", "QLMX") in names_in("Schunk shows the ZK-40 slide and the QLMX linear gripper module at SPS.")
    assert ("product", "PRTL") in names_in("Stäubli pairs its AR-12 arm with the PRTL controller.")
    # a technology goes without; a maker's plain name before a type is its brand; a town after "à"
    assert ("product", "EtherCAT") not in names_in("Schunk ships the EtherCAT terminal with the ZK-40.")
    assert ("product", "Haas") not in names_in("The shop owned a Fanuc arm and used it to tend a Haas machine.")
    assert ("product", "Orlon") not in names_in("Brevalis assemble à Orlon ses électrolyseurs, et Genvia à Béziers.")


def test_a_code_goes_on_after_a_dot_or_a_colon():
    assert ("product", "TWINSCAN NXT:1980i") in names_in("Le fondeur installe un scanner ASML TWINSCAN NXT:1980i à Crolles.")
    assert ("product", "LOGO! 8.3") in names_in("Siemens a livré LOGO! 8.3 aux tableautiers.")
    assert ("product", "VXT-300M.R") in names_in("Basler launches the VXT-300M.R camera for inspection.")
    # a sentence going on without a space is no code
    assert ("product", "IRB 6700") in names_in("ABB ships the IRB 6700.Then it moved on.")


def test_a_headline_in_capitals_goes_on_after_a_brand_written_in_its_own_capitals():
    assert names_in("JEC WORLD: TEXTORA LAUNCHES FIBRAcore 3.0 WHILE VELMONT UNVEILS ITS TAPE\nThe deal includes Daher.") \
        >= {("product", "FIBRAcore 3.0"), ("organisation", "Daher")}
    assert ("product", "FIBRAcore 3.0 WHILE VELMONT UNVEILS") not in names_in(
        "JEC WORLD: TEXTORA LAUNCHES FIBRAcore 3.0 WHILE VELMONT UNVEILS ITS TAPE\nThe deal includes Daher.")


def test_a_models_code_after_an_article_where_a_maker_is_named():
    assert ("product", "RX3-70L HE") in names_in("Chez Stäubli, le RX3-70L HE et la suite SRS 2025 sont présentés à Lyon.")
    assert ("product", "QT482") in names_in("ifm's moneo platform now reads sensors such as the QT482.")
    # not a dimension, a size or a common word before a code
    assert names_in("Zebra acquires Photoneo, the Slovak 3D vision specialist.") == {
        ("organisation", "Zebra"), ("organisation", "Photoneo")}


def test_editions_a_model_ends_with():
    assert ("product", "KR 300 R2700 ultra") in names_in("KUKA shows the KR 300 R2700 ultra at Automatica.")
    assert ("product", "PSENmlock mini") in names_in("Pilz présente l’interverrouillage PSENmlock mini ; il se monte partout.")
    assert ("product", "Skypod Next Gen") in names_in("Exotec présente Skypod Next Gen à la presse.")
    assert ("product", "FormUp 350 New Generation") in names_in("AddUp livre une FormUp 350 New Generation à un motoriste.")
    assert ("product", "Optimus Gen 3") in names_in("Tesla shows Optimus Gen 3 at the plant.")


def test_a_particle_in_capitals_inside_a_sentence_opens_the_name():
    assert ("organisation", "De Dietrich Thermique") in names_in(
        "Le fabricant de chaudières De Dietrich Thermique robotise son usine de Mertzwiller.")


def test_a_software_kind_before_a_version_is_the_names():
    assert names_in("Ansys demoed its Additive Suite 2025 R2 at Formnext.") == {
        ("organisation", "Ansys"), ("product", "Additive Suite 2025 R2")}


def test_a_building_management_system_frames_its_name():
    assert names_in("Fnac Darty a retenu la GTB Niagara 4 de Tridium pour son entrepôt.") >= {("product", "Niagara 4")}
    assert ("product", "GTB Niagara 4") not in names_in("Fnac Darty a retenu la GTB Niagara 4 de Tridium pour son entrepôt.")


def test_organisations_framed_by_their_works_their_head_word_or_their_role():
    # a fair that acts is no organisation
    assert names_in("Hall 5 was full as Hannover Messe opened its doors.") == set()
    # a company's head word, also an oil company's or a miner's
    assert ("organisation", "Marathon Petroleum") in names_in(
        "Eaton upgrades arc-flash protection at Marathon Petroleum's Garyville refinery.")
    # the works of a firm in a town, the town named
    assert ("organisation", "Galvaplex") in names_in("L’usine de Vénissieux de Galvaplex applique la VDI 2263.")
    assert ("organisation", "Faverges") not in names_in("Stäubli agrandit son usine de robots de Faverges.")
    # a dimension after a start-up's name is its name's
    assert ("organisation", "Addimat 3D") in names_in("Formnext : la start-up lyonnaise Addimat 3D présente son imprimante.")
    # a region's acronym, an award's title
    assert names_in("RS Group adds the range across EMEA.") == {("organisation", "RS Group")}
    assert ("product", "Integrator") not in names_in(
        "Rockwell Automation names Midwest Motion Controls its 2025 Integrator of the Year.")


def test_products_after_their_maker_named_again_a_release_number_or_before_their_maker():
    # a listed maker in front of a product the context reads: the product without it
    assert ("product", "NickelAlloy HX") in names_in("EOS launches the M 290-2 1kW and the EOS NickelAlloy HX powder.")
    # a release's number before a model's name
    assert ("product", "PAS4000") in names_in("Pilz : l’automate PSS 4000 reçoit la version 1.24 de PAS4000.")
    # a name and its grade in capitals before its maker
    assert ("product", "Plastomoll DOXA") in names_in("Tarkett remplace les phtalates par le Plastomoll DOXA de BASF.")


def test_a_listed_family_or_software_before_a_version_or_a_model_is_the_products():
    assert names_in("Wago intègre le runtime CODESYS V3.5 SP20 dans ses automates.") >= {("product", "CODESYS V3.5 SP20")}
    assert ("organisation", "CODESYS") not in names_in("Wago intègre le runtime CODESYS V3.5 SP20 dans ses automates.")
    assert ("product", "MAZATROL SmoothAi") in names_in(
        "The shop added a Mazak VARIAXIS i-700 with Mazatrol SmoothAi control.")


def test_trades_of_the_regional_press_frame_a_firm():
    assert ("organisation", "Groupe Cahors") in names_in("À Maxou, le tableautier Groupe Cahors vérifie ses armoires.")
    assert ("organisation", "Vitrasud") in names_in("Le verrier Vitrasud investit dans un four hybride.")
    assert ("organisation", "Ecomaison") in names_in("Gautier France reprend ses invendus avec l’éco-organisme Ecomaison.")


def test_the_maker_named_after_the_equipment_a_plant_buys():
    assert_names("La fonderie Morel installe à Vierzon une ligne de grenaillage Rösler et un four de recuit Bautz.",
                 {("organisation", "Rösler"), ("organisation", "Bautz")}, {("product", "Bautz")})
    assert_names("Deux cabines de peinture Lacqua équiperont l'atelier de Pornic.",
                 {("organisation", "Lacqua")}, {("product", "Lacqua")})
    # a robot's or a system's name after its trade, a name right after the equipment's word,
    # a town after "de", a model's code and English are not the frame's
    for text, absent in [("Le robot de perçage Foratek arrive chez Airbus.", ("organisation", "Foratek")),
                         ("La remplisseuse Aquafil et l'étiqueteuse de Krones tournent.", ("organisation", "Aquafil")),
                         ("La ligne de ferrage de Mulhouse redémarre.", ("organisation", "Mulhouse")),
                         ("Une presse à injection de Netstal, la presse de moulage Elion 3200.", ("organisation", "Elion")),
                         ("Two Haas machines over Ethernet, said the plant.", ("organisation", "Ethernet"))]:
        assert absent not in names_in(text), text


def test_a_maker_that_patches_or_recalls_acts_and_a_countrys_or_a_trades_arm_is_a_division():
    assert_names("Teltonika corrige une faille dans RutOS : les routeurs RUT241 doivent être mis à jour.",
                 {("organisation", "Teltonika"), ("product", "RUT241")}, set())
    assert ("organisation", "Meta Ireland") in names_in("The regulator found that Meta Ireland breached the GDPR.")
    assert ("organisation", "Danone Waters") in names_in("Danone Waters a déjà commandé deux machines.")
    assert ("organisation", "Severn Trent Water") in names_in("The agency prosecuted Severn Trent Water over discharges.")
    # a product fixes: it is no maker for it ("Halberd HMI Studio fixes CVE-…")
    assert ("organisation", "Halberd HMI Studio") not in names_in(
        "Version 3.2.7 of Halberd HMI Studio fixes CVE-2025-30411, developer Quenlo Software said.")


def test_a_listed_product_before_a_model_is_its_family_and_a_type_word_inside_a_versioned_name_is_the_names():
    assert_names("Honeywell will stop selling Experion LX R500 next year.",
                 {("product", "Experion LX R500")}, {("organisation", "Experion"), ("product", "LX R500")})
    assert_names("Okuma America is demonstrating the Genos M560-V vertical machining center.",
                 {("product", "GENOS M560-V")}, {("organisation", "Genos"), ("organisation", "GENOS")})
    assert ("product", "EcoStruxure Operator Terminal Expert 2024") in names_in(
        "Schneider Electric invite les utilisateurs à migrer vers EcoStruxure Operator Terminal Expert 2024.")


def test_a_release_s_decimals_a_code_like_a_formula_a_plant_s_town_and_a_trailing_ups():
    # a release written with its decimals after a model's number is all of its name
    assert ("product", "OTTO 1500 V2.5") in names_in("Clearpath Robotics launches OTTO 1500 V2.5")
    # a model's code whose letters spell a formula's elements, but one twice in a row, is a code
    assert ("product", "HH7") in names_in("Yorvik Robotics launches the HH7 cobot")
    assert ("product", "CO2") not in names_in("Yorvik Robotics launches the CO2 laser")
    # a plant's type before a firm: "de Douai" is its town, no part of its name
    assert ("organisation", "Ferrolux") in names_in("La DREAL met en demeure la fonderie Ferrolux de Douai.")
    # an uninterruptible power supply's acronym is the kind, not the name's ("Galaxy VXL UPS systems")
    assert ("product", "Galaxy VXL") in names_in("Schneider Electric will make Galaxy VXL UPS systems in Monterrey.")


def test_places_editions_amendments_and_released_words_are_no_names():
    # a place, whichever reader takes it, unless it names a maker by its legal form or its model
    assert names_in("La PME de Figeac, sous-traitant de Liebherr Aerospace, investit.") == {
        ("organisation", "Liebherr Aerospace")}
    assert ("organisation", "Cincinnati") in names_in("The lab worked with Cincinnati Inc. on a large printer.")
    assert ("organisation", "Heidelberg") in names_in("The printer bought a Heidelberg Speedmaster XL 106 press.")
    # a nationality or a region's people before a trade
    assert ("organisation", "Scottish") not in names_in("Kaeser supplies a Scottish distillery with compressors.")
    # a standard's amendment is no body ("A3", the automation association)
    assert names_in("Installers follow BS 7671:2018+A3:2024 for battery storage.") == set()
    # an edition inside a product's name is no maker; an organisation's word no second one
    assert names_in("Rockwell Automation patches FactoryTalk View SE v13.0.") == {
        ("organisation", "Rockwell Automation"), ("product", "FactoryTalk View SE v13.0")}
    assert names_in("La société Scierie du Marsan SARL a été condamnée.") == {("organisation", "Scierie du Marsan")}
    # a trade's firm and its family name, then its town; a firm its place names keeps it
    assert ("organisation", "Forges Durand") in names_in("Les Forges Durand de Vierzon recrutent.")
    assert ("organisation", "Forges de Vierzon") in names_in("Les Forges de Vierzon recrutent.")
    # a release's decimals before a full stop; what was done with it is no part of its name
    assert ("product", "SIMATIC S7-1200 V4.7") in names_in("SIEMENS CORRIGE SIMATIC S7-1200 V4.7. Les automates")
    assert ("product", "Creo 12 M010") in names_in("Creo 12 M010 Released. The update fixes export.")
    # which unit it is, before a model: no model of its own
    assert ("product", "300e") not in names_in("Amada livre sa 300e ENSIS-3015 en France.")
    # an inspector's British regulation and a French emergency plan are no names
    assert names_in("Inspectors found no COSHH assessment, and DSEAR had been ignored.") == set()
    assert names_in("L'exploitant a déclenché son POI vers 4 h.") == set()
    # a newspaper's article is its name's
    assert ("organisation", "Le Progrès") in names_in("Selon Le Progrès, le site ferme.")
    # a variant's letters after a product, an edition's after a model's code
    assert ("product", "Onyx FR-A") in names_in("Markforged prints the part in Onyx FR-A for rail interiors.")
    assert ("product", "ENSIS-3015 AJe") in names_in("The shop adds two Amada ENSIS-3015 AJe lasers.")
    # a network's office in towns joined by a hyphen
    assert ("organisation", "UIMM Rouen-Dieppe") in names_in("Avec l'UIMM Rouen-Dieppe, la formation ouvre.")


def test_software_named_with_its_version():
    # its name in capitalised words and its version, which no maker's model is
    assert names_in("Photoneo ships Bin Picking Studio 1.11 for mixed depalletizing.") == {
        ("organisation", "Photoneo"), ("product", "Bin Picking Studio 1.11")}
    assert names_in("Le servo-variateur se paramètre dans Startdrive V19.") == {("product", "Startdrive V19")}
    # a name whose second word is a common one, before its version, is one product
    assert names_in("The fanless IPC runs Ubuntu Core 24 or Debian 12.") >= {("product", "Ubuntu Core 24")}
    assert names_in("Le jumeau numérique tourne sous Tecnomatix Process Simulate 2506.") == {
        ("product", "Tecnomatix Process Simulate 2506")}
    # not a rule's, a protocol's, an era's or a currency's letters before a number
    assert names_in("Inspectors cited 29 CFR 1910.147 at the plant.") == set()
    assert names_in("The gateway now requires TLS 1.3 for all connections.") == set()
    assert names_in("Le salon met Industrie 4.0 à l'honneur.") == set()
    assert names_in("Revenue rose to EUR 2.3 billion.") == set()
    # nor a quantity after a company's name ("1.2 million")
    assert ("product", "Bellamy 1.2") not in names_in("New plant gives Bellamy 1.2 million loaves a week.")


def test_headline_words_around_a_model_or_a_division():
    # a Title Case headline's verb ends a listed group's division; not without one
    assert ("organisation", "KION Group") in names_in(
        "Kion Group Cuts 1,400 Jobs, Shifts Forklift Output to Czech Republic\nThe move affects two plants.")
    # a capitalised word saying which units is no part of the model's name
    assert ("product", "NXG 600E") in names_in(
        "Nikon SLM Solutions Ships First NXG 600E to Aerospace Supplier\nThe system prints engine parts.")
    assert names_in("Affected 8-Series units built in Columbus will get a new brake valve.") == {("product", "8-Series")}
    # a plant's power or an amount after a common word or a currency names no model
    assert names_in("GE Vernova Books 7 GW of Gas Turbine Slots\nDemand soars.") == {("organisation", "GE Vernova")}
    assert names_in("Stellan Rail wins a contract worth SEK 4.6 billion.") == {("organisation", "Stellan Rail")}
    assert ("product", "Haliade-X") in names_in("L'éolienne Haliade-X 12 MW de GE Vernova.")


def test_sites_programmes_and_bodies_are_no_products():
    # a site's word after an owner's name, also after a second name or a trade word
    assert names_in("Heineken’s Zoeterwoude brewery commissions an electrode boiler.") == {("organisation", "Heineken")}
    assert ("product", "Aschaffenburg") not in names_in(
        "The Linde Material Handling parent said the move affects its Aschaffenburg and Châtellerault plants.")
    assert names_in("Pohjola Board commissioned a boiler at its Kuusankoski board mill.") == {("organisation", "Pohjola Board")}
    assert ("product", "VF-2") in names_in("The shop bought a Haas VF-2 mill last year.")   # a machine
    # a programme's or a certification's name; a body's acronym after its kind
    assert ("product", "SCAF") not in names_in("SAFRAN et MTU Aero Engines coopèrent sur le moteur du programme SCAF.")
    assert names_in("Danone annonce la certification FSSC 22000 de son usine de Bailleul.") == {("organisation", "Danone")}
    assert ("product", "LfU") not in names_in("Tesla's plant gets approval from the environment agency LfU.")
    # an accreditation scheme, before its audit or alone; a certificate
    assert names_in("Sintavia, approved under AS9100D and Nadcap, will print parts.") == {("organisation", "Sintavia")}
    assert ("product", "NADCAP") not in names_in("Aerostructures Atlantique renews its NADCAP accreditation.")
    assert ("product", "IECEx") not in names_in("RugTab launches a tablet. It received its IECEx certificate.")
    # a training arm after a listed body is part of its name
    assert ("organisation", "BSI Training Academy") in names_in("Self-paced, 8 hours, by the BSI Training Academy.")


def test_a_model_written_before_its_maker():
    assert names_in("La KIRA B 50 de Kärcher et la Liberty SC50 de Nilfisk ont été testées.") >= {
        ("product", "KIRA B 50"), ("product", "Liberty SC50")}
    assert ("product", "GP25") in names_in("Vu au salon : le GP25 de Yaskawa pour la manutention.")
    # not a body's document
    assert ("product", "SPEC 2210") not in names_in("Cybersécurité des machines : la SPEC 2210 d'AFNOR disponible.")


def test_names_read_from_their_context():
    # an unlisted maker that acts, and the model it launches
    assert names_in("Nordson launched the ProBlue Flex adhesive melter.") == {
        ("organisation", "Nordson"), ("product", "ProBlue Flex")}
    # bought, after its role with adjectives, a company head word
    assert names_in("Zebra Technologies acquired Fetch Robotics in 2021.") == {
        ("organisation", "Zebra Technologies"), ("organisation", "Fetch Robotics")}
    assert ("organisation", "Robotika Ouest") in names_in(
        "La cellule est fournie par l'intégrateur nantais Robotika Ouest.")
    # a type before the model and its maker after it
    assert names_in("Le scanner HandySCAN Black de Creaform mesure les pièces.") >= {
        ("product", "HandySCAN BLACK"), ("organisation", "Creaform")}
    # a division or a country subsidiary written after a listed name is part of it
    assert ("organisation", "FANUC America") in names_in("FANUC America opened a training centre.")
    assert ("organisation", "Renault") in names_in("La Renault Austral obtient cinq étoiles.")


def test_a_name_is_read_whole_where_a_listed_part_of_it_is_written():
    """A listed name or family model inside a fuller name gives the fuller name: a version, a
    variant, an edition, a body's regional office."""
    assert ("product", "PC-DMIS 2025.1") in names_in("Hexagon publie PC-DMIS 2025.1, avec la programmation hors ligne.")
    assert ("product", "M-410iC/500") in names_in("FANUC présente le M-410iC/500 pour la palettisation.")
    assert ("product", "SIMATIC S7-1200") in names_in("Siemens SIMATIC S7-1200 : trois vulnérabilités corrigées.")
    assert ("product", "GrabCAD Print Pro") in names_in(
        "Stratasys introduces the F3300 FDM printer and GrabCAD Print Pro software.")
    assert ("organisation", "DREAL Grand Est") in names_in("La DREAL Grand Est met en demeure la société Chimilor.")
    assert ("organisation", "Carsat Pays de la Loire") in names_in("Élaboré avec la Carsat Pays de la Loire, le guide paraît.")
    assert ("product", "RenAM 500Q Flex") in names_in("Renishaw propose la RenAM 500Q Flex pour la R&D.")
    assert ("product", "CX210L") in names_in("Kawasaki Robotics Introduces the CX210L Heavy-Payload Robot")
    assert ("product", "Absolute Arm") in names_in("Hexagon met à jour son bras de mesure Absolute Arm.")
    assert ("product", "Simatic S7-1200 G2") in names_in("Un automate Simatic S7-1200 G2 pilote la ligne.")
    assert ("product", "GA 37 VSD+") in names_in("Atlas Copco GA 37 VSD+ units replace the old compressors.")
    # a listed product written with its maker in front is keyed without it
    assert names_in("Autodesk Fusion now includes generative design.") == {
        ("organisation", "Autodesk"), ("product", "Fusion")}
    assert ("product", "Crysta-Apex V") in names_in("Mitutoyo America showcases its Crysta-Apex V CMMs.")
    # a generic word is no product, nor the end of one read from a headline
    assert names_in("Universal Robots acquires French 3D vision startup Visionik") == {
        ("organisation", "Universal Robots"), ("organisation", "Visionik")}
    assert ("product", "F5000") in names_in("Stratasys Introduces F5000 Industrial FDM Printer for Tooling")
    # a protocol before or after a model is no part of it, nor a product alone
    assert ("product", "O5D150") in names_in("Le capteur IO-Link O5D150 d'ifm mesure des distances.")
    assert ("product", "EtherCAT") not in names_in("Beckhoff lance TwinCAT 3.1 et de nouveaux modules EtherCAT.")
    # a protection rating or an alloy is no model
    assert names_in("Omron launched SCARA robots with IP65 protection, printed in Ti6Al4V.") == {("organisation", "Omron")}
    # the press's spellings of a listed acronym or lowercase brand key on the listed one
    assert ("organisation", "DREAL") in names_in("La Dreal a mis en demeure le site.")
    assert ("organisation", "igus") in names_in("Igus Launches a Cobot for Under 5,000 Euros")
    # a regional office only after a body: "Renault Bretagne" is no organisation of its own
    assert ("organisation", "Renault") in names_in("Renault Bretagne ouvre une ligne.")


def test_versions_legal_forms_roles_and_english_only_bodies():
    assert ("product", "Solid Edge 2025") in names_in("Siemens lance Solid Edge 2025 pour les PME.")
    assert ("product", "Mechanical 2024 R2") in names_in("Ansys Mechanical 2024 R2 est disponible.")
    assert ("product", "Laser Genius+") in names_in("Prima Industrie delivered a Laser Genius+ 2D cutting system.")
    assert ("organisation", "Moritex") in names_in("Cognex acquires Moritex Corporation, a maker of optics.")
    assert ("organisation", "Robotonni") in names_in("Finnish Start-Up Robotonni Oy Raises €8M")
    assert ("organisation", "Midwest Motion Controls") in names_in(
        "Integrator Midwest Motion Controls specified Kinetix 5700 drives.")
    assert ("organisation", "Teradyne") in names_in("The Teradyne-owned company says so.")
    english = {(r.kind, r.key) for r in extract("The HSE has published guidance.", "en", names=True)}
    assert ("organisation", "HSE") in english
    for text, lang in (("Un responsable HSE a publié une note.", "fr"), ("The HSE manager signed it.", "en"),
                       ("The HSE has published guidance.", "fr")):
        assert ("organisation", "HSE") not in {(r.kind, r.key) for r in extract(text, lang, names=True)}, text


@pytest.mark.parametrize("text, expected", [
    ("Mikaela Shiffrin extended her record. Shiffrin wins again.", set()),         # a person acts
    ("Uswitch's Richard Neudegg advises fixed deals.", {("organisation", "Uswitch")}),  # no product
    ("Grenoble et Saint-Étienne accueillent les Journées de la robotique.", set()),  # places
    ("Le salon SEPEM Industries ouvre ses portes ; Smart Manufacturing Week opens.", set()),  # events
    ("Additive Manufacturing for Innovative Design, a course.", set()),             # a field
    ("Mexico, another oil supplier to Cuba, said so.", set()),
    ("Poudres métalliques : maîtriser les risques d'explosion en fabrication additive", set()),   # a topic
    ("Lubrification automatique : moins d'interventions en hauteur", set()),
])
def test_context_look_alikes_are_not_names(text, expected):
    assert names_in(text) == expected


def test_labeled_set_has_enough_sentences_in_both_languages():
    langs = Counter(json.loads(l)["lang"] for l in (FIXTURES / "sentences.jsonl").read_text().splitlines())
    assert sum(langs.values()) >= 150 and langs["fr"] >= 60 and langs["en"] >= 60


def test_spellings_of_one_standard_meet_on_one_key():
    keys = {r.key for t in ("NF EN ISO 13849-1:2023", "EN ISO 13849-1", "ISO 13849-1") for r in extract(t)}
    assert keys == {"ISO 13849-1"}


def test_text_is_kept_as_written():
    refs = extract("Conforme à la NF EN ISO 13849‑1:2023 et au règlement (UE) 2023/1230.")
    assert [r.text for r in refs] == ["NF EN ISO 13849‑1:2023", "règlement (UE) 2023/1230"]


def test_an_items_text_is_read_once_where_the_content_repeats_the_summary():
    title = "Robot cell upgrade"
    article = ("Comau has delivered a welding cell to a plant near Turin. The cell meets "
               "EN ISO 10218-2:2025 and applies from 20 January 2027 under Regulation (EU) 2023/1230.")
    for summary in (article, article[:60] + "…", article[:60] + " [...]", article[:60] + "..."):
        assert reading_text(title, summary, article) == f"{title}\n{article}", summary
    other = "A summary of its own naming Stäubli."
    assert reading_text(title, other, article) == f"{title}\n{other}\n{article}"
    assert reading_text(title, article, "") == f"{title}\n{article}\n"
    assert {(r.kind, r.key) for r in extract(reading_text(title, article, article), names=True)} == \
        {(r.kind, r.key) for r in extract(f"{title}\n{article}\n{article}", names=True)}


def test_date_without_year_and_unframed_dates_are_not_invented():
    assert extract("Applicable à partir du 1er juillet. Publié le 3 mars 2026.") == []


@pytest.mark.parametrize("text", [
    "As of 30 September 2025, the group employed 12,000 people in its robot plants.",
    "Pour en savoir plus, revoyez notre webinaire du 12 mars 2025 ou le billet publié à partir du 3 mars 2025.",
    "Under plant manager Jane Roe (in post from May 2016), the site cut its accident rate by half.",
    "By May 2024, the foundry had shipped its millionth casting; the rules of the tender were met.",
    "Le salon ouvre ses portes dès le 3 mars 2026 à Lyon.",
])
def test_a_date_after_a_bare_from_or_by_is_no_deadline_outside_a_sentence_about_a_rule(text):
    assert [r for r in extract(text) if r.kind == "date"] == []


def test_a_date_after_a_bare_from_or_by_counts_in_a_sentence_about_a_rule():
    keys = {r.key for r in extract("From 1 January 2027, operators must keep records for five years. "
                                   "Dès le 1er septembre 2026, la déclaration sera dématérialisée. "
                                   "Les équipements au R-404A sont interdits à partir de janvier 2030.") if r.kind == "date"}
    assert keys == {"2027-01-01", "2026-09-01", "2030-01"}


def test_a_date_no_trigger_introduces_counts_in_a_clause_stating_an_obligation():
    def dates(text):
        return {r.key for r in extract(text) if r.kind == "date"}
    assert dates("La directive (UE) 2023/970 doit être transposée avant le 7 juin 2026.") == {"2026-06-07"}
    assert dates("Firmware 3.x of the drive controllers reaches end of support on 30 September 2026.") == {"2026-09-30"}
    assert dates("Le décret du 12 mars 2024, publié au Journal officiel le 14 mars 2024, rend la "
                 "vérification obligatoire.") == set()                  # a text's and an issue's dates
    assert dates("The inspection on 8 October 2025 found the mandatory guards missing.") == set()
    assert dates("Les contrôles obligatoires se sont tenus du 3 au 5 mars 2026.") == set()   # a range
    assert dates("Our plant in Lyon opened in March 2026; visitors must wear safety shoes.") == set()
    # a sentence opening on a date dates its main clause, where the obligation is stated
    assert dates("Starting January 1, 2027, new forklifts delivered to our plants must detect pedestrians.") == {"2027-01-01"}
    assert dates("En juillet 2026, la traçabilité des pièces de sécurité deviendra obligatoire.") == {"2026-07"}
    assert dates("On 12 March 2026, the Commission adopted the act that operators must apply.") == set()


@pytest.mark.parametrize("text, keys", [
    # a deadline, a start, an end, a date moved, a date set: in a sentence about a rule
    ("Les propriétaires doivent équiper les ascenseurs existants d'une téléalarme avant le 1er janvier 2028.",
     {"2028-01-01"}),
    ("Depuis le 1er janvier 2026, les déclarations d'accidents du travail doivent être dématérialisées.", {"2026-01-01"}),
    ("Until 31 December 2027, notified bodies may continue to issue certificates under the old directive.",
     {"2027-12-31"}),
    ("The deadline for registration data has been extended to 27 October 2029.", {"2029-10-27"}),
    ("Le délai de mise en conformité est reporté d'un an, au 1er janvier 2027, annonce la DGT.", {"2027-01-01"}),
    ("CBAM's definitive regime starts on 1 January 2026, when importers must hold declarant status.",
     {"2026-01-01"}),
    ("Au 1er juillet 2026, la version 2015 de la norme ne pourra plus servir de référentiel.", {"2026-07-01"}),
    ("La norme NF EN ISO 13849-1:2015 sera retirée le 30/06/2026, a confirmé AFNOR.", {"2026-06-30"}),
    ("Accessibilité des produits – 28 juin 2025 : date d'application des exigences de la directive.", {"2025-06-28"}),
    ("L'arrêté entrera en vigueur le 1er octobre 2026 pour les installations nouvelles et le 1er janvier 2028 "
     "pour les installations existantes.", {"2026-10-01", "2028-01-01"}),
    # what happened or happens that day, a product's market date, "not until"
    ("Jusqu'au 31 mars 2026, l'exposition sur l'usine du futur reste ouverte au public.", set()),
    ("La consultation sur le projet d'arrêté est ouverte jusqu'au 20 janvier 2026.", set()),
    ("Starting on 9 March 2026, the standards committee will meet weekly to review comments.", set()),
    ("Les machines mises sur le marché avant le 20 janvier 2027 restent couvertes par la directive 2006/42/CE.", set()),
    ("He didn't lead the vote to repeal the rules until December 2017.", set()),
    ("Depuis le 1er janvier 2025, le nombre d'accidents du travail avec arrêt a baissé de 12 %.", set()),
    ("HSE confirmed on 3 February 2025 that the transitional period ends on 31 October 2026.", {"2026-10-31"}),
    # a date named by what it is, or taken up by the next sentence
    ("Product: CX-5 controller | Last time buy: 2026-06-30 | End of repair service: 2028-06-30",
     {"2026-06-30", "2028-06-30"}),
    ("Date d'effet : 1er juillet 2026. Le cahier des charges s'impose à tous les metteurs sur le marché.",
     {"2026-07-01"}),
    ("Save the date: 2 August 2026. From then on, most obligations for high-risk AI systems apply.", {"2026-08-02"}),
    # a goal, a date since replaced, what starts that day
    ("The group aims to eliminate PFAS seals from its range by June 2027, ahead of any regulation.", set()),
    ("L'obligation, initialement fixée au 1er janvier 2026 par l'accord de branche, est repoussée au "
     "1er juillet 2027.", {"2027-07-01"}),
    ("OSHA's public hearing on the proposed heat rule began on June 16, 2025 and lasted weeks.", set()),
    # a list's or a table's value under a line about a rule or a deadline; a date the text says is not
    ("Compliance calendar\nObligation | Deadline\nSDS update | 2026-05-01\nAnnual report | 31/07/2026",
     {"2026-05-01", "2026-07-31"}),
    ("The following prohibitions apply:\n1. Split systems up to 12 kW: 1 January 2027.", {"2027-01-01"}),
    # a numeric date only the US order reads, and one no order reads
    ("The silica rule's compliance deadline is 12/15/2026.", {"2026-12-15"}),
    # a table's column of past dates; a date the text calls the original one; a product's
    # availability; a deal's closing; a headline's last word before the body's first date
    ("Inspection schedule\n| Equipment | Last inspection | Next inspection due |\n"
     "| Air receiver R-12 | 2023-03-14 | 2026-03-14 |", {"2026-03-14"}),
    ("Reports are now due by July 1, 2026. The original deadline of January 1, 2026 was extended.", {"2026-07-01"}),
    ("Replacement: KX-300 series (available since 1 September 2025). End of repair service: 30 June 2031",
     {"2031-06-30"}),
    ("The merger of two sensor makers closed on 31 March 2025 after approval under the EU merger regulation.", set()),
    ("AZF, vingt-cinq ans après\nLe 21 septembre 2001, l'explosion faisait 31 morts. La loi du 30 juillet 2003 a "
     "créé les PPRT.", set()),
    # a weekday between the trigger and the date
    ("À compter du lundi 3 novembre 2025, le port des lunettes est obligatoire dans le bâtiment B.", {"2025-11-03"}),
    ("Reports are due by Friday, 27 March 2026 under the regulation; the fair opens on Tuesday, 3 March 2026.",
     {"2026-03-27"}),
    ("Les déclarations sont dues avant le 13/12/2026 ; aucune avant le 30/02/2026.", {"2026-12-13"}),
    ("By Jane Holloway, consultant | 8 December 2025", set()),
    ("The standard was not withdrawn on 1 March 2026 as planned; the withdrawal date is now 1 September 2026.",
     {"2026-09-01"}),
])
def test_dates_a_rule_starts_ends_moves_or_sets_count_and_events_do_not(text, keys):
    assert {r.key for r in extract(text) if r.kind == "date"} == keys


def test_huge_and_odd_input_never_crashes():
    huge = ("Le cobot soude des châssis. " * 40000) + "ISO 9001"
    start = time.perf_counter()
    assert extract(huge) == []            # beyond the read limit: skipped, not guessed
    assert time.perf_counter() - start < 5
    for odd in ["", "\x00\x01", "ISO", "2023/", "Règlement (UE) /1230", "décret n°", "从 2027年1月20日 起适用"]:
        extract(odd)


@pytest.mark.parametrize("stuffed, names", [
    ("KUKA KR 6 R900 ", {("organisation", "KUKA"), ("product", "KR 6 R900")}),
    ("the UR20 cobot, ", {("product", "UR20")}),
    ("le robot KR 10 ", {("product", "KR 10")}),
    ("HSE (Health and Safety Executive) ", {("organisation", "HSE")}),
    ("Acme Corp. launched the X-200. ", {("organisation", "Acme"), ("product", "X-200")}),
])
def test_an_item_stuffed_with_one_name_is_read_in_bounded_time(stuffed, names):
    """A name repeated thousands of times (keyword stuffing, a broken feed) was compared with
    every other occurrence at several steps: 30 to 80 s for one item at the read limit."""
    text = stuffed * (200_000 // len(stuffed))
    start = time.perf_counter()
    assert names <= names_in(text)
    assert time.perf_counter() - start < 10


def test_a_text_full_of_dates_is_read_in_bounded_time():
    """Thousands of dates, each weighed against its sentence (no full stop in sight), read
    the whole text at each date before the bound: seconds per item."""
    table = ("applicable " + " ".join(f"from {d} May 2026" for d in range(1, 29))) * 300
    start = time.perf_counter()
    keys = {r.key for r in extract(table[:200_000]) if r.kind == "date"}
    assert time.perf_counter() - start < 2
    assert "2026-05-01" in keys and len(keys) <= 28


def test_references_command_reports_bad_lines_and_answers_every_valid_line(tmp_path):
    src = tmp_path / "items.jsonl"
    src.write_text('{"id": 1, "title": "Directive 2006/42/CE", "summary": "applies from 20 January 2027"}\n'
                   '{broken\n{"id": "b", "title": "Rien à signaler"}\n', encoding="utf-8")
    out = tmp_path / "refs.jsonl"
    proc = subprocess.run([sys.executable, "-m", "veille", "references", "--input", str(src),
                           "--output", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "line 2" in proc.stderr
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert [l["id"] for l in lines] == [1, "b"]
    assert {(r["kind"], r["key"]) for r in lines[0]["references"]} == {("eu_act", "2006/42"), ("date", "2027-01-20")}


def test_latin1_text_read_through_its_words_finds_what_the_whole_text_reading_finds():
    # Latin-1 text is ruled out by its words and tried only where a match can start; a
    # character beyond Latin-1 (here after the text) makes it read whole, by every pattern
    cases = [json.loads(l)["text"] for name in ("sentences.jsonl", "sentences_heldout.jsonl", *NAME_TARGETS)
             for l in (FIXTURES / name).read_text(encoding="utf-8").splitlines()]
    cases += [c.upper() for c in cases] + [c.replace(" ", "\n  ") for c in cases]
    cases += ["deadlineis 20 January 2027", "Échéanceau 1er juillet 2026", "decret2024-1234 du 3 mars 2024",
              "ISO13849-1 et NF  EN\tISO 12100", "n° 2023/1230/UE", "à partir du 12/03/2026", "UR5e et Stäubli"]
    for text in cases:
        assert extract(text, names=True) == extract(text + "\n€", names=True), text


def test_fold_keeps_length_and_latin1_letters_fold_to_their_ascii_base():
    from veille.reference_text import _FOLDED, _folded_char, fold
    every = "".join(map(chr, range(0x2400)))
    assert len(fold(every)) == len(every)
    assert fold(every[:256]) == _FOLDED.sub(_folded_char, every[:256])
    assert fold("Règlement Écoconception « n° »\u00a0") == "Reglement Ecoconception « n° » "


def test_latin1_holds_what_reading_by_words_relies_on():
    import re
    from veille.reference_text import fold
    for c in map(chr, range(0x80, 0x100)):
        assert not re.match("(?i)[a-z0-9]", c), c            # case-insensitive letters are ASCII
        assert len(c.lower()) == 1 and not c.isdecimal(), c    # lowering keeps places; digits are ASCII
        if not c.isalnum():
            assert not fold(c).isalnum(), c                    # a boundary stays a boundary


@pytest.mark.parametrize("names", [False, True])
def test_typographic_characters_read_as_their_latin1_equivalent(names):
    """Curly apostrophes, non-breaking hyphens and narrow spaces fold to the Latin-1 text's
    characters, so the references are those of the Latin-1 spelling, as written."""
    for line in (FIXTURES / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        typographic = text.replace("'", "\u2019").replace("-", "\u2011").replace(" ", "\u202f")
        plain = [(r.kind, r.key) for r in extract(text, names=names)]
        assert [(r.kind, r.key) for r in extract(typographic, names=names)] == plain
        with_marks = text + " \u2026 \u20ac \u0153 \u2022 \u2122"   # characters no pattern reads
        assert [(r.kind, r.key) for r in extract(with_marks, names=names)] == plain


@pytest.mark.parametrize("text, expected", [
    ("Applicable à partir du 20 janvıer 2027.", {("date", "2027-01-20")}),      # dotless i
    ("Deadline: 1 Auguſt 2026 for every maker.", {("date", "2026-08-01")}),     # long s
    ("Entrée en vigueur en JANVİER 2027.", {("date", "2027-01")}),             # dotted capital I
    ("Les obligations s'appliquent à partir du 3 févrıer 2028.", {("date", "2028-02-03")}),
])
def test_letters_that_match_ascii_case_insensitively_never_break_a_date(text, expected):
    """The month pattern matches "janvıer" (re reads ı as i without case): its name must be
    looked up the same way, not crash the item's extraction."""
    assert {(r.kind, r.key) for r in extract(text, "fr") if r.kind == "date"} == expected


@pytest.mark.parametrize("text, absent", [
    ("Cobots Under ISO/TS 15066: Force Limits Explained", ("product", "Under ISO/TS 15066")),   # a standard
    ("Poudres PA 12 : le recyclage en boucle fermée reste marginal.", ("organisation", "Poudres")),  # a grade
    ("Mitsubishi Electric lance un module de sécurité certifié SIL 2.", ("product", "SIL 2")),
    ("Le fabricant danois Transmo A/S présente à LogiMAT son trieur SpiralSort 600.", ("product", "LogiMAT")),
    ("PepsiCo's Frito-Lay division has rolled out Augury's monitoring.", ("product", "Frito-Lay")),
    ("Alstom a commandé à l'équipementier Hydrovis six bancs d'essai HT-400.", ("product", "Hydrovis")),
    ("Le constructeur de machines d'emballage Sermac adopte les servomoteurs AM8000 de Beckhoff.", ("product", "Sermac")),
    ("Nestlé Automates Palletising at Tutbury Coffee Plant", ("product", "Palletising")),
    ("ABB Robotics Expands Cobot Portfolio With GoFa 10", ("product", "Cobot Portfolio")),
    ("FANUC salue le métier d'intégrateur, 85e de la compétition WorldSkills.", ("product", "WorldSkills")),
    ("ProSoft's ICX35 modem supports OpenVPN/IPsec and a firewall.", ("product", "OpenVPN/IPsec")),
])
def test_standards_grades_fairs_and_makers_are_not_products(text, absent):
    assert absent not in names_in(text)


def test_a_listed_model_holds_its_edition_and_variant():
    assert ("product", "DMU 65 monoBLOCK") in names_in("Alpha Usinage investit dans un DMU 65 monoBLOCK de DMG Mori.")
    assert ("product", "microScan3 Pro I/O") in names_in("SICK lance le microScan3 Pro I/O, un scrutateur laser.")
    assert ("product", "KR C5 micro") in names_in("Kuka dévoile la commande KR C5 micro.")
    assert ("product", "ESPRIT EDGE 2025") in names_in("Hexagon releases ESPRIT EDGE 2025 CAM software.")


def test_listed_products_without_digits_and_after_use_frames():
    # a listed name no common word: read without its maker; a common one where the text uses it
    assert ("product", "Opcenter") in names_in("Plus de 300 usines pilotent leur production avec Opcenter.")
    assert names_in("using Onshape and Ignition, the startup cut its cycles") >= {
        ("product", "Onshape"), ("product", "Ignition")}
    assert ("product", "Ignition") not in names_in("Ignition timing matters.")
    # a first name listed as a product is not one before a surname; a maker's name holds no product
    assert names_in("Home favourite Tessa Worley climbed to second.") == set()
    assert ("product", "Atlas") not in names_in("Atlas Copco ouvre un centre.")
    # a listed one-word product the context reads as a maker is the maker
    assert ("organisation", "Arduino") in names_in("Les automates Opta d'Arduino équipent le lycée.")


def test_makers_named_by_a_common_word_only_where_they_act():
    assert ("organisation", "Carbon") in names_in("Carbon launches the M3 Max for larger parts")
    assert ("organisation", "Formic") in names_in("Formic, a robots-as-a-service provider, adds 200 cobots")
    assert ("organisation", "Dexterity") in names_in("Dexterity and FedEx expand their truck loading pilot")
    assert names_in("Carbon fibre parts and Figure 3 show the dexterity of the arm.") == set()
    assert ("organisation", "UIMM Lorraine") in names_in("La région Grand Est et l'UIMM Lorraine ouvrent un campus.")


def test_a_product_name_goes_on_with_its_line_edition_and_code():
    assert ("product", "ctrlX CORE plus X7") in names_in("Bosch Rexroth lance le ctrlX CORE plus X7, un contrôleur.")
    assert ("product", "VLT AutomationDrive FC 302") in names_in("Danfoss décline le VLT AutomationDrive FC 302 dans un boîtier.")
    assert ("product", "Rilsan Invent Natural") in names_in("Arkema lance la poudre Rilsan Invent Natural pour le frittage.")
    # a capitalised word qualifying the noun after it, a headline's words and a plain "plus" are not part of it
    assert ("product", "Grafana") in names_in("Siemens runs TimescaleDB and Grafana Andon panels on the line.")
    assert ("product", "ctrlX CORE") in names_in("Bosch Rexroth rend le ctrlX CORE plus rapide.")
    assert ("product", "F5000") in names_in("Stratasys Introduces F5000 Industrial FDM Printer for Tooling")


def test_sick_is_the_maker_in_capitals_and_where_it_acts():
    assert ("organisation", "SICK") in names_in("SICK launches the multiScan100 3D LiDAR sensor.")
    assert ("organisation", "SICK") in names_in("Sick et la Carsat Alsace-Moselle présentent un guide.")
    assert names_in("Sick leave rose in the plant; a sick worker went home.") == set()


def test_a_publisher_before_a_standards_number_and_a_place_after_in_are_no_organisations():
    assert names_in("Les recommandations de la VDI 2263 et la NFPA 70E sont citées.") == set()
    assert names_in("The ANSI/A3 R15.06-2025 standard is now available.") == set()
    assert ("organisation", "INRS") in names_in("Fiche INRS ED 6009 sur le levage.")   # a brochure's code
    assert ("organisation", "Coventry") not in names_in(
        "The Manufacturing Technology Centre in Coventry opens a digital engineering academy.")


@pytest.mark.parametrize("text, name", [
    ("Des chercheurs de l'université de Lorraine ont mis au point un capteur.", "Université de Lorraine"),   # listed
    ("Le ministère de l'Industrie annonce une enveloppe.", "ministère de l'Industrie"),
    ("Le Greta du Velay ouvre une session de formation.", "Greta du Velay"),
    # (unlisted names: a listed one keys on its listed spelling or acronym, tested below)
    ("Schneider Electric et l'École Supérieure de Mécanique de Vendée ouvrent une chaire.",
     "École Supérieure de Mécanique de Vendée"),
    ("Formation : le lycée Loritz de Nancy s'équipe d'une cellule.", "lycée Loritz"),
    ("The Northern Composites Research Council funds a hub.", "Northern Composites Research Council"),
    ("Chez Plastiques du Val de Loire, deux cobots chargent les presses.", "Plastiques du Val de Loire"),
])
def test_institutions_and_descriptive_company_names_are_read_whole(text, name):
    assert ("organisation", name) in names_in(text)


def test_a_listed_maker_before_its_site_keeps_its_name():
    assert ("organisation", "Renault") in names_in("L'usine Renault de Douai produit la Mégane E-Tech.")


def test_a_listed_acronym_after_a_time_of_day_is_its_time_zone():
    assert ("organisation", "UTC") not in names_in("M 1.9 - 79km WSW of Cantwell\nTime 2018-11-19 21:09:47 UTC")
    assert ("organisation", "UTC") in names_in("L'UTC ouvre une plateforme de robotique collaborative à Compiègne.")


def test_a_listed_maker_in_front_of_a_model_is_the_maker():
    assert names_in("Meta Quest 3 headsets are piloted for operator training.") >= {
        ("organisation", "Meta"), ("product", "Quest 3")}
    assert ("product", "MS40-8") in names_in("La PME investit dans deux tours multibroches Index MS40-8.")


def test_a_class_a_technique_and_a_product_family_end_a_name():
    assert ("product", "MRX-G4064") in names_in("Moxa introduces the MRX-G4064 Layer 3 rackmount switch.")
    assert ("product", "Linea HS2") in names_in("Teledyne DALSA launches Linea HS2 TDI camera for inspection.")
    # a power rating goes on with its number: both, or neither
    assert ("product", "ByStar Fiber 10 kW") in names_in("Une ligne Bystronic ByStar Fiber 10 kW est installée.")
    # a maker's division stops at a listed product's first word
    assert names_in("Le casque HTC Vive Focus Vision est utilisé chez Kiloutou.") == {
        ("organisation", "HTC"), ("product", "Vive Focus Vision"), ("organisation", "Kiloutou")}


def test_a_makers_short_name_and_a_groups_division():
    assert names_in("La société Perrin investit dans deux tours Citizen L20.") >= {
        ("organisation", "Citizen"), ("product", "L20")}
    assert ("organisation", "Fives Landis") in names_in("Fives Landis livre trois rectifieuses à un motoriste.")
    assert ("organisation", "Fives") in names_in("Fives livre trois rectifieuses à un motoriste.")
    assert names_in("Une découpe jet d'eau Flow Mach 500 usine les ponts.") == {
        ("organisation", "Flow"), ("product", "Mach 500")}
    assert ("organisation", "Haas") in names_in("Il a choisi un centre d'usinage Haas UMC-500 pour ses pièces.")
    assert ("organisation", "Apex") not in names_in("Mitutoyo présente la Crysta-Apex V776.")


def test_a_rare_name_before_a_trade_word_standards_bodies_and_a_models_maker_after_it():
    # a rare word before a common noun that acts is a company, not a person (a first name is common)
    assert ("organisation", "Bocchi Industrie") in names_in("La tôlerie Bocchi Industrie s'équipe d'une presse.")
    assert names_in("Julie Marchand lance une étude.") == set()
    # a standards body where it acts, never before a standard's number
    assert names_in("ISO has published a revised ISO 10218-1.") == {("organisation", "ISO")}
    assert names_in("L'ISO 9001 est publiée.") == set()
    # a maker named by a common word after its model's "de"
    assert ("organisation", "SICK") in names_in("Le capteur photoélectrique W16 de Sick détecte les objets.")
    # a recall names its product as a launch does; a trade word makes a company of two plain words
    assert names_in("Avis de rappel : Manutec Levage rappelle ses transpalettes électriques TPX 20.") == {
        ("organisation", "Manutec Levage"), ("product", "TPX 20")}


def test_universities_and_an_institutions_centre_written_after_it():
    assert ("organisation", "Loughborough University") in names_in(
        "Mark Chen, a lecturer at Loughborough University, explains how digital twins cut commissioning time.")
    assert ("organisation", "University of Sheffield AMRC") in names_in(
        "The University of Sheffield AMRC trials 5G-connected machining.")


def test_releases_named_by_their_year_investors_spin_outs_and_owned_centres():
    assert ("product", "Panorama Suite 2025") in names_in("Codra publie Panorama Suite 2025 avec un connecteur MQTT.")
    assert ("product", "Vision 2030") not in names_in("Siemens launches Vision 2030 for its plants.")
    assert ("organisation", "Tiger Global") in names_in("Locus Robotics raises $117 million in a round led by Tiger Global.")
    assert ("organisation", "Maki.vc") in names_in("The start-up, whose round was led by Maki.vc, will grow.")
    assert ("organisation", "Weldsmart") in names_in("ETH Zurich spins out Weldsmart, a startup that programs robots.")
    assert names_in("Mazak opens its European Technology Centre in Leuven.") == {("organisation", "Mazak")}
    # a range extended with a model
    assert names_in("Epson élargit sa gamme de robots SCARA avec le GX10B et le GX20B.") == {
        ("organisation", "Epson"), ("product", "GX10B"), ("product", "GX20B")}


def test_a_type_frames_a_model_on_its_own_line_only():
    assert ("product", "PW 150") in names_in("Hermle propose la C 32 U avec le changeur de palettes PW 150.")
    assert names_in("Siemens: protocols, gateways and architectures\nPublished June 28, 2025") == {
        ("organisation", "Siemens")}
    # a model's family word is no maker where its maker is written after it
    assert names_in("La graisse Klüberplex BEM 41-132 de Klüber Lubrication réduit l'usure.") == {
        ("product", "Klüberplex BEM 41-132"), ("organisation", "Klüber Lubrication")}


def test_a_generation_and_a_listed_names_article_where_the_rest_is_a_common_word():
    assert ("product", "DVF 5000 2nd Generation") in names_in(
        "DN Solutions introduces the DVF 5000 2nd Generation five-axis machining center.")
    assert ("organisation", "La Poste") in names_in("Fives équipe un centre de tri de La Poste.")
    assert ("organisation", "Cnam") in names_in("Le Cnam ouvre une licence professionnelle.")


def test_names_found_do_not_depend_on_python_string_hashing():
    """The lists are read into sets; what is found must not depend on their order, which
    changes from run to run with Python's hash seed (two makers listed in two cases once
    decided, run by run, whether "NEURA ROBOTICS LÈVE..." named NEURA)."""
    script = ("import json, sys\n"
              "from pathlib import Path\n"
              "from veille.references import extract\n"
              "texts = [json.loads(l)['text'] for f in sorted(Path(sys.argv[1]).glob('names*.jsonl'))\n"
              "         for l in f.read_text(encoding='utf-8').splitlines()]\n"
              "texts += [t.upper() for t in texts]\n"
              "print(json.dumps([[(r.kind, r.key) for r in extract(t, names=True)] for t in texts]))\n")
    runs = [subprocess.run([sys.executable, "-c", script, str(FIXTURES)], capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}, check=True).stdout
            for seed in ("1", "2", "3")]
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_a_body_named_in_full_keys_on_its_acronym():
    """One organisation, one key (and one reference page) however an item names it."""
    def keys(text, lang):
        return {r.key for r in extract(text, lang, names=True) if r.kind == "organisation"}
    inrs = keys("L'INRS publie une brochure sur les cobots.", "fr")
    assert keys("L'Institut national de recherche et de sécurité publie une brochure.", "fr") == inrs == {"INRS"}
    assert keys("L'Agence européenne des produits chimiques restreint les PFAS.", "fr") == \
        keys("The European Chemicals Agency restricts PFAS.", "en") == keys("ECHA restricts PFAS.", "en")
    assert keys("The Health and Safety Executive fined the firm £400,000.", "en") == {"HSE"}
    # both names in one item: one reference
    both = [r for r in extract("Le Cetim ouvre une plateforme. Le Centre technique des industries mécaniques "
                               "y forme des techniciens.", "fr", names=True) if r.kind == "organisation"]
    assert [r.key for r in both] == ["Cetim"]


def test_every_alias_names_a_listed_acronym_and_whole_names():
    from veille.references import name_data
    data = name_data()
    listed = {spelling(n) for n in data["organisations"] + data["bodies_in_english"]}
    for acronym, names in data["aliases"].items():
        assert spelling(acronym) in listed, acronym
        # a comma inside an unquoted name would split it: every name starts with a capital
        assert all(name[:1].isupper() and len(name.split()) >= 2 for name in names), (acronym, names)


@pytest.mark.parametrize("text, expected", [
    # letters a case-insensitive pattern reads as ASCII ones: the dotless i, the long s, the
    # Kelvin sign; the act, code or text type they spell is looked up as the plain word
    ("la loi 78-17 et la Loı 2023-1230 du 5 mai 2023", {("fr_text", "loi 78-17"), ("fr_text", "loi 2023-1230")}),
    ("Our cobots comply wıth the Low Voltage Directıve.", {("eu_act", "2014/35")}),
    ("L'article R. 4323-105 du code du travaıl impose une formation.", {("fr_text", "code du travail R4323-105")}),
    ("Le décret ſur les machineſ", set()),
])
def test_names_written_with_lookalike_letters_are_keyed_not_a_crash(text, expected):
    assert {(r.kind, r.key) for r in extract(text, names=True)} - {("organisation", "x")} >= expected
    assert all(r.kind not in ("eu_act", "fr_text") or (r.kind, r.key) in expected for r in extract(text))


def test_an_unlisted_organisation_written_with_its_acronym_keys_on_the_acronym():
    """"Toyota Motor Manufacturing France (TMMF)" meets "TMMF" elsewhere: the key is the acronym
    its words' initials make (a listed name keeps its listed key); a parenthesis that is no
    acronym of the name changes nothing."""
    def orgs(text, lang="fr"):
        return {r.key for r in extract(text, lang, names=True) if r.kind == "organisation"}

    assert "TMMF" in orgs("Toyota Motor Manufacturing France (TMMF) augmente la cadence à Onnaing.")
    found = orgs("La société Mecanoval (MVX) ouvre un atelier à Lyon.")
    assert "Mecanoval" in found and "MVX" not in found


@pytest.mark.parametrize("text, expected", [
    # a body named in full with its acronym after it keys on the acronym
    ("Selon la Fédération des industries ferroviaires (FIF), le chiffre d'affaires progresse.",
     {("organisation", "FIF")}),
    ("Le Syndicat national des industries de la nutrition animale (SNIA) alerte sur les prix.",
     {("organisation", "SNIA")}),
    ("The Federal Railroad Administration (FRA) awards $28 million in grants.", {("organisation", "FRA")}),
    ("Courses accredited by the Institution of Mechanical Engineers (IMechE) open in May.",
     {("organisation", "IMechE")}),
    # an acronym made in another language: its initials in another order
    ("Le Conseil européen de l'innovation (EIC) finance Vaxelle Robotics à hauteur de 2,5 M€.",
     {("organisation", "EIC")}),
    # a listed one too, through its alias: one key however an item names it
    ("La Banque européenne d'investissement (BEI) prête 85 millions d'euros.", {("organisation", "BEI")}),
])
def test_a_body_defined_with_its_acronym_keys_on_it(text, expected):
    assert names_in(text) >= expected


@pytest.mark.parametrize("text", [
    "La fabrication additive arc-fil (WAAM) progresse dans l'aéronautique.",   # a technique
    "Le taux de rendement synthétique (TRS) de la ligne atteint 85 %.",        # an indicator
])
def test_an_acronym_defined_for_no_body_names_no_organisation(text):
    assert not {n for n in names_in(text) if n[0] == "organisation"}


def test_an_acronym_abbreviates_a_name_by_its_words_initials():
    from veille.name_institutions import abbreviates
    assert abbreviates("SNIA", "Syndicat national des industries de la nutrition animale")
    assert abbreviates("UKAEA", "UK Atomic Energy Authority")
    assert abbreviates("EHEDG", "European Hygienic Engineering & Design Group")
    assert abbreviates("ENSAM", "École nationale supérieure d'arts et métiers")   # an accented initial
    assert not abbreviates("WAAM", "fabrication additive arc-fil")
    assert not abbreviates("FIF", "Fédération des industries mécaniques")


def test_names_in_one_item_meet_their_short_mentions_and_kinds():
    # an unlisted organisation named again by its first word is the same one, and the product
    # written after that word is the product alone
    found = names_in("Trelby Instruments launches Trelby FlowSense 9 ultrasonic meter for hygienic lines.")
    assert ("organisation", "Trelby Instruments") in found and ("product", "FlowSense 9") in found
    assert ("organisation", "Trelby") not in found
    # the kind of system after a product's name is not part of it
    found = names_in("The controller is showcased alongside the GENESIS64 SCADA platform from Iconics.")
    assert ("product", "GENESIS64") in found
    # a range whose code opens its model's is that model's family, not a second product
    assert ("product", "CRX") not in names_in("Le fabricant japonais FANUC étend sa gamme CRX avec le CRX-25iA.")


def test_a_listed_company_goes_on_with_its_subsidiary_acronym_when_the_two_act():
    assert ("organisation", "Rolls-Royce SMR") in names_in("Rolls-Royce SMR selects Jacobs as engineering partner.")
    assert ("organisation", "Renault") in names_in("La Renault Austral obtient cinq étoiles.")   # a model


def test_a_type_frames_a_named_machine_where_a_maker_is_named():
    assert ("product", "VERYX") in names_in(
        "Bonduelle retient Key Technology pour le tri optique. Quatre trieurs VERYX seront installés à Estrées.")
    assert ("product", "Phins") in names_in("Exail fournira ses centrales inertielles Phins à Naval Group.")


@pytest.mark.parametrize("text, expected", [
    # a name in quotes that a type, a launch or an apposed type frames
    ("Vertiq Automation SA dévoile le cobot « Ondine 7 » pour les PME.", ("product", "Ondine 7")),
    ("Photonix Optique lance « Lyra », un système d'inspection de surface.", ("product", "Lyra")),
    ("Corlane Drives rolls out \"Ferro\" compact servo motors for packaging lines.", ("product", "Ferro")),
    ("Valdem Instruments lance le micromètre connecté « micra 25 » pour l'atelier.", ("product", "micra 25")),
    # software whose kind frames it, written in common capitalised words
    ("SICK lance le scrutateur nanoScan3 Pro. Il se configure via le logiciel Safety Designer.",
     ("product", "Safety Designer")),
    ("Teledyne FLIR adds the A6260 camera. Its data is analysed in the Research Studio software.",
     ("product", "Research Studio")),
    ("Lenze étend sa gamme. Les variateurs se paramètrent dans l'outil EASY Starter, selon le fabricant.",
     ("product", "EASY Starter")),
    # a range its range word frames, models coordinated by their codes
    ("Lenze étend la famille de servovariateurs i950 avec une version compacte.", ("product", "i950")),
    ("HMI update: Weintek cMT X series gains an OPC UA server.", ("product", "cMT X")),
    ("Epson ajoute deux robots à sa série GX. Les GX10C et GX20C se programment en salle blanche.",
     ("product", "GX20C")),
    ("The firmware applies to the cMT3162X and cMT2108X panels from Weintek.", ("product", "cMT3162X")),
])
def test_a_product_its_quotes_or_its_kind_frames(text, expected):
    assert expected in names_in(text)


@pytest.mark.parametrize("text", [
    "« C'est une étape majeure », a déclaré le directeur de Renault.",          # a quotation
    "Renault vise une « Usine du futur » et le « zéro défaut » à Douai.",         # phrases
    "Geodis teste les robots Stretch sur sa plateforme logistique de Réau.",      # a site and its place
    "Siemens présente un automate qui exécute des applications Linux.",           # a kind of software
    "Intrinsic, the Alphabet robotics software company, releases Flowstate.",    # an owner
    "Siemens Launches New Digital Twin Software For Machine Builders.",          # a headline's capitals
    "CAF livre 48 tramways Urbos. Les rames circuleront sur la ligne T7 en 2027.",  # a tram line
    "L'usine passe à la production en série de pièces ISO 9001 et ISO 14001.",      # mass production, standards
])
def test_quotes_and_software_kinds_name_no_product_by_themselves(text):
    products = {key for kind, key in names_in(text) if kind == "product"}
    assert not products & {"C'est une étape majeure", "Usine du futur", "zéro défaut", "Réau", "Linux",
                           "Alphabet", "Digital Twin", "T7", "ISO", "9001", "14001"}


def test_a_listed_company_with_its_region_after_a_division_word():
    # "UK" is also a generic acronym (dropped from products' names), not from a subsidiary's
    assert ("organisation", "Toyota Motor Manufacturing UK") in names_in(
        "Toyota Motor Manufacturing UK awards paint shop upgrade to Dürr.")
    assert ("organisation", "Eiffage Métal") in names_in(
        "Eiffage Métal remporte la charpente du futur hall d'assemblage à Toulouse.")


def test_a_name_apposed_to_a_product_type_is_a_product_and_a_protocol_no_organisation():
    found = names_in("Sarvant AI raises $18 million. The Sheffield start-up sells Sentinel, a vision-inspection "
                     "system for machined parts.")
    assert ("product", "Sentinel") in found and ("organisation", "Sentinel") not in found
    # an integrator with its head word stays one, whatever follows its name
    assert ("organisation", "Sirob Automation") in names_in(
        "Installé par l'intégrateur lyonnais Sirob Automation, un robot Stäubli TX2-90 charge les centres.")
    assert not {key for kind, key in names_in(
        "Nordwall Sensorik launches a thermal camera. It streams radiometric data over GigE Vision.")
        if kind == "organisation"} & {"GigE Vision", "GigE"}


@pytest.mark.parametrize("text, expected, absent", [
    # models listed by codes that share their letters, where a maker is named
    ("Torrent Industries lance trois pompes doseuses, TX-10, TX-40 et TX-90, pour l'eau.",
     {("product", "TX-10"), ("product", "TX-40"), ("product", "TX-90")}, set()),
    ("PX-200 and PX-500: Kestrel Process Pumps expands its diaphragm range.",
     {("product", "PX-200"), ("product", "PX-500")}, set()),
    # ratings, levels, lines and certification codes are no models
    ("Siemens : les boîtiers IP65 et IP67, certifiés SIL 2 et SIL 3.", set(),
     {("product", "IP65"), ("product", "IP67"), ("product", "SIL 2")}),
    ("Alstom livre les rames des lignes T7 et T13.", set(), {("product", "T7"), ("product", "T13")}),
    ("Airbus meets EASA CS-25 and CS-29 for the new cabin.", set(), {("product", "CS-25"), ("product", "CS-29")}),
    # a name in small letters, in quotes, framed by a launch and a type
    ("Tidewater Instruments launches 'pulsecheck' handheld ultrasonic leak detector.",
     {("product", "pulsecheck")}, set()),
    ("Vibratec Solutions lance « vigie », un boîtier d'analyse vibratoire.", {("product", "vigie")}, set()),
    ("Siemens veut atteindre le « zéro défaut » dans ses usines.", set(), {("product", "zéro défaut")}),
    ("PolyScope introduces 'motion version 2' for script moves.", set(), {("product", "motion version 2")}),
    # "X, Inc." frames an organisation; a name joined by "and" to an organisation is one
    ("Tecnova, Inc. opens a service centre in Charlotte.", {("organisation", "Tecnova")}, set()),
    ("Serfim et Eiffage Énergie Systèmes remportent le marché.", {("organisation", "Serfim")}, set()),
    ("Agri et agro : pourquoi les robots ont tardé à entrer dans les usines.", set(), {("organisation", "Agri")}),
    # a Title Case headline's verb ends a name
    ("Siemens and Nvidia Deepen Digital Twin Alliance", {("organisation", "Nvidia")},
     {("organisation", "Nvidia Deepen Digital Twin Alliance")}),
    # a listed name goes on with a division's word ("Lease", "Est")
    ("Le projet est financé par un crédit-bail de Natixis Lease.", {("organisation", "Natixis Lease")}, set()),
])
def test_listed_codes_quoted_small_names_and_joined_organisations(text, expected, absent):
    assert_names(text, expected, absent)


def test_a_name_in_small_letters_before_a_colon_and_a_type_is_a_product():
    assert ("product", "ecoflux") in names_in("« ecoflux » : le capteur sans fil de Batteries Armor.")
    assert ("product", "ecoflux") not in names_in("« ecoflux » : le mot de l'année chez Batteries Armor.")


@pytest.mark.parametrize("text, expected, absent", [
    # a person named by a given name and a surname, then by the surname alone
    ("Fanuc UK appoints Tom Hargreaves as sales director for robotics. Hargreaves will push the "
     "CRX-10iA/L collaborative robot to food plants.", {("organisation", "Fanuc UK")},
     {("organisation", "Hargreaves"), ("organisation", "Tom Hargreaves")}),
    ("Interview: Dr Lena Hoffmann of Fraunhofer ILT on printing copper. Hoffmann's team worked with "
     "Trumpf on the machine.", {("organisation", "Fraunhofer ILT"), ("organisation", "Trumpf")},
     {("organisation", "Hoffmann"), ("organisation", "Lena Hoffmann")}),
    # a person the context frames as an organisation would be ("chez X, <person>, responsable")
    ("Agroalimentaire : chez Bonduelle, Élodie Martin, responsable maintenance, a équipé les lignes "
     "de capteurs vibratoires.", {("organisation", "Bonduelle")}, {("organisation", "Élodie Martin")}),
    # not a training body whose name opens with a given name's letters
    ("Le Greta du Velay ouvre une session de formation au soudage orbital.",
     {("organisation", "Greta du Velay")}, set()),
    # a place where a name could be
    ("Chimie : Lucie Ferrand nommée directrice du centre de recherche Arkema de Lacq.",
     {("organisation", "Arkema")}, {("organisation", "Lacq")}),
    ("EIB lends €250m to Verkor's Dunkirk gigafactory.", {("organisation", "Verkor")}, {("product", "Dunkirk")}),
    # a listed body written in full with its acronym keys on the acronym, as the acronym does
    ("The Environmental Protection Agency (EPA) appoints a new head of its chemical safety office.",
     {("organisation", "EPA")}, {("organisation", "Environmental Protection Agency")}),
])
def test_people_and_places_are_no_names_and_a_body_with_its_acronym_is_one(text, expected, absent):
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, expected, absent", [
    # a maker's name, then words a product type frames before the maker or after the words
    ("« Chaque soudure passe au scanner Zeiss Metrotom », explique-t-elle.",
     {("organisation", "Zeiss"), ("product", "METROTOM")}, set()),
    ("The company uses Keysight Scienlab test benches to grade cells.", {("product", "Scienlab")}, set()),
    ("Il a équipé les lignes de capteurs vibratoires SKF Enlight Collect.", {("product", "Enlight Collect")}, set()),
    # not a common word, nor words no type frames
    ("Le groupe commande des robots Fanuc Premium pour sa ligne.", set(), {("product", "Premium")}),
    ("Les équipes de Keysight Penang recrutent des ingénieurs.", {("organisation", "Keysight")},
     {("product", "Penang")}),
    # a word nothing else reads, apposed to a product type, is a product; a place is not
    ("Her team now feeds images into GridLens, a platform built by Clarion Analytics.",
     {("product", "GridLens")}, set()),
    ("Chez Manitou, à Ancenis, une cellule de soudage de châssis tourne en trois équipes.",
     {("organisation", "Manitou")}, {("product", "Ancenis")}),
    # electrical, energy and process equipment types frame a name as robots and sensors do
    ("Le datacenter s'équipe des tableaux Okken de Schneider Electric.", {("product", "Okken")}, set()),
    ("La ligne, équipée des brûleurs bas NOx Digiflame développés par Fives, tourne.",
     {("product", "Digiflame")}, {("product", "NOx Digiflame")}),
    # a model a number alone names, right after its maker, and only a number the maker gives a model
    ("Stellantis accélère la production du Peugeot 3008 électrique à Sochaux.", {("product", "3008")}, set()),
    ("Boeing orders titanium forgings for the Boeing 787-9 line.", {("product", "787-9")}, set()),
    ("Les ventes de Peugeot 500 unités par mois.", {("organisation", "Peugeot")}, {("product", "500")}),
    # a name the second reader weighs, apposed to a product type, is a product, as the rules read it
    ("Trois questions à Thibault Nguyen, cofondateur de Sentinelle Vision. La start-up grenobloise vend "
     "Argos, une caméra d'inspection de soudures déjà testée par Faurecia.", {("product", "Argos")},
     {("organisation", "Argos")}),
])
def test_names_a_product_type_frames_are_products(text, expected, absent):
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, expected, absent", [
    # a product named by a common word, where its own maker is named, with what its name goes on with
    ("Autodesk adds 5-axis probing cycles to Fusion.", {("product", "Fusion")}, set()),
    ("Rethink Robotics brings back the Sawyer cobot", {("product", "Sawyer")}, set()),
    ("Hexagon lance Nexus Asset Lifecycle pour la maintenance des équipements.",
     {("product", "Nexus Asset Lifecycle")}, {("product", "Nexus")}),
    ("Une salve de crash-tests : la Renault Zoé et le Volkswagen Caddy obtiennent leurs étoiles.",
     {("product", "Zoé"), ("product", "Caddy")}, set()),
    # not the word, nor the name where no maker of it is named
    ("Fusion des deux sites : Renault regroupe ses équipes à Douai.", {("organisation", "Renault")},
     {("product", "Fusion")}),
    ("Siemens présente sa stratégie ; la fusion avec Atos est écartée.", set(), {("product", "fusion")}),
    ("Nexus of robotics and AI: Fanuc opens a lab.", {("organisation", "FANUC")}, {("product", "Nexus")}),
    # another model of a found product's line, named by its code's letters and another number
    ("Brelmont will discontinue the CMX-500 measuring machine; the CMX-700 is offered as replacement.",
     {("product", "CMX-500"), ("product", "CMX-700")}, set()),
    ("Haulotte présente la HA20 LE PRO, une nacelle qui succède à la HA16 RTJ sur les chantiers.",
     {("product", "HA20 LE PRO"), ("product", "HA16 RTJ")}, set()),
    ("Le nouveau robot GX-10 de Fanuc est conforme à l'ISO 10218-2 ; le GX-20 suivra en 2027.",
     {("product", "GX-10"), ("product", "GX-20")}, {("product", "ISO 10218-2")}),
    # an ordinary word apposed to a product type within a sentence; not a place nor a day
    ("Quentor has started shipping Explorer, a handheld scanner for reverse engineering.",
     {("product", "Explorer")}, set()),
    ("The plant opened in Leeds, a robot cell runs there; on Monday, a cobot arrived.", set(),
     {("product", "Leeds"), ("product", "Monday")}),
    # a small company named by its trade and a name, a place or an owner after it
    ("Le tribunal de commerce de Lyon a validé la reprise des Forges de Bologne.",
     {("organisation", "tribunal de commerce de Lyon"), ("organisation", "Forges de Bologne")}, set()),
    ("La PME Chaudronnerie Berthelot décroche un contrat ; Usinage Lavallois recrute.",
     {("organisation", "Chaudronnerie Berthelot"), ("organisation", "Usinage Lavallois")}, set()),
    # not the trade as a word, in a Title Case headline, or inside another name
    ("Usinage De Précision : Les Carnets De Commandes Se Regarnissent", set(),
     {("organisation", "Usinage de Précision"), ("organisation", "Usinage De Précision")}),
    ("La mécanique de précision progresse ; Sylvalène Plastiques S.p.A. choisit Arburg.",
     {("organisation", "Sylvalène Plastiques")}, {("organisation", "Plastiques S")}),
    # a network's or a chamber's regional office is an organisation of its own
    ("La CCI Pau Béarn, le Medef Loire-Atlantique et la CCI de la Vendée signent la charte.",
     {("organisation", "CCI Pau Béarn"), ("organisation", "Medef Loire-Atlantique"),
      ("organisation", "CCI de la Vendée")}, {("organisation", "CCI")}),
    ("Le Crédit Agricole Centre-Est et la Banque Populaire Bourgogne Franche-Comté financent l'usine.",
     {("organisation", "Crédit Agricole Centre-Est"), ("organisation", "Banque Populaire Bourgogne Franche-Comté")},
     set()),
    # software a kind frames, where no maker is named, when no common word names it
    ("Appel d'offres du CHU : paramétrage des plans de maintenance dans la GMAO Optimaint.",
     {("product", "Optimaint")}, set()),
    ("Le logiciel Safety Designer est gratuit ; une plateforme SQL hébergée.", set(),
     {("product", "Safety Designer"), ("product", "SQL")}),
    # a news item's genre opening its title is no part of the name after it
    ("Webinaire Mitsubishi Electric : programmer les automates MELSEC iQ-R avec GX Works3.",
     {("organisation", "Mitsubishi Electric")}, {("organisation", "Webinaire Mitsubishi Electric")}),
])
def test_names_their_maker_line_trade_place_or_kind_make(text, expected, absent):
    """Session 17's readings: products a common word names where their maker is, a line's other
    models, apposed words, trades' and courts' names, regional offices, software kinds, genres."""
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, expected, absent", [
    # a company after its nationality ("du japonais", "le chinois") or its country's possessive
    ("Verkor démarre ses lignes d'enduction du japonais Hirano Tecseed.", {("organisation", "Hirano Tecseed")}, set()),
    ("Orano et le chinois XTC New Energy confirment leur projet d'usine.",
     {("organisation", "XTC New Energy")}, set()),
    ("Tata Steel UK signed a contract with Italy's Tenova to supply an electric arc furnace.",
     {("organisation", "Tenova")}, {("product", "Tenova")}),
    ("Le manuel est traduit du japonais. Les opérateurs le lisent.", set(), {("organisation", "Les")}),
    # a headline in capitals: its listed names and codes, not its other words
    ("BREAKING: SIEMENS TO ACQUIRE ALTAIR ENGINEERING", {("organisation", "Siemens")}, set()),
    ("DASSAULT SYSTÈMES ANNONCE SOLIDWORKS 2025",
     {("organisation", "Dassault Systèmes"), ("product", "SOLIDWORKS 2025")}, set()),
    ("COMMUNIQUÉ – LES NOUVEAUX PARTENAIRES INTÉGRATEURS D'OMRON EN FRANCE", {("organisation", "Omron")},
     {("organisation", "Communiqué"), ("organisation", "Les")}),
    # a listed group's division, a product type before a code, a one-letter line's coordinated models
    ("Parmi les lauréats figurent Lhoist, Vicat et Saint-Gobain Glass.", {("organisation", "Saint-Gobain Glass")},
     {("organisation", "Saint-Gobain")}),
    ("Sany ouvre un entrepôt de pièces pour ses pelles hydrauliques SY215C.", {("product", "SY215C")}, set()),
    ("Fenwick-Linde dote ses chariots frontaux électriques X20 et X35 d'un assistant de stabilité.",
     {("product", "X20"), ("product", "X35")}, set()),
    # a polymer, a battery chemistry, a legal form are no part of a name
    ("Syensqo's Solef PVDF is used as a binder; Stellantis et CATL construisent une usine de batteries LFP.",
     set(), {("product", "Solef PVDF"), ("product", "LFP")}),
    ("Dräger Safety AG & Co. KGaA adds a hydrogen sensor to the X-am 8000 detector.", set(),
     {("organisation", "KGaA")}),
    # two names joined by "&", a trade's head word after a name
    ("Infor CloudSuite runs at Fenwick & Hale's two plants; W. L. Gore & Associates sells filter media.",
     {("organisation", "Fenwick & Hale"), ("organisation", "W. L. Gore & Associates")},
     {("organisation", "W"), ("organisation", "At Fenwick & Hale")}),
    ("Research & Development spending rose at Grob-Werke GmbH & Co. KG; the Health & Safety Executive acts.",
     {("organisation", "Health & Safety Executive")},
     {("organisation", "Research & Development"), ("organisation", "&"), ("organisation", "GmbH & Co")}),
    ("The move to SAP S/4HANA took Kestrel Valves 18 months; Harwell Extrusions cut scrap.",
     {("organisation", "Kestrel Valves"), ("organisation", "Harwell Extrusions")}, {("product", "Valves 18")}),
    # a share's listing is no name; safety paperwork's acronyms are none, whoever reads them
    ("Short interest in Fanuc (OTCMKTS:FANUY) rose; Rockwell Automation (NYSE: ROK) reported orders.",
     {("organisation", "FANUC"), ("organisation", "Rockwell Automation")},
     {("organisation", "OTCMKTS"), ("organisation", "FANUY"), ("organisation", "NYSE"), ("organisation", "ROK")}),
    ("Pictogrammes, FDS et séparation : stocker les produits chimiques. Beralde Industries rappelle les règles.",
     {("organisation", "Beralde Industries")}, {("organisation", "FDS")}),
    # a body's long name before its acronym is the acronym, even where a name opens it
    ("The project, led by the Fraunhofer Institute for Laser Technology (ILT), also involves TRUMPF.",
     {("organisation", "ILT"), ("organisation", "Trumpf")},
     {("organisation", "Fraunhofer Institute"), ("organisation", "Laser Technology")}),
    ("Le Centre technique industriel de la plasturgie et des composites (IPC) ouvre une plateforme.",
     {("organisation", "IPC")}, set()),
    ("Siemens sells a Manufacturing Execution System (MES) with Advanced Driver Assistance Systems (ADAS).",
     {("organisation", "Siemens")}, {("organisation", "MES"), ("organisation", "ADAS")}),
    # an ordinal is no part of a model; a protocol's version is no model; trades and roles frame firms
    ("Daher a livré son 150e TBM 960 ; ses capteurs Wi-Fi 6 remontent les mesures.",
     {("product", "TBM 960")}, {("product", "150e TBM 960"), ("product", "6")}),
    ("Les Transports Girard roulent en E-Tech T ; Toyota livre des chariots au logisticien Transalliance.",
     {("organisation", "Transports Girard"), ("organisation", "Transalliance")}, set()),
    ("At Pinecrest Tool & Die, a 40-person job shop, a cobot tends a lathe.",
     {("organisation", "Pinecrest Tool & Die")}, set()),
    # a listed name after a given name is a person's surname; a series' letter after a family's model
    ("Speaking at IMTS, Emily Ford, a researcher, praised Ford's plant.", {("organisation", "Ford")}, set()),
    ("Speaking at IMTS, Emily Ford, a researcher at NIST, described digital twins.", {("organisation", "NIST")},
     {("organisation", "Ford")}),
    ("Deux presses Arburg Allrounder 570 A remplacent trois machines hydrauliques.",
     {("product", "Allrounder 570 A")}, {("product", "Allrounder 570")}),
    # a code before a product type is a product where no maker is named, not a standard's designation
    ("Brelmont will discontinue the CMX-500 measuring machine; the CMX-700 is offered as replacement.",
     {("product", "CMX-500"), ("product", "CMX-700")}, set()),
    ("MES integration using ISA-95 models. Mapping equipment hierarchy per ISA-95 simplifies.", set(),
     {("product", "ISA-95")}),
    # a Title Case headline's common words are no organisation the second reader may read
    ("Stratasys to Showcase Manufacturing Solutions at Formnext. The booth will feature production parts.",
     {("organisation", "Stratasys")}, {("organisation", "Manufacturing Solutions")}),
])
def test_names_session_18(text, expected, absent):
    """Session 18's readings: nationality frames, headlines in capitals."""
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, expected, absent", [
    # a headline in capitals: an unlisted rare word keeps its capital, a company's head word after
    # it too, its legal form goes; a number's common word ends the model; the capitals end at the
    # first word in small letters
    ("BRAVELLO CONTROLS LTD ANNOUNCES THE BX-12 SAFETY RELAY FOR PRESSES",
     {("organisation", "BRAVELLO CONTROLS"), ("product", "BX-12")}, {("organisation", "BRAVELLO CONTROLS LTD")}),
    ("DOREMAN DÉVOILE LA RECTIFIEUSE DX-900 3-AXES POUR L'OUTILLAGE",
     {("organisation", "DOREMAN"), ("product", "DX-900")},
     {("product", "DX-900 3-AXES"), ("organisation", "RECTIFIEUSE")}),
    ("PRODUCT RECALL: PELLARD HOISTS LTD recalls its Tensa lever hoists.",
     {("organisation", "PELLARD HOISTS")}, {("organisation", "PELLARD HOISTS LTD")}),
    # a listed maker's name before a code is a family where another maker owns the product
    ("Graco's Husky 1050 pumps feed the line; Danfoss Drives has released the VACON 3000.",
     {("product", "Husky 1050"), ("product", "VACON 3000")}, {("organisation", "Husky"), ("organisation", "Vacon")}),
    ("EOS GmbH présente l'EOS M 290-2 pour la production en série.", {("product", "M 290-2")},
     {("product", "EOS M 290-2")}),
    # maintenance and safety equipment frames its model; a qualification is no product
    ("Le sonomètre Decibra 40 de Sonetek et les élingues Fortex de Levalis équipent l'atelier.",
     {("product", "Decibra 40"), ("product", "Fortex")}, set()),
    ("Operators wear NIOSH-approved respirators and ATEX-certified lamps.", set(),
     {("product", "NIOSH-approved"), ("product", "ATEX-certified")}),
    # a product a type frames and its maker owns, in words: after the maker's possessive, before "de"
    ("Le harnais Orion de Petzl et les gants Vireo de la société Mapalux équipent les cordistes.",
     {("product", "Orion"), ("product", "Vireo")}, set()),
    ("Ansell's Atlas gloves passed the tests; Ford's AM centres print the jigs.", {("product", "Atlas")},
     {("product", "AM")}),
    # a company's size, an insurer, a consultancy, a lab frame a name; a lab's parent is no place of it
    ("La PME Garnier Usinage et le cabinet Vauban Conseil ; the insurer Hartwell Mutual raised premiums.",
     {("organisation", "Garnier Usinage"), ("organisation", "Vauban Conseil"), ("organisation", "Hartwell Mutual")},
     {("organisation", "PME Garnier Usinage")}),
    ("Le laboratoire LAMIH de l'Université Polytechnique Hauts-de-France teste le cobot.",
     {("organisation", "LAMIH")}, {("organisation", "LAMIH de l'Université Polytechnique Hauts-de-France")}),
    # buses, welding processes, efficiency classes are no products; an update is no part of a name
    ("Norvell Drives Rolls Out velis Update For Pumps. The IE5 motors talk over CAN bus to MIG welders.",
     set(), {("product", "velis Update"), ("product", "IE5"), ("product", "CAN"), ("product", "MIG")}),
    ("Kistler Instrumente AG a publié une note ; Shell Lubricants aussi.",
     {("organisation", "Kistler Instrumente"), ("organisation", "Shell Lubricants")}, {("organisation", "Kistler")}),
    # a lot's, a hall's or a plant item's tag, a material grade, a certification scheme are no products
    ("Rappel des disjoncteurs Protéa du lot 24C301 ; la pompe P-118 et le breaker Q7 ; Hall 6, Stand B14.",
     set(), {("product", "24C301"), ("product", "P-118"), ("product", "Q7"), ("product", "Hall 6"),
             ("product", "Stand B14")}),
    ("Tôles S355 J2+N et laiton CW614N ; audit IATF 16949 ; CACES R489 exigé.", set(),
     {("product", "S355 J2+N"), ("product", "CW614N"), ("product", "IATF 16949"), ("product", "CACES R489")}),
    # a company named by its trade holds its place's name, even after an apposition or a genre word
    ("Les Forges de Saulx, fabricant de pièces forgées, embauchent. Reprise de Chaudronnerie du Morvan.",
     {("organisation", "Forges de Saulx"), ("organisation", "Chaudronnerie du Morvan")},
     {("organisation", "Saulx")}),
    # a maker's model a number names, listed with the maker ("Testo 883"), not a year after it
    ("La caméra Testo 883 et la pince Fluke 376 ; Fluke 2024 results were strong.",
     {("product", "883"), ("product", "376")}, {("product", "2024")}),
    # a French role's complement with its article: "du levage", "de la découpe laser"
    ("Le spécialiste du levage Manulor rachète le spécialiste de la découpe laser Lasertec Ouest.",
     {("organisation", "Manulor"), ("organisation", "Lasertec Ouest")}, set()),
    # a model code coordinated with another of its shape; not a standard's designation
    ("La session porte sur les Haas VF-2 et ST-10 ; Haas VF-4 and ISO-9001 audits.",
     {("product", "VF-2"), ("product", "ST-10")}, {("product", "ISO-9001")}),
    # a legal form written with dots ends the name; an edition word after a listed product in capitals
    ("HONEYWELL INTRODUCES EXPERION PKS HIVE UPDATE\nLe constructeur Meccanica Ardesi S.p.A. livre.",
     {("organisation", "Meccanica Ardesi"), ("product", "EXPERION PKS HIVE")},
     {("organisation", "Meccanica Ardesi S")}),
])
def test_names_session_19(text, expected, absent):
    """Session 19's readings: capitals headlines as sentences, families another maker owns,
    maintenance and safety equipment, qualifications, products a maker owns, roles."""
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, expected, absent", [
    # a source telling the news opens a real teaser; a person who says is no organisation
    ("Du code-barres à la RFID : pourquoi l'industrie change\nAscom revient sur le référentiel SST.",
     {("organisation", "Ascom")}, set()),
    ("Turning near misses into lessons\nSMG notes that BLS data put the 2019 rate at 3.3.",
     {("organisation", "SMG")}, set()),
    ("Bukayo Saka, Kai Havertz et Mason Mount ont été touchés, selon les clubs.", set(),
     {("organisation", "Bukayo Saka")}),
    # general news' names (names_general.yaml): media, agencies, brands beyond industry
    ("Netflix renews the series, Deadline reports; the FBI and the CDC were cited by CNN.",
     {("organisation", "Netflix"), ("organisation", "FBI"), ("organisation", "CDC"), ("organisation", "CNN")}, set()),
    # a general name's first word names no maker before a model; a German noun is no medium
    ("Lectra livre deux découpeurs Vector iX6 ; Atlas Copco intègre le Power Focus 8.", set(),
     {("organisation", "Vector"), ("organisation", "Power")}),
    ("Die Zeit berichtet: In dieser Welt ist das Bild klar.", set(),
     {("organisation", "Zeit"), ("organisation", "Welt"), ("organisation", "Bild")}),
    # an English title's "The" is no part of the key; "The Week" is no listed name
    ("Gannett hands production to the Denver Post. Smart Manufacturing Week opens in Detroit.",
     {("organisation", "Denver Post")}, {("organisation", "Week")}),
    # standards bodies that own, act together or name a committee; not before a standard's number
    ("ISO and ASTM sign a partner agreement. ISO's Amendment 1 adds wording. IEC SC 62A and "
     "ISO/TC 283 meet; audits follow IATF 16949.",
     {("organisation", "ISO"), ("organisation", "ASTM"), ("organisation", "IEC SC 62A"),
      ("organisation", "ISO/TC 283")}, {("product", "Amendment 1"), ("organisation", "IATF")}),
    # an EU hazard statement's code is no product; a model named by a letter and digits is one
    ("Nordiik explains the CLP text, which adds statements EUH380/430 and EUH381/431. Peugeot lance la P208.",
     {("product", "P208")}, {("product", "EUH380/430"), ("product", "EUH381/431")}),
    # a word alone opening a headline as its topic, before an English colon (no space before it)
    ("Carcinogens at work: updated roadmap commitments\nCompanies renew their pledges.", set(),
     {("organisation", "Carcinogens")}),
])
def test_names_session_21(text, expected, absent):
    """Session 21's readings, from the real items' dev half: sources telling the news, general
    news' names, standards bodies' committees."""
    assert_names(text, expected, absent)


@pytest.mark.parametrize("text, keys", [
    # the quality and safety standards of automotive, aerospace, US and German plants
    ("Audit IATF 16949:2016 et certification AS9100D, AS 9145 pour l'APQP.", {"IATF 16949", "AS9100", "AS9145"}),
    ("La bascule de la BS OHSAS 18001 vers l'ISO 45001.", {"OHSAS 18001", "ISO 45001"}),
    ("Service robots meet UL 3300; enclosures UL 94 V-0 and UL 61010-1.", {"UL 3300", "UL 94", "UL 61010-1"}),
    ("Arc-flash training per NFPA 70E and NFPA 79.", {"NFPA 70E", "NFPA 79"}),
    ("Wi-Fi 7 is IEEE 802.11be; time sync uses IEEE 1588 and IEEE Std 1547-2018.",
     {"IEEE 802.11be", "IEEE 1588", "IEEE 1547"}),
    ("SAE J3016 levels, ASME B31.3 piping and ASME Y14.5 tolerancing.", {"SAE J3016", "ASME B31.3", "ASME Y14.5"}),
    ("Les recommandations de la VDI 2263 et la VDI/VDE 2182.", {"VDI 2263", "VDI/VDE 2182"}),
    ("MES per ANSI/ISA-95.00.01-2010 and alarms per ISA-18.2; robots per ANSI/A3 R15.06-2025 and ANSI Z535.4.",
     {"ISA-95.00.01", "ISA-18.2", "ANSI/A3 R15.06", "ANSI Z535.4"}),
    ("Tanks to API 650, process safety indicators per API RP 754.", {"API 650", "API RP 754"}),
    ("Wiring to BS 7671:2018, CSA Z432 guarding, IPC-A-610H soldering, JIS B 8433, GB/T 19001-2016.",
     {"BS 7671", "CSA Z432", "IPC-A-610", "JIS B 8433", "GB/T 19001"}),
    # ETSI's numbers in two groups; joint designators; an IEC standard adopted in Europe
    ("Connected products: ETSI EN 303 645 V2.1.1 and EN 301 489-1 under the RED.", {"EN 303 645", "EN 301 489-1"}),
    ("ISA/IEC 62443-3-3, IEC/EN 62443-4-2, ISO/SAE 21434 et ISO/IEC/IEEE 42010.",
     {"IEC 62443-3-3", "IEC 62443-4-2", "ISO/SAE 21434", "ISO/IEC/IEEE 42010"}),
    ("L'EN 62061:2005, identique à la CEI 62061 ; NF EN 60204-1 ; EN 50126 pour le ferroviaire.",
     {"IEC 62061", "IEC 60204-1", "EN 50126"}),
])
def test_standards_of_other_bodies_and_spellings(text, keys):
    assert {r.key for r in extract(text) if r.kind == "standard"} == keys


@pytest.mark.parametrize("text, keys", [
    # a word a hyphen joins to the number; a year after a revision letter; parts of other bodies
    ("Our ISO 9001-certified plant runs IEC 61499-based software.", {"ISO 9001", "IEC 61499"}),
    ("NFPA 70E-2024, la VDI 2263-6 et la JIS B 8433-1.", {"NFPA 70E", "VDI 2263-6", "JIS B 8433-1"}),
    # a list sharing ASTM; IPC's joint standard; SEMI's; China's mandatory GB (not a memory's size)
    ("Three ASTM standards, ASTM F3122, F3187 and F3303, and ASTM E8-22.",
     {"ASTM F3122", "ASTM F3187", "ASTM F3303", "ASTM E8"}),
    ("IPC J-STD-001J, SEMI S2-0821 and SEMI E187; cells pass GB 38031-2025 with 16 GB 3200 RAM.",
     {"IPC J-STD-001", "SEMI S2", "SEMI E187", "GB 38031"}),
    # a lift standard's short number in a sentence, a list's "ET" in capitals
    ("Lifts must apply the revised EN 81-20 and EN 81-50.", {"EN 81-20", "EN 81-50"}),
    ("ISO 10218-1 ET -2 : CE QUI CHANGE", {"ISO 10218-1", "ISO 10218-2"}),
])
def test_standards_written_with_suffixes_lists_and_more_bodies(text, keys):
    assert {r.key for r in extract(text) if r.kind == "standard"} == keys


@pytest.mark.parametrize("text", [
    "Film users pick a fast ISO 400 stock; the camera's base ISO 100 keeps noise low.",   # a sensitivity
    "LIVRAISON EN 24-48 H POUR TOUTE COMMANDE",                                           # a delay in capitals
    "The API 404 error and API 2.0; UL 2024 report; BS 2025 edition; AS 2024 figures.",   # no designation
])
def test_look_alikes_of_standards_are_not_standards(text):
    assert [r for r in extract(text) if r.kind == "standard"] == []


@pytest.mark.parametrize("text, keys", [
    ("Loi AGEC : les nouvelles mesures attendues en 2025", {"loi 2020-105"}),
    ("La loi « Climat et résilience » et la loi Pacte.", {"loi 2021-1104", "loi 2019-486"}),
    ("The AGEC law bans single-use plastics.", {"loi 2020-105"}),
    ("introduit par la loi « Macron » n° 2015-990 du 6 août 2015", {"loi 2015-990"}),
    ("Le projet de loi El Khomri est amendé.", set()),                                  # a bill
    ("la loi du 2 août 2021", {"loi 2021-08-02"}),                                      # cited by its date
    ("The AGEC lawyer said so; l'emploi Macron.", set()),                              # not "law", not "loi"
    ("Le décret BACS (n° 2020-887) vise les bâtiments tertiaires.", {"décret 2020-887"}),  # its short name before
    ("l'évaluation prévue aux articles R4412-5 (agents non CMR) et R4412-61 (CMR) du Code du travail",
     {"code du travail R4412-5", "code du travail R4412-61"}),
])
def test_french_laws_by_name_and_articles_with_asides(text, keys):
    assert {r.key for r in extract(text) if r.kind == "fr_text"} == keys


def test_a_rule_becoming_law_on_a_date_applies_from_it():
    assert [r.key for r in extract("The revised regulation becomes law in every member state on 11 March 2024.")
            if r.kind == "date"] == ["2024-03-11"]
    assert [r for r in extract("He became famous on 3 May 2023.") if r.kind == "date"] == []


@pytest.mark.parametrize("text, keys", [
    ("The rules apply from 30 June or 31 December 2025.", ["2025-06-30", "2025-12-31"]),
    ("Les obligations s'appliquent à partir du 1er et du 15 mars 2026.", ["2026-03-01", "2026-03-15"]),
    ("Regulations 2024/573 and 2024/590 take effect on 11 and 3 March 2024.", ["2024-03-11", "2024-03-03"]),
    ("Article 12 and 31 December 2025 deadline", ["2025-12-31"]),             # an article's number
    ("The fair runs from 3 and 4 March 2026.", []),                           # an event's days
])
def test_days_listed_before_the_date_that_gives_their_month_and_year(text, keys):
    assert [r.key for r in extract(text) if r.kind == "date"] == keys


@pytest.mark.parametrize("text, keys", [
    ("Regulation 1272/2008 and Regulation EU 2023/1230 apply.", ["1272/2008", "2023/1230"]),      # type word first
    ("Regulations 2024/573 and 2024/590 take effect; les règlements (UE) 2017/745 et 2017/746.",
     ["2024/573", "2024/590", "2017/745", "2017/746"]),                                              # a list of one type
    ("The figures 2023/1230 and 2024/2847 are ratios.", []),                                         # no type word
    ("La directive écoconception, la directive IED et la directive Seveso III.", ["2009/125", "2010/75", "2012/18"]),
    # acts of 2023-2024 a plant's watch meets by name; not the US CHIPS Act
    ("The Net-Zero Industry Act and the CRMA set benchmarks; the EU Methane Regulation binds importers.",
     ["2024/1735", "2024/1252", "2024/1787"]),
    ("La directive sur le droit à la réparation et le règlement sur le travail forcé ; le règlement Euro 7.",
     ["2024/1799", "2024/3015", "2024/1257"]),
    ("The European Chips Act funds pilot lines; the fab was backed by CHIPS Act funding.", ["2023/1781"]),
])
def test_eu_acts_by_type_word_lists_and_common_names(text, keys):
    assert [r.key for r in extract(text) if r.kind == "eu_act"] == keys


@pytest.mark.parametrize("text", [
    "Les comptes annuels arrêtés au 31 décembre 2024 font apparaître une perte ; ISO 9001.",
    "Selon l'enquête ISO Survey arrêtée au 31 décembre 2021, 1 570 sites sont certifiés ISO 45001.",
    "Results for the year ended 31 December 2024 were audited under ISO 9001.",
])
def test_the_date_accounts_or_a_survey_are_closed_at_is_no_deadline(text):
    assert [r for r in extract(text) if r.kind == "date"] == []


@pytest.mark.parametrize("text, expected", [
    # a preposition after a product type introduces the maker, not the model
    ("L'UTAC homologue le premier tracteur autonome d'Agrimatic, le modèle AX-3.",
     {("organisation", "UTAC"), ("organisation", "Agrimatic"), ("product", "AX-3")}),
    ("Airbus Atlantic généralise les capteurs vibratoires de Wi6labs.", {("organisation", "Airbus Atlantic")}),
    # a version of a product is the product's
    ("L'INRS annonce une version d'OIRA pour les garages.", {("organisation", "INRS"), ("product", "OIRA")}),
    # a technical centre is a body, a machining centre a type
    ("Le centre technique IPC et le pôle Polyvia lancent un club.", {("organisation", "IPC"), ("organisation", "Polyvia")}),
    ("Le centre d'usinage DMU 50 de DMG Mori.", {("organisation", "DMG Mori"), ("product", "DMU 50")}),
])
def test_a_preposition_after_a_product_type_introduces_the_maker(text, expected):
    assert names_in(text) == expected


def test_a_name_its_company_kind_follows_is_a_company():
    assert names_in("Rio Tinto's ELYSIS joint venture with Alcoa is developing carbon-free smelting.") == {
        ("organisation", "Rio Tinto"), ("organisation", "ELYSIS"), ("organisation", "Alcoa")}
    # not a database starting, nor a robot's arm
    assert ("organisation", "MySQL") not in names_in("The Light MySQL Startup Optimization on EBS Volumes")
    assert ("product", "UR5e") in names_in("Universal Robots ships the UR5e arm with a new gripper.")


def test_a_names_key_word_does_not_depend_on_the_process_hash_seed():
    """Among a name's longest words of one length the key is chosen by order, not by the set's
    iteration order: the names' hints (which texts are read for listed names at all) were
    otherwise not the same from one process to the next."""
    from veille.reference_names import NameSet
    assert NameSet(["Boring Simple", "Gamma Alpha", "Kuka"]).keys == {b"simple", b"gamma", b"kuka"}


@pytest.mark.parametrize("text, absent", [
    ("Robots comply with ANSI/RIA R15.08-1 and ANSI/ASSP Z244.1-2024.",
     {("organisation", "RIA"), ("product", "R15"), ("organisation", "ASSP"), ("product", "Z244")}),
    ("Gateways should meet ETSI EN 303 645; the 2024 edition of ASME B31.3; CSA Z432 and CSA Z434.",
     {("organisation", "ETSI"), ("organisation", "ASME"), ("product", "CSA Z432"), ("product", "CSA Z434")}),
    ("The guide maps component requirements to the CRA's essential requirements; the NIS2 Directive too.",
     {("product", "CRA"), ("product", "NIS2 Directive")}),
])
def test_a_cited_rule_holds_no_name(text, absent):
    """What a standard, an act or a French text is written with is no organisation or product."""
    found = {(r.kind, r.key) for r in extract(text, "en", names=True)}
    assert found & absent == set()
    assert {"standard", "eu_act"} & {kind for kind, _ in found}


@pytest.mark.parametrize("text, keys", [
    ("Le décret modifie les articles R. 4412-149 et suivants du Code du travail.", {"code du travail R4412-149"}),
    ("Code de l’environnement : l’article L. 541-10 fixe les principes de la REP.", {"code de l'environnement L541-10"}),
])
def test_articles_followed_by_the_next_ones_or_after_their_code(text, keys):
    assert {r.key for r in extract(text) if r.kind == "fr_text"} == keys


def test_the_reporting_and_product_safety_directives_by_name():
    text = "Companies subject to the NFRD, then the CSRD; the GPSR replaces the General Product Safety Directive."
    assert {r.key for r in extract(text) if r.kind == "eu_act"} == {"2014/95", "2022/2464", "2023/988", "2001/95"}


@pytest.mark.parametrize("text, expected, absent", [
    # a standards body after a preposition closing a clause; not "la norme ISO", nor before a number
    ("La NF EN 60204-1 est en cours de révision au sein de la CEI. Sa révision par l’ISO.",
     {("organisation", "CEI"), ("organisation", "ISO")}, set()),
    ("Certifié ISO, selon la norme ISO et conforme à l'ISO 9001.", set(), {("organisation", "ISO")}),
    # a body's acronym in parentheses that is not its English initials: the acronym is the key
    ("The Swedish Work Environment Authority (AV) and the Fraunhofer Institute for Solar Energy Systems (ISE) "
     "agree; le Syndicat des Machines et Technologies de Production (SYMOP) publie.",
     {("organisation", "AV"), ("organisation", "ISE"), ("organisation", "Symop")},
     {("organisation", "Swedish Work Environment Authority"), ("organisation", "Fraunhofer Institute"),
      ("organisation", "Solar Energy Systems")}),
    ("The Manufacturing Execution System (MES) and the Health and Safety Executive (UK).", set(),
     {("organisation", "MES"), ("organisation", "UK")}),
    # a ministry's name with commas and "and"; a company's arm named after it by its place or
    # trade; not a company's product ("Google Cloud Platform (GCP)")
    ("Korea's Ministry of Trade, Industry and Energy (MOTIE) and the Federal Ministry for Economic Affairs "
     "and Climate Action (BMWK) agree.", {("organisation", "MOTIE"), ("organisation", "BMWK")},
     {("organisation", "Federal Ministry for Economic Affairs and Climate Action")}),
    ("Legrand rachète Stelvio Power via sa filiale Legrand North and Central America (LNCA).",
     {("organisation", "Legrand"), ("organisation", "LNCA")}, set()),
    ("Last month on the Google Cloud Platform (GCP) blog, we dove into hardware.", set(),
     {("organisation", "GCP")}),
    # a former name in parentheses; a joint venture apposed; a job's acronym; a proposal's or a
    # programme's quoted name; a word's end after an apostrophe; a regulator's region
    ("Forvia (ex-Faurecia) et OPmobility (ex-Plastic Omnium) recrutent.",
     {("organisation", "Faurecia"), ("organisation", "Plastic Omnium")}, set()),
    ("The DOE finalised a loan to BlueOval SK, the joint venture of Ford and SK On; Nokia's CISO spoke.",
     {("organisation", "BlueOval SK")}, {("product", "BlueOval SK"), ("product", "CISO")}),
    ("La Commission propose un « omnibus » ; le CNRS lance le PEPR « Robotique organique », programme de 40 M€.",
     set(), {("product", "omnibus"), ("product", "Robotique organique")}),
    ("Air Liquide met en service Normand’Hy ; OSHA's Region 5 office cited the plant.", set(),
     {("product", "Hy"), ("organisation", "Hy"), ("product", "Region 5")}),
    # a rating left after a protocol; a fair's booth; a robot's generation
    ("Des capteurs IO-Link IP69K ; Festo showed the VTUX valve terminal in Hall 9, Booth D11; "
     "Tesla unveiled Optimus Gen 2.", {("product", "VTUX"), ("product", "Optimus Gen 2")},
     {("product", "IP69K"), ("product", "D11"), ("product", "Optimus")}),
    # a quoted programme's name; a text's part; a quality before a model; a common word's plural
    # opening a sentence; common words in a headline in Title Case
    ("La CARSAT propose une subvention « Prévention TPE » ; l’annexe XVII du règlement REACH.", set(),
     {("product", "Prévention TPE"), ("product", "XVII")}),
    ("Hitachi Energy will supply its SF6-free ELK-14 switchgear.", {("product", "ELK-14")},
     {("product", "SF6-free ELK-14")}),
    ("RECORD YEAR FOR SOLAR IN SPAIN\nInstallers added 7.9 GW in 2024.", set(), {("organisation", "Installers")}),
    ("Bosch Rexroth Publishes Safety Manual for ctrlX CORE With Reference to ISO 13849-2",
     {("product", "ctrlX CORE")}, {("product", "Safety Manual")}),
    ("Apple Ships The iPhone X And Nintendo The Wii U Today", {("product", "iPhone X"), ("product", "Wii U")}, set()),
    # a product type alone, a conference, a medium's format are no products
    ("On the Google Cloud Platform blog; see you at GopherCon and RustConf; a DVD and an iPhone SMS.",
     {("product", "iPhone")}, {("product", "Platform"), ("product", "GopherCon"), ("product", "RustConf"),
                               ("product", "DVD"), ("product", "iPhone SMS")}),
    # a company apposed with the type it makes; a law; a material's form; EMC in French; Ford's units
    ("Northvolt's plant has been bought by Lyten, a US battery start-up, backed by CHIPS Act funding.",
     {("organisation", "Lyten")}, {("product", "Lyten"), ("organisation", "CHIPS Act")}),
    ("Stratasys's ULTEM 9085 resin; le laboratoire d’essais CEM d’Emitech; Ford Pro and Ford Otosan deliver.",
     {("product", "Ultem 9085"), ("organisation", "Emitech"), ("organisation", "Ford Pro"),
      ("organisation", "Ford Otosan")}, {("product", "ULTEM 9085 resin"), ("organisation", "CEM")}),
    # a fair's booth; a release's word in a headline; a model inside a longer one; a label
    ("Mitsubishi Electric's MELFA RV-12CRL headlines its Automate 2025 booth; Crown shows an RC 5500 stand-up truck.",
     {("product", "MELFA RV-12CRL"), ("product", "RC 5500")}, {("product", "Automate 2025")}),
    ("Dassault Systèmes Adds DELMIA Apriso 2025x And SIMULIA Abaqus Updates",
     {("product", "SIMULIA Abaqus")}, {("product", "SIMULIA Abaqus Updates")}),
    ("Airbus Helicopters has ordered 30 ABB GoFa CRB 15000 cobots; le label French Fab en assure la promotion.",
     {("product", "GoFa CRB 15000")}, {("product", "CRB 15000"), ("organisation", "French Fab")}),
    # a model coordinated with another, each after its article and kind (not a technique: "3D")
    ("Makita : la perceuse DF001G et la meuleuse GA038G ; UltiMaker launches the Factor 4, an industrial 3D printer.",
     {("product", "DF001G"), ("product", "GA038G"), ("product", "Factor 4")}, {("product", "3D")}),
    # more nationalities before a company; the French Senate; reporting standards after "selon"
    ("Legrand acquiert l’irlandais Davenham ; l'examen au Sénat, selon les ESRS.",
     {("organisation", "Davenham"), ("organisation", "Sénat")}, {("organisation", "ESRS")}),
])
def test_names_session_23(text, expected, absent):
    """Session 23's readings, from the blind sets P1-P4 written for it."""
    assert_names(text, expected, absent)
