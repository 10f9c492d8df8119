"""``search(home, query, ...)``: the contract's search object over the home's Whoosh index.

Document records are matched, counted and faceted; the best stored passages of the top candidates
(scored in Python, ``pipeline.index.passages``) add to the ranking and supply the highlighted
snippets (【】 marks the matches). When the documents holding every typed word do not fill the
page, a long word's parts are tried first (``relaxed``), then the documents holding most of the
words follow, each naming those it lacks (``pipeline.index.bestmatch``); "did you mean" only when
both find nothing. Searchers are cached per process and refreshed when another process
committed, so a query costs milliseconds.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import query as Q
from whoosh import scoring
from whoosh.searching import Searcher

from pipeline.index import bestmatch, engine, nearcopy
from pipeline.index.passages import query_terms, score_passages, term_weights
from pipeline.index.query import ParsedQuery, parse, tokenize
from pipeline.index.rerank import candidate_features, combined_score
from pipeline.index.schema import ACCESS_OPEN
from pipeline.index.searchers import READING, SPARE_CACHE_MB, Searchers
from pipeline.index.snippets import add_snippets, highlight
from pipeline.index.suggest import suggest
from pipeline.index.writer import MAIN, drop_index, is_stale, open_index
from pipeline.text.normalize import fold
from pipeline.text.segment import load_home_lexicon
from pipeline.text.synonyms import SynonymTable
from pipeline.text.synonyms import table as synonym_table

# Ranking knobs (tuned on benchmarks/search_quality.py).
RANKING = {
    "B": 0.75, "K1": 1.2, "title_B": 0.3,
    "pool": 20,  # top documents re-ranked (30 and 50 rank the same; 20 costs less)
    "rerank": True,  # re-rank a question's pool (weights: pipeline.index.rerank)
    "text_features": True,  # for questions, also features of the candidates' text
    "written_pool": 10,  # top keyword-query documents ordered by the words they hold as written
    # (a fixed window: every page agrees on it; 20 ranked the drafters' sets the same)
}
# Keyword queries are not re-ranked at all: a drafter's two or three words name the document
# (its title) more than they describe a paragraph — `1954年 政府工作报告` must not rank the later
# reports that cite 1954 in every paragraph first (benchmarks/README.md, drafters' set).

_indexes: dict[str, Searchers] = {}  # per home and index name
_lock = threading.Lock()


def weighting() -> scoring.WeightingModel:
    return scoring.BM25F(B=RANKING["B"], K1=RANKING["K1"], title_B=RANKING["title_B"],
                         title_bg_B=RANKING["title_B"])


def searcher_for(home: Path | str, name: str = MAIN) -> Searcher | None:
    """The shared searcher of one of the home's indexes, refreshed when the index changed (read
    through it under ``READING``; ``search`` reads through ``searchers(...).reading()``)."""
    return searchers(home, name).shared()


def searchers(home: Path | str, name: str = MAIN) -> Searchers:
    """The searchers of one of the home's indexes (``pipeline.index.searchers``)."""
    key = f"{Path(home).resolve()}::{name}"
    with _lock:
        found = _indexes.get(key)
        if found is None:
            found = _indexes[key] = Searchers(lambda spare: _open_searcher(home, name, spare))
        return found


def _open_searcher(home: Path | str, name: str, spare: bool) -> Searcher | None:
    """A fresh searcher, not ``refresh()``: refreshing reuses segment readers and can miss
    deletions."""
    ix = open_index(home, create=False, name=name)
    if ix is None:
        return None
    searcher = ix.searcher(weighting=weighting())
    if spare and engine.enabled():
        engine.engine_for(searcher, FACET_COLUMNS).cache_mb = SPARE_CACHE_MB
    _open_lazy_files(searcher)
    return searcher


SCORED_FIELDS = ("title", "title_bg", "body", "body_bg", "issuer_bg", "recipients_bg")


def _open_lazy_files(searcher: Searcher) -> None:
    """Open now the per-segment files Whoosh opens on first use (stored fields, field lengths,
    facet columns). A writer merging segments deletes the old segments' files; a file already
    open stays readable, one opened later is simply gone (Whoosh then reads the column as absent)."""
    for leaf, _offset in searcher.reader().leaf_readers():
        if leaf.doc_count_all():
            leaf.stored_fields(0)
            for name in SCORED_FIELDS:
                leaf.doc_field_length(0, name)
    if engine.enabled():  # the evaluator's per-searcher arrays, read while the files are there
        evaluator = engine.engine_for(searcher, FACET_COLUMNS)
        for name in SCORED_FIELDS:
            evaluator.lengths(name)
        for _name, column in FACET_COLUMNS:
            evaluator.facet_codes(column)
    else:
        for _name, column in FACET_COLUMNS:
            _column_parts(searcher, column)


