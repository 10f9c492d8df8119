"""Bringing PostgreSQL in step with a home's local catalog: what ``gongwen ingest --db`` does
after reading the files, and what ``gongwen migrate`` does for a whole archive.

The home keeps the stored originals and the local record of what was ingested (versions,
duplicates, quarantine, runs: ``pipeline.archive.ingest`` decides them); the catalog that is
searched, shown, corrected and verified is the database's. A document row is written again when
its local row changed (``updated_at``, current version, state) or a correction made before the
move is newer than the database's; files are upserted by (path, SHA-256); each batch is one
transaction, so a publish killed midway leaves whole batches and the next one finishes the rest.
Several homes (districts, each with its own 全宗号) can publish into one database.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import psycopg

from pipeline.archive.catalog import connect as connect_local
from pipeline.home import Home
from pipeline.settings import load_config
from pipeline.storage.postgres.catalog import write_documents

BATCH = int(os.environ.get("GONGWEN_PUBLISH_BATCH", "200"))  # documents per transaction
FILE_COLUMNS = ("path", "sha256", "sm3", "size", "mtime", "format", "pages", "stored", "doc_id",
                "role", "is_current", "run_id", "added_at")


def home_fonds(home: Home) -> str:
    """The home's 全宗号 (``config.json``, ``pipeline.settings``)."""
    return str(load_config(home)["fonds"])


def publish(home: Home, conn: psycopg.Connection, progress: bool = False) -> dict[str, int]:
    """Write what changed in the home's catalog to the database; the counts written."""
    local = connect_local(home)
    try:
        corrected = _merge_corrections(local, conn)
        changed = _changed_documents(local, conn) | corrected
        _write_in_batches(local, conn, sorted(changed), home_fonds(home), progress)
        files = _publish_files(local, conn)
        runs = _publish_runs(local, conn, str(home.root.resolve()))
    finally:
        local.close()
    conn.execute("DELETE FROM term_stats WHERE df <= 0")
    if changed:
        conn.execute("ANALYZE documents")
    return {"documents": len(changed), "files": files, "corrections": len(corrected), "runs": runs}


def _changed_documents(local: sqlite3.Connection, conn: psycopg.Connection) -> set[str]:
    state = {row["id"]: (row["updated_at"], bool(row["is_current"]), row["state"])
             for row in local.execute("SELECT id, updated_at, is_current, state FROM documents")}
    if not state:
        return set()
    remote = {row["id"]: (row["updated_at"], row["is_current"], row["state"])
              for row in conn.execute("SELECT id, updated_at, is_current, state FROM documents"
                                      " WHERE id = ANY(%s)", (list(state),))}
    return {doc_id for doc_id, values in state.items() if remote.get(doc_id) != values}


def _merge_corrections(local: sqlite3.Connection, conn: psycopg.Connection) -> set[str]:
    """Corrections made in the home that the database lacks or has older; the documents whose
    corrections changed."""
    rows = [tuple(row) for row in local.execute("SELECT doc_id, field, value, at FROM corrections")]
    if not rows:
        return set()
    changed: set[str] = set()
    with conn.transaction(), conn.cursor() as cursor:
        for doc_id, field, value, at in rows:
            cursor.execute(
                "INSERT INTO corrections (doc_id, field, value, at) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (doc_id, field) DO UPDATE SET value = excluded.value, at = excluded.at"
                " WHERE corrections.at < excluded.at RETURNING doc_id", (doc_id, field, value, at))
            if cursor.fetchone():
                changed.add(doc_id)
    return changed


def _write_in_batches(local: sqlite3.Connection, conn: psycopg.Connection, ids: list[str],
                      fonds: str, progress: bool) -> None:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        marks = ",".join("?" * len(chunk))
        rows = [dict(row) for row in
                local.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk)]
        for row in rows:
            row["fonds"] = fonds
            row["is_current"] = bool(row["is_current"])
        with conn.transaction():
            write_documents(conn, rows)
        if progress:
            sys.stderr.write(f"\r写入数据库：{min(start + BATCH, len(ids))}/{len(ids)}")
    if progress and ids:
        sys.stderr.write("\n")


def _publish_files(local: sqlite3.Connection, conn: psycopg.Connection) -> int:
    rows = [tuple(row[name] for name in FILE_COLUMNS)
            for row in local.execute(f"SELECT {', '.join(FILE_COLUMNS)} FROM files ORDER BY id")]
    if not rows:
        return 0
    known = {tuple(r.values()) for r in conn.execute(
        f"SELECT {', '.join(FILE_COLUMNS)} FROM files WHERE (path, sha256) IN"
        " (SELECT * FROM unnest(%s::text[], %s::text[]))",
        ([r[0] for r in rows], [r[1] for r in rows]))}
    fresh = [(*r[:10], bool(r[10]), *r[11:]) for r in rows]
    fresh = [r for r in fresh if r not in known]
    updates = ", ".join(f"{c} = excluded.{c}" for c in FILE_COLUMNS[2:])
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO files ({', '.join(FILE_COLUMNS)}) VALUES"
            f" ({', '.join(['%s'] * len(FILE_COLUMNS))})"
            f" ON CONFLICT (path, sha256) DO UPDATE SET {updates}", fresh)
    return len(fresh)


def _publish_runs(local: sqlite3.Connection, conn: psycopg.Connection, source: str) -> int:
    rows = [(source, row["id"], row["started"], row["finished"], row["paths"], row["summary"])
            for row in local.execute("SELECT * FROM runs ORDER BY id")]
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO runs (source, source_id, started, finished, paths, summary)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (source, source_id) DO UPDATE"
            " SET finished = excluded.finished, summary = excluded.summary", rows)
    return len(rows)


def home_of(path: str | Path) -> Home:
    return Home(Path(path))


def summary_text(counts: dict[str, Any]) -> str:
    return (f"已写入数据库：公文 {counts['documents']} 件，文件记录 {counts['files']} 条，"
            f"更正 {counts['corrections']} 件，入库批次 {counts['runs']} 个。")
