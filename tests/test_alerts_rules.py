"""Alert rules: refused with a clear message at creation, matched once per subscriber and story."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.alerts_support import add_item, add_source
from veille import store
from veille.alerts import match, rules
from veille.alerts.rules import RuleError, RuleSpec
from veille.timeutil import iso, utcnow


@pytest.fixture
def db():
    db = store.memory()
    add_source(db, "journal", category="trade_journal")
    add_source(db, "inrs", category="regulatory")
    return db


def deliveries(db) -> set[tuple[str, int, str]]:
    return {(r["email"], r["item_id"], r["frequency"]) for r in db.query(
        "SELECT s.email, d.item_id, d.frequency FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id")}


@pytest.mark.parametrize("fields, message", [
    ({"topics": ["robots"]}, "unknown topic 'robots'"),
    ({"query": "robot AND"}, "query 'robot AND': syntax error near end"),
    ({"query": "titre:robot"}, "no such column: titre"),
    ({"frequency": "hourly"}, "frequency 'hourly' is not one of immediate, daily, weekly"),
    ({"sources": ["nowhere"]}, "unknown source id 'nowhere'"),
    ({"categories": ["blog"]}, "unknown category 'blog'"),
    ({"email": "a@example.org\r\nBcc: x@example.org"}, "is not an address"),
    ({"lang": "de"}, "language 'de' is not one of fr, en"),
    ({"min_score": 2}, "must be between 0 and 1"),
    ({"refs": ["machines"]}, "reference 'machines' names no standard, EU act or French text"),
])
def test_invalid_rule_is_refused_with_a_clear_message(db, fields, message):
    spec = {"email": "qse@example.org", **fields}
    with pytest.raises(RuleError, match=message.replace("(", r"\(").replace("*", r"\*")):
        rules.add_rule(db, RuleSpec(**spec))
    assert rules.list_rules(db) == []


def test_reference_spellings_become_the_keys_items_are_indexed_by(db):
    rule_id = rules.add_rule(db, RuleSpec(email="qse@example.org", refs=[
        "Règlement (UE) 2023/1230", "Cyber Resilience Act", "NF EN ISO 13849-1:2023",
        "code du travail R4323-105", "2023/1230"]))
    assert rules.get_rule(db, rule_id)["refs"] == [
        "2023/1230", "2024/2847", "ISO 13849-1", "code du travail R4323-105"]
    # an IEC standard adopted in Europe, other bodies' standards, a French law by its name
    rule_id = rules.add_rule(db, RuleSpec(email="qse@example.org", refs=[
        "NF EN 60204-1", "IATF 16949:2016", "ANSI/A3 R15.06-2025", "loi AGEC"]))
    assert rules.get_rule(db, rule_id)["refs"] == ["IEC 60204-1", "IATF 16949", "ANSI/A3 R15.06", "loi 2020-105"]


def test_rule_lifecycle_add_list_pause_remove(db):
    rid = rules.add_rule(db, RuleSpec(email="rd@example.org", name="Cobots", topics=["robotics"],
                                      sources=["journal"], frequency="weekly", mail_lang="en"))
    [rule] = rules.list_rules(db, email="rd@example.org")
    assert (rule["id"], rule["topics"], rule["sources"], rule["frequency"], rule["mail_lang"]) == (
        rid, ["robotics"], ["journal"], "weekly", "en")
    rules.set_status(db, rid, "paused")
    assert rules.get_rule(db, rid)["status"] == "paused"
    rules.update_rule(db, rid, RuleSpec(email="rd@example.org", topics=["iot"]))
    assert rules.get_rule(db, rid)["topics"] == ["iot"]
    rules.remove_rule(db, rid)
    with pytest.raises(RuleError, match=f"no rule with id {rid}"):
        rules.get_rule(db, rid)


def test_values_of_one_option_are_alternatives_and_options_must_all_hold(db):
    rules.add_rule(db, RuleSpec(email="qse@example.org", topics=["qse", "regulation"],
                                categories=["regulatory"], frequency="immediate"))
    hit_qse = add_item(db, "Risque chimique", {"qse": 0.8}, source_id="inrs")
    hit_reg = add_item(db, "Nouveau décret", {"regulation": 0.9}, source_id="inrs")
    wrong_category = add_item(db, "Risque chimique en atelier", {"qse": 0.8}, source_id="journal")
    wrong_topic = add_item(db, "Un robot", {"robotics": 0.9}, source_id="inrs")
    match.queue_deliveries(db, [hit_qse, hit_reg, wrong_category, wrong_topic])
    assert {d[1] for d in deliveries(db)} == {hit_qse, hit_reg}


def test_query_ignores_accents_and_min_score_and_language_filter(db):
    rules.add_rule(db, RuleSpec(email="m@example.org", query="securite machines", topics=["regulation"],
                                min_score=0.5, lang="fr"))
    good = add_item(db, "Sécurité des machines : le règlement", {"regulation": 0.7})
    weak = add_item(db, "Sécurité des machines, en bref", {"regulation": 0.3})
    english = add_item(db, "Machines securite overview", {"regulation": 0.9}, lang="en")
    no_words = add_item(db, "Décret sur le bruit", {"regulation": 0.9})
    match.queue_deliveries(db, [good, weak, english, no_words])
    assert deliveries(db) == {("m@example.org", good, "daily")}


def test_reference_rule_matches_items_citing_the_standard(db):
    rules.add_rule(db, RuleSpec(email="m@example.org", refs=["ISO 13849-1"]))
    cites = add_item(db, "Révision de la norme", {}, refs=["ISO 13849-1"])
    other = add_item(db, "Autre norme", {}, refs=["ISO 10218-1"])
    match.queue_deliveries(db, [cites, other])
    assert {d[1] for d in deliveries(db)} == {cites}


def test_a_story_reaches_a_subscriber_once_across_runs_clusters_and_rules(db):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="daily"))
    rules.add_rule(db, RuleSpec(email="a@example.org", query="cobot", frequency="immediate"))
    rules.add_rule(db, RuleSpec(email="b@example.org", topics=["robotics"], frequency="weekly"))
    first = add_item(db, "Cobot annoncé", {"robotics": 0.9})
    assert match.queue_deliveries(db, [first]) == 2
    assert match.queue_deliveries(db, [first]) == 0      # reclassified, ingested again: nothing new
    # the same story from another source, clustered with the first item later
    db.execute("UPDATE items SET cluster_id = ? WHERE id = ?", [first, first])
    same_story = add_item(db, "Cobot announced", {"robotics": 0.8}, cluster_id=first)
    assert match.queue_deliveries(db, [same_story]) == 0
    assert deliveries(db) == {("a@example.org", first, "immediate"), ("b@example.org", first, "weekly")}


def test_stories_merged_later_leave_each_subscriber_one_delivery_of_the_story(db):
    """Two items alone when matched, then found to tell one story (stories merged): each
    subscriber keeps the delivery already sent, or the quickest pending one; a digest does
    not list the story twice."""
    from veille.store import stories as story_store

    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["robotics"], frequency="daily"))
    rules.add_rule(db, RuleSpec(email="a@example.org", query="cobot", frequency="immediate"))
    rules.add_rule(db, RuleSpec(email="b@example.org", topics=["robotics"], frequency="weekly"))
    first = add_item(db, "Bras robotisé annoncé", {"robotics": 0.9})
    later = add_item(db, "Cobot announced", {"robotics": 0.8}, lang="en")
    for item_id in (first, later):
        db.execute("UPDATE items SET cluster_id = ? WHERE id = ?", [item_id, item_id])
    assert match.queue_deliveries(db, [first, later]) == 4
    db.execute("UPDATE deliveries SET status = 'sent' WHERE item_id = ? AND subscriber_id = "
               "(SELECT id FROM subscribers WHERE email = 'b@example.org')", [first])
    story_store.save(db, [], {}, merged={later: first})
    kept = {(r["email"], r["item_id"], r["frequency"], r["status"]) for r in db.query(
        "SELECT s.email, d.item_id, d.frequency, d.status FROM deliveries d "
        "JOIN subscribers s ON s.id = d.subscriber_id WHERE d.status != 'cancelled'")}
    assert kept == {("a@example.org", later, "immediate", "pending"), ("b@example.org", first, "weekly", "sent")}
    assert match.queue_deliveries(db, [add_item(db, "Cobot lancé", {"robotics": 0.9}, cluster_id=first)]) == 0


def test_paused_rules_and_unsubscribed_people_match_nothing(db):
    paused = rules.add_rule(db, RuleSpec(email="a@example.org", topics=["iot"]))
    rules.set_status(db, paused, "paused")
    rules.add_rule(db, RuleSpec(email="gone@example.org", topics=["iot"]))
    from veille.alerts.feeds import subscriber_for_email, unsubscribe
    unsubscribe(db, subscriber_for_email(db, "gone@example.org")["id"])
    item = add_item(db, "Capteurs connectés", {"iot": 0.9})
    assert match.queue_deliveries(db, [item]) == 0


def test_preview_lists_recent_matches_newest_first(db):
    def days_ago(n: int) -> str:
        return iso(utcnow() - timedelta(days=n))

    add_item(db, "Impression 3D métal", {"additive_manufacturing": 0.9}, "journal", published_at=days_ago(40))
    a = add_item(db, "Impression 3D polymère", {"additive_manufacturing": 0.9}, "journal", published_at=days_ago(5))
    b = add_item(db, "Fabrication additive béton", {"additive_manufacturing": 0.7}, "journal", published_at=days_ago(1))
    add_item(db, "Robot soudeur", {"robotics": 0.9}, "journal", published_at=days_ago(1))
    got = rules.preview(db, RuleSpec(email="am@example.org", topics=["additive_manufacturing"]), days=30)
    assert [g["id"] for g in got] == [b, a]
    assert got[0]["source_name"] == "Source journal"
    assert got[0]["topics"] == [{"topic": "additive_manufacturing", "score": 0.7}]
    assert len(rules.preview(db, RuleSpec(email="am@example.org"), days=30, limit=2)) == 2


def test_pending_delivery_moves_to_a_quicker_rule_but_a_sent_one_is_never_queued_again(db):
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["qse"], frequency="weekly"))
    waiting = add_item(db, "Fiche risque bruit", {"qse": 0.9})
    sent = add_item(db, "Fiche risque chimique", {"qse": 0.9})
    match.queue_deliveries(db, [waiting, sent])
    db.execute("UPDATE deliveries SET status = 'sent' WHERE item_id = ?", [sent])
    rules.add_rule(db, RuleSpec(email="a@example.org", query="fiche", frequency="immediate"))
    assert match.queue_deliveries(db, [waiting, sent]) == 1
    assert deliveries(db) == {("a@example.org", waiting, "immediate"), ("a@example.org", sent, "weekly")}
