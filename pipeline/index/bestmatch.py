"""Best match: after the documents holding every typed word, those holding most of them.

A minimum-should-match ladder — Lucene's and Elasticsearch's ``minimum_should_match``, walked down
one step at a time. A free-text query of n units (``pipeline.index.query.ParsedQuery.units``: typed
words, names, 文号, sessions) first lists the documents holding all n (the strict query); when they
do not fill the page, the documents holding n-1 follow, then n-2, … down to one, each naming the
units it lacks (``missing``). Tiers are strict; inside a tier the documents holding the rarer
units come first, then the best summed score of the units held (or, under ``sort=date``, the
newest). Nothing is listed only when no unit matches anywhere.

This module is the ranking alone, over arrays: the caller says how a unit's documents are found
(the numpy evaluator or Whoosh, filters applied) and runs the ladder only when the strict query
leaves the page short, so a query that fills its page costs nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from whoosh import query as Q

from pipeline.index.passages import folded_text
from pipeline.index.query import Unit
from pipeline.text.normalize import fold, session_keys

T = TypeVar("T")

# (documents, scores) of one unit: sorted unique document numbers, filters and deletions applied
Matcher = Callable[[Q.Query], tuple[np.ndarray, np.ndarray]]


@dataclass
class Ladder:
    top: list[tuple[float, int, tuple[str, ...]]]  # (score, docnum, missing units), best first
    total: int  # documents holding some but not all units
    docs: np.ndarray  # those documents (for the facet counts)


def ladder(units: list[Unit], match: Matcher, pool: int, size: int,
           date_rank: np.ndarray | None = None) -> Ladder:
    """The documents holding at least one of ``units`` but not all, tier by tier (the top
    ``pool`` of them ranked; ``size``: documents in the collection); ``date_rank`` (per
    document number) orders each tier by date."""
    found = [match(without_fields(unit.query, TITLE_FIELDS)) for unit in units]
    # dense over the collection: cheaper than merging the units' document lists
    counts = np.zeros(size, dtype=np.int32)
    scores = np.zeros(size, dtype=np.float64)
    weight = np.zeros(size, dtype=np.float64)  # of two documents holding as many units, the
    for unit_docs, unit_scores in found:  # one holding the rarer ones first
        counts[unit_docs] += 1  # a unit's documents are unique: no repeated index
        scores[unit_docs] += unit_scores
        weight[unit_docs] += np.log1p(size / max(len(unit_docs), 1))
    docs = np.flatnonzero((counts > 0) & (counts < len(units)))
    order = _order(docs, scores[docs], counts[docs], weight[docs], date_rank, pool)
    top = []
    for i in order.tolist():
        doc = docs[i]
        missing = tuple(unit.label for unit, (unit_docs, _) in zip(units, found)
                        if not _holds(unit_docs, doc))
        top.append((0.0 if date_rank is not None else float(scores[doc]), int(doc), missing))
    return Ladder(top, len(docs), docs)


# The indexed body holds the title too: whether a document holds a unit, the title's fields
# need not be asked again (a third of the postings, and a phrase check, per unit).
TITLE_FIELDS = frozenset({"title", "title_bg"})


def without_fields(query: Q.Query, fields: frozenset[str]) -> Q.Query:
    """``query`` without its leaves over ``fields`` (NullQuery when nothing is left)."""
    if query.is_leaf():
        return Q.NullQuery if getattr(query, "fieldname", None) in fields else query
    kept = [without_fields(child, fields) for child in query.children()]
    if isinstance(query, Q.And):
        if any(child is Q.NullQuery for child in kept):
            return Q.NullQuery
    else:
        kept = [child for child in kept if child is not Q.NullQuery]
    if not kept:
        return Q.NullQuery
    return kept[0] if len(kept) == 1 else type(query)(kept, boost=query.boost)


def _holds(docs: np.ndarray, doc: int) -> bool:
    at = int(np.searchsorted(docs, doc))
    return at < len(docs) and docs[at] == doc


def _order(docs: np.ndarray, scores: np.ndarray, counts: np.ndarray, weight: np.ndarray,
           date_rank: np.ndarray | None, pool: int) -> np.ndarray:
    """The first ``pool`` places: more units first; then the rarer units held and the best score
    (ties: lower document number, Whoosh's collector order), or the newest date (ties: higher
    document number, Whoosh's reverse date sort). Only the tiers reaching the pool are sorted."""
    if len(counts) > pool > 0:
        lowest = np.partition(counts, len(counts) - pool)[len(counts) - pool]
        keep = np.flatnonzero(counts >= lowest)
    else:
        keep = np.arange(len(counts))
    docs, scores, counts, weight = docs[keep], scores[keep], counts[keep], weight[keep]
    if date_rank is not None:
        order = np.lexsort((-docs, -date_rank[docs], -counts))
    else:
        order = np.lexsort((docs, -scores, -np.round(weight, 9), -counts))
    return keep[order[:max(pool, 0)]]


# --- words as written ---------------------------------------------------------------------------
# The index holds a word of three or more characters as its character pairs, and the query matches
# them anywhere in a body (decoding positions for every candidate would cost far more): a long
# law holds 第二十二次 as 第二 … 二十 … 十二 … 二次. Among the top documents of a tier, those holding
# more units as written (whole, in any of their forms, or through the catalogue) go first; the
# check reads the stored text of those few documents only.
def written_text(fields: dict[str, Any]) -> str:
    """What a stored record holds as written: title, issuer, 文号 and every passage (folded)."""
    head = [fold(fields.get(name) or "") for name in ("title", "issuer", "doc_number")]
    return "\n".join(head + [folded_text(p) for p in fields.get("passages") or []])


def held_as_written(unit: Unit, text: str, fields: dict[str, Any]) -> bool:
    """Whether the record (``fields``, its ``written_text``) holds ``unit`` as written."""
    for name, value in unit.catalogue:
        if name == "keys":
            if any(key == value for _, key in session_keys(text)):
                return True
        elif fields.get(name) == value:
            return True
    return any(all(part in text for part in form) for form in unit.forms)


def may_be_scattered(units: list[Unit]) -> bool:
    """Whether the index may match one of ``units`` by pairs apart: some form has a part of
    three characters or more (one or two characters match as written or not at all)."""
    return any(len(part) > 2 for unit in units for form in unit.forms for part in form)


def by_words_as_written(units: list[Unit], items: list[T], fields_of: Callable[[T], dict[str, Any]],
                        tier_of: Callable[[T], int]) -> list[T]:
    """``items`` (best first) reordered inside each tier: more units held as written first,
    the given order kept otherwise."""
    if len(items) < 2 or not units:
        return items

    def held(item: T) -> int:
        fields = fields_of(item)
        text = written_text(fields)
        return sum(held_as_written(unit, text, fields) for unit in units)

    keyed = [(-tier_of(item), -held(item), number) for number, item in enumerate(items)]
    return [items[number] for *_, number in sorted(keyed)]


def as_typed(missing: tuple[str, ...], terms: list[tuple[str, tuple[str, ...]]]) -> list[str]:
    """``missing`` with the units of a typed term all missing named by the term (``彩虹独角兽``,
    not ``彩虹``, ``独角兽``)."""
    named = list(missing)
    for term, labels in terms:
        if all(label in named for label in labels):
            at = min(named.index(label) for label in labels)
            named = [label for label in named if label not in labels]
            named.insert(at, term)
    return named


def in_typed_order(units: list[Unit], typed: str) -> list[Unit]:
    """``units`` in the order their labels occur in the (folded) query, so that ``missing``
    names the words as they were typed."""
    def position(unit: Unit) -> int:
        found = typed.find(unit.label)
        return found if found >= 0 else len(typed)
    return sorted(units, key=position)


__all__ = ["Ladder", "as_typed", "by_words_as_written", "in_typed_order", "ladder", "may_be_scattered"]
