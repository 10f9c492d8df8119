"""A vectorised evaluator for the queries ``pipeline.index.query`` builds, over Whoosh's postings.

Whoosh stays the storage (segments, deletions, stored fields, columns, writer). What it does in a
pure-Python matcher loop per posting — BM25F scoring of every posting of every sub-query, because
the contract needs the exact total and facet counts — is done here with numpy on whole posting
arrays: a term's postings are read block by block from each segment into arrays (kept in an LRU
by byte size, as a server keeps frequent terms hot), scored exactly as ``whoosh.scoring.BM25F``
scores them, and combined (And = intersection, Or = union, AndMaybe, AndNot) with the scores
summed as Whoosh's matchers sum them. Phrases are verified with positions on the documents where
all their bigrams meet. Total, facets (``np.bincount`` over per-searcher facet codes) and the
top of the ranking follow from the arrays.

A segment with a postings sidecar (``pipeline.index.sidecar``) is read from it instead of from
Whoosh's blocks — the same numbers as flat arrays, positions included — which makes a term that
is not cached yet cheap; a segment without one is read from the blocks as before.

A query node this module does not know raises ``Unsupported``; the caller then runs Whoosh, so
an answer is never wrong, only slower. ``GONGWEN_SEARCH_ENGINE=whoosh`` forces the Whoosh path.
"""

from __future__ import annotations

import os
import pickle
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain
from math import log
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from pipeline.index import sidecar

CACHE_MB = float(os.environ.get("GONGWEN_POSTINGS_CACHE_MB", "512"))
# Or-children above this share of the collection are summed densely (bincount) instead of sorted.
DENSE_SHARE = 0.05
# Two sets each above 1/DIRECT_JOIN of the collection are joined by direct addressing.
DIRECT_JOIN = 16
# A phrase term is decoded whole (positions as one array) once this share of its postings is needed.
FULL_DECODE_SHARE = 0.1

