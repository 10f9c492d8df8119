"""The catalog on PostgreSQL: writing document rows (with their search columns), reading one
document as ``gongwen show`` does, corrections, and the 全宗 grants.

Rows are written by ``write_documents`` in the caller's transaction: the statistics of the rows
replaced are taken away, the rows deleted and inserted again (a corrected date may move a row to
another year's partition), the statistics of the new ones added. Corrections are applied on
read (``pipeline.archive.catalog.document_of``), as in the embedded catalog.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import psycopg
from psycopg.rows import dict_row

from pipeline.archive.catalog import (
    archive_metadata,
    check_changes,
    document_of,
    file_entry,
    version_entry,
)
from pipeline.archive.catalog import resolve_id as resolve_any
from pipeline.index import nearcopy
from pipeline.model import Document
from pipeline.storage.postgres import term_top
from pipeline.storage.postgres.schema import (
    LOCK_KEY,
    ensure_schema,
    ensure_year,
    partition_years,
)
from pipeline.storage.postgres.vectors import (
    search_columns,
    stage_ids,
    update_stats,
    year_of_date,
)

CATALOG_COLUMNS = (
    "id", "year", "fonds", "sha256", "text_key", "chain", "is_current", "state", "title",
    "doc_number", "number_key", "genre", "date", "issuer", "path", "doc_json", "meta_json",
    "nearsig", "quarantine_reason", "run_id", "added_at", "updated_at",
)
SEARCH_COLUMNS = (
    "restricted", "issuers", "doc_keys", "keys", "topics", "title_derived", "passages", "lengths",
    "nearbands", "ts_title", "ts_title_bg", "ts_body", "ts_body_bg", "ts_issuer_bg",
    "ts_recipients_bg", "ts_body_top",
)
ALL_COLUMNS = CATALOG_COLUMNS + SEARCH_COLUMNS


def connect(url: str) -> psycopg.Connection:
    """A connection (rows as dicts, autocommit: writers open their own transactions), the
    schema created on first use."""
    try:
        conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
    except psycopg.OperationalError as err:
        raise ConnectionError(f"无法连接数据库 {redact(url)}：{err}") from err
    # JIT compilation (PostgreSQL 11+) costs a search more than it saves: the many small
    # expressions of a question's terms took 0.9 s to compile for a 0.1 s query
    with contextlib.suppress(psycopg.Error):
        conn.execute("SET jit = off")
    ensure_schema(conn, term_top.rebuild)
    return conn


def redact(url: str) -> str:
    """The URL without its password (for messages)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --- writing -------------------------------------------------------------------------------
