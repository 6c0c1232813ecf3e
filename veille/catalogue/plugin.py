"""The Datasette plugin that makes the catalogue a product: our pages, who may do what,
the accounts of the users table handed to datasette-auth-passwords, and CSRF exemptions.

Every hook is inert on a Datasette that build_datasette did not configure (no "veille"
plugin configuration), so registering the module never changes another instance.
"""
from __future__ import annotations

import json

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from veille.catalogue import pages, subscriptions
from veille.catalogue.i18n import Translator, request_lang
from veille.catalogue.web import config, error_page, refresh_accounts, role_of, state

# Tables a non-admin may read through Datasette's own pages; everything else (accounts,
# subscribers, rules, deliveries, settings with the signing secret) is admin only.
PUBLIC_TABLES = {"items", "items_catalogue", "sources", "item_topics", "item_sources", "entities", "fetches", "items_fts"}
PUBLIC_QUERIES = {"search_items", "latest_items", "sources_in_error", "items_by_reference"}


@hookimpl
def register_routes(datasette):
    if config(datasette) is None:
        return []
    return [
        (r"^/$", pages.overview),
        (r"^/search$", pages.search),
        (r"^/item/(?P<item_id>\d+)$", pages.item),
        (r"^/item/(?P<item_id>\d+)/topics$", pages.correct_topics),
        (r"^/sources$", pages.sources),
        (r"^/subscriptions$", subscriptions.subscriptions),
        (r"^/subscriptions/new$", subscriptions.new_rule),
        (r"^/subscriptions/(?P<rule_id>\d+)/edit$", subscriptions.edit_rule),
        (r"^/subscriptions/(?P<rule_id>\d+)/(?P<action>pause|resume|delete)$", subscriptions.rule_action),
        (r"^/unsubscribe$", subscriptions.unsubscribe),
        (r"^/rules/(?P<rule_id>\d+)\.atom$", subscriptions.rule_feed),
        (r"^/-/metadata(?P<format>\.json)?$", metadata_view),
    ]


async def metadata_view(request, datasette):
    """Datasette's metadata without the plugin configuration (it holds password hashes)."""
    if role_of(datasette, request.actor) != "admin":
        return Response.text("Forbidden", status=403)
    data = {k: v for k, v in datasette.metadata().items() if k != "plugins"}
    return Response.json(data)


@hookimpl
def get_metadata(datasette, key, database, table):
    """Accounts for datasette-auth-passwords, read from the users table (kept fresh by
    refresh_accounts), so `veille users add` needs no restart."""
    st = state(datasette)
    if st is None or key not in (None, "plugins"):
        return None
    hashes = {f"{name}_password_hash": a["password_hash"] for name, a in st.accounts.items()}
    actors = {name: {"id": a["email"]} for name, a in st.accounts.items()}
    return {"plugins": {"datasette-auth-passwords": {**hashes, "actors": actors}}}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def refresh_before_login(scope, receive, send):
            # a password set a moment ago on the command line must work at once
            if scope.get("type") == "http" and scope.get("path") == "/-/login" and state(datasette):
                await refresh_accounts(datasette, force=True)
            await app(scope, receive, send)
        return refresh_before_login
    return wrap


@hookimpl
def startup(datasette):
    async def load_accounts():
        if state(datasette) is not None:
            await refresh_accounts(datasette, force=True)
    return load_accounts


@hookimpl
def skip_csrf(datasette, scope):
    # RFC 8058 one-click unsubscribe is posted by mail clients, which hold no CSRF cookie;
    # the signed token in the URL is what authorises it
    return config(datasette) is not None and scope.get("path") == "/unsubscribe"


@hookimpl
def permission_allowed(datasette, actor, action, resource):
    cfg = config(datasette)
    if cfg is None:
        return None
    role = role_of(datasette, actor)
    if role == "admin":
        return True
    if action == "view-instance" and not cfg.get("public", True) and role is None:
        return False
    if action in ("execute-sql", "view-database-download", "debug-menu", "permissions-debug"):
        return False
    if action == "view-table" and resource and resource[1] not in PUBLIC_TABLES:
        return False
    if action == "view-query" and resource and resource[1] not in PUBLIC_QUERIES:
        return False
    return None


@hookimpl
def menu_links(datasette, actor, request):
    if config(datasette) is None:
        return None
    t = Translator(request_lang(request)[0] if request else "fr")  # Datasette's pages speak the visitor's language too
    return [{"href": href, "label": t(key)} for href, key in (
        ("/", "overview"), ("/search", "search"), ("/sources", "sources"), ("/subscriptions", "subscriptions"))]


@hookimpl
def forbidden(datasette, request, message):
    # a private catalogue sends anonymous visitors to the login page rather than a bare 403
    cfg = config(datasette)
    if cfg is None or cfg.get("public", True) or request.actor:
        return None
    return Response.redirect("/-/login")


@hookimpl
def handle_exception(datasette, request, exception):
    # a missing item, sheet or report (or a mistyped address) gets the catalogue's page in the
    # visitor's language with the navigation, not Datasette's bare red box; Datasette's own
    # pages (/veille/..., /-/...) keep theirs
    if config(datasette) is None or not isinstance(exception, NotFound) or request is None:
        return None
    if request.path.startswith(("/veille/", "/-/")) or request.path == "/veille":
        return None

    async def page():
        return await error_page(datasette, request, 404, "not_found")
    return page


@hookimpl
def render_cell(value, column, table, database, datasette):
    # lists stored as JSON text show as plain words, not raw JSON, on Datasette's pages
    if config(datasette) is None or column not in ("topics", "sources", "categories", "refs"):
        return None
    if isinstance(value, str) and value.startswith("["):
        try:
            return ", ".join(str(v) for v in json.loads(value)) or "—"
        except ValueError:
            return None
    return None
