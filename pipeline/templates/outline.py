"""Documents cut into masked units, their outlines, and the variants (house styles) they form.

Each document of a genre becomes *units* (header lines, the adoption note, the salutation,
headings and paragraphs), each masked (``slots.mask``) so that varying values become one marker
character, and an outline: its sequence of parts (开头, 一级标题…, 结尾, header fields …). The
template's outline holds the parts most documents have, in their usual order, with how many have
each; documents grouped by their outline are the template's variants, small groups joined to the
nearest.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import median
from typing import Any

from pipeline.layout.gbt9704 import heading_split
from pipeline.model import Document
from pipeline.templates.slots import mask

HEADING_LABEL = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
# a heading's numbering: 一、 （一） 1. （1）
NUMBERING = re.compile(r"^(?:[一二三四五六七八九十百]+、|（[一二三四五六七八九十百]+）|\d+[.．](?!\d)|（\d+）)")
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
            found = NUMBERING.match(text)
            numbering = found.group(0) if found else ""
        elif _SALUTATION.match(text) and not units_have_body(units):
            kind = "称呼"
        else:
            kind = "正文"
        m = mask(text[len(numbering):])
        units.append(Unit(kind, text, m.text, m.values, numbering))
    return units


def is_heading(kind: str) -> bool:
    return kind in ("h1", "h2", "h3", "h4")


def units_have_body(units: list[Unit]) -> bool:
    return any(u.kind == "正文" or is_heading(u.kind) for u in units)


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
    body = [u for u in units if u.kind in ("称呼", "正文") or is_heading(u.kind)]
    heads = [i for i, u in enumerate(body) if is_heading(u.kind)]
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
