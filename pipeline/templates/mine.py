"""Template mining: align the documents of one genre to find outline, fixed text, slots, variants.

The documents are cut into *units* (header lines, salutation, paragraphs, headings), each masked
(``slots.mask``) so that varying values become one marker character. Then:

- outline: each document's sequence of parts (开头, 一级标题…, 结尾, header lines …); the template's
  outline holds the parts most documents have, in their usual order, with how many have each;
- fixed text: maximal character n-grams of the masked units found in at least ``min_share`` of the
  documents (and at least two), grown level by level (a-priori: an n-gram can only be frequent if
  both its (n-1)-grams are); each with its support and usual position;
- slots: header fields, the markers inside fixed phrases (typed, with the archive's values as
  examples) and free text between fixed phrases;
- skeleton: the paragraphs a draft starts from — the arrangement of one exemplar document, keeping
  only fixed text (support ≥ min_share) and slots, so no single document's wording is copied;
- variants: documents grouped by their outline (house styles), small groups joined to the nearest.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from pipeline.layout.gbt9704 import heading_split
from pipeline.model import Document
from pipeline.templates.slots import KINDS, MARKER_KIND, MARKERS, display, literal_share, mask

MIN_LEN = 4  # shortest n-gram grown (characters, markers count as one)
MIN_LITERAL = 4  # a phrase holds at least this many Chinese characters of real wording
MAX_LEN = 120
DEFAULT_SHARE = 0.5  # a fixed phrase is in at least this share of the documents (and in two)
BODY_SHARE = 0.6  # … and in the body, away from openings, transitions and closings, this share
HEADING_LABEL = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
MEETING_KEYS = ("时间", "地点", "主持人", "出席", "请假", "缺席", "列席", "记录")
_EDGE_PUNCT = "，、；,;"
_PUNCT = set("，。、；：！？“”‘’（）《》〔〕—…·,.;:!?()[]【】 ")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．](?!\d)|（\d+）)")
_SALUTATION = re.compile(r"^[^。！？]{2,30}[：:]$")


@dataclass
class Unit:
    """One part of a document: a header line, the salutation, a heading or a paragraph."""

    kind: str  # header:<key> | 称呼 | h1..h4 | 正文 | 通过说明
    raw: str
    masked: str  # slot values replaced by markers; heading numbering removed
    values: list[tuple[str, str]]
    numbering: str = ""  # 一、 / （一） … of a heading


@dataclass
class MinedDoc:
    doc_id: str
    doc: Document
    units: list[Unit]
    parts: list[str]  # the outline of this document

    @property
    def text_units(self) -> list[Unit]:
        """Units whose wording is mined (not header lines)."""
        return [u for u in self.units if not u.kind.startswith("header:")]


@dataclass
class Phrase:
    masked: str
    support: int  # documents containing it
    docs: list[str] = field(default_factory=list)
    position: float = 0.0  # median relative position in the document (0 = start)
    zone: str = "body"  # opening | transition | body | closing
    count: int = 0  # occurrences in all documents
    spread: float = 0.0  # interquartile range of the relative positions (0: always the same place)


# ---------------------------------------------------------------- units and outline
def _paragraphs(doc: Document) -> list[str]:
    return [p.strip() for p in (doc.paragraphs or doc.body.split("\n")) if p.strip()]


def doc_units(doc: Document) -> list[Unit]:
    """The document cut into masked units in reading order."""
    units: list[Unit] = []
    if doc.adoption_note:
        m = mask(doc.adoption_note)
        units.append(Unit("通过说明", doc.adoption_note, m.text, m.values))
    for key, value in doc.meeting.items():
        units.append(Unit(f"header:{key}", value, "", []))
    for text in _paragraphs(doc):
        numbering = ""
        split = heading_split(text)
        if split:
            kind = f"h{split[0]}"
            found = _NUMBERING.match(text)
            numbering = found.group(0) if found else ""
        elif _SALUTATION.match(text) and not units_have_body(units):
            kind = "称呼"
        else:
            kind = "正文"
        m = mask(text[len(numbering):])
        units.append(Unit(kind, text, m.text, m.values, numbering))
    return units


def _is_heading(kind: str) -> bool:
    return kind in ("h1", "h2", "h3", "h4")


def units_have_body(units: list[Unit]) -> bool:
    return any(u.kind == "正文" or _is_heading(u.kind) for u in units)


def doc_parts(doc: Document, units: list[Unit]) -> list[str]:
    """This document's outline: header fields, 开头, heading levels, 结尾, closing fields."""
    parts: list[str] = []
    if doc.doc_number:
        parts.append("发文字号")
    parts.append("标题")
    parts += ["通过说明" for u in units if u.kind == "通过说明"]
    parts += [u.kind.split(":", 1)[1] for u in units if u.kind.startswith("header:")]
    if doc.recipients:
        parts.append("主送机关")
    body = [u for u in units if u.kind in ("称呼", "正文") or _is_heading(u.kind)]
    heads = [i for i, u in enumerate(body) if _is_heading(u.kind)]
    if any(u.kind == "称呼" for u in body):
        parts.append("称呼")
    plain = [u for u in body if u.kind != "称呼"]
    if heads:
        first, last = heads[0], heads[-1]
        if any(u.kind == "正文" for u in body[:first]):
            parts.append("开头")
        levels = sorted({int(body[i].kind[1]) for i in heads})
        parts += [HEADING_LABEL[level] for level in levels]
        # the paragraphs after the last heading's own paragraph are the closing
        tail = body[last + 1:]
        split = heading_split(body[last].raw)
        run_in = bool(split and split[2])
        if tail and (run_in or len(tail) >= 2 or _looks_closing(tail[-1].raw)):
            parts.append("结尾")
    elif plain:
        parts.append("开头")
        if len(plain) >= 3:
            parts.append("正文")
        if len(plain) >= 2:
            parts.append("结尾")
    if doc.attachments:
        parts.append("附件说明")
    if doc.signature:
        parts.append("署名")
    if doc.date:
        parts.append("成文日期")
    if doc.cc:
        parts.append("抄送")
    if doc.issued_by or doc.issued_date:
        parts.append("印发机关和印发日期")
    return parts


