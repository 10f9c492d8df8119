"""Signed-in browsers: a random token in an HttpOnly cookie, its SHA-256 in ``accounts.sqlite``.

Only the token's hash is stored, so a copy of the file signs nobody in. A session ends when its
account signs out, is disabled or changes its password, when it has been idle longer than
``GONGWEN_SESSION_IDLE_MINUTES`` (30) or is older than ``GONGWEN_SESSION_HOURS`` (10).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from contextlib import closing

from pipeline.home import Home
from pipeline.office.accounts import Account, Accounts, connect

DEFAULT_IDLE_MINUTES = 30.0
DEFAULT_HOURS = 10.0
TOUCH_EVERY = 60.0  # seconds: a session's last use is written at most this often


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def idle_limit() -> float:
    return _setting("GONGWEN_SESSION_IDLE_MINUTES", DEFAULT_IDLE_MINUTES) * 60


def age_limit() -> float:
    return _setting("GONGWEN_SESSION_HOURS", DEFAULT_HOURS) * 3600


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, home: Home):
        self.home = home
        self.accounts = Accounts(home)

    def start(self, account: Account, address: str) -> str:
        """A new session for ``account``: the token for its cookie."""
        token = secrets.token_urlsafe(32)
        now = time.time()
        with closing(connect(self.home)) as conn, conn:
            conn.execute("DELETE FROM sessions WHERE seen < ? OR started < ?",
                         (now - idle_limit(), now - age_limit()))  # the expired, while here
            conn.execute("INSERT INTO sessions (token_hash, user, address, started, seen)"
                         " VALUES (?, ?, ?, ?, ?)", (token_hash(token), account.name, address, now, now))
        return token

    def account(self, token: str | None) -> Account | None:
        """The enabled account signed in with ``token``, None when the session is unknown,
        expired or its account disabled."""
        if not token or not self.home.accounts.exists():
            return None
        key, now = token_hash(token), time.time()
        with closing(connect(self.home)) as conn:
            row = conn.execute("SELECT user, started, seen FROM sessions WHERE token_hash = ?",
                               (key,)).fetchone()
            if row is None:
                return None
            if now - row["seen"] > idle_limit() or now - row["started"] > age_limit():
                with conn:
                    conn.execute("DELETE FROM sessions WHERE token_hash = ?", (key,))
                return None
            if now - row["seen"] > TOUCH_EVERY:
                with conn:
                    conn.execute("UPDATE sessions SET seen = ? WHERE token_hash = ?", (now, key))
        account = self.accounts.get(row["user"])
        return account if account is not None and account.enabled else None

    def end(self, token: str | None) -> None:
        if token and self.home.accounts.exists():
            with closing(connect(self.home)) as conn, conn:
                conn.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash(token),))