_LENGTH_TABLE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query node the evaluator does not handle: use Whoosh."""


# What reading a segment that a concurrent commit is replacing can raise here: the caller falls
# back to Whoosh, whose own errors the search's retry loop knows.
READ_ERRORS = (zlib.error, pickle.UnpicklingError, EOFError, ValueError)


def enabled() -> bool:
    return os.environ.get("GONGWEN_SEARCH_ENGINE", "numpy").lower() != "whoosh"


@dataclass
class Matches:
    """Matching documents (sorted, unique global document numbers) and their scores."""

    docs: np.ndarray
    scores: np.ndarray
    index: np.ndarray | None = None  # per collection document: its place in docs, or -1

    @classmethod
    def empty(cls) -> Matches:
        return cls(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.scores.nbytes


@dataclass
class Block:
    """Where a block of postings lies: its first posting's index in the term's arrays and its
    values — inline (a term in one document) or where they are in the postings file."""

    start: int
    count: int
    inline: tuple | None = None
    place: tuple | None = None  # (postfile, data offset, data length, compressed)

    def values(self) -> tuple:
        if self.inline is not None:
            return self.inline
        postfile, offset, length, compressed = self.place
        raw = postfile.get(offset, length)
        return pickle.loads(zlib.decompress(raw) if compressed else raw)[2]


@dataclass
class Postings:
    """One term's postings over every segment: documents, unboosted scores, and the blocks
    they came from (for positions, read only in blocks where a phrase needs them)."""

    docs: np.ndarray
    scores: np.ndarray
    blocks: list[Block] = field(default_factory=list)
    index: np.ndarray | None = None  # for long lists: each document's place in docs, or -1
    # segments read from a sidecar: (leaf, sidecar, field, term bytes, first posting), whose
    # positions come from the sidecar too, or else from blocks located when a phrase needs them
    pending: list[tuple[Any, Any, str, bytes, int]] = field(default_factory=list)
    _starts: np.ndarray | None = None
    _values: dict[int, tuple] = field(default_factory=dict)
    _decoded: dict[int, list[int]] = field(default_factory=dict)
    _flat: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def nbytes(self) -> int:
        flat = sum(a.nbytes for a in self._flat) if self._flat else 0
        flat += self.index.nbytes if self.index is not None else 0
        return (self.docs.nbytes + self.scores.nbytes + 64 * len(self.blocks)
                + 200 * len(self._decoded) + flat)

    def _locate_blocks(self) -> None:
        """The blocks of the segments read from sidecars (block headers only), in order."""
        if not self.pending:
            return
        for leaf, _side, field_name, tbytes, start in self.pending:
            matcher = _leaf_matcher(leaf, field_name, tbytes)
            if matcher is None:
                raise ValueError(f"term {field_name}:{tbytes!r} gone from its segment")
            self.blocks.extend(Block(b.start + start, b.count, b.inline, b.place)
                               for b in _block_places(matcher))
        self.blocks.sort(key=lambda b: b.start)
        self.pending = []

    def mapped_positions(self) -> bool:
        """Whether every segment's positions of the term are in a sidecar."""
        return not self.blocks and all(side.has_positions(f) for _, side, f, _, _ in self.pending)

    def all_positions(self, decode: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every posting's positions at once: (positions, first index, count) per posting."""
        if self._flat is None and self.pending and self.mapped_positions():
            parts = [side.positions(f, tbytes) for _, side, f, tbytes, _ in self.pending]
            if all(part is not None for part in parts):
                flat = np.concatenate([part[0] for part in parts])
                counts = np.concatenate([part[1] for part in parts])
                self._flat = (flat, np.cumsum(counts) - counts, counts)
        if self._flat is None:
            self._locate_blocks()
            lists: list[list[int]] = []
            for number, block in enumerate(self.blocks):
                values = self._values.pop(number, None) or block.values()
                for offset, value in enumerate(values):
                    known = self._decoded.get(block.start + offset)
                    lists.append(known if known is not None else decode(value))
            counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
            flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
            self._flat = (flat, np.cumsum(counts) - counts, counts)
            self._values.clear()
            self._decoded.clear()
        return self._flat

    def positions(self, where: np.ndarray, decode: Any) -> list[list[int]]:
        """Positions of the postings at ``where``, decoded once and kept."""
        if self._starts is None:
            self._locate_blocks()
            self._starts = np.array([b.start for b in self.blocks], dtype=np.int64)
        decoded, found = self._decoded, []
        block_of = np.searchsorted(self._starts, where, side="right") - 1
        for i, b in zip(where.tolist(), block_of.tolist()):
            positions = decoded.get(i)
            if positions is None:
                values = self._values.get(b)
                if values is None:
                    values = self._values[b] = self.blocks[b].values()
                positions = decoded[i] = decode(values[i - self.blocks[b].start])
            found.append(positions)
        return found


@dataclass
class Ranked:
    top: list[tuple[float, int]]  # (score, docnum), best first (or newest first by date)
    total: int
    facets: dict[str, dict[str, int]]


class Engine:
    """Per-searcher state: a searcher sees a fixed set of segments, so lengths, deletions and
    facet codes are read once; decoded postings live in an LRU bounded by bytes."""

    def __init__(self, searcher: Searcher, facet_columns: tuple[tuple[str, str], ...]):
        weighting = searcher.weighting
        if type(weighting) is not scoring.BM25F:
            raise Unsupported("weighting")
        self.searcher = searcher
        self.reader = searcher.reader()
        self.leaves = list(self.reader.leaf_readers())
        self.size = self.reader.doc_count_all()
        self.weighting = weighting
        self.facet_columns = facet_columns
        self.live = self._live_mask()
        use = sidecar.enabled()
        self.sidecars = [sidecar.for_leaf(leaf) if use else None for leaf, _ in self.leaves]
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, np.ndarray] = {}
        self._facets: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._date_rank: np.ndarray | None = None
        self._cache: OrderedDict[tuple[str, str, bool], Postings] = OrderedDict()
        self._cache_bytes = 0
        self._lock = threading.Lock()

    # --- per-searcher arrays ---------------------------------------------------------------
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

    # --- postings ----------------------------------------------------------------------------
    def postings(self, field: str, text: str) -> Postings:
        key = (field, text)
        found = self._cached(key)
        if found is None:
            found = self._read_postings(field, text)
            self._store(key, found)
        return found

    def _cached(self, key: tuple) -> Any:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _store(self, key: tuple, value: Any) -> None:
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = value
            self._cache_bytes += value.nbytes
            while self._cache_bytes > CACHE_MB * 1e6 and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                self._cache_bytes -= dropped.nbytes

    def _read_postings(self, field: str, text: str) -> Postings:
        schema_field = self.searcher.schema[field]
        try:
            tbytes = schema_field.to_bytes(text)
        except ValueError:
            return Postings(np.empty(0, np.int32), np.empty(0, np.float64))
        docs, weights, blocks, pending = [], [], [], []
        count = 0
        for (leaf, offset), side in zip(self.leaves, self.sidecars):
            if side is not None:  # two slices of a memory map; blocks located if needed
                found = side.postings(field, tbytes)
                if found is None:
                    continue
                ids, ws = found
                pending.append((leaf, side, field, tbytes, count))
            else:
                matcher = _leaf_matcher(leaf, field, tbytes)
                if matcher is None:
                    continue
                ids, ws, segment_blocks = _read_matcher(matcher)
                blocks.extend(Block(b.start + count, b.count, b.inline, b.place)
                              for b in segment_blocks)
            docs.append(ids + offset)
            weights.append(ws)
            count += len(ids)
        if not docs:
            return Postings(np.empty(0, np.int32), np.empty(0, np.float64))
        all_docs = np.concatenate(docs).astype(np.int32)
        all_weights = np.concatenate(weights)
        index = None
        if len(all_docs) * DIRECT_JOIN > self.size:  # joined often: keep a direct map
            index = np.full(self.size, -1, dtype=np.int32)
            index[all_docs] = np.arange(len(all_docs), dtype=np.int32)
        return Postings(all_docs, self._score(field, all_docs, all_weights), blocks, index, pending)

    def _score(self, field: str, docs: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """BM25F as ``whoosh.scoring.BM25FScorer`` computes it (same operations, same order).
        The document frequency Whoosh's idf reads from the term infos is the number of postings
        over every segment (deleted documents included), which is ``len(docs)`` here."""
        if not self.searcher.schema[field].scorable:
            return weights  # WeightScorer: the score is the weight
        idf = log(self.size / (len(docs) + 1)) + 1
        avgfl = self.searcher.avg_field_length(field) or 1
        w = self.weighting
        B = w._field_B.get(field, w.B)
        K1 = w.K1
        fl = self.lengths(field)[docs]
        return idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))

    # --- evaluation --------------------------------------------------------------------------
    def evaluate(self, query: Q.Query, within: np.ndarray | None = None) -> Matches:
        """The documents matching ``query`` with Whoosh's scores. ``within`` (sorted document
        numbers) says which documents the caller will look at: phrases are verified there only,
        so the result may lack documents outside it."""
        if query is Q.NullQuery or isinstance(query, Q.NullQuery.__class__):
            return Matches.empty()
        kind = type(query)
        if kind is Q.Term:
            return self._term(query)
        if kind is Q.Phrase:
            return self._phrase(query, within)
        if kind is Q.Prefix:
            return self._prefix(query)
        if kind in (Q.And, Q.Or):
            return self._compound(query, within)
        if kind is Q.AndMaybe:
            return self._and_maybe(query, within)
        if kind is Q.AndNot:
            return self._and_not(query, within)
        raise Unsupported(kind.__name__)

    def _term(self, query: Q.Term) -> Matches:
        if query.minquality:
            raise Unsupported("minquality")
        if query.fieldname not in self.searcher.schema:
            return Matches.empty()
        postings = self.postings(query.fieldname, query.text)
        scores = postings.scores * query.boost if query.boost != 1.0 else postings.scores
        return Matches(postings.docs, scores, postings.index)

    def _compound(self, query: Q.CompoundQuery, within: np.ndarray | None) -> Matches:
        subs = query.subqueries
        if not subs:
            return Matches.empty()
        if isinstance(query, Q.Or) and (query.minmatch or query.scale):
            raise Unsupported("Or options")
        if len(subs) == 1:  # Whoosh ignores the compound's boost here too
            return self.evaluate(subs[0], within)
        if isinstance(query, Q.And):
            result = self._intersection(subs, within)
        else:
            result = self._union([self.evaluate(q, within) for q in subs])
        if query.boost != 1.0:
            result = Matches(result.docs, result.scores * query.boost)
        return result

    def _intersection(self, subs: list[Q.Query], within: np.ndarray | None) -> Matches:
        """Phrases last, verified only where everything else met (the child with the fewest
        phrase terms goes first when every child has phrases)."""
        first = [q for q in subs if not _phrase_terms(q)]
        last = sorted((q for q in subs if _phrase_terms(q)), key=_phrase_terms)
        if not first:
            first, last = last[:1], last[1:]
        result = _intersect_all([self.evaluate(q, within) for q in first], self.size)
        for sub in last:
            if not len(result.docs):
                break
            result = _intersect_all([result, self.evaluate(sub, result.docs)], self.size)
        return result

    def _union(self, children: list[Matches]) -> Matches:
        children = [c for c in children if len(c.docs)]
        if not children:
            return Matches.empty()
        if len(children) == 1:
            return children[0]
        docs = np.concatenate([c.docs for c in children])
        scores = np.concatenate([c.scores for c in children])
        if len(docs) > DENSE_SHARE * self.size:
            present = np.bincount(docs, minlength=self.size)
            summed = np.bincount(docs, weights=scores, minlength=self.size)
            found = np.flatnonzero(present)
            return Matches(found, summed[found])
        found, inverse = np.unique(docs, return_inverse=True)
        return Matches(found, np.bincount(inverse, weights=scores, minlength=len(found)))

    def _and_maybe(self, query: Q.AndMaybe, within: np.ndarray | None) -> Matches:
        if query.boost != 1.0:
            raise Unsupported("boosted AndMaybe")
        required = self.evaluate(query.a, within)
        if not len(required.docs):
            return required
        optional = self.evaluate(query.b, required.docs)
        present, extra = _join(optional, required.docs, self.size)
        scores = required.scores.copy()
        scores[present] += extra
        return Matches(required.docs, scores)

    def _and_not(self, query: Q.AndNot, within: np.ndarray | None) -> Matches:
        if query.boost != 1.0:
            raise Unsupported("boosted AndNot")
        positive = self.evaluate(query.a, within)
        if not len(positive.docs):
            return positive
        excluded = self.evaluate(query.b, positive.docs)
        present, _ = _join(excluded, positive.docs, self.size)
        keep = ~present
        return Matches(positive.docs[keep], positive.scores[keep])

    def _phrase(self, query: Q.Phrase, within: np.ndarray | None) -> Matches:
        field = query.fieldname
        if field not in self.searcher.schema:
            return Matches.empty()
        schema_field = self.searcher.schema[field]
        if not schema_field.format or not schema_field.format.supports("positions"):
            raise Unsupported("phrase without positions")
        if query.slop != 1 or not query.words:
            raise Unsupported("phrase slop")
        postings = [self.postings(field, word) for word in query.words]
        grams = [Matches(p.docs, p.scores, p.index) for p in postings]
        if within is not None:  # the documents the caller looks at, usually the smallest set
            grams.append(Matches(within, np.zeros(len(within))))
        candidates = _intersect_all(grams, self.size)
        if not len(candidates.docs):
            return candidates
        keep = _in_sequence(postings, candidates.docs, schema_field.format.decode_positions)
        scores = candidates.scores[keep]
        if query.boost != 1.0:
            scores = scores * query.boost
        return Matches(candidates.docs[keep], scores)

    def _prefix(self, query: Q.Prefix) -> Matches:
        """Whoosh expands a prefix per segment: one term scores as a boosted term; several are
        an Or whose matcher depends on the segment — a union of boosted terms (``DefaultOr``) or,
        for 3+ terms in a segment of at most 5,000 documents, an unscored array union that
        scores every match 1 (``PreloadedOr``)."""
        field = query.fieldname
        if field not in self.searcher.schema:
            return Matches.empty()
        key = ("prefix", field, query.text, query.boost)
        found = self._cached(key)
        if found is not None:
            return found
        parts: list[Matches] = []
        for leaf, offset in self.leaves:
            texts = [_text(t) for t in leaf.expand_prefix(field, query.text) if t]
            if not texts:
                continue
            end = offset + leaf.doc_count_all()
            terms = []
            for text in texts:
                postings = self.postings(field, text)
                lo, hi = np.searchsorted(postings.docs, [offset, end])
                terms.append(Matches(postings.docs[lo:hi], postings.scores[lo:hi] * query.boost))
            array_union = len(texts) >= Q.Or.TOO_MANY_CLAUSES or (
                len(texts) > 2 and leaf.doc_count_all() <= 5000)
            union = self._union(terms)
            if array_union:
                union = Matches(union.docs, np.ones(len(union.docs)))
            parts.append(union)
        found = Matches(np.concatenate([p.docs for p in parts]), np.concatenate([p.scores for p in parts])) \
            if parts else Matches.empty()
        self._store(key, found)
        return found

    # --- filters ---------------------------------------------------------------------------
    def filter_mask(self, query: Q.Query) -> np.ndarray:
        """The documents a filter query lets through (scores do not matter)."""
        kind = type(query)
        if kind is Q.TermRange:
            if getattr(self.searcher.schema[query.fieldname], "column_type", None) is None:
                raise Unsupported("range over a field without a column")
            values = self.column(query.fieldname)
            mask = values != ""
            if query.start is not None:
                mask &= (values > query.start) if query.startexcl else (values >= query.start)
            if query.end is not None:
                mask &= (values < query.end) if query.endexcl else (values <= query.end)
            return mask.astype(bool)
        if kind is Q.And and query.subqueries:
            mask = np.ones(self.size, dtype=bool)
            for sub in query.subqueries:
                mask &= self.filter_mask(sub)
            return mask
        if kind is Q.Or:
            mask = np.zeros(self.size, dtype=bool)
            for sub in query.subqueries:
                mask |= self.filter_mask(sub)
            return mask
        mask = np.zeros(self.size, dtype=bool)
        mask[self.evaluate(query).docs] = True
        return mask

    # --- the search -------------------------------------------------------------------------
    def run(self, query: Q.Query, doc_filter: Q.Query | None, pool: int, by_date: bool) -> Ranked:
        """The top ``pool`` (score, docnum) pairs in Whoosh's order, the total and the facets."""
        found = self.evaluate(query)
        keep = self.live[found.docs]
        if doc_filter is not None:
            keep &= self.filter_mask(doc_filter)[found.docs]
        docs, scores = found.docs[keep], found.scores[keep]
        top = self._top_by_date(docs, pool) if by_date else _top_by_score(docs, scores, pool)
        return Ranked(top, len(docs), self._facet_counts(docs))

    def _top_by_date(self, docs: np.ndarray, pool: int) -> list[tuple[float, int]]:
        # Whoosh sorts (date, docnum) pairs in reverse: newest first, then higher docnum first.
        rank = self.date_rank()[docs]
        order = np.lexsort((-docs, -rank))[:pool]
        return [(0.0, int(docs[i])) for i in order]

    def date_rank(self) -> np.ndarray:
        """Each document's rank among the distinct dates ("" lowest)."""
        if self._date_rank is None:
            _, inverse = np.unique(self.column("date").astype(str), return_inverse=True)
            self._date_rank = inverse.astype(np.int64)
        return self._date_rank

    def _facet_counts(self, docs: np.ndarray) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for name, column in self.facet_columns:
            names, first, extra_docs, extra_codes = self.facet_codes(column)
            codes = first[docs]
            counts = np.bincount(codes[codes >= 0], minlength=len(names))
            if len(extra_docs):
                _, present = _lookup(docs, extra_docs)
                counts += np.bincount(extra_codes[present], minlength=len(names))
            nonzero = np.flatnonzero(counts)
            pairs = sorted(((names[i], int(counts[i])) for i in nonzero), key=lambda kv: (-kv[1], kv[0]))
            facets[name] = dict(pairs)
        return facets


