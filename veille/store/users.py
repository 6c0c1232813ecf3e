"""Catalogue accounts: the users table read and written for the auth plugin.

Passwords are hashed with datasette-auth-passwords' own function, so the plugin verifies
them; an account is linked to the subscriber with the same email (created when missing).
"""
from __future__ import annotations

import re
import sqlite3

import sqlite_utils
from datasette_auth_passwords.utils import hash_password

from veille.timeutil import now_iso

ROLES = ("reader", "editor", "admin")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserError(ValueError):
    """The account cannot be created as asked; the message says why."""


def add_user(db: sqlite_utils.Database, email: str, password: str, role: str = "reader") -> dict:
    """Create or update the account (new password and role) and its subscriber row."""
    email = email.strip()
    if not _EMAIL.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise UserError(f"role {role!r} is unknown (choose {', '.join(ROLES)})")
    if len(password) < 8:
        raise UserError("the password must have at least 8 characters")
    now = now_iso()
    existed = db.execute("SELECT 1 FROM users WHERE email = ?", [email]).fetchone() is not None
    db.execute(
        "INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role",
        [email, hash_password(password), role, now])
    db.execute("INSERT OR IGNORE INTO subscribers (email, created_at) VALUES (?, ?)", [email, now])
    return {"email": email, "role": role, "created": not existed}


def accounts(conn: sqlite3.Connection) -> dict[str, dict]:
    """email -> {"password_hash", "role"}; takes a raw connection (Datasette's read thread)."""
    out: dict[str, dict] = {}
    for email, password_hash, role in conn.execute("SELECT email, password_hash, role FROM users"):
        # the login form matches the name as typed: accept the stored and lower-case spellings
        for name in (email, email.lower()):
            out[name] = {"email": email, "password_hash": password_hash, "role": role}
    return out


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return [{"email": r[0], "role": r[1], "created_at": r[2]}
            for r in db.execute("SELECT email, role, created_at FROM users ORDER BY email")]
