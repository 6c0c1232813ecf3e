"""Routes of the reference pages and the calendar, registered next to the main plugin
(veille.catalogue.plugin) and inert on a Datasette that build_datasette did not configure."""
from __future__ import annotations

from datasette import hookimpl

from veille.catalogue import references_pages as refs
from veille.catalogue.web import config


@hookimpl
def register_routes(datasette):
    if config(datasette) is None:
        return []
    return [
        (r"^/references$", refs.references),
        (rf"^/reference/(?P<kind>{refs.KIND_PATTERN})/(?P<key>[^?#]+)$", refs.reference),
        (r"^/calendar$", refs.calendar),
        (r"^/calendar\.ics$", refs.calendar_feed),
    ]
