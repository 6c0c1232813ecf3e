"""The catalogue plugin of the register and of stakeholder review: routes, and the review
thread and register links on the item page. Inert on a Datasette not built by
build_datasette (no "veille" plugin configuration)."""
from __future__ import annotations

from datasette import hookimpl

from veille.capitalise import register_pages, review_pages, reviews
from veille.catalogue.web import config, read_db
from veille.store import register as register_sql

IMPORT_PATH = "/register/import"


@hookimpl
def register_routes(datasette):
    if config(datasette) is None:
        return []
    return [
        (r"^/register$", register_pages.register_list),
        (r"^/register\.csv$", register_pages.register_csv),
        (r"^/register\.xlsx$", register_pages.register_xlsx),
        (r"^/register/new$", register_pages.register_new),
        (rf"^{IMPORT_PATH}$", register_pages.register_import),
        (r"^/register/from-item/(?P<item_id>\d+)$", register_pages.register_from_item),
        (r"^/register/(?P<entry_id>\d+)$", register_pages.register_entry),
        (r"^/reviews/groups$", review_pages.groups_page),
        (r"^/reviews/new$", review_pages.new_request),
        (r"^/review/answer$", review_pages.answer_by_link),
        (r"^/review/(?P<request_id>\d+)/answer$", review_pages.answer_in_catalogue),
    ]


@hookimpl
def skip_csrf(datasette, scope):
    # asgi-csrf cannot read multipart bodies with the python-multipart release installed
    # (FormParser lost its FileClass argument), so the CSV upload checks the same
    # double-submitted token itself: register_pages.register_import
    return config(datasette) is not None and scope.get("path") == IMPORT_PATH


@hookimpl
def extra_template_vars(template, request, datasette):
    """On the item page: its register entries and review thread (read-only here; the forms
    live on the register and review pages)."""
    if config(datasette) is None or template != "veille_item.html" or request is None:
        return None
    item_id = (request.url_vars or {}).get("item_id")
    if not item_id:
        return None

    async def inner():
        return {"capitalise_entries": await read_db(datasette, register_sql.entries_for_item, int(item_id)),
                "capitalise_thread": await read_db(datasette, reviews.thread, int(item_id), None)}
    return inner