_CLOSING_WORDS = ("特此", "请", "以上", "妥否", "最后", "让我们", "再次感谢", "欢迎", "此复", "现予公布", "号召")


def _looks_closing(text: str) -> bool:
    return text.startswith(_CLOSING_WORDS) or len(text) < 60


def prepare(items: list[tuple[str, Document]]) -> list[MinedDoc]:
    mined = []
    for doc_id, doc in items:
        units = doc_units(doc)
        mined.append(MinedDoc(doc_id, doc, units, doc_parts(doc, units)))
    return mined


def consensus_outline(docs: list[MinedDoc], min_share: float = 0.5) -> list[dict[str, Any]]:
    """Parts most documents have, in their usual order, each with how many documents have it."""
    have: Counter[str] = Counter()
    where: dict[str, list[float]] = defaultdict(list)
    for d in docs:
        for index, part in enumerate(dict.fromkeys(d.parts)):
            have[part] += 1
            where[part].append(index / max(1, len(d.parts) - 1))
    needed = max(1, math.ceil(min_share * len(docs)))
    kept = [p for p in have if have[p] >= needed]
    kept.sort(key=lambda p: median(where[p]))
    return [{"part": p, "documents": have[p]} for p in kept]


def follows(parts: list[str], outline: list[str]) -> bool:
    """True when ``outline`` is a subsequence of ``parts`` (the document has every part, in order)."""
    it = iter(parts)
    return all(any(p == q for q in it) for p in outline)


# ---------------------------------------------------------------- frequent phrases
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


def _occurrences(phrase: str, d: MinedDoc) -> list[tuple[int, int]]:
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
    heads = [i for i, k in enumerate(kinds) if _is_heading(k)]
    body_idx = [i for i, k in enumerate(kinds) if k in ("正文", "称呼") or _is_heading(k)]
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
            hits = _occurrences(text, d)
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


_ENTITY = re.compile(r"[区市县省全国本]*(?:人民政府|人大常委会|常委会|人民代表大会|人大代表|各位代表|代表|政府|"
                     r"人民法院|人民检察院|监察委员会|常务委员会)")


