"""Matching documents and their scores, and how the parts of a query combine.

A query part's result is a ``Matches``: sorted global document numbers with Whoosh's scores. And
is an intersection (``intersect_all``), Or a union (``union``), AndMaybe and AndNot a ``join``
of one set against another; scores are summed as Whoosh's matchers sum them. Large sets are
combined by direct addressing over the collection, small ones by sorting and binary search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Or-children above this share of the collection are summed densely (bincount) instead of sorted.
DENSE_SHARE = 0.05
# Two sets each above 1/DIRECT_JOIN of the collection are joined by direct addressing.
DIRECT_JOIN = 16


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


def lookup(haystack: np.ndarray, needles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of each needle in the sorted ``haystack`` and whether it is there."""
    if not len(haystack):
        return np.zeros(len(needles), dtype=np.int64), np.zeros(len(needles), dtype=bool)
    where = np.searchsorted(haystack, needles)
    clipped = np.minimum(where, len(haystack) - 1)
    return clipped, haystack[clipped] == needles


def join(child: Matches, docs: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
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
    where, present = lookup(child.docs, docs)
    return present, child.scores[where[present]]


def intersect_all(children: list[Matches], size: int) -> Matches:
    """Documents in every child, scores summed."""
    if any(not len(c.docs) for c in children):
        return Matches.empty()
    ordered = sorted(children, key=lambda c: len(c.docs))
    docs, scores = ordered[0].docs, ordered[0].scores.copy()
    for child in ordered[1:]:
        present, extra = join(child, docs, size)
        docs, scores = docs[present], scores[present] + extra
        if not len(docs):
            return Matches.empty()
    return Matches(docs, scores)


def union(children: list[Matches], size: int) -> Matches:
    """Documents in any child, scores summed (densely over the collection for large sets)."""
    children = [c for c in children if len(c.docs)]
    if not children:
        return Matches.empty()
    if len(children) == 1:
        return children[0]
    docs = np.concatenate([c.docs for c in children])
    scores = np.concatenate([c.scores for c in children])
    if len(docs) > DENSE_SHARE * size:
        present = np.bincount(docs, minlength=size)
        summed = np.bincount(docs, weights=scores, minlength=size)
        found = np.flatnonzero(present)
        return Matches(found, summed[found])
    found, inverse = np.unique(docs, return_inverse=True)
    return Matches(found, np.bincount(inverse, weights=scores, minlength=len(found)))
