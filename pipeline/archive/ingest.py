"""Batch ingest: walk, store originals, parse in parallel, catalog, index — crash-safe.

The catalog is the source of truth. Every file's outcome is committed to SQLite atomically
(many files per transaction, never half a file); documents enter with ``synced = 0`` and the
index is brought up to date in batches afterwards (``pipeline.archive.sync``). Each run starts
and ends with a full reconcile, so a run killed at any moment is finished by the next one.
"""

from __future__ import annotations

import fcntl
import gc
import json
import sqlite3
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive import linking, store
from pipeline.archive.catalog import connect
from pipeline.archive.dispatch import GC_THRESHOLDS, ClusterError, Dispatcher, LocalPool, Work
from pipeline.archive.sync import BackgroundIndexer, sync_index
from pipeline.archive.walk import Candidate, walk
from pipeline.archive.worker import Result
from pipeline.home import Home

ProgressCallback = Callable[[int, int], None]  # (files settled, files found)

COMMIT_EVERY_SECONDS = 1.0
INDEX_EVERY_DOCS = 400  # settled documents per background index pass (one Whoosh commit each):
# fewer, larger passes write each term fewer times (656-file benchmark: 73.6 → 68.5 CPU-s,
# 4 → 2 segments, same wall time — the parse workers are the critical path)


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    failed: list[dict[str, str]] = field(default_factory=list)
    quarantined: list[dict[str, str]] = field(default_factory=list)

    def as_json(self, seconds: float) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "duplicates": self.duplicates, "failed": self.failed,
                "quarantined": self.quarantined, "seconds": round(seconds, 3)}


@dataclass
class Pending:
    """A file handed to the readers, with what the coordinator learned before parsing it."""

    candidate: Candidate
    sha256: str
    sm3: str
    size: int
    stored: str
    previous_doc: str | None  # the document last seen at this path (a changed file)
    waiting: list[tuple[Candidate, str, str, str]] = field(default_factory=list)  # same bytes


def run_ingest(home: Home, paths: list[Path], workers: int | None = None,
               progress: bool = True, on_progress: ProgressCallback | None = None,
               within: Sequence[Path] | None = None,
               cluster: str | None = None) -> dict[str, Any]:
    """Ingest ``paths`` (files, folders, .zip files) into the archive at ``home``; the contract's
    summary.

    ``on_progress(done, total)`` is called once the files are counted and after each file (the
    web app's live counter); ``progress`` is the terminal's bar. ``within``: the folders whose
    files may be read (``walk``); a link to a file elsewhere fails with the reason. ``cluster``:
    a Dask scheduler's address (``tcp://HOST:8786``): the files are read on its workers
    (``pipeline.archive.cluster``) instead of ``workers`` local processes; everything else,
    the catalog and the index included, is done here as in a local ingest."""
    started = time.monotonic()
    with _dispatcher(home, workers, cluster) as dispatcher, _ingest_lock(home), \
            _fewer_collections():
        store.clean_tmp(home)
        sync_index(home, full=True)  # finish whatever a killed run left behind
        conn = connect(home)
        try:
            run_id = _start_run(conn, paths)
            try:
                summary = _Ingest(home, conn, run_id, dispatcher, progress,
                                  on_progress).run(paths, within)
                sync_index(home, full=True)
            finally:
                _preanalysed().clear()  # what was not indexed by now is written from the catalog
            result = summary.as_json(time.monotonic() - started)
            with conn:
                conn.execute("UPDATE runs SET finished = ?, summary = ? WHERE id = ?",
                             (time.time(), json.dumps(result, ensure_ascii=False), run_id))
        finally:
            conn.close()
    return result