# --- helpers ----------------------------------------------------------------------------------
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
    return [_text(v) for v in leaf.column_reader(name, translate=True)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _leaf_matcher(leaf: Any, field: str, tbytes: bytes) -> Any:
    """The segment's raw postings matcher for a term (deletions are masked later), or None.
    One term-index lookup instead of Whoosh's two (``in`` then ``postings``)."""
    terms = getattr(leaf, "_terms", None)
    if terms is None or not hasattr(terms, "matcher"):
        if (field, tbytes) not in leaf:
            return None
        matcher = leaf.postings(field, tbytes)
        while isinstance(matcher, FilterMatcher):
            matcher = matcher.child
        return matcher
    try:
        return terms.matcher(field, tbytes, leaf.schema[field].format)
    except TermNotFound:
        return None


def _read_matcher(matcher: Any) -> tuple[np.ndarray, np.ndarray, list[Block]]:
    """Every posting of one segment's matcher: ids, weights and where the values are."""
    if type(matcher) is not W3LeafMatcher:  # inlined postings (a term in one document)
        ids, weights, values = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
        return (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64),
                [Block(0, len(ids), inline=tuple(values))])
    deltas: list[int] = []
    weights: list[float] = []
    lengths: list[int] = []
    blocks: list[Block] = []
    while True:
        # Block by block through Whoosh's own block headers: each block's pickled ids and
        # weights (its values are read only where a phrase needs positions)
        count = matcher._blocklength
        blocks.append(_block_here(matcher, len(deltas)))
        raw_ids, raw_weights = _ids_and_weights(matcher, count)
        deltas.extend(raw_ids)
        lengths.append(count)
        if raw_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(raw_weights, float):  # Whoosh reads a constant weight as a float32
            weights.extend([float(np.float32(raw_weights))] * count)
        else:
            weights.extend(raw_weights)
        if matcher._lastblock:
            break
        matcher._goto(matcher._nextoffset)
    ids = np.array(deltas, dtype=np.int64)
    if not matcher._byteids:
        # each block's ids are deltas from 0: a running sum, restarted at every block
        sums = np.cumsum(ids)
        ends = np.cumsum(lengths)
        restart = np.concatenate(([0], sums[ends[:-1] - 1]))
        ids = sums - np.repeat(restart, lengths)
    return ids, np.array(weights, dtype=np.float64), blocks


