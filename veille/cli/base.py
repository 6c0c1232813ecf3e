"""The root ``veille`` group and what every command shares."""
from __future__ import annotations

import json
import sys

import click

from veille.config import Settings


class Context:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._db = None

    def db(self):
        """The migrated database (opened once per command)."""
        if self._db is None:
            from veille import store
            self._db = store.connect(self.settings.db_path)
        return self._db


@click.group()
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite database (env VEILLE_DB, default ./veille.db).")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Watch plan (env VEILLE_SOURCES, default ./sources.yaml).")
@click.version_option(package_name="veille")
@click.pass_context
def main(ctx: click.Context, db_path: str | None, sources_path: str | None) -> None:
    """veille: technology and regulatory watch for industrial engineering teams."""
    ctx.obj = Context(Settings.from_env(db=db_path, sources=sources_path))


pass_context = click.make_pass_decorator(Context)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def on_terminal() -> bool:
    return sys.stderr.isatty()
