"""Titles on real documents: a report's cover page, and a title for every local 人大 page."""

from __future__ import annotations

from pathlib import Path

from pipeline.parse import parse_file


def test_a_statistics_report_cover_gives_title_issuers_and_date(shared_corpus: Path) -> None:
    doc = parse_file(shared_corpus / "formats/pdf/深圳市2021年社会性别统计报告.pdf")
    assert doc.title == "2021年深圳市社会性别统计报告" and not doc.title_derived
    assert doc.issuer == ["深圳市统计局", "深圳市妇女儿童工作委员会", "深圳市性别平等促进办公室"]
    assert doc.date == "2022-12"  # the cover prints 二〇二二年十二月
    assert doc.genre == "报告"


def test_every_local_congress_page_has_a_title(shared_corpus: Path) -> None:
    paths = sorted((shared_corpus / "renda_more").glob("*/*.txt"))
    paths += sorted((shared_corpus / "renda_pages").glob("*/*.txt"))
    docs = [parse_file(path) for path in paths]
    assert len(docs) == 100
    assert all(doc.title for doc in docs), [d.path for d in docs if not d.title]
    derived = [doc for doc in docs if doc.title_derived]
    assert 30 <= len(derived) <= 50  # 42 of the 100 files printed no title line
    assert all(8 <= len(doc.title) <= 90 for doc in derived)