def corrections_of(conn: psycopg.Connection, ids: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in conn.execute("SELECT doc_id, field, value FROM corrections WHERE doc_id = ANY(%s)",
                            (ids,)):
        found.setdefault(row["doc_id"], {})[row["field"]] = row["value"]
    return found


def with_search_columns(row: dict[str, Any], changes: dict[str, str] | None) -> dict[str, Any]:
    """A full ``documents`` row from its catalog values: corrections applied to the shown
    columns and, for the current version of an active document, the search columns."""
    values = {name: row.get(name) for name in CATALOG_COLUMNS}
    values.update({name: None for name in SEARCH_COLUMNS})
    if row.get("state") == "active" and row.get("doc_json"):
        doc, meta = document_of(row["doc_json"], row["meta_json"], changes)
        values.update(title=doc.title, doc_number=doc.doc_number, genre=doc.genre,
                      date=doc.date, issuer="、".join(doc.issuer))
        if row.get("is_current"):
            values.update(search_columns(row["id"], doc, meta, row["path"] or ""))
        values["restricted"] = bool(meta.get("restricted"))
    values["year"] = year_of_date(values["date"])
    for name in ("issuers", "doc_keys", "keys", "topics", "nearbands"):
        values[name] = values[name] or []
    values["restricted"] = bool(values["restricted"])
    values["title_derived"] = bool(values["title_derived"])
    return values


def write_documents(conn: psycopg.Connection, rows: list[dict[str, Any]]) -> None:
    """Replace the rows of these documents (inside the caller's transaction)."""
    if not rows:
        return
    conn.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
    ids = [row["id"] for row in rows]
    stage_ids(conn, ids)
    update_stats(conn, -1)
    term_top.forget_batch(conn)
    conn.execute("DELETE FROM documents d USING pg_temp.batch b WHERE d.id = b.id")
    changes = corrections_of(conn, ids)
    years = partition_years(conn)
    full = [with_search_columns(row, changes.get(row["id"])) for row in rows]
    for values in full:
        ensure_year(conn, values["year"], years)
    with conn.cursor().copy(f"COPY documents ({', '.join(ALL_COLUMNS)}) FROM STDIN") as copy:
        for values in full:
            copy.write_row([values[name] for name in ALL_COLUMNS])
    update_stats(conn, 1)
    term_top.add_batch(conn)


# --- reading -------------------------------------------------------------------------------
def resolve_id(conn: psycopg.Connection, doc_id: str) -> dict[str, Any]:
    """The row of ``doc_id`` or of a unique prefix of it (≥ 6 characters)."""
    return resolve_any(conn, doc_id, mark="%s")


def visible(include_restricted: bool, fonds: list[str] | None) -> tuple[str, list[Any]]:
    """The SQL condition (`` AND …``) keeping out what the reader may not see."""
    sql, params = "" if include_restricted else " AND NOT restricted", []
    if fonds is not None:
        sql += " AND fonds = ANY(%s)"
        params.append(fonds)
    return sql, params


def readable_row(conn: psycopg.Connection, doc_id: str, include_restricted: bool = True,
                 fonds: list[str] | None = None) -> dict[str, Any]:
    """The row of ``doc_id`` (or a unique prefix); ``KeyError`` when the reader may not see it
    (内部 without ``include_restricted``, or outside ``fonds``, the 全宗 granted; None: all)."""
    row = resolve_id(conn, doc_id)
    if (not include_restricted and row["restricted"]) or (fonds is not None and row["fonds"] not in fonds):
        raise KeyError(doc_id)
    return row


def row_document(conn: psycopg.Connection, row: dict[str, Any]) -> tuple[Document, dict[str, Any]]:
    """The ``Document`` and metadata of a ``documents`` row, its corrections applied."""
    return document_of(row["doc_json"], row["meta_json"],
                       corrections_of(conn, [row["id"]]).get(row["id"]))


def get_document(conn: psycopg.Connection, doc_id: str, include_restricted: bool = True,
                 fonds: list[str] | None = None) -> dict[str, Any]:
    """As ``pipeline.archive.catalog.get_document``; ``fonds``: the 全宗 the reader is granted
    (None: all)."""
    row = readable_row(conn, doc_id, include_restricted, fonds)
    doc, meta = row_document(conn, row)
    data = doc.to_json(full=True)
    data["id"] = row["id"]
    data["archive"] = _archive_metadata(conn, row, meta, include_restricted, fonds)
    return data


def _archive_metadata(conn: psycopg.Connection, row: dict[str, Any], meta: dict[str, Any],
                      include_restricted: bool, fonds: list[str] | None) -> dict[str, Any]:
    files = [file_entry(f) for f in
             conn.execute("SELECT * FROM files WHERE doc_id = %s ORDER BY id", (row["id"],))]
    shown, params = visible(include_restricted, fonds)
    versions = [
        version_entry(v, {"title": v["title"], "title_derived": bool(v["title_derived"])})
        for v in conn.execute("SELECT * FROM documents WHERE chain = %s AND state = 'active'"
                              f"{shown} ORDER BY added_at, id", (row["chain"], *params))
    ]
    found = archive_metadata(row, files, versions, near_copies(conn, row, include_restricted, fonds),
                             meta, corrections_of(conn, [row["id"]]).get(row["id"], {}))
    found["fonds"] = row["fonds"]
    return found


NEAR_CANDIDATES = 1000
NEAR_COPIES_SHOWN = 20


def near_copies(conn: psycopg.Connection, row: dict[str, Any], include_restricted: bool = True,
                fonds: list[str] | None = None) -> list[dict[str, Any]]:
    """Current documents of other version chains whose text is almost this one's: candidates
    share a MinHash band with it (GIN on ``nearbands``), then the signatures are compared."""
    signature = row["nearsig"]
    if not row["nearbands"] or not signature:
        return []
    shown, params = visible(include_restricted, fonds)
    others = conn.execute(
        "SELECT id, title, title_derived, date, nearsig FROM documents WHERE nearbands && %s"
        f" AND chain != %s AND is_current AND state = 'active'{shown} LIMIT %s",
        (row["nearbands"], row["chain"], *params, NEAR_CANDIDATES)).fetchall()
    alike = nearcopy.similar_to(bytes(signature), [bytes(o["nearsig"]) for o in others])
    found = sorted(((float(s), o["id"], o) for s, o in zip(alike, others) if s >= nearcopy.THRESHOLD),
                   key=lambda item: (-item[0], item[1]))
    return [{"id": o["id"], "title": o["title"], "title_derived": bool(o["title_derived"]),
             "date": o["date"], "similarity": round(share, 2)}
            for share, _, o in found[:NEAR_COPIES_SHOWN]]


# --- editing -------------------------------------------------------------------------------
def edit_document(conn: psycopg.Connection, doc_id: str, changes: dict[str, str]) -> str:
    """Record corrections for ``doc_id`` and write its row again (search columns included, in
    the same transaction). Returns the full id; ``ValueError`` for fields that cannot be edited."""
    check_changes(changes)
    row = resolve_id(conn, doc_id)
    now = time.time()
    with conn.transaction():
        conn.cursor().executemany(
            "INSERT INTO corrections (doc_id, field, value, at) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (doc_id, field) DO UPDATE SET value = excluded.value, at = excluded.at",
            [(row["id"], field, value, now) for field, value in changes.items()])
        write_documents(conn, [{**row, "updated_at": now}])
    return row["id"]


# --- 全宗 grants ------------------------------------------------------------------------------
def grant(conn: psycopg.Connection, user: str, fonds: str) -> None:
    """Let ``user`` see the documents of the 全宗 ``fonds``."""
    conn.execute("INSERT INTO grants (user_name, fonds) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                 (user, fonds))


def revoke(conn: psycopg.Connection, user: str, fonds: str) -> None:
    conn.execute("DELETE FROM grants WHERE user_name = %s AND fonds = %s", (user, fonds))


def granted(conn: psycopg.Connection, user: str) -> list[str]:
    """The 全宗 ``user`` is granted (none: they see nothing of a pooled archive)."""
    return [row["fonds"] for row in conn.execute(
        "SELECT fonds FROM grants WHERE user_name = %s ORDER BY fonds", (user,))]


def fonds_counts(conn: psycopg.Connection) -> dict[str, int]:
    """Current documents per 全宗."""
    return {row["fonds"]: row["n"] for row in conn.execute(
        "SELECT fonds, count(*) AS n FROM documents WHERE is_current AND state = 'active'"
        " GROUP BY fonds ORDER BY fonds")}
