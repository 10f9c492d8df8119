"""The same name in other words: the forms of a name a query may use, found in the query.

Two sources, both read at query time (an edit needs no reindex, and the index does not grow):
- *listed* names (``pipeline.text.synonyms.SynonymTable``): the built-in abbreviation groups, the
  built-in list of events, programmes and campaigns (``data/names.txt``), the home's own
  ``synonyms.txt`` and the abbreviations the archive's documents define;
- *rules* that generate the forms of a whole family of names:
  - an ordinal in Arabic or Chinese numerals, with or without 第: ``第5次`` ↔ ``第五次``,
    ``十五届`` ↔ ``15届`` (meetings are numbered both ways, often in one archive);
  - a five-year period by its number: ``十四五`` ↔ ``第十四个五年``, ``八五`` in ``八五普法``;
  - a place by its full name also by its short name (``海淀区`` → ``海淀``, ``五峰土家族自治县`` →
    ``五峰``: ``data/places.tsv``, every province, prefecture and county whose short name is not an
    ordinary word). The short name already finds the full one (its characters are inside it).

``find(table, text)`` returns the spans of ``text`` naming something, longest first where spans
overlap, each with every form (a form is a tuple of parts that must all occur).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.text.numerals import DIGITS, WRITTEN_ZEROS, to_chinese, to_int
from pipeline.text.synonyms import Form, SynonymTable

_CHINESE_NUMBER = rf"[{WRITTEN_ZEROS}{DIGITS}十百]{{1,4}}"
PLACES = Path(__file__).resolve().parent / "data" / "places.tsv"
# 第5次 第五次 十五届 15届 (届: congress terms, 次: meetings, always with 第: 一次性 is no
# ordinal); not 两 (两次 is a count)
ORDINAL_RE = re.compile(rf"(第)([0-9]{{1,3}}|{_CHINESE_NUMBER})(届|次)"
                        rf"|()(?<![{WRITTEN_ZEROS}{DIGITS}十百0-9])([0-9]{{1,3}}|{_CHINESE_NUMBER})(届)")
# 十四五 八五 (a plan period): alone or before what follows a plan's name — not inside a longer
# number (一九八五, 二十五) nor 十五大 (a congress)
FIVE_YEAR_RE = re.compile(rf"(?<![{WRITTEN_ZEROS}{DIGITS}十百0-9])(十?[{DIGITS}]|十)五"
                          r"(?=规划|计划|时期|期间|普法|纲要|末|初|以来|$|[\s，。、；])")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    forms: tuple[Form, ...]  # the span's own text first


def find(table: SynonymTable, text: str, places: bool = True) -> list[Span]:
    """Non-overlapping spans of ``text`` with other forms: rule spans and listed names, the
    longer of two overlapping spans kept (the earlier one on a tie). ``places=False`` leaves
    place names alone (a question's place is matched as asked: policy_qa, benchmarks/README.md)."""
    candidates = [*_rule_spans(text), *(_listed(table, s, e, f) for s, e, f in table.find(text))]
    if places:
        candidates += _place_spans(text)
    candidates.sort(key=lambda span: (-(span.end - span.start), span.start))
    kept: list[Span] = []
    for span in candidates:
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda span: span.start)


def _listed(table: SynonymTable, start: int, end: int, form: str) -> Span:
    return Span(start, end, form, tuple(table.alternatives(form)))


def _rule_spans(text: str) -> list[Span]:
    spans = []
    for match in ORDINAL_RE.finditer(text):
        prefix, number, unit = (match.group(1, 2, 3) if match.group(2) is not None
                                else match.group(4, 5, 6))
        forms = ordinal_forms(prefix, number, unit)
        if len(forms) > 1:
            spans.append(Span(match.start(), match.end(), match.group(0), forms))
    for match in FIVE_YEAR_RE.finditer(text):
        number = match.group(1)
        spans.append(Span(match.start(), match.end(), match.group(0),
                          ((match.group(0),), (f"第{number}个五年",))))
    return spans


@lru_cache(maxsize=1)
def _places() -> dict[str, list[tuple[str, str]]]:
    """First character -> (full name, short name) of every place, longest full name first."""
    by_first: dict[str, list[tuple[str, str]]] = {}
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            full, short = line.split("\t")
            by_first.setdefault(full[0], []).append((full, short))
    for names in by_first.values():
        names.sort(key=lambda pair: len(pair[0]), reverse=True)
    return by_first


def _place_spans(text: str) -> list[Span]:
    spans, places = [], _places()
    for start, char in enumerate(text):
        for full, short in places.get(char, ()):
            if text.startswith(full, start):
                spans.append(Span(start, start + len(full), full, ((full,), (short,))))
                break
    return spans


def ordinal_forms(prefix: str, number: str, unit: str) -> tuple[Form, ...]:
    """``第5次`` -> (第5次, 第五次); ``十五届`` -> (十五届, 15届): the typed form first. A number
    below 10 gets no Arabic form: the index holds a lone digit apart from the characters around
    it, so ``第5次`` would match every text holding a 5."""
    value = int(number) if number.isdigit() else to_int(number)
    typed = f"{prefix}{number}{unit}"
    if not value or value > 999 or (value < 10 and not number.isdigit()):
        return ((typed,),)
    other = f"{prefix}{to_chinese(value)}{unit}" if number.isdigit() else f"{prefix}{value}{unit}"
    return ((typed,), (other,)) if other != typed else ((typed,),)


__all__ = ["Span", "find", "ordinal_forms"]
