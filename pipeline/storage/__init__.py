"""Where an archive's catalog and search index live: the storage interface and its backends.

``--db URL`` (or ``GONGWEN_DATABASE_URL``) chooses one. Without it — the default, and what
``make demo`` uses — the archive is embedded in its home folder: the SQLite catalog and the
Whoosh index (``pipeline.archive``, ``pipeline.index``). ``postgresql://…`` puts the catalog
(documents, versions, files, corrections, runs, the use record once migrated) and the full-text
index in one PostgreSQL database (``pipeline.storage.postgres``); the home still holds the stored
originals, the settings, the lexicon and synonyms, and the local record of what was ingested.

A backend answers ``publish`` (after an ingest into the home), ``search``, ``get``, ``edit`` and ``verify`` with the objects the
contract describes (``Storage``); ``backend(home, url)`` gives the one a URL names.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from pipeline.home import Home

DATABASE_VARIABLE = "GONGWEN_DATABASE_URL"
EMBEDDED_NAMES = ("", "embedded", "sqlite")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class NotOnDatabase(ValueError):
    """What an archive on a database does not offer (yet): the message names it, in Chinese."""

    def __init__(self, what: str):
        super().__init__(f"数据库上的档案库暂不支持{what}")


class Storage(Protocol):
    def publish(self, progress: bool = False) -> dict[str, Any]: ...
    def search(self, query: str, include_restricted: bool = True, fonds: list[str] | None = None,
               **options: Any) -> dict[str, Any]: ...
    def get(self, doc_id: str, include_restricted: bool = True,
            fonds: list[str] | None = None) -> dict[str, Any]: ...
    def edit(self, doc_id: str, changes: dict[str, str]) -> str: ...
    def verify(self, progress: bool = False) -> dict[str, Any]: ...


def database_url(given: str | None = None) -> str | None:
    """The database URL ``--db`` gives, else ``$GONGWEN_DATABASE_URL``; None for the embedded
    archive. Raises ``ValueError`` (Chinese) for a URL no backend serves."""
    url = (given if given is not None else os.environ.get(DATABASE_VARIABLE, "")).strip()
    if url.lower() in EMBEDDED_NAMES:
        return None
    if url.startswith(POSTGRES_SCHEMES):
        return url
    raise ValueError(f"不支持的数据库地址：{url}（应为 postgresql://…，或不设以使用内置档案库）")


def backend(home: Home, url: str) -> Storage:
    """The backend serving ``url`` for the archive at ``home``."""
    from pipeline.storage.postgres.backend import PostgresStorage

    return PostgresStorage(home, url)
