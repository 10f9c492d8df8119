"""``stats``: statistics (what was counted, how many, the change) from the archive's documents.

One sentence's facts are read by ``pipeline.excerpts.facts`` (its docstring gives the fields);
here each fact gets what only its document can tell:

- ``year``: the year it is about (``pipeline.excerpts.years``);
- ``parent``: the total a ``其中`` sub-fact belongs to (``pipeline.excerpts.parents``), else null;
- ``sentence`` and ``doc_id``: where it was read; ``id``: a stable name for it (``f`` and ten hex
  digits of the document, sentence and fact), which ``--exclude`` takes;
- ``restricted``: true when the document is 内部 (restricted), which the 年鉴 pack leaves out
  unless asked. Classified documents are never read.

Not statistics: a law's norms (``并处50万元以下罚款``), article numbers, and what ``facts`` skips.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pipeline.archive.rows import RowSource
from pipeline.excerpts.cache import per_document
from pipeline.excerpts.facts import (
    FACT_RE,
    POST_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    UNITS,
    normalise,
    parse_facts,
    placed_facts,
)
from pipeline.excerpts.parents import assign_parents
from pipeline.excerpts.sections import paragraphs, sentences
from pipeline.excerpts.tables import table_facts
from pipeline.excerpts.years import clause_year, document_year, opening_year, paragraph_year
from pipeline.model import Document

if TYPE_CHECKING:
    from pipeline.home import Home

__all__ = ["FACT_RE", "UNITS", "amount_text", "change_text", "document_facts", "parse_facts", "stats"]

NORM_GENRES = {"法规"}  # a law's numbers are norms (并处50万元以下罚款), not what happened
ARTICLE_START = "第"
CLAUSE_BREAK = "，,；;：:。！？"


def document_facts(doc_id: str, doc: Document) -> Iterator[dict[str, Any]]:
    """Every fact of one document, with its year, parent, sentence, ``doc_id``, ``id`` and
    ``restricted``."""
    if doc.genre in NORM_GENRES:
        return
    context = document_year(doc)
    headings = {h.text.strip() for h in doc.headings}
    restricted = bool(doc.restricted)
    located = paragraphs(doc)
    tables, in_tables = table_facts([paragraph.text for paragraph in located])
    for index, paragraph in enumerate(located):
        for row, fact in tables.get(index, []):
            yield _finished({**fact, "year": context, "parent": None}, row, "", 0, doc_id, restricted)
        if index in in_tables or (paragraph.article and paragraph.text.startswith(ARTICLE_START)):
            continue
        context = paragraph_year(paragraph.text, headings) or context
        here = context  # a sentence opening with a year sets it for the rest of its paragraph
        read: list[tuple[str, str, list]] = []
        for sentence in sentences(paragraph.text):
            here = opening_year(sentence) or here
            placed = placed_facts(sentence) if FACT_RE.search(normalise(sentence)) or "番" in sentence else []
            for _start, _end, fact in placed:
                fact["year"] = here
            read.append((sentence, normalise(sentence), placed))
        assign_parents([(text, placed) for _, text, placed in read])
        for sentence, text, placed in read:
            for start, _end, fact in placed:
                yield _finished(fact, sentence, text, start, doc_id, restricted)


def _finished(fact: dict[str, Any], sentence: str, text: str, start: int, doc_id: str,
              restricted: bool) -> dict[str, Any]:
    clause = text[max((text.rfind(c, 0, start) for c in CLAUSE_BREAK), default=-1) + 1:start]
    year = clause_year(clause) or fact.pop("year")
    fact.pop("year", None)
    ordered = {key: fact[key] for key in ("metric", "value", "qualifier", "unit", "change")}
    ordered.update(year=year, sentence=sentence, doc_id=doc_id, parent=fact.get("parent"),
                   delta=fact.get("delta"), upper=fact.get("upper"))
    ordered["id"] = fact_id(ordered, start)
    ordered["restricted"] = restricted
    return ordered


def fact_id(fact: dict[str, Any], place: int) -> str:
    """``f`` + ten hex digits naming a fact by its document, sentence, place and content."""
    key = json.dumps([fact["doc_id"], fact["sentence"], place, fact["metric"], fact["value"],
                      fact["unit"]], ensure_ascii=False)
    return "f" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _facts_of(doc_id: str, doc: Document) -> list[dict[str, Any]]:
    return list(document_facts(doc_id, doc))


def stats(home: Home, year: int | None = None, limit: int | None = None,
          include_restricted: bool = True, rows: RowSource | None = None) -> dict[str, Any]:
    """``{"facts": [...]}`` of every current, non-classified document (of ``year``: the fact's
    year; 内部 documents only when ``include_restricted``), earliest document first; a sentence
    repeated by a later document counts once. ``rows``: another catalog's documents
    (``pipeline.excerpts.cache``)."""
    facts: list[dict[str, Any]] = []
    seen: set[tuple[Any, ...]] = set()
    for _doc_id, found in per_document(home, "facts", _facts_of, include_restricted, rows):
        for fact in found:
            if year is not None and fact["year"] != int(year):
                continue
            key = (fact["sentence"], fact["metric"], fact["value"], fact["unit"])
            if key in seen:
                continue
            seen.add(key)
            facts.append(fact)
            if limit is not None and len(facts) >= limit:
                return {"facts": facts}
    return {"facts": facts}


def amount_text(fact: dict[str, Any]) -> str:
    """A fact's amount as Chinese writes it: ``近300人次``, ``4000多份``, ``10个左右``, ``3至5次``,
    ``增加1.4亿元`` ("" without one)."""
    if fact["value"] is None:
        return ""
    qualifier = fact["qualifier"] or ""
    value = f"{fact['value']}至{fact['upper']}" if fact.get("upper") is not None else f"{fact['value']}"
    if qualifier in SUFFIX_QUALIFIERS:
        amount = f"{value}{qualifier}{fact['unit']}"
    elif qualifier in POST_QUALIFIERS:
        amount = f"{value}{fact['unit']}{qualifier}"
    else:
        amount = f"{qualifier}{value}{fact['unit']}"
    if fact.get("delta"):
        return ("增加" if fact["delta"] == "up" else "减少") + amount
    return amount


def change_text(change: dict[str, Any] | None) -> str:
    """``增长104%``, ``下降3.2个百分点`` ("" without a change)."""
    if not change:
        return ""
    word = "增长" if change["direction"] == "up" else "下降"
    if change.get("points") is not None:
        return f"{word}{change['points']}个百分点"
    return f"{word}{change['percent']}%"
