"""Settings read once from the environment and the command line, then passed down.

No other module reads environment variables: they receive a ``Settings``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping


DEFAULT_BASE_URL = "http://127.0.0.1:8001/"


@dataclass(frozen=True)
class Settings:
    db_path: Path = Path("veille.db")
    sources_path: Path = Path("sources.yaml")
    smtp_url: str | None = None  # smtp://, smtp+starttls://, smtps:// ; None: outbox folder
    outbox: Path = Path("outbox")
    mail_from: str = "veille@localhost"
    base_url: str = DEFAULT_BASE_URL
    secret: str | None = None  # signs unsubscribe and review links; kept in the DB when unset
    digest_time: str = "07:30"
    timezone: str = "Europe/Paris"
    extra: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        db: str | os.PathLike | None = None,
        sources: str | os.PathLike | None = None,
    ) -> "Settings":
        env = os.environ if environ is None else environ
        base = env.get("VEILLE_BASE_URL") or DEFAULT_BASE_URL
        if not base.endswith("/"):
            base += "/"
        return cls(
            db_path=Path(db or env.get("VEILLE_DB") or "veille.db"),
            sources_path=Path(sources or env.get("VEILLE_SOURCES") or "sources.yaml"),
            smtp_url=env.get("VEILLE_SMTP_URL") or None,
            outbox=Path(env.get("VEILLE_OUTBOX") or "outbox"),
            mail_from=env.get("VEILLE_MAIL_FROM") or "veille@localhost",
            base_url=base,
            secret=env.get("VEILLE_SECRET") or None,
            digest_time=env.get("VEILLE_DIGEST_TIME") or "07:30",
            timezone=env.get("VEILLE_TIMEZONE") or "Europe/Paris",
        )

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)
