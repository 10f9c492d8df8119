"""Dates as offices write them -> ISO ``YYYY-MM-DD``.

Arabic (``2023年2月1日``, ``2023 年 2 月 1 日``, ``2023.2.1``, ``2023-02-01``, ``2023/2/1``) and
Chinese numerals (``二〇一〇年十二月二十二日``, ``二○一○年``, ``一九九六年六月二十九日``).
"""

from __future__ import annotations

import re
from datetime import date

from pipeline.structure.normalise import digits
from pipeline.text.numerals import ZEROS, to_int

_ZERO = ZEROS
_CN = f"[{_ZERO}一二三四五六七八九十两]"
_SP = r"[ \u3000]*"

ARABIC_DATE = re.compile(
    rf"((?:19|20)\d{{2}}){_SP}年{_SP}(\d{{1,2}}){_SP}月{_SP}(\d{{1,2}}){_SP}[日号]"
)
DOTTED_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[.\-/．]\s*(\d{1,2})\s*[.\-/．]\s*(\d{1,2})(?![\d.])"
)
CHINESE_DATE = re.compile(
    rf"([一二{_ZERO}]{_SP}(?:{_CN}{_SP}){{3}})年{_SP}((?:{_CN}{_SP}){{1,3}})月{_SP}((?:{_CN}{_SP}){{1,4}})[日号]"
)
ANY_DATE = re.compile(f"{ARABIC_DATE.pattern}|{CHINESE_DATE.pattern}|{DOTTED_DATE.pattern}")
# A line that is nothing but a date (成文日期, 印发日期 parts), maybe in brackets.
DATE_LINE = re.compile(
    rf"^[（(]?{_SP}(?:{ARABIC_DATE.pattern}|{CHINESE_DATE.pattern}|{DOTTED_DATE.pattern}){_SP}[）)]?$"
)


def _iso(year: int | None, month: int | None, day: int | None) -> str | None:
    if year is None or month is None or day is None:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(match: re.Match[str]) -> str | None:
    groups = match.groups()
    if groups[0]:
        return _iso(int(groups[0]), int(groups[1]), int(groups[2]))
    if groups[3]:
        return _iso(to_int(groups[3]), to_int(groups[4]), to_int(groups[5]))
    if groups[6]:
        return _iso(int(groups[6]), int(groups[7]), int(groups[8]))
    return None


def find_date(text: str) -> str | None:
    """The first valid date in ``text`` as ISO, or None."""
    for match in ANY_DATE.finditer(digits(text)):
        iso = _from_match(match)
        if iso:
            return iso
    return None


def find_dates(text: str) -> list[str]:
    """Every valid date in ``text``, in order, as ISO."""
    return [iso for iso in (_from_match(m) for m in ANY_DATE.finditer(digits(text))) if iso]


def is_date_line(text: str) -> bool:
    """True when the whole line is one date (the 成文日期 line of a document)."""
    match = DATE_LINE.match(digits(text.strip()))
    return bool(match) and find_date(text) is not None
