"""Automatic list labels of a .docx (numbering.xml): the 一、 （一） 1. （1） Word draws but does not
store, with Word's number formats (Chinese counting, circled digits, letters, Roman numerals)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.formats.docx.wordml import val, w
from pipeline.text.numerals import to_chinese


def numbering_reference(ppr: Any) -> tuple[str | None, str | None]:
    """(numId, ilvl) of a ``w:pPr/w:numPr``; (None, None) when absent."""
    num_pr = ppr.find(w("numPr")) if ppr is not None else None
    if num_pr is None:
        return None, None
    return val(num_pr, "numId"), val(num_pr, "ilvl")


_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    text = ""
    for amount, letters in numerals:
        while value >= amount:
            text += letters
            value -= amount
    return text


def format_number(value: int, number_format: str) -> str:
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
                         "chineseLegalSimplified", "ideographDigital"):  # fmt: skip
        # Word writes 0 and 1000 up in Arabic digits even in a Chinese-counting list
        return to_chinese(value) if 0 < value < 1000 else str(value)
    if number_format == "ideographTraditional":
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if number_format == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if number_format == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if number_format in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if number_format == "lowerRoman" else roman
    if number_format in ("none", "bullet"):
        return ""
    return str(value)


@dataclass
class Level:
    number_format: str = "decimal"
    text: str = "%1."
    start: int = 1


class Numbering:
    """numbering.xml: renders the automatic labels (一、 （一） 1. （1）) Word draws but does not store.

    Counters are kept per abstract numbering, as Word continues a list across the
    ``w:num`` instances that share one; a deeper level restarts when a shallower one counts.
    """

    def __init__(self, root: Any | None):
        self.levels: dict[str, dict[int, Level]] = {}
        self.abstract_of: dict[str, str] = {}
        self.start_overrides: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for abstract in root.findall(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId"))
            levels: dict[int, Level] = {}
            for level in abstract.findall(w("lvl")):
                try:
                    index = int(level.get(w("ilvl"), "0"))
                    start = int(val(level, "start") or 1)
                except ValueError:
                    continue
                levels[index] = Level(
                    val(level, "numFmt") or "decimal", val(level, "lvlText") or "", start
                )
            if abstract_id is not None:
                self.levels[abstract_id] = levels
        for num in root.findall(w("num")):
            num_id, abstract_id = num.get(w("numId")), val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            self.abstract_of[num_id] = abstract_id
            for override in num.findall(w("lvlOverride")):
                start = val(override, "startOverride")
                if start is not None and start.isdigit():
                    self.start_overrides[(num_id, int(override.get(w("ilvl"), "0") or 0))] = int(
                        start
                    )

    def label(self, num_id: str | None, level_text: str | None) -> str:
        """The next label of list ``num_id`` at level ``level_text``; "" for no numbering."""
        abstract_id = self.abstract_of.get(num_id or "")
        levels = self.levels.get(abstract_id or "")
        if not levels or num_id in (None, "0"):
            return ""
        try:
            level = int(level_text or 0)
        except ValueError:
            level = 0
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        start = self.start_overrides.pop((num_id, level), None)
        if start is not None:
            counters[level] = start
        else:
            counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]

        def value(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            spec = levels.get(index, Level())
            return format_number(counters.get(index, spec.start), spec.number_format)

        return re.sub(r"%([1-9])", value, levels[level].text)
