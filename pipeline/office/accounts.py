"""Accounts: who may sign in, with which roles, and who may see 内部 documents.

Kept in ``<home>/accounts.sqlite`` beside the catalog (not in it: a request's session check must
not wait for an ingest's catalog transaction). Passwords are hashed with argon2id
(``argon2-cffi``); a hash made with weaker parameters than today's is replaced at the next
sign-in. A home without this file has no accounts: the web app then serves one person on the
machine itself, as before accounts existed.
"""

from __future__ import annotations

import re
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pipeline.home import Home
from pipeline.office.permissions import BUSINESS_ROLES, SEPARATE_ROLES, normalise_roles

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY,
    roles TEXT NOT NULL,
    password TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    restricted INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users(name),
    address TEXT,
    started REAL NOT NULL,
    seen REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user);
"""

NAME = re.compile(r"[\w.\-]{1,32}")  # letters (Chinese too), digits, . _ -
MIN_PASSWORD = 8
_HASHER = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the name is unknown: a wrong name costs as long as a wrong password."""
    return _HASHER.hash("gongwen-no-such-account")


@dataclass(frozen=True)
class Account:
    name: str
    roles: tuple[str, ...]
    enabled: bool
    restricted: bool  # may see 内部 documents (granted by a 安全管理员)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "roles": list(self.roles), "enabled": self.enabled,
                "restricted": self.restricted}


def connect(home: Home) -> sqlite3.Connection:
    conn = sqlite3.connect(home.accounts, timeout=30)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    return conn


def check_name(name: str) -> str:
    if not NAME.fullmatch(name) or name.startswith("."):
        raise ValueError(f"用户名只能由汉字、字母、数字和 . _ - 组成，最长 32 个字符：{name!r}")
    return name


def check_password(password: str) -> str:
    """At least MIN_PASSWORD characters, of at least two kinds (letters, digits, others)."""
    kinds = sum(bool(re.search(p, password)) for p in (r"[^\W\d_]", r"\d", r"[\W_]"))
    if len(password) < MIN_PASSWORD or kinds < 2:
        raise ValueError(f"密码至少 {MIN_PASSWORD} 位，且须含字母、数字、符号中的两类")
    return password


class Accounts:
    """The accounts of one home."""

    def __init__(self, home: Home):
        self.home = home

    def _connect(self) -> closing[sqlite3.Connection]:
        return closing(connect(self.home))

    # --- reading ---------------------------------------------------------------------------
    def exist(self) -> bool:
        """Whether any account exists (without creating the file when none does)."""
        if not self.home.accounts.exists():
            return False
        with self._connect() as conn:
            return conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def get(self, name: str) -> Account | None:
        if not self.home.accounts.exists():
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return _account(row) if row else None

    def all(self) -> list[Account]:
        if not self.home.accounts.exists():
            return []
        with self._connect() as conn:
            return [_account(row) for row in conn.execute("SELECT * FROM users ORDER BY created, name")]

    def has_enabled(self, role: str) -> bool:
        return any(a.enabled and role in a.roles for a in self.all())

    # --- changing --------------------------------------------------------------------------
    def add(self, name: str, roles: list[str] | tuple[str, ...], password: str) -> Account:
        check_name(name)
        held = normalise_roles(roles)
        check_password(password)
        now = time.time()
        with self._connect() as conn, conn:
            if conn.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise ValueError(f"用户已存在：{name}")
            conn.execute("INSERT INTO users (name, roles, password, created, updated)"
                         " VALUES (?, ?, ?, ?, ?)", (name, ",".join(held), _HASHER.hash(password), now, now))
        return self._must(name)

    def set_password(self, name: str, password: str) -> Account:
        check_password(password)
        self._update(name, "password = ?", _HASHER.hash(password))
        return self._must(name)

    def set_roles(self, name: str, roles: list[str] | tuple[str, ...]) -> Account:
        held = normalise_roles(roles)
        self._update(name, "roles = ?", ",".join(held))
        if any(r in SEPARATE_ROLES for r in held):  # a separate role reads no document
            self._update(name, "restricted = ?", 0)
        return self._must(name)

    def set_enabled(self, name: str, enabled: bool) -> Account:
        self._update(name, "enabled = ?", int(enabled))
        if not enabled:
            self.end_sessions(name)
        return self._must(name)

    def set_restricted(self, name: str, granted: bool) -> Account:
        """Grant or withdraw the right to see 内部 documents (a 安全管理员's decision)."""
        account = self._must(name)
        if granted and not set(account.roles) & set(BUSINESS_ROLES):
            raise ValueError(f"{name} 的角色（{'、'.join(account.roles)}）不查阅公文，无需授权内部文件")
        self._update(name, "restricted = ?", int(granted))
        return self._must(name)

    def end_sessions(self, name: str, keep: str | None = None) -> None:
        """Sign ``name`` out everywhere (except the session whose token hash is ``keep``)."""
        with self._connect() as conn, conn:
            conn.execute("DELETE FROM sessions WHERE user = ? AND token_hash != ?", (name, keep or ""))

    def _update(self, name: str, assignment: str, value: object) -> None:
        with self._connect() as conn, conn:
            changed = conn.execute(f"UPDATE users SET {assignment}, updated = ? WHERE name = ?",
                                   (value, time.time(), name)).rowcount
        if not changed:
            raise KeyError(name)

    def _must(self, name: str) -> Account:
        account = self.get(name)
        if account is None:
            raise KeyError(name)
        return account

    # --- signing in ------------------------------------------------------------------------
    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password and it is enabled, else None."""
        row = None
        if self.home.accounts.exists():
            with self._connect() as conn:
                row = conn.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _HASHER.verify(row["password"] if row else _dummy_hash(), password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or not row["enabled"]:
            return None
        if _HASHER.check_needs_rehash(row["password"]):
            self._update(name, "password = ?", _HASHER.hash(password))
        return _account(row)


def _account(row: sqlite3.Row) -> Account:
    return Account(name=row["name"], roles=tuple(r for r in row["roles"].split(",") if r),
                   enabled=bool(row["enabled"]), restricted=bool(row["restricted"]))
