"""Chinese numerals: what each converter of the code base returns, recorded before they become one.

The inputs are numeral runs found in the real corpus (dates, congress sessions, counts in
statistics) and the odd forms around them. Each row records what the old converters returned:
``structure.dates.chinese_number`` (dates: positional digits, ``X十Y``), ``text.normalize.cn_to_int``
(sessions and counts: 十/百/千 units). ``None`` means the converter rejected the text.
"""

from __future__ import annotations

import pytest

from pipeline.layout.gbt9704 import _cn_number, format_date
from pipeline.structure.dates import chinese_number
from pipeline.templates.draft import to_iso_date
from pipeline.text.normalize import cn_to_int

# text, structure.dates.chinese_number, text.normalize.cn_to_int
OLD_READINGS: list[tuple[str, int | None, int | None]] = [
    # years written digit by digit, with each way of writing the zero
    ("二〇二三", 2023, 3),
    ("二○二三", 2023, 3),
    ("二零二三", 2023, 3),
    ("二Ｏ二三", 2023, None),
    ("二0二三", 2023, None),
    ("一九五八", 1958, 8),
    ("一九八○", 1980, 0),
    ("二〇〇四", 2004, 4),
    ("〇五", 5, 5),
    ("零三", 3, 3),
    # months, days, terms and meetings
    ("一", 1, 1),
    ("九", 9, 9),
    ("十", 10, 10),
    ("十一", 11, 11),
    ("十二", 12, 12),
    ("十七", 17, 17),
    ("二十", 20, 20),
    ("二十二", 22, 22),
    ("三十一", 31, 31),
    ("两", 2, 2),
    # counts with 百 and 千
    ("一百", None, 100),
    ("百", None, 100),
    ("一百二十", None, 120),
    ("一百零三", None, 103),
    ("百一十一", None, 111),
    ("一千零五", None, 1005),
    ("二千零十七", None, 2017),
    ("两千四百", None, 2400),
    ("五千", None, 5000),
    # digit runs that are no year: a serial (一五六项), a word (唯一一个), ranges (一两个, 两三次)
    ("一五六", 156, 6),
    ("一一", 11, 1),
    ("两三", 23, 3),
    ("一两", 12, 2),
    ("零两", 2, 2),
    ("一九八二两", 19822, 2),
    # not numbers: the 14th Five-Year Plan (十四五), 百千, 三四十 (thirty or forty), 十十
    ("十四五", None, 15),
    ("百千", None, 1100),
    ("十百千", None, 1110),
    ("三四十", None, 40),
    ("十十", None, 20),
    # Arabic digits, spaces (dates spaced out in PDFs), other characters
    ("12", None, 12),
    ("44", None, 44),
    ("二 十", 20, None),
    (" 〇 五 ", 5, None),
    ("", None, None),
    ("第十", None, None),
    ("廿", None, None),
    ("卅", None, None),
]


@pytest.mark.parametrize(("text", "dates_reading", "normalize_reading"), OLD_READINGS)
def test_old_readings(text: str, dates_reading: int | None, normalize_reading: int | None) -> None:
    assert chinese_number(text) == dates_reading
    assert cn_to_int(text) == normalize_reading


# A drafted date as the user types it -> ISO (templates.draft.to_iso_date: its own digit table).
DRAFT_DATES = [
    ("二〇二四年六月二十八日", "2024-06-28"),
    ("二○二三年十二月二十二日", "2023-12-22"),
    ("二零二四年十月一日", "2024-10-01"),
    ("一九九六年六月二十九日", "1996-06-29"),
    ("2024年6月28日", "2024-06-28"),
    ("2024-6-8", "2024-06-08"),
    ("二〇二四年六月", None),
    ("两〇二四年六月一日", None),
]


@pytest.mark.parametrize(("text", "iso"), DRAFT_DATES)
def test_old_draft_dates(text: str, iso: str | None) -> None:
    assert to_iso_date(text) == iso


def test_old_draft_dates_not_checked_or_crashing() -> None:
    # No check that the date exists, and a KeyError on a malformed month.
    assert to_iso_date("2024-13-45") == "2024-13-45"
    assert to_iso_date("二〇二四年十三月四十五日") == "2024-13-45"
    with pytest.raises(KeyError):
        to_iso_date("二〇二四年十十月一日")


# int -> Chinese: the renderer's month/day words (1..31) and Chinese-numeral dates.
MONTH_DAY_WORDS = {1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十", 21: "二十一",
                   28: "二十八", 30: "三十", 31: "三十一"}


@pytest.mark.parametrize(("number", "words"), sorted(MONTH_DAY_WORDS.items()))
def test_old_month_day_words(number: int, words: str) -> None:
    assert _cn_number(number) == words


@pytest.mark.parametrize(("iso", "printed"), [
    ("2010-12-22", "二〇一〇年十二月二十二日"), ("2024-01-10", "二〇二四年一月十日"),
    ("2009-10-31", "二〇〇九年十月三十一日"), ("1996-06-29", "一九九六年六月二十九日"),
    ("2000-11-20", "二〇〇〇年十一月二十日"),
])
def test_old_chinese_dates_printed(iso: str, printed: str) -> None:
    assert format_date(iso, "chinese") == printed


def test_old_month_day_words_match_word_list_numbers() -> None:
    """The renderer's 1..99 and the .docx reader's list labels (Word's chineseCounting) agree."""
    from pipeline.formats.docx import chinese_number as list_label

    assert all(_cn_number(n) == list_label(n) for n in range(1, 100))
    assert [list_label(n) for n in (100, 105, 110, 111, 120, 999)] == [
        "一百", "一百零五", "一百一十", "一百一十一", "一百二十", "九百九十九"]
    # outside 1..999 the reader prints Arabic digits; the renderer writes 〇 for 0
    assert [list_label(n) for n in (0, -1, 1000)] == ["0", "-1", "1000"]
    assert _cn_number(0) == "〇"