def reset_cache() -> None:
    """Close cached searchers (tests, benchmarks that change the ranking knobs)."""
    with _lock:
        for index in _indexes.values():
            index.close()
        _indexes.clear()


def empty_result() -> dict[str, Any]:
    return {"total": 0, "hits": [], "facets": {"genre": {}, "year": {}, "issuer": {}}}


RETRIES = 3


def search(home: Path | str, query: str, limit: int = 10, offset: int = 0, genre: str | None = None,
           year: int | str | None = None, issuer: str | None = None, date_from: str | None = None,
           date_to: str | None = None, sort: str = "relevance",
           include_restricted: bool = True) -> dict[str, Any]:
    """The contract's search object (plus ``suggestion`` when nothing matches).

    ``include_restricted=False``: 内部 documents are filtered out inside the query, so the total,
    the facets, the near-copy demotion and the suggestion know nothing of them.

    An index written with another schema version is dropped here (this layer has no catalog to
    write it again from: ``Archive.search`` rebuilds it first, ``pipeline.archive.sync``)."""
    home = Path(home)
    if is_stale(home):
        forget(home)
        drop_index(home)
    for attempt in range(RETRIES):
        try:
            with searchers(home).reading() as searcher:
                return _search(searcher, home, query, limit, offset, genre, year, issuer, date_from,
                               date_to, sort, include_restricted)
        except (OSError, EOFError, IndexError, KeyError, TypeError):
            # A writer committed and merged segments while this process opened its searcher
            # (a deleted column file reads as a missing column: TypeError on None): drop the
            # cached searchers and read the new index state.
            if attempt == RETRIES - 1:
                raise
            forget(home)
    raise AssertionError("unreachable")


def forget(home: Path | str) -> None:
    """Drop the cached searchers of ``home``'s indexes (the index was replaced). Left to the
    garbage collector: another thread may still be reading through one."""
    prefix = f"{Path(home).resolve()}::"
    with _lock:
        for key in [k for k in _indexes if k.startswith(prefix)]:
            del _indexes[key]


def _search(searcher: Searcher | None, home: Path, query: str, limit: int, offset: int, genre: str | None,
            year: int | str | None, issuer: str | None, date_from: str | None,
            date_to: str | None, sort: str, include_restricted: bool = True) -> dict[str, Any]:
    prepared = prepare(home, query, genre, year, issuer, date_from, date_to, include_restricted)
    if searcher is None or prepared is None:
        return empty_result()
    whoosh_query, parsed, synonyms, filters = prepared
    doc_filter = Q.And(filters) if filters else None
    result, best, stored = _run(searcher, whoosh_query, doc_filter, limit, offset, sort, parsed)
    if result["total"] == 0:
        # Nothing holds every long word as typed: let a long word match through its sub-words
        # (``实施办法`` for ``实施《……》办法``) before falling back to "did you mean".
        relaxed_query, relaxed_parsed = parse(query, synonyms, relaxed=True)
        if relaxed_query != whoosh_query:
            relaxed = _run(searcher, relaxed_query, doc_filter, limit, offset, sort, relaxed_parsed)
            if relaxed[0]["total"]:
                whoosh_query, parsed = relaxed_query, relaxed_parsed
                result, best, stored = relaxed
                result["relaxed"] = True  # the hits hold the long words' parts, not the words
    if parsed.best_match and result["total"] < offset + limit:
        _add_best_matches(searcher, result, stored, query, parsed, doc_filter, limit, offset, sort)
    if result["total"] == 0:
        suggestion = suggest(searcher, query, parsed.words, doc_filter, synonyms)
        if suggestion:
            result["suggestion"] = suggestion
        return result
    add_snippets(searcher, whoosh_query, result["hits"], parsed.highlights, best, stored)
    return result


