"""The PostgreSQL schema: the catalog (documents, files, runs, corrections), the use record, the
全宗 grants and the full-text columns, in one database.

``documents`` is partitioned by year (declarative ``PARTITION BY RANGE``): one partition per year,
created when a document of that year first arrives, and a default partition for documents without
a date (year 0). Each local partition has ``id`` as its primary key; the partitioned table has
none (PostgreSQL refuses foreign-table partitions under a unique index, and a unique index must
hold the partition key): a document id (the first 16 hex digits of its SHA-256) is unique by
construction, and a row is always deleted before it is written again.

Full text: one ``tsvector`` per field of the embedded index (``FTS_COLUMNS``), written from the same
terms the Whoosh index holds (jieba words, character bigrams: ``pipeline.index.analysis``), never
from PostgreSQL's own parser; the ``simple`` configuration is named for the query side only.
A GIN index on each; the vectors are filled for the current, active version of each document
and NULL otherwise, so superseded versions cost no index space. ``term_stats`` and
``field_stats`` keep the document frequencies and field lengths that BM25 needs (maintained by
``pipeline.storage.postgres.catalog`` as documents come and go).

openGauss / KingbaseES notes (not testable here): declarative partitioning
(``PARTITION BY RANGE`` … ``PARTITION OF``, ``DEFAULT`` partitions) is PostgreSQL 10/11 syntax;
openGauss has its own ``PARTITION BY RANGE (…) (PARTITION p VALUES LESS THAN (…))`` form and no
``DEFAULT`` partition, KingbaseES V8R6 accepts PostgreSQL's. ``CREATE … IF NOT EXISTS`` on
indexes and the trigger function in PL/pgSQL work in both; ``tsvector``/GIN exist in both.
The search and the 1 → 2 upgrade use PostgreSQL 9.6+ text-search functions (``unnest(tsvector)``,
``ts_filter``, ``setweight`` with a lexeme list) and 12+ ``MATERIALIZED`` CTEs and ``LATERAL``
(9.3): openGauss (a 9.2 base) may lack several; KingbaseES V8R6 (a 12 base) should have them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from pipeline.office.audit import FIELDS

# Whoosh field -> tsvector column (the Whoosh names "title", "body" are catalog columns here)
FTS_COLUMNS = {
    "title": "ts_title", "title_bg": "ts_title_bg", "body": "ts_body", "body_bg": "ts_body_bg",
    "issuer_bg": "ts_issuer_bg", "recipients_bg": "ts_recipients_bg",
}
FTS_FIELDS = tuple(FTS_COLUMNS)  # the order of ``documents.lengths``
# the body's most frequent words (``TOP_WORDS`` at most, each held at least twice, positions
# 1…min(tf, TOP_TF)): small enough to stay in the row, what a search pre-ranks every matching
# row on besides the short fields (``rank.first_score``)
TOP_COLUMN = "ts_body_top"
TOP_WORDS, TOP_TF = 64, 8
# a row's sample key: its id's hash, uniform whatever the ids look like; the rows below a bound
# are a sample of the archive (``broad``: estimated totals and facets), found by an index
SAMPLE_SLOTS = 65536
SAMPLE_KEY = f"(hashtext(id) & {SAMPLE_SLOTS - 1})"
# 2: ts_body_top; 3: TERM_INDEXES; 4: term_top (``pipeline.storage.postgres.term_top``)
SCHEMA_VERSION = 4
LOCK_KEY = 1_904_190_419  # pg_advisory_xact_lock key of the writers (one at a time)

# impact-ordered postings of the word fields (``pipeline.storage.postgres.term_top``): a word's
# best documents are one index range, read in order of weight without touching the rows
TERM_TOP_TABLE = """CREATE TABLE IF NOT EXISTS term_top (
    field TEXT NOT NULL, term TEXT NOT NULL, impact REAL NOT NULL,
    year INTEGER NOT NULL, id TEXT NOT NULL, fonds TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS term_top_order ON term_top (field, term, impact DESC)
    INCLUDE (year, id, fonds);
CREATE INDEX IF NOT EXISTS term_top_id ON term_top (id);
"""

# the use record's columns are the embedded one's (pipeline.office.audit), "user" quoted
USE_RECORD_TABLE = (
    "CREATE TABLE IF NOT EXISTS use_record (seq BIGINT PRIMARY KEY, "
    + ", ".join(f'"{name}" TEXT' + ("" if name == "purpose" else " NOT NULL") for name in FIELDS)
    + ", prev TEXT NOT NULL, hash TEXT NOT NULL);")

# "did you mean" reads the terms sharing a word's first or last half (pipeline.storage.postgres.suggest):
# prefix ranges of the term and of the reversed term, compared byte by byte whatever the collation
# (the word fields only: the bigram fields' rows are most of the table)
TERM_INDEXES = """
CREATE INDEX IF NOT EXISTS term_stats_prefix ON term_stats (term text_pattern_ops)
    WHERE field IN ('title', 'body');
CREATE INDEX IF NOT EXISTS term_stats_suffix ON term_stats (reverse(term) text_pattern_ops)
    WHERE field IN ('title', 'body');
"""

TABLES = f"""
CREATE TABLE IF NOT EXISTS documents (
    id TEXT NOT NULL,
    year INTEGER NOT NULL DEFAULT 0,
    fonds TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    text_key TEXT,
    chain TEXT NOT NULL,
    is_current BOOLEAN NOT NULL DEFAULT TRUE,
    state TEXT NOT NULL DEFAULT 'active',
    title TEXT, doc_number TEXT, number_key TEXT, genre TEXT, date TEXT, issuer TEXT,
    path TEXT,
    doc_json TEXT,
    meta_json TEXT,
    nearsig BYTEA,
    quarantine_reason TEXT,
    run_id INTEGER,
    added_at DOUBLE PRECISION NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    -- what a search reads besides the vectors
    restricted BOOLEAN NOT NULL DEFAULT FALSE,
    issuers TEXT[] NOT NULL DEFAULT '{{}}',
    doc_keys TEXT[] NOT NULL DEFAULT '{{}}',
    keys TEXT[] NOT NULL DEFAULT '{{}}',
    topics TEXT[] NOT NULL DEFAULT '{{}}',
    title_derived BOOLEAN NOT NULL DEFAULT FALSE,
    passages JSONB,
    lengths INTEGER[],
    nearbands TEXT[],
    {", ".join(f"{column} TSVECTOR" for column in FTS_COLUMNS.values())},
    {TOP_COLUMN} TSVECTOR
) PARTITION BY RANGE (year);
CREATE TABLE IF NOT EXISTS documents_undated PARTITION OF documents DEFAULT;
ALTER TABLE documents_undated ADD PRIMARY KEY (id);
CREATE INDEX IF NOT EXISTS documents_chain ON documents (chain);
CREATE INDEX IF NOT EXISTS documents_number_key ON documents (number_key);
CREATE INDEX IF NOT EXISTS documents_text_key ON documents (text_key);
CREATE INDEX IF NOT EXISTS documents_id ON documents (id);
CREATE INDEX IF NOT EXISTS documents_nearbands ON documents USING GIN (nearbands);
-- catalogue terms (文种, 年份, 文号 keys, sessions, issuers) sit in ORs beside full-text terms: each
-- needs an index of its own, or one of them turns the whole OR into a scan of every row
CREATE INDEX IF NOT EXISTS documents_genre ON documents (genre);
CREATE INDEX IF NOT EXISTS documents_year ON documents (year);
CREATE INDEX IF NOT EXISTS documents_date ON documents (date);
CREATE INDEX IF NOT EXISTS documents_sample ON documents ({SAMPLE_KEY});
{"".join(f"CREATE INDEX IF NOT EXISTS documents_{c} ON documents USING GIN ({c});" + chr(10)
         for c in ("doc_keys", "keys", "issuers", "topics"))}{"".join(f"CREATE INDEX IF NOT EXISTS documents_{c} ON documents USING GIN ({c});" + chr(10)
         for c in FTS_COLUMNS.values())}
CREATE TABLE IF NOT EXISTS files (
    id BIGSERIAL PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    sm3 TEXT NOT NULL,
    size BIGINT NOT NULL,
    mtime DOUBLE PRECISION,
    format TEXT,
    pages INTEGER,
    stored TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    role TEXT NOT NULL,
    is_current BOOLEAN NOT NULL DEFAULT TRUE,
    run_id INTEGER,
    added_at DOUBLE PRECISION NOT NULL,
    UNIQUE (path, sha256)
);
CREATE INDEX IF NOT EXISTS files_doc ON files (doc_id);

CREATE TABLE IF NOT EXISTS runs (
    id BIGSERIAL PRIMARY KEY,
    source TEXT,
    source_id INTEGER,
    started DOUBLE PRECISION NOT NULL,
    finished DOUBLE PRECISION,
    paths TEXT,
    summary TEXT,
    UNIQUE (source, source_id)
);

CREATE TABLE IF NOT EXISTS corrections (
    doc_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (doc_id, field)
);

CREATE TABLE IF NOT EXISTS grants (
    user_name TEXT NOT NULL,
    fonds TEXT NOT NULL,
    PRIMARY KEY (user_name, fonds)
);

CREATE TABLE IF NOT EXISTS term_stats (
    field TEXT NOT NULL,
    term TEXT NOT NULL,
    df INTEGER NOT NULL,
    top_floor REAL NOT NULL DEFAULT 0,
    top_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (field, term)
);
{TERM_INDEXES}
{TERM_TOP_TABLE}
CREATE TABLE IF NOT EXISTS field_stats (
    field TEXT PRIMARY KEY,
    total BIGINT NOT NULL
);

{USE_RECORD_TABLE}
CREATE OR REPLACE FUNCTION use_record_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '利用记录只能追加，不能修改或删除';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS use_record_no_change ON use_record;
CREATE TRIGGER use_record_no_change BEFORE UPDATE OR DELETE ON use_record
    FOR EACH ROW EXECUTE FUNCTION use_record_append_only();

CREATE TABLE IF NOT EXISTS gongwen_schema (version INTEGER NOT NULL);
"""
USE_RECORD_TRIGGER = "use_record_no_change"


def ensure_schema(conn: Any, refill: Callable[[Any], None]) -> None:
    """Create what is missing, or bring an older schema up to ``SCHEMA_VERSION`` (idempotent;
    one writer at a time); ``refill`` fills the impact-ordered postings of an upgraded one
    (``term_top.rebuild``)."""
    with conn.transaction():
        conn.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY})")
        if conn.execute("SELECT to_regclass('gongwen_schema') AS found").fetchone()["found"]:
            version = conn.execute("SELECT max(version) AS v FROM gongwen_schema").fetchone()["v"]
            if (version or 1) < SCHEMA_VERSION:
                _upgrade(conn, version or 1, refill)
            return
        conn.execute(TABLES)
        _fast_compression(conn)
        conn.execute(TOP_STORAGE)
        conn.execute("INSERT INTO field_stats (field, total) VALUES ('__documents__', 0)"
                     " ON CONFLICT DO NOTHING")
        conn.execute("INSERT INTO gongwen_schema (version) VALUES (%s)", (SCHEMA_VERSION,))


# kept in the row (compressed) rather than in TOAST: every matching row's is read
TOP_STORAGE = f"ALTER TABLE documents ALTER COLUMN {TOP_COLUMN} SET STORAGE MAIN"
# ts_body_top from ts_body (positions 1…tf), as ``vectors.top_words_text`` writes it
TOP_FROM_BODY = rf"""
UPDATE documents SET {TOP_COLUMN} = (
    SELECT coalesce(string_agg('''' || replace(replace(u.lexeme, '\', '\\'), '''', '''''')
        || ''':' || array_to_string(ARRAY(SELECT generate_series(1, least(u.tf, {TOP_TF}))), ','),
        ' '), '')::tsvector
    FROM (SELECT lexeme, cardinality(positions) AS tf FROM unnest(ts_body)
          WHERE cardinality(positions) >= 2
          ORDER BY cardinality(positions) DESC, lexeme COLLATE "C" LIMIT {TOP_WORDS}) u)
WHERE ts_body IS NOT NULL"""


def _upgrade(conn: Any, version: int, refill: Callable[[Any], None]) -> None:
    """An existing database to ``SCHEMA_VERSION``: 1 → 2 adds ``ts_body_top``, computed from the
    rows' ``ts_body`` (every current row rewritten once: minutes on 100,000 documents); 2 → 3
    indexes ``term_stats`` for "did you mean" (seconds); 3 → 4 adds ``term_top``, filled from
    the rows' vectors (``refill``: minutes on 100,000 documents), and the sample key's index."""
    if version < 2:
        conn.execute(f"ALTER TABLE documents ADD COLUMN IF NOT EXISTS {TOP_COLUMN} TSVECTOR")
        conn.execute(TOP_STORAGE)
        conn.execute(TOP_FROM_BODY)
    if version < 3:
        conn.execute(TERM_INDEXES)
    if version < 4:
        conn.execute("ALTER TABLE term_stats ADD COLUMN IF NOT EXISTS top_floor REAL NOT NULL"
                     " DEFAULT 0, ADD COLUMN IF NOT EXISTS top_count INTEGER NOT NULL DEFAULT 0")
        conn.execute(TERM_TOP_TABLE)
        conn.execute(f"CREATE INDEX IF NOT EXISTS documents_sample ON documents ({SAMPLE_KEY})")
        refill(conn)
    conn.execute("UPDATE gongwen_schema SET version = %s", (SCHEMA_VERSION,))


def _fast_compression(conn: Any) -> None:
    """LZ4 for the full-text columns where the server has it (PostgreSQL 14 built with lz4): a
    search reads each matching row's vectors, and LZ4 unpacks several times faster than the
    default pglz. Elsewhere the default stays."""
    import psycopg

    with contextlib.suppress(psycopg.Error), conn.transaction():
        for table in ("documents", "documents_undated"):  # later partitions take the parent's
            for column in FTS_COLUMNS.values():
                conn.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def ensure_year(conn: Any, year: int, known: set[int]) -> None:
    """The partition of ``year`` (documents of year 0 go to the default partition). A year's
    rows never sit in the default partition, so attaching it never has to move any."""
    if year <= 0 or year in known:
        return
    name = f"documents_{year:04d}"
    if conn.execute("SELECT to_regclass(%s) AS found", (name,)).fetchone()["found"] is None:
        conn.execute(f"CREATE TABLE {name} PARTITION OF documents FOR VALUES FROM ({year}) TO"
                     f" ({year + 1})")
        conn.execute(f"ALTER TABLE {name} ADD PRIMARY KEY (id)")
    known.add(year)


def partition_years(conn: Any) -> set[int]:
    rows = conn.execute("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'documents'")
    return {int(name[len("documents_"):]) for (name,) in rows
            if name[len("documents_"):].isdigit()}
