"""The best-match ladder (``pipeline.index.bestmatch``) on PostgreSQL.

When the documents holding every typed unit do not fill the page, those holding some of the units
follow: more units first, then the rarer units held (``ln(1 + N / documents holding the unit)``
summed), then the summed BM25F of the units held (``rank.scorer``), or the newest under
``sort=date``. One statement finds the documents holding some but not all units through the GIN
indexes (whether a row holds each unit: its id among those the unit's own GIN scan finds), counts
them and their facets, pre-ranks them as ``fts`` does (the rows' short fields first, the ``POOL``
best on their long vectors too) and hands at most ``CANDIDATES`` of the top tiers to Python with
each unit's presence and the leaf values that score it.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as Q

from pipeline.index import bestmatch
from pipeline.index.query import ParsedQuery
from pipeline.index.search import add_partial_matches
from pipeline.storage.postgres import rank
from pipeline.storage.postgres import rows as found_rows
from pipeline.storage.postgres.compile import condition, leaf_of, leaves, semi_join
from pipeline.text.normalize import fold


def add_best_matches(run: Any, result: dict[str, Any], stored: dict[str, list], typed: str,
                     parsed: ParsedQuery) -> None:
    """As ``pipeline.index.search._add_best_matches`` (``run``: the search's ``fts._Run``)."""
    pool = run.offset + run.limit - result["total"]
    units = bestmatch.in_typed_order(parsed.units, fold(typed))
    queries = [bestmatch.without_fields(unit.query, bestmatch.TITLE_FIELDS) for unit in units]
    if not units or pool <= 0 or all(q is Q.NullQuery for q in queries):
        return
    scoring = [leaf_of(leaf) for query in queries for leaf in leaves(query)]
    stats = rank.load_stats(run.conn, rank.term_pairs(scoring))
    total, facets, rows, names = _tiers(run, queries, scoring, stats)
    scores = [rank.scorer(query, names, stats) for query in queries]
    for row in rows:
        held = [i for i in range(len(queries)) if row[f"u{i}"]]
        row["score"] = 0.0 if run.by_date else sum(scores[i](row) or 0.0 for i in held)
        row["missing"] = tuple(units[i].label for i in range(len(queries)) if i not in held)
    if not run.by_date:
        rows.sort(key=lambda row: (-row["held"], -row["weight"], -row["score"], row["id"]))
    top = [(row["score"], row["id"], row["missing"]) for row in rows[:pool]]
    fields = found_rows.stored_fields(run.conn, [row["id"] for row in rows[:pool]])
    add_partial_matches(result, stored, parsed, top, total, facets, run.offset, fields.__getitem__)


def _tiers(run: Any, queries: list[Q.Query], scoring: list, stats: Any) -> tuple[int, dict, list, dict]:
    conditions = [condition(q) for q in queries]
    leaf = found_rows.leaf_values(scoring)
    # whether a row holds a unit: its id among those the unit's own GIN scan finds (no vector read)
    held = [semi_join(c) for c in conditions]
    units = range(len(queries))
    flags = "".join(f", coalesce(({h.text}), FALSE) AS u{i}" for i, h in enumerate(held))
    first, first_params = ("0", []) if run.by_date else rank.first_score(scoring, stats)
    clauses, clause_params = run.where_clauses()
    matching = " OR ".join(f"({c.text})" for c in conditions)
    count = " + ".join(f"u{i}::int" for i in units)
    rarity = " + ".join(f"u{i}::int * ln(1 + %s::float8 / d.d{i})" for i in units)
    quick, quick_params = rank.quick_score(list(dict.fromkeys(scoring)), leaf.names, stats)
    if run.by_date:
        first_order = order = "held DESC, date DESC NULLS LAST, id DESC"
    else:
        first_order = f"held DESC, weight DESC, {rank.FIRST_ORDER}"
        order = "held DESC, weight DESC, quick DESC, id"
    carried = "held, weight" + "".join(f", u{i}" for i in units)
    params = [*(p for h in held for p in h.params), *first_params,
              *(p for c in conditions for p in c.params), *clause_params,
              *[stats.documents] * len(queries), *leaf.first_params, *leaf.second_params,
              *quick_params]
    sql = f"""
WITH m0 AS MATERIALIZED (
    SELECT id, genre, year, issuers, date, lengths{flags}, {first} AS first
    FROM documents WHERE {found_rows.current_rows([matching, *clauses])}
), d AS (SELECT {', '.join(f'greatest(count(*) FILTER (WHERE u{i}), 1) AS d{i}' for i in units)}
    FROM m0),
f AS MATERIALIZED (SELECT m0.*, ({count}) AS held, round(({rarity})::numeric, 9)::float8 AS weight
      FROM m0, d WHERE ({count}) < {len(queries)}),
{found_rows.pool_sql("f", first_order, max(rank.POOL, run.offset + run.limit), leaf.first, carried)},
{found_rows.scored_sql(leaf.second, quick, order, carried)}
SELECT (SELECT count(*) FROM f) AS total,
  {found_rows.facet_counts_sql('f')},
  (SELECT json_agg(t ORDER BY {order}) FROM t) AS top"""
    row = run.conn.execute(sql, params).fetchone()
    facets = found_rows.facets_of(row)
    return int(row["total"]), facets, found_rows.parsed_json(row["top"]) or [], leaf.names
