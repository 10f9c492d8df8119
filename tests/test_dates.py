"""Dates: the reader of ``pipeline.text.dates`` and what a draft accepts as a date."""

from __future__ import annotations

import re

import pytest

from pipeline.templates.draft import to_iso_date
from pipeline.text import dates

# A drafted date as the user types it -> ISO. The draft had its own patterns and digit table
# (4 digits-1 or 2-1 or 2, 2024年6月28日, [〇一…九零○]{4}年…月…日); it now reads the value with the
# recogniser's date reader: the same forms and more (2024.6.28, 号, spaces), and only real dates.
DRAFT_DATES = [
    ("二〇二四年六月二十八日", "2024-06-28"),
    ("二○二三年十二月二十二日", "2023-12-22"),
    ("二零二四年十月一日", "2024-10-01"),
    ("一九九六年六月二十九日", "1996-06-29"),
    ("2024年6月28日", "2024-06-28"),
    ("2024-6-8", "2024-06-08"),
    (" 2024-06-28 ", "2024-06-28"),
    ("二〇二四年六月", None),
    ("两〇二四年六月一日", None),
    ("下周", None),
    ("2024年6月28日上午", None),
    # the draft's own patterns did not know these
    ("2024.6.28", "2024-06-28"),
    ("2024/6/28", "2024-06-28"),
    ("2024年6月28号", "2024-06-28"),
    ("2024 年 6 月 28 日", "2024-06-28"),
    ("（2024年6月28日）", "2024-06-28"),
    # the draft took these as they were: 2024-13-45 became the document's date; a malformed
    # Chinese month was a KeyError
    ("2024-13-45", None),
    ("二〇二四年十三月四十五日", None),
    ("2023年2月30日", None),
    ("二〇二四年十十月一日", None),
    # years outside 1900–2099 are no dates of these documents
    ("1800-01-01", None),
]


@pytest.mark.parametrize(("text", "iso"), DRAFT_DATES)
def test_draft_dates(text: str, iso: str | None) -> None:
    assert to_iso_date(text) == iso


def test_blocks_compose_the_printed_forms() -> None:
    printed = re.compile(f"{dates.DATE}|{dates.CN_DATE}")
    assert printed.fullmatch("2023年12月22日")
    assert printed.fullmatch("二〇二三年十二月二十二日")
    assert printed.fullmatch("一九九六年六月二十九日")
    assert not printed.fullmatch("1840年6月1日")  # YEAR is 1900–2099
    assert re.fullmatch(f"{dates.ANY_YEAR}年", "１８４０年")  # ANY_YEAR: any four digits
    assert re.fullmatch(f"{dates.YEAR}{dates.DOT}{dates.MONTH}{dates.DOT}{dates.DAY}", "2023.2.1")


def test_reader() -> None:
    assert dates.find_dates("2023年2月1日至二○二三年三月一日，2023.3.5") == ["2023-02-01", "2023-03-01", "2023-03-05"]
    assert dates.find_date("２０２３年２月１日") == "2023-02-01"
    assert dates.find_date("二Ｏ二三年二月一日") == "2023-02-01"  # OCR's Ｏ for 〇
    assert dates.is_date_line("（2023年2月1日）")
    assert not dates.is_date_line("2023年2月1日上午召开会议")
    assert dates.read_date("2023年2月30日") is None
