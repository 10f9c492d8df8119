"""Fixed phrases: the wording most documents of a genre share, at the place they share it.

Maximal character n-grams of the documents' masked units found in at least ``min_support``
documents, grown level by level (a-priori: an n-gram can only be frequent if both its
(n-1)-grams are), trimmed to whole words, each located (support, occurrences, usual relative
position, zone: opening, transition, body or closing). The fixed phrases of a template are those
in enough documents that keep to one place (boilerplate, not topic words), none inside or mostly
overlapping a better one.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median

from pipeline.templates.outline import MinedDoc, is_heading
from pipeline.templates.slots import literal_share

MIN_LEN = 4  # shortest n-gram grown (characters, markers count as one)
MIN_LITERAL = 4  # a phrase holds at least this many Chinese characters of real wording
MAX_LEN = 120
# A fixed phrase in the body, away from openings, transitions and closings, is in at least this
# share of the documents (elsewhere the template's ``min_share`` and two documents suffice).
BODY_SHARE = 0.6
_EDGE_PUNCT = "，、；,;"


@dataclass
class Phrase:
    masked: str
    support: int  # documents containing it
    docs: list[str] = field(default_factory=list)
    position: float = 0.0  # median relative position in the document (0 = start)
    zone: str = "body"  # opening | transition | body | closing
    count: int = 0  # occurrences in all documents
    spread: float = 0.0  # interquartile range of the relative positions (0: always the same place)


def _doc_strings(d: MinedDoc) -> list[str]:
    return [u.masked for u in d.text_units if u.masked]


def frequent_ngrams(docs: list[list[str]], min_support: int) -> dict[str, set[int]]:
    """Every n-gram (n ≥ MIN_LEN) found in at least ``min_support`` documents, with those documents."""
    # positions[(doc, unit)] -> list of start offsets whose current-length gram is frequent
    length = MIN_LEN
    found: dict[str, set[int]] = {}
    starts: dict[tuple[int, int], list[int]] = {
        (d, u): list(range(max(0, len(s) - length + 1))) for d, strings in enumerate(docs)
        for u, s in enumerate(strings)}
    while starts and length <= MAX_LEN:
        support: dict[str, set[int]] = defaultdict(set)
        for (d, u), offsets in starts.items():
            s = docs[d][u]
            for i in offsets:
                support[s[i:i + length]].add(d)
        frequent = {g: ds for g, ds in support.items() if len(ds) >= min_support}
        if not frequent:
            break
        found.update(frequent)
        next_starts: dict[tuple[int, int], list[int]] = {}
        for (d, u), offsets in starts.items():
            s = docs[d][u]
            ok = {i for i in offsets if s[i:i + length] in frequent}
            grown = [i for i in offsets if i in ok and i + 1 in ok and i + length < len(s)]
            if grown:
                next_starts[(d, u)] = grown
        starts = next_starts
        length += 1
    return found


_FUNCTION_CHARS = set("的了和与及对在将为向把被是等以于从由并或也就都要会可能所其之而但")
_CJK_TAIL = re.compile(r"[\u4e00-\u9fff]+$")


def _trim(gram: str) -> str:
    """No punctuation at the edges, no particle dangling from the previous clause, no half word
    at the end (``工作的关`` is ``工作的`` plus half of 关心/关注)."""
    gram = gram.strip(_EDGE_PUNCT)
    gram = gram.lstrip("。：:）)」”").lstrip("了的和与及")
    tail = _CJK_TAIL.search(gram)
    if tail:
        from pipeline.text.segment import words

        tokens = words(tail.group(0))
        if len(tokens) > 1 and len(tokens[-1]) == 1 and tokens[-1] not in _FUNCTION_CHARS:
            gram = gram[:-1]
        elif len(tokens) == 1 and len(tokens[0]) == 1 and tail.start() > 0 and tokens[0] not in _FUNCTION_CHARS:
            gram = gram[:-1]  # a single character after a slot: 主任〈姓名〉主(持)
    return gram.strip(_EDGE_PUNCT)


def maximal_phrases(found: dict[str, set[int]]) -> dict[str, set[int]]:
    """Frequent grams not inside a longer frequent gram with the same support, trimmed, worded."""
    by_len = sorted(found, key=len, reverse=True)
    kept: dict[str, set[int]] = {}
    for gram in by_len:
        docs = found[gram]
        if literal_share(gram) < MIN_LITERAL:
            continue
        # a gram is maximal unless one char longer on either side has the same documents
        if any(found.get(longer) is not None and len(found[longer]) == len(docs)
               for longer in _one_longer(gram, found)):
            continue
        trimmed = _trim(gram)
        if literal_share(trimmed) < MIN_LITERAL:
            continue
        if trimmed not in kept or len(kept[trimmed]) < len(docs):
            kept[trimmed] = set(docs)
    return kept


def _one_longer(gram: str, found: dict[str, set[int]]) -> list[str]:
    index = _extension_index(found)
    return index.get(gram, [])


_EXT_CACHE: dict[int, dict[str, list[str]]] = {}


def _extension_index(found: dict[str, set[int]]) -> dict[str, list[str]]:
    key = id(found)
    if key not in _EXT_CACHE:
        _EXT_CACHE.clear()
        index: dict[str, list[str]] = defaultdict(list)
        for gram in found:
            if len(gram) > MIN_LEN:
                index[gram[1:]].append(gram)
                index[gram[:-1]].append(gram)
        _EXT_CACHE[key] = index
    return _EXT_CACHE[key]


def occurrences(phrase: str, d: MinedDoc) -> list[tuple[int, int]]:
    """(unit index, offset) of each occurrence of ``phrase`` in the document's text units."""
    hits = []
    for ui, unit in enumerate(d.text_units):
        start = unit.masked.find(phrase)
        while start >= 0:
            hits.append((ui, start))
            start = unit.masked.find(phrase, start + 1)
    return hits


