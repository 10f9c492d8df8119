"""Impact-ordered postings: for each word of the title and body fields and each bigram of the
titles, the current documents where it weighs most (``DEPTH`` of them), in ``term_top``.

A query matching a large part of the archive (``pipeline.storage.postgres.broad``) takes its
candidates from these lists instead of reading every matching row: a word's weight in a document
is BM25's frequency part, ``tf·(K1 + 1) / (tf + K1·(1 − b + b·length / average length))`` — the
idf is the word's own, so it orders a word's list as BM25 would — and a document that ranks high
for a query ranks high for at least one of its words. Reading a list costs the same for a word
held by a thousand documents or by a million.

The lists are kept as documents are written (``catalog.write_documents``): a written document's
postings go in where they beat the word's ``term_stats.top_floor`` (the weight of the list's last
document at its last cut, 0 before), and ``term_stats.top_count`` counts them; a list that grew
``SLACK`` past its depth is cut back to it and its floor raised. Cutting ranks the whole list, so
a list is let grow a while before it is cut: a common title word's list (20,000 documents) would
otherwise be ranked again in every batch. Readers take a list's first ``DEPTH`` documents by weight,
which the postings above the floor always hold. A removed document's postings leave with it (its
lists may then be shorter until ``rebuild``).

Titles are short: a common word has the same weight in thousands of them (one occurrence, a
title of usual length), and which of those rank first is decided by their bodies. A title list
shorter than its ties would keep an arbitrary few, so title lists are deep. The title bigrams
find a word written inside a longer one (工作 in 政府工作报告, one word to jieba); the body's
bigrams would add three times the rows for little (top-10 agreement with the embedded index on
the broad queries of ``benchmarks/postgres_search.py`` at 100,000 documents: words 0.938, with
title bigrams 0.949, with body bigrams too 0.966; the exact pre-ranking 0.898).

The average lengths are those of the moment a posting is written; they drift slowly and move
every document of a list alike.
"""

from __future__ import annotations

from typing import Any

from pipeline.index.search import RANKING
from pipeline.storage.postgres.rank import field_b
from pipeline.storage.postgres.schema import FTS_COLUMNS, FTS_FIELDS

DEPTH = {"title": 20000, "title_bg": 20000, "body": 300}  # documents kept per word of a field
SLACK = 0.25  # a list is cut when it holds more than DEPTH × (1 + SLACK) documents


def _impact(field: str) -> str:
    """The SQL weight of posting ``u`` (an ``unnest`` of the field's vector) of row ``d``; the
    field's average length is the parameter."""
    k1, b = RANKING["K1"], field_b(field)
    position = FTS_FIELDS.index(field) + 1
    tf = "cardinality(u.positions)"
    return (f"({tf} * {k1 + 1}) / ({tf} + {k1} * ({1 - b} + {b}"
            f" * coalesce(d.lengths[{position}], 0) / %s::float8))")


def _average(conn: Any, field: str) -> float:
    rows = {row["field"]: int(row["total"]) for row in conn.execute(
        "SELECT field, total FROM field_stats WHERE field IN ('__documents__', %s)", (field,))}
    return (rows.get(field, 0) / max(rows.get("__documents__", 0), 1)) or 1.0


def _postings(field: str, rows: str) -> str:
    """The postings (term, impact, year, id, fonds) of the current rows ``rows`` selects
    (a FROM-clause item aliased ``d``) in ``field``."""
    column = FTS_COLUMNS[field]
    return (f"SELECT u.lexeme AS term, {_impact(field)} AS impact, d.year, d.id, d.fonds"
            f" FROM {rows}, unnest(d.{column}) u WHERE d.{column} IS NOT NULL"
            " AND d.is_current AND d.state = 'active'")


