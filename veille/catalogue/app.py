"""The catalogue application: Datasette on the watch database with our plugin, templates,
static files and metadata (db/metadata.yaml), and a server to run it."""
from __future__ import annotations

import asyncio
import hashlib
import threading
from pathlib import Path

import yaml
from datasette.app import Datasette
from datasette.plugins import pm

from veille import store
from veille.catalogue import plugin, plugin_sheets, references_plugin
from veille.catalogue.web import DB_NAME, CatalogueState, attach
from veille.config import Settings

HERE = Path(__file__).resolve().parent
METADATA = HERE.parent.parent / "db" / "metadata.yaml"
DATASETTE_SETTINGS = {
    "suggest_facets": False,      # suggesting facets costs more than the search itself at 1M items
    "sql_time_limit_ms": 3000,
    "default_page_size": 50,
    "facet_time_limit_ms": 400,
    "allow_download": False,      # the file holds accounts and the signing secret
    "default_allow_sql": False,
}


def _register_plugin() -> None:
    if not pm.is_registered(plugin):
        pm.register(plugin, name="veille")
    from veille.capitalise import plugin_register  # regulatory register and stakeholder review
    if not pm.is_registered(plugin_register):
        pm.register(plugin_register, name="veille-register")
    if not pm.is_registered(references_plugin):
        pm.register(references_plugin, name="veille-references")
    if not pm.is_registered(plugin_sheets):
        pm.register(plugin_sheets, name="veille-sheets")


def load_metadata(public: bool) -> dict:
    meta = yaml.safe_load(METADATA.read_text(encoding="utf-8")) or {}
    meta.setdefault("plugins", {})["veille"] = {"public": public}
    return meta


def build_datasette(db_path: str | Path, settings: Settings, public: bool = True) -> Datasette:
    """A ready Datasette for the database at ``db_path`` (migrated first)."""
    db = store.connect(db_path)  # applies pending migrations, so the catalogue sees the schema
    secret = store.instance_secret(db, settings.secret)
    db.conn.close()
    _register_plugin()
    ds = Datasette(
        [str(db_path)],
        metadata=load_metadata(public),
        template_dir=str(HERE / "templates"),
        static_mounts=[("veille-static", str(HERE / "static"))],
        settings=DATASETTE_SETTINGS,
        # derived from the instance secret: logins survive restarts, the secret itself stays put
        secret=hashlib.sha256(f"datasette-session:{secret}".encode()).hexdigest(),
    )
    name = next(iter(ds.databases.keys() - {"_internal"}))
    if name != DB_NAME:
        ds.add_database(ds.databases.pop(name), name=DB_NAME)
    attach(ds, CatalogueState(settings=settings, secret=secret, public=public))
    return ds


def serve(ds: Datasette, host: str = "127.0.0.1", port: int = 8001,
          ready: threading.Event | None = None, stop: threading.Event | None = None) -> None:
    """Run the catalogue with uvicorn until Ctrl-C (or until ``stop`` is set); ``ready`` is
    set once it accepts connections."""
    import uvicorn

    config = uvicorn.Config(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)

    async def run() -> None:
        await ds.invoke_startup()
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.02)
        if ready is not None and server.started:
            ready.set()
        while not task.done():
            if stop is not None and stop.is_set():
                server.should_exit = True
            await asyncio.sleep(0.1)
        await task

    asyncio.run(run())
