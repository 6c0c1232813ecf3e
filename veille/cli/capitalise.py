"""Commands: the regulatory register (`veille register ...`) and reviewer groups and review
mail (`veille reviews ...`). Parsing and printing only; the work is in veille.capitalise."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from veille.cli.base import echo_json, main, pass_context


@main.group("register")
def register_group() -> None:
    """The regulatory register: reminders, import and export."""


@register_group.command("remind")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Pretend today is this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_context
def register_remind(ctx, today, as_json: bool) -> None:
    """Mail each owner 14 days and 1 day before an application date or review date, once."""
    from veille.capitalise.reminders import send_register_reminders

    report = send_register_reminders(ctx.db(), ctx.settings, today=today.date() if today else None)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(f"{report.sent} reminder(s) sent, {report.resent} resent, {report.failed} failed "
                   f"({report.transport})")
        for err in report.errors:
            click.echo(f"  {err}", err=True)


@register_group.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="cli", show_default=True, help="Who the audit trail names.")
@pass_context
def register_import(ctx, csv_file: Path, actor: str) -> None:
    """Add the rows of a CSV file as register entries: all of them, or none if a row is bad."""
    from veille.capitalise.register_io import ImportRefused, import_csv

    try:
        report = import_csv(ctx.db(), actor, csv_file.read_bytes())
    except ImportRefused as exc:
        lines = "\n".join(f"  line {n}: {m}" for n, m in exc.problems)
        raise click.ClickException(f"{len(exc.problems)} bad row(s) in {csv_file}, nothing imported:\n{lines}")
    click.echo(f"{len(report.imported)} entr{'y' if len(report.imported) == 1 else 'ies'} imported")


@register_group.command("export")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@pass_context
def register_export(ctx, output: Path) -> None:
    """Write the register to OUTPUT: .xlsx for a workbook, else CSV."""
    from veille.capitalise import register_io

    if output.suffix.lower() == ".xlsx":
        output.write_bytes(register_io.export_xlsx(ctx.db()))
    else:
        output.write_text(register_io.export_csv(ctx.db()), encoding="utf-8")
    click.echo(f"register written to {output}")


@register_group.command("due")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def register_due(ctx, as_json: bool) -> None:
    """Deadlines overdue and within 30 days."""
    from veille.capitalise.register import due

    report = due(ctx.db(), date.today())
    rows = [{"state": state, "entry": d.entry["id"], "reference": d.entry["reference"], "kind": d.kind,
             "date": d.date, "days": d.days, "owner": d.entry["owner"]}
            for state, items in (("overdue", report.overdue), ("due_soon", report.due_soon)) for d in items]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['state']:9} {r['date']} {r['kind']:11} #{r['entry']} {r['reference']} ({r['owner'] or '-'})")
    click.echo(f"{len(report.overdue)} overdue, {len(report.due_soon)} due within 30 days")


@main.group("reviews")
def reviews_group() -> None:
    """Stakeholder review: reviewer groups and the mail asking them."""


@reviews_group.group("group")
def review_group() -> None:
    """Reviewer groups (CSE, R&D, QSE ...)."""


@review_group.command("set")
@click.argument("name")
@click.argument("emails", nargs=-1, required=True)
@click.option("--actor", default="cli", show_default=True, help="Who the audit trail names.")
@pass_context
def review_group_set(ctx, name: str, emails: tuple[str, ...], actor: str) -> None:
    """Create or replace the group NAME with these members."""
    from veille.capitalise.reviews import ReviewError, set_group

    try:
        group = set_group(ctx.db(), actor, name, list(emails))
    except ReviewError as exc:
        raise click.ClickException(str(exc))
    click.echo(f"group {group['name']}: {len(group['emails'])} member(s)")


@review_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def review_group_list(ctx, as_json: bool) -> None:
    from veille.capitalise.reviews import groups

    found = groups(ctx.db())
    if as_json:
        echo_json([{"name": g["name"], "emails": g["emails"]} for g in found])
        return
    for g in found:
        click.echo(f"{g['name']}: {', '.join(g['emails'])}")


@reviews_group.command("send")
@click.option("--json", "as_json", is_flag=True)
@pass_context
def reviews_send(ctx, as_json: bool) -> None:
    """Mail the reviewers of requests not mailed yet (the catalogue does it on each request)."""
    from veille.capitalise.reviews import send_review_requests

    report = send_review_requests(ctx.db(), ctx.settings)
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(f"{report.sent} review mail(s) sent, {report.resent} resent, {report.failed} failed "
                   f"({report.transport})")
