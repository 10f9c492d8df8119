"""The use record (利用登记): who did what, when, from where, and why — tamper-evident.

Each row (a sign-in, search, view, download, export, edit, ingest, account change …) is
appended to the ``use_record`` table of the catalog and chained to the row before it: its
``hash`` is the SM3 of the previous row's hash and its own fields. Triggers refuse UPDATE and
DELETE, and nothing in gongwen removes a row (records are kept well beyond the six months
网络安全法 asks). Someone who edits the file directly breaks the chain at the row edited; one
who rewrites the whole tail, or cuts it off, is caught by the anchor: the latest (seq, hash)
is also written to a file outside the catalog (``Home.use_record_anchor``, or the file
``GONGWEN_AUDIT_ANCHOR`` names), shown on the 审计员's page for them to note down, and
``verify`` checks the chain against that file or against a hash they give. Every append first
compares the table's end with the file: when they differ (the tail was cut off or rewritten
since), the difference is kept in the file for ``verify`` to report, so later appends cannot
paper over it.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import sys
import threading
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive.catalog import connect
from pipeline.archive.hashing import new_sm3
from pipeline.home import Home

GENESIS = "0" * 64  # the "previous hash" of the first row
SCHEMA = """
CREATE TABLE IF NOT EXISTS use_record (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    address TEXT NOT NULL,
    channel TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    purpose TEXT,
    outcome TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS use_record_user ON use_record(user, at);
CREATE INDEX IF NOT EXISTS use_record_at ON use_record(at);
CREATE TRIGGER IF NOT EXISTS use_record_no_update BEFORE UPDATE ON use_record
BEGIN SELECT RAISE(ABORT, '利用记录只能追加，不能修改'); END;
CREATE TRIGGER IF NOT EXISTS use_record_no_delete BEFORE DELETE ON use_record
BEGIN SELECT RAISE(ABORT, '利用记录只能追加，不能删除'); END;
"""
TRIGGERS = ("use_record_no_update", "use_record_no_delete")
FIELDS = ("at", "user", "address", "channel", "action", "target", "purpose", "outcome")
ANCHOR_VARIABLE = "GONGWEN_AUDIT_ANCHOR"
WEB, CLI = "网页", "命令行"


def now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass
class Use:
    """One row before it is chained."""

    user: str
    action: str  # what was done, in Chinese (``permissions.label``)
    target: str = ""  # on what: the query, the document, the account …
    address: str = ""
    channel: str = WEB
    purpose: str | None = None  # 利用目的, asked before a download or an export
    outcome: str = "成功"
    at: str = field(default_factory=now_iso)


def chain_digest(prev: str, seq: int, values: dict[str, Any]) -> str:
    payload = json.dumps([prev, seq, *(values[name] for name in FIELDS)], ensure_ascii=False,
                         separators=(",", ":"))
    hasher = new_sm3()
    hasher.update(payload.encode("utf-8"))
    return hasher.hexdigest()


def anchor_path(home: Home) -> Path:
    return Path(os.environ.get(ANCHOR_VARIABLE) or home.use_record_anchor)


class UseRecord:
    def __init__(self, home: Home):
        self.home = home

    def _connect(self) -> sqlite3.Connection:
        conn = connect(self.home)
        conn.executescript(SCHEMA)
        return conn

    # --- writing ---------------------------------------------------------------------------
    def append(self, uses: list[Use]) -> str | None:
        """Chain and write ``uses`` in one transaction; the new latest hash."""
        if not uses:
            return None
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")  # the chain's end is read and extended by one writer
            try:
                last = conn.execute("SELECT seq, hash FROM use_record ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (last["seq"], last["hash"]) if last else (0, GENESIS)
                conflicts = self._conflicts(seq, prev)
                for use in uses:
                    seq += 1
                    values = asdict(use)
                    digest = chain_digest(prev, seq, values)
                    conn.execute(f"INSERT INTO use_record (seq, {', '.join(FIELDS)}, prev, hash)"
                                 f" VALUES (?, {', '.join('?' * len(FIELDS))}, ?, ?)",
                                 (seq, *(values[n] for n in FIELDS), prev, digest))
                    prev = digest
                # written before the commit, under the write lock: anchors follow the chain's order
                self._write_anchor({"seq": seq, "hash": prev, "at": uses[-1].at,
                                    "conflicts": conflicts})
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        return prev

    def _conflicts(self, seq: int, digest: str) -> list[dict[str, Any]]:
        """The anchor file's record of earlier differences, plus one if the table's end
        (``seq``, ``digest``) is not where the file says the chain ended."""
        anchor = self.anchor()
        if anchor is None:
            return []
        conflicts = list(anchor["conflicts"])
        if (anchor["seq"], anchor["hash"]) != (seq, digest):
            conflicts.append({"anchor": {"seq": anchor["seq"], "hash": anchor["hash"]},
                              "table": {"seq": seq, "hash": digest}, "found": now_iso()})
        return conflicts

    @property
    def anchor_file(self) -> Path:
        """Where the chain's end is kept outside the table."""
        return anchor_path(self.home)

    def _write_anchor(self, anchor: dict[str, Any]) -> None:
        path = self.anchor_file
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps(anchor, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temporary, path)

    # --- reading ---------------------------------------------------------------------------
    def anchor(self) -> dict[str, Any] | None:
        """The anchor file's ``{"seq", "hash", "at", "conflicts"}``, None when there is none
        (or it cannot be read)."""
        try:
            data = json.loads(self.anchor_file.read_text(encoding="utf-8"))
            return {"seq": int(data["seq"]), "hash": str(data["hash"]), "at": data.get("at"),
                    "conflicts": list(data.get("conflicts") or [])}
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def entries(self, user: str | None = None, since: str | None = None,
                until: str | None = None, limit: int | None = None, offset: int = 0,
                newest_first: bool = False) -> list[dict[str, Any]]:
        """Rows (``since``/``until``: dates YYYY-MM-DD, both included), oldest first unless
        ``newest_first``."""
        sql, params = "SELECT * FROM use_record WHERE 1 = 1", []
        if user:
            sql += " AND user = ?"
            params.append(user)
        if since:
            sql += " AND at >= ?"
            params.append(since)
        if until:
            sql += " AND at < ?"
            params.append((datetime.date.fromisoformat(until) + datetime.timedelta(days=1)).isoformat())
        sql += f" ORDER BY seq {'DESC' if newest_first else 'ASC'} LIMIT ? OFFSET ?"
        params += [-1 if limit is None else limit, offset]
        with closing(self._connect()) as conn:
            return [dict(row) for row in conn.execute(sql, params)]

    def verify(self, anchor: str | None = None) -> dict[str, Any]:
        """Recompute the chain; compare its end with the anchor file, or find ``anchor`` (a hash
        the 审计员 noted) in it. ``ok`` is False on any problem."""
        problems: list[dict[str, Any]] = []
        rows, present, wanted = self._rows_and_triggers()
        for trigger in wanted:
            if trigger not in present:
                problems.append({"seq": None, "problem": f"防篡改触发器 {trigger} 缺失"})
        hashes = _check_chain(rows, problems)
        kept = self.anchor()
        if anchor:
            _check_given_anchor(anchor.strip().lower(), hashes, problems)
        else:
            _check_anchor_file(kept, hashes, problems)
        for conflict in (kept or {}).get("conflicts", []):
            was, table = conflict["anchor"], conflict["table"]
            problems.append({"seq": was["seq"], "problem":
                             f"{conflict['found']} 追加记录时发现：锚点记到第 {was['seq']} 条（{was['hash'][:16]}…），"
                             f"表中却止于第 {table['seq']} 条（{table['hash'][:16]}…）：记录末尾曾被截断或改写"})
        return {"ok": not problems, "records": len(rows),
                "first": rows[0]["at"] if rows else None, "last": rows[-1]["at"] if rows else None,
                "latest": {"seq": rows[-1]["seq"], "hash": rows[-1]["hash"]} if rows else None,
                "anchor": anchor or kept, "problems": problems}

    def _rows_and_triggers(self) -> tuple[list[Any], set[str], tuple[str, ...]]:
        """Every row in order, the triggers present on the table, the triggers it must have."""
        with closing(self._connect()) as conn:
            present = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'use_record'")}
            rows = conn.execute("SELECT * FROM use_record ORDER BY seq").fetchall()
        return rows, present, TRIGGERS


def _check_chain(rows: list[sqlite3.Row], problems: list[dict[str, Any]]) -> dict[int, str]:
    """Each row's link to the one before and its own hash; ``{seq: stored hash}``."""
    prev, expected = GENESIS, 1
    hashes: dict[int, str] = {}
    for row in rows:
        seq = row["seq"]
        if seq != expected:
            problems.append({"seq": seq, "problem": f"第 {expected}–{seq - 1} 条记录缺失（被删除）"})
        if row["prev"] != prev:
            problems.append({"seq": seq, "problem": "与前一条记录的链接不符（前一条被改写或删除）"})
        if chain_digest(row["prev"], seq, dict(row)) != row["hash"]:
            problems.append({"seq": seq, "problem": "记录内容与其 SM3 校验值不符（被改写）"})
        hashes[seq] = row["hash"]
        prev, expected = row["hash"], seq + 1
    return hashes


def _check_given_anchor(anchor: str, hashes: dict[int, str], problems: list[dict[str, Any]]) -> None:
    if anchor not in hashes.values():
        problems.append({"seq": None, "problem": f"给出的链尾校验值 {anchor} 不在记录链中：其后的记录被截断或改写"})


def _check_anchor_file(anchor: dict[str, Any] | None, hashes: dict[int, str],
                       problems: list[dict[str, Any]]) -> None:
    last = max(hashes, default=0)
    if anchor is None:
        if hashes:
            problems.append({"seq": None, "problem": "找不到链尾锚点文件，无法确认记录末尾是否完整"})
        return
    seq = anchor["seq"]
    if seq > last:
        problems.append({"seq": seq, "problem": f"记录被截断：锚点记到第 {seq} 条，表中只到第 {last} 条"})
    elif hashes.get(seq) != anchor["hash"]:
        problems.append({"seq": seq, "problem": f"第 {seq} 条与锚点文件的校验值不符（记录被改写）"})
    elif seq < last:
        problems.append({"seq": last, "problem": f"锚点之后多出 {last - seq} 条记录（未经本程序写入）"})


class RecordQueue:
    """Appends uses from a background thread, in the order given, batching what waits; the
    thread lives while there is something to write.

    A request only queues its row: the catalog's write lock can be held for a second by an
    ingest, and nobody's search should wait for it. ``flush`` waits until everything queued so
    far is written (the 审计员's page, shutting down)."""

    def __init__(self, record: UseRecord):
        self.record = record
        self._pending: list[Use] = []
        self._written = threading.Condition()
        self._queued = self._done = 0
        self._thread: threading.Thread | None = None

    def put(self, use: Use) -> None:
        with self._written:
            self._pending.append(use)
            self._queued += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="use-record", daemon=True)
                self._thread.start()
            self._written.notify_all()

    def flush(self, timeout: float = 120.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._written:
            target = self._queued
            while self._done < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._written.wait(left)
        return True

    def _run(self) -> None:
        while True:
            with self._written:
                if not self._pending:  # idle: the thread ends, the next put starts another
                    self._thread = None  # (a lingering thread would stop ingest from forking)
                    return
                batch, self._pending = self._pending, []
            while True:
                try:
                    self.record.append(batch)
                    break
                except (sqlite3.Error, OSError) as err:  # kept and tried again: never dropped
                    sys.stderr.write(f"利用记录暂时无法写入，稍后重试：{err}\n")
                    time.sleep(1.0)
            with self._written:
                self._done += len(batch)
                self._written.notify_all()
