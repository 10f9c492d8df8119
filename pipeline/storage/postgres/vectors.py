"""A document's search row for PostgreSQL: the embedded index's record, its fields turned into
``tsvector`` values from the same terms, and the statistics BM25 needs kept up to date.

The record is ``pipeline.index.writer``'s (title cut, 文号 and title joined to the body, session
keys, near-copy signature, access); each text field is split by the analyser the Whoosh schema
gives it (jieba words or character bigrams), so both backends index exactly the same terms.
A ``tsvector`` keeps at most 256 positions per term and none past 16,383: fields indexed with
positions for phrases (``*_bg``) keep their real positions (a phrase past character ~16,000 of
a very long text is not found; its terms still are); word fields, which no phrase reads, get
positions 1…n so that the number of positions is the term frequency.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from pipeline.archive.sync import index_meta
from pipeline.index.schema import build_schema
from pipeline.index.writer import doc_record, document_text
from pipeline.model import Document
from pipeline.storage.postgres.schema import FTS_COLUMNS, FTS_FIELDS, TOP_COLUMN, TOP_TF, TOP_WORDS

MAX_POSITIONS = 256  # PostgreSQL's MAXNUMPOS
MAX_POSITION = 16383  # MAXENTRYPOS - 1
MAX_LEXEME_BYTES = 2046

_schema = None


def _fields() -> Any:
    global _schema
    if _schema is None:
        _schema = build_schema()
    return _schema


def quote(term: str) -> str:
    """``term`` as a quoted lexeme of the ``tsvector``/``tsquery`` input syntax."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(terms: list[str], positions: bool) -> str:
    """The ``tsvector`` input text of ``terms`` (in text order)."""
    places: dict[str, list[int]] = {}
    for position, term in enumerate(terms, start=1):
        found = places.get(term)
        if found is None:
            places[term] = [position]
        elif len(found) < MAX_POSITIONS:
            found.append(position)
    parts = []
    for term, where in places.items():
        if not _indexable(term):
            continue
        if positions:
            kept = sorted({min(p, MAX_POSITION) for p in where})
        else:
            kept = range(1, len(where) + 1)
        parts.append(f"{quote(term)}:{','.join(map(str, kept))}")
    return " ".join(parts)


def top_words_text(terms: list[str]) -> str:
    """The ``tsvector`` input text of the body's most frequent words (``schema.TOP_COLUMN``): the
    ``TOP_WORDS`` held most often (at least twice; ties in code point order, as ``ORDER BY
    lexeme COLLATE "C"`` sorts them), positions 1…min(tf, ``TOP_TF``)."""
    counts = Counter(term for term in terms if _indexable(term))
    top = sorted(((min(n, MAX_POSITIONS), term) for term, n in counts.items() if n >= 2),
                 key=lambda pair: (-pair[0], pair[1]))[:TOP_WORDS]
    return " ".join(f"{quote(term)}:{','.join(map(str, range(1, min(n, TOP_TF) + 1)))}"
                    for n, term in top)


def _indexable(term: str) -> bool:
    return bool(term) and len(term.encode("utf-8")) <= MAX_LEXEME_BYTES


def field_terms(name: str, value: str) -> list[str]:
    """The terms the embedded index holds for ``value`` in field ``name``."""
    return _fields()[name].analyzer.split(value) if value else []


def search_columns(doc_id: str, doc: Document, meta: dict[str, Any], path: str) -> dict[str, Any]:
    """The search columns of a current document (``documents`` row values by column name)."""
    record = doc_record(doc_id, doc, index_meta(doc, meta, path), document_text(doc))
    schema = _fields()
    values: dict[str, Any] = {}
    lengths = []
    for name in FTS_FIELDS:
        terms = field_terms(name, record.get(name) or "")
        lengths.append(len(terms))
        phrases = schema[name].format.supports("positions")
        values[FTS_COLUMNS[name]] = tsvector_text(terms, positions=phrases)
        if name == "body":
            values[TOP_COLUMN] = top_words_text(terms)
    values.update(
        lengths=lengths,
        restricted=bool(meta.get("restricted")),
        issuers=[i for i in (record.get("issuer_facet") or "").split("|") if i],
        doc_keys=[record["doc_key"]] if record.get("doc_key") else [],
        keys=[k for k in (record.get("keys") or "").split(",") if k],
        topics=[t for t in (record.get("topics") or "").split(",") if t],
        title_derived=bool(record.get("title_derived")),
        passages=json.dumps(record.get("passages") or [], ensure_ascii=False),
        nearsig=record.get("nearsig"),
        nearbands=near_bands(record.get("nearsig")),
        genre=record.get("genre"),
    )
    return values


BAND = 4  # MinHash buckets per band: a pair at the near-copy threshold shares one of 16 bands
# with probability 1 - (1 - 0.8 ** 4) ** 16 > 0.999


def near_bands(signature: bytes | None) -> list[str]:
    """Keys of the signature's bands (``pipeline.index.nearcopy``): documents sharing a key are
    the candidates ``show`` compares for near-copies (a GIN index finds them); bands holding an
    empty bucket (short texts) are left out."""
    if not signature:
        return []
    width = BAND * 4
    keys = []
    for number, start in enumerate(range(0, len(signature), width)):
        band = signature[start:start + width]
        if b"\xff\xff\xff\xff" not in [band[i:i + 4] for i in range(0, len(band), 4)]:
            keys.append(f"{number}:{band.hex()}")
    return keys


def year_of_date(date: str | None) -> int:
    """The partition year: the 成文日期's year, 0 when unknown."""
    return int(date[:4]) if date and len(date) >= 4 and date[:4].isdigit() else 0


# --- statistics ---------------------------------------------------------------------------------
def update_stats(conn: Any, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) the document frequencies and field lengths of the
    indexed rows whose ids are in the temporary table ``batch``."""
    for name, column in FTS_COLUMNS.items():
        inner = (f"SELECT d.{column} FROM documents d JOIN pg_temp.batch b ON b.id = d.id"
                 f" WHERE d.{column} IS NOT NULL")
        conn.execute(
            "INSERT INTO term_stats (field, term, df)"
            " SELECT %s, word, %s * ndoc FROM ts_stat(%s)"
            " ON CONFLICT (field, term) DO UPDATE SET df = term_stats.df + excluded.df",
            (name, sign, inner))
    totals = conn.execute(
        "SELECT count(*) AS n, " + ", ".join(f"coalesce(sum(d.lengths[{i + 1}]), 0) AS f{i}"
                                        for i in range(len(FTS_FIELDS)))
        + " FROM documents d JOIN pg_temp.batch b ON b.id = d.id WHERE d.lengths IS NOT NULL"
    ).fetchone()
    for name, total in zip(("__documents__", *FTS_FIELDS), list(totals.values())):
        if total:
            conn.execute("INSERT INTO field_stats (field, total) VALUES (%s, %s) ON CONFLICT"
                         " (field) DO UPDATE SET total = field_stats.total + excluded.total",
                         (name, sign * int(total)))


def stage_ids(conn: Any, ids: list[str]) -> None:
    """The temporary table ``batch`` holding ``ids`` (dropped at the transaction's end)."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS batch (id TEXT PRIMARY KEY) ON COMMIT DELETE ROWS")
    conn.execute("DELETE FROM pg_temp.batch")
    with conn.cursor().copy("COPY pg_temp.batch (id) FROM STDIN") as copy:
        for doc_id in dict.fromkeys(ids):
            copy.write_row((doc_id,))
