"""Statistics tables whose cells came out one per line (web pages and bulletins saved as text).

``产品名称 / 计量单位 / 产量 / 较上年±% / 饮料酒 / 千升 / 15767 / 18.64 / …``: a header of short
cells naming a unit column, then rows of as many cells. Each row is a fact: the first cell names
it, the unit column gives its unit, the first other numeric column its value and a change column
(``±%``, ``增长%``, ``增减``) its change in percent. The row, its cells joined by spaces, is the
fact's sentence.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.text.numerals import digits

MAX_CELL = 12
UNIT_HEADER = re.compile(r"^(?:计量)?单位$")
CHANGE_HEADER = re.compile(r"±|增减|增长|比上年|同比")
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
MIN_ROWS = 2
MAX_COLUMNS = 10


def table_facts(texts: list[str]) -> tuple[dict[int, list[tuple[str, dict[str, Any]]]], set[int]]:
    """``{first paragraph: [(row sentence, fact)]}`` of every such table in a document's
    paragraphs, and the indexes of the paragraphs the tables take."""
    facts: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    used: set[int] = set()
    index = 0
    while index < len(texts):
        width, rows = _table_at(texts, index)
        if len(rows) < MIN_ROWS:
            index += 1
            continue
        header = [t.strip() for t in texts[index:index + width]]
        for row in rows:
            fact = _fact(header, row)
            if fact:
                facts.setdefault(index, []).append((" ".join(row), fact))
        end = index + width * (len(rows) + 1)
        used.update(range(index, end))
        index = end
    return facts, used


def _cell(text: str) -> bool:
    return 0 < len(text.strip()) <= MAX_CELL and not re.search("[。；，]", text)


def _table_at(texts: list[str], start: int) -> tuple[int, list[list[str]]]:
    """(header width, rows) of a table whose header starts at ``start``; no rows when none does.
    The header's width is the first that makes rows: the first row's name and unit cells look
    like header cells too."""
    run = 0
    while start + run < len(texts) and run < MAX_COLUMNS and _cell(texts[start + run]) \
            and not re.search(r"\d", texts[start + run]):
        run += 1
    for width in range(3, run + 1):
        header = [t.strip() for t in texts[start:start + width]]
        if any(UNIT_HEADER.match(cell) for cell in header):
            rows = _rows(texts, start + width, width)
            if len(rows) >= MIN_ROWS:
                return width, rows
    return 0, []


def _rows(texts: list[str], start: int, width: int) -> list[list[str]]:
    """Rows of ``width`` cells with their numbers in the same columns, never in the first."""
    rows: list[list[str]] = []
    while start + width <= len(texts):
        row = [digits(t.strip()) for t in texts[start:start + width]]
        numeric = [bool(NUMBER.match(cell)) for cell in row]
        if not all(_cell(cell) for cell in row) or numeric[0] or not any(numeric) \
                or (rows and numeric != [bool(NUMBER.match(cell)) for cell in rows[0]]):
            break
        rows.append(row)
        start += width
    return rows


def _fact(header: list[str], row: list[str]) -> dict[str, Any] | None:
    unit_column = next(i for i, cell in enumerate(header) if UNIT_HEADER.match(cell))
    change_column = next((i for i, cell in enumerate(header) if CHANGE_HEADER.search(cell)), None)
    value_column = next((i for i, cell in enumerate(row) if i not in (0, unit_column, change_column)
                         and NUMBER.match(cell)), None)
    if value_column is None:
        return None
    printed = row[value_column]
    fact: dict[str, Any] = {"metric": row[0], "value": float(printed) if "." in printed else int(printed),
                            "qualifier": None, "unit": row[unit_column], "change": None}
    if change_column is not None and NUMBER.match(row[change_column]):
        change = float(row[change_column])
        fact["change"] = {"direction": "down" if change < 0 else "up", "percent": abs(change)}
    return fact
