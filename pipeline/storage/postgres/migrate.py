"""``gongwen migrate --to postgresql://…`` and ``gongwen verify --db …``.

Migration writes the home's whole catalog into the database (``publish``: documents with all
their versions, files, corrections, runs) and copies the use record row for row — sequence
numbers, times, previous and own SM3 hashes untouched — so that its chain still verifies
against the anchor the home keeps. Run again, it writes only what changed since (and the use
record rows added since).

Verification on the database: every stored original of the home's 全宗 re-hashed against the
database's file records (SHA-256 and SM3), every current document indexed and no other, and the
use record's chain recomputed, its append-only trigger present, its end compared with the
anchor (``pipeline.storage.postgres.use_record``).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from typing import Any

import psycopg

from pipeline.archive.verify import check_copies, collect_copies
from pipeline.home import Home
from pipeline.office.audit import UseRecord
from pipeline.storage.postgres.publish import home_fonds, publish
from pipeline.storage.postgres.use_record import COLUMNS, SELECT, DatabaseUseRecord


def migrate(home: Home, conn: psycopg.Connection, progress: bool = False) -> dict[str, Any]:
    """Move the home's archive into the database; the counts moved."""
    counts = publish(home, conn, progress=progress)
    counts["use_record"] = copy_use_record(home, conn)
    DatabaseUseRecord(home, conn).start_anchor()
    counts["fonds"] = home_fonds(home)
    return counts


def copy_use_record(home: Home, conn: psycopg.Connection) -> int:
    """Append the home's use record rows the database lacks; ``ValueError`` when the database
    already holds a different chain (another archive's, or a rewritten one)."""
    record = UseRecord(home)
    with closing(record._connect()) as local:
        local.row_factory = sqlite3.Row
        rows = [tuple(row[name] for name in COLUMNS)
                for row in local.execute("SELECT * FROM use_record ORDER BY seq")]
    last = conn.execute("SELECT seq, hash FROM use_record ORDER BY seq DESC LIMIT 1").fetchone()
    start = 0
    if last is not None:
        mine = {row[0]: row[-1] for row in rows}
        if mine.get(last["seq"]) != last["hash"]:
            raise ValueError(f"数据库中的利用记录（止于第 {last['seq']} 条）与本档案库的记录链不一致，"
                             "不能合并；请迁移到新的数据库")
        start = last["seq"]
    fresh = [row for row in rows if row[0] > start]
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO use_record ({SELECT}) VALUES ({', '.join(['%s'] * len(COLUMNS))})", fresh)
    return len(fresh)


def verify(home: Home, conn: psycopg.Connection, progress: bool = False) -> dict[str, Any]:
    """As ``pipeline.archive.verify.verify``, for the database, plus ``use_record``."""
    fonds = home_fonds(home)
    copies = collect_copies(conn.execute(
        "SELECT stored, sha256, sm3, size, path FROM files WHERE doc_id IN"
        " (SELECT id FROM documents WHERE fonds = %s) ORDER BY stored, id", (fonds,)))
    problems = check_copies(home, copies, progress)
    index = _check_index(conn, fonds)
    use_record = DatabaseUseRecord(home, conn).verify()
    ok = (not problems and not index["missing"] and not index["extra"] and use_record["ok"])
    return {"ok": ok, "files": len(copies), "bytes": sum(c.size for c in copies),
            "problems": problems, "index": index, "use_record": use_record}


def _check_index(conn: psycopg.Connection, fonds: str) -> dict[str, Any]:
    current = "is_current AND state = 'active'"
    count = conn.execute(f"SELECT count(*) AS n FROM documents WHERE fonds = %s AND {current}",
                         (fonds,)).fetchone()["n"]
    missing = [row["id"] for row in conn.execute(
        f"SELECT id FROM documents WHERE fonds = %s AND {current} AND (ts_body_bg IS NULL"
        " OR lengths IS NULL) ORDER BY id", (fonds,))]
    extra = [row["id"] for row in conn.execute(
        f"SELECT id FROM documents WHERE fonds = %s AND NOT ({current}) AND ts_body_bg IS NOT NULL"
        " ORDER BY id", (fonds,))]
    return {"documents": count, "missing": missing, "extra": extra, "stale": False}
