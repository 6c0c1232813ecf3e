"""Commands: classify, evaluate, train (topic tagging)."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from veille.cli.base import echo_json, main, pass_context

AUTO_FOLDS = 5


def _classifier(taxonomy: str | None):
    from veille.classify import build_classifier, load_classifier
    from veille.classify.model import ModelError
    from veille.classify.taxonomy import TaxonomyError
    try:
        return build_classifier(taxonomy) if taxonomy else load_classifier()
    except (ModelError, TaxonomyError) as exc:
        raise click.ClickException(str(exc)) from exc


def _warn(error) -> None:
    click.echo(f"skipped {error}", err=True)


@main.command()
@click.option("--input", "input_path", type=click.Path(exists=True, dir_okay=False),
              help="JSONL items {id, title, summary, lang?} to tag offline (no database).")
@click.option("--output", "output_path", type=click.Path(dir_okay=False),
              help="JSONL tags {id, topics, scores}, one line per valid input line (default: stdout).")
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False),
              help="A taxonomy YAML replacing the packaged one.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def classify(ctx, input_path, output_path, taxonomy, as_json) -> None:
    """Tag items with topics: a JSONL file, or the database's untagged items."""
    from veille.classify.batch import classify_database, classify_jsonl
    clf = _classifier(taxonomy)
    started = time.perf_counter()
    if input_path:
        sink = open(output_path, "w", encoding="utf-8") if output_path else sys.stdout
        try:
            with open(input_path, "rb") as source:
                result = classify_jsonl(clf, source, sink, _warn, name=Path(input_path).name)
        finally:
            if output_path:
                sink.close()
    elif output_path:
        raise click.UsageError("--output needs --input")
    else:
        result = classify_database(ctx.db(), clf)
    seconds = time.perf_counter() - started
    if as_json:
        echo_json(dict(result.as_dict(), seconds=round(seconds, 3)))
    elif output_path or not input_path:
        topics = ", ".join(f"{t} {n}" for t, n in sorted(result.per_topic.items())) or "no topic"
        click.echo(f"Tagged {result.tagged} items ({topics}); skipped {result.skipped} "
                   f"in {seconds:.1f} s.", err=not output_path and bool(input_path))


@main.command()
@click.option("--labeled", "labeled", required=True, type=click.Path(exists=True, dir_okay=False),
              help="JSONL items with their true topics.")
@click.option("--cv", "folds", type=click.IntRange(2, 20), default=None,
              help="Retrain in K folds grouped by host (the honest figure on training data).")
@click.option("--taxonomy", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True)
def evaluate(labeled, folds, taxonomy, as_json) -> None:
    """Precision, recall and F1 per topic, micro and macro, French and English apart."""
    from veille.classify import evaluate as ev
    from veille.classify.dataset import CORPUS_DIR, load_labeled, training_examples
    from veille.classify.taxonomy import MEASURED_TOPICS, TAXONOMY_FILE, load_taxonomy
    examples, errors = load_labeled(Path(labeled), list(MEASURED_TOPICS))
    for error in errors:
        _warn(error)
    if not examples:
        raise click.ClickException(f"{labeled}: no labelled item to evaluate on")
    if not folds:
        clf = _classifier(taxonomy)
        overlap = ev.training_overlap(examples, clf)
        if overlap:
            # figures on items the model was fitted on would flatter it: measure honestly
            folds = AUTO_FOLDS
            click.echo(f"{overlap} of these {len(examples)} items trained the shipped model: "
                       f"cross-validating in {folds} folds instead.", err=True)
    if folds:
        base, _ = training_examples(list(MEASURED_TOPICS), CORPUS_DIR, dev=None)
        report = ev.cross_validate(examples, base, folds, load_taxonomy(taxonomy or TAXONOMY_FILE))
    else:
        report = ev.evaluate_shipped(examples, clf)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo("\n".join(ev.format_report(report)))


@main.command()
@click.option("--corpus", "corpus_dir", type=click.Path(exists=True, file_okay=False),
              default=None, help="Folder of labelled *.jsonl (default: the packaged corpus).")
@click.option("--dev/--no-dev", "use_dev", default=True,
              help="Also learn from ../shared/corpus/classify/dev.jsonl when present.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the artefact (default: the packaged model).")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def train(ctx, corpus_dir, use_dev, output_path, as_json) -> None:
    """Rebuild the model artefact from the corpus, the shared set and human corrections."""
    from veille.classify.dataset import CORPUS_DIR, SHARED_DEV, from_corrections, training_examples
    from veille.classify.model import ARTEFACT
    from veille.classify.taxonomy import MEASURED_TOPICS
    from veille.classify.train import rebuild
    fixes = []
    if Path(ctx.settings.db_path).exists():
        from veille.store.topics import corrections
        fixes = from_corrections(corrections(ctx.db()))
    topics = list(MEASURED_TOPICS)
    examples, errors = training_examples(topics, Path(corpus_dir or CORPUS_DIR),
                                         SHARED_DEV if use_dev else None, fixes)
    for error in errors:
        _warn(error)
    if not examples:
        raise click.ClickException("no labelled example to train on")
    started = time.perf_counter()
    model = rebuild(examples, topics, Path(output_path) if output_path else ARTEFACT)
    summary = {"examples": len(examples), "corrections": len(fixes),
               "features": len(model.features), "artefact": str(output_path or ARTEFACT),
               "thresholds": dict(zip(topics, map(float, model.thresholds))),
               "seconds": round(time.perf_counter() - started, 1)}
    if as_json:
        echo_json(summary)
    else:
        click.echo(f"Trained on {summary['examples']} examples ({len(fixes)} corrections), "
                   f"{summary['features']} features, in {summary['seconds']} s -> {summary['artefact']}")