def _block_places(matcher: Any) -> list[Block]:
    """Where each block of a segment's matcher lies, from the block headers alone."""
    if type(matcher) is not W3LeafMatcher:
        return _read_matcher(matcher)[2]
    blocks: list[Block] = []
    count = 0
    while True:
        blocks.append(_block_here(matcher, count))
        count += matcher._blocklength
        if matcher._lastblock:
            return blocks
        matcher._goto(matcher._nextoffset)


def _block_here(matcher: W3LeafMatcher, start: int) -> Block:
    """The block ``matcher`` stands on, its first posting the term's ``start``-th: where its
    bytes lie, to be read only if a phrase needs its values."""
    return Block(start, matcher._blocklength, place=(
        matcher._postfile, matcher._dataoffset, matcher._nextoffset - matcher._dataoffset,
        bool(matcher._compression)))


def read_segment_postings(leaf: Any, field: str, tbytes: bytes, info: Any = None,
                          values: bool = False) -> tuple[np.ndarray, np.ndarray, list | None]:
    """One segment's postings of a term from Whoosh's blocks: (document numbers, weights, and
    with ``values`` each posting's value bytes). ``info``: the term's info when known."""
    if info is None:
        matcher = _leaf_matcher(leaf, field, tbytes)
    else:
        terms = leaf._terms
        matcher = terms._codec.postings_reader(terms._postfile, info, leaf.schema[field].format,
                                               term=(field, tbytes))
    if matcher is None:
        return np.empty(0, np.int64), np.empty(0, np.float64), [] if values else None
    ids, weights, blocks = _read_matcher(matcher)
    return ids, weights, list(chain.from_iterable(b.values() for b in blocks)) if values else None


