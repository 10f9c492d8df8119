"""Scoring the stored passages of a few candidate documents against a query, in Python.

Passages are not indexed (that doubled the index and the write time); a search scores the
passages of its top candidates only. The query's body terms (words, bigrams, phrases) are counted
in each passage's folded text and combined BM25-style, with the inverse document frequencies of
the document index. A word is counted wherever its characters occur (also inside longer words),
which is what the bigram field matches anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from whoosh import query as Q
from whoosh.searching import Searcher

BODY_FIELDS = ("body", "body_bg")
K1, B = 1.2, 0.75
AVERAGE_CHARS = 300.0  # typical passage length (PASSAGE_CHARS groups up to ~400)


def query_terms(query: Q.Query) -> list[tuple[str, str, float]]:
    """``(field, text, boost)`` of every positive body term in ``query``; a bigram phrase becomes
    ``("phrase", the text its bigrams spell, boost)``."""
    terms: list[tuple[str, str, float]] = []
    _collect(query, terms)
    return terms


def _collect(query: Q.Query, terms: list[tuple[str, str, float]]) -> None:
    if isinstance(query, Q.AndNot):
        _collect(query.a, terms)
    elif isinstance(query, Q.Not):
        return
    elif isinstance(query, Q.Phrase):
        if query.fieldname in BODY_FIELDS and query.words:
            text = query.words[0] + "".join(w[-1:] for w in query.words[1:])
            terms.append(("phrase", text, query.boost))
    elif isinstance(query, (Q.Term, Q.Prefix)):
        if query.fieldname in BODY_FIELDS and query.text:
            terms.append((query.fieldname, query.text, query.boost))
    else:
        for child in query.children():
            _collect(child, terms)


def _weights(searcher: Searcher, terms: list[tuple[str, str, float]]) -> dict[str, float]:
    """Text -> boost x idf (a text found under several fields adds up); a phrase is as rare as
    its rarest bigram."""
    weights: dict[str, float] = {}
    for field, text, boost in terms:
        if field == "phrase":
            idf = max((_idf(searcher, "body_bg", text[i:i + 2]) for i in range(len(text) - 1)),
                      default=1.0)
        else:
            idf = _idf(searcher, field, text)
        weights[text] = weights.get(text, 0.0) + boost * idf
    return weights


def _idf(searcher: Searcher, field: str, text: str) -> float:
    try:
        return searcher.idf(field, text)
    except (KeyError, ValueError):
        return 1.0


def term_weights(searcher: Searcher, terms: list[tuple[str, str, float]]) -> dict[str, float]:
    """The weights (boost x idf) of a query's body terms (``query_terms``)."""
    return _weights(searcher, terms)


def stored_text(stored: list) -> str:
    """A document's folded text from its stored passages."""
    return "\n".join(folded_text(p) for p in stored)


def folded_text(passage: list) -> str:
    """The folded text of a stored ``[section, text, folded or None]`` passage."""
    return passage[2] if len(passage) > 2 and passage[2] is not None else passage[1]


def score_passages(weights: dict[str, float], docs: Iterable[tuple[str, list]],
                   per_doc: int = 2) -> dict[str, list[tuple[float, dict[str, Any]]]]:
    """The ``per_doc`` best passages (score, {"text", "section"}) of each ``(doc_id, stored
    passages)`` with a positive score, for terms weighted by ``term_weights``."""
    best: dict[str, list[tuple[float, dict[str, Any]]]] = {}
    if not weights:
        return best
    for doc_id, stored in docs:
        if not stored:
            continue
        folded = [folded_text(p) for p in stored]
        whole = "\n".join(folded)
        present = [(t, w) for t, w in weights.items() if t in whole]
        if not present:
            continue
        scored = []
        for number, text in enumerate(folded):
            score = _bm25(text, present)
            if score > 0:
                scored.append((score, number))
        scored.sort(key=lambda item: (-item[0], item[1]))
        best[doc_id] = [(score, {"section": stored[n][0], "text": stored[n][1], "position": n})
                        for score, n in scored[:per_doc]]
    return best


def _bm25(text: str, terms: list[tuple[str, float]]) -> float:
    norm = K1 * (1 - B + B * len(text) / AVERAGE_CHARS)
    score = 0.0
    for term, weight in terms:
        tf = text.count(term)
        if tf:
            score += weight * tf * (K1 + 1) / (tf + norm)
    return score
