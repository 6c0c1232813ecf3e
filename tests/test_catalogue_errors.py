"""Validation messages reach a French page in French: every message the library raises for
a form (alert rules, register, watch sheets, reviews) has its French sentence."""
from __future__ import annotations

import asyncio
import re

import pytest

from catalogue_support import build_watch
from test_catalogue import csrf_session, get, make_ds, post
from veille import store
from veille.alerts import rules
from veille.capitalise import register, reviews, sheets
from veille.catalogue.i18n_errors import french


@pytest.fixture(scope="module")
def watch(tmp_path_factory):
    path = tmp_path_factory.mktemp("errors") / "veille.db"
    build_watch(path)
    return path


def _message(fn) -> list[str]:
    try:
        fn()
    except register.EntryError as exc:
        return list(exc.problems)
    except (rules.RuleError, sheets.SheetError, reviews.ReviewError, ValueError) as exc:
        return [str(exc)]
    raise AssertionError("no error raised")


def _library_messages(db) -> list[str]:
    spec = lambda **kw: rules.RuleSpec(**{"email": "a@example.org", **kw})  # noqa: E731
    cases = [
        lambda: rules.validate(db, spec(email="nobody")),
        lambda: rules.validate(db, spec(topics=["robotix"])),
        lambda: rules.validate(db, spec(categories=["blog"])),
        lambda: rules.validate(db, spec(sources=["nowhere"])),
        lambda: rules.validate(db, spec(min_score=3)),
        lambda: rules.validate(db, spec(webhook_url="ftp://x")),
        lambda: rules.validate(db, spec(query='"unclosed')),
        lambda: rules.validate(db, spec(query="robot AND")),
        lambda: register.validate({"published_on": "32/13/2026", "application_dates": "demain",
                                   "applicability": "peut-être", "status": "bof", "owner": "qse",
                                   "evidence_url": "intranet/preuve"}),
        lambda: register.validate({"reference": "R", "title": "T", "status": "compliant",
                                   "applicability": "not_applicable"}),
        lambda: sheets.validate(sheets.SheetDraft(title="")),
        lambda: sheets.validate(sheets.SheetDraft(title="T", available_since="x" * 200)),
        lambda: sheets.validate(sheets.SheetDraft(title="T", maturity="ripe")),
        lambda: reviews.set_group(db, "a@example.org", "<CSE>", ["x@example.org"]),
        lambda: reviews.set_group(db, "a@example.org", "CSE", ["adresse-sans-arobase"]),
        lambda: reviews.set_group(db, "a@example.org", "CSE", []),
        lambda: reviews.request_review(db, "a@example.org", "CSE", "", item_id=1),
        lambda: reviews.request_review(db, "a@example.org", "nobody", "Q ?", item_id=1),
    ]
    return [m for case in cases for m in _message(case)]


def test_every_form_message_has_a_french_sentence(watch):
    db = store.connect(watch)
    messages = _library_messages(db)
    db.conn.close()
    assert len(messages) >= 25
    untranslated = [m for m in messages if french(m) == m]
    assert untranslated == []
    english = re.compile(r"\b(is|are|not|needs?|must|required|unknown|characters|syntax)\b")
    assert [french(m) for m in messages if english.search(french(m))] == []


def test_rule_form_error_is_french_on_a_french_page_and_english_on_an_english_one(watch):
    ds = make_ds(watch)
    cookies, token = csrf_session(ds, "reader@example.org")
    data = {"csrftoken": token, "name": "Robots", "query": '"cobot', "action": "save"}
    fr = post(ds, "/subscriptions/new", cookies=cookies, data=data)
    assert fr.status_code == 400 and "guillemet non fermé" in fr.text
    en = post(ds, "/subscriptions/new?lang=en", cookies={**cookies, "veille_lang": "en"}, data=data)
    assert en.status_code == 400 and "unterminated string" in en.text
    assert asyncio.run(ds.get_database("veille").execute("select count(*) from alert_rules")).first()[0] == 0
    assert get(ds, "/subscriptions/new", cookies=cookies).status_code == 200