def _zone(d: MinedDoc, ui: int, phrase: str, offset: int = 0) -> str:
    units = d.text_units
    kinds = [u.kind for u in units]
    heads = [i for i, k in enumerate(kinds) if is_heading(k)]
    body_idx = [i for i, k in enumerate(kinds) if k in ("正文", "称呼") or is_heading(k)]
    if kinds[ui] in ("称呼", "通过说明"):
        return "opening"
    if phrase.endswith(("如下：", "如下", "几点意见", "几点意见：")) or (heads and ui + 1 == heads[0]):
        return "transition"
    if len(body_idx) == 1:  # one paragraph (replies, web texts): the place inside it decides
        where = offset / max(1, len(units[ui].masked))
        return "opening" if where < 0.25 else "closing" if where > 0.75 else "body"
    if body_idx and ui == body_idx[0] or (heads and ui < heads[0]):
        return "opening"
    if body_idx and ui == body_idx[-1] and len(body_idx) > 1 and (not heads or ui > heads[-1]):
        return "closing"
    return "body"


def locate(phrases: dict[str, set[int]], docs: list[MinedDoc]) -> list[Phrase]:
    """Each phrase with its documents, occurrence count, usual relative position and zone."""
    located = []
    for text, members in phrases.items():
        positions: list[float] = []
        zones: Counter[str] = Counter()
        count = 0
        for di in sorted(members):
            d = docs[di]
            hits = occurrences(text, d)
            if not hits:
                continue
            count += len(hits)
            total = sum(len(u.masked) + 1 for u in d.text_units) or 1
            ui, off = hits[0]
            before = sum(len(u.masked) + 1 for u in d.text_units[:ui])
            positions.append((before + off) / total)
            zones[_zone(d, ui, text, off)] += 1
        if positions:
            located.append(Phrase(text, len(positions), [docs[i].doc_id for i in sorted(members)],
                                  median(positions), zones.most_common(1)[0][0], count, _iqr(positions)))
    return located


def _iqr(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[(3 * n) // 4 if n > 1 else 0] - ordered[n // 4]


ENTITY = re.compile(r"[区市县省全国本]*(?:人民政府|人大常委会|常委会|人民代表大会|人大代表|各位代表|代表|政府|"
                     r"人民法院|人民检察院|监察委员会|常务委员会)")


def is_boilerplate(p: Phrase) -> bool:
    """Recurring wording at one place, not a topic word that turns up anywhere many times.

    Openings and closings are boilerplate by position; elsewhere a phrase must keep to its place
    (positions within a third of the document) and not repeat all over the text.
    """
    if ENTITY.fullmatch(p.masked):  # an organ or a title of people is a topic, not wording
        return False
    if p.zone in ("opening", "closing", "transition"):
        return p.spread <= 0.5 and p.count <= 2 * p.support
    return p.spread <= 0.33 and p.count <= 1.5 * p.support


def mine_phrases(docs: list[MinedDoc], min_support: int) -> list[Phrase]:
    strings = [_doc_strings(d) for d in docs]
    found = frequent_ngrams(strings, max(2, min_support))
    return locate(maximal_phrases(found), docs)


def select_fixed(candidates: list[Phrase], docs: list[MinedDoc], needed: int) -> list[Phrase]:
    """Fixed phrases: support ≥ needed, no phrase inside or mostly overlapping a better one.

    Openings, transitions and closings are where boilerplate lives; a phrase in the body has to
    be in clearly more documents (``BODY_SHARE``) to count as fixed rather than as a topic.
    """
    body_needed = max(needed, math.ceil(BODY_SHARE * len(docs)))
    # Best first by the wording a phrase is expected to give a draft (characters × documents²):
    # whole clauses beat their fragments unless the fragment is clearly more common.
    pool = sorted((p for p in candidates if p.support >= (body_needed if p.zone == "body" else needed)
                   and is_boilerplate(p)),
                  key=lambda p: (-literal_share(p.masked) * p.support ** 2, -len(p.masked)))
    chosen: list[Phrase] = []
    covered: dict[str, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for phrase in pool:
        if any(phrase.masked in c.masked for c in chosen):
            continue
        overlapping = 0
        spans: dict[str, list[tuple[int, int, int]]] = {}
        for d in docs:
            if d.doc_id not in phrase.docs:
                continue
            hits = occurrences(phrase.masked, d)
            spans[d.doc_id] = [(ui, off, off + len(phrase.masked)) for ui, off in hits]
            for ui, start, end in spans[d.doc_id]:
                for s, e in covered[d.doc_id][ui]:
                    if min(end, e) - max(start, s) > (end - start) / 2:
                        overlapping += 1
                        break
        if overlapping * 2 > phrase.support:
            continue
        chosen.append(phrase)
        for doc_id, items in spans.items():
            for ui, start, end in items:
                covered[doc_id][ui].append((start, end))
    chosen.sort(key=lambda p: p.position)
    return chosen
