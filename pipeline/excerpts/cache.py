"""Per-document yearbook results (facts, events) kept between calls in ``<home>/cache/yearbook.sqlite``.

``stats`` and ``chronicle`` read every current document; at a few thousand documents that is
seconds of regular expressions per call, repeated on every page a compiler opens. A document's
results depend only on its stored text, its corrections and the code, so each is kept under a
fingerprint of those three and recomputed when any of them changes. The file is disposable:
deleting it, or failing to write it (a read-only home), only costs the time to compute again.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.archive.rows import RowSource, StoredRow, embedded_rows
from pipeline.home import Home
from pipeline.model import Document

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    date TEXT,
    payload TEXT NOT NULL,
    PRIMARY KEY (kind, doc_id)
);
"""

Compute = Callable[[str, Document], list[Any]]


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the package's source: results computed by other code are never reused."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def per_document(home: Home, kind: str, compute: Compute, include_restricted: bool = True,
                 rows: RowSource | None = None) -> Iterator[tuple[str, list[Any]]]:
    """``(doc_id, compute(doc_id, doc))`` for every current, non-classified document (not the
    内部 ones unless ``include_restricted``), earliest first and undated ones last (a text found
    in several documents is then first met in the original, not in a later reprint), from the
    cache where the document, its corrections and the code are unchanged. ``compute`` must
    return JSON values. ``rows``: where the documents come from (default the home's catalog)."""
    cached = _read(home, kind)
    results: list[tuple[str | None, str, list[Any]]] = []  # (date, doc_id, items)
    fresh: list[tuple[str, str, str | None, str]] = []
    for row in (rows or embedded_rows(home))(include_restricted):
        fingerprint = _fingerprint(row, kind)
        hit = cached.get(row.id)
        if hit is not None and hit[0] == fingerprint:
            results.append((hit[1], row.id, json.loads(hit[2])))
            continue
        doc = row.document()
        items = compute(row.id, doc)
        results.append((doc.date, row.id, items))
        fresh.append((row.id, fingerprint, doc.date, json.dumps(items, ensure_ascii=False)))
    _write(home, kind, fresh)
    results.sort(key=lambda item: (item[0] is None, item[0] or ""))  # stable: SQL order within
    for _date, doc_id, items in results:
        yield doc_id, items


def _fingerprint(row: StoredRow, kind: str) -> str:
    digest = hashlib.sha1(f"{kind}\0{code_version()}\0".encode())
    corrected = json.dumps(sorted((row.changes or {}).items()), ensure_ascii=False)
    for part in (row.doc_json, row.meta_json, corrected):
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _connect(home: Home) -> sqlite3.Connection:
    path = home.yearbook_cache
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA)
    return conn


def _read(home: Home, kind: str) -> dict[str, tuple[str, str | None, str]]:
    """``{doc_id: (fingerprint, date, payload)}``; empty when the cache cannot be read."""
    try:
        conn = _connect(home)
        try:
            rows = conn.execute("SELECT doc_id, fingerprint, date, payload FROM results"
                                " WHERE kind = ?", (kind,)).fetchall()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return {}
    return {doc_id: (fingerprint, date, payload) for doc_id, fingerprint, date, payload in rows}


def _write(home: Home, kind: str, fresh: list[tuple[str, str, str | None, str]]) -> None:
    if not fresh:
        return
    try:
        conn = _connect(home)
        try:
            with conn:
                conn.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                                 [(kind, *entry) for entry in fresh])
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        pass  # a cache that cannot be written is only slower next time
