"""A query matching a large part of the archive, without reading every matching row.

Counting, faceting and pre-ranking every match (``fts``) costs time in proportion to the matches:
a word held by half of a million documents would read half a million rows. Past ``BROAD_ROWS``
matches (the terms' document frequencies say how many there can be; a sample says how many there
are) a relevance-ordered search instead

- takes its candidates from the impact-ordered postings (``term_top``): each query word's best
  documents by its title and body words and its title bigrams, weighed with the leaf's boost
  and idf and summed, the ``BROAD_POOL`` best;
- reads those rows only, keeps those the whole query matches (filters and 全宗 applied), and
  ranks them exactly as ``fts`` ranks its candidates (quick score, then BM25F);
- estimates the number of matches and the facets from a sample of about ``SAMPLE_ROWS`` rows,
  scaled up: the rows whose id hashes below a bound (``schema.SAMPLE_KEY``, an index), the same
  rows every time and independent of the order rows were written in (a sample of pages,
  ``TABLESAMPLE SYSTEM``, was 15–25 % off: neighbouring rows are alike). The result says
  ``total_estimated``.

The cost no longer grows with the matches. What it gives up: the total and the facet counts are
estimates (within a few per cent on a common word; the web page says 约), and a document whose
words are each outside their lists (``term_top.DEPTH``) is not among the candidates — such a
document is far down the ranking of a query this broad. Ordered by date, filtered by anything but
access and 全宗, or with too few verified candidates to fill the page, a search takes ``fts``'s
exact path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as Q

from pipeline.storage.postgres.compile import Leaf, condition, leaf_of, leaves
from pipeline.storage.postgres.rank import Stats, quick_score
from pipeline.storage.postgres.rows import (
    current_rows,
    facet_counts_sql,
    facets_of,
    leaf_values,
    parsed_json,
    pool_sql,
    scored_sql,
)
from pipeline.storage.postgres.schema import SAMPLE_KEY, SAMPLE_SLOTS
from pipeline.storage.postgres.term_top import DEPTH

BROAD_ROWS = 5000  # more matches than this: the broad path
SAMPLE_ROWS = 1000  # rows the estimate reads, about
BROAD_POOL = 1000  # candidates read and verified
# a part of the query whose words the lists hold for fewer documents than this share of the
# matches is mostly found inside longer words (新冠 in 新冠肺炎: one word to jieba, matched by its
# bigrams): the lists do not stand for it, and the exact path answers...
COVERED = 0.5
# ...up to this many matches: past it the exact path reads too many rows (~25 µs each, 0.5 s for
# 人大 in 30,000 documents, growing with the archive), and the lists answer all the same (the 30,000
# synthetic documents of ``benchmarks/postgres_search.py``: the 8 such queries among 305 kept the
# exact path's first ten, in order, 2.6-4.8 times faster)
UNCOVERED_ROWS = 10000


@dataclass
class Broad:
    """A broad query's estimated total and facets, and its ranked candidates."""

    total: int
    facets: dict[str, dict[str, int]]
    rows: list[dict[str, Any]]
    names: dict[Leaf, str]


def broad_match(conn: Any, tree: Q.Query, units: list[Q.Query], scoring: list[Leaf],
                stats: Stats, clauses: tuple[list[str], list[Any]], fonds: list[str] | None,
                wanted: int) -> Broad | None:
    """The broad path's answer, or None when the query is not broad after all (the sample
    finds fewer than ``BROAD_ROWS`` matches), a part of it (``units``: the typed words) is
    not ``COVERED`` by the lists and the query matches fewer than ``UNCOVERED_ROWS``, or its
    verified candidates do not fill the page."""
    bound = round(SAMPLE_SLOTS * SAMPLE_ROWS / stats.documents)
    words = list_terms(scoring, stats)
    if bound >= SAMPLE_SLOTS or not words:
        return None
    scale = SAMPLE_SLOTS / max(bound, 1)
    found = condition(tree)
    sampled = _sample(conn, found.text, [*found.params, *clauses[1]], clauses[0], max(bound, 1))
    total = round(int(sampled["total"]) * scale)
    if total < BROAD_ROWS or (total < UNCOVERED_ROWS
                              and min(_covered(unit, stats) for unit in units) < COVERED * total):
        return None
    rows, names = _candidates(conn, words, found.text, found.params, clauses, fonds, scoring, stats)
    if len(rows) < wanted:
        return None
    facets = {name: {key: max(1, round(count * scale)) for key, count in counts.items()}
              for name, counts in facets_of(sampled).items()}
    return Broad(max(total, len(rows)), facets, rows, names)


