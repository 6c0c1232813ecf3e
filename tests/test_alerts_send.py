"""Mail through a real SMTP server on 127.0.0.1: each story once, digests grouped, faults survived."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from tests.alerts_support import SmtpServer, add_item, add_source
from veille import store
from veille.alerts import links, match, rules
from veille.alerts.feeds import unsubscribe
from veille.alerts.mail import Letter, new_message_id, render
from veille.alerts.rules import RuleSpec
from veille.alerts.send import send_digests, send_immediate
from veille.config import Settings
from veille.store import alerts as alert_store
from veille.timeutil import iso, utcnow

SECRET = "test-secret"


@pytest.fixture
def db():
    db = store.memory()
    add_source(db, "journal", name="Journal de l'usine")
    add_source(db, "inrs", category="regulatory", name="INRS")
    return db


def settings_for(server: SmtpServer, **kw) -> Settings:
    return Settings(smtp_url=server.url, secret=SECRET, mail_from="veille@usine.example", **kw)


def ingest(db, *items: tuple) -> list[int]:
    """Store items (title, topics, source) and match them, as ingest does."""
    ids = [add_item(db, title, topics, source) for title, topics, source in items]
    match.queue_deliveries(db, ids)
    return ids


def titles(msg) -> str:
    return msg.get_body(("plain",)).get_content()


def test_rule_receives_exactly_the_matching_items_once_across_runs(db, smtp):
    rules.add_rule(db, RuleSpec(email="rd@example.org", topics=["robotics"], frequency="immediate"))
    settings = settings_for(smtp)
    ingest(db, ("Cobot de palettisation", {"robotics": 0.9}, "journal"),
           ("Capteur vibratoire", {"iot": 0.9}, "journal"),
           ("Robot mobile en entrepôt", {"robotics": 0.8}, "journal"))
    first = send_immediate(db, settings)
    assert (first.messages, first.items) == (1, 2)
    assert send_immediate(db, settings).messages == 0
    ingest(db, ("Robot de soudage laser", {"robotics": 0.7}, "journal"))
    send_immediate(db, settings)
    send_immediate(db, settings)
    mails = smtp.box.to("rd@example.org")
    assert len(mails) == 2
    body = titles(mails[0]) + titles(mails[1])
    for title in ("Cobot de palettisation", "Robot mobile en entrepôt", "Robot de soudage laser"):
        assert body.count(title) == 1
    assert "Capteur vibratoire" not in body
    assert mails[0]["Subject"] == "[veille] 2 nouveaux éléments : robotique"


def test_immediate_alerts_are_one_mail_per_subscriber_per_run(db, smtp):
    for email in ("a@example.org", "b@example.org"):
        rules.add_rule(db, RuleSpec(email=email, topics=["iot"], frequency="immediate"))
    ingest(db, *[(f"Passerelle IoT n°{n}", {"iot": 0.9}, "journal") for n in range(5)])
    report = send_immediate(db, settings_for(smtp))
    assert (report.messages, report.items) == (2, 10)
    assert [len(smtp.box.to(e)) for e in ("a@example.org", "b@example.org")] == [1, 1]


def _next_local_noon() -> datetime:
    """Noon after now, in the digests' time zone: a run near midnight stays one day."""
    local = utcnow().astimezone(ZoneInfo(Settings().timezone))
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon if noon > local else noon + timedelta(days=1)).astimezone(timezone.utc)


