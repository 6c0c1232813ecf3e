"""Commands: the watch plan and collection (`veille init`, `veille crawl`, `veille sources`)."""
from __future__ import annotations

from pathlib import Path

import click

from veille.cli.base import echo_json, main, pass_context, progress_bar


class ConfigurationError(click.ClickException):
    """Unusable configuration: the only reason collection commands exit non-zero."""

    exit_code = 2


def _synced_plan(ctx):
    """Load sources.yaml and sync it into the database (every pass does)."""
    from veille.sources import SourcesError, load_plan
    from veille.store.sources import sync_plan

    try:
        plan = load_plan(ctx.settings.sources_path)
    except SourcesError as exc:
        raise ConfigurationError(str(exc)) from None
    return plan, sync_plan(ctx.db(), plan)


@main.command()
@pass_context
def init(ctx) -> None:
    """Create or migrate the database and import the watch plan (idempotent)."""
    from veille.store import instance_secret

    plan, counts = _synced_plan(ctx)
    instance_secret(ctx.db(), ctx.settings.secret)
    click.echo(f"Database {ctx.settings.db_path}: {len(plan.sources)} sources in "
               f"{ctx.settings.sources_path} ({counts['added']} added, {counts['updated']} updated, "
               f"{counts['disabled']} disabled)")


@main.command()
@click.option("--source", "source_ids", multiple=True, metavar="ID", help="Only this source (repeatable).")
@click.option("--due", is_flag=True, help="Only sources whose schedule and backoff say they are due.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def crawl(ctx, source_ids: tuple[str, ...], due: bool, as_json: bool) -> None:
    """One collection pass; failures are recorded on their source (exit 0)."""
    from veille.collect import CrawlError, crawl as run_crawl

    plan, _ = _synced_plan(ctx)
    try:
        with progress_bar("Collecting", len(source_ids) or len(plan.sources), as_json) as advance:
            summary = run_crawl(ctx.db(), plan, source_ids=list(source_ids) or None, due_only=due,
                                progress=advance and (lambda outcome: advance(1, outcome.source_id)))
    except CrawlError as exc:
        raise ConfigurationError(str(exc)) from None
    if as_json:
        echo_json(summary.to_dict())
        return
    t = summary.totals()
    click.echo(f"{t['sources']} sources in {t['duration']:.1f} s: {t['ok']} ok, "
               f"{t['not_modified']} unchanged, {t['flagged']} flagged, {t['failed']} failed; "
               f"{t['items_new']} new items")
    for o in summary.outcomes:
        if o.status in ("failed", "flagged"):
            click.echo(f"  {o.status:8} {o.source_id}: {o.error}")


@main.group()
def sources() -> None:
    """The watch plan: list sources, import and export OPML."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def sources_list(ctx, as_json: bool) -> None:
    """Every source with its last status, last error and item count."""
    from veille.store.sources import source_rows

    _synced_plan(ctx)
    keys = ("id", "kind", "category", "enabled", "last_status", "last_fetch_at", "error_count",
            "last_error", "flag", "moved_to", "next_fetch_at", "items")
    rows = [{k: r.get(k) for k in keys} for r in source_rows(ctx.db())]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        note = r["last_error"] if r["last_status"] == "failed" else (r["flag"] or "")
        if r["moved_to"]:
            note = f"moved to {r['moved_to']} (update sources.yaml) {note}".strip()
        state = r["last_status"] or "never fetched"
        if not r["enabled"]:
            state = "disabled"
        click.echo(f"{r['id']:32} {r['kind']:7} {r['category']:13} {state:13} {r['items']:6}  {note}")


@sources.command("import-opml")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
def sources_import_opml(ctx, file: Path) -> None:
    """Append the OPML file's new feeds to sources.yaml, then sync."""
    from veille.opml import OpmlError, import_opml
    from veille.sources import SourcesError, WatchPlan, load_plan

    path = Path(ctx.settings.sources_path)
    try:
        plan = load_plan(path) if path.exists() else WatchPlan([])
        added, skipped = import_opml(path, plan, file.read_bytes())
    except (OpmlError, SourcesError) as exc:
        raise ConfigurationError(str(exc)) from None
    _synced_plan(ctx)
    click.echo(f"{len(added)} feeds added to {path}, {len(skipped)} already watched")
    for entry in added:
        click.echo(f"  + {entry['id']}: {entry['url']}")


@sources.command("export-opml")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@pass_context
def sources_export_opml(ctx, file: Path | None) -> None:
    """Write the plan's feeds as OPML to FILE (default: standard output)."""
    from veille.opml import export_opml
    from veille.sources import SourcesError, load_plan

    try:
        data = export_opml(load_plan(ctx.settings.sources_path))
    except SourcesError as exc:
        raise ConfigurationError(str(exc)) from None
    if file is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        file.write_bytes(data)
        click.echo(f"Wrote {file}")
