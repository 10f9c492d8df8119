"""``search`` on PostgreSQL: the contract's search object, as ``pipeline.index.search.search``
gives it over the embedded index.

The query language is the embedded one (``pipeline.index.query.parse``, with the home's lexicon
and synonyms); the tree becomes SQL (``compile``). One statement finds the matching rows through
the GIN indexes, counts them and their facets from narrow columns, and pre-ranks them twice:
every row on what the row itself holds (the short fields' small vectors, the body's most
frequent words, the exact values: ``rank.first_score``), then the ``POOL`` best on their long
vectors too (read for those rows only: ``rank.quick_score``). At most ``CANDIDATES`` rows come
back, with each scoring term's ``ts_rank`` and the field lengths, and are scored exactly as BM25F
(``rank``). A query matching at most ``POOL`` rows is ranked exactly; past that, the long
vectors of a row whose title does not hold the words and whose body holds them rarely are not
read, and such a row, which BM25F ranks low, may be missed at the top. From there the embedded
code takes over: the re-ranking of questions with passage and text features, near-copy demotion,
keywords ordered by the words held as written (``pipeline.index.search.rank_page``), the
best-match ladder when the page is short (in SQL: ``ladder``), snippets
(``pipeline.index.snippets``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh import query as Q

from pipeline.index.query import ParsedQuery, parse
from pipeline.index.search import empty_result, pool_size, prepare, rank_page
from pipeline.index.snippets import add_snippets
from pipeline.storage.postgres.broad import BROAD_ROWS, Broad, broad_match
from pipeline.storage.postgres.compile import Leaf, Sql, condition, leaf_of, leaves, semi_join
from pipeline.storage.postgres.ladder import add_best_matches
from pipeline.storage.postgres.rank import (
    FIRST_ORDER,
    POOL,
    Stats,
    first_score,
    load_stats,
    quick_score,
    scorer,
    term_pairs,
)
from pipeline.storage.postgres.rows import (
    current_rows,
    facet_counts_sql,
    facets_of,
    leaf_values,
    parsed_json,
    pool_sql,
    scored_sql,
    stored_fields,
)

# the matching rows' narrow columns are held once and read for the count, each facet and the
# pre-ranking: past work_mem they spill to a temporary file, read five times
WORK_MEM = "64MB"


def search(conn: Any, home: Path | str, query: str, limit: int = 10, offset: int = 0,
           genre: str | None = None, year: int | str | None = None, issuer: str | None = None,
           date_from: str | None = None, date_to: str | None = None, sort: str = "relevance",
           include_restricted: bool = True, fonds: list[str] | None = None) -> dict[str, Any]:
    """The contract's search object; ``fonds``: the 全宗 the reader is granted (None: all)."""
    prepared = prepare(Path(home), query, genre, year, issuer, date_from, date_to, include_restricted)
    if prepared is None:
        return empty_result()
    # The GIN indexes answer a condition without reading the vectors; a sequential scan (what the
    # planner prefers on a small or a broad match) unpacks every row's vectors to test it, which
    # it does not count as a cost: on 600 documents a search took twice as long.
    with conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        return _search(conn, prepared, query, limit, offset, sort, fonds)


def _search(conn: Any, prepared: tuple, query: str, limit: int, offset: int, sort: str,
            fonds: list[str] | None) -> dict[str, Any]:
    tree, parsed, synonyms, filters = prepared
    where = condition(Q.And(filters)) if filters else None
    run = _Run(conn, limit, offset, sort, where, fonds, all(_access_only(f) for f in filters))
    result, best, stored, stats = run.ranked(tree, parsed)
    if result["total"] == 0:
        relaxed_tree, relaxed_parsed = parse(query, synonyms, relaxed=True)
        if relaxed_tree != tree:
            relaxed = run.ranked(relaxed_tree, relaxed_parsed)
            if relaxed[0]["total"]:
                tree, parsed = relaxed_tree, relaxed_parsed
                result, best, stored, stats = relaxed
                result["relaxed"] = True
    if parsed.best_match and result["total"] < offset + limit:
        add_best_matches(run, result, stored, query, parsed)
    if result["total"]:
        add_snippets(stats, tree, result["hits"], parsed.highlights, best, stored)
    return result