def test_digest_groups_by_topic_newest_and_best_first_and_is_sent_once_per_day(db, smtp):
    rules.add_rule(db, RuleSpec(email="qse@example.org", topics=["qse", "regulation"], frequency="daily",
                                mail_lang="en"))
    ingest(db, ("Décret bruit", {"regulation": 0.6}, "inrs"), ("Arrêté vibrations", {"regulation": 0.9}, "inrs"),
           ("Fiche risque chimique", {"qse": 0.8}, "inrs"))
    settings = settings_for(smtp)
    assert send_immediate(db, settings).messages == 0          # daily rules wait for the digest
    now = _next_local_noon()       # "five minutes later" must stay on the same local day
    report = send_digests(db, settings, "daily", now=now)
    assert (report.messages, report.items) == (1, 3)
    ingest(db, ("Décret poussières", {"regulation": 0.9}, "inrs"))
    again = send_digests(db, settings, "daily", now=now + timedelta(minutes=5))
    assert (again.messages, again.skipped) == (0, 1)          # same day: not a second digest
    assert send_digests(db, settings, "daily", now=now + timedelta(days=1)).items == 1
    digest = smtp.box.messages[0]
    assert digest["Subject"] == "[veille] Daily digest: 3 items — regulation, QSE"
    text = titles(digest)
    assert text.index("== regulation (2) ==") < text.index("Arrêté vibrations") < text.index(
        "Décret bruit") < text.index("== QSE (1) ==") < text.index("Fiche risque chimique")
    assert "INRS" in text


def test_empty_digest_is_not_sent(db, smtp):
    rules.add_rule(db, RuleSpec(email="qse@example.org", topics=["qse"], frequency="weekly"))
    ingest(db, ("Robot", {"robotics": 0.9}, "journal"))
    assert send_digests(db, settings_for(smtp), "weekly").messages == 0
    assert smtp.box.messages == []


def test_smtp_down_then_up_delivers_everything_once(db, smtp):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="immediate"))
    rules.add_rule(db, RuleSpec(email="b@example.org", topics=["robotics"], frequency="immediate"))
    ingest(db, ("Cobot", {"robotics": 0.9}, "journal"), ("Bras robotisé", {"robotics": 0.9}, "journal"))
    settings = settings_for(smtp)
    smtp.stop()
    now = utcnow()
    down = send_immediate(db, settings, now=now)
    # the first subscriber's rows back off; the run stops there, the others stay untouched
    assert down.messages == 0 and down.deferred == 2 and "unreachable" in down.errors[0]
    rows = db.execute("SELECT status, attempts, next_attempt_at FROM deliveries").fetchall()
    assert {r[0] for r in rows} == {"pending"}
    assert sorted((r[1], r[2] is not None and r[2] > iso(now)) for r in rows) == [
        (0, False), (0, False), (1, True), (1, True)]
    smtp.start()
    untouched = send_immediate(db, settings, now=now)      # the backed-off rows are not due yet
    assert (untouched.messages, untouched.items) == (1, 2)
    due = send_immediate(db, settings, now=now + timedelta(minutes=10))
    assert (due.messages, due.items) == (1, 2)
    send_immediate(db, settings, now=now + timedelta(hours=1))
    assert [len(smtp.box.to(e)) for e in ("a@example.org", "b@example.org")] == [1, 1]
    assert alert_store.delivery_counts(db) == {"sent": 4}


def test_refused_recipient_fails_alone_and_others_still_get_mail(db, smtp):
    smtp.box.refuse.add("left@example.org")
    for email in ("left@example.org", "stays@example.org"):
        rules.add_rule(db, RuleSpec(email=email, topics=["iot"], frequency="immediate"))
    ingest(db, ("Jumeau numérique", {"iot": 0.9}, "journal"))
    report = send_immediate(db, settings_for(smtp))
    assert (report.messages, report.failed) == (1, 1)
    assert len(smtp.box.to("stays@example.org")) == 1
    failed = db.execute("SELECT d.status, d.last_error FROM deliveries d JOIN subscribers s "
                        "ON s.id = d.subscriber_id WHERE s.email = 'left@example.org'").fetchone()
    assert failed[0] == "failed" and "550" in failed[1]
    assert send_immediate(db, settings_for(smtp)).messages == 0   # never retried


def test_unsubscribe_link_stops_further_mail(db, smtp):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="immediate"))
    settings = settings_for(smtp)
    ingest(db, ("Cobot", {"robotics": 0.9}, "journal"))
    send_immediate(db, settings)
    [mail] = smtp.box.messages
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = mail["List-Unsubscribe"].strip("<>")
    assert url.startswith(settings.base_url + "unsubscribe?t=")
    token = url.split("t=", 1)[1]
    unsubscribe(db, int(links.verify(SECRET, "unsubscribe", token)))
    ingest(db, ("Robot", {"robotics": 0.9}, "journal"))
    assert send_immediate(db, settings).messages == 0
    assert len(smtp.box.messages) == 1
    with pytest.raises(links.BadToken):
        links.verify(SECRET, "rule-feed", token)


