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


class progress_bar:
    """A rich progress bar on a terminal, nothing otherwise (cron, pipes, --json): the
    ``with`` gives ``advance(steps, detail=None)``, or None when no bar is shown."""

    def __init__(self, label: str, total: int, quiet: bool):
        self.label, self.total, self.active = label, total, on_terminal() and not quiet
        self._bar = None

    def __enter__(self):
        if not self.active:
            return None
        from rich.progress import Progress
        self._bar = Progress(transient=True)
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)

        def advance(steps: int, detail: str | None = None) -> None:
            self._bar.update(task, advance=steps,
                             description=f"{self.label} {detail}" if detail else self.label)
        return advance

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
