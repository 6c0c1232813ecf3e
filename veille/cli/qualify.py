"""Commands: references (offline extraction) and stories (clusters over the database)."""
from __future__ import annotations

import json
import sys

import click

from veille.cli.base import echo_json, main, pass_context, progress_bar


@main.group("references", invoke_without_command=True)
@click.option("--input", "input_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="Items as JSON lines: {\"id\", \"title\", \"summary\", \"content\"?, \"lang\"?}.")
@click.option("--output", "output_path", type=click.Path(dir_okay=False, allow_dash=True),
              help="One line per valid input line: {\"id\", \"references\": [{kind, key, text}]}.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def references_cmd(click_ctx, input_path: str | None, output_path: str | None, as_json: bool) -> None:
    """Extract standards, EU acts, French texts and application dates (offline, no database):
    `veille references --input ITEMS.jsonl --output REFS.jsonl`. `veille references rebuild`
    reads the stored items again."""
    if click_ctx.invoked_subcommand:
        if input_path or output_path:
            raise click.UsageError(f"--input and --output are for offline extraction, not "
                                   f"'{click_ctx.invoked_subcommand}'")
        return
    missing = [name for name, value in (("--input", input_path), ("--output", output_path)) if not value]
    if missing:
        raise click.UsageError(f"Missing option {' and '.join(repr(m) for m in missing)} "
                               "(or a command: rebuild).")
    _extract_offline(input_path, output_path, as_json)


def _extract_offline(input_path: str, output_path: str, as_json: bool) -> None:
    from veille.references import extract_lines

    source = sys.stdin if input_path == "-" else open(input_path, encoding="utf-8", errors="replace")
    sink = sys.stdout if output_path == "-" else open(output_path, "w", encoding="utf-8")
    written, errors, found = 0, [], 0
    with source, sink:
        for _, record, error in extract_lines(source):
            if error:
                errors.append(error)
                click.echo(f"{input_path}: {error}", err=True)
                continue
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
            found += len(record["references"])
    summary = {"items": written, "references": found, "bad_lines": len(errors)}
    if as_json:
        echo_json(summary)
    elif output_path != "-":
        click.echo(f"{written} items, {found} references, {len(errors)} bad lines -> {output_path}")


@references_cmd.command("rebuild")
@click.option("--batch", default=1000, show_default=True, type=click.IntRange(1, 100_000),
              help="Items per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def references_rebuild(ctx, batch: int, as_json: bool) -> None:
    """Extract the stored items' references again with this version's extraction (after an
    upgrade): each item whose reading changed gets its new references; nothing is sent."""
    from veille.reference_rebuild import rebuild

    db = ctx.db()
    total = db.execute("SELECT count(*) FROM items").fetchone()[0]
    with progress_bar("Reading references", total, as_json) as advance:
        done = rebuild(db, batch=batch, progress=advance)
    if as_json:
        echo_json(done.as_dict())
        return
    changes = ", ".join(f"{kind} +{done.added[kind]} -{done.removed[kind]}"
                        for kind in sorted(set(done.added) | set(done.removed)))
    click.echo(f"{done.items} items read, {done.changed} with new references"
               + (f" ({changes})" if changes else ""))


@main.group("stories")
def stories_group() -> None:
    """Stories: near-duplicate items across sources grouped in one cluster."""


@stories_group.command("rebuild")
@click.option("--batch", default=5000, show_default=True, help="Items per transaction.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def stories_rebuild(ctx, batch: int, as_json: bool) -> None:
    """Recompute every story over the database (for databases filled before clustering)."""
    from veille.stories import rebuild

    db = ctx.db()
    stories = rebuild(db, batch=batch)
    items = db.execute("SELECT count(*) FROM items").fetchone()[0]
    if as_json:
        echo_json({"items": items, "stories": stories})
    else:
        click.echo(f"{items} items in {stories} stories")
