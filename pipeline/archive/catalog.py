"""The catalog: SQLite in ``<home>/catalog.sqlite`` (WAL), the archive's source of truth.

Tables
- ``documents``: one row per distinct document content (a version). ``chain`` groups the versions
  of one document, ``is_current`` marks the one shown and indexed. ``state`` is ``active`` or
  ``quarantined`` (密级: no parsed content is kept). ``synced`` = 0 while the Whoosh index does not yet
  reflect the row (added, superseded, edited); ingest brings it back to 1. ``nearsig`` is the
  text's near-copy signature (``pipeline.index.nearcopy``), NULL until computed.
- ``files``: every file seen (original path, stored copy, size, mtime, format, pages, SHA-256, SM3)
  and its role for its document: ``original``, ``duplicate`` (same bytes), ``rendition`` (same
  document in another format) or ``quarantined``. ``is_current`` = the latest content at that path.
- ``runs`` and ``outcomes``: each ingest run and what happened to each file (Chinese errors).
- ``corrections``: user edits keyed by the stable document id; applied on every read, so they
  survive re-ingest.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import fields as dataclass_fields
from typing import Any

from pipeline.home import Home
from pipeline.model import Document
from pipeline.structure.derived import give_title

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    text_key TEXT,
    chain TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1,
    state TEXT NOT NULL DEFAULT 'active',
    synced INTEGER NOT NULL DEFAULT 0,
    title TEXT, doc_number TEXT, number_key TEXT, genre TEXT, date TEXT, issuer TEXT,
    path TEXT,
    doc_json TEXT,
    meta_json TEXT,
    nearsig BLOB,
    quarantine_reason TEXT,
    run_id INTEGER,
    added_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_text_key ON documents(text_key);
CREATE INDEX IF NOT EXISTS documents_number_key ON documents(number_key);
CREATE INDEX IF NOT EXISTS documents_title ON documents(title);
CREATE INDEX IF NOT EXISTS documents_chain ON documents(chain);
CREATE INDEX IF NOT EXISTS documents_synced ON documents(synced);
CREATE INDEX IF NOT EXISTS documents_genre ON documents(genre);

CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL,
    format TEXT,
    pages INTEGER,
    stored TEXT NOT NULL,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    role TEXT NOT NULL,
    is_current INTEGER NOT NULL DEFAULT 1,
    run_id INTEGER,
    added_at REAL NOT NULL,
    UNIQUE(path, sha256)
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files(sha256);
CREATE INDEX IF NOT EXISTS files_doc ON files(doc_id);
CREATE INDEX IF NOT EXISTS files_path ON files(path, is_current);

CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    finished REAL,
    paths TEXT,
    summary TEXT
);

CREATE TABLE IF NOT EXISTS outcomes (
    run_id INTEGER NOT NULL,
    path TEXT NOT NULL,
    outcome TEXT NOT NULL,
    doc_id TEXT,
    error TEXT,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outcomes_run ON outcomes(run_id);

CREATE TABLE IF NOT EXISTS corrections (
    doc_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (doc_id, field)
);
"""

# Fields a user may correct: Document strings and string lists; ``topics`` lives in the meta.
_STRING_FIELDS = {
    "title", "doc_number", "date", "genre", "urgency", "issued_by", "issued_date", "body",
    "copy_number", "restricted", "note", "adoption_note",
}  # fmt: skip
_LIST_FIELDS = {"issuer", "signer", "recipients", "cc", "attachments", "keywords", "signature"}
_META_LIST_FIELDS = {"topics"}
EDITABLE_FIELDS = _STRING_FIELDS | _LIST_FIELDS | _META_LIST_FIELDS
LIST_SEPARATORS = ("、", "，", ",", ";", "；")


class QuarantinedError(KeyError):
    """The document is classified (密级): it exists but is never shown."""

    def __init__(self, doc_id: str, reason: str | None):
        super().__init__(doc_id)
        self.doc_id = doc_id
        self.reason = reason or "密级文件"

    def __str__(self) -> str:
        return f"文档 {self.doc_id}：{self.reason}"


def connect(home: Home) -> sqlite3.Connection:
    """A connection to the home's catalog: WAL mode, schema created on first use."""
    conn = sqlite3.connect(home.catalog, timeout=60)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable across process kills
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    _add_missing_columns(conn)
    return conn


def _add_missing_columns(conn: sqlite3.Connection) -> None:
    """Columns added after a catalog was created (CREATE TABLE IF NOT EXISTS keeps the old table)."""
    columns = {row["name"] for row in conn.execute("PRAGMA table_info(documents)")}
    if "nearsig" not in columns:  # catalogs written before near-copies were listed
        with conn:
            conn.execute("ALTER TABLE documents ADD COLUMN nearsig BLOB")


