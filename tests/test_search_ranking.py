"""Ranking of drafters' keyword queries over a real index: titles holding every typed term first."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.index.query import parse
from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document
from pipeline.text.synonyms import table


def _report(year: int, body: str) -> Document:
    title = f"{year}年国务院政府工作报告"
    return Document(path=f"/national/{year}.txt", format="txt", title=title, body=body,
                    paragraphs=body.split("\n"), date=f"{year}-09-23")


CITING = "与1954年相比，工业总产值增长。1954年的计划已经完成，1954年粮食产量创新高。"
DOCS = {
    "rules": Document(path="/laws/cq.md", format="md",
                      title="重庆市实施《全国人民代表大会和地方各级人民代表大会代表法》办法",
                      body="第一条 根据代表法，结合本市实际，制定本办法。", date="2016-03-31"),
    "1954": _report(1954, "1954年，国家建设取得成绩。各项计划基本完成。"),
    "1956": _report(1956, CITING * 3),
    "1957": _report(1957, CITING * 4),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ranking_home")
    add_documents(path, [(doc_id, doc, {"path": doc.path}) for doc_id, doc in DOCS.items()])
    return path


def test_the_title_holding_every_term_ranks_first(home: Path) -> None:
    hits = search(home, "1954年 政府工作报告")["hits"]
    assert hits[0]["id"] == "1954"
    assert {h["id"] for h in hits} == {"1954", "1956", "1957"}  # the reports citing 1954 too


def test_a_number_keeps_its_unit() -> None:
    query, _ = parse("1954年 政府工作报告", table())
    # no lone 年 (it would expand to every bigram starting with 年)
    assert "年*" not in str(query) and "title_bg:1954" in str(query)


def test_a_long_word_not_found_as_typed_matches_through_its_parts(home: Path) -> None:
    result = search(home, "代表法 实施办法")  # the title reads 实施《……代表法》办法
    assert [h["id"] for h in result["hits"]] == ["rules"]
    assert result["relaxed"] is True
    assert "relaxed" not in search(home, "代表法 办法")  # found as typed: nothing relaxed
    # 细则 is nowhere, as typed or in parts: the documents holding 代表法 follow, naming it
    nowhere = search(home, "代表法 实施细则")
    assert nowhere["all_words"] == 0 and "relaxed" not in nowhere
    assert [(h["id"], h["missing"]) for h in nowhere["hits"]] == [("rules", ["实施细则"])]
