"""Near-copies: texts that are almost the same document (a notice and its repost under another
header, a guide published by two bureaus). Exact copies are linked at ingest and indexed once;
near-copies are indexed each, and a question's ranking shows the first of them in its place and
the others after the rest of the re-ranked pool, so that ten hits are not three versions of one
text.

Each record stores a MinHash signature of its text's character 4-grams (whitespace removed); the
share of positions where two signatures agree estimates the share of shingles the texts have in
common (Jaccard). A text is hashed with numpy over its code points, no Python loop per shingle,
so that writing a record stays cheap. (``pipeline.archive.linking`` decides renditions and
versions at ingest by the exact Jaccard of the few candidates sharing a title; this estimate is
for comparing any candidates of a ranking at query time.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

SHINGLE = 4  # characters: long enough that shared stock phrases do not make texts alike
BUCKETS = 64  # one-permutation MinHash: a shingle's hash picks its bucket, each keeps its least
THRESHOLD = 0.8  # Jaccard of shingles; a news digest of a notice shares far less
SIGNATURE_BYTES = BUCKETS * 4
_EMPTY = np.uint32(0xFFFFFFFF)  # a bucket no shingle fell into (short texts)
_SPACE = re.compile(r"\s+")
_BASE = np.uint64(0x100000001B3)  # FNV prime: folds a shingle's code points into 64 bits
_MIX = (np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB))  # splitmix64's finalizer


def signature(text: str) -> bytes:
    """The signature of ``text`` (empty for a text shorter than one shingle). One hash per
    shingle, split into a bucket and a value (Li, Owen and Zhang's one-permutation hashing): a
    single pass, where 64 separate permutations cost 64."""
    points = np.frombuffer(_SPACE.sub("", text).encode("utf-32-le"), dtype=np.uint32)
    count = len(points) - SHINGLE + 1
    if count < 1:
        return b""
    points = points.astype(np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE):  # wraps modulo 2**64, as intended
        hashes = hashes * _BASE + points[offset:offset + count]
    for shift, factor in zip((30, 27), _MIX):
        hashes = (hashes ^ (hashes >> np.uint64(shift))) * factor
    hashes ^= hashes >> np.uint64(31)
    lowest = np.full(BUCKETS, _EMPTY, dtype=np.uint32)
    values = (hashes >> np.uint64(32)).astype(np.uint32)
    values[values == _EMPTY] -= np.uint32(1)  # keep the sentinel for empty buckets
    np.minimum.at(lowest, (hashes & np.uint64(BUCKETS - 1)).astype(np.intp), values)
    return lowest.astype("<u4").tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two signatures' texts (0 when either is missing)."""
    return float(similarities([first, second])[0, 1])


def similarities(signatures: Sequence[bytes | None]) -> np.ndarray:
    """The matrix of estimated Jaccard similarities: the share of equal buckets among those not
    empty in both (0 where a signature is missing)."""
    if not signatures:
        return np.zeros((0, 0))
    rows, valid = _rows(signatures)
    filled = rows != _EMPTY
    used = filled[:, None, :] | filled[None, :, :]
    equal = (rows[:, None, :] == rows[None, :, :]) & used
    share = equal.sum(axis=2) / np.maximum(used.sum(axis=2), 1)  # 0 buckets used: two missing
    share[~(valid[:, None] & valid[None, :])] = 0.0
    return share


def similar_to(signature: bytes | None, others: Sequence[bytes | None]) -> np.ndarray:
    """Estimated Jaccard similarity of ``signature``'s text with each of ``others``' (one row
    of ``similarities``, without the matrix: ``others`` may be a whole archive)."""
    rows, valid = _rows([signature, *others])
    filled = rows != _EMPTY
    used = filled[0] | filled[1:]
    share = ((rows[1:] == rows[0]) & used).sum(axis=1) / np.maximum(used.sum(axis=1), 1)
    share[~(valid[1:] & valid[0])] = 0.0
    return share


_MISSING = np.full(BUCKETS, _EMPTY, dtype="<u4").tobytes()


def _rows(signatures: Sequence[bytes | None]) -> tuple[np.ndarray, np.ndarray]:
    """The signatures as a (count, BUCKETS) array, missing ones all empty, and which are valid."""
    valid = np.array([len(sig or b"") == SIGNATURE_BYTES for sig in signatures], dtype=bool)
    blob = b"".join(sig if ok and sig else _MISSING for sig, ok in zip(signatures, valid))
    return np.frombuffer(blob, dtype="<u4").reshape(len(signatures), BUCKETS), valid


def copies_last(signatures: Sequence[bytes | None]) -> tuple[list[int], dict[int, int]]:
    """A ranking's new order (indexes into ``signatures``, best first): each near-copy of a
    better-ranked item moves behind all the others, keeping its order among the moved. Also
    {moved index: index of the item it copies}."""
    alike = similarities(signatures) >= THRESHOLD
    kept: list[int] = []
    moved: dict[int, int] = {}
    for index in range(len(signatures)):
        original = next((k for k in kept if alike[index, k]), None)
        if original is None:
            kept.append(index)
        else:
            moved[index] = original
    return kept + list(moved), moved


def demote(items: Sequence[Any], signatures: Sequence[bytes | None]) -> tuple[list[Any], dict[int, int]]:
    """``items`` in the order of ``copies_last`` (see there), with the moved map re-keyed to the
    new positions."""
    order, moved = copies_last(signatures)
    position = {old: new for new, old in enumerate(order)}
    return [items[i] for i in order], {position[i]: position[k] for i, k in moved.items()}
