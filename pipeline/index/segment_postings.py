"""One segment's postings of a term, read from Whoosh's posting blocks.

Whoosh writes a term's postings as blocks of pickled ``(ids, weights, values)``, zlib-compressed
when worth it. Reading them through Whoosh's matcher costs a Python call per posting; here each
block's ids and weights are cut out of the pickle without unpickling its values (the encoded
positions, which cost most of a block's read) and turned into arrays. Where each block lies is
kept (``Block``), so positions are read only in the blocks where a phrase needs them.

Both the query evaluator (``pipeline.index.term_postings``, for segments without a sidecar) and
the sidecar converter (``pipeline.index.sidecar``) read segments this way.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


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


def leaf_matcher(leaf: Any, field: str, tbytes: bytes) -> Any:
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


def read_matcher(matcher: Any) -> tuple[np.ndarray, np.ndarray, list[Block]]:
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


def block_places(matcher: Any) -> list[Block]:
    """Where each block of a segment's matcher lies, from the block headers alone."""
    if type(matcher) is not W3LeafMatcher:
        return read_matcher(matcher)[2]
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
        matcher = leaf_matcher(leaf, field, tbytes)
    else:
        terms = leaf._terms
        matcher = terms._codec.postings_reader(terms._postfile, info, leaf.schema[field].format,
                                               term=(field, tbytes))
    if matcher is None:
        return np.empty(0, np.int64), np.empty(0, np.float64), [] if values else None
    ids, weights, blocks = read_matcher(matcher)
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
