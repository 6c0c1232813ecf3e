"""The classifier's inner guarantees: the fast scorer computes exactly the trained model,
chunked tokenising equals one field at a time, references are read right, and the
taxonomy rules find every item they apply to in a chunk."""
from __future__ import annotations

import json
import random
import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from veille.classify import Classifier, build_classifier, load_classifier
from veille.classify.dataset import load_labeled
from veille.classify.features import (FIELD_BREAK, chunk_text, feature_counts, fold, piece_tokens,
                                      pieces_tokens, stem, tokenise_fields, tokens, word_ngrams)
from veille.classify.grams import LONGEST
from veille.classify.scorer import Scorer
from veille.classify.taxonomy import MEASURED_TOPICS, load_taxonomy
from veille.classify.train import train

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "classify"
TOPICS = list(MEASURED_TOPICS)


def _texts() -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in
            (FIXTURES / "clear_topics_fr_en.jsonl").read_text(encoding="utf-8").splitlines()]
    return [(r["title"], r["summary"]) for r in rows] + [
        ("Règlement (UE) 2023/1230 : NF EN ISO 13849-1:2023", "décret n° 2024-1234, R4323-105"),
        ("", ""), ("<p>Seulement du HTML</p>", "")]


@pytest.fixture(scope="module")
def small_model():
    examples, _ = load_labeled(FIXTURES / "small_corpus" / "small.jsonl", TOPICS)
    return train(examples, TOPICS)


def test_fast_scorer_equals_training_features_dotted_with_the_weights(small_model):
    model = small_model
    column = {name: i for i, name in enumerate(model.features)}
    expected = []
    for title, summary in _texts():
        counts = feature_counts(title, summary, lexicon=model.meta["lexicon"])
        total = sum(counts.values())
        z = np.zeros(model.weights.shape[1]) + model.intercepts
        for name, count in counts.items():
            if name in column:
                z += model.weights[column[name]] * count / np.sqrt(total)
        expected.append(z if total else np.full_like(z, -np.inf))
    got = Scorer(model).decision(_texts())
    assert np.allclose(got, np.array(expected), atol=1e-9)


def test_second_stage_turns_empty_text_into_no_topic_and_scores_into_probabilities(small_model):
    probs = Scorer(small_model).probabilities(_texts())
    assert probs.shape == (len(_texts()), len(TOPICS))
    assert np.all((probs >= 0) & (probs <= 1))
    assert np.all(probs[-2] == 0.0)     # no text at all


def test_chunked_tokenising_equals_one_field_at_a_time():
    fields = [f for pair in _texts() for f in pair]
    chunked, joined = tokenise_fields(fields)
    assert chunked == [tokens(f) for f in fields]
    assert joined.count("qqfieldbreakqq") == len(fields) - 1


@pytest.mark.parametrize("text, expected", [
    ("en 2024, la norme EN 18031-1", ["en", "0", "la", "norme", "std_en", "en_18031"]),
    ("ISO/TS 15066 et NF EN ISO 10218-2:2025", ["std_iso", "iso_15066", "et", "nf", "en", "std_iso", "iso_10218"]),
    ("Règlement (UE) 2023/1230", ["reglement", "eu_act"]),
    ("décret n° 2024-1234 et article L4121-1", ["fr_text", "et", "article", "code_article"]),
])
def test_references_become_tokens_and_a_french_year_is_not_a_standard(text, expected):
    assert tokens(text) == expected


def test_rules_are_searched_once_per_chunk_and_find_every_item_they_apply_to():
    taxonomy = load_taxonomy()
    items = [("Robot vacuum review", "The robot vacuum maps the flat."), ("Football", ""),
             ("", "Nouvelle version ISO 14001 publiée"), ("Certifié ISO 45001", ""),
             ("Toy robot for kids", "")]
    _, joined = tokenise_fields([f for pair in items for f in pair])
    assert sorted(taxonomy.items_to_check(joined)) == [0, 2, 3, 4]


def test_certification_to_a_management_system_standard_is_qse_not_regulation():
    taxonomy = load_taxonomy()
    assigned = {"regulation"}
    taxonomy.apply_rules("La fonderie obtient la certification ISO 45001", "Audit sans écart.", assigned)
    assert assigned == {"qse"}
    kept = {"regulation", "qse"}
    taxonomy.apply_rules("ISO publie la révision de l'ISO 14001", "Trois ans de transition.", kept)
    assert kept == {"regulation", "qse"}


