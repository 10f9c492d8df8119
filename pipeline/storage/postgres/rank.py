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
from pipeline.storage.postgres.compile import Leaf, condition, leaf_of, leaf_tsquery
from pipeline.storage.postgres.schema import FTS_FIELDS, TOP_COLUMN
from pipeline.storage.postgres.vectors import MAX_POSITIONS

CANDIDATES = 1000  # rows a query hands from SQL to Python, at most
POOL = CANDIDATES  # rows whose long vectors a query reads, at most (the first pre-ranking's best)
SHORT_FIELDS = ("title", "title_bg", "issuer_bg", "recipients_bg")  # vectors kept in the row
BODY_LENGTH = f"lengths[{FTS_FIELDS.index('body') + 1}]"
# the order of the first pre-ranking (``first_score``): ties to the shorter body, as BM25F has it
FIRST_ORDER = f"first DESC, {BODY_LENGTH}, id"
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
    return _summed([_leaf_part(leaf, names[leaf], [], stats) for leaf in leaves])


def first_score(leaves: list[Leaf], stats: Stats) -> tuple[str, list[Any]]:
    """The cheap pre-ranking of every matching row, read straight from the row: the quick score
    of the leaves on the short fields (``SHORT_FIELDS``, whose small vectors are stored in the
    row itself), of the exact-value leaves, and of the body's words among its most frequent
    (``schema.TOP_COLUMN``: a word held once or less often scores nothing yet). The long fields'
    vectors (in TOAST, tens of KB a row) are read for the ``POOL`` best rows only."""
    parts = []
    for leaf in dict.fromkeys(leaves):
        if leaf.kind == "value":
            found = condition(leaf.as_query())
            parts.append(_leaf_part(leaf, f"coalesce({found.text}, FALSE)", found.params, stats))
        elif leaf.column and leaf.field in SHORT_FIELDS:
            value = (f"ts_rank('{UNIT_WEIGHTS}', {leaf.column}, %s::tsquery, 0)"
                     if leaf.kind == "term" else f"({leaf.column} @@ %s::tsquery)")
            parts.append(_leaf_part(leaf, value, [leaf_tsquery(leaf.as_query())], stats))
        elif leaf.kind == "term" and leaf.field == "body":  # its tf when among the most frequent
            value = f"ts_rank('{UNIT_WEIGHTS}', {TOP_COLUMN}, %s::tsquery, 0)"
            parts.append(_leaf_part(leaf, value, [leaf_tsquery(leaf.as_query())], stats))
    return _summed(parts)


def _summed(parts: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    if not parts:
        return "0", []
    return "(" + " + ".join(text for text, _ in parts) + ")", [p for _, ps in parts for p in ps]


def _leaf_part(leaf: Leaf, value: str, params: list[Any], stats: Stats) -> tuple[str, list[Any]]:
    """A leaf's share of the quick score, ``value`` its ``ts_rank`` (a term) or its match."""
    if leaf.kind == "term":
        position = FTS_FIELDS.index(leaf.field) + 1
        b = field_b(leaf.field)
        return (f"%s * {value} / ({1 - b} + {b} * coalesce(lengths[{position}], 0) / %s)",
                [leaf.boost * stats.idf(leaf.field, leaf.text), *params, stats.average[leaf.field]])
    if leaf.kind == "phrase":
        weight = sum(stats.idf(leaf.field, w) for w in leaf.text.split(" "))
        return f"%s * {value}::int", [leaf.boost * weight, *params]
    return f"%s * {value}::int", [leaf.boost, *params]


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
