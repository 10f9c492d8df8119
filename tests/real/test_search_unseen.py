"""Search on real documents the way a drafter types: two or three remembered words, a genre word
the text never writes, a short or colloquial name, a meeting in other numerals, a word no
document holds. One test per failure class of the unseen drafters' set
(benchmarks/drafter_queries_unseen.tsv): each failed before best-match ranking, catalogue fields
and generated name forms. The documents are read from ../shared/corpus by path.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pipeline import Archive

FOLDERS = ("renda_more", "renda_pages", "npc_resolutions", "laws/DLC_浙江地方法规", "laws/民法商法")
FILES = ("state_council/001_*.txt", "state_council/002_*.txt", "state_council/003_*.txt",
         "state_council/004_*.txt", "laws/宪法相关法/*国家安全法*.md", "laws/宪法相关法/*监察法*.md",
         "laws/宪法相关法/*组织法*.md", "work_reports/national/2018_*.txt",
         "work_reports/national/2019_*.txt", "work_reports/national/2021_*.txt")


@pytest.fixture(scope="module")
def archive(shared_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    files = [p for folder in FOLDERS for p in sorted((shared_corpus / folder).rglob("*"))
             if p.suffix in (".txt", ".md") and p.name != "README.md"]
    files += [p for pattern in FILES for p in sorted(shared_corpus.glob(pattern))]
    archive = Archive(tmp_path_factory.mktemp("unseen-home"))
    summary = archive.ingest(files, workers=2, progress=False)
    assert summary["added"] >= len(files) - 5 and not summary["failed"], summary
    return archive


def _first(archive: Archive, query: str) -> dict:
    result = archive.search(query, limit=10)
    assert result["hits"], (query, result)
    return result["hits"][0]


def _doc_id(archive: Archive, path_end: str) -> str:
    with sqlite3.connect(archive.home.catalog) as conn:
        found = [doc_id for doc_id, path in conn.execute("SELECT id, path FROM documents")
                 if path.endswith(path_end)]
    assert len(found) == 1, (path_end, found)
    return found[0]


def test_a_genre_word_the_text_never_writes(archive: Archive) -> None:
    # minutes of a 主任会议 that never call themselves 纪要: the catalogue's 文种 answers the word
    doc_id = _doc_id(archive, "renda_more/minutes/003.txt")
    archive.edit(doc_id, {"genre": "纪要"})
    hit = _first(archive, "纪要 五峰 断头路")
    assert hit["id"] == doc_id and "missing" not in hit


def test_colloquial_and_short_names(archive: Archive) -> None:
    assert "2019_" in _first(archive, "进博会 2019年 政府工作报告")["path"]  # 中国国际进口博览会
    assert _first(archive, "八五普法 珠海")["path"].endswith(  # 第八个五年法治宣传教育
        "renda_more/resolutions_decisions/002.txt")
    assert "香港特别行政区维护国家安全法" in _first(archive, "香港国安法")["path"]


def test_a_word_no_document_holds_leaves_the_documents_holding_the_others(archive: Archive) -> None:
    result = archive.search("合伙企业 普通合伙人 彩虹独角兽", limit=10)
    assert result["all_words"] == 0 and "suggestion" not in result
    assert result["total"] >= len(result["hits"]) > 0
    first = result["hits"][0]
    assert "合伙企业法" in first["path"] and first["missing"] == ["彩虹独角兽"]


def test_short_forms_and_other_numerals_inside_a_meeting_name(archive: Archive) -> None:
    # adopted at 浙江省第十三届人民代表大会常务委员会第二十一次会议 (the adoption note)
    assert "(2020-05-15)" in _first(archive, "浙江省十三届人大常委会第二十一次会议")["path"]
    # 区七届人大常委会第五次主任会议, typed with an Arabic 5
    assert _first(archive, "七届人大常委会第5次主任会议")["path"].endswith("renda_more/minutes/001.txt")
    # 虹口区人大常委会第25次会议, typed in Chinese numerals
    assert _first(archive, "虹口区人大常委会第二十五次会议")["path"].endswith(
        "renda_pages/news_reports/009.txt")


def test_catalogue_fields_answer_words(archive: Archive) -> None:
    # year: the text says only 4月21日; the date is the archivist's
    doc_id = _doc_id(archive, "renda_more/minutes/002.txt")
    archive.edit(doc_id, {"date": "2023-04-21"})
    hit = _first(archive, "2023 主任会议 合肥")
    assert hit["id"] == doc_id and "missing" not in hit
    # issuer by its short name: 常州市交通运输局 is only in the catalogue and the signature
    assert _first(archive, "常州 交通局 候车亭")["path"].endswith("renda_more/suggestion_replies/004.txt")
    # a 文号 fragment without its organ code
    assert "国办发〔2019〕6号" in _first(archive, "〔2019〕6号")["path"]
    # a session, adopted at 第十届全国人民代表大会常务委员会第二十三次会议 (revision)
    assert "合伙企业法" in _first(archive, "十届全国人大常委会第23次会议 合伙企业")["path"]
