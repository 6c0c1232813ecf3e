"""Commands: alert rules (`veille rules`), subscribers, and sending (`veille alerts send`,
`veille digest`). Parsing and printing only; the work is in veille.alerts."""
from __future__ import annotations

import click

from veille.cli.base import echo_json, main, pass_context


def _rule_error(exc: Exception) -> click.ClickException:
    return click.ClickException(str(exc))


@main.group()
def rules() -> None:
    """Alert rules: what each subscriber is told about, and how often."""


@rules.command("add")
@click.option("--email", required=True, help="Subscriber's address (created if new).")
@click.option("--topic", "topics", multiple=True, help="Topic; repeat for alternatives.")
@click.option("--query", help="Full-text query (FTS5 syntax, accents ignored).")
@click.option("--source", "sources", multiple=True, help="Source id; repeat for alternatives.")
@click.option("--category", "categories", multiple=True, help="Source category; repeat for alternatives.")
@click.option("--reference", "refs", multiple=True, help="Reference key (ISO 13849-1, 2023/1230 ...).")
@click.option("--min-score", type=float, default=0.0, show_default=True, help="Minimum topic score.")
@click.option("--frequency", type=click.Choice(["immediate", "daily", "weekly"]), default="daily",
              show_default=True)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Only items in this language.")
@click.option("--name", help="A name for the rule (shown in its feed and webhook).")
@click.option("--mail-lang", type=click.Choice(["fr", "en"]), help="Language of the subscriber's mail.")
@click.option("--subscriber-name", help="The subscriber's display name.")
@click.option("--webhook", "webhook_url", help="Also POST the rule's new items as JSON to this URL.")
@pass_context
def rules_add(ctx, **options) -> None:
    """Add a rule; prints its id. Options must all hold; values of one option are alternatives."""
    from veille.alerts.rules import RuleError, RuleSpec, add_rule

    for key in ("topics", "sources", "categories", "refs"):
        options[key] = list(options[key])
    try:
        click.echo(add_rule(ctx.db(), RuleSpec(**options)))
    except RuleError as exc:
        raise _rule_error(exc) from None


@rules.command("list")
@click.option("--email", help="Only this subscriber's rules.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def rules_list(ctx, email: str | None, as_json: bool) -> None:
    """List rules."""
    from veille.alerts.rules import list_rules

    found = list_rules(ctx.db(), email)
    if as_json:
        echo_json(found)
        return
    for r in found:
        what = [f"topics={'|'.join(r['topics'])}" if r["topics"] else "",
                f"query={r['query']!r}" if r["query"] else "",
                f"sources={'|'.join(r['sources'])}" if r["sources"] else "",
                f"categories={'|'.join(r['categories'])}" if r["categories"] else "",
                f"refs={'|'.join(r['refs'])}" if r["refs"] else "",
                f"min_score={r['min_score']}" if r["min_score"] else "",
                f"lang={r['lang']}" if r["lang"] else ""]
        click.echo(f"{r['id']:>4}  {r['email']}  {r['frequency']:<9} {r['status']:<6} "
                   + " ".join(w for w in what if w) + (f"  ({r['name']})" if r["name"] else ""))
    if not found:
        click.echo("No rules.")


def _status_command(name: str, status: str | None, doc: str) -> None:
    @rules.command(name, help=doc)
    @click.argument("rule_id", type=int)
    @pass_context
    def command(ctx, rule_id: int) -> None:
        from veille.alerts.rules import RuleError, remove_rule, set_status

        try:
            set_status(ctx.db(), rule_id, status) if status else remove_rule(ctx.db(), rule_id)
        except RuleError as exc:
            raise _rule_error(exc) from None
        click.echo(f"Rule {rule_id} {'removed' if status is None else status}.")


_status_command("pause", "paused", "Stop a rule matching new items (kept for later).")
_status_command("resume", "active", "Let a paused rule match new items again.")
_status_command("remove", None, "Delete a rule; what it queued and was not sent is cancelled.")


@main.group()
def subscribers() -> None:
    """People who receive alerts."""


@subscribers.command("set")
@click.argument("email")
@click.option("--name", help="Display name.")
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of their mail.")
@pass_context
def subscribers_set(ctx, email: str, name: str | None, lang: str | None) -> None:
    """Change a subscriber's name or mail language."""
    from veille.alerts.rules import RuleError, set_subscriber

    try:
        set_subscriber(ctx.db(), email, name=name, lang=lang)
    except RuleError as exc:
        raise _rule_error(exc) from None
    click.echo(f"Updated {email}.")


def _print_report(report, as_json: bool) -> None:
    if as_json:
        echo_json(report.as_dict())
        return
    click.echo(f"{report.messages} message(s), {report.items} item(s) sent via {report.transport}"
               + (f"; {report.resent} resent after an interrupted run" if report.resent else "")
               + (f"; {report.deferred} deferred" if report.deferred else "")
               + (f"; {report.failed} failed" if report.failed else "")
               + (f"; {report.skipped} digest(s) already sent" if report.skipped else "")
               + (f"; {report.webhooks} webhook item(s)" if report.webhooks else ""))
    for error in report.errors:
        click.echo(f"  {error}", err=True)


@main.group()
def alerts() -> None:
    """Immediate alerts."""


@alerts.command("send")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def alerts_send(ctx, as_json: bool) -> None:
    """Deliver pending immediate alerts (one message per subscriber), retry digests that
    failed, and push rule webhooks."""
    from veille.alerts.send import send_immediate

    _print_report(_transport_guard(lambda: send_immediate(ctx.db(), ctx.settings)), as_json)


@main.command()
@click.option("--period", type=click.Choice(["daily", "weekly"]), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def digest(ctx, period: str, as_json: bool) -> None:
    """Send the daily or weekly digests (once per day or week; empty digests are not sent)."""
    from veille.alerts.send import send_digests

    _print_report(_transport_guard(lambda: send_digests(ctx.db(), ctx.settings, period)), as_json)


def _transport_guard(run):
    try:
        return run()
    except ValueError as exc:  # an unusable VEILLE_SMTP_URL
        raise click.ClickException(str(exc)) from None
