"""Keep the Whoosh index in step with the catalog (the source of truth).

Order of writes, chosen so a SIGKILL at any moment is repaired by the next run:
catalog rows are committed with ``synced = 0`` → the index is written and committed →
the rows are marked ``synced = 1``. A kill between the last two steps only means the next run
writes the same records again (``add_documents`` replaces), never twice.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from pipeline.archive.catalog import connect, current_ids, load_row
from pipeline.home import Home
from pipeline.model import Document

BATCH = 500  # documents per index commit
LOCK_WAIT_SECONDS = 120.0


def _writer() -> Any:
    from pipeline.index import writer

    return writer


def _retry_locked(action: Callable[[], Any]) -> Any:
    """Run ``action``, retrying while another process holds Whoosh's write lock."""
    from whoosh.index import LockError

    deadline, pause = time.monotonic() + LOCK_WAIT_SECONDS, 0.05
    while True:
        try:
            return action()
        except LockError:
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 1.0)


def index_item(conn: sqlite3.Connection, row: sqlite3.Row) -> tuple[str, Document, dict[str, Any]]:
    """The ``(id, Document, meta)`` triple ``add_documents`` takes, corrections applied."""
    doc, meta = load_row(conn, row)
    return row["id"], doc, index_meta(doc, meta, row["path"])


def index_meta(doc: Document, meta: dict[str, Any], path: str) -> dict[str, Any]:
    """The meta an index record is written from: the catalog's, with the path and defaults."""
    meta = dict(meta)
    meta["path"] = path
    meta.setdefault("topics", [])
    meta.setdefault("keywords", list(doc.keywords))
    return meta


def sync_index(home: Home, full: bool = False) -> dict[str, int]:
    """Write pending catalog changes to the index; ``full`` also repairs any drift.

    ``full`` compares the index's document ids with the catalog: records of unknown, superseded
    or quarantined documents are deleted, missing ones are (re)written. An index written with
    another schema version is dropped and written again from the catalog. Returns the counts.
    """
    if _writer().is_stale(home.root):
        _writer().drop_index(home.root)
        full = True
    conn = connect(home)
    try:
        wanted = current_ids(conn)
        pending = {row["id"] for row in conn.execute("SELECT id FROM documents WHERE synced = 0")}
        to_delete = pending - wanted
        to_add = pending & wanted
        if full:
            present = _retry_locked(lambda: _writer().indexed_ids(home.root))
            to_delete |= present - wanted
            to_add |= wanted - present
        if to_delete:
            _retry_locked(lambda: _writer().delete_documents(home.root, sorted(to_delete)))
            _mark_synced(conn, to_delete)
        _add_in_batches(home, conn, sorted(to_add))
        return {"indexed": len(to_add), "deleted": len(to_delete)}
    finally:
        conn.close()


def rebuild_stale_index(home: Home) -> bool:
    """Write the index again from the catalog when an older version of the code wrote it (its
    schema changed); True when it did. Asked before each search: one small read when current."""
    if not _writer().is_stale(home.root):
        return False
    from pipeline.index.search import forget

    forget(home.root)  # cached searchers of the old index
    # an upgrade's first search can take a while on a large archive: say why it waits
    sys.stderr.write("索引格式已更新，正在根据目录重建索引（只需一次）……\n")
    sync_index(home, full=True)
    return True


def _add_in_batches(home: Home, conn: sqlite3.Connection, ids: list[str]) -> None:
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk).fetchall()
        items = [index_item(conn, row) for row in rows]
        _retry_locked(lambda items=items: _writer().add_documents(home.root, items))
        _mark_synced(conn, chunk)


def _mark_synced(conn: sqlite3.Connection, ids: Iterable[str]) -> None:
    with conn:
        conn.executemany("UPDATE documents SET synced = 1 WHERE id = ?", [(i,) for i in ids])


class BackgroundIndexer:
    """Writes committed catalog rows to the index in a thread while the workers parse.

    The parent process is mostly waiting on its workers; indexing meanwhile overlaps the two
    costs (parsing in the workers, Whoosh writing here) instead of running them one after the
    other. Same write order as ``sync_index`` (it is what the thread runs), so a SIGKILL at any
    moment is still repaired by the next run. ``poke`` asks for a pass; ``stop`` waits for the
    last one and re-raises its error, if any.
    """

    def __init__(self, home: Home) -> None:
        self.home = home
        self._wanted = threading.Event()
        self._stopping = False
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._loop, name="gongwen-indexer", daemon=True)

    def start(self) -> BackgroundIndexer:
        self._thread.start()
        return self

    def poke(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stopping = True
        self._wanted.set()
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _loop(self) -> None:
        while not self._stopping:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            try:
                sync_index(self.home)
            except BaseException as err:  # noqa: BLE001 - handed to the main thread in stop()
                self._error = err
                return