def prepare(home: Path, query: str, genre: str | None, year: int | str | None, issuer: str | None,
            date_from: str | None, date_to: str | None, include_restricted: bool
            ) -> tuple[Q.Query, ParsedQuery, SynonymTable, list[Q.Query]] | None:
    """The query parsed with the home's lexicon and synonyms, the synonyms, and the filters
    (内部 ones kept out unless ``include_restricted``); None when there is nothing to search for."""
    load_home_lexicon(home)
    if not query or not query.strip():
        return None
    synonyms = synonym_table(home)
    whoosh_query, parsed = parse(query, synonyms)
    if whoosh_query is Q.NullQuery:
        return None
    filters = _filters(genre, year, issuer, date_from, date_to, synonyms)
    if not include_restricted:
        filters.append(Q.Term("access", ACCESS_OPEN))
    return whoosh_query, parsed, synonyms, filters


def _add_best_matches(searcher: Searcher, result: dict[str, Any], stored: dict[str, list],
                      typed: str, parsed: ParsedQuery, doc_filter: Q.Query | None, limit: int, offset: int,
                      sort: str) -> None:
    """Extend a short page with the documents holding most of the typed units (``missing``
    names what each lacks); ``total`` then counts them too and ``all_words`` the strict hits."""
    strict, wanted = result["total"], offset + limit
    units = bestmatch.in_typed_order(parsed.units, fold(typed))
    try:
        found, facets = _ladder_numpy(searcher, units, doc_filter, wanted - strict, sort)
    except (engine.Unsupported, *engine.READ_ERRORS):
        found, facets = _ladder_whoosh(searcher, units, doc_filter, wanted - strict, sort)
    add_partial_matches(result, stored, parsed, found.top, found.total, facets, offset,
                        lambda docnum: _stored_fields(searcher, docnum))


def add_partial_matches(result: dict[str, Any], stored: dict[str, list], parsed: ParsedQuery,
                        top: list[tuple[float, Any, tuple[str, ...]]], total: int,
                        facets: dict[str, dict[str, int]], offset: int,
                        fields_of: Callable[[Any], dict[str, Any]]) -> None:
    """The best-match ladder's documents (``top``: (score, key, missing units)) after the strict
    hits: counted in ``total`` and the facets, ``all_words`` keeping the strict count."""
    if not total:
        return
    strict = result["total"]
    result["all_words"] = strict
    result["total"] = strict + total
    result["facets"] = {name: sorted_counts(Counter(result["facets"].get(name, {})) + Counter(counts))
                        for name, counts in facets.items()}
    for score, key, missing in top[max(0, offset - strict):]:
        fields = fields_of(key)
        hit = _hit(fields, score)
        hit["missing"] = bestmatch.as_typed(missing, parsed.terms)
        result["hits"].append(hit)
        stored[fields["id"]] = fields.get("passages") or []


def _ladder_numpy(searcher: Searcher, units: list, doc_filter: Q.Query | None, pool: int, sort: str
                  ) -> tuple[bestmatch.Ladder, dict[str, dict[str, int]]]:
    """The ladder over the numpy evaluator's matches (``engine.Unsupported`` for what it lacks)."""
    if not engine.enabled():
        raise engine.Unsupported("engine disabled")
    evaluator = engine.engine_for(searcher, FACET_COLUMNS)
    allowed = evaluator.live & evaluator.filter_mask(doc_filter) if doc_filter is not None \
        else evaluator.live

    def match(query: Q.Query) -> tuple[Any, Any]:
        found = evaluator.evaluate(query)
        keep = allowed[found.docs]
        return found.docs[keep], found.scores[keep]

    date_rank = evaluator.date_rank() if sort == "date" else None
    found = bestmatch.ladder(units, match, pool, evaluator.size, date_rank)
    return found, evaluator.facet_counts(found.docs)


def _ladder_whoosh(searcher: Searcher, units: list, doc_filter: Q.Query | None, pool: int, sort: str
                   ) -> tuple[bestmatch.Ladder, dict[str, dict[str, int]]]:
    """The same ladder from Whoosh's own matchers (the reference, and the fallback)."""
    def match(query: Q.Query) -> tuple[Any, Any]:
        pairs = sorted((docnum, score) for score, docnum in
                       searcher.search(query, limit=None, filter=doc_filter).top_n)
        return (np.array([d for d, _ in pairs], dtype=np.int64),
                np.array([s for _, s in pairs], dtype=np.float64))

    date_rank = None
    if sort == "date":
        dates = [parts[0] if parts else "" for parts in _column_parts(searcher, "date")]
        date_rank = np.unique(np.array(dates, dtype=str), return_inverse=True)[1]
    found = bestmatch.ladder(units, match, pool, searcher.doc_count_all(), date_rank)
    return found, _facets(searcher, found.docs.tolist())


