"""Commands: the catalogue (`veille serve`) and its accounts (`veille users`)."""
from __future__ import annotations

import sys

import click

from veille.cli.base import echo_json, main, pass_context


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--public/--private", default=True, show_default=True,
              help="Whether anonymous visitors may browse (they never write).")
@pass_context
def serve(ctx, host: str, port: int, public: bool) -> None:
    """Serve the Datasette catalogue with the veille plugin."""
    import threading

    from veille.catalogue.app import build_datasette, serve as run

    ds = build_datasette(ctx.settings.db_path, ctx.settings, public=public)
    ready = threading.Event()
    watcher = threading.Thread(target=lambda: ready.wait() and click.echo(
        f"Catalogue: http://{host}:{port}/ ({'public' if public else 'private'})"), daemon=True)
    watcher.start()
    run(ds, host, port, ready=ready)


@main.group()
def users() -> None:
    """Catalogue accounts."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), default="reader", show_default=True)
@pass_context
def users_add(ctx, email: str, role: str) -> None:
    """Create or update an account; the password is read from standard input."""
    from veille.store.users import UserError, add_user

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        result = add_user(ctx.db(), email, password, role)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{'Created' if result['created'] else 'Updated'} {result['email']} ({result['role']})")


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def users_list(ctx, as_json: bool) -> None:
    """List catalogue accounts."""
    from veille.store.users import list_users

    rows = list_users(ctx.db())
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['email']}\t{r['role']}\t{r['created_at']}")
