"""A vectorised evaluator for the queries ``pipeline.index.query`` builds, over Whoosh's postings.

Whoosh stays the storage (segments, deletions, stored fields, columns, writer). What it does in a
pure-Python matcher loop per posting — BM25F scoring of every posting of every sub-query, because
the contract needs the exact total and facet counts — is done with numpy on whole posting
arrays: a term's postings are read from each segment into arrays, cached and scored exactly as
``whoosh.scoring.BM25F`` scores them (``pipeline.index.term_postings``), and combined (And =
intersection, Or = union, AndMaybe, AndNot: ``pipeline.index.matches``) with the scores summed as
Whoosh's matchers sum them. Phrases are verified with positions on the documents where all their
bigrams meet. Total, facets (``np.bincount`` over per-searcher facet codes,
``pipeline.index.doc_arrays``) and the top of the ranking follow from the arrays.

This module walks the query tree (``Engine.evaluate``), applies the filters and ranks
(``Engine.run``); ``engine_for`` gives a searcher's engine. A query node it does not know raises
``Unsupported``; the caller then runs Whoosh, so an answer is never wrong, only slower.
``GONGWEN_SEARCH_ENGINE=whoosh`` forces the Whoosh path.
"""

from __future__ import annotations

import os
import pickle
import zlib
from dataclasses import dataclass

import numpy as np
from whoosh import query as Q
from whoosh import scoring
from whoosh.searching import Searcher

from pipeline.index.doc_arrays import as_text
from pipeline.index.matches import Matches, intersect_all, join, union
from pipeline.index.term_postings import PostingsReader, in_sequence


class Unsupported(Exception):
    """A query node the evaluator does not handle: use Whoosh."""


# What reading a segment that a concurrent commit is replacing can raise here: the caller falls
# back to Whoosh, whose own errors the search's retry loop knows.
READ_ERRORS = (zlib.error, pickle.UnpicklingError, EOFError, ValueError)


def enabled() -> bool:
    return os.environ.get("GONGWEN_SEARCH_ENGINE", "numpy").lower() != "whoosh"


@dataclass
class Ranked:
    top: list[tuple[float, int]]  # (score, docnum), best first (or newest first by date)
    total: int
    facets: dict[str, dict[str, int]]


class Engine(PostingsReader):
    """A searcher's query evaluator: the query tree walked over the searcher's cached, scored
    postings (``PostingsReader``) and its per-document arrays (``DocArrays``)."""

    def __init__(self, searcher: Searcher, facet_columns: tuple[tuple[str, str], ...]):
        if type(searcher.weighting) is not scoring.BM25F:
            raise Unsupported("weighting")
        super().__init__(searcher, facet_columns)

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
            result = union([self.evaluate(q, within) for q in subs], self.size)
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
        result = intersect_all([self.evaluate(q, within) for q in first], self.size)
        for sub in last:
            if not len(result.docs):
                break
            result = intersect_all([result, self.evaluate(sub, result.docs)], self.size)
        return result

    def _and_maybe(self, query: Q.AndMaybe, within: np.ndarray | None) -> Matches:
        if query.boost != 1.0:
            raise Unsupported("boosted AndMaybe")
        required = self.evaluate(query.a, within)
        if not len(required.docs):
            return required
        optional = self.evaluate(query.b, required.docs)
        present, extra = join(optional, required.docs, self.size)
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
        present, _ = join(excluded, positive.docs, self.size)
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
        candidates = intersect_all(grams, self.size)
        if not len(candidates.docs):
            return candidates
        keep = in_sequence(postings, candidates.docs, schema_field.format.decode_positions)
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
            texts = [as_text(t) for t in leaf.expand_prefix(field, query.text) if t]
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
            merged = union(terms, self.size)
            if array_union:
                merged = Matches(merged.docs, np.ones(len(merged.docs)))
            parts.append(merged)
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
        return Ranked(top, len(docs), self.facet_counts(docs))

    def _top_by_date(self, docs: np.ndarray, pool: int) -> list[tuple[float, int]]:
        # Whoosh sorts (date, docnum) pairs in reverse: newest first, then higher docnum first.
        rank = self.date_rank()[docs]
        order = np.lexsort((-docs, -rank))[:pool]
        return [(0.0, int(docs[i])) for i in order]


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