def test_message_claimed_by_a_killed_sender_is_sent_again_with_the_same_message_id(db, smtp):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="immediate"))
    ingest(db, ("Cobot", {"robotics": 0.9}, "journal"))
    sub = alert_store.subscriber_by_email(db, "a@example.org")
    started = utcnow() - timedelta(hours=1)
    message_id = new_message_id("veille@usine.example")
    # a sender claimed the rows and died before recording the outcome
    assert alert_store.claim(db, sub["id"], "immediate", message_id, iso(started)) == 1
    report = send_immediate(db, settings_for(smtp))
    assert (report.resent, report.messages) == (1, 1)
    [mail] = smtp.box.messages
    assert mail["Message-ID"] == message_id
    assert send_immediate(db, settings_for(smtp)).messages == 0
    assert alert_store.delivery_counts(db) == {"sent": 1}


def test_header_injection_in_titles_rule_names_and_names_creates_no_header(db, smtp):
    rules.add_rule(db, RuleSpec(email="a@example.org", name="Veille\r\nBcc: spy@example.org",
                                subscriber_name="Ann\r\nBcc: spy@example.org", topics=["robotics"],
                                frequency="immediate"))
    ingest(db, ("Cobot\r\nBcc: spy@example.org\r\nSubject: pwned", {"robotics": 0.9}, "journal"))
    assert send_immediate(db, settings_for(smtp)).messages == 1
    [mail] = smtp.box.messages
    assert mail["Bcc"] is None and mail.get_all("Subject") == ["[veille] 1 nouvel élément : robotique"]
    assert "Cobot Bcc: spy@example.org Subject: pwned" in titles(mail)


def test_outbox_default_writes_valid_multipart_eml_in_the_subscriber_language(db, tmp_path):
    rules.add_rule(db, RuleSpec(email="en@example.org", topics=["robotics"], frequency="immediate",
                                mail_lang="en"))
    rules.add_rule(db, RuleSpec(email="fr@example.org", topics=["robotics"], frequency="immediate"))
    ingest(db, ("Cobot <script>alert(1)</script> & co", {"robotics": 0.9}, "journal"))
    settings = Settings(outbox=tmp_path / "outbox", secret=SECRET)
    report = send_immediate(db, settings)
    assert report.messages == 2 and report.transport.startswith("outbox")
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    by_lang = {}
    for f in files:
        msg = message_from_bytes(f.read_bytes(), policy=policy.default)
        assert f.name.endswith(msg["Message-ID"].strip("<>") + ".eml")
        assert msg["Date"] and msg["Auto-Submitted"] == "auto-generated" and msg["List-Unsubscribe"]
        assert msg.get_content_type() == "multipart/alternative"
        html_part = msg.get_body(("html",)).get_content()
        assert "&lt;script&gt;" in html_part and "<script>" not in html_part
        by_lang[msg["Content-Language"]] = msg
    assert by_lang["en"]["Subject"] == "[veille] 1 new item: robotics"
    assert "Unsubscribe" in by_lang["en"].get_body(("plain",)).get_content()
    assert "Se désabonner" in by_lang["fr"].get_body(("plain",)).get_content()


def test_render_links_point_to_the_catalogue(db):
    item = add_item(db, "Cobot", {"robotics": 0.9}, "journal")
    letter = Letter(kind="immediate", subscriber={"id": 7, "email": "a@example.org", "lang": "fr"},
                    items=alert_store.item_summaries(db, [item]), rule_ids=[3],
                    message_id=new_message_id("x@usine.example"), date=utcnow())
    msg = render(letter, base="http://veille.usine.example/", secret=SECRET, mail_from="x@usine.example")
    html_part = msg.get_body(("html",)).get_content()
    assert f'href="http://veille.usine.example/item/{item}"' in html_part
    assert "http://veille.usine.example/rules/3.atom?t=" in html_part
    assert msg["Message-ID"].endswith("@usine.example>")


