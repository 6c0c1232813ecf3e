"""Routes of the watch sheet and report pages, and the item page's list of sheets citing
it; registered next to the main plugin and inert on a Datasette that build_datasette did
not configure."""
from __future__ import annotations

from datasette import hookimpl

from veille.catalogue import report_pages, sheet_pages
from veille.catalogue.web import config


@hookimpl
def register_routes(datasette):
    if config(datasette) is None:
        return []
    return [
        (r"^/sheets$", sheet_pages.sheets_list),
        (r"^/sheets/new$", sheet_pages.sheet_new),
        (r"^/sheets/(?P<sheet_id>\d+)$", sheet_pages.sheet_view),
        (r"^/sheets/(?P<sheet_id>\d+)/edit$", sheet_pages.sheet_edit),
        (r"^/sheets/(?P<sheet_id>\d+)/versions/(?P<number>\d+)$", sheet_pages.sheet_version),
        (r"^/reports$", report_pages.report_page),
        (r"^/reports/report\.docx$", report_pages.report_download),
        (r"^/reports/save$", report_pages.report_save),
        (r"^/reports/(?P<report_id>\d+)$", report_pages.saved_report),
        (r"^/reports/(?P<report_id>\d+)\.docx$", report_pages.saved_report_docx),
    ]


@hookimpl
def extra_template_vars(template, datasette, request):
    if config(datasette) is None or template != "veille_item.html" or request is None:
        return None

    async def citing():
        return await sheet_pages.item_sheets(datasette, request)
    return citing
