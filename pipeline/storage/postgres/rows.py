"""What a search reads of the candidate rows: each scoring leaf's value (for the pre-ranking
and the exact BM25F, ``rank``) and the fields a hit shows, as the embedded record stores them."""

from __future__ import annotations

import json
from typing import Any

from whoosh import query as Q

from pipeline.index.search import _sorted_counts
from pipeline.storage.postgres.compile import Leaf, condition, leaf_tsquery
from pipeline.storage.postgres.rank import UNIT_WEIGHTS

HIT_COLUMNS = "id, path, title, doc_number, genre, date, issuers, title_derived, passages, nearsig"


def leaf_values(scoring: list[Leaf]) -> tuple[str, list[Any], dict[Leaf, str]]:
    """The select-list of each leaf's value (a term's ``ts_rank``, a phrase's or prefix's
    match, an exact value's match) and each leaf's column name in the result."""
    wanted = list(dict.fromkeys(scoring))
    for leaf in list(wanted):
        if leaf.kind == "phrase":  # its bigrams' frequencies make its score
            wanted += [Leaf("term", leaf.field, w, 1.0) for w in leaf.text.split(" ")]
    names: dict[Leaf, str] = {}
    parts, params = [], []
    for leaf in dict.fromkeys(wanted):
        key = (leaf.kind, leaf.field, leaf.text)
        same = next((n for other, n in names.items()
                     if (other.kind, other.field, other.text) == key), None)
        if same:
            names[leaf] = same
            continue
        name = names[leaf] = f"l{len(parts)}"
        if leaf.kind == "term":
            parts.append(f"ts_rank('{UNIT_WEIGHTS}', {leaf.column}, %s::tsquery, 0) AS {name}")
            params.append(leaf_tsquery(Q.Term(leaf.field, leaf.text)))
        elif leaf.column:
            query = (Q.Phrase(leaf.field, leaf.text.split(" ")) if leaf.kind == "phrase"
                     else Q.Prefix(leaf.field, leaf.text))
            parts.append(f"({leaf.column} @@ %s::tsquery) AS {name}")
            params.append(leaf_tsquery(query))
        else:
            found = condition(Q.Term(leaf.field, leaf.text))
            parts.append(f"coalesce({found.text}, FALSE) AS {name}")
            params += found.params
    return "".join(f", {p}" for p in parts), params, names


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
    facets = {name: _sorted_counts(parsed_json(row[name])) for name in FACETS}
    facets["genre"].pop(None, None)
    return facets
