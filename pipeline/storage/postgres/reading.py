"""What the yearbook tools read from PostgreSQL: every current document a reader may see (for
``stats`` and ``chronicle``, ``pipeline.excerpts.cache.RowSource``), one document, and the
passages of ``excerpts`` (the search picks the documents, ``term_stats`` weighs the words).
Documents stream through a server-side cursor: the archive is never held in memory at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pipeline.archive.rows import StoredRow
from pipeline.excerpts.excerpts import CANDIDATES, passages_of
from pipeline.index.passages import query_terms, term_weights
from pipeline.model import Document
from pipeline.storage.postgres.catalog import readable_row, row_document, visible
from pipeline.storage.postgres.rank import load_stats

BATCH = 500  # rows fetched from the server at a time


def current_rows(conn: Any, include_restricted: bool, fonds: list[str] | None) -> Iterator[StoredRow]:
    """The current, active (never classified: those are quarantined) documents, by date then id."""
    condition, params = visible(include_restricted, fonds)
    changes: dict[str, dict[str, str]] = {}
    for row in conn.execute("SELECT doc_id, field, value FROM corrections"):
        changes.setdefault(row["doc_id"], {})[row["field"]] = row["value"]
    with conn.transaction(), conn.cursor(name="gongwen_rows") as cursor:
        cursor.itersize = BATCH
        cursor.execute("SELECT id, doc_json, meta_json FROM documents WHERE is_current"
                       f" AND state = 'active'{condition} ORDER BY date NULLS FIRST, id", params)
        for row in cursor:
            yield StoredRow(row["id"], row["doc_json"], row["meta_json"], changes.get(row["id"]))


def document(conn: Any, doc_id: str, include_restricted: bool = True,
             fonds: list[str] | None = None) -> tuple[str, Document]:
    """The full id and the Document of ``doc_id`` (or a unique prefix), corrections applied;
    ``KeyError`` when the reader may not see it (or it is quarantined: classified)."""
    row = readable_row(conn, doc_id, include_restricted, fonds)
    if row["state"] != "active":
        raise KeyError(doc_id)
    return row["id"], row_document(conn, row)[0]


def excerpts(storage: Any, query: str, year: int | str | None, limit: int,
             include_restricted: bool, fonds: list[str] | None) -> dict[str, Any]:
    """As ``pipeline.excerpts.excerpts.excerpts``, over the database."""
    from pipeline.index.query import parse
    from pipeline.text.synonyms import table as synonym_table

    found = storage.search(query, limit=max(CANDIDATES, 2 * limit), year=year,
                           include_restricted=include_restricted, fonds=fonds)
    if not found["hits"]:
        return {"passages": []}
    tree, _parsed = parse(query, synonym_table(storage.home.root))
    terms = query_terms(tree)
    pairs = [("body_bg", text[i:i + 2]) for field, text, _ in terms if field == "phrase"
             for i in range(len(text) - 1)]
    pairs += [(field, text) for field, text, _ in terms if field != "phrase"]
    weights = term_weights(load_stats(storage.conn, pairs), terms)
    return passages_of(found["hits"], weights,
                       lambda doc_id: document(storage.conn, doc_id, include_restricted, fonds)[1], limit)