def _filters(genre, year, issuer, date_from, date_to, synonyms) -> list[Q.Query]:
    filters: list[Q.Query] = []
    if genre:
        filters.append(Q.Term("genre", genre))
    if year:
        filters.append(Q.Term("year", str(year)))
    if issuer:
        from pipeline.index.query import QueryBuilder

        filters.append(Q.Or([Q.Term("issuer", issuer),
                             QueryBuilder(synonyms).contains(issuer, ("issuer",))]))
    if date_from or date_to:
        filters.append(Q.TermRange("date", date_from or None, date_to or None))
    return filters


def _run(searcher: Searcher, query: Q.Query, doc_filter: Q.Query | None, limit: int, offset: int,
         sort: str, parsed: ParsedQuery) -> tuple[dict[str, Any], dict[str, list], dict[str, list]]:
    """The result object, the best passages found for the ranked candidates (a question's, which
    are re-ranked with them), and the stored passages of the returned hits."""
    wanted, by_date = offset + limit, sort == "date"
    pool = pool_size(parsed, wanted, by_date)
    ranked, total, facets = _match(searcher, query, doc_filter, max(pool, 1), by_date)
    scored = [(0.0 if by_date else float(score or 0.0), docnum, _stored_fields(searcher, docnum))
              for score, docnum in ranked[:max(pool, 1)]]
    hits, best, stored = rank_page(searcher, query, parsed, scored, offset, wanted, by_date)
    return {"total": total, "hits": hits, "facets": facets}, best, stored


def _reordering(parsed: ParsedQuery, by_date: bool) -> str | None:
    """How the top of the first-stage ranking is ordered again: ``rerank`` (a question),
    ``written`` (keywords the index may match by pairs apart) or not at all."""
    if by_date:
        return None
    if parsed.question:
        return "rerank" if RANKING["rerank"] else None
    return "written" if bestmatch.may_be_scattered(parsed.units + parsed.wholes) else None


def pool_size(parsed: ParsedQuery, wanted: int, by_date: bool) -> int:
    """How many first-stage candidates the page needs (a reordered top needs its window)."""
    kind = _reordering(parsed, by_date)
    return max(wanted, RANKING["pool"] if kind == "rerank" else RANKING["written_pool"]) if kind \
        else wanted


def rank_page(searcher: Any, query: Q.Query, parsed: ParsedQuery, scored: list, offset: int,
              wanted: int, by_date: bool) -> tuple[list[dict[str, Any]], dict[str, list], dict[str, list]]:
    """The page's hits from the first-stage candidates ``scored`` ((score, key, stored fields),
    best first): a question's pool re-ranked and its near-copies moved down, keywords ordered by
    the words they hold as written. ``searcher``: anything with Whoosh's ``idf(field, text)``
    (another backend's statistics too). Also the best passages and the hits' stored passages."""
    kind = _reordering(parsed, by_date)
    best: dict[str, list] = {}
    copies: dict[int, int] = {}
    if kind == "rerank" and scored:
        terms = query_terms(query)
        weights = term_weights(searcher, terms)
        best = score_passages(weights, [(f["id"], f.get("passages") or []) for _, _, f in scored])
        scored = _rerank(terms, weights, best, scored)
        scored, copies = nearcopy.demote(scored, [fields.get("nearsig") for _, _, fields in scored])
    elif kind == "written":
        window = RANKING["written_pool"]
        scored = bestmatch.by_words_as_written(parsed.units + parsed.wholes, scored[:window],
                                               lambda item: item[2], lambda item: 0) + scored[window:]
    page = scored[offset:wanted]
    hits = [_hit(fields, score) for score, _, fields in page]
    for position, hit in enumerate(hits, start=offset):
        if position in copies:  # shown after the pool: a near-copy of a better-ranked hit
            hit["near_copy_of"] = scored[copies[position]][2]["id"]
    stored = {fields["id"]: fields.get("passages") or [] for _, _, fields in page}
    return hits, best, stored


def _match(searcher: Searcher, query: Q.Query, doc_filter: Q.Query | None, pool: int,
           by_date: bool) -> tuple[list[tuple[Any, int]], int, dict[str, dict[str, int]]]:
    """The top ``pool`` (score, docnum) pairs, the total and the facet counts: from the numpy
    evaluator (``pipeline.index.engine``), or from Whoosh for what it does not support."""
    if engine.enabled():
        try:
            ranked = engine.engine_for(searcher, FACET_COLUMNS).run(query, doc_filter, pool, by_date)
            return ranked.top, ranked.total, ranked.facets
        except (engine.Unsupported, *engine.READ_ERRORS):
            pass  # Whoosh answers (and raises what the retry loop in search() handles)
    return whoosh_match(searcher, query, doc_filter, pool, by_date)


