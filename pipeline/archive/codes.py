"""Archival codes (档号) after DA/T 22-2015: 全宗号-门类代码·年度-保管期限-机构代码-件号.

Classes are 年度 – 保管期限 – 机构(问题); the 件号 runs from 0001 within each lowest class. Once a
document has a number it keeps it (stored in the catalog DB, table ``archival_codes``): catalogues
printed last year must still point at the same item. Settings: ``pipeline.settings``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pipeline.model import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS archival_codes (
    doc_id TEXT PRIMARY KEY,
    year TEXT NOT NULL,
    retention TEXT NOT NULL,
    organ TEXT NOT NULL,
    item INTEGER NOT NULL,
    code TEXT NOT NULL UNIQUE,
    assigned_at TEXT NOT NULL,
    UNIQUE (year, retention, organ, item)
)
"""


@dataclass(frozen=True)
class ArchivalClass:
    year: str
    retention: str  # Y | D30 | D10
    organ: str

    def code(self, config: dict[str, Any], item: int) -> str:
        return f"{config['fonds']}-{config['category']}·{self.year}-{self.retention}-{self.organ}-{item:04d}"


def year_of(doc: Document) -> str:
    """The signing date's year (DA/T 22); the 印发 date when there is none; 0000 when unknown."""
    for value in (doc.date, doc.issued_date):
        if value and len(value) >= 4 and value[:4].isdigit():
            return value[:4]
    return "0000"


def organ_code(doc: Document, topics: list[str], config: dict[str, Any]) -> str:
    issuers = [*doc.issuer, *doc.signature, doc.issued_by or ""]
    for name, code in config["organ_codes"].items():
        if any(name in issuer for issuer in issuers if issuer):
            return code
    if config.get("organ_by_topic") and topics:
        return config["topic_codes"].get(topics[0], config["default_organ"])
    return config["default_organ"]


def ensure_schema(conn: sqlite3.Connection) -> None:
    conn.execute(SCHEMA)


def stored_codes(conn: sqlite3.Connection) -> dict[str, str]:
    ensure_schema(conn)
    return dict(conn.execute("SELECT doc_id, code FROM archival_codes"))


def assign(conn: sqlite3.Connection, entries: Iterable[tuple[str, ArchivalClass, tuple]],
           config: dict[str, Any]) -> dict[str, str]:
    """Give every entry without a code the next 件号 in its class; return doc_id -> 档号 for all.

    ``entries`` are (doc_id, class, sort key); new items are numbered in sort-key order (date, 文号)
    after the highest number already used in their class, so numbers never move.
    """
    ensure_schema(conn)
    conn.commit()
    # One writer at a time: two exports running together must not hand out the same 件号.
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Render stored numbers with the current settings: a corrected 全宗号 applies to all items.
        codes = {
            doc_id: ArchivalClass(year, retention, organ).code(config, item)
            for doc_id, year, retention, organ, item in conn.execute(
                "SELECT doc_id, year, retention, organ, item FROM archival_codes")
        }
        new = sorted((e for e in entries if e[0] not in codes), key=lambda e: (e[1].year, e[2], e[0]))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        for doc_id, klass, _ in new:
            row = conn.execute(
                "SELECT COALESCE(MAX(item), 0) FROM archival_codes WHERE year=? AND retention=? AND organ=?",
                (klass.year, klass.retention, klass.organ),
            ).fetchone()
            item = int(row[0]) + 1
            code = klass.code(config, item)
            conn.execute(
                "INSERT INTO archival_codes (doc_id, year, retention, organ, item, code, assigned_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (doc_id, klass.year, klass.retention, klass.organ, item, code, now),
            )
            codes[doc_id] = code
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return codes
