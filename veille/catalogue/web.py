"""What every catalogue page shares: the instance state, who is asking (actor and role),
reads and writes through Datasette, and rendering in the visitor's language."""
from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

import sqlite_utils
from datasette.utils.asgi import Forbidden, NotFound, Response

from veille.catalogue.i18n import COOKIE, Translator, request_lang, topic_ids
from veille.catalogue.i18n_errors import localise
from veille.config import Settings
from veille.store import users as user_store

DB_NAME = "veille"
ACCOUNTS_TTL = 30.0  # seconds: a role changed on the command line reaches the catalogue soon


@dataclass
class CatalogueState:
    settings: Settings
    secret: str
    public: bool = True
    accounts: dict[str, dict] = field(default_factory=dict)
    accounts_read_at: float = 0.0
    cache: dict[str, Any] = field(default_factory=dict)


_STATES: "weakref.WeakKeyDictionary[Any, CatalogueState]" = weakref.WeakKeyDictionary()


def attach(datasette, state: CatalogueState) -> None:
    _STATES[datasette] = state


def state(datasette) -> CatalogueState | None:
    return _STATES.get(datasette)


def config(datasette) -> dict | None:
    """The plugin's configuration: present only on catalogues built by build_datasette."""
    return datasette.plugin_config("veille")


async def read(datasette, fn: Callable, *args):
    """Run a store read ``fn(conn, *args)`` in Datasette's read threads."""
    return await datasette.get_database(DB_NAME).execute_fn(lambda conn: fn(conn, *args))


async def read_db(datasette, fn: Callable, *args):
    """Like read, for library functions that take a sqlite_utils.Database."""
    return await read(datasette, lambda conn, *a: fn(sqlite_utils.Database(conn), *a), *args)


async def write(datasette, fn: Callable, *args):
    """Run ``fn(Database(conn), *args)`` in Datasette's single write thread; errors propagate."""
    return await datasette.get_database(DB_NAME).execute_write_fn(
        lambda conn: fn(sqlite_utils.Database(conn), *args), block=True)


async def cached_read(datasette, key: str, ttl: float, fn: Callable, *args):
    """A read whose answer may be ``ttl`` seconds old (counts, the chart, source names):
    at a million items these cost more than the search itself and change slowly."""
    st = state(datasette)
    hit = st.cache.get(key) if st else None
    if hit and time.monotonic() - hit[0] < ttl:
        return hit[1]
    value = await read(datasette, fn, *args)
    if st:
        st.cache[key] = (time.monotonic(), value)
    return value


async def refresh_accounts(datasette, force: bool = False) -> None:
    st = state(datasette)
    if st is None or (not force and time.monotonic() - st.accounts_read_at < ACCOUNTS_TTL):
        return
    st.accounts = await read(datasette, user_store.accounts)
    st.accounts_read_at = time.monotonic()


def role_of(datasette, actor: dict | None) -> str | None:
    """The account's current role (the table, not the cookie, is the truth); None: anonymous."""
    if not actor or not actor.get("id"):
        return None
    st = state(datasette)
    account = st.accounts.get(str(actor["id"])) if st else None
    return account["role"] if account else None


def email_of(datasette, actor: dict | None) -> str | None:
    st = state(datasette)
    account = st.accounts.get(str(actor["id"])) if (st and actor and actor.get("id")) else None
    return account["email"] if account else None


async def can_view(datasette, request) -> None:
    await refresh_accounts(datasette)
    if not await datasette.permission_allowed(request.actor, "view-instance", default=True):
        raise Forbidden("view-instance")


def require_user(datasette, request) -> str:
    """The logged-in account's email, else 403 (anonymous visitors never write)."""
    email = email_of(datasette, request.actor)
    if email is None:
        raise Forbidden("log in first")
    return email


def int_arg(value: str | None, default: int = 1) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


async def render(datasette, request, template: str, context: dict, status: int = 200) -> Response:
    lang, set_cookie = request_lang(request)
    t = Translator(lang)
    actor = request.actor
    args = [(k, v) for k, v in parse_qsl(request.query_string) if k != "lang"]
    ctx = {"t": t, "lang": lang, "lang_href": lambda code: request.path + "?" + urlencode(args + [("lang", code)]), "user_email": email_of(datasette, actor),
           "user_role": role_of(datasette, actor), "topic_ids": topic_ids(),
           "path": request.path, "query_string": request.query_string, **context}
    if ctx.get("error"):  # the library's validation messages are English; a French page says them in French
        ctx["error"] = localise(ctx["error"], lang)
    html = await datasette.render_template(template, ctx, request=request)
    response = Response.html(html, status=status)
    if set_cookie:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


async def error_page(datasette, request, status: int, key: str, detail: str = "") -> Response:
    return await render(datasette, request, "veille_message.html",
                        {"message_key": key, "detail": detail}, status=status)


__all__ = ["Forbidden", "NotFound", "Response", "CatalogueState", "attach", "state", "config", "read",
           "read_db", "cached_read", "write", "refresh_accounts", "role_of", "email_of", "can_view", "require_user",
           "int_arg", "render", "error_page", "DB_NAME"]
