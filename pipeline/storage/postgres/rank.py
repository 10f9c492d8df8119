"""Scoring on PostgreSQL as the embedded index scores: BM25F over the same terms.

The candidates are ranked twice. In SQL, every matching row gets a quick score — each term's
``ts_rank`` (a saturating function of its frequency) times its boost and idf, divided by the
field's length normalisation — and the best ``CANDIDATES`` are kept. In Python those get the
exact score of ``whoosh.scoring.BM25F`` (same K1, B, per-field B, idf ``log(N / (df + 1)) + 1``,
field lengths rounded as Whoosh stores them), the tree combined as the embedded evaluator
combines it (``pipeline.index.engine``: And and Or add, AndMaybe adds its optional part, a phrase
scores the sum of its bigrams' scores).

A term's frequency is read back from ``ts_rank``: with unit weights and no normalisation, the
rank of a one-lexeme query is ``(1 + 1/4 + … + 1/tf²) / 1.6449`` (PostgreSQL's ``calc_rank_or``),
a function of the number of positions alone, inverted here by a table (word fields store
positions 1…tf for that reason; at most 256 positions are kept, where BM25 has long saturated).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from math import log
from typing import Any

from whoosh import query as Q
from whoosh.util.numeric import byte_to_length, length_to_byte

from pipeline.index.search import RANKING
from pipeline.storage.postgres.compile import Leaf, leaf_of
from pipeline.storage.postgres.schema import FTS_FIELDS
from pipeline.storage.postgres.vectors import MAX_POSITIONS

CANDIDATES = 1000  # rows a query hands from SQL to Python, at most
UNIT_WEIGHTS = "{1,1,1,1}"
_ZETA2 = 1.64493406685


def _rank_table() -> list[float]:
    values, total = [0.0], 0.0
    for n in range(1, MAX_POSITIONS + 1):
        total += 1.0 / (n * n)
        values.append(total / _ZETA2)
    return values


RANKS = _rank_table()


def tf_of_rank(rank: float | None) -> int:
    """The term frequency whose ``ts_rank`` is ``rank`` (0 for no match)."""
    if not rank or rank < RANKS[1] / 2:
        return 0
    place = bisect_left(RANKS, rank)
    if place >= len(RANKS):
        return MAX_POSITIONS
    below = RANKS[place - 1]
    return place if RANKS[place] - rank < rank - below else place - 1


def field_b(field: str) -> float:
    return RANKING["title_B"] if field in ("title", "title_bg") else RANKING["B"]


class Stats:
    """Collection statistics: documents, average field lengths, document frequencies. Has the
    ``idf(field, text)`` a Whoosh searcher has, for ``pipeline.index.passages.term_weights``."""

    def __init__(self, documents: int, totals: Mapping[str, int], df: dict[tuple[str, str], int]):
        self.documents = max(documents, 1)
        self.average = {f: (totals.get(f, 0) / self.documents) or 1.0 for f in FTS_FIELDS}
        self.df = df

    def idf(self, field: str, text: str) -> float:
        return log(self.documents / (self.df.get((field, text), 0) + 1)) + 1


def load_stats(conn: Any, pairs: Iterable[tuple[str, str]]) -> Stats:
    pairs = list(dict.fromkeys(pairs))
    totals = {row["field"]: int(row["total"]) for row in conn.execute("SELECT * FROM field_stats")}
    df: dict[tuple[str, str], int] = {}
    if pairs:
        for row in conn.execute(
                "SELECT s.field, s.term, s.df FROM term_stats s JOIN unnest(%s::text[], %s::text[])"
                " AS q(field, term) ON s.field = q.field AND s.term = q.term",
                ([p[0] for p in pairs], [p[1] for p in pairs])):
            df[(row["field"], row["term"])] = int(row["df"])
    return Stats(totals.get("__documents__", 0), totals, df)


def term_pairs(leaves: Iterable[Leaf]) -> list[tuple[str, str]]:
    """The (field, term) pairs whose statistics the leaves need (a phrase's bigrams each)."""
    pairs = []
    for leaf in leaves:
        if leaf.kind == "phrase":
            pairs.extend((leaf.field, word) for word in leaf.text.split(" "))
        elif leaf.kind in ("term", "prefix"):
            pairs.append((leaf.field, leaf.text))
    return pairs


def quick_score(leaves: list[Leaf], names: Mapping[Leaf, str], stats: Stats) -> tuple[str, list[Any]]:
    """The SQL pre-ranking expression over the candidate row's leaf values (``names``)."""
    parts, params = [], []
    for leaf in leaves:
        name = names[leaf]
        if leaf.kind == "term":
            position = FTS_FIELDS.index(leaf.field) + 1
            b = field_b(leaf.field)
            parts.append(f"%s * {name} / ({1 - b} + {b} * coalesce(lengths[{position}], 0) / %s)")
            params += [leaf.boost * stats.idf(leaf.field, leaf.text), stats.average[leaf.field]]
        elif leaf.kind == "phrase":
            weight = sum(stats.idf(leaf.field, w) for w in leaf.text.split(" "))
            parts.append(f"%s * {name}::int")
            params.append(leaf.boost * weight)
        else:
            parts.append(f"%s * {name}::int")
            params.append(leaf.boost)
    return ("(" + " + ".join(parts) + ")" if parts else "0"), params


Score = Callable[[Mapping[str, Any]], "float | None"]


def scorer(query: Q.Query, names: Mapping[Leaf, str], stats: Stats) -> Score:
    """BM25F of ``query`` as a function of a candidate row (None: the row does not match),
    the tree walked once."""
    kind = type(query)
    if kind in (Q.Term, Q.Phrase, Q.Prefix):
        return _leaf_scorer(leaf_of(query), names, stats)
    if kind in (Q.And, Q.Or):
        subs = query.subqueries
        if len(subs) == 1:  # Whoosh ignores a one-child compound's boost
            return scorer(subs[0], names, stats)
        parts = [scorer(q, names, stats) for q in subs]
        every, boost = kind is Q.And, query.boost

        def compound(row: Mapping[str, Any]) -> float | None:
            total, found = 0.0, False
            for part in parts:
                value = part(row)
                if value is None:
                    if every:
                        return None
                else:
                    total, found = total + value, True
            return total * boost if found else None
        return compound
    if kind is Q.AndMaybe:
        required, optional = scorer(query.a, names, stats), scorer(query.b, names, stats)

        def and_maybe(row: Mapping[str, Any]) -> float | None:
            value = required(row)
            return None if value is None else value + (optional(row) or 0.0)
        return and_maybe
    if kind is Q.AndNot:
        return scorer(query.a, names, stats)
    return lambda row: None


def _leaf_scorer(leaf: Leaf, names: Mapping[Leaf, str], stats: Stats) -> Score:
    name, position = names[leaf], FTS_FIELDS.index(leaf.field) if leaf.field in FTS_FIELDS else -1
    if leaf.kind == "term":
        idf = stats.idf(leaf.field, leaf.text)
        k1, b, average = RANKING["K1"], field_b(leaf.field), stats.average.get(leaf.field, 1.0)

        def term(row: Mapping[str, Any]) -> float | None:
            tf = tf_of_rank(row.get(name))
            if not tf:
                return None
            norm = (1 - b) + b * stored_length(_length(row, position)) / average
            return leaf.boost * idf * (tf * (k1 + 1)) / (tf + k1 * norm)
        return term
    if leaf.kind == "phrase":
        words = [_leaf_scorer(Leaf("term", leaf.field, w, 1.0), names, stats)
                 for w in leaf.text.split(" ")]
        return lambda row: leaf.boost * sum(w(row) or 0.0 for w in words) if row.get(name) else None
    return lambda row: leaf.boost if row.get(name) else None  # a prefix or an exact value


@lru_cache(maxsize=65536)
def stored_length(length: int) -> int:
    """A field length as Whoosh keeps it (one byte, rounded)."""
    return byte_to_length(length_to_byte(length))


def _length(row: Mapping[str, Any], position: int) -> int:
    lengths = row.get("lengths") or []
    return lengths[position] if 0 <= position < len(lengths) else 0
