"""Dates as offices write them: the pattern building blocks, and the reader -> ISO ``YYYY-MM-DD``.

Arabic (``2023年2月1日``, ``2023 年 2 月 1 日``, ``2023.2.1``, ``2023-02-01``, ``2023/2/1``) and
Chinese numerals (``二〇一〇年十二月二十二日``, ``二○一○年``, ``一九九六年六月二十九日``).

Every date pattern of the code base is composed from the blocks below (regex source strings, to
put inside other patterns): ``YEAR`` (1900–2099; ``ANY_YEAR`` four digits), ``MONTH``/``DAY`` (one or two digits), ``DOT``
(the separator of ``2023.2.1``), ``CN_YEAR``/``CN_MONTH``/``CN_DAY`` (Chinese numerals as printed)
and the full dates ``DATE`` (``2023年2月1日``) and ``CN_DATE`` (``二〇二三年二月一日``). The reader's
own patterns (``ARABIC_DATE``, ``CHINESE_DATE``, ``DOTTED_DATE``) also allow the spaces of spaced-out
PDF text, 号 for 日 and the look-alikes of 〇 that OCR gives.
"""

from __future__ import annotations

import re
from datetime import date

from pipeline.text.numerals import DIGITS, TWO, WRITTEN_ZEROS, ZEROS, digits, to_int

# --- building blocks ---------------------------------------------------------------------------
YEAR = r"(?:19|20)\d{2}"
ANY_YEAR = r"\d{4}"  # any four digits, full-width ones too (what a template slot masks as a year)
MONTH = r"\d{1,2}"
DAY = r"\d{1,2}"
DOT = r"[.\-/．]"  # 2023.2.1, 2023-02-01, 2023/2/1, 2023．2．1
CN_DIGIT = f"[{WRITTEN_ZEROS}{DIGITS}]"  # 〇 ○ 零 一 … 九
CN_YEAR = f"[一二]{CN_DIGIT}{{3}}"  # 二〇二三, 一九九六
CN_MONTH = "[一二三四五六七八九十]{1,2}"
CN_DAY = "[一二三四五六七八九十]{1,3}"
DATE = f"{YEAR}年{MONTH}月{DAY}日"
CN_DATE = f"{CN_YEAR}年{CN_MONTH}月{CN_DAY}日"

# --- the reader's patterns (groups: year, month, day) --------------------------------------------
_SP = r"[ \u3000]*"  # spaces inside a printed date
_CN = f"[{ZEROS}{DIGITS}十{TWO}]"  # a Chinese numeral of a date as the reader accepts it

ARABIC_DATE = re.compile(rf"({YEAR}){_SP}年{_SP}({MONTH}){_SP}月{_SP}({DAY}){_SP}[日号]")
DOTTED_DATE = re.compile(rf"(?<!\d)({YEAR})\s*{DOT}\s*({MONTH})\s*{DOT}\s*({DAY})(?![\d.])")
CHINESE_DATE = re.compile(
    rf"([一二{ZEROS}]{_SP}(?:{_CN}{_SP}){{3}})年{_SP}((?:{_CN}{_SP}){{1,3}})月{_SP}((?:{_CN}{_SP}){{1,4}})[日号]"
)
ANY_DATE = re.compile(f"{ARABIC_DATE.pattern}|{CHINESE_DATE.pattern}|{DOTTED_DATE.pattern}")
# A line that is nothing but a date (成文日期, 印发日期 parts), maybe in brackets.
DATE_LINE = re.compile(
    rf"^[（(]?{_SP}(?:{ARABIC_DATE.pattern}|{CHINESE_DATE.pattern}|{DOTTED_DATE.pattern}){_SP}[）)]?$"
)

# A line that is a year and a month only (a report's cover: 二〇二二年十二月, 2022年12月).
MONTH_LINE = re.compile(
    rf"^({YEAR}){_SP}年{_SP}({MONTH}){_SP}月$"
    rf"|^([一二{ZEROS}]{_SP}(?:{_CN}{_SP}){{3}})年{_SP}((?:{_CN}{_SP}){{1,3}})月$"
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


def read_date(text: str) -> str | None:
    """``text`` as ISO when the whole of it is one valid date (a value a user typed), else None."""
    return find_date(text) if is_date_line(text) else None


def read_month(text: str) -> str | None:
    """``text`` as ISO ``YYYY-MM`` when the whole of it is a year and a month, else None."""
    match = MONTH_LINE.match(digits(text.strip()))
    if not match:
        return None
    year, month = (int(match[1]), int(match[2])) if match[1] else (to_int(match[3]), to_int(match[4]))
    if year is None or month is None or not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"