def is_boilerplate(p: Phrase) -> bool:
    """Recurring wording at one place, not a topic word that turns up anywhere many times.

    Openings and closings are boilerplate by position; elsewhere a phrase must keep to its place
    (positions within a third of the document) and not repeat all over the text.
    """
    if _ENTITY.fullmatch(p.masked):  # an organ or a title of people is a topic, not wording
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
            hits = _occurrences(phrase.masked, d)
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


# ---------------------------------------------------------------- variants
def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def variants(docs: list[MinedDoc], min_size: int = 2) -> list[list[MinedDoc]]:
    """Documents grouped by outline; groups smaller than ``min_size`` join the most similar group."""
    groups: dict[tuple[str, ...], list[MinedDoc]] = defaultdict(list)
    for d in docs:
        groups[tuple(p for p in d.parts if p not in ("发文字号", "抄送", "印发机关和印发日期"))].append(d)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    big = [(set(k), list(v)) for k, v in ordered if len(v) >= min_size]
    if not big:
        return [list(docs)]
    # Join similar big groups first (house style = broadly the same parts), then the stragglers.
    merged: list[tuple[set[str], list[MinedDoc]]] = []
    for key, members in big:
        target = next((m for m in merged if _jaccard(m[0], key) >= 0.8), None)
        if target:
            target[1].extend(members)
        else:
            merged.append((key, members))
    for key, members in ordered:
        if len(members) >= min_size:
            continue
        best = max(merged, key=lambda m: _jaccard(m[0], set(key)))
        best[1].extend(members)
    return [members for _, members in sorted(merged, key=lambda m: -len(m[1]))]


# ---------------------------------------------------------------- slots and skeleton
@dataclass
class SlotBook:
    """Slot names in order of first use, with kind and archive examples."""

    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_kind: Counter[str] = field(default_factory=Counter)
    examples_of: dict[str, list[str]] = field(default_factory=dict)  # kind -> archive values

    def learn(self, docs: list[MinedDoc]) -> None:
        """Values of each slot kind in the documents (examples for slots outside fixed phrases)."""
        for d in docs:
            for unit in d.text_units:
                for kind, value in unit.values:
                    bucket = self.examples_of.setdefault(kind, [])
                    if value not in bucket and len(bucket) < 5:
                        bucket.append(value)

    def add(self, name: str, kind: str, examples: list[str] | None = None) -> str:
        if name not in self.slots:
            self.slots[name] = {"name": name, "kind": kind, "examples": []}
        for example in examples or []:
            ex = self.slots[name]["examples"]
            if example and example not in ex and len(ex) < 5:
                ex.append(example)
        return name

    def typed(self, kind: str) -> str:
        self.per_kind[kind] += 1
        label = KINDS[kind][1]
        return label if self.per_kind[kind] == 1 else f"{label}{self.per_kind[kind]}"

    def free(self, base: str) -> str:
        self.per_kind[base] += 1
        return self.add(f"{base}{self.per_kind[base]}", "text")


def _marker_values(phrase: str, docs: list[MinedDoc]) -> list[list[str]]:
    """For each marker in ``phrase``, the values it stands for in the documents."""
    markers = [i for i, c in enumerate(phrase) if c in MARKERS]
    found: list[list[str]] = [[] for _ in markers]
    for d in docs:
        for unit in d.text_units:
            start = unit.masked.find(phrase)
            if start < 0:
                continue
            before = sum(1 for c in unit.masked[:start] if c in MARKERS)
            for k, offset in enumerate(markers):
                index = before + sum(1 for c in phrase[:offset] if c in MARKERS)
                if index < len(unit.values):
                    found[k].append(unit.values[index][1])
            break
    return found


def _cover(masked: str, fixed: list[Phrase]) -> list[tuple[int, int, Phrase]]:
    """Non-overlapping fixed-phrase spans in ``masked``, longest phrases first."""
    spans: list[tuple[int, int, Phrase]] = []
    for phrase in sorted(fixed, key=lambda p: -len(p.masked)):
        start = masked.find(phrase.masked)
        while start >= 0:
            end = start + len(phrase.masked)
            if all(end <= s or start >= e for s, e, _ in spans):
                spans.append((start, end, phrase))
                break
            start = masked.find(phrase.masked, start + 1)
    return sorted(spans, key=lambda s: s[0])


