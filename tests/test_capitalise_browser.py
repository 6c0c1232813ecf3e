"""The register and review flows in real headless Chromium against the served catalogue.
Screenshots go to tests/artifacts/capitalise/."""
from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest

from catalogue_support import BROWSER_MARKS, browser, build_watch, log_in, page, screenshot, served_catalogue  # noqa: F401
from veille import store
from veille.capitalise import reviews

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("capitalise")
    path = tmp / "veille.db"
    ids = build_watch(path)
    db = store.connect(path)
    reviews.set_group(db, "admin@example.org", "CSE", ["reader@example.org", "other@example.org"])
    db.conn.close()
    with served_catalogue(path, outbox=tmp / "outbox") as base:
        yield {"url": base, "ids": ids, "outbox": tmp / "outbox"}


def shot(page, name: str) -> None:
    screenshot(page, "capitalise", name)


def test_register_entry_from_an_item_taken_to_compliant_with_evidence(page, site):
    base, item_id = site["url"], site["ids"]["machinery-regulation"]
    log_in(page, base, "editor@example.org")
    page.goto(f"{base}/item/{item_id}")
    page.click("text=Ajouter au registre réglementaire")
    assert "2023/1230" in page.input_value("input[name=reference]")
    page.fill("input[name=owner]", "qse@example.org")
    page.fill("input[name=application_dates]", "2027-01-20")
    page.select_option("select[name=applicability]", "applicable")
    page.click("form.regform button[type=submit]")
    page.wait_for_selector("text=Exigence ajoutée au registre.")
    # compliant without evidence is refused, what was typed stays
    page.select_option("select[name=status]", "compliant")
    page.fill("textarea[name=actions]", "Analyses de risques des cellules mises à jour")
    page.click("form.regform button[type=submit]")
    assert "preuve" in page.locator("[role=alert]").inner_text() or "evidence" in page.locator("[role=alert]").inner_text()
    assert page.input_value("textarea[name=actions]") == "Analyses de risques des cellules mises à jour"
    page.fill("input[name=evidence_url]", "https://intranet.example/qse/machines-2026.pdf")
    page.click("form.regform button[type=submit]")
    page.wait_for_selector("text=Enregistré.")
    assert page.locator("h1 .badge").inner_text() == "Conforme"
    assert "editor@example.org" in page.locator("ol.history").inner_text()
    page.goto(base + "/register")
    row = page.locator("table.register tbody tr", has_text="2023/1230")
    assert "Conforme" in row.inner_text()
    shot(page, "register")


def test_review_request_answered_through_the_mail_link(page, site, browser):
    base, item_id = site["url"], site["ids"]["cyber-resilience-act"]
    log_in(page, base, "editor@example.org")
    page.goto(f"{base}/item/{item_id}")
    page.click("text=Demander un avis")
    page.select_option("select[name=group]", "CSE")
    page.fill("textarea[name=question]", "Nos passerelles IoT sont-elles concernées ?")
    page.click("form.reviewform button[type=submit]")
    page.wait_for_selector("#reviews .badge-awaiting")
    assert "0/2" in page.locator("#reviews .badge-awaiting").inner_text()
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in site["outbox"].glob("*.eml")]
    (mail,) = [m for m in mails if m["To"] == "reader@example.org"]
    link = re.search(r"(http://\S+/review/answer\?t=\S+?)&verdict=relevant", mail.get_body(("plain",)).get_content()).group(1)
    # the reviewer opens the link in another browser, without logging in
    other = browser.new_context(locale="fr-FR")
    reviewer = other.new_page()
    reviewer.goto(link + "&verdict=relevant")
    assert reviewer.is_checked("input[value=relevant]")
    reviewer.fill("textarea[name=comment]", "Oui : les passerelles de la ligne 2")
    shot(reviewer, "review")
    reviewer.click("form.reviewform button[type=submit]")
    reviewer.wait_for_selector("text=Merci, votre réponse est enregistrée.")
    reviewer.goto(link)
    assert "Vous avez déjà répondu" in reviewer.content()
    other.close()
    page.goto(f"{base}/item/{item_id}")
    thread = page.locator("#reviews").inner_text()
    assert "1/2" in thread and "Oui : les passerelles de la ligne 2" in thread
