"""SMTP over STARTTLS with a login, and over TLS from the start, on a real local server."""
from __future__ import annotations

import shutil

import pytest

from tests.alerts_support import TlsSmtpServer, add_item, add_source, self_signed_cert
from veille import store
from veille.alerts import match, rules
from veille.alerts.rules import RuleSpec
from veille.alerts.send import send_immediate
from veille.config import Settings

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


@pytest.fixture
def cert(tmp_path, monkeypatch):
    cert, key = self_signed_cert(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", cert)   # how an operator trusts a private CA
    return cert, key


def one_alert_queued():
    db = store.memory()
    add_source(db, "journal")
    rules.add_rule(db, RuleSpec(email="a@example.org", topics=["iot"], frequency="immediate"))
    match.queue_deliveries(db, [add_item(db, "Passerelle OPC UA", {"iot": 0.9}, "journal")])
    return db


def test_starttls_with_login_from_the_url(cert):
    server = TlsSmtpServer(*cert, user="veille", password="p@ss:word")
    server.start()
    try:
        db = one_alert_queued()
        url = f"smtp+starttls://veille:p%40ss%3Aword@127.0.0.1:{server.port}"
        report = send_immediate(db, Settings(smtp_url=url, secret="s"))
        assert report.messages == 1 and report.errors == []
        assert report.transport == f"smtp+starttls://127.0.0.1:{server.port}"   # never the password
        assert len(server.box.to("a@example.org")) == 1
    finally:
        server.stop()


def test_smtps(cert):
    server = TlsSmtpServer(*cert, implicit=True)
    server.start()
    try:
        report = send_immediate(one_alert_queued(), Settings(smtp_url=f"smtps://127.0.0.1:{server.port}", secret="s"))
        assert (report.messages, report.errors) == (1, [])
        assert len(server.box.messages) == 1
    finally:
        server.stop()
