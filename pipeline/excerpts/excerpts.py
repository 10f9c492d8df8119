"""``excerpts``: the best passages for a query, each with its citation (title, 文号, date, where).

The search picks the documents (its ranking, synonyms, abbreviations and year filter); their
paragraphs, read from the catalog so that each knows where it stands, are scored with the search's
own passage scorer (``pipeline.index.passages``). A long paragraph gives the run of whole sentences
around its best sentence, never a cut one. The same text from two documents (a reprint, a copy
filed twice) is given once, cited from the earliest document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pipeline.excerpts.sections import Paragraph, paragraphs, sentences
from pipeline.home import Home
from pipeline.index.passages import query_terms, score_passages, term_weights
from pipeline.index.query import parse
from pipeline.index.search import READING, search, searcher_for
from pipeline.model import Document
from pipeline.text.normalize import fold
from pipeline.text.synonyms import table as synonym_table

CANDIDATES = 20  # documents searched for passages (at least; twice the limit when larger)
PER_DOCUMENT = 2  # passages a document may give
EXCERPT_CHARS = 300  # a longer paragraph gives the sentences around its best one, up to this
_NOT_TEXT = re.compile(r"[\s\W_]+")


def excerpts(home: Home, query: str, year: int | str | None = None, limit: int = 10,
             include_restricted: bool = True) -> dict[str, Any]:
    """``{"passages": [{"text","doc_id","title","doc_number","date","section","restricted"}]}``,
    best first (``restricted``: from a 内部 document, found only when ``include_restricted``: the
    search picks the documents)."""
    found = search(home.root, query, limit=max(CANDIDATES, 2 * limit), year=year,
                   include_restricted=include_restricted)
    with READING:  # Whoosh's files are read through shared handles (pipeline.index.search)
        searcher = searcher_for(home.root)
        if not found["hits"] or searcher is None:
            return {"passages": []}
        whoosh_query, _parsed = parse(query, synonym_table(home.root))
        weights = term_weights(searcher, query_terms(whoosh_query))
    return passages_of(found["hits"], weights, lambda doc_id: _document(home, doc_id), limit)


def passages_of(hits: list[dict[str, Any]], weights: dict[str, float],
                load: Callable[[str], Document], limit: int) -> dict[str, Any]:
    """The best passages of a search's ``hits`` (``weights``: the query's term weights, ``load``
    a document by id: any catalog's, ``pipeline.storage``), as ``excerpts`` returns them."""
    scored: list[tuple[float, int, dict[str, Any]]] = []
    for rank, hit in enumerate(hits):
        scored.extend((score, rank, passage) for score, passage in _document_passages(load, hit, weights))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return {"passages": _distinct([passage for _, _, passage in scored], limit)}


def _document_passages(load: Callable[[str], Document], hit: dict[str, Any],
                       weights: dict[str, float]) -> list[tuple[float, dict[str, Any]]]:
    try:
        doc = load(hit["id"])
    except KeyError:  # gone (or quarantined) since the index was written
        return []
    located = paragraphs(doc)
    stored = [[p.section, p.text, fold(p.text)] for p in located]
    best = score_passages(weights, [(hit["id"], stored)], per_doc=PER_DOCUMENT).get(hit["id"], [])
    result = []
    for score, found in best:
        paragraph = located[found["position"]]
        result.append((score, {
            "text": _whole_sentences(paragraph, weights), "doc_id": hit["id"],
            "title": hit.get("title"), "doc_number": hit.get("doc_number"),
            "date": hit.get("date"), "section": paragraph.section, "restricted": bool(doc.restricted),
        }))
    return result


def _document(home: Home, doc_id: str) -> Document:
    from pipeline.archive.catalog import connect, load_row, resolve_id

    conn = connect(home)
    try:
        doc, _meta = load_row(conn, resolve_id(conn, doc_id))
        return doc
    finally:
        conn.close()


def _whole_sentences(paragraph: Paragraph, weights: dict[str, float]) -> str:
    """The paragraph, or the whole sentences around its best one up to ``EXCERPT_CHARS``."""
    if len(paragraph.text) <= EXCERPT_CHARS:
        return paragraph.text
    parts = sentences(paragraph.text)
    scores = [sum(w for term, w in weights.items() if term in fold(s)) for s in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    start = end = best
    length = len(parts[best])
    while True:  # grow towards the better-scoring neighbour while it fits
        options = [i for i in (start - 1, end + 1) if 0 <= i < len(parts)
                   and length + len(parts[i]) <= EXCERPT_CHARS]
        if not options:
            break
        pick = max(options, key=lambda i: (scores[i], -i))
        length += len(parts[pick])
        start, end = min(start, pick), max(end, pick)
    return "".join(parts[start:end + 1])


def _distinct(passages: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """One passage per text: a text found (inside another) in several documents, ignoring spaces
    and punctuation, is cited from the earliest of them (the original, not a later reprint), at
    the rank of its best copy."""
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for passage in passages:
        key = _NOT_TEXT.sub("", fold(passage["text"]))
        if not key:
            continue
        group = next((g for g in groups if key in g[0] or g[0] in key), None)
        if group is None:
            groups.append((key, [passage]))
        else:
            group[1].append(passage)
    return [min(copies, key=_earliest) for _key, copies in groups[:limit]]


def _earliest(passage: dict[str, Any]) -> tuple[bool, str]:
    return passage["date"] is None, passage["date"] or ""