def list_terms(scoring: list[Leaf], stats: Stats) -> dict[tuple[str, str], float]:
    """The (field, word) lists a query's candidates come from, each with its weight (boost ×
    idf, summed over the leaves holding it): its terms on the listed fields, a phrase by each
    of its bigrams."""
    weights: dict[tuple[str, str], float] = {}
    for leaf in dict.fromkeys(scoring):
        if leaf.field not in DEPTH or leaf.kind not in ("term", "phrase"):
            continue
        for word in leaf.text.split(" ") if leaf.kind == "phrase" else [leaf.text]:
            key = (leaf.field, word)
            weights[key] = weights.get(key, 0.0) + leaf.boost * stats.idf(leaf.field, word)
    return weights


def _covered(unit: Q.Query, stats: Stats) -> int:
    """How many documents the lists can hold for a part of the query: its commonest word's."""
    return max([stats.df.get((leaf.field, leaf.text), 0) for leaf in map(leaf_of, leaves(unit))
                if leaf.kind == "term" and leaf.field in DEPTH], default=0)


def _sample(conn: Any, found: str, params: list[Any], clauses: list[str], bound: int) -> dict:
    """The matches among the rows whose sample key is below ``bound``: their number and
    facets. The sample's rows are found first (their key's index), then tested."""
    where = current_rows([found, *clauses])
    return conn.execute(
        f"WITH k AS MATERIALIZED (SELECT year, id FROM documents WHERE {SAMPLE_KEY} < %s),"
        f" s AS MATERIALIZED (SELECT d.* FROM k, LATERAL (SELECT genre, year, issuers FROM documents"
        f" WHERE year = k.year AND id = k.id AND {where} LIMIT 1) d)"
        f" SELECT (SELECT count(*) FROM s) AS total, {facet_counts_sql('s')}",
        [bound, *params]).fetchone()


def _candidates(conn: Any, words: dict[tuple[str, str], float], found: str, found_params: list[Any],
                clauses: tuple[list[str], list[Any]], fonds: list[str] | None,
                scoring: list[Leaf], stats: Stats) -> tuple[list[dict[str, Any]], dict[Leaf, str]]:
    """The ``BROAD_POOL`` documents weighing most on the query's words, those the query
    matches, with their leaf values and quick score, best first (``CANDIDATES`` at most)."""
    leaf = leaf_values(scoring)
    quick, quick_params = quick_score(list(dict.fromkeys(scoring)), leaf.names, stats)
    granted = " AND fonds = ANY(%s)" if fonds is not None else ""
    order = "quick DESC, id"
    sql = f"""
WITH q AS (SELECT * FROM unnest(%s::text[], %s::text[], %s::float8[], %s::int[])
  AS q(field, term, weight, depth)),
c AS (SELECT t.year, t.id, sum(q.weight * t.impact) AS pre FROM q, LATERAL (
    SELECT year, id, impact FROM term_top WHERE field = q.field AND term = q.term{granted}
    ORDER BY impact DESC LIMIT q.depth) t GROUP BY t.year, t.id),
{pool_sql("c", "pre DESC, id", BROAD_POOL, leaf.first, test=current_rows([found, *clauses[0]]))},
{scored_sql(leaf.second, quick, order)}
SELECT json_agg(t ORDER BY {order}) AS top FROM t"""
    params = [[field for field, _ in words], [word for _, word in words], list(words.values()),
              [DEPTH[field] for field, _ in words],
              *([fonds] if fonds is not None else []), *leaf.first_params, *found_params,
              *clauses[1], *leaf.second_params, *quick_params]
    row = conn.execute(sql, params).fetchone()
    return parsed_json(row["top"]) or [], leaf.names