def test_shipped_model_has_a_second_stage_and_calibrated_thresholds():
    clf: Classifier = load_classifier()
    model = clf.scorer.model
    assert model.stack is not None
    assert model.stack.weights.shape == (model.weights.shape[1], len(model.topics))
    assert np.all((model.thresholds > 0.1) & (model.thresholds < 0.9))


def test_fold_is_nfkd_without_combining_marks_lowercased():
    def reference(text: str) -> str:
        return re.sub(r"[\u0300-\u036f]", "", unicodedata.normalize("NFKD", text.lower()))
    western = [bytes([b]).decode("cp1252", "ignore") for b in range(256)]
    rnd = random.Random(3)
    for _ in range(3000):
        text = "".join(rnd.choice(western) for _ in range(rnd.randint(0, 20)))
        if rnd.random() < 0.2:
            text += rnd.choice("İǅﬁ１٣𝟙μ⁄œŒ")
        assert fold(text) == reference(text), text


@pytest.mark.parametrize("text", ["ISO ١٠٢١٨ et 12", "Décret n° 2024-1234 ’ 3,5 ٣", "robot 12,5 kg"])
def test_numbers_of_any_script_are_marked_in_western_and_other_text(text):
    assert tokens(text) == [t if not t.isdecimal() else "0" for t in tokens(text)]
    assert "0" in tokens(text)


def _odd_words() -> list[str]:
    words = [t for title, summary in _texts() for t in tokens(title) + tokens(summary)]
    return sorted(set(words)) + ["é", "a", "ab", "日本語", "𝟙x", "\ud800x", "x" * 59, "y" * 200, FIELD_BREAK]


def test_words_scored_together_equal_their_features_summed_one_by_one():
    model = load_classifier().scorer.model
    scorer, words = Scorer(model), _odd_words()
    rows = scorer.rows_of_words(words)
    grams = {n[2:]: i for i, n in enumerate(model.features) if n.startswith("c:")}
    own = {n[2:]: i for i, n in enumerate(model.features) if n.startswith("w:")}
    for word, row in zip(words, rows):
        ids = [grams[g] for g in word_ngrams(word) if g in grams]
        expected = model.weights[ids].sum(axis=0) if ids else 0.0
        extra = [own[word]] if word in own else []
        extra += [scorer._concepts[c] for c in scorer._cues.get(stem(word), ()) if c in scorer._concepts]
        if extra:
            expected = expected + model.weights[extra].sum(axis=0)
        got = scorer._table[row, :-1]
        assert np.array_equal(got, np.broadcast_to(expected, got.shape)), word   # bit for bit


def test_grams_looked_up_at_once_are_those_of_the_dictionary():
    scorer = Scorer(load_classifier().scorer.model)
    words = [w for w in _odd_words() if len(w) < LONGEST]
    features, counts = scorer._gram_index.features(words)
    for word, row, count in zip(words, features.tolist(), counts.tolist()):
        expected = [scorer._grams.get(g, scorer._pad) for g in word_ngrams(word)]
        assert (count, row) == (len(expected), expected + [scorer._pad] * (len(row) - count))


def test_rules_read_piece_by_piece_check_the_items_a_text_scan_would():
    clf = build_classifier()
    rnd = random.Random(7)
    frames = ["{n}", "Le {n} de l'année", "new {n}s", "x{n}y", "ISO 9001 {n} 2023/1230", "{n} qqfieldbreakqq",
              "Robots jouets", "RPA, rpa_x, xrpa", "L'{n}, NF EN ISO 13849-1:2023"]
    needles = sorted(n.text for n in clf.taxonomy._needles)
    for _ in range(60):
        items = [(rnd.choice(frames).format(n=rnd.choice(needles)).upper() if rnd.random() < 0.2 else
                  rnd.choice(frames).format(n=rnd.choice(needles)),
                  " ".join(rnd.choice(frames).format(n=rnd.choice(needles)) for _ in range(rnd.randint(0, 3))))
                 for _ in range(rnd.randint(1, 20))]
        marked, joined = chunk_text([f for pair in items for f in pair])
        ids = clf.scorer.piece_ids(marked.split())
        assert clf._items_to_check(joined, marked, ids, len(items)) == clf.taxonomy.items_to_check(joined)


def test_pieces_tokenised_together_as_one_by_one():
    pieces = chunk_text([f for pair in _texts() for f in pair])[0].split() + ["1,5", "a1.2b", "x-3", "٣٤"]
    assert pieces_tokens(pieces) == [piece_tokens(p) for p in pieces]
    assert pieces_tokens([]) == []
