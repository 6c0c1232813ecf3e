"""Stakeholder review: groups, requests, mail once per reviewer with signed links, answers
by link (no login) or in the catalogue, forged and expired links refused."""
from __future__ import annotations

import asyncio
import re
import time
from html import unescape
from urllib.parse import unquote

import pytest

from catalogue_support import build_watch
from veille import store
from veille.capitalise import register, reviews
from veille.catalogue.app import build_datasette
from veille.config import Settings

SECRET = "test-secret-for-review-links"
CSE = ["delegue1@example.org", "delegue2@example.org"]


@pytest.fixture
def entry(tmp_db):
    reviews.set_group(tmp_db, "admin@example.org", "CSE", CSE)
    return register.create(tmp_db, "qse@example.org", {"reference": "Décret 2024-1234", "title": "Aération"})


def link_from(mail) -> str:
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"(http://\S+/review/answer\?t=[^&\s]+)", body).group(1)


def test_review_mail_goes_once_to_each_member_with_a_personal_link(tmp_db, entry, smtp):
    settings = Settings(smtp_url=smtp.url, secret=SECRET, base_url="http://catalogue.test/")
    rid = reviews.request_review(tmp_db, "qse@example.org", "cse", "Applicable à l'atelier peinture ?",
                                 entry_id=entry, due_on="2026-12-15")
    assert reviews.send_review_requests(tmp_db, settings).sent == 2
    assert reviews.send_review_requests(tmp_db, settings).sent == 0
    assert sorted(m["To"] for m in smtp.box.messages) == CSE
    for email in CSE:
        (mail,) = smtp.box.to(email)
        token = unquote(link_from(mail).split("t=", 1)[1])
        assert reviews.read_token(SECRET, token) == (rid, email)
        assert "Applicable à l'atelier peinture ?" in mail.get_body(("plain",)).get_content()


def test_review_mail_subject_shortens_a_long_title_at_a_word_and_says_so(tmp_db, entry, smtp):
    long_title = "Machines d'occasion. Obligations du vendeur et de l'acheteur lors de la cession (ED 6550)"
    other = register.create(tmp_db, "qse@example.org", {"reference": "R4313-14", "title": long_title})
    reviews.request_review(tmp_db, "qse@example.org", "CSE", "Concerné ?", entry_id=other)
    reviews.send_review_requests(tmp_db, Settings(smtp_url=smtp.url, secret=SECRET, base_url="http://catalogue.test/"))
    mail = smtp.box.to(CSE[0])[0]
    subject = str(mail["Subject"])
    assert subject.endswith("…") and "(ED 655" not in subject and len(subject) < 120
    assert "Pertinent : http://" in mail.get_body(("plain",)).get_content()   # French spacing


def test_forged_and_expired_links_are_refused(tmp_db, entry):
    rid = reviews.request_review(tmp_db, "qse@example.org", "CSE", "Avis ?", entry_id=entry)
    good = reviews.make_token(SECRET, rid, CSE[0], int(time.time()) + 3600)
    value, stamp, mac = good.split(".")
    other = reviews.make_token(SECRET, rid, "intruder@example.org", int(time.time()) + 3600).split(".")[0]
    for forged in (f"{other}.{stamp}.{mac}", good[:-2] + "xx", "nonsense", reviews.make_token("other", rid, CSE[0], 2**31)):
        with pytest.raises(reviews.BadLink):
            reviews.read_token(SECRET, forged)
    expired = reviews.make_token(SECRET, rid, CSE[0], int(time.time()) - 1)
    with pytest.raises(reviews.ExpiredLink):
        reviews.read_token(SECRET, expired)


def test_an_answer_is_recorded_once_and_the_thread_shows_the_state(tmp_db, entry):
    rid = reviews.request_review(tmp_db, "qse@example.org", "CSE", "Avis ?", entry_id=entry)
    reviews.answer(tmp_db, rid, CSE[0], "relevant", "Concerne la cabine 3", via="mail")
    with pytest.raises(reviews.AlreadyAnswered):
        reviews.answer(tmp_db, rid, CSE[0], "not_relevant", via="mail")
    with pytest.raises(reviews.ReviewError):
        reviews.answer(tmp_db, rid, "stranger@example.org", "relevant")
    (req,) = reviews.thread(tmp_db, entry_id=entry)
    assert (req["state"], req["answered"], req["asked"]) == ("awaiting", 1, 2)
    assert req["answers"][0]["verdict"] == "relevant" and req["answers"][0]["comment"] == "Concerne la cabine 3"
    reviews.answer(tmp_db, rid, CSE[1], "comment", "Voir avec la médecine du travail")
    assert reviews.thread(tmp_db, entry_id=entry)[0]["state"] == "answered"
    trail = [h["actor"] for h in store.audit.history(tmp_db, "review_request", rid)]
    assert trail == ["qse@example.org", f"mail:{CSE[0]}", CSE[1]]


