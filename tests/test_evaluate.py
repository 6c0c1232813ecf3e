"""`veille evaluate`: the report's shape, honest figures on training items, and bad lines."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from veille.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "classify"


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_report_ends_with_micro_and_macro_per_language():
    result = run("evaluate", "--labeled", str(FIXTURES / "clear_topics_fr_en.jsonl"))
    assert result.exit_code == 0
    last = result.stdout.strip().splitlines()[-12:]
    assert any(line.startswith("micro all") and "macro F1" in line for line in last)
    assert any(line.startswith("micro fr") for line in last)
    assert any(line.startswith("micro en") for line in last)
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_json_report_counts_every_topic_per_language():
    result = run("evaluate", "--labeled", str(FIXTURES / "clear_topics_fr_en.jsonl"), "--json")
    report = json.loads(result.stdout)
    assert report["items"] == 14
    assert set(report["slices"]) == {"all", "fr", "en"}
    topics = report["slices"]["all"]["topics"]
    assert set(topics) == {"robotics", "additive_manufacturing", "iot", "regulation", "qse"}
    assert topics["regulation"]["support"] == 2
    assert 0.0 <= report["slices"]["all"]["micro"]["f1"] <= 1.0


def test_cross_validation_retrains_per_fold_and_says_so():
    from veille.classify.dataset import load_labeled
    from veille.classify.evaluate import cross_validate, format_report
    from veille.classify.taxonomy import MEASURED_TOPICS, load_taxonomy
    topics = list(MEASURED_TOPICS)
    base, _ = load_labeled(FIXTURES / "small_corpus" / "small.jsonl", topics)
    examples, _ = load_labeled(FIXTURES / "clear_topics_fr_en.jsonl", topics)
    report = cross_validate(examples, base, 2, load_taxonomy())
    assert report.n == len(examples)
    assert "2-fold cross-validation grouped by host" in format_report(report)[0]


def test_bad_labelled_lines_are_named(tmp_path):
    labeled = tmp_path / "labels.jsonl"
    labeled.write_text('{"id": "a", "title": "Robot", "summary": "", "topics": ["robots"]}\n'
                       '{"id": "b", "title": "Cobot UR", "summary": "bras", "topics": ["robotics"]}\n'
                       'not json\n', encoding="utf-8")
    result = run("evaluate", "--labeled", str(labeled))
    assert "labels.jsonl:1: topics must be a list" in result.stderr
    assert "labels.jsonl:3: invalid JSON" in result.stderr
    assert "1 items" in result.stdout