def test_items_entering_through_ingest_are_alerted_once(db, smtp):
    from veille.ingest import ingest as ingest_items
    from veille.item import RawItem
    from veille.sources import Source, WatchPlan
    from veille.store.sources import sync_plan

    source = Source(id="machines", name="Machines & sécurité", kind="feed", url="http://127.0.0.1/m.xml")
    sync_plan(db, WatchPlan([source]))
    rules.add_rule(db, RuleSpec(email="methodes@example.org", query="exosquelette", frequency="immediate"))
    raws = [RawItem(source_id="machines", title="Un exosquelette pour le port de charges",
                    url="http://127.0.0.1/a", summary="Essai en atelier d'assemblage."),
            RawItem(source_id="machines", title="Nouvelle presse plieuse", url="http://127.0.0.1/b")]
    assert ingest_items(db, source, raws).new == 2
    assert ingest_items(db, source, raws).new == 0        # the same feed read again
    settings = settings_for(smtp)
    send_immediate(db, settings)
    send_immediate(db, settings)
    [mail] = smtp.box.messages
    assert "Un exosquelette pour le port de charges" in titles(mail)
    assert "presse plieuse" not in titles(mail)


def test_a_large_alert_stays_small_enough_to_show_whole_in_webmail(db, tmp_path):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="immediate",
                                mail_lang="en"))
    ingest(db, *[(f"Robot n°{n}", {"robotics": 0.9}, "journal") for n in range(200)])
    db.execute("UPDATE items SET summary = ?", ["Cellule robotisée. " + "Essais en atelier. " * 12])
    send_immediate(db, Settings(outbox=tmp_path, secret=SECRET))
    [path] = tmp_path.glob("*.eml")
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    html_part = msg.get_body(("html",)).get_content()
    assert len(html_part.encode()) < 100_000
    assert html_part.count("Cellule robotisée") == 25
    assert "… and 50 more items in the catalogue" in html_part and "Unsubscribe" in html_part
    assert msg["Subject"] == "[veille] 200 new items: robotics"


def test_a_digest_that_failed_at_its_hour_is_retried_by_the_next_alert_run_once(db, smtp):
    rules.add_rule(db, RuleSpec(email="qse@example.org", topics=["qse"], frequency="daily"))
    ingest(db, ("Fiche risque bruit", {"qse": 0.9}, "inrs"))
    settings = settings_for(smtp)
    smtp.stop()
    now = utcnow()
    assert send_digests(db, settings, "daily", now=now).deferred == 1
    smtp.start()
    retried = send_immediate(db, settings, now=now + timedelta(minutes=10))
    assert (retried.messages, retried.items) == (1, 1)
    assert send_digests(db, settings, "daily", now=now + timedelta(minutes=20)).messages == 0
    assert send_immediate(db, settings, now=now + timedelta(minutes=30)).messages == 0
    [mail] = smtp.box.messages
    assert mail["Subject"].startswith("[veille] Synthèse quotidienne : 1 élément")


def test_digest_order_follows_the_local_day_then_the_score(db):
    # 23:30 UTC on the 25th is already the 26th in Paris: it sorts with the 26th's items
    late = add_item(db, "Tard le 25 (UTC)", {"qse": 0.2}, "inrs", published_at="2026-11-25T23:30:00Z")
    best = add_item(db, "Le 26, score élevé", {"qse": 0.9}, "inrs", published_at="2026-11-26T06:00:00Z")
    older = add_item(db, "Le 25, score élevé", {"qse": 0.95}, "inrs", published_at="2026-11-25T10:00:00Z")
    letter = Letter(kind="daily", subscriber={"id": 1, "email": "a@example.org", "lang": "fr"},
                    items=alert_store.item_summaries(db, [late, best, older]), rule_ids=[],
                    message_id=new_message_id("x@usine.example"), date=utcnow())
    text = render(letter, base="http://v/", secret=SECRET, mail_from="x@usine.example").get_body(("plain",)).get_content()
    assert text.index("Le 26, score élevé") < text.index("Tard le 25 (UTC)") < text.index("Le 25, score élevé")
    assert "26/11/2026 · QSE" in text.split("Tard le 25 (UTC)")[1].splitlines()[1]