def forget_batch(conn: Any) -> None:
    """Take the postings of the documents in ``pg_temp.batch`` out (before their rows go)."""
    conn.execute(
        "WITH gone AS (DELETE FROM term_top t USING pg_temp.batch b WHERE t.id = b.id"
        " RETURNING t.field, t.term)"
        " UPDATE term_stats s SET top_count = s.top_count - x.n FROM (SELECT field, term,"
        " count(*) AS n FROM gone GROUP BY field, term) x WHERE s.field = x.field AND s.term = x.term")


def add_batch(conn: Any) -> None:
    """Put the postings of the rows in ``pg_temp.batch`` (just written) into the lists they
    reach, then cut the lists that grew ``SLACK`` past their depth."""
    for field, depth in DEPTH.items():
        conn.execute("DROP TABLE IF EXISTS pg_temp.new_postings")
        conn.execute(
            "CREATE TEMP TABLE new_postings ON COMMIT DROP AS SELECT p.* FROM ("
            + _postings(field, "documents d JOIN pg_temp.batch b ON b.id = d.id")
            + ") p JOIN term_stats s ON s.field = %s AND s.term = p.term WHERE p.impact > s.top_floor",
            (_average(conn, field), field))
        conn.execute("INSERT INTO term_top (field, term, impact, year, id, fonds)"
                     " SELECT %s, term, impact, year, id, fonds FROM pg_temp.new_postings", (field,))
        conn.execute(
            "UPDATE term_stats s SET top_count = s.top_count + x.n FROM (SELECT term, count(*) AS n"
            " FROM pg_temp.new_postings GROUP BY term) x WHERE s.field = %s AND s.term = x.term",
            (field,))
        _cut(conn, field, depth, "SELECT term FROM term_stats WHERE field = %s AND top_count > %s"
             " AND term IN (SELECT term FROM pg_temp.new_postings)", [field, depth * (1 + SLACK)])


def _cut(conn: Any, field: str, depth: int, terms_sql: str, params: list[Any]) -> None:
    """Cut the lists of ``field``'s words ``terms_sql`` selects to ``depth`` documents and raise
    their floors to the weight of the last one kept."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.ranked_postings")
    conn.execute(
        "CREATE TEMP TABLE ranked_postings ON COMMIT DROP AS SELECT t.ctid AS at, t.term, t.impact,"
        " row_number() OVER (PARTITION BY t.term ORDER BY t.impact DESC, t.id) AS rank"
        f" FROM term_top t WHERE t.field = %s AND t.term IN ({terms_sql})", [field, *params])
    conn.execute("DELETE FROM term_top t USING pg_temp.ranked_postings r"
                 " WHERE t.ctid = r.at AND r.rank > %s", (depth,))
    conn.execute("UPDATE term_stats s SET top_floor = r.impact, top_count = r.rank"
                 " FROM pg_temp.ranked_postings r WHERE s.field = %s AND s.term = r.term"
                 " AND r.rank = %s", (field, depth))


def rebuild(conn: Any) -> None:
    """Every list from the current rows (a new schema's first fill; after many removals)."""
    conn.execute("DELETE FROM term_top")
    conn.execute("UPDATE term_stats SET top_floor = 0, top_count = 0"
                 " WHERE top_floor <> 0 OR top_count <> 0")
    for field, depth in DEPTH.items():
        conn.execute(
            "INSERT INTO term_top (field, term, impact, year, id, fonds)"
            " SELECT %s, term, impact, year, id, fonds FROM ("
            " SELECT p.*, row_number() OVER (PARTITION BY term ORDER BY impact DESC, id) AS rank"
            f" FROM ({_postings(field, 'documents d')}) p) x WHERE rank <= %s",
            (field, _average(conn, field), depth))
        conn.execute(
            "UPDATE term_stats s SET top_count = x.n, top_floor = CASE WHEN x.n >= %s THEN x.floor"
            " ELSE 0 END FROM (SELECT term, count(*) AS n, min(impact) AS floor FROM term_top"
            " WHERE field = %s GROUP BY term) x WHERE s.field = %s AND s.term = x.term",
            (depth, field, field))