# --- corrections -----------------------------------------------------------------------------


def corrections(home: Home) -> dict[str, dict[str, str]]:
    """All user corrections: ``{doc_id: {field: value}}`` (classifiers train on them)."""
    conn = connect(home)
    try:
        return _corrections(conn)
    finally:
        conn.close()


def _corrections(conn: sqlite3.Connection, doc_id: str | None = None) -> dict[str, dict[str, str]]:
    sql = "SELECT doc_id, field, value FROM corrections"
    rows = conn.execute(sql + " WHERE doc_id = ?", (doc_id,)) if doc_id else conn.execute(sql)
    result: dict[str, dict[str, str]] = {}
    for row in rows:
        result.setdefault(row["doc_id"], {})[row["field"]] = row["value"]
    return result


def split_list(value: str) -> list[str]:
    """``"甲、乙,丙"`` -> ``["甲", "乙", "丙"]``."""
    for sep in LIST_SEPARATORS[1:]:
        value = value.replace(sep, LIST_SEPARATORS[0])
    return [part.strip() for part in value.split(LIST_SEPARATORS[0]) if part.strip()]


def apply_corrections(doc: Document, meta: dict[str, Any], changes: dict[str, str]) -> None:
    """Apply ``changes`` to ``doc`` and ``meta`` in place."""
    for field, value in changes.items():
        if field in _LIST_FIELDS:
            setattr(doc, field, split_list(value))
        elif field in _META_LIST_FIELDS:
            meta[field] = split_list(value)
        elif field in _STRING_FIELDS:
            setattr(doc, field, value.strip() or None if field != "body" else value)
        if field == "body":  # passages, snippets and the yearbook read the paragraphs
            doc.paragraphs = [line.strip() for line in value.split("\n") if line.strip()]
        if field == "genre":
            meta["genre"] = value.strip() or None
        if field == "restricted":  # the mark found at ingest gives way to the correction
            meta["restricted"] = value.strip() or None
        if field == "title":
            doc.title_derived = False  # a title a user gives is no longer composed


# --- reading ---------------------------------------------------------------------------------


def load_row(conn: sqlite3.Connection, row: sqlite3.Row) -> tuple[Document, dict[str, Any]]:
    """The stored Document and meta of a documents row, with corrections applied; a document
    stored without a title (catalogued before titles were composed, or its title erased by a
    correction) gets a composed one."""
    return document_of(row["doc_json"], row["meta_json"], _corrections(conn, row["id"]).get(row["id"]))


def document_of(doc_json: str, meta_json: str | None,
                changes: dict[str, str] | None) -> tuple[Document, dict[str, Any]]:
    """A stored Document and meta (as the catalog keeps them, JSON) with ``changes`` applied and
    a composed title when it has none; any catalog's rows (``pipeline.storage``) read through it."""
    doc = Document.from_json(json.loads(doc_json))
    meta = json.loads(meta_json or "{}")
    if changes:
        apply_corrections(doc, meta, changes)
    if not doc.title:
        give_title(doc, doc.genre)
    return doc, meta


def iter_documents(home: Home, genre: str | None = None,
                   include_restricted: bool = True) -> Iterator[tuple[str, Document]]:
    """Every current (latest-version, not quarantined) document, corrections applied.

    Duplicates and renditions are files of a document, never documents of their own, so they
    are not repeated here.
    """
    conn = connect(home)
    try:
        for row in current_rows(conn, genre, include_restricted):
            doc, _meta = load_row(conn, row)
            yield row["id"], doc
    finally:
        conn.close()


def current_rows(conn: sqlite3.Connection, genre: str | None = None,
                 include_restricted: bool = True) -> list[sqlite3.Row]:
    """The rows of the current (latest-version, not quarantined) documents, by date then id
    (without the 内部 ones unless ``include_restricted``)."""
    sql = f"SELECT * FROM documents WHERE {_CURRENT}{visible(include_restricted)}"
    params: tuple[Any, ...] = ()
    if genre is not None:
        sql, params = sql + " AND genre = ?", (genre,)
    return conn.execute(sql + " ORDER BY date, id", params).fetchall()


def current_ids(conn: sqlite3.Connection) -> set[str]:
    """The ids of the current documents: what the index must hold, and nothing else."""
    return {row["id"] for row in conn.execute(f"SELECT id FROM documents WHERE {_CURRENT}")}


_CURRENT = "is_current = 1 AND state = 'active'"
# 内部 (restricted): the mark found at ingest (meta "restricted"), unless a correction of the
# field says otherwise (an empty correction lifts it)
RESTRICTED = ("COALESCE((SELECT TRIM(c.value) != '' FROM corrections c WHERE c.doc_id = documents.id"
              " AND c.field = 'restricted'),"
              " COALESCE(json_extract(documents.meta_json, '$.restricted'), '') != '')")


