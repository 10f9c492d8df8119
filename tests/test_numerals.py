"""Chinese numerals: ``pipeline.text.numerals`` against what the converters it replaced returned.

The inputs are numeral runs found in the real corpus (dates, congress sessions, counts in
statistics) and the odd forms around them. Each row records what the old converters returned,
``structure.dates.chinese_number`` (dates: digit by digit, ``X十Y``) and ``text.normalize.cn_to_int``
(sessions and counts: 十/百/千 units), then what ``to_int`` returns. ``None``: not a number.
Where the two disagreed, ``to_int`` reads a run without units digit by digit (二〇二三 is 2023, not
cn_to_int's 3; 一五六项 is 156), a run with units by counting (一百零三, which chinese_number
rejected), and a run that is no single number (十四五, 三四十, 两三) as None.
"""

from __future__ import annotations

import pytest

from pipeline.layout.gbt9704 import format_date
from pipeline.text.numerals import to_chinese, to_int

# text, structure.dates.chinese_number, text.normalize.cn_to_int, to_int
READINGS: list[tuple[str, int | None, int | None, int | None]] = [
    # years written digit by digit, with each way of writing the zero
    ("二〇二三", 2023, 3, 2023),
    ("二○二三", 2023, 3, 2023),
    ("二零二三", 2023, 3, 2023),
    ("二Ｏ二三", 2023, None, 2023),
    ("二0二三", 2023, None, 2023),
    ("一九五八", 1958, 8, 1958),
    ("一九八○", 1980, 0, 1980),
    ("二〇〇四", 2004, 4, 2004),
    ("〇五", 5, 5, 5),
    ("零三", 3, 3, 3),
    # months, days, terms and meetings
    ("一", 1, 1, 1),
    ("九", 9, 9, 9),
    ("十", 10, 10, 10),
    ("十一", 11, 11, 11),
    ("十二", 12, 12, 12),
    ("十七", 17, 17, 17),
    ("二十", 20, 20, 20),
    ("二十二", 22, 22, 22),
    ("三十一", 31, 31, 31),
    ("两", 2, 2, 2),
    # counts with 百 and 千
    ("一百", None, 100, 100),
    ("百", None, 100, 100),
    ("一百二十", None, 120, 120),
    ("一百零三", None, 103, 103),
    ("百一十一", None, 111, 111),
    ("一千零五", None, 1005, 1005),
    ("二千零十七", None, 2017, 2017),
    ("两千四百", None, 2400, 2400),
    ("五千", None, 5000, 5000),
    # digit runs that are no year: a serial (一五六项), a word (唯一一个), ranges (一两个, 两三次)
    ("一五六", 156, 6, 156),
    ("一一", 11, 1, 11),
    ("两三", 23, 3, None),
    ("一两", 12, 2, None),
    ("零两", 2, 2, 2),
    ("一九八二两", 19822, 2, None),
    # not numbers: the 14th Five-Year Plan (十四五), 百千, 三四十 (thirty or forty), 十十
    ("十四五", None, 15, None),
    ("百千", None, 1100, None),
    ("十百千", None, 1110, None),
    ("三四十", None, 40, None),
    ("十十", None, 20, None),
    # Arabic digits, spaces (dates spaced out in PDFs), other characters
    ("12", None, 12, 12),
    ("44", None, 44, 44),
    ("二 十", 20, None, 20),
    (" 〇 五 ", 5, None, 5),
    ("", None, None, None),
    ("第十", None, None, None),
    ("廿", None, None, None),
    ("卅", None, None, None),
]


@pytest.mark.parametrize(("text", "dates_reading", "normalize_reading", "reading"), READINGS)
def test_to_int(text: str, dates_reading: int | None, normalize_reading: int | None, reading: int | None) -> None:
    assert to_int(text) == reading
    if dates_reading == normalize_reading:  # where the old converters agreed, nothing changed
        assert reading == dates_reading, text


# int -> Chinese: the renderer's month/day words (1..31), recorded from its old converter.
MONTH_DAY_WORDS = {0: "〇", 1: "一", 2: "二", 9: "九", 10: "十", 11: "十一", 19: "十九", 20: "二十",
                   21: "二十一", 28: "二十八", 30: "三十", 31: "三十一"}


@pytest.mark.parametrize(("number", "words"), sorted(MONTH_DAY_WORDS.items()))
def test_month_day_words(number: int, words: str) -> None:
    assert to_chinese(number) == words
    assert to_int(words) == number


@pytest.mark.parametrize(("iso", "printed"), [
    ("2010-12-22", "二〇一〇年十二月二十二日"), ("2024-01-10", "二〇二四年一月十日"),
    ("2009-10-31", "二〇〇九年十月三十一日"), ("1996-06-29", "一九九六年六月二十九日"),
    ("2000-11-20", "二〇〇〇年十一月二十日"),
])
def test_chinese_dates_printed(iso: str, printed: str) -> None:
    assert format_date(iso, "chinese") == printed


def test_counting_matches_word_list_numbers() -> None:
    """Word's chineseCounting list labels as the .docx reader renders them (1..999)."""
    assert [to_chinese(n) for n in (100, 105, 110, 111, 120, 999)] == [
        "一百", "一百零五", "一百一十", "一百一十一", "一百二十", "九百九十九"]


def test_both_ways_agree() -> None:
    assert all(to_int(to_chinese(n)) == n for n in range(10_000))
    assert all(to_int(to_chinese(n, "digits")) == n for n in range(3000))
    assert [to_chinese(n) for n in (1005, 1050, 2017, 2400)] == ["一千零五", "一千零五十", "二千零一十七", "二千四百"]
    assert to_chinese(2024, "digits") == "二〇二四"
    for bad in (-1, 10_000):
        with pytest.raises(ValueError):
            to_chinese(bad)
