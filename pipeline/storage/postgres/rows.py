"""What a search reads of the candidate rows: each scoring leaf's value (for the pre-ranking
and the exact BM25F, ``rank``) and the fields a hit shows, as the embedded record stores them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pipeline.index.search import sorted_counts
from pipeline.storage.postgres.compile import Leaf, condition, leaf_tsquery
from pipeline.storage.postgres.rank import CANDIDATES, UNIT_WEIGHTS

HIT_COLUMNS = "id, path, title, doc_number, genre, date, issuers, title_derived, passages, nearsig"


@dataclass
class LeafSql:
    """How a statement reads the scoring leaves of its matching rows, in two layers: ``first``
    over ``documents`` (each full-text column cut down to the query's own lexemes, positions kept
    — the one read of a large vector per row — plus prefix and exact-value matches), ``second``
    over the first (each term's ``ts_rank`` and each phrase's match, on the cut-down vectors;
    the first layer's matches carried on). ``names``: each leaf's column in the result."""

    first: str
    first_params: list[Any]
    second: str
    second_params: list[Any]
    names: dict[Leaf, str]


def leaf_values(scoring: list[Leaf]) -> LeafSql:
    wanted = list(dict.fromkeys(scoring))
    for leaf in list(wanted):
        if leaf.kind == "phrase":  # its bigrams' frequencies make its score
            wanted += [Leaf("term", leaf.field, w, 1.0) for w in leaf.text.split(" ")]
    lexemes: dict[str, list[str]] = {}
    for leaf in wanted:
        if leaf.kind in ("term", "phrase") and leaf.column:
            lexemes.setdefault(leaf.column, []).extend(leaf.text.split(" ") if leaf.kind == "phrase"
                                                       else [leaf.text])
    first = [f"ts_filter(setweight({column}, 'A', %s::text[]), '{{a}}') AS f_{column}"
             for column in lexemes]
    first_params: list[Any] = [list(dict.fromkeys(words)) for words in lexemes.values()]
    second, second_params, carried = [], [], []
    names: dict[Leaf, str] = {}
    known: dict[tuple[str, str, str], str] = {}
    for leaf in dict.fromkeys(wanted):
        key = (leaf.kind, leaf.field, leaf.text)
        if key in known:
            names[leaf] = known[key]
            continue
        name = names[leaf] = known[key] = f"l{len(known)}"
        if leaf.kind == "term" and leaf.column:
            second.append(f"ts_rank('{UNIT_WEIGHTS}', f_{leaf.column}, %s::tsquery, 0) AS {name}")
            second_params.append(leaf_tsquery(leaf.as_query()))
        elif leaf.kind == "phrase" and leaf.column:
            second.append(f"(f_{leaf.column} @@ %s::tsquery) AS {name}")
            second_params.append(leaf_tsquery(leaf.as_query()))
        elif leaf.kind == "prefix" and leaf.column:  # its lexemes are not known in advance
            first.append(f"({leaf.column} @@ %s::tsquery) AS {name}")
            first_params.append(leaf_tsquery(leaf.as_query()))
            carried.append(name)
        else:
            found = condition(leaf.as_query())
            first.append(f"coalesce({found.text}, FALSE) AS {name}")
            first_params += found.params
            carried.append(name)
    return LeafSql("".join(f", {p}" for p in first), first_params,
                   "".join(f", {p}" for p in carried + second), second_params, names)


def current_rows(conditions: list[str]) -> str:
    """The WHERE clause of the current, active rows meeting every condition."""
    return " AND ".join(["is_current", "state = 'active'", *(f"({c})" for c in conditions)])


def pool_sql(source: str, order: str, limit: int, leaf_first: str, carried: str = "",
             test: str = "is_current") -> str:
    """The CTEs ``p``, the ``limit`` best rows of ``source`` by ``order``, and ``m1``, those rows
    read again from ``documents`` with the columns ``leaf_first`` adds (their long vectors cut
    to the query's lexemes, ``leaf_values``) and ``source``'s ``carried`` columns, where the row
    passes ``test``. Read by year and id: one partition's primary key each."""
    extra = f", {carried}" if carried else ""
    return f"""p AS (SELECT year, id{extra} FROM {source} ORDER BY {order} LIMIT {limit}),
m1 AS MATERIALIZED (SELECT d.*{extra} FROM p, LATERAL (
    SELECT id, genre, year, issuers, date, lengths{leaf_first}
    FROM documents WHERE year = p.year AND id = p.id AND {test} LIMIT 1) d)"""


def scored_sql(leaf_second: str, quick: str, order: str, carried: str = "") -> str:
    """The CTEs ``m``, the rows of ``m1`` with the leaf values ``leaf_second`` adds (and the
    ``carried`` columns), and ``t``, the ``CANDIDATES`` best of them by ``order`` (``quick``:
    the quick score)."""
    extra = f", {carried}" if carried else ""
    return f"""m AS (SELECT id, genre, year, issuers, date, lengths{extra}{leaf_second} FROM m1),
t AS (SELECT m.*, {quick} AS quick FROM m ORDER BY {order} LIMIT {CANDIDATES})"""


def stored_fields(conn: Any, ids: list[str]) -> dict[str, dict[str, Any]]:
    """What a hit shows and a question's re-ranking reads, as the embedded record stores it."""
    if not ids:
        return {}
    found = {}
    for row in conn.execute(
            f"SELECT {HIT_COLUMNS} FROM documents WHERE id = ANY(%s) AND is_current", (ids,)):
        found[row["id"]] = {
            "id": row["id"], "path": row["path"], "title": row["title"],
            "doc_number": row["doc_number"], "genre": row["genre"], "date": row["date"],
            "year": (row["date"] or "")[:4] or None,
            "issuer": ",".join(i.replace(",", " ") for i in row["issuers"] or []),
            "title_derived": row["title_derived"] or None,
            "passages": parsed_json(row["passages"]) or [],
            "nearsig": bytes(row["nearsig"]) if row["nearsig"] else None,
        }
    return found


def parsed_json(value: Any) -> Any:
    """A JSON value psycopg may hand over as text."""
    if isinstance(value, str):
        return json.loads(value)
    return value or {}


FACETS = ("genre", "year", "issuer")


def facet_counts_sql(source: str) -> str:
    """Select-list items counting the facets (genre, year, issuer) of the rows of ``source``."""
    return (f"(SELECT json_object_agg(k, n) FROM (SELECT genre k, count(*) n FROM {source}"
            " GROUP BY 1) x) AS genre,"
            f" (SELECT json_object_agg(k, n) FROM (SELECT year::text k, count(*) n FROM {source}"
            " WHERE year > 0 GROUP BY 1) x) AS year,"
            " (SELECT json_object_agg(k, n) FROM (SELECT unnest(issuers) k, count(*) n FROM"
            f" {source} GROUP BY 1) x) AS issuer")


def facets_of(row: dict[str, Any]) -> dict[str, dict[str, int]]:
    """The facet counts of a row selected with ``facet_counts_sql``, as the contract orders them."""
    facets = {name: sorted_counts(parsed_json(row[name])) for name in FACETS}
    facets["genre"].pop(None, None)
    return facets
