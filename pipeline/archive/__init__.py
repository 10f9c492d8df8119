"""The archive: catalog (SQLite), stored originals, ingest runs, versions, archival codes."""

from pipeline.archive.core import Archive

__all__ = ["Archive"]
