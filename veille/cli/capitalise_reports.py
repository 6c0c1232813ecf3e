"""Command: `veille report` — a watch report for a period as a Word document."""
from __future__ import annotations

from pathlib import Path

import click

from veille.cli.base import echo_json, main, pass_context


@main.command("report")
@click.option("--from", "period_start", metavar="YYYY-MM-DD", help="First day (default: 30 days before --to).")
@click.option("--to", "period_end", metavar="YYYY-MM-DD", help="Last day, included (default: today).")
@click.option("--topic", help="Only this topic (robotics, additive_manufacturing, iot, regulation, qse ...).")
@click.option("--group", help="Only sources of this category (manufacturer, regulatory, standards ...).")
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The .docx file to write.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True,
              help="Language of the document.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@pass_context
def report(ctx, period_start, period_end, topic, group, output, lang, as_json) -> None:
    """Write the watch report of a period (key stories, new sheets, register changes,
    chart of items per topic per week) as a Word document. An empty period gives a
    document that says so."""
    from veille.capitalise.docx_report import report_docx
    from veille.capitalise.reports import ReportError, build_report

    try:
        built = build_report(ctx.db(), period_start, period_end, topic, group)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    path = Path(output)
    path.write_bytes(report_docx(built, lang))
    summary = {"output": str(path), "from": built.period_start, "to": built.period_end, "topic": built.topic,
               "group": built.group, "items": built.total_items, "empty": built.empty,
               "stories": sum(len(v) for v in built.stories.values()), "new_sheets": len(built.new_sheets),
               "register_changes": len(built.register_changes)}
    if as_json:
        echo_json(summary)
    elif built.empty:
        click.echo(f"Nothing in {built.period_start} – {built.period_end}; wrote {path} saying so.")
    else:
        click.echo(f"Wrote {path}: {built.total_items} items, {summary['stories']} key stories, "
                   f"{summary['new_sheets']} new sheets, {summary['register_changes']} register changes "
                   f"({built.period_start} – {built.period_end}).")
