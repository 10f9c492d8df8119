"""Colloquial names and short titles drafters type find the documents that use the formal name
(and back), through the built-in groups of ``pipeline/text/data/synonyms.json``."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document
from pipeline.text.synonyms import table


def _doc(title: str, body: str) -> Document:
    return Document(path=f"/archive/{title[:12]}.txt", format="txt", title=title, body=body,
                    paragraphs=body.split("\n"))


DOCS = {
    "township": _doc("北京市乡、民族乡、镇人民代表大会组织条例",
                     "第一条 为了加强乡、民族乡、镇人民代表大会建设，根据宪法和有关法律，制定本条例。"),
    "courts": _doc("关于支持最高人民法院、最高人民检察院巡回工作的决定",
                   "本市各级人民政府应当为最高人民法院、最高人民检察院巡回机构提供保障。"),
    "welfare": _doc("关于提高城乡最低生活保障标准的通知", "各区要按时足额发放最低生活保障金。"),
    "housing": _doc("关于推进棚改和保障房建设的意见", "加快棚改进度，扩大保障房供给。"),
    "plan": _doc("关于编制第十四个五年规划纲要的报告", "规划纲要草案经过广泛征求意见。"),
    "other": _doc("关于加强乡村道路养护的通知", "各镇人民政府要落实道路养护责任，民族团结进步。"),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synonym_home")
    add_documents(path, [(doc_id, doc, {"path": doc.path}) for doc_id, doc in DOCS.items()])
    return path


def top(home: Path, query: str) -> str | None:
    hits = search(home, query)["hits"]
    return hits[0]["id"] if hits else None


@pytest.mark.parametrize("query, expected", [
    ("乡镇人大 组织条例", "township"),  # 乡镇人大 = 乡、民族乡、镇人民代表大会
    ("两高 巡回", "courts"),  # 两高 = 最高人民法院 + 最高人民检察院
    ("低保 标准", "welfare"),
    ("十四五 纲要", "plan"),
    ("棚户区改造", "housing"),  # and back: the formal name finds the colloquial one
    ("保障性住房", "housing"),
])
def test_colloquial_and_formal_names_find_each_other(home: Path, query: str, expected: str) -> None:
    assert top(home, query) == expected


def test_every_builtin_group_has_distinct_forms() -> None:
    synonyms = table()
    for group in synonyms.groups:
        assert len(group) == len(set(group)) >= 2, group
    # a group's forms are found in a query, longest first
    assert [form for _, _, form in synonyms.find("乡镇人大组织条例")] == ["乡镇人大"]