def _render_piece(masked: str, fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook,
                  free_base: str) -> tuple[str, list[str]]:
    """Skeleton text of one masked piece and the fixed phrases it uses."""
    out: list[str] = []
    used: list[str] = []
    cursor = 0
    for start, end, phrase in _cover(masked, fixed):
        out.append(_free_gap(masked[cursor:start], book, free_base))
        values = _marker_values(phrase.masked, docs)
        k = 0
        for c in phrase.masked:
            if c in MARKERS:
                kind = MARKER_KIND[c]
                name = book.add(book.typed(kind), kind, values[k] if k < len(values) else [])
                out.append("{{ " + name + " }}")
                k += 1
            else:
                out.append(c)
        used.append(phrase.masked)
        cursor = end
    out.append(_free_gap(masked[cursor:], book, free_base))
    return "".join(out), used


def _free_gap(gap: str, book: SlotBook, base: str) -> str:
    """Text between fixed phrases: punctuation stays, anything worded becomes a free slot."""
    if not gap:
        return ""
    if all(c in _PUNCT for c in gap):
        return gap
    if all(c in _PUNCT or c in MARKERS for c in gap):  # only typed values: keep them typed
        return "".join("{{ " + book.add(book.typed(MARKER_KIND[c]), MARKER_KIND[c],
                                        book.examples_of.get(MARKER_KIND[c], [])) + " }}"
                       if c in MARKERS else c for c in gap)
    lead = len(gap) - len(gap.lstrip("".join(_PUNCT)))
    tail = len(gap) - len(gap.rstrip("".join(_PUNCT)))
    core_end = len(gap) - tail
    name = book.free(base)
    return gap[:lead] + "{{ " + name + " }}" + gap[core_end:]


