"""The alert commands as a user types them: rules, sending, digests (outbox default)."""
from __future__ import annotations

import json
from email import message_from_bytes, policy

from click.testing import CliRunner

from tests.alerts_support import add_item, add_source
from veille import store
from veille.alerts import match
from veille.cli import main


def run(tmp_path, *args: str):
    env = {"VEILLE_DB": str(tmp_path / "veille.db"), "VEILLE_OUTBOX": str(tmp_path / "outbox"),
           "VEILLE_SMTP_URL": "", "VEILLE_SECRET": "s"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_rules_add_prints_the_id_and_refuses_bad_input_with_a_message(tmp_path):
    first = run(tmp_path, "rules", "add", "--email", "qse@example.org", "--topic", "qse",
                "--topic", "regulation", "--frequency", "immediate", "--mail-lang", "en")
    assert (first.exit_code, first.output.strip()) == (0, "1")
    bad = run(tmp_path, "rules", "add", "--email", "qse@example.org", "--query", "robot AND")
    assert bad.exit_code == 1 and "query 'robot AND': syntax error near end" in bad.output
    unknown = run(tmp_path, "rules", "add", "--email", "qse@example.org", "--topic", "robots")
    assert unknown.exit_code == 1 and "unknown topic 'robots'" in unknown.output
    listed = json.loads(run(tmp_path, "rules", "list", "--json").output)
    assert [(r["id"], r["topics"], r["mail_lang"]) for r in listed] == [(1, ["qse", "regulation"], "en")]


def test_pause_resume_remove(tmp_path):
    run(tmp_path, "rules", "add", "--email", "a@example.org", "--topic", "iot")
    assert run(tmp_path, "rules", "pause", "1").output.strip() == "Rule 1 paused."
    assert "paused" in run(tmp_path, "rules", "list").output
    assert run(tmp_path, "rules", "resume", "1").output.strip() == "Rule 1 active."
    assert run(tmp_path, "rules", "remove", "1").output.strip() == "Rule 1 removed."
    missing = run(tmp_path, "rules", "remove", "1")
    assert missing.exit_code == 1 and "no rule with id 1" in missing.output


def test_alerts_send_and_digest_write_to_the_outbox_once(tmp_path):
    run(tmp_path, "rules", "add", "--email", "a@example.org", "--topic", "robotics", "--frequency", "immediate")
    run(tmp_path, "rules", "add", "--email", "b@example.org", "--topic", "robotics", "--frequency", "weekly")
    db = store.connect(tmp_path / "veille.db")
    add_source(db, "journal")
    match.queue_deliveries(db, [add_item(db, "Cobot", {"robotics": 0.9}, "journal")])
    db.conn.close()
    sent = run(tmp_path, "alerts", "send")
    assert sent.output.startswith("1 message(s), 1 item(s) sent via outbox")
    assert json.loads(run(tmp_path, "alerts", "send", "--json").output)["messages"] == 0
    assert json.loads(run(tmp_path, "digest", "--period", "weekly", "--json").output)["messages"] == 1
    assert json.loads(run(tmp_path, "digest", "--period", "weekly", "--json").output)["messages"] == 0
    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in sorted((tmp_path / "outbox").glob("*.eml"))]
    assert sorted(m["To"] for m in mails) == ["a@example.org", "b@example.org"]


def test_bad_smtp_url_is_a_clear_error(tmp_path):
    run(tmp_path, "rules", "add", "--email", "a@example.org", "--topic", "iot")
    env = {"VEILLE_DB": str(tmp_path / "veille.db"), "VEILLE_SMTP_URL": "http://mail.example"}
    result = CliRunner().invoke(main, ["alerts", "send"], env=env)
    assert result.exit_code == 1 and "VEILLE_SMTP_URL" in result.output
