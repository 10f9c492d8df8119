"""A day of the month typed the spoken way (2月3号) finds documents that write it 2月3日."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.index.passages import query_terms
from pipeline.index.query import parse
from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document
from pipeline.text.synonyms import table

REST = "，交通运输部印发通知，要求各地保障公路网通行顺畅，不得擅自封闭高速公路，确保应急运输车辆快速通行。"


def _notice(doc_id: str, opening: str) -> tuple[str, Document, dict]:
    body = opening + REST
    doc = Document(path=f"/notices/{doc_id}.txt", format="txt", title="关于保障公路通行的通知",
                   body=body, paragraphs=[body], date="2020-02-03")
    return doc_id, doc, {"path": doc.path}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dates_home")
    # the second opening holds the question's 2, 月, 3 and its 号 (a notice number, not a day)
    add_documents(path, [_notice("day", "2月3日"), _notice("number", "2月第3号")])
    return path


def _texts(question: str) -> set[str]:
    query, _ = parse(question, table())
    return {text for _, text, _ in query_terms(query)}


def test_a_spoken_day_becomes_the_written_day() -> None:
    texts = _texts("截至到2020年2月3号，对高速公路采取的措施?")
    assert "日" in texts and "号" not in texts


def test_the_document_of_that_day_ranks_first(home: Path) -> None:
    hits = search(home, "截至到2020年2月3号，对高速公路采取了哪些措施？")["hits"]
    assert [h["id"] for h in hits] == ["day", "number"]


def test_a_number_without_a_month_keeps_its_hao() -> None:
    texts = _texts("截至2月3号前，编号为第8号的通知有哪些要求？")
    assert {"日前", "号的"} <= texts  # the day became 3日; 第8号 stayed a number