_VALUES_START = b"c_codecs\nencode\n"  # protocol-2 pickles of bytes begin with this global


def _ids_and_weights(matcher: W3LeafMatcher, count: int) -> tuple[Any, Any]:
    """A block's ids and weights without unpickling its values.

    Whoosh pickles a block as ``(ids, weights, values)`` with protocol 2, which writes each
    value (bytes: encoded positions or frequencies) as a call of ``_codecs.encode``; unpickling
    those calls costs most of a block's read. The values start at the first reference to that
    global, so the stream is cut there and closed as a 2-tuple. Anything unexpected: the whole
    block is unpickled as Whoosh does."""
    stored = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    raw = _inflate_head(stored) if matcher._compression else stored
    cut = raw.find(_VALUES_START)
    if cut > 2:
        head = raw[:cut - 1] if raw[cut - 1:cut] == b"(" else raw[:cut]
        found = _loads_or_none(head + b"\x86.")  # TUPLE2, STOP
        if isinstance(found, tuple) and len(found) == 2 and _block_shape_ok(*found, count):
            return found
    whole = zlib.decompress(stored) if matcher._compression else stored
    ids, weights, _ = pickle.loads(whole)
    return ids, weights


def _inflate_head(compressed: bytes, step: int = 2048) -> bytes:
    """Decompress a block only as far as its values (ids and weights come first): inflating
    the positions that follow them cost most of a block's read."""
    inflater = zlib.decompressobj()
    out = inflater.decompress(compressed, step)
    while _VALUES_START not in out and not inflater.eof and inflater.unconsumed_tail:
        out += inflater.decompress(inflater.unconsumed_tail, step)
    if _VALUES_START not in out and not inflater.eof:
        out += inflater.flush()
    return out


