"""The query tree ``pipeline.index.query`` builds (Whoosh query objects), as SQL.

``condition`` turns the tree into a WHERE clause over the ``tsvector`` columns (a term is a
lexeme, a bigram phrase a ``<->`` chain, a one-character prefix ``:*``; sibling terms on one
column merge into one ``tsquery``, so one GIN scan answers them) and the exact-value columns
(genre, 文号 key, session keys, issuers, date range). ``leaves`` lists what scores: each term
and phrase with its boost, for the SQL pre-ranking and the exact BM25F of the candidates
(``pipeline.storage.postgres.rank``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as Q

from pipeline.index.schema import ACCESS_OPEN
from pipeline.storage.postgres.schema import FTS_COLUMNS
from pipeline.storage.postgres.vectors import quote

ARRAY_COLUMNS = {"doc_key": "doc_keys", "keys": "keys", "issuer": "issuers", "topics": "topics"}
SCALAR_COLUMNS = {"genre": "genre", "id": "id", "date": "date"}


class Unsupported(ValueError):
    """A query node this compiler does not know."""


@dataclass
class Sql:
    """A boolean SQL expression with its parameters; ``column``/``tsquery`` when it is a single
    full-text match (which siblings on the same column can join)."""

    text: str
    params: list[Any] = field(default_factory=list)
    column: str | None = None
    tsquery: str | None = None


FALSE, TRUE = Sql("FALSE"), Sql("TRUE")


def _match(column: str, tsquery: str) -> Sql:
    return Sql(f"{column} @@ %s::tsquery", [tsquery], column, tsquery)


def condition(query: Q.Query) -> Sql:
    """The WHERE clause of the documents ``query`` matches."""
    if query is Q.NullQuery or isinstance(query, Q.NullQuery.__class__):
        return FALSE
    kind = type(query)
    if kind is Q.Every:
        return TRUE
    if kind in (Q.Term, Q.Phrase, Q.Prefix):
        return _leaf(query)
    if kind in (Q.And, Q.Or):
        return _combine([condition(q) for q in query.subqueries], kind is Q.And)
    if kind is Q.AndMaybe:
        return condition(query.a)
    if kind is Q.AndNot:
        positive, negative = condition(query.a), condition(query.b)
        return Sql(f"({positive.text}) AND NOT coalesce({negative.text}, FALSE)",
                   positive.params + negative.params)
    if kind is Q.TermRange:
        return _range(query)
    raise Unsupported(kind.__name__)


def semi_join(found: Sql) -> Sql:
    """``found`` as a test of the row's id against the current rows it holds for, computed once
    from its own GIN scans and hashed: no row's vectors are unpacked to test it (``OFFSET 0``
    keeps the planner from turning it back into a test of each row)."""
    return Sql(f"id IN (SELECT id FROM documents WHERE is_current AND ({found.text}) OFFSET 0)",
               found.params)


def _leaf(query: Q.Query) -> Sql:
    name = query.fieldname
    column = FTS_COLUMNS.get(name)
    if column is not None:
        return _match(column, leaf_tsquery(query))
    if not isinstance(query, Q.Term):
        raise Unsupported(f"{type(query).__name__} on {name}")
    if name in ARRAY_COLUMNS:
        return Sql(f"{ARRAY_COLUMNS[name]} @> ARRAY[%s]::text[]", [query.text])  # GIN-indexed
    if name in SCALAR_COLUMNS:
        return Sql(f"{SCALAR_COLUMNS[name]} = %s", [query.text])
    if name == "year":
        return Sql("year = %s", [int(query.text) if str(query.text).isdigit() else -1])
    if name == "access":
        return Sql("NOT restricted" if query.text == ACCESS_OPEN else "restricted")
    return FALSE  # a field the database does not hold matches nothing, as in Whoosh


def leaf_tsquery(query: Q.Query) -> str:
    """The ``tsquery`` text of a term, phrase or prefix."""
    if isinstance(query, Q.Phrase):
        if query.slop != 1:
            raise Unsupported("phrase slop")
        return " <-> ".join(quote(w) for w in query.words)
    if isinstance(query, Q.Prefix):
        return f"{quote(query.text)}:*"
    return quote(query.text)


def _combine(parts: list[Sql], conjunction: bool) -> Sql:
    if not parts:
        return FALSE
    joiner, word = (" & ", " AND ") if conjunction else (" | ", " OR ")
    merged: dict[str, list[str]] = {}
    others: list[Sql] = []
    for part in parts:
        if part.column is not None and part.tsquery is not None:
            merged.setdefault(part.column, []).append(part.tsquery)
        else:
            others.append(part)
    for column, texts in merged.items():
        text = texts[0] if len(texts) == 1 else joiner.join(f"({t})" for t in texts)
        others.append(_match(column, text))
    if len(others) == 1:
        return others[0]
    return Sql("(" + word.join(f"({p.text})" for p in others) + ")",
               [param for p in others for param in p.params])


def _range(query: Q.TermRange) -> Sql:
    column = SCALAR_COLUMNS.get(query.fieldname)
    if column is None:
        raise Unsupported(f"range on {query.fieldname}")
    parts, params = [f"{column} IS NOT NULL", f"{column} != ''"], []
    if query.start is not None:
        parts.append(f"{column} {'>' if query.startexcl else '>='} %s")
        params.append(query.start)
    if query.end is not None:
        parts.append(f"{column} {'<' if query.endexcl else '<='} %s")
        params.append(query.end)
    return Sql(" AND ".join(parts), params)


# --- what scores -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Leaf:
    """A scoring node: a term (``kind`` "term"), a phrase or a prefix on a full-text field, or
    an exact-value term (``kind`` "value", scored by its boost alone, as Whoosh scores
    unscorable fields)."""

    kind: str
    field: str
    text: str  # the term; a phrase's words joined by spaces
    boost: float

    @property
    def column(self) -> str | None:
        return FTS_COLUMNS.get(self.field)

    def as_query(self) -> Q.Query:
        """The leaf as the query node it came from (boost left out)."""
        if self.kind == "phrase":
            return Q.Phrase(self.field, self.text.split(" "))
        if self.kind == "prefix":
            return Q.Prefix(self.field, self.text)
        return Q.Term(self.field, self.text)


def leaf_of(query: Q.Query) -> Leaf:
    if isinstance(query, Q.Phrase):
        return Leaf("phrase", query.fieldname, " ".join(query.words), query.boost)
    if isinstance(query, Q.Prefix):
        return Leaf("prefix", query.fieldname, query.text, query.boost)
    kind = "term" if query.fieldname in FTS_COLUMNS else "value"
    return Leaf(kind, query.fieldname, str(query.text), query.boost)


def leaves(query: Q.Query) -> list[Q.Query]:
    """The scoring leaf queries of ``query`` (positive ones: an AndNot's exclusions score
    nothing)."""
    found: list[Q.Query] = []
    _collect(query, found)
    return found


def _collect(query: Q.Query, found: list[Q.Query]) -> None:
    if isinstance(query, Q.AndNot):
        _collect(query.a, found)
    elif isinstance(query, (Q.Term, Q.Phrase, Q.Prefix)):
        found.append(query)
    elif isinstance(query, (Q.And, Q.Or, Q.AndMaybe)):
        for child in query.children():
            _collect(child, found)