def _dispatcher(home: Home, workers: int | None,
                cluster: str | None) -> AbstractContextManager[Dispatcher]:
    """Local processes, or a connection to the Dask cluster (made first: an unreachable
    cluster stops the ingest before anything is written)."""
    if cluster is None:
        return nullcontext(LocalPool(home, workers))
    try:
        from pipeline.archive.cluster import connect_cluster  # distributed: an optional extra
    except ImportError as err:
        raise ClusterError(f"未安装 Dask 分布式组件（{err}）：请安装 gongwen[cluster]") from err
    return connect_cluster(home, cluster)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often during an ingest (the workers fork with
    these settings too), and never over what was loaded before the workers fork.

    An ingest allocates millions of small tuples and lists (postings) that reference counting
    frees; the collector finds nothing to collect, yet with the default thresholds it walked the
    young objects every 700 allocations and the whole heap (dictionaries, models, the postings
    waiting for the index) dozens of times: 656-file corpus, 1.8 CPU-s in the workers' per-file
    work, ~0 after; in the parent (its objects frozen) 1.9 CPU-s inside the collector with the
    default thresholds, 1.0 with these.
    """
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


@contextmanager
def _ingest_lock(home: Home) -> Iterator[None]:
    """One ingest per home at a time; the OS drops the lock when its holder dies.

    POSIX record locks (``lockf``), not ``flock``: forked workers do not inherit them, so a
    worker outliving its killed parent cannot keep the archive locked.
    """
    with open(home.ingest_lock, "w") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            sys.stderr.write("另一个入库任务正在使用该档案库，等待其结束……\n")
            fcntl.lockf(handle, fcntl.LOCK_EX)
        yield


def _start_run(conn: sqlite3.Connection, paths: list[Path]) -> int:
    with conn:
        cursor = conn.execute("INSERT INTO runs (started, paths) VALUES (?, ?)",
                              (time.time(), json.dumps([str(p) for p in paths],
                                                       ensure_ascii=False)))
    return int(cursor.lastrowid)


class _Ingest:
    def __init__(self, home: Home, conn: sqlite3.Connection, run_id: int,
                 dispatcher: Dispatcher, progress: bool,
                 on_progress: ProgressCallback | None = None):
        self.home, self.conn, self.run_id = home, conn, run_id
        self.dispatcher = dispatcher
        self.progress = progress
        self.on_progress = on_progress
        self.total = self.done = 0
        self.summary = Summary()
        self.pending: dict[int, Pending] = {}  # job key -> pending file
        self.by_hash: dict[str, int] = {}  # sha256 -> job key, for identical files in one run
        self.queue: list[Work] = []
        self.next_key = 0
        self.last_commit = time.monotonic()
        self.unsynced = 0
        self.indexer: BackgroundIndexer | None = None
        self.bar: Any = None

    # --- the run ---------------------------------------------------------------------------

    def run(self, paths: list[Path], within: Sequence[Path] | None = None) -> Summary:
        candidates = list(walk([Path(p).absolute() for p in paths], within))
        self.bar = _progress_bar(len(candidates), self.progress)
        self.total = len(candidates)
        self._report_progress()
        try:
            for candidate in candidates:
                self._consider(candidate)
            self._commit()
            self.indexer = BackgroundIndexer(self.home).start()
            try:
                self.dispatcher.run(self.queue, self._settle, self._maybe_commit)
            finally:
                self._commit()
                self.indexer.stop()
                self.indexer = None
        finally:
            self._commit()
            self.bar.close()
        return self.summary

    def _consider(self, candidate: Candidate) -> None:
        """Settle what needs no parsing (errors, unchanged, duplicates); queue the rest."""
        if candidate.error:
            return self._fail(candidate.path, candidate.error)
        current = self.conn.execute(
            "SELECT * FROM files WHERE path = ? AND is_current = 1", (candidate.path,)).fetchone()
        if current and current["size"] == candidate.size and current["mtime"] == candidate.mtime:
            return self._done("unchanged", candidate.path, current["doc_id"])
        try:
            sha256, sm3, size, stored = self._store(candidate)
        except (OSError, zipfile.BadZipFile, store.StoreLimitError, RuntimeError) as err:
            return self._fail(candidate.path, _read_error(err))
        if current and current["sha256"] == sha256:  # touched, not changed
            with self.conn:
                self.conn.execute("UPDATE files SET mtime = ?, size = ? WHERE id = ?",
                                  (candidate.mtime, size, current["id"]))
            return self._done("unchanged", candidate.path, current["doc_id"])
        known = self.conn.execute(
            "SELECT f.doc_id, d.state, d.quarantine_reason FROM files f JOIN documents d"
            " ON d.id = f.doc_id WHERE f.sha256 = ? ORDER BY f.id LIMIT 1", (sha256,)).fetchone()
        if known and self._reactivate(candidate, sha256):
            return self._done("duplicate", candidate.path, known["doc_id"])
        if known:
            return self._duplicate(candidate, sha256, sm3, stored, known)
        if sha256 in self.by_hash:
            self.pending[self.by_hash[sha256]].waiting.append((candidate, sha256, sm3, stored))
            return None
        self._queue(candidate, sha256, sm3, size, stored,
                    current["doc_id"] if current else None)
        return None

    def _reactivate(self, candidate: Candidate, sha256: str) -> bool:
        """The path went back to content it had before: point it at that file row again."""
        row = self.conn.execute("SELECT id FROM files WHERE path = ? AND sha256 = ?",
                                (candidate.path, sha256)).fetchone()
        if row is None:
            return False
        self.conn.execute("UPDATE files SET is_current = 0 WHERE path = ?", (candidate.path,))
        self.conn.execute("UPDATE files SET is_current = 1, mtime = ?, size = ? WHERE id = ?",
                          (candidate.mtime, candidate.size, row["id"]))
        return True

    def _store(self, candidate: Candidate) -> tuple[str, str, int, str]:
        if candidate.source is not None:
            return store.store_file(self.home, candidate.source)
        assert candidate.zip_path is not None and candidate.member is not None
        with zipfile.ZipFile(candidate.zip_path) as archive, archive.open(candidate.member) as src:
            # the cap guards against headers that under-state the member's size
            return store.store_stream(self.home, src, candidate.name,
                                      max_bytes=max(candidate.size, 1) + 1024)

    def _queue(self, candidate: Candidate, sha256: str, sm3: str, size: int, stored: str,
               previous_doc: str | None) -> None:
        key, self.next_key = self.next_key, self.next_key + 1
        self.pending[key] = Pending(candidate, sha256, sm3, size, stored, previous_doc)
        self.by_hash[sha256] = key
        self.queue.append(Work(key, candidate.name, candidate.path, candidate.source,
                               self.home.stored(stored), size))

    # --- outcomes --------------------------------------------------------------------------

    def _settle(self, key: int, result: Result) -> None:
        pending = self.pending.pop(key)
        self.by_hash.pop(pending.sha256, None)
        candidate = pending.candidate
        if result.error is not None:
            self._fail(candidate.path, result.error, pending.stored)
            for other, _sha, _sm3, stored in pending.waiting:
                self._fail(other.path, result.error, stored)
            return
        fmt = result.doc.format if result.doc else None
        pages = result.doc.pages if result.doc else None
        if result.secrecy is not None:
            doc_id = self._quarantine(pending, result)
        else:
            doc_id = self._catalog_document(pending, result)
            _preanalysed().put(result.analysis)  # the indexer writes it without re-analysing
        for other, sha256, sm3, stored in pending.waiting:
            self._insert_file(other, sha256, sm3, stored, doc_id, "duplicate", fmt, pages)
            if result.secrecy is not None:
                self._report_quarantine(other.path, doc_id, _secrecy_reason(result))
            else:
                self._done("duplicate", other.path, doc_id)

    def _catalog_document(self, pending: Pending, result: Result) -> str:
        doc = result.doc
        assert doc is not None
        link = linking.find_link(self.conn, doc, result.text_key, pending.previous_doc)
        if link.kind == "rendition":
            self._insert_file(pending.candidate, pending.sha256, pending.sm3, pending.stored,
                              link.doc_id, "rendition", doc.format, doc.pages)
            self._done("duplicate", pending.candidate.path, link.doc_id)
            return str(link.doc_id)
        doc_id = document_id(pending.sha256)
        chain = link.doc_id if link.kind == "version" else doc_id
        now = time.time()
        self.conn.execute(
            "INSERT OR REPLACE INTO documents (id, sha256, text_key, chain, is_current, state,"
            " synced, title, doc_number, number_key, genre, date, issuer, path, doc_json,"
            " meta_json, nearsig, run_id, added_at, updated_at)"
            " VALUES (?, ?, ?, ?, 1, 'active', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_id, pending.sha256, result.text_key, chain, doc.title, doc.doc_number,
             linking.number_key(doc.doc_number), doc.genre, doc.date, "、".join(doc.issuer),
             pending.candidate.path, json.dumps(doc.to_json(full=True), ensure_ascii=False),
             json.dumps(result.meta, ensure_ascii=False, default=str), result.nearsig,
             self.run_id, now, now))
        self._insert_file(pending.candidate, pending.sha256, pending.sm3, pending.stored, doc_id,
                          "original", doc.format, doc.pages)
        if link.kind == "version":
            _elect_current(self.conn, chain)
        self.unsynced += 1
        self._done("updated" if link.kind == "version" else "added", pending.candidate.path,
                   doc_id)
        return doc_id

    def _quarantine(self, pending: Pending, result: Result) -> str:
        doc_id = document_id(pending.sha256)
        reason = _secrecy_reason(result)
        now = time.time()
        self.conn.execute(
            "INSERT OR REPLACE INTO documents (id, sha256, chain, is_current, state, synced, path,"
            " quarantine_reason, run_id, added_at, updated_at)"
            " VALUES (?, ?, ?, 0, 'quarantined', 0, ?, ?, ?, ?, ?)",
            (doc_id, pending.sha256, doc_id, pending.candidate.path, reason, self.run_id, now,
             now))
        self._insert_file(pending.candidate, pending.sha256, pending.sm3, pending.stored, doc_id,
                          "quarantined", None, None)
        self._report_quarantine(pending.candidate.path, doc_id, reason)
        return doc_id

    def _duplicate(self, candidate: Candidate, sha256: str, sm3: str, stored: str,
                   known: sqlite3.Row) -> None:
        role = "quarantined" if known["state"] == "quarantined" else "duplicate"
        self._insert_file(candidate, sha256, sm3, stored, known["doc_id"], role, None, None)
        if role == "quarantined":
            self._report_quarantine(candidate.path, known["doc_id"], known["quarantine_reason"])
        else:
            self._done("duplicate", candidate.path, known["doc_id"])

    def _insert_file(self, candidate: Candidate, sha256: str, sm3: str, stored: str,
                     doc_id: str | None, role: str, fmt: str | None, pages: int | None) -> None:
        if fmt is None:  # a byte-identical copy shares its twin's format and pages
            twin = self.conn.execute("SELECT format, pages FROM files WHERE sha256 = ? LIMIT 1",
                                     (sha256,)).fetchone()
            fmt, pages = (twin["format"], twin["pages"]) if twin else (None, None)
        self.conn.execute("UPDATE files SET is_current = 0 WHERE path = ?", (candidate.path,))
        self.conn.execute(
            "INSERT OR REPLACE INTO files (path, sha256, sm3, size, mtime, format, pages, stored,"
            " doc_id, role, is_current, run_id, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,1,?,?)",
            (candidate.path, sha256, sm3, candidate.size, candidate.mtime, fmt, pages, stored,
             doc_id, role, self.run_id, time.time()))

    def _report_quarantine(self, path: str, doc_id: str, reason: str) -> None:
        self.summary.quarantined.append({"path": path, "reason": reason})
        self._outcome("quarantined", path, doc_id, reason)

    def _fail(self, path: str, error: str, stored: str | None = None) -> None:
        self.summary.failed.append({"path": path, "error": error})
        self._outcome("failed", path, None, error)
        if stored:
            used = self.conn.execute("SELECT 1 FROM files WHERE stored = ? LIMIT 1",
                                     (stored,)).fetchone()
            store.remove_if_unreferenced(self.home, stored, used is not None)

    def _done(self, outcome: str, path: str, doc_id: str | None) -> None:
        if outcome == "added":
            self.summary.added += 1
        elif outcome == "updated":
            self.summary.updated += 1
        elif outcome == "unchanged":
            self.summary.unchanged += 1
        elif outcome == "duplicate":
            self.summary.duplicates += 1
        self._outcome(outcome, path, doc_id, None)

    def _outcome(self, outcome: str, path: str, doc_id: str | None, error: str | None) -> None:
        self.bar.update(1)
        self.done += 1
        self._report_progress()
        if outcome == "unchanged":  # the run's summary counts them; a row each would bloat
            return
        self.conn.execute("INSERT INTO outcomes (run_id, path, outcome, doc_id, error, at)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          (self.run_id, path, outcome, doc_id, error, time.time()))

    def _report_progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.done, self.total)

    # --- commits ---------------------------------------------------------------------------

    def _maybe_commit(self) -> None:
        if time.monotonic() - self.last_commit >= COMMIT_EVERY_SECONDS:
            self._commit()
        if self.unsynced >= INDEX_EVERY_DOCS:
            self._commit()
            if self.indexer is not None:
                self.indexer.poke()  # indexes in a thread while the workers parse
            else:
                sync_index(self.home)
            self.unsynced = 0

    def _commit(self) -> None:
        self.conn.commit()
        self.last_commit = time.monotonic()


def _preanalysed() -> Any:
    from pipeline.index.writer import PREANALYSED  # imported late, like the index (sync.py)

    return PREANALYSED


def document_id(sha256: str) -> str:
    """Stable id: the first 16 hex digits of the SHA-256 of the file the document came from."""
    return sha256[:16]


def _elect_current(conn: sqlite3.Connection, chain: str) -> None:
    """Newest 成文日期 wins; among equal dates the one of the latest ingest run, then (within one
    run, where the workers' finishing order is chance) the newest file, then the path."""
    rows = conn.execute(
        "SELECT d.id, d.date, d.run_id, d.path, d.is_current, MAX(f.mtime) AS mtime"
        " FROM documents d LEFT JOIN files f ON f.doc_id = d.id AND f.role = 'original'"
        " WHERE d.chain = ? AND d.state = 'active' GROUP BY d.id", (chain,)).fetchall()
    winner = max(rows, key=lambda r: (r["date"] or "", r["run_id"] or 0, r["mtime"] or 0.0,
                                      r["path"] or "", r["id"]))["id"]
    for row in rows:
        wanted = 1 if row["id"] == winner else 0
        if row["is_current"] != wanted:
            conn.execute("UPDATE documents SET is_current = ?, synced = 0 WHERE id = ?",
                         (wanted, row["id"]))


def _secrecy_reason(result: Result) -> str:
    secrecy = result.secrecy
    assert secrecy is not None
    return f"涉密文件（密级：{secrecy.printed()}），已隔离，不入索引、不予显示"


def _read_error(err: BaseException) -> str:
    if isinstance(err, store.StoreLimitError):
        return "压缩包成员的实际大小超过其声明大小，已拒绝"
    if isinstance(err, RuntimeError):  # zipfile: encrypted member or bad password
        return f"压缩包成员无法读取（{err}）"
    if isinstance(err, zipfile.BadZipFile):
        return "压缩包已损坏，成员无法读取"
    if isinstance(err, PermissionError):
        return "没有读取该文件的权限"
    return f"无法读取文件（{getattr(err, 'strerror', None) or err}）"


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: the pool forks this process
    return tqdm(total=total, desc="入库", unit="件", file=sys.stderr, disable=not enabled,
                dynamic_ncols=True)
