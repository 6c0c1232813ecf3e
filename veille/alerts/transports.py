"""Where messages go: an SMTP server (VEILLE_SMTP_URL) or, by default, an outbox folder.

Only this module talks to SMTP. Every failure becomes a ``SendError`` saying whether it is
permanent (the server refused this recipient or message: 5xx) or worth retrying
(connection refused, timeout, 4xx), and whether the whole server is unreachable.
"""
from __future__ import annotations

import os
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from veille.config import Settings

SMTP_TIMEOUT = 20
_SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


class SendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, connection: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.connection = connection


class OutboxTransport:
    """One RFC 5322 .eml file per message, named '<UTC time>-<message id>.eml'.

    The name comes from the message's Date and Message-ID, so sending the same message
    again (after a crash) rewrites the same file: the outbox never holds a message twice.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def __enter__(self) -> "OutboxTransport":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def describe(self) -> str:
        return f"outbox {self.folder}"

    def path_for(self, msg: EmailMessage) -> Path:
        when = parsedate_to_datetime(msg["Date"]).strftime("%Y%m%dT%H%M%SZ")
        mid = re.sub(r"[^A-Za-z0-9.@_-]", "", msg["Message-ID"] or "")
        return self.folder / f"{when}-{mid}.eml"

    def send(self, msg: EmailMessage) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.path_for(msg)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(msg.as_bytes())
            os.replace(tmp, path)  # a reader never sees half a message
        except OSError as exc:
            raise SendError(f"cannot write to outbox {self.folder}: {exc.strerror or exc}",
                            connection=True) from None


class SmtpTransport:
    """smtp://[user:password@]host:port, smtp+starttls://..., smtps://...; one connection
    per run, reopened after a failure."""

    def __init__(self, url: str, timeout: float = SMTP_TIMEOUT):
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES or not parts.hostname:
            raise ValueError(f"VEILLE_SMTP_URL {_redact(url)!r} must look like smtp://host:port, "
                             "smtp+starttls://user:password@host:587 or smtps://host:465")
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port or _SCHEMES[parts.scheme]
        self.user = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self.conn: smtplib.SMTP | None = None

    def describe(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def __enter__(self) -> "SmtpTransport":
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def _connect(self) -> smtplib.SMTP:
        if self.scheme == "smtps":
            conn = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.scheme == "smtp+starttls":
                conn.starttls(context=ssl.create_default_context())
        if self.user:
            conn.login(self.user, self.password or "")
        return conn

    def _close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.conn = None

    def send(self, msg: EmailMessage) -> None:
        try:
            if self.conn is None:
                self.conn = self._connect()
            self.conn.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise SendError(f"SMTP {self.describe()} refused the recipient: {code} {_text(text)}",
                            permanent=code >= 500) from None
        except smtplib.SMTPSenderRefused as exc:
            self._close()
            raise SendError(f"SMTP {self.describe()} refused the sender {exc.sender}: "
                            f"{exc.smtp_code} {_text(exc.smtp_error)} (check VEILLE_MAIL_FROM)",
                            connection=True) from None
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise SendError(f"SMTP {self.describe()} login failed: {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}", connection=True) from None
        except smtplib.SMTPResponseException as exc:
            raise SendError(f"SMTP {self.describe()} refused the message: {exc.smtp_code} "
                            f"{_text(exc.smtp_error)}", permanent=exc.smtp_code >= 500) from None
        except (smtplib.SMTPException, OSError) as exc:
            self._close()
            raise SendError(f"SMTP {self.describe()} unreachable: {exc or type(exc).__name__}",
                            connection=True) from None


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _redact(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def transport_for(settings: Settings) -> OutboxTransport | SmtpTransport:
    """SMTP when VEILLE_SMTP_URL is set, else the outbox folder (the embedded default)."""
    if settings.smtp_url:
        return SmtpTransport(settings.smtp_url)
    return OutboxTransport(settings.outbox)