def test_a_request_needs_a_known_group_and_a_question(tmp_db, entry):
    with pytest.raises(reviews.ReviewError, match="no reviewer group"):
        reviews.request_review(tmp_db, "qse@example.org", "R&D", "Avis ?", entry_id=entry)
    with pytest.raises(reviews.ReviewError, match="question"):
        reviews.request_review(tmp_db, "qse@example.org", "CSE", "  ", entry_id=entry)
    with pytest.raises(reviews.ReviewError, match="email"):
        reviews.set_group(tmp_db, "admin@example.org", "QSE", ["not-an-address"])


# --- through the catalogue ------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reviews")
    path = tmp / "veille.db"
    ids = build_watch(path)
    settings = Settings(db_path=path, outbox=tmp / "outbox", secret=SECRET, base_url="http://catalogue.test/")
    ds = build_datasette(path, settings)
    asyncio.run(ds.invoke_startup())
    return ds, ids, tmp / "outbox", path


def get(ds, url, **kw):
    return asyncio.run(ds.client.get(url, **kw))


def post(ds, url, **kw):
    return asyncio.run(ds.client.post(url, **kw))


def session(ds, email: str, page: str) -> tuple[dict, str]:
    cookies = {"ds_actor": ds.sign({"a": {"id": email}}, "actor")}
    r = get(ds, page, cookies=cookies)
    token = re.search(r'name="csrftoken" value="([^"]+)"', r.text).group(1)
    cookies["ds_csrftoken"] = r.cookies.get("ds_csrftoken")
    return cookies, token


def test_only_admins_change_groups(site):
    ds = site[0]
    cookies, token = session(ds, "editor@example.org", "/reviews/groups")
    r = post(ds, "/reviews/groups", cookies=cookies, data={"csrftoken": token, "name": "CSE", "emails": "x@example.org"})
    assert r.status_code == 403
    cookies, token = session(ds, "admin@example.org", "/reviews/groups")
    r = post(ds, "/reviews/groups", cookies=cookies,
             data={"csrftoken": token, "name": "CSE", "emails": "reader@example.org\nother@example.org"})
    assert r.status_code == 302
    assert "other@example.org, reader@example.org" in get(ds, "/reviews/groups", cookies=cookies).text


def test_review_of_an_item_answered_from_the_mail_link_once(site):
    ds, ids, outbox, path = site
    item_id = ids["prevention-robotique"]
    cookies, token = session(ds, "admin@example.org", f"/reviews/new?item={item_id}")
    post(ds, "/reviews/groups", cookies=cookies, data={"csrftoken": token, "name": "QSE", "emails": "editor@example.org"})
    r = post(ds, f"/reviews/new?item={item_id}", cookies=cookies,
             data={"csrftoken": token, "group": "QSE", "question": "À intégrer au plan de prévention ?"})
    assert r.status_code == 302
    from email import message_from_bytes, policy
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default) for p in outbox.glob("*.eml")]
    (mail,) = [m for m in mails if m["To"] == "editor@example.org"]
    link = link_from(mail).replace("http://catalogue.test", "")
    page = get(ds, link)  # a mail reader, no login
    assert page.status_code == 200 and "À intégrer au plan de prévention ?" in unescape(page.text)
    csrf = re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)
    jar = {"ds_csrftoken": page.cookies.get("ds_csrftoken")}
    done = post(ds, link, cookies=jar, data={"csrftoken": csrf, "verdict": "relevant", "comment": "Oui, poste 4"})
    assert done.status_code == 200 and 'role="status"' in done.text
    again = post(ds, link, cookies=jar, data={"csrftoken": csrf, "verdict": "not_relevant"})
    assert again.status_code == 409
    db = store.connect(path)
    rows = db.execute("SELECT email, verdict, via FROM review_answers").fetchall()
    db.conn.close()
    assert rows == [("editor@example.org", "relevant", "mail")]
    item_page = get(ds, f"/item/{item_id}").text
    assert "Oui, poste 4" in item_page and "1/1" in item_page


def test_forged_and_expired_links_get_clear_pages(site):
    ds = site[0]
    assert get(ds, "/review/answer?t=1%3Aabc%3A99.1.forged").status_code == 400
    expired = reviews.make_token(SECRET, 1, "editor@example.org", int(time.time()) - 10)
    r = get(ds, f"/review/answer?t={expired}")
    assert r.status_code == 410 and "expir" in r.text


def test_anonymous_cannot_request_a_review(site):
    ds, ids, _, _ = site
    assert post(ds, f"/reviews/new?item={ids['cobots-mulhouse']}", data={"group": "QSE", "question": "?"}).status_code == 403