def visible(include_restricted: bool) -> str:
    """The SQL condition (`` AND …``) that keeps 内部 documents out unless they are included."""
    return "" if include_restricted else f" AND NOT {RESTRICTED}"


def resolve_id(conn: sqlite3.Connection, doc_id: str, mark: str = "?") -> sqlite3.Row:
    """The documents row for ``doc_id`` or a unique prefix of it (≥ 6 characters); ``mark``:
    the connection's parameter placeholder (another catalog's connection serves too)."""
    row = conn.execute(f"SELECT * FROM documents WHERE id = {mark}", (doc_id,)).fetchone()
    if row is None and len(doc_id) >= 6:
        rows = conn.execute(f"SELECT * FROM documents WHERE id LIKE {mark} LIMIT 2",
                            (doc_id.replace("%", "").replace("_", "") + "%",)).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise KeyError(doc_id)
    if row["state"] == "quarantined":
        raise QuarantinedError(row["id"], row["quarantine_reason"])
    return row


# How users read a file's role (the CLI's `show` and the web app's document page).
FILE_ROLE_LABELS = {"original": "原件", "duplicate": "重复", "rendition": "其他格式",
                    "quarantined": "隔离"}


def get_document(home: Home, doc_id: str, include_restricted: bool = True) -> dict[str, Any]:
    """``Document.to_json(full=True)`` plus ``"id"`` and ``"archive"`` metadata.

    Raises ``KeyError`` if unknown and ``QuarantinedError`` (a ``KeyError``) for classified ones;
    without ``include_restricted`` a 内部 document is unknown too, and its versions and
    near-copies that are 内部 are not listed.
    """
    conn = connect(home)
    try:
        row = resolve_id(conn, doc_id)
        if not include_restricted and is_restricted(conn, row["id"]):
            raise KeyError(doc_id)  # as if it did not exist: not even that is told
        doc, meta = load_row(conn, row)
        data = doc.to_json(full=True)
        data["id"] = row["id"]
        data["archive"] = _archive_metadata(conn, row, meta, include_restricted)
        return data
    finally:
        conn.close()


def is_restricted(conn: sqlite3.Connection, doc_id: str) -> bool:
    found = conn.execute(f"SELECT {RESTRICTED} FROM documents WHERE id = ?", (doc_id,)).fetchone()
    return bool(found and found[0])


def _archive_metadata(conn: sqlite3.Connection, row: sqlite3.Row, meta: dict[str, Any],
                      include_restricted: bool = True) -> dict[str, Any]:
    files = [file_entry(f) for f in
             conn.execute("SELECT * FROM files WHERE doc_id = ? ORDER BY id", (row["id"],))]
    versions = [
        version_entry(v, _title_fields(conn, v)) for v in conn.execute(
            "SELECT * FROM documents WHERE chain = ? AND state = 'active'"
            f"{visible(include_restricted)} ORDER BY added_at, id", (row["chain"],))
    ]
    return archive_metadata(row, files, versions, _near_copies(conn, row, include_restricted),
                            meta, _corrections(conn, row["id"]).get(row["id"], {}))


def file_entry(f: Any) -> dict[str, Any]:
    """One file of a document as ``show`` lists it (from a ``files`` row of any catalog)."""
    return {"path": f["path"], "stored": f["stored"], "role": f["role"], "format": f["format"],
            "size": f["size"], "pages": f["pages"], "sha256": f["sha256"], "sm3": f["sm3"],
            "mtime": f["mtime"], "current": bool(f["is_current"])}


def version_entry(v: Any, title: dict[str, Any]) -> dict[str, Any]:
    """One version as ``show`` lists it (``title``: its title fields)."""
    return {"id": v["id"], **title, "doc_number": v["doc_number"], "date": v["date"],
            "path": v["path"], "current": bool(v["is_current"]), "added_at": _iso(v["added_at"])}


def archive_metadata(row: Any, files: list[dict[str, Any]], versions: list[dict[str, Any]],
                     near_copies: list[dict[str, Any]], meta: dict[str, Any],
                     corrections: dict[str, str]) -> dict[str, Any]:
    """``show``'s ``archive`` object of a documents row (of any catalog) and what goes with it."""
    original = next((f for f in files if f["role"] == "original"), files[0] if files else None)
    return {
        "current": bool(row["is_current"]),
        "current_id": next((v["id"] for v in versions if v["current"]), row["id"]),
        "files": files,
        "hashes": {"sha256": original["sha256"], "sm3": original["sm3"]} if original else {},
        "stored": original["stored"] if original else None,
        "versions": versions if len(versions) > 1 else [],
        "near_copies": near_copies,
        "duplicates": [f["path"] for f in files if f["role"] == "duplicate"],
        "renditions": [{"path": f["path"], "format": f["format"]} for f in files
                       if f["role"] == "rendition"],
        "meta": meta,
        "corrections": corrections,
        "added_at": _iso(row["added_at"]),
        "updated_at": _iso(row["updated_at"]),
    }


