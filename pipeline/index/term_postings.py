"""A term's postings over every segment of a searcher: read, scored as BM25F, cached.

A term's postings are read from each segment's sidecar (``pipeline.index.sidecar``: flat arrays,
positions included) or, for a segment without one, from Whoosh's blocks
(``pipeline.index.segment_postings``), into one array of global document numbers; their scores
are computed exactly as ``whoosh.scoring.BM25F`` computes them. ``Postings`` are kept in an LRU
bounded by byte size, as a server keeps frequent terms hot. Positions are read only when a
phrase needs them — from the sidecar, or from the blocks located then — and ``in_sequence``
checks a phrase's terms at consecutive positions.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import chain
from math import log
from typing import Any

import numpy as np
from whoosh.searching import Searcher

from pipeline.index import matches, sidecar
from pipeline.index.doc_arrays import DocArrays
from pipeline.index.segment_postings import Block, block_places, leaf_matcher, read_matcher

CACHE_MB = float(os.environ.get("GONGWEN_POSTINGS_CACHE_MB", "512"))
# A phrase term is decoded whole (positions as one array) once this share of its postings is needed.
FULL_DECODE_SHARE = 0.1


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
            matcher = leaf_matcher(leaf, field_name, tbytes)
            if matcher is None:
                raise ValueError(f"term {field_name}:{tbytes!r} gone from its segment")
            self.blocks.extend(Block(b.start + start, b.count, b.inline, b.place)
                               for b in block_places(matcher))
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


class PostingsReader(DocArrays):
    """A searcher's term postings: decoded once, scored, kept in an LRU bounded by bytes."""

    def __init__(self, searcher: Searcher, facet_columns: tuple[tuple[str, str], ...]):
        super().__init__(searcher, facet_columns)
        self.weighting = searcher.weighting
        use = sidecar.enabled()
        self.sidecars = [sidecar.for_leaf(leaf) if use else None for leaf, _ in self.leaves]
        self._cache: OrderedDict[tuple[str, str, bool], Postings] = OrderedDict()
        self._cache_bytes = 0
        self.cache_mb: float | None = None  # None: CACHE_MB (a spare searcher's is smaller:
        # pipeline.index.searchers)
        self._lock = threading.Lock()

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
            limit = (CACHE_MB if self.cache_mb is None else self.cache_mb) * 1e6
            while self._cache_bytes > limit and len(self._cache) > 1:
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
                matcher = leaf_matcher(leaf, field, tbytes)
                if matcher is None:
                    continue
                ids, ws, segment_blocks = read_matcher(matcher)
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
        if len(all_docs) * matches.DIRECT_JOIN > self.size:  # joined often: keep a direct map
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


def in_sequence(postings: list[Postings], docs: np.ndarray, decode: Any) -> np.ndarray:
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
        keys = term_keys if keys is None else keys[matches.lookup(term_keys, keys)[1]]
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
