"""Shared pieces of the alert tests: a real SMTP server on loopback and a small item writer."""
from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from veille.timeutil import now_iso


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailBox:
    """What the SMTP server accepted, parsed back as a reader's client would."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)   # recipients answered 550
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope: Envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] and address in m["To"]]


class SmtpServer:
    """A real aiosmtpd server on 127.0.0.1 that can be stopped and started on one port."""

    def __init__(self):
        self.port = free_port()
        self.box = MailBox()
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


def add_source(db, source_id: str = "src", category: str = "trade_journal", name: str | None = None) -> None:
    now = now_iso()
    db["sources"].insert({"id": source_id, "name": name or f"Source {source_id}", "kind": "feed",
                          "url": f"http://127.0.0.1/{source_id}.xml", "category": category,
                          "added_at": now, "updated_at": now}, ignore=True)


_counter = iter(range(1, 10**9))


def add_item(db, title: str, topics: dict[str, float] | None = None, source_id: str = "src",
             summary: str = "", lang: str = "fr", published_at: str | None = None,
             cluster_id: int | None = None, refs: list[str] = ()) -> int:
    """Store one item with its topics and references, as ingest and the classifier would."""
    n = next(_counter)
    now = now_iso()
    item_id = db["items"].insert({
        "source_id": source_id, "url": f"http://127.0.0.1/{source_id}/{n}", "guid": f"g{n}",
        "title": title, "summary": summary, "content": "", "published_at": published_at or now,
        "fetched_at": now, "lang": lang, "content_hash": f"h{n}", "cluster_id": cluster_id,
    }).last_pk
    for topic, score in (topics or {}).items():
        db["item_topics"].insert({"item_id": item_id, "topic": topic, "score": score, "origin": "model"})
    for key in refs:
        db["entities"].insert({"item_id": item_id, "kind": "standard", "key": key, "text": key})
    return item_id


def self_signed_cert(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 made with the openssl command (cert path, key path)."""
    import subprocess
    cert, key = str(folder / "smtp.pem"), str(folder / "smtp.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


class TlsSmtpServer(SmtpServer):
    """STARTTLS required before AUTH LOGIN/PLAIN with one user, or TLS from the start."""

    def __init__(self, cert: str, key: str, implicit: bool = False, user: str = "", password: str = ""):
        super().__init__()
        import ssl
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.implicit, self.user, self.password = implicit, user, password

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult
        ok = (auth_data.login.decode(), auth_data.password.decode()) == (self.user, self.password)
        return AuthResult(success=ok)

    def start(self) -> None:
        if self.implicit:
            self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port,
                                         ssl_context=self.context)
        else:
            self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port,
                                         tls_context=self.context, require_starttls=True,
                                         auth_required=True, auth_require_tls=True,
                                         authenticator=self._authenticate)
        self.controller.start()