def exemplar(docs: list[MinedDoc], fixed: list[Phrase]) -> MinedDoc:
    """The document holding most fixed phrases (ties: the median length), whose arrangement drafts use."""
    lengths = sorted(len(d.doc.body) for d in docs)
    mid = lengths[len(lengths) // 2] if lengths else 0

    def score(d: MinedDoc) -> tuple[int, int]:
        text = "\n".join(u.masked for u in d.text_units)
        return sum(p.support for p in fixed if p.masked in text), -abs(len(d.doc.body) - mid)

    return max(docs, key=score)


def _merge_wrapped(units: list[Unit]) -> list[Unit]:
    """Join body lines that a text file wrapped mid-sentence (no closing punctuation)."""
    merged: list[Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if (last is not None and unit.kind == "正文" and last.kind == "正文"
                and not last.raw.endswith(("。", "！", "？", "：", "；"))):
            merged[-1] = Unit("正文", last.raw + unit.raw, last.masked + unit.masked, last.values + unit.values)
        else:
            merged.append(unit)
    return merged


def skeleton(model: MinedDoc, fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook) -> list[str]:
    """Draft paragraphs: the exemplar's arrangement with only fixed text and slot placeholders."""
    paragraphs: list[str] = []
    for unit in _merge_wrapped(model.text_units):
        if unit.kind == "通过说明":
            continue  # rendered from the adoption pattern
        if unit.kind == "称呼":
            text, _ = _render_piece(unit.masked, fixed, docs, book, "称呼")
            paragraphs.append(text)
            continue
        if _is_heading(unit.kind):
            level = int(unit.kind[1])
            body = unit.raw[len(unit.numbering):]
            split = heading_split(unit.raw)
            head_len = len(split[1]) - len(unit.numbering) if split else len(body)
            head = mask(body[:head_len]).text
            rest = mask(body[head_len:]).text
            head_text, _ = _render_piece(head, fixed, docs, book, HEADING_LABEL[level])
            rest_text, _ = _render_piece(rest, fixed, docs, book, "正文") if rest else ("", [])
            paragraphs.append(unit.numbering + head_text + rest_text)
            continue
        text, _ = _render_piece(unit.masked, fixed, docs, book, "正文")
        paragraphs.append(text)
    return paragraphs


def _literal(template_text: str) -> str:
    return re.sub(r"\{\{[^{}]*\}\}", "\ufffc", template_text)


def _pieces(phrase: Phrase) -> list[str]:
    return [x for x in re.split("[" + "".join(MARKERS) + "]", phrase.masked) if x]


def place_missing(paragraphs: list[str], fixed: list[Phrase], docs: list[MinedDoc], book: SlotBook) -> list[str]:
    """Fixed phrases the exemplar lacks go where the documents usually put them.

    The place is after the fixed phrase that most often comes just before it in the documents
    (in the same paragraph, or at the start of the next one); each inserted phrase gets a free
    slot in front, so every fixed phrase of the template appears in a draft.
    """
    if not paragraphs:
        return paragraphs
    out = list(paragraphs)
    present: list[Phrase] = []
    for phrase in sorted(fixed, key=lambda p: p.position):
        text = "\n".join(_literal(p) for p in out)
        if all(piece in text for piece in _pieces(phrase)):
            present.append(phrase)
    for phrase in sorted(fixed, key=lambda p: p.position):
        if phrase in present:
            continue
        rendered, _ = _render_piece(phrase.masked, [phrase], docs, book, "正文")
        before, same_paragraph = _usual_neighbour(phrase, present, docs, after=False)
        shared = _overlap(before.masked, phrase.masked) if before and same_paragraph else 0
        where = _after(out, before) if shared and not any(c in MARKERS for c in phrase.masked[:shared]) else None
        if where is not None:  # the two phrases share words: continue the first one
            index, offset = where
            out[index] = out[index][:offset] + rendered[shared:] + out[index][offset:]
            present.append(phrase)
            continue
        following, same_following = _usual_neighbour(phrase, present, docs, after=True)
        spot = _before(out, following) if following and same_following else None
        if spot is not None:  # right in front of the phrase that follows it (sharing any overlap)
            index, offset, overlap = spot[0], spot[1], _overlap(phrase.masked, following.masked)
            text = rendered[:len(rendered) - overlap] if overlap else rendered
            head = out[index][:offset]
            lead = "" if head.endswith("}}") else "{{ " + book.free("正文") + " }}"
            out[index] = head + lead + text + out[index][offset:]
            present.append(phrase)
            continue
        where = _after(out, before) if before else None
        insert = "{{ " + book.free("正文") + " }}" + rendered
        if where is None:  # nothing before it: open the first paragraph after a salutation
            first = 1 if len(out) > 1 and out[0].endswith("：") and len(out[0]) <= 30 else 0
            joint = "" if insert.endswith(("。", "：", "，")) else "，"
            out[first] = _after_numbering(out[first], insert + joint)
        elif same_paragraph:
            index, offset = where
            out[index] = out[index][:offset] + insert + out[index][offset:]
        else:
            index = min(where[0] + 1, len(out) - 1)
            joint = "" if insert.endswith(("。", "：", "，")) else "，"
            out[index] = _after_numbering(out[index], insert + joint)
        present.append(phrase)
    return out


def _after_numbering(paragraph: str, insert: str) -> str:
    found = _NUMBERING.match(paragraph)
    cut = found.end() if found else 0
    return paragraph[:cut] + insert + paragraph[cut:]


def _overlap(left: str, right: str) -> int:
    """Length of the longest suffix of ``left`` that is a prefix of ``right``."""
    for size in range(min(len(left), len(right)), 0, -1):
        if left.endswith(right[:size]):
            return size
    return 0


def _usual_neighbour(phrase: Phrase, present: list[Phrase], docs: list[MinedDoc],
                     after: bool) -> tuple[Phrase | None, bool]:
    """The present fixed phrase most often right before (or after) ``phrase``, and whether it
    shares the paragraph."""
    votes: Counter[tuple[int, bool]] = Counter()
    for d in docs:
        hits = _occurrences(phrase.masked, d)
        if not hits:
            continue
        unit, offset = hits[0]
        best: tuple[tuple[int, int], int] | None = None
        for index, other in enumerate(present):
            for key in _occurrences(other.masked, d):
                nearer = (key > (unit, offset) and (best is None or key < best[0])) if after else \
                         (key < (unit, offset) and (best is None or key > best[0]))
                if nearer:
                    best = (key, index)
        votes[(-1, True) if best is None else (best[1], best[0][0] == unit)] += 1
    if not votes:
        return None, True
    (index, same), _ = votes.most_common(1)[0]
    return (None, True) if index < 0 else (present[index], same)


def _before(paragraphs: list[str], phrase: Phrase) -> tuple[int, int] | None:
    """(paragraph index, offset) of the first literal piece of ``phrase``."""
    first = _pieces(phrase)[0]
    for index, paragraph in enumerate(paragraphs):
        offset = paragraph.find(first)
        if offset >= 0:
            return index, offset
    return None


def _after(paragraphs: list[str], phrase: Phrase) -> tuple[int, int] | None:
    """(paragraph index, offset) just after the last literal piece of ``phrase``."""
    last = _pieces(phrase)[-1]
    for index, paragraph in enumerate(paragraphs):
        offset = paragraph.find(last)
        if offset >= 0:
            return index, offset + len(last)
    return None


# ---------------------------------------------------------------- header slots
_FIELD_SLOTS = (  # (slot name, kind, getter)
    ("发文机关", "organ", lambda d: "、".join(d.issuer)),
    ("文号", "doc_number", lambda d: d.doc_number or ""),
    ("签发人", "person", lambda d: "、".join(d.signer)),
    ("标题", "text", lambda d: d.title or ""),
    ("主送机关", "organ", lambda d: "、".join(d.recipients)),
    ("附件", "text", lambda d: "|".join(d.attachments)),
    ("署名", "organ", lambda d: "、".join(d.signature)),
    ("成文日期", "date", lambda d: d.date or ""),
    ("抄送", "organ", lambda d: "、".join(d.cc)),
    ("印发机关", "organ", lambda d: d.issued_by or ""),
    ("印发日期", "date", lambda d: d.issued_date or ""),
)
_MEETING_KIND = {"时间": "date", "地点": "text", "主持人": "person", "出席": "person", "请假": "person",
                 "缺席": "person", "列席": "person", "记录": "person"}


def header_slots(docs: list[MinedDoc], genre: str, min_share: float) -> list[dict[str, Any]]:
    """Fields most documents fill (title, 文号, 主送, 署名, date…; 纪要 header lines; speaker)."""
    needed = max(1, math.ceil(min_share * len(docs)))
    slots = []
    for name, kind, getter in _FIELD_SLOTS:
        values = [getter(d.doc) for d in docs if getter(d.doc)]
        if name == "署名" and genre == "讲话稿":
            name, kind = "讲话人", "person"
        if len(values) >= needed or name == "标题":
            slots.append({"name": name, "kind": kind, "examples": list(dict.fromkeys(values))[:5]})
    meeting_keys: Counter[str] = Counter(k for d in docs for k in d.doc.meeting)
    for key in sorted(meeting_keys, key=lambda k: MEETING_KEYS.index(k) if k in MEETING_KEYS else 99):
        if meeting_keys[key] >= needed:
            values = [d.doc.meeting[key] for d in docs if d.doc.meeting.get(key)]
            slots.append({"name": key, "kind": _MEETING_KIND.get(key, "text"),
                          "examples": list(dict.fromkeys(values))[:5]})
    return slots


def _bare_note(masked: str) -> str:
    return re.sub(r"^（|）$", "", masked)


def adoption_pattern(docs: list[MinedDoc], book: SlotBook) -> tuple[str, Phrase] | None:
    """``（{{ 通过日期 }}{{ 会议名称 }}通过）`` and its phrase, when documents share an adoption note.

    The adoption note is a header line of 决议/决定 that only some sources keep (web texts and
    the NPC files often drop it): its form counts when ≥ 2 documents and most notes share it.
    """
    holders = [(d, u) for d in docs for u in d.units if u.kind == "通过说明"]
    if len(holders) < 2:
        return None
    forms = Counter(_bare_note(u.masked) for _, u in holders)
    bare, support = forms.most_common(1)[0]
    if support < 2 or support * 2 < len(holders):
        return None
    common = "（" + bare + "）"
    sharing = [(d, u) for d, u in holders if _bare_note(u.masked) == bare]
    notes = [u for _, u in sharing]
    phrase = Phrase(bare, support, [d.doc_id for d, _ in sharing], 0.0, "opening", support)
    values = [[v for k, v in u.values if k == "date"] for u in notes]
    out = []
    for c in common:
        if c in MARKERS:
            kind = MARKER_KIND[c]
            if kind == "date":
                out.append("{{ " + book.add("通过日期", "date", [v[0] for v in values if v]) + " }}")
            else:
                name = book.add(KINDS[kind][1], kind, [val for u in notes for k, val in u.values if k == kind])
                out.append("{{ " + name + " }}")
        else:
            out.append(c)
    return "".join(out), phrase


# ---------------------------------------------------------------- layout guess
def guess_layout(genre: str, docs: list[MinedDoc]) -> str:
    if genre == "讲话稿":
        return "plain"
    if sum(1 for d in docs if d.doc.meeting) * 2 > len(docs):
        return "minutes"
    if genre in ("建议答复", "函"):
        return "letter"
    if genre in ("工作总结", "工作计划", "调研报告") or sum(1 for d in docs if d.doc.issuer) * 2 < len(docs):
        return "plain"
    return "standard"


# ---------------------------------------------------------------- the whole template
def mine_template(genre: str, items: list[tuple[str, Document]], min_share: float = DEFAULT_SHARE) -> dict[str, Any]:
    """The template of ``genre`` mined from ``items`` (document id, Document)."""
    docs = prepare(items)
    n = len(docs)
    needed = max(2, math.ceil(min_share * n))
    candidates = mine_phrases(docs, 2)
    fixed = select_fixed(candidates, docs, needed)
    outline = consensus_outline(docs, min_share)
    outline_parts = [o["part"] for o in outline]
    groups = variants(docs)
    model = exemplar(groups[0], fixed)
    titles = {d.doc_id: d.doc.title for d in docs}
    book = SlotBook()
    book.learn(docs)
    for slot in header_slots(docs, genre, min_share):
        book.add(slot["name"], slot["kind"], slot["examples"])
    adoption_found = adoption_pattern(docs, book)
    adoption = adoption_found[0] if adoption_found else None
    fixed_json = [_phrase_json(p, titles) for p in fixed]
    if adoption_found:  # above the body: first in document order
        fixed_json.insert(0, _phrase_json(adoption_found[1], titles) | {"template": adoption})
    paragraphs = skeleton(model, fixed, docs, book)
    paragraphs = place_missing(paragraphs, fixed, docs, book)
    return {
        "genre": genre,
        "documents": n,
        "min_share": min_share,
        "layout": guess_layout(genre, docs),
        "outline": outline,
        "outline_documents": sum(1 for d in docs if follows(d.parts, outline_parts)),
        "fixed": fixed_json,
        "adoption_note": adoption,
        "slots": list(book.slots.values()),
        "skeleton": paragraphs,
        "exemplar": {"id": model.doc_id, "title": model.doc.title},
        "variants": [_variant_json(i, g, needed_share=min_share) for i, g in enumerate(groups, 1)],
        "phrases": [_phrase_json(p, titles) for p in sorted(candidates, key=lambda p: (-p.support, p.position))
                    if not _ENTITY.fullmatch(p.masked)],
    }


def _phrase_json(p: Phrase, titles: dict[str, str | None]) -> dict[str, Any]:
    template = "".join("{{ " + KINDS[MARKER_KIND[c]][1] + " }}" if c in MARKERS else c for c in p.masked)
    return {"text": display(p.masked), "template": template, "support": p.support, "count": p.count,
            "position": round(p.position, 3), "zone": p.zone, "masked": p.masked,
            "documents": [{"id": i, "title": titles.get(i)} for i in p.docs]}


def _variant_json(index: int, group: list[MinedDoc], needed_share: float) -> dict[str, Any]:
    outline = consensus_outline(group, needed_share)
    return {"name": f"样式{index}", "documents": len(group), "outline": [o["part"] for o in outline],
            "examples": [d.doc.title for d in group[:3]], "ids": [d.doc_id for d in group]}
