"""Snippets: a window of a hit's best passage around its densest matches, each match in 【】.

The passages are scored from the query's terms (``pipeline.index.passages``); a question's best
passages come from the re-ranking already, the others are scored here.
"""

from __future__ import annotations

import re
from typing import Any

from whoosh import query as Q
from whoosh.searching import Searcher

from pipeline.index.passages import folded_text, query_terms, score_passages, term_weights
from pipeline.text.normalize import fold

SNIPPET_CHARS = 120
MARK_OPEN, MARK_CLOSE = "【", "】"


def add_snippets(searcher: Searcher, query: Q.Query, hits: list[dict], marks: set[str],
                  best: dict[str, list], stored: dict[str, list]) -> None:
    missing = [(h["id"], stored.get(h["id"]) or []) for h in hits if h["id"] not in best]
    if missing:
        best = {**best, **score_passages(term_weights(searcher, query_terms(query)), missing)}
    for hit in hits:
        passages = stored.get(hit["id"]) or []
        found = best.get(hit["id"]) or _first_passage(passages)
        hit["snippets"] = [s for s in (highlight(p.get("text", ""), marks, folded=_folded(passages, p))
                                       for _, p in found) if s]


def _folded(passages: list, passage: dict[str, Any]) -> str | None:
    """The folded text stored with a passage (None: fold it again)."""
    position = passage.get("position")
    if position is None or not 0 <= position < len(passages):
        return None
    record = passages[position]
    if record[1] != passage.get("text"):
        return None
    return folded_text(record)


def _first_passage(stored: list) -> list[tuple[float, dict]]:
    """When only the title or a key matched: the opening passage."""
    if not stored:
        return []
    return [(0.0, {"section": stored[0][0], "text": stored[0][1], "position": 0})]


def highlight(text: str, marks: set[str], width: int = SNIPPET_CHARS, folded: str | None = None) -> str:
    """A window of ``text`` around its densest matches, each match wrapped in 【】 (``folded``:
    ``fold(text)`` when the caller has it already)."""
    folded = fold(text) if folded is None else folded
    if len(folded) != len(text):
        folded = text
    needles = sorted((m for m in marks if m and len(m) <= 40), key=len, reverse=True)
    spans = _find_spans(folded, needles)
    if not spans:
        return text[:width] + ("…" if len(text) > width else "")
    start = _best_window(spans, width, len(text))
    end = min(len(text), start + width)
    pieces, cursor = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        pieces.append(text[cursor:s] + MARK_OPEN + text[s:e] + MARK_CLOSE)
        cursor = e
    pieces.append(text[cursor:end])
    snippet = "".join(pieces).replace("\n", " ")
    return ("…" if start > 0 else "") + snippet + ("…" if end < len(text) else "")


def _find_spans(text: str, needles: list[str]) -> list[tuple[int, int]]:
    if not needles:
        return []
    pattern = re.compile("|".join(map(re.escape, needles)))
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _best_window(spans: list[tuple[int, int]], width: int, length: int) -> int:
    best_start, best_count = 0, -1
    for s, _ in spans:
        start = max(0, min(s - width // 4, length - width))
        count = sum(1 for a, b in spans if a >= start and b <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    return best_start


__all__ = ["MARK_CLOSE", "MARK_OPEN", "SNIPPET_CHARS", "add_snippets", "highlight"]
