"""Watch report pages: choose a period, a topic or a source category, read the report,
download it as a Word document, save it in the knowledge base; saved reports are kept
as they were (what they showed and their document)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from veille.capitalise import reports
from veille.capitalise.docx_report import report_docx
from veille.catalogue import i18n_sheets  # noqa: F401  (labels of these pages)
from veille.catalogue.chart import weekly_bars
from veille.catalogue.i18n import Translator, request_lang
from veille.catalogue.web import (NotFound, Response, can_view, email_of, int_arg, read_db, render,
                                  require_user, write)
from veille.store import reports as report_store

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _params(args) -> dict:
    return {k: (args.get(k) or "").strip() for k in ("from", "to", "topic", "group")}


async def _build(datasette, params: dict) -> reports.Report:
    return await read_db(datasette, reports.build_report, params["from"] or None, params["to"] or None,
                         params["topic"] or None, params["group"] or None)


def _docx_response(data: bytes, name: str) -> Response:
    return Response(data, status=200, content_type=DOCX_TYPE,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


def _filename(report: reports.Report) -> str:
    scope = "-".join(x for x in (report.topic, report.group) if x)
    return f"veille-report-{report.period_start}-{report.period_end}{'-' + scope if scope else ''}.docx"


async def _page(datasette, request, report: reports.Report | None, params: dict, *, saved: dict | None = None,
                error: str | None = None, status: int = 200) -> Response:
    t = Translator(request_lang(request)[0])
    chart_svg = ""
    if report is not None and report.total_items:
        # same topic order as the document's PNG, and both charts share one palette
        chart_svg = weekly_bars(report.weekly, report.weeks, report.topics, {x: t.topic(x) for x in report.topics},
                                t("report_chart"))
    saved_list = await read_db(datasette, report_store.list_reports, 20)
    query = urlencode({k: v for k, v in params.items() if v})
    return await render(datasette, request, "veille_report.html", {
        "report": report, "params": params, "chart_svg": chart_svg, "saved": saved, "error": error,
        "saved_list": saved_list, "groups": reports.GROUPS, "docx_href": "/reports/report.docx?" + query,
        "can_save": email_of(datasette, request.actor) is not None}, status=status)


async def _requested_report(request, datasette) -> tuple[dict, reports.Report | Response]:
    """The report the query asks for, or the page explaining why it cannot be built."""
    await can_view(datasette, request)
    params = _params(request.args)
    try:
        return params, await _build(datasette, params)
    except reports.ReportError as exc:
        return params, await _page(datasette, request, None, params, error=str(exc), status=400)


async def report_page(request, datasette):
    params, report = await _requested_report(request, datasette)
    if isinstance(report, Response):
        return report
    params.update({"from": report.period_start, "to": report.period_end})
    return await _page(datasette, request, report, params)


async def report_download(request, datasette):
    _, report = await _requested_report(request, datasette)
    if isinstance(report, Response):
        return report
    return _docx_response(report_docx(report, request_lang(request)[0]), _filename(report))


async def report_save(request, datasette):
    """POST: build the report of the form's period and keep it with its document."""
    await can_view(datasette, request)
    author = require_user(datasette, request)
    form = {k: v[0] for k, v in parse_qs((await request.post_body()).decode("utf-8", "replace")).items()}
    params = _params(form)
    lang = request_lang(request)[0]
    try:
        report = await _build(datasette, params)
    except reports.ReportError as exc:
        return await _page(datasette, request, None, params, error=str(exc), status=400)
    title = (form.get("title") or "").strip() or reports.report_title(report, lang)
    report_id = await write(datasette, reports.save_report, report, report_docx(report, lang, title), author, title, lang)
    return Response.redirect(f"/reports/{report_id}")


async def saved_report(request, datasette):
    await can_view(datasette, request)
    found = await read_db(datasette, reports.saved_report, int_arg(request.url_vars["report_id"], 0))
    if found is None:
        raise NotFound("report")
    row, report = found
    return await _page(datasette, request, report, _params(row["params"]), saved=row)


async def saved_report_docx(request, datasette):
    await can_view(datasette, request)
    found = await read_db(datasette, report_store.report_docx, int_arg(request.url_vars["report_id"], 0))
    if found is None:
        raise NotFound("report")
    _, data = found
    return _docx_response(data, f"veille-report-{request.url_vars['report_id']}.docx")