class _Run:
    """One search's fixed parts (page, order, filters), ranked for a query tree."""

    def __init__(self, conn: Any, limit: int, offset: int, sort: str, where: Any,
                 fonds: list[str] | None, may_estimate: bool = False):
        self.conn, self.limit, self.offset = conn, limit, offset
        self.by_date = sort == "date"
        self.where, self.fonds = where, fonds
        self.may_estimate = may_estimate  # may a broad query take the estimating path (``broad``)

    def ranked(self, tree: Q.Query, parsed: ParsedQuery) -> tuple[dict[str, Any], dict, dict, Stats]:
        """As ``pipeline.index.search._run``: the result, a question's best passages, the
        returned hits' stored passages, and the statistics (an ``idf`` for the snippets)."""
        wanted = self.offset + self.limit
        pool = max(pool_size(parsed, wanted, self.by_date), 1)
        scoring = [leaf_of(q) for q in leaves(tree)]
        stats = load_stats(self.conn, term_pairs(scoring))
        broad = self._broad(tree, parsed, scoring, stats)
        if broad is not None:
            total, facets, rows, names = broad.total, broad.facets, broad.rows, broad.names
        else:
            total, facets, rows, names = self._match(tree, scoring, stats)
        if not self.by_date:
            score = scorer(tree, names, stats)
            for row in rows:
                row["score"] = score(row) or 0.0
            rows.sort(key=lambda row: (-row["score"], row["id"]))
        fields = self.stored([row["id"] for row in rows[:pool]])
        scored = [(0.0 if self.by_date else row["score"], n, fields[row["id"]])
                  for n, row in enumerate(rows[:pool]) if row["id"] in fields]
        hits, best, stored = rank_page(stats, tree, parsed, scored, self.offset, wanted, self.by_date)
        result = {"total": total, "hits": hits, "facets": facets}
        if broad is not None:
            result["total_estimated"] = True
        return result, best, stored, stats

    def _broad(self, tree: Q.Query, parsed: ParsedQuery, scoring: list[Leaf],
               stats: Stats) -> Broad | None:
        """The estimating path's answer when the query may match more than ``BROAD_ROWS``
        rows (relevance order, no filter but access and 全宗), else None."""
        if self.by_date or not self.may_estimate or _rows_bound(tree, stats) <= BROAD_ROWS:
            return None
        units = [unit.query for unit in parsed.units] or [tree]
        return broad_match(self.conn, tree, units, scoring, stats, self.where_clauses(),
                           self.fonds, self.offset + self.limit)

    def where_clauses(self) -> tuple[list[str], list[Any]]:
        """The filters' and the 全宗's conditions."""
        clauses, params = [], []
        if self.where is not None:
            clauses.append(self.where.text)
            params += self.where.params
        if self.fonds is not None:
            clauses.append("fonds = ANY(%s)")
            params.append(self.fonds)
        return clauses, params

    def _match(self, tree: Q.Query, scoring: list[Leaf],
               stats: Stats) -> tuple[int, dict, list[dict[str, Any]], dict[Leaf, str]]:
        """Total, facets and the pre-ranked candidates (with their leaf values) in one statement:
        every matching row is counted and pre-ranked on what its row holds (``first_score``);
        the ``POOL`` best get their long vectors read and the quick score; the ``CANDIDATES``
        best of those come back. When the terms' document frequencies show that no more than
        ``POOL`` rows can match, every row gets the quick score at once."""
        found = matching(tree, stats)
        wanted = self.offset + self.limit
        clauses, params = self.where_clauses()
        clauses, params = [found.text, *clauses], [*found.params, *params]
        leaf = leaf_values(scoring)
        order = "date DESC NULLS LAST, id DESC"
        first, first_params = "0", []
        quick, quick_params = "0", []
        if not self.by_date:
            first, first_params = first_score(scoring, stats)
            quick, quick_params = quick_score(list(dict.fromkeys(scoring)), leaf.names, stats)
        first_order = order if self.by_date else FIRST_ORDER
        order = order if self.by_date else "quick DESC, id"
        where = current_rows(clauses)
        if _rows_bound(tree, stats) <= POOL:  # every matching row gets its long vectors read
            rows = f"""m0 AS MATERIALIZED (
    SELECT id, genre, year, issuers, date, lengths{leaf.first} FROM documents WHERE {where}
), m1 AS (SELECT * FROM m0),"""
            params = [*leaf.first_params, *params]
        else:
            rows = f"""m0 AS MATERIALIZED (
    SELECT id, genre, year, issuers, date, lengths, {first} AS first FROM documents WHERE {where}
), {pool_sql("m0", first_order, max(POOL, wanted), leaf.first)},"""
            params = [*first_params, *params, *leaf.first_params]
        sql = f"""
WITH {rows}
{scored_sql(leaf.second, quick, order)}
SELECT (SELECT count(*) FROM m0) AS total,
  {facet_counts_sql('m0')},
  (SELECT json_agg(t ORDER BY {order}) FROM t) AS top"""
        row = self.conn.execute(sql, [*params, *leaf.second_params, *quick_params]).fetchone()
        facets = facets_of(row)
        return int(row["total"]), facets, parsed_json(row["top"]) or [], leaf.names

    def stored(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        return stored_fields(self.conn, ids)


# The planner finds an AND's rows by the GIN scan of its rarest part and tests the other parts on
# each of those rows, which unpacks the row's long vectors (it counts that as nearly free): fine
# for a rare part, slow when every part is common. Then a part holding fewer than SEMI_RATIO
# times the rarest part's rows is tested by a semi-join on its own GIN scan instead (``semi_join``:
# its rows' ids read from the table, hashed; ~2 µs a row against ~30 µs to unpack one).
SEMI_FROM, SEMI_RATIO = 300, 15


def _access_only(query: Q.Query) -> bool:
    """A filter that keeps 内部 documents out, and nothing else."""
    return isinstance(query, Q.Term) and query.fieldname == "access"


def matching(tree: Q.Query, stats: Stats) -> Sql:
    """The condition of the rows ``tree`` matches, an AND of common parts as semi-joins."""
    if type(tree) is Q.AndMaybe:  # the optional part only scores
        return matching(tree.a, stats)
    if type(tree) is not Q.And or len(tree.subqueries) < 2:
        return condition(tree)
    parts = [(condition(q), _rows_estimate(q, stats)) for q in tree.subqueries]
    rarest = min(estimate for _, estimate in parts)
    if rarest < SEMI_FROM:
        return condition(tree)
    driver = next(i for i, (_, estimate) in enumerate(parts) if estimate == rarest)
    kept = [semi_join(part) if i != driver and estimate < SEMI_RATIO * rarest else part
            for i, (part, estimate) in enumerate(parts)]
    return Sql(" AND ".join(f"({part.text})" for part in kept),
               [param for part in kept for param in part.params])


def _rows_estimate(query: Q.Query, stats: Stats) -> int:
    """At least how many rows ``query`` matches: its commonest term's document frequency (a
    prefix or an exact value counts as rare: its frequency is not kept)."""
    return max([_leaf_rows(leaf, stats) for leaf in map(leaf_of, leaves(query))
                if leaf.kind in ("term", "phrase")], default=0)


def _rows_bound(query: Q.Query, stats: Stats) -> int:
    """At most how many rows ``query`` matches, from its terms' document frequencies (a prefix,
    an exact value or anything else unknown: every document)."""
    kind = type(query)
    if kind in (Q.Term, Q.Phrase):
        leaf = leaf_of(query)
        if leaf.kind in ("term", "phrase"):
            return _leaf_rows(leaf, stats)
    if kind is Q.Or:
        return min(sum(_rows_bound(q, stats) for q in query.subqueries), stats.documents)
    if kind is Q.And:
        return min((_rows_bound(q, stats) for q in query.subqueries), default=stats.documents)
    if kind in (Q.AndMaybe, Q.AndNot):
        return _rows_bound(query.a, stats)
    if query is Q.NullQuery or isinstance(query, Q.NullQuery.__class__):
        return 0
    return stats.documents


def _leaf_rows(leaf: Leaf, stats: Stats) -> int:
    """At most how many rows a term or phrase matches: its rarest word's document frequency."""
    words = leaf.text.split(" ") if leaf.kind == "phrase" else [leaf.text]
    return min(stats.df.get((leaf.field, word), 0) for word in words)
