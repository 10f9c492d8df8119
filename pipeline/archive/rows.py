"""The current documents of a catalog as the tools that read them all take them (yearbook
facts and events, template mining): each row's stored JSON and corrections, from the home's
SQLite catalog (``embedded_rows``) or a database's (``pipeline.storage``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from pipeline.home import Home
from pipeline.model import Document


@dataclass(frozen=True)
class StoredRow:
    """A current document as a catalog keeps it: its stored JSON and its corrections."""

    id: str
    doc_json: str
    meta_json: str | None
    changes: dict[str, str] | None

    def document(self) -> Document:
        from pipeline.archive.catalog import document_of

        return document_of(self.doc_json, self.meta_json, self.changes)[0]


# include_restricted -> every current, non-classified document the reader may see, by date then
# id: the home's catalog (``embedded_rows``) or a database's (``pipeline.storage``)
RowSource = Callable[[bool], Iterable[StoredRow]]


def embedded_rows(home: Home) -> RowSource:
    """The current documents of the home's own catalog."""
    def rows(include_restricted: bool) -> Iterator[StoredRow]:
        from pipeline.archive.catalog import connect, corrections, current_rows

        changes = corrections(home)
        conn = connect(home)
        try:
            found = current_rows(conn, include_restricted=include_restricted)
        finally:
            conn.close()
        for row in found:
            yield StoredRow(row["id"], row["doc_json"], row["meta_json"], changes.get(row["id"]))
    return rows
