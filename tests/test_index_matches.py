"""Combining matched sets (pipeline.index.matches): each way of joining gives the same answer.

The evaluator picks direct addressing, a posting list's map or binary search by the sets' sizes;
these check every path against plain Python on small arrays, scores summed as Whoosh sums them.
"""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.index import matches as M


def _set(docs: list[int], scores: list[float], size: int | None = None) -> M.Matches:
    found = M.Matches(np.array(docs, dtype=np.int64), np.array(scores, dtype=np.float64))
    if size is not None:  # a long posting list's map: each document's place, or -1
        found.index = np.full(size, -1, dtype=np.int64)
        found.index[found.docs] = np.arange(len(docs))
    return found


def _as_dict(found: M.Matches) -> dict[int, float]:
    return dict(zip(found.docs.tolist(), found.scores.tolist()))


def test_lookup_finds_present_needles_only() -> None:
    where, present = M.lookup(np.array([2, 5, 9]), np.array([5, 1, 9, 10]))
    assert present.tolist() == [True, False, True, False]
    assert where[present].tolist() == [1, 2]
    _, none = M.lookup(np.empty(0, dtype=np.int64), np.array([1, 2]))
    assert not none.any()


@pytest.mark.parametrize("direct", [0, 10**9])  # binary search / direct addressing
@pytest.mark.parametrize("mapped", [False, True])  # the child carries a document map or not
def test_join_gives_the_childs_scores_where_it_matches(monkeypatch: pytest.MonkeyPatch,
                                                       direct: int, mapped: bool) -> None:
    monkeypatch.setattr(M, "DIRECT_JOIN", direct)
    child = _set([1, 4, 7, 8], [0.5, 1.5, 2.5, 3.5], size=10 if mapped else None)
    present, scores = M.join(child, np.array([0, 4, 5, 8, 9]), 10)
    assert present.tolist() == [False, True, False, True, False]
    assert scores.tolist() == [1.5, 3.5]


@pytest.mark.parametrize("direct", [0, 10**9])
def test_intersection_keeps_common_documents_and_sums_scores(monkeypatch: pytest.MonkeyPatch,
                                                             direct: int) -> None:
    monkeypatch.setattr(M, "DIRECT_JOIN", direct)
    a = _set([1, 3, 5, 7], [1.0, 1.0, 1.0, 1.0])
    b = _set([3, 4, 5], [0.25, 9.0, 0.5])
    c = _set([0, 3, 5, 6, 7], [2.0, 2.0, 2.0, 2.0, 2.0])
    assert _as_dict(M.intersect_all([a, b, c], 8)) == {3: 3.25, 5: 3.5}
    assert not len(M.intersect_all([a, _set([2], [1.0])], 8).docs)
    assert not len(M.intersect_all([a, M.Matches.empty()], 8).docs)


@pytest.mark.parametrize("size", [1000, 10])  # sparse (sorted) / dense (bincount) union
def test_union_sums_scores_of_every_child(size: int) -> None:
    a = _set([1, 3, 5], [1.0, 2.0, 3.0])
    b = _set([3, 4], [0.5, 0.25])
    found = M.union([a, M.Matches.empty(), b], size)
    assert found.docs.tolist() == [1, 3, 4, 5]
    assert _as_dict(found) == {1: 1.0, 3: 2.5, 4: 0.25, 5: 3.0}
    assert M.union([M.Matches.empty()], size).docs.tolist() == []
    assert M.union([a], size) is a
