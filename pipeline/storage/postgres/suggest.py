""""Did you mean" on PostgreSQL: the embedded backend's suggestion (``pipeline.index.suggest``)
from ``term_stats``.

A word one edit away from a word of ``n`` characters (a replacement, an insertion, a deletion)
starts with the word's first ``⌈n/2⌉`` characters or ends with its last ``⌊n/2⌋``
(``pipeline.index.neighbours``): the title and body rows of ``term_stats`` sharing either are
read through two indexes (``schema.TERM_INDEXES``: the term, and the term reversed, as prefix
ranges), and kept when they match one of the ``2n + 1`` LIKE patterns (``_`` in place of a
character, or between two) or are one of the ``n`` words with a character taken out. As Whoosh's
corrector weighs the five most frequent close words of a field (by occurrences, then the greater
word), so does this: when a field has more than five, their occurrences are summed from the
documents that hold them (``ts_stat``, rare: most unknown words have fewer close words). A
candidate is offered only if a document the reader may see holds it, and the corrected query
only if it finds one (filters and 全宗 applied).
"""

from __future__ import annotations

from typing import Any

from whoosh import query as Q

from pipeline.index.suggest import CLOSE_WORDS, SUGGESTION_FIELDS, best_word, suggestion_of
from pipeline.storage.postgres.compile import Sql, condition
from pipeline.storage.postgres.rows import current_rows
from pipeline.storage.postgres.schema import FTS_COLUMNS
from pipeline.storage.postgres.vectors import quote

LIKE_ESCAPE = str.maketrans({"\\": "\\\\", "%": "\\%", "_": "\\_"})


def suggestion(conn: Any, query: str, words: list[str], synonyms: Any, where: Sql | None,
               fonds: list[str] | None) -> str | None:
    """The corrected query to offer for ``query`` (its content ``words``), or None; ``where``:
    the search's filters, ``fonds``: the 全宗 the reader is granted (None: all)."""
    visible = _Visible(conn, where, fonds)
    return suggestion_of(query, words, synonyms, known=lambda word: _known(conn, word),
                         closest=lambda word: _closest(conn, word, visible),
                         finds=lambda tree: visible.any(condition(tree)))


class _Visible:
    """Whether a document the reader may see matches a condition."""

    def __init__(self, conn: Any, where: Sql | None, fonds: list[str] | None):
        self.conn = conn
        self.filtered = where is not None or fonds is not None
        self.clauses, self.params = [], []
        if where is not None:
            self.clauses.append(f"({where.text})")
            self.params += where.params
        if fonds is not None:
            self.clauses.append("fonds = ANY(%s)")
            self.params.append(fonds)

    def any(self, found: Sql) -> bool:
        where = current_rows([found.text, *self.clauses])
        row = self.conn.execute(f"SELECT EXISTS (SELECT 1 FROM documents WHERE {where})"
                                " AS found", [*found.params, *self.params]).fetchone()
        return bool(row["found"])

    def holds(self, field: str, word: str) -> bool:
        """A document the reader may see holds ``word`` in ``field`` (every counted word is held
        by some current document: asked only when something is filtered out)."""
        return not self.filtered or self.any(Sql(f"{FTS_COLUMNS[field]} @@ %s::tsquery", [quote(word)]))


def _known(conn: Any, word: str) -> bool:
    row = conn.execute("SELECT EXISTS (SELECT 1 FROM term_stats WHERE field IN ('title', 'body')"
                       " AND term = %s AND df > 0) AS found", (word,)).fetchone()
    return bool(row["found"])


def one_edit_patterns(word: str) -> tuple[list[str], list[str]]:
    """LIKE patterns (replacements, insertions) and exact words (deletions) one edit from ``word``."""
    chars = [c.translate(LIKE_ESCAPE) for c in word]
    patterns = ["".join(chars[:i] + ["_"] + chars[i + 1:]) for i in range(len(chars))]
    patterns += ["".join(chars[:i] + ["_"] + chars[i:]) for i in range(len(chars) + 1)]
    deletions = list(dict.fromkeys(word[:i] + word[i + 1:] for i in range(len(word))))
    return patterns, deletions


CLOSE_ROWS = ("SELECT field, term, df FROM term_stats WHERE field IN ('title', 'body') AND df > 0"
              " AND (term LIKE %s OR reverse(term) LIKE %s)"  # the ranges TERM_INDEXES serve
              " AND term != %s AND (term LIKE ANY(%s) OR term = ANY(%s))")


def close_rows_params(word: str) -> tuple[Any, ...]:
    """``CLOSE_ROWS``'s parameters: the word's first half as a prefix, its last half reversed."""
    patterns, deletions = one_edit_patterns(word)
    half = (len(word) + 1) // 2
    head, tail = word[:half].translate(LIKE_ESCAPE), word[half:][::-1].translate(LIKE_ESCAPE)
    return head + "%", tail + "%", word, patterns, deletions


def close_rows(conn: Any, word: str) -> list[dict[str, Any]]:
    """The title and body rows of ``term_stats`` one edit from ``word`` (field, term, df)."""
    return conn.execute(CLOSE_ROWS, close_rows_params(word)).fetchall()


def _closest(conn: Any, word: str, visible: _Visible) -> str | None:
    return closest_of(conn, close_rows(conn, word), visible)


def closest_of(conn: Any, rows: list[dict[str, Any]], visible: _Visible) -> str | None:
    """The word to offer of the close ``rows`` (``close_rows``)."""
    candidates: list[tuple[int, int, str]] = []
    for field, bonus in SUGGESTION_FIELDS:
        found = {row["term"]: row["df"] for row in rows if row["field"] == field}
        for term in _most_frequent(conn, field, found):
            if len(term) >= 2 and visible.holds(field, term):
                candidates.append((bonus, found[term], term))
    return best_word(candidates)


def _most_frequent(conn: Any, field: str, found: dict[str, int]) -> list[str]:
    """The ``CLOSE_WORDS`` words of ``found`` occurring most often in ``field`` (ties: the
    greater word), as Whoosh's corrector ranks them."""
    if len(found) <= CLOSE_WORDS:
        return list(found)
    column = FTS_COLUMNS[field]
    matching = " | ".join(quote(term) for term in found)
    inner = (f"SELECT {column} FROM documents WHERE is_current AND state = 'active'"
             f" AND {column} @@ {_literal(matching)}::tsquery")
    counts = {row["word"]: int(row["nentry"]) for row in conn.execute(
        "SELECT word, nentry FROM ts_stat(%s) WHERE word = ANY(%s)", (inner, list(found)))}
    return sorted(found, key=lambda term: (counts.get(term, 1), term), reverse=True)[:CLOSE_WORDS]


def _literal(text: str) -> str:
    """``text`` as an SQL string literal (``ts_stat`` takes its query as text)."""
    return "'" + text.replace("'", "''") + "'"


SEARCH_FILTERS = ("genre", "year", "issuer", "date_from", "date_to")


def search_suggestion(conn: Any, home: Any, query: str, options: dict[str, Any],
                      include_restricted: bool, fonds: list[str] | None) -> str | None:
    """The suggestion for a search that found nothing (``options``: the search's)."""
    from pathlib import Path

    from pipeline.index.search import prepare

    prepared = prepare(Path(home), query, *(options.get(name) for name in SEARCH_FILTERS),
                       include_restricted)
    if prepared is None:
        return None
    _tree, parsed, synonyms, filters = prepared
    where = condition(Q.And(filters)) if filters else None
    return suggestion(conn, query, parsed.words, synonyms, where, fonds)