def whoosh_match(searcher: Searcher, query: Q.Query, doc_filter: Q.Query | None, pool: int,
                 by_date: bool) -> tuple[list[tuple[Any, int]], int, dict[str, dict[str, int]]]:
    """Whoosh's own evaluation (the reference the numpy evaluator is tested against)."""
    # One pass over the matches gives the ranking, the total and the facets (a second, unscored
    # pass for the counts cost as much again: building the matchers dominates a query).
    kwargs: dict[str, Any] = {"limit": None, "filter": doc_filter}
    if by_date:
        kwargs.update(sortedby="date", reverse=True)
    results = searcher.search(query, **kwargs)
    ranked = results.top_n  # [(score, docnum)], best first, every match
    matched = [docnum for _, docnum in ranked]
    return ranked[:pool], len(matched), _facets(searcher, matched)


STORED_CACHE = 4096  # documents whose stored fields a searcher keeps (a server's frequent hits)


def _stored_fields(searcher: Searcher, docnum: int) -> dict[str, Any]:
    """``searcher.stored_fields`` through a per-searcher LRU: a searcher sees fixed segments, and
    unpickling a record with its passages costs more than scoring most queries."""
    cache = searcher.__dict__.get("_gongwen_stored")
    if cache is None:
        cache = searcher.__dict__.setdefault("_gongwen_stored", OrderedDict())
    fields = cache.get(docnum)
    if fields is None:
        fields = cache[docnum] = searcher.stored_fields(docnum)
        if len(cache) > STORED_CACHE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(docnum)
    return fields


def _rerank(terms: list[tuple[str, str, float]], weights: dict[str, float],
            best: dict[str, list], scored: list) -> list:
    """Order a question's candidates by a weighted sum of their features
    (``pipeline.index.rerank``: document and best-passage scores, features of their text)."""
    with_text = RANKING["text_features"]
    features = candidate_features(terms, weights, best, scored, with_text)
    combined = [(combined_score(row, with_text), docnum, fields)
                for row, (_, docnum, fields) in zip(features, scored)]
    combined.sort(key=lambda item: -item[0])
    return combined


def _hit(fields: dict[str, Any], score: float) -> dict[str, Any]:
    issuers = [i for i in (fields.get("issuer") or "").split(",") if i]
    hit = {
        "id": fields["id"], "path": fields.get("path"), "title": fields.get("title"),
        "doc_number": fields.get("doc_number"), "genre": fields.get("genre"),
        "date": fields.get("date"), "issuer": issuers, "score": round(float(score), 4),
        "snippets": [],
    }
    if fields.get("title_derived"):
        hit["title_derived"] = True  # composed from the text: shown as ［……］
    return hit


FACET_COLUMNS = (("genre", "genre"), ("year", "year"), ("issuer", "issuer_facet"))


def _facets(searcher: Searcher, docnums: list[int]) -> dict[str, dict[str, int]]:
    """Facet counts over the matched record numbers, from the columns read once per searcher."""
    facets: dict[str, dict[str, int]] = {}
    for name, column in FACET_COLUMNS:
        values = _column_parts(searcher, column)
        counts = Counter(chain.from_iterable(values[d] for d in docnums))
        facets[name] = sorted_counts(counts)
    return facets


def _column_parts(searcher: Searcher, column: str) -> list[tuple[str, ...]]:
    """Every record's value of ``column`` split at "|" (joint issuers), indexed by record number.
    Cached on the searcher: a searcher sees a fixed set of segments."""
    cache = searcher.__dict__.setdefault("_gongwen_columns", {})
    parts = cache.get(column)
    if parts is None:
        parts = []
        for leaf, _offset in searcher.reader().leaf_readers():  # in record-number order
            if leaf.has_column(column):
                parts.extend(tuple(p for p in (value or "").split("|") if p)
                             for value in leaf.column_reader(column, translate=True))
            else:  # a segment written before the column existed
                parts.extend(() for _ in range(leaf.doc_count_all()))
        cache[column] = parts
    return parts


def sorted_counts(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


__all__ = ["READING", "forget", "highlight", "reset_cache", "search", "searcher_for", "searchers", "suggest",
           "tokenize"]
