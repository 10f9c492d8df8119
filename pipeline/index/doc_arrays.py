"""Per-searcher arrays indexed by global document number: what the evaluator reads once.

A searcher sees a fixed set of segments, so its deletions (the live mask), each scored field's
lengths (as Whoosh's BM25F decodes them), the sortable columns, the facet codes and the date
order are read once into arrays, in one piece per segment (Whoosh's readers fetch values
document by document). Facet counts of a set of documents follow with ``np.bincount``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from pipeline.index.matches import lookup

_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class DocArrays:
    """A searcher's segments, deletions, field lengths, columns and facet codes as arrays."""

    def __init__(self, searcher: Searcher, facet_columns: tuple[tuple[str, str], ...]):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.size = self.reader.doc_count_all()
        self.facet_columns = facet_columns
        self.live = self._live_mask()
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._date_rank: np.ndarray | None = None

    def _live_mask(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            if leaf.has_deletions():
                deleted = np.fromiter(leaf.deleted_docs_set, dtype=np.int64)
                live[deleted + offset] = False
        return live

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length of ``field`` as Whoosh decodes it (one byte per document)."""
        found = self._lengths.get(field)
        if found is None:
            codes = np.zeros(self.size, dtype=np.uint8)
            for leaf, offset in self.leaves:
                perdoc = leaf._perdoc  # the length column Whoosh's scorer reads
                column = f"_{field}_len"
                if perdoc.has_column(column):
                    raw = _byte_column(perdoc.column_reader(column, LENGTHS_COLUMN))
                    codes[offset:offset + len(raw)] = raw
            found = self._lengths[field] = _LENGTH_TABLE[codes]
        return found

    def column(self, name: str) -> np.ndarray:
        """A sortable column's values (str, "" when absent) for every document."""
        found = self._columns.get(name)
        if found is None:
            values: list[str] = []
            for leaf, _offset in self.leaves:
                count = leaf.doc_count_all()
                part = _text_column(leaf, name) if leaf.has_column(name) else []
                values.extend(part[:count])
                values.extend("" for _ in range(count - len(part)))
            found = self._columns[name] = np.array(values, dtype=object)
        return found

    def facet_codes(self, column: str) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(names, each document's first value code or -1, then the documents and codes of
        the further values of joint documents); values split at "|"."""
        found = self._facets.get(column)
        if found is None:
            distinct, inverse = np.unique(self.column(column).astype(str), return_inverse=True)
            names: dict[str, int] = {}
            first = np.full(len(distinct), -1, dtype=np.int64)
            more: list[tuple[int, int]] = []  # (distinct value, code) of second and later parts
            for u, value in enumerate(distinct.tolist()):
                parts = [names.setdefault(p, len(names)) for p in value.split("|") if p]
                if parts:
                    first[u] = parts[0]
                    more.extend((u, code) for code in parts[1:])
            order = np.argsort(inverse, kind="stable")  # documents grouped by distinct value
            bounds = np.concatenate(([0], np.cumsum(np.bincount(inverse, minlength=len(distinct)))))
            extra_docs, extra_codes = [], []
            for u, code in more:
                holders = np.sort(order[bounds[u]:bounds[u + 1]])
                extra_docs.append(holders)
                extra_codes.append(np.full(len(holders), code, dtype=np.int64))
            found = (list(names), first[inverse],
                     np.concatenate(extra_docs) if extra_docs else np.empty(0, np.int64),
                     np.concatenate(extra_codes) if extra_codes else np.empty(0, np.int64))
            self._facets[column] = found
        return found

    def date_rank(self) -> np.ndarray:
        """Each document's rank among the distinct dates ("" lowest)."""
        if self._date_rank is None:
            _, inverse = np.unique(self.column("date").astype(str), return_inverse=True)
            self._date_rank = inverse.astype(np.int64)
        return self._date_rank

    def facet_counts(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        """Per facet, how many of ``docs`` hold each value: most first, ties by value."""
        facets: dict[str, dict[str, int]] = {}
        for name, column in self.facet_columns:
            names, first, extra_docs, extra_codes = self.facet_codes(column)
            codes = first[docs]
            counts = np.bincount(codes[codes >= 0], minlength=len(names))
            if len(extra_docs):
                _, present = lookup(docs, extra_docs)
                counts += np.bincount(extra_codes[present], minlength=len(names))
            nonzero = np.flatnonzero(counts)
            pairs = sorted(((names[i], int(counts[i])) for i in nonzero), key=lambda kv: (-kv[1], kv[0]))
            facets[name] = dict(pairs)
        return facets


def _byte_column(reader: Any) -> np.ndarray:
    """A one-byte numeric column (field lengths) as an array, read in one piece."""
    if isinstance(reader, NumericColumn.Reader) and reader._typecode == "B":
        stored = reader._count
        raw = np.frombuffer(reader._dbfile.get(reader._basepos, stored), dtype=np.uint8) \
            if stored else np.empty(0, np.uint8)
        padded = np.zeros(reader._doccount, dtype=np.uint8)  # default 0 past the written part
        padded[:min(stored, reader._doccount)] = raw[:reader._doccount]
        return padded
    return np.array(list(reader), dtype=np.uint8)


def _text_column(leaf: Any, name: str) -> list[str]:
    """A variable-bytes column's values as text, read in one piece (Whoosh's reader fetches
    each document's value separately)."""
    reader = leaf.column_reader(name, translate=False)
    if isinstance(reader, VarBytesColumn.Reader):
        lengths = np.asarray(reader._lengths, dtype=np.int64)
        ends = np.cumsum(lengths)
        total = int(ends[-1]) if len(ends) else 0
        raw = reader._dbfile.get(reader._basepos, total) if total else b""
        starts = ends - lengths
        return [raw[a:b].decode("utf-8") for a, b in zip(starts.tolist(), ends.tolist())]
    return [as_text(v) for v in leaf.column_reader(name, translate=True)]


def as_text(value: Any) -> str:
    """A column value or term as text ("" for none)."""
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
