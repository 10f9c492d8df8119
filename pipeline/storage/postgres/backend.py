"""``PostgresStorage``: the storage interface (``pipeline.storage.Storage``) on PostgreSQL.

After an ingest, which reads the files exactly as the embedded archive does
(``pipeline.archive.ingest``: the home stores the originals and decides versions, duplicates and
quarantine), ``publish`` writes what changed into the database. Searching, showing, correcting and verifying read the
database. One connection per object, opened on first use.
"""

from __future__ import annotations

from typing import Any

from pipeline.home import Home


class PostgresStorage:
    def __init__(self, home: Home, url: str):
        self.home, self.url = home, url
        self._conn: Any = None

    @property
    def conn(self) -> Any:
        if self._conn is None or self._conn.closed:
            from pipeline.storage.postgres.catalog import connect

            self._conn = connect(self.url)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def publish(self, progress: bool = False) -> dict[str, Any]:
        """After an ingest into the home: write what changed to the database."""
        from pipeline.storage.postgres.publish import publish

        return publish(self.home, self.conn, progress=progress)

    def search(self, query: str, include_restricted: bool = True, fonds: list[str] | None = None,
               **options: Any) -> dict[str, Any]:
        from pipeline.storage.postgres.fts import search

        return search(self.conn, self.home.root, query, include_restricted=include_restricted,
                      fonds=fonds, **options)

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

        return DatabaseUseRecord(self.home, self.conn)

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
