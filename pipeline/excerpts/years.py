"""The year a fact is about, which is not always the year its document was signed.

A 2022 summary signed in January 2023 speaks of 2022; a 2025 government work report reviews 2024
under ``一、2024年工作回顾`` and plans 2025 under ``二、2025年工作安排``. In order, the year is:

1. the year named in the fact's own clause, before its number (``2023年全县……``), unless it is a
   point of comparison (``比2020年``, ``2021年同期``, ``2019年以来``);
2. the year a sentence opens with (``2025年，政府系统共承办……``; it holds for the rest of the
   paragraph), or the year of the latest heading or paragraph that opens with or names one
   (``一、2024年工作回顾``, ``2024年是……的一年``, ``首先报告2001年的工作``);
3. the document's year: the year in its title (``2022年…统计公报``); else its date (成文日期, else the
   publication line of a web page) — the year before when a summary or report is dated in its
   first quarter; else the first year a sentence of its opening paragraphs opens with, or the year
   of a date printed there (``于1991年10月31日前，全部办理完毕``).
"""

from __future__ import annotations

import re

from pipeline.model import Document
from pipeline.text.dates import YEAR, find_date
from pipeline.text.numerals import digits

YEAR_RE = re.compile(rf"(?<!\d)({YEAR})\s*年(?!\d)")
OPENING_YEAR = re.compile(rf"^(?:到|至|截至|截止)?({YEAR})\s*年(?!\d{{1,2}}\s*月\s*\d|以来)")
COMPARISON_BEFORE = re.compile(r"(?:比|较|与|从|由|自|同|相比|对比)$")
COMPARISON_AFTER = re.compile(r"^(?:同期|以来|相比|水平|基础上)")
HEADING_CHARS = 30
SUMMARY_TITLE = re.compile(r"总结|工作报告|年报")
SUMMARY_GENRES = {"工作总结", "报告"}
LOOKS_BACK_UNTIL_MONTH = 3
OPENING_PARAGRAPHS = 3  # where a document without a date says which year it speaks of (not a page's tail)  # a summary dated January to March reports on the year before


def document_year(doc: Document) -> int | None:
    """The year a document speaks of when its text does not say (rule 3 above)."""
    titled = year_named(doc.title or "")
    if titled:
        return titled
    dated = doc.date or doc.published
    if dated:
        year, month = int(dated[:4]), int(dated[5:7])
        summary = doc.genre in SUMMARY_GENRES or bool(SUMMARY_TITLE.search(doc.title or ""))
        return year - 1 if summary and month <= LOOKS_BACK_UNTIL_MONTH else year
    for paragraph in doc.paragraphs[:OPENING_PARAGRAPHS]:
        for sentence in re.split("(?<=[。！？])", paragraph):
            opening = opening_year(sentence)
            if opening:
                return opening
    dated = find_date("\n".join(doc.paragraphs[:OPENING_PARAGRAPHS]))  # 于1991年10月31日前，全部办理完毕
    return int(dated[:4]) if dated else None


def year_named(text: str) -> int | None:
    match = YEAR_RE.search(digits(text))
    return int(match.group(1)) if match else None


def paragraph_year(paragraph: str, headings: set[str]) -> int | None:
    """The year a paragraph sets for what follows it: a heading naming one, or an opening year."""
    text = digits(paragraph.strip())
    opening = OPENING_YEAR.match(text)
    if opening:
        return int(opening.group(1))
    if text in headings or (len(text) <= HEADING_CHARS and not re.search("[。；;！？!?]", text)):
        return clause_year(text)
    return None


def opening_year(sentence: str) -> int | None:
    match = OPENING_YEAR.match(digits(sentence.strip()))
    return int(match.group(1)) if match else None


def clause_year(clause: str) -> int | None:
    """A year named in a fact's clause before its number, unless a point of comparison."""
    for match in YEAR_RE.finditer(clause):
        if COMPARISON_BEFORE.search(clause[:match.start()]) or COMPARISON_AFTER.match(clause[match.end():]):
            continue
        return int(match.group(1))
    return None
