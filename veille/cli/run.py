"""Commands that run the watch: `veille up` (production) and `veille demo` (offline)."""
from __future__ import annotations

import errno
import signal
import socket
import threading
from pathlib import Path

import click

from veille.cli.base import Context, main, pass_context


def _check_port_free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"port {port} on {host} is already in use: choose another with --port") from None
            raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    return stop


@main.command()
@click.option("--port", default=8001, show_default=True, help="Catalogue port on 127.0.0.1.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=Path("veille-demo"), show_default=True,
              help="Folder for the demo's database, outbox and log.")
def demo(port: int, directory: Path) -> None:
    """Run the whole watch offline on bundled demo sources, then open the catalogue."""
    from veille.demo.run import DemoRun

    _check_port_free("127.0.0.1", port)
    run = DemoRun(directory=directory, port=port, say=click.echo)
    run.prepare()
    run.serve(stop=_stop_on_signals())


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True)
@click.option("--public/--private", default=True, show_default=True,
              help="Whether anonymous visitors may browse the catalogue.")
@pass_context
def up(ctx: Context, host: str, port: int, public: bool) -> None:
    """The main job: the scheduler (crawls, alerts, digests) and the catalogue together."""
    from veille.catalogue.app import build_datasette, serve
    from veille.scheduler import WatchScheduler
    from veille.sources import SourcesError, load_plan

    settings = ctx.settings
    try:
        load_plan(settings.sources_path)
    except SourcesError as exc:
        raise click.ClickException(str(exc)) from None
    _check_port_free(host, port)
    ctx.db()  # create or migrate before the workers start
    scheduler = WatchScheduler(settings)
    scheduler.start()
    click.echo(f"Scheduler: {len(scheduler.plan.sources)} sources; "
               f"digests at {settings.digest_time} {settings.timezone}")
    ready = threading.Event()
    threading.Thread(target=lambda: ready.wait(60) and click.echo(
        f"Catalogue: http://{host}:{port}/"), daemon=True).start()
    try:
        serve(build_datasette(settings.db_path, settings, public=public), host, port,
              ready=ready, stop=_stop_on_signals())
    finally:
        scheduler.stop()
        click.echo("Stopped.")
