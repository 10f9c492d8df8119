"""``PostgresStorage``: the storage interface (``pipeline.storage.Storage``) on PostgreSQL.

After an ingest, which reads the files exactly as the embedded archive does
(``pipeline.archive.ingest``: the home stores the originals and decides versions, duplicates and
quarantine), ``publish`` writes what changed into the database. Searching, showing, correcting and verifying read the
database. One connection per thread of each object, opened on first use: the web app answers
requests in several threads, and a search runs inside a transaction of its own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from typing import Any

from pipeline.home import Home
from pipeline.storage.fonds import ALL_FONDS


class PostgresStorage:
    def __init__(self, home: Home, url: str):
        self.home, self.url = home, url
        self._local = threading.local()
        # a thread's connection closes with the thread (its ``local`` goes): held weakly here
        self._opened: weakref.WeakSet[Any] = weakref.WeakSet()
        self._lock = threading.Lock()

    @property
    def conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            from pipeline.storage.postgres.catalog import connect

            conn = self._local.conn = connect(self.url)
            with self._lock:
                self._opened.add(conn)
        return conn

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            opened = list(self._opened)
            self._opened.clear()
        for conn in opened:
            conn.close()

    def publish(self, progress: bool = False) -> dict[str, Any]:
        """After an ingest into the home: write what changed to the database."""
        from pipeline.storage.postgres.publish import publish

        return publish(self.home, self.conn, progress=progress)

    def search(self, query: str, include_restricted: bool = True, fonds: list[str] | None = None,
               **options: Any) -> dict[str, Any]:
        """The contract's search object; ``suggestion`` when nothing is found, as embedded."""
        from pipeline.storage.postgres.fts import search
        from pipeline.storage.postgres.suggest import search_suggestion

        result = search(self.conn, self.home.root, query, include_restricted=include_restricted,
                        fonds=fonds, **options)
        if result["total"] == 0:
            found = search_suggestion(self.conn, self.home.root, query, options,
                                      include_restricted, fonds)
            if found:
                result["suggestion"] = found
        return result

    def get(self, doc_id: str, include_restricted: bool = True,
            fonds: list[str] | None = None) -> dict[str, Any]:
        from pipeline.storage.postgres.catalog import get_document

        return get_document(self.conn, doc_id, include_restricted, fonds)

    def edit(self, doc_id: str, changes: dict[str, str]) -> str:
        from pipeline.storage.postgres.catalog import edit_document

        return edit_document(self.conn, doc_id, changes)

    def verify(self, progress: bool = False) -> dict[str, Any]:
        from pipeline.storage.postgres.migrate import verify

        return verify(self.home, self.conn, progress)

    def migrate(self, progress: bool = False) -> dict[str, Any]:
        from pipeline.storage.postgres.migrate import migrate

        return migrate(self.home, self.conn, progress)

    def use_record(self) -> Any:
        from pipeline.storage.postgres.use_record import DatabaseUseRecord

        return DatabaseUseRecord(self.home, lambda: self.conn)

    # --- 全宗 grants ---
    def granted(self, user: str) -> list[str]:
        from pipeline.storage.postgres.catalog import granted

        return granted(self.conn, user)

    def grant(self, user: str, fonds: str) -> None:
        from pipeline.storage.postgres.catalog import grant

        grant(self.conn, user, fonds)

    def revoke(self, user: str, fonds: str) -> None:
        from pipeline.storage.postgres.catalog import revoke

        revoke(self.conn, user, fonds)

    def fonds_counts(self) -> dict[str, int]:
        """Current documents per 全宗."""
        from pipeline.storage.postgres.catalog import fonds_counts

        return fonds_counts(self.conn)

    def viewer_fonds(self, user: str) -> list[str] | None:
        """The 全宗 a signed-in ``user`` reads: those granted, or None (all) for a grant of
        ``ALL_FONDS``."""
        granted = self.granted(user)
        return None if ALL_FONDS in granted else granted

    # --- what the yearbook tools read ---
    def current_rows(self, fonds: list[str] | None) -> Any:
        """A ``pipeline.excerpts.cache.RowSource`` of the documents of ``fonds`` (None: all)."""
        from pipeline.storage.postgres.reading import current_rows

        def rows(include_restricted: bool) -> Iterator[Any]:
            return current_rows(self.conn, include_restricted, fonds)
        return rows

    def document(self, doc_id: str, include_restricted: bool = True,
                 fonds: list[str] | None = None) -> tuple[str, Any]:
        """The full id and ``Document`` of ``doc_id``, corrections applied (``KeyError`` when
        the reader may not see it)."""
        from pipeline.storage.postgres.reading import document

        return document(self.conn, doc_id, include_restricted, fonds)

    def excerpts(self, query: str, year: int | str | None = None, limit: int = 10,
                 include_restricted: bool = True, fonds: list[str] | None = None) -> dict[str, Any]:
        from pipeline.storage.postgres.reading import excerpts

        return excerpts(self, query, year, limit, include_restricted, fonds)
