"""The use record (利用登记) in the database: the same rows, the same SM3 chain
(``pipeline.office.audit``), appended under an advisory lock, refused UPDATE and DELETE by a
trigger. Its end is kept outside the database in a file of its own beside the home's
(``use-record.anchor`` → ``use-record.anchor.db``), so that the home's local record and the
database's each have their witness.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.home import Home
from pipeline.office.audit import (
    FIELDS,
    GENESIS,
    Use,
    UseRecord,
    chain_digest,
)
from pipeline.storage.postgres.schema import LOCK_KEY, USE_RECORD_TRIGGER

COLUMNS = ("seq", *FIELDS, "prev", "hash")
SELECT = ", ".join(f'"{c}"' if c == "user" else c for c in COLUMNS)
AUDIT_LOCK = LOCK_KEY + 1


class DatabaseUseRecord(UseRecord):
    def __init__(self, home: Home, conn: Any):
        """``conn``: a connection, or a function giving the calling thread's (the web app
        appends from its worker threads)."""
        super().__init__(home)
        self._conn = conn

    @property
    def conn(self) -> Any:
        return self._conn() if callable(self._conn) else self._conn

    @property
    def anchor_file(self) -> Path:
        local = super().anchor_file
        return local.with_name(local.name + ".db")

    def append(self, uses: list[Use]) -> str | None:
        if not uses:
            return None
        with self.conn.transaction():
            self.conn.execute(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK})")
            last = self.conn.execute("SELECT seq, hash FROM use_record ORDER BY seq DESC LIMIT 1").fetchone()
            seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
            conflicts = self._conflicts(seq, prev)
            rows = []
            for use in uses:
                seq += 1
                values = asdict(use)
                digest = chain_digest(prev, seq, values)
                rows.append((seq, *(values[n] for n in FIELDS), prev, digest))
                prev = digest
            with self.conn.cursor() as cursor:
                cursor.executemany(f"INSERT INTO use_record ({SELECT}) VALUES"
                                   f" ({', '.join(['%s'] * len(COLUMNS))})", rows)
            self._write_anchor({"seq": seq, "hash": prev, "at": uses[-1].at, "conflicts": conflicts})
        return prev

    def start_anchor(self) -> None:
        """After a migration: the anchor is the end of the chain copied, unless one exists."""
        if self.anchor() is None:
            last = self.conn.execute("SELECT seq, hash, at FROM use_record ORDER BY seq DESC LIMIT 1").fetchone()
            if last is not None:
                self._write_anchor({"seq": last["seq"], "hash": last["hash"], "at": last["at"],
                                    "conflicts": []})

    def entries(self, user: str | None = None, since: str | None = None,
                until: str | None = None, limit: int | None = None, offset: int = 0,
                newest_first: bool = False) -> list[dict[str, Any]]:
        sql, params = f"SELECT {SELECT} FROM use_record WHERE TRUE", []
        for condition, value in (('"user" = %s', user), ("at >= %s", since), ("at < %s", until)):
            if value:
                sql += f" AND {condition}"
                params.append(value)
        sql += f" ORDER BY seq {'DESC' if newest_first else 'ASC'} LIMIT %s OFFSET %s"
        return self.conn.execute(sql, [*params, limit, offset]).fetchall()

    def _rows_and_triggers(self) -> tuple[list[Any], set[str], tuple[str, ...]]:
        rows = self.conn.execute(f"SELECT {SELECT} FROM use_record ORDER BY seq").fetchall()
        present = {row["tgname"] for row in self.conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'use_record'::regclass AND NOT tgisinternal")}
        return rows, present, (USE_RECORD_TRIGGER,)