def _loads_or_none(data: bytes) -> Any:
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - any surprise: the caller reads the block Whoosh's way
        return None


def _block_shape_ok(ids: Any, weights: Any, count: int) -> bool:
    if not isinstance(ids, tuple) or len(ids) != count:
        return False
    return weights is None or isinstance(weights, float) or (
        isinstance(weights, tuple) and len(weights) == count)


def _lookup(haystack: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each needle in the sorted ``haystack`` and whether it is there."""
    if not len(haystack):
        return np.zeros(len(needles), dtype=np.int64), np.zeros(len(needles), dtype=bool)
    where = np.searchsorted(haystack, needles)
    clipped = np.minimum(where, len(haystack) - 1)
    return clipped, haystack[clipped] == needles


def _join(child: Matches, docs: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Which of ``docs`` (sorted) ``child`` matches, and its scores there. Two large sets are
    joined by direct addressing over the collection, small ones by binary search."""
    if child.index is not None:  # a long posting list's map: one gather
        where = child.index[docs]
        present = where >= 0
        return present, child.scores[where[present]]
    if len(child.docs) * DIRECT_JOIN > size and len(docs) * DIRECT_JOIN > size:
        mask = np.zeros(size, dtype=bool)
        mask[child.docs] = True
        dense = np.zeros(size, dtype=np.float64)
        dense[child.docs] = child.scores
        present = mask[docs]
        return present, dense[docs[present]]
    where, present = _lookup(child.docs, docs)
    return present, child.scores[where[present]]


def _intersect_all(children: list[Matches], size: int) -> Matches:
    """Documents in every child, scores summed."""
    if any(not len(c.docs) for c in children):
        return Matches.empty()
    ordered = sorted(children, key=lambda c: len(c.docs))
    docs, scores = ordered[0].docs, ordered[0].scores.copy()
    for child in ordered[1:]:
        present, extra = _join(child, docs, size)
        docs, scores = docs[present], scores[present] + extra
        if not len(docs):
            return Matches.empty()
    return Matches(docs, scores)


def _in_sequence(postings: list[Postings], docs: np.ndarray, decode: Any) -> np.ndarray:
    """For each document, whether the phrase's terms occur at consecutive positions p, p+1, …
    (what Whoosh's ``SpanNear2(slop=1, ordered=True, mindist=1)`` accepts).

    Each (document, start position) becomes one integer key; a term's keys are sorted (documents
    ascending, positions ascending within a posting), so each further term keeps the keys it
    shares by binary search."""
    count = len(docs)
    stride = 1 << 32
    keys = None
    for i, p in enumerate(postings):
        flat, lengths = _positions_of(p, np.searchsorted(p.docs, docs), decode)
        owner = np.repeat(np.arange(count, dtype=np.int64), lengths)
        # a start position p is shared by term i at p + i; shift by len(postings) to stay >= 0
        term_keys = owner * stride + (flat - i + len(postings))
        keys = term_keys if keys is None else keys[_lookup(term_keys, keys)[1]]
        if not len(keys):
            break
    keep = np.zeros(count, dtype=bool)
    keep[keys // stride] = True
    return keep


def _positions_of(p: Postings, where: np.ndarray, decode: Any) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the postings at ``where`` (concatenated) and how many each has. A term
    most of whose postings are wanted is decoded whole once (then gathered with numpy); else
    only the wanted postings are decoded."""
    if (p._flat is not None or FULL_DECODE_SHARE * len(p.docs) <= len(where)
            or p.mapped_positions()):  # in a sidecar: the whole term is two slices
        flat, starts, counts = p.all_positions(decode)
        lengths = counts[where]
        first = np.repeat(starts[where] - (np.cumsum(lengths) - lengths), lengths)
        return flat[first + np.arange(int(lengths.sum()))], lengths
    lists = p.positions(where, decode)
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    return np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(lengths.sum())), lengths


def _phrase_terms(query: Q.Query) -> int:
    """How many phrase terms ``query`` holds (what its phrases cost to verify)."""
    if isinstance(query, Q.Phrase):
        return len(query.words)
    return 0 if query.is_leaf() else sum(_phrase_terms(q) for q in query.children())


def _top_by_score(docs: np.ndarray, scores: np.ndarray, pool: int) -> list[tuple[float, int]]:
    """Best score first, ties by lower document number (Whoosh's collector order)."""
    if len(docs) > pool:
        kth = np.partition(-scores, pool - 1)[pool - 1]
        candidates = np.flatnonzero(-scores <= kth)
        docs, scores = docs[candidates], scores[candidates]
    order = np.lexsort((docs, -scores))[:pool]
    return [(float(scores[i]), int(docs[i])) for i in order]


def engine_for(searcher: Searcher, facet_columns: tuple[tuple[str, str], ...]) -> Engine:
    """The engine cached on ``searcher`` (created on first use)."""
    found = searcher.__dict__.get("_gongwen_engine")
    if found is None:
        found = searcher.__dict__["_gongwen_engine"] = Engine(searcher, facet_columns)
    return found
