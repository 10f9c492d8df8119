"""Chinese numerals, both ways: ``to_int`` reads them, ``to_chinese`` writes them.

Two written forms meet in official documents:

- digit by digit, for years and serials: ``二〇二三`` 2023, ``一九五八`` 1958, ``〇五`` 5; the zero is
  written 〇, ○ or 零, and OCR and hasty typing give Ｏ, 0, O, o or Greek Ο for it;
- counted with 十/百/千: ``十二`` 12, ``二十二`` 22, ``一百零三`` 103, ``二千零十七`` 2017,
  ``两千四百`` 2400.

A run that is no single number reads as None: ``十四五`` (the 14th Five-Year Plan), ``三四十``
(thirty or forty), ``一两``/``两三`` (one or two, two or three: 两 is never a digit of a year),
``十十``, ``百千``.
"""

from __future__ import annotations

import re

WRITTEN_ZEROS = "〇○零"
ZEROS = WRITTEN_ZEROS + "Ｏ0OoΟ"  # and its look-alikes in OCR and typed text
DIGITS = "一二三四五六七八九"  # 1..9
TWO = "两"  # 2 in counts (两千, 两个), never in a year
UNITS = "十百千"
_VALUE = {**dict.fromkeys(ZEROS, 0), **{ch: i for i, ch in enumerate(DIGITS, start=1)}, TWO: 2}
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_SPACE = re.compile(r"\s")
_WRITTEN_DIGITS = "〇" + DIGITS
_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def digits(text: str) -> str:
    """Full-width digits to ASCII (``２０２３`` -> ``2023``); other characters as they are."""
    return text.translate(_FULL_WIDTH_DIGITS) if _HAS_FULL_WIDTH_DIGIT.search(text) else text


def to_int(text: str) -> int | None:
    """``十二`` -> 12, ``二〇二三`` -> 2023, ``一百零三`` -> 103, ``12`` -> 12; None when ``text`` is
    not one number. Spaces inside (``二 十``, as PDFs space dates out) are ignored."""
    text = _SPACE.sub("", text)
    if not text:
        return None
    if text.isdecimal():
        return int(text)
    if any(ch in _UNIT_VALUE for ch in text):
        return _counted(text)
    return _digit_by_digit(text)


def _digit_by_digit(text: str) -> int | None:
    if TWO in text and len(text.lstrip(ZEROS)) > 1:  # 一两 两三: a range, not a number
        return None
    value = 0
    for ch in text:
        digit = _VALUE.get(ch)
        if digit is None:
            return None
        value = value * 10 + digit
    return value


def _counted(text: str) -> int | None:
    total, pending, last_unit = 0, None, 10_000
    for ch in text:
        if ch in _VALUE:
            if pending:  # two digits in a row (三四十): a range; after 零 (一百零三) is fine
                return None
            pending = _VALUE[ch]
        else:
            unit = _UNIT_VALUE.get(ch)
            if unit is None or unit >= last_unit:  # 十十, 百千: units only fall
                return None
            total += (pending or 1) * unit  # 十二, 百一十一: a unit alone counts one
            pending, last_unit = None, unit
    return total + (pending or 0)


def to_chinese(number: int, style: str = "counting") -> str:
    """``number`` in Chinese numerals.

    ``counting`` (0..9999): 6 -> 六, 12 -> 十二, 28 -> 二十八, 105 -> 一百零五, 110 -> 一百一十,
    2017 -> 二千零一十七, as months, days, headings (一、) and Word's chineseCounting lists write them.
    ``digits``: each digit on its own, 2024 -> 二〇二四, as years are written.
    """
    if number < 0:
        raise ValueError(f"no Chinese numeral for {number}")
    if style == "digits":
        return "".join(_WRITTEN_DIGITS[int(d)] for d in str(number))
    if style != "counting":
        raise ValueError(f"unknown numeral style {style!r}")
    if number >= 10_000:
        raise ValueError(f"counting numerals stop at 9999: {number}")
    if number == 0:
        return "〇"
    text, gap = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if gap and text:
                text += "零"
            # 十二, not 一十二; but 一百一十 (a 1 below a higher unit is written)
            text += ("" if digit == 1 and unit == 10 and not text else _WRITTEN_DIGITS[digit]) + name
        gap = not digit
    return text
