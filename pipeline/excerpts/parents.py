"""Sub-facts: the facts a ``其中`` or a bracket breaks a total into carry the total as ``parent``.

``户籍人口581184人，其中城镇人口252258人，乡村人口328926人`` gives 城镇人口 and 乡村人口 the parent
户籍人口; ``建议139件（重点建议12件）`` gives 重点建议 the parent 建议. The total is the last fact
printed before the ``其中`` (in the sentence, else in the sentence before it), or, among those, the one
whose name ends the sub-fact's (``完成工业增加值630000万元`` under ``工业增加值``). The scope runs to the
end of the sentence, the next ``其中``, or a ``；`` — unless the clause after it is parallel to the
first item: the first clause holds one item and the next names the same kind of thing or prints the
same units (``其中，建筑工程产值增长18.3%，占比90.5%；安装工程产值下降18.7%，占比5.5%``).
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

from pipeline.excerpts.facts import COUNTERS, Placed

SUB = re.compile("其中")
SEMICOLON = re.compile("[；;]")
BRACKET = re.compile(r"[（(]([^（）()]*)[）)]")
SHARE = re.compile("占|比重|比例")


def assign_parents(sentences: list[tuple[str, list[Placed]]]) -> None:
    """Set ``parent`` on the sub-facts of one paragraph's sentences (text, placed facts), in place."""
    previous: list[dict[str, Any]] = []
    for text, facts in sentences:
        for _start, _end, fact in facts:
            fact.setdefault("parent", None)
        _bracketed(text, facts)
        _under_qizhong(text, facts, previous)
        totals = [fact for _, _, fact in facts if _total(fact)]
        previous = totals or previous


def _total(fact: dict[str, Any]) -> bool:
    return not fact.get("delta") and not SHARE.search(fact["metric"])


def _bracketed(text: str, facts: list[Placed]) -> None:
    """``卫生院17个（中心卫生院5所、普通卫生院12所）``: the facts inside belong to the one before."""
    for bracket in BRACKET.finditer(text):
        owner = next((fact for _, end, fact in facts if end == bracket.start()), None)
        if owner is None:
            continue
        for start, _end, fact in facts:
            if bracket.start() < start < bracket.end() and fact is not owner:
                fact["parent"] = owner["metric"]


def _under_qizhong(text: str, facts: list[Placed], previous: list[dict[str, Any]]) -> None:
    markers = [m for m in SUB.finditer(text) if not _inside_bracket(text, m.start())]
    for index, marker in enumerate(markers):
        totals = [fact for start, end, fact in facts if end <= marker.start() and _total(fact)
                  and fact.get("parent") is None] or previous
        if not totals:
            continue
        limit = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        end = _scope_end(text, marker.end(), limit, facts)
        for start, _end, fact in facts:
            if not marker.end() <= start < end or fact.get("parent") is not None:
                continue
            whole = _whole_of(fact, totals)
            if _other_kind(fact, whole):
                break  # 亿元项目8个，其中10亿元项目2个，实际利用内资30亿元: the list has ended
            fact["parent"] = whole["metric"]


def _inside_bracket(text: str, index: int) -> bool:
    return any(b.start() < index < b.end() for b in BRACKET.finditer(text))


def _whole_of(fact: dict[str, Any], totals: list[dict[str, Any]]) -> dict[str, Any]:
    """The total a sub-fact belongs to: the latest whose name ends the sub-fact's, else the latest."""
    for total in reversed(totals):
        if len(total["metric"]) >= 2 and fact["metric"].endswith(total["metric"]):
            return total
    return totals[-1]


def _scope_end(text: str, start: int, limit: int, facts: list[Placed]) -> int:
    """Where a ``其中`` stops holding: ``limit`` or the first ``；`` after which the list is not
    parallel to its first item."""
    stops = [m.start() for m in SEMICOLON.finditer(text, start, limit)] + [limit]
    first = _segment(facts, start, stops[0])
    items = [fact for fact in first if _total(fact)]
    for here, following in pairwise(stops):
        segment = _segment(facts, here, following)
        if len(items) != 1 or not segment or not _parallel(first, segment):
            return here
        if following == limit < len(text):
            return here  # ；全县在校学生131391人，其中……: the clause opens a total of its own
    return limit


def _segment(facts: list[Placed], start: int, end: int) -> list[dict[str, Any]]:
    return [fact for place, _end, fact in facts if start <= place < end]


def _parallel(first: list[dict[str, Any]], segment: list[dict[str, Any]]) -> bool:
    head = next((f for f in first if _total(f)), None)
    other = next((f for f in segment if _total(f)), None)
    if head is None or other is None:
        return False
    same_kind = len(head["metric"]) >= 2 and head["metric"][-2:] == other["metric"][-2:]
    return same_kind or (len(first) >= 2 and _shape(first) == _shape(segment))


def _shape(facts: list[dict[str, Any]]) -> list[str]:
    return [fact["unit"] or ("Δ" if fact["change"] else "") for fact in facts]


RATES = ("%", "‰", "个百分点")


def _other_kind(fact: dict[str, Any], whole: dict[str, Any]) -> bool:
    """A level measured in another kind of unit than the total (money against a count) is no
    part of it."""
    if fact["value"] is None or whole["value"] is None or fact.get("delta") or fact["unit"] in RATES:
        return False
    return _kind(fact["unit"]) != _kind(whole["unit"])


def _kind(unit: str) -> str:
    unit = unit.lstrip("万亿")
    if unit.endswith("元"):
        return "money"
    if unit in COUNTERS and unit not in PEOPLE:
        return "count"
    return "people" if unit in PEOPLE else unit


PEOPLE = frozenset(("人", "名", "位", "人次"))
