"""Links in mail and feeds, and the signed tokens that let them work without a login.

A token is ``<value>.<time>.<signature>``: HMAC-SHA256 over purpose, value and time with the
instance secret, urlsafe base64. The purpose is signed too, so an unsubscribe token cannot
open a rule feed. The catalogue verifies tokens with ``verify``.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from urllib.parse import quote


UNSUBSCRIBE = "unsubscribe"   # token purposes: a token signed for one never opens another
RULE_FEED = "rule-feed"


class BadToken(ValueError):
    """The token was not made by this instance for this purpose, or it has expired."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _mac(secret: str, purpose: str, value: str, stamp: str) -> str:
    msg = "\n".join((purpose, value, stamp)).encode("utf-8")
    return _b64(hmac.new(secret.encode("utf-8"), msg, hashlib.sha256).digest())


def sign(secret: str, purpose: str, value: str | int, now: float | None = None) -> str:
    value = str(value)
    if "." in value:
        raise ValueError("a signed value cannot contain '.'")
    stamp = format(int(now if now is not None else time.time()), "x")
    return f"{value}.{stamp}.{_mac(secret, purpose, value, stamp)}"


def verify(secret: str, purpose: str, token: str, max_age: float | None = None,
           now: float | None = None) -> str:
    """The signed value, or BadToken."""
    try:
        value, stamp, mac = token.split(".")
        issued = int(stamp, 16)
    except (AttributeError, ValueError):
        raise BadToken("malformed token") from None
    if not hmac.compare_digest(mac, _mac(secret, purpose, value, stamp)):
        raise BadToken("token signature does not match")
    if max_age is not None and (now if now is not None else time.time()) - issued > max_age:
        raise BadToken("token has expired")
    return value


def item_url(base: str, item_id: int) -> str:
    return f"{base}item/{int(item_id)}"


def unsubscribe_url(base: str, secret: str, subscriber_id: int) -> str:
    return f"{base}unsubscribe?t={quote(sign(secret, UNSUBSCRIBE, subscriber_id))}"


def rule_feed_url(base: str, secret: str, rule_id: int) -> str:
    return f"{base}rules/{int(rule_id)}.atom?t={quote(sign(secret, RULE_FEED, rule_id))}"


def subscriptions_url(base: str) -> str:
    return f"{base}subscriptions"