NEAR_COPIES_SHOWN = 20


def _near_copies(conn: sqlite3.Connection, row: sqlite3.Row,
                 include_restricted: bool = True) -> list[dict[str, Any]]:
    """Other current documents whose text is almost this one's (a repost under another header,
    the same guide from another bureau), most alike first; versions of this one are listed as
    versions, classified documents never."""
    from pipeline.index import nearcopy

    others = _signatures(conn, other_than=row["chain"], include_restricted=include_restricted)
    ids = list(others)
    alike = nearcopy.similar_to(_signature_of(conn, row), [others[i] for i in ids])
    found = sorted(((float(s), i) for s, i in zip(alike, ids) if s >= nearcopy.THRESHOLD), reverse=True)
    copies = []
    for share, doc_id in found[:NEAR_COPIES_SHOWN]:
        other = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        copies.append({"id": doc_id, **_title_fields(conn, other), "date": other["date"],
                       "similarity": round(share, 2)})
    return copies


def _title_fields(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """``title`` and ``title_derived`` of a documents row as ``show`` lists them."""
    doc, _meta = load_row(conn, row)
    return {"title": doc.title, "title_derived": doc.title_derived}


def _signatures(conn: sqlite3.Connection, other_than: str,
                include_restricted: bool = True) -> dict[str, bytes]:
    """The signature of every current, not classified document outside the version chain
    ``other_than``; the ones a catalog written before signatures (or an edit) left empty are
    computed and stored first."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: 100,000 rows in 0.2 s instead of 0.27
    signatures = dict(cursor.execute(
        "SELECT id, nearsig FROM documents WHERE state = 'active' AND is_current = 1 AND chain != ?"
        + visible(include_restricted), (other_than,)))
    for doc_id in [doc_id for doc_id, signature in signatures.items() if signature is None]:
        row = conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        signatures[doc_id] = _signature_of(conn, row)
    return signatures


def _signature_of(conn: sqlite3.Connection, row: sqlite3.Row) -> bytes:
    if row["nearsig"] is not None:
        return bytes(row["nearsig"])
    from pipeline.index.writer import near_signature

    signature = near_signature(load_row(conn, row)[0])
    with conn:
        conn.execute("UPDATE documents SET nearsig = ? WHERE id = ?", (signature, row["id"]))
    return signature


def _iso(stamp: float | None) -> str | None:
    if stamp is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(stamp))


# --- editing ---------------------------------------------------------------------------------


def edit_document(home: Home, doc_id: str, changes: dict[str, str]) -> str:
    """Record corrections for ``doc_id``, refresh its catalog columns and mark it for the index
    (``synced = 0``: ``pipeline.archive.sync.sync_index`` writes it). Returns the full id.

    Raises ``ValueError`` (Chinese message) for fields that cannot be edited.
    """
    check_changes(changes)
    conn = connect(home)
    try:
        row = resolve_id(conn, doc_id)
        now = time.time()
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO corrections (doc_id, field, value, at) VALUES (?, ?, ?, ?)",
                [(row["id"], field, value, now) for field, value in changes.items()])
            doc, _meta = load_row(conn, row)
            conn.execute(
                "UPDATE documents SET title = ?, doc_number = ?, genre = ?, date = ?, issuer = ?,"
                " nearsig = NULL, synced = 0, updated_at = ? WHERE id = ?",
                (doc.title, doc.doc_number, doc.genre, doc.date, "、".join(doc.issuer), now,
                 row["id"]))
    finally:
        conn.close()
    return row["id"]


def check_changes(changes: dict[str, str]) -> None:
    """Raise ``ValueError`` (Chinese message) for fields that cannot be edited or a bad date."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"不能修改的字段：{'、'.join(unknown)}；可修改的字段："
                         f"{'、'.join(sorted(EDITABLE_FIELDS))}")
    if "date" in changes and changes["date"].strip() and not is_iso_date(changes["date"].strip()):
        raise ValueError(f"日期格式应为 YYYY-MM-DD：{changes['date']}")


def is_iso_date(value: str) -> bool:
    """A real calendar date written YYYY-MM-DD (2023-13-45 is not)."""
    try:
        time.strptime(value, "%Y-%m-%d")
    except ValueError:
        return False
    return True


def document_fields() -> set[str]:
    return {f.name for f in dataclass_fields(Document)}
