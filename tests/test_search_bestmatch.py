"""Best match: the documents holding every typed word first, then those holding most of them,
each naming the words it lacks (``pipeline.index.bestmatch``); catalogue fields and the forms
of a name (``pipeline.text.name_forms``, the home's ``synonyms.txt``) answer words too."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline.index.search import search
from pipeline.index.writer import add_documents
from pipeline.model import Document
from pipeline.text import name_forms
from pipeline.text.synonyms import USER_FILE, parse_groups, table


def _doc(title: str, body: str, date: str | None = None, genre: str = "通知") -> Document:
    return Document(path=f"/archive/{title}.txt", format="txt", title=title, body=body,
                    paragraphs=body.split("\n"), date=date, genre=genre)


DOCS = {  # 防汛 检查 堤坝: who holds which word
    "all": _doc("汛期安全", "防汛检查覆盖全部堤坝。", "2020-05-01"),
    "all2": _doc("汛前准备", "开展防汛检查，加固堤坝。", "2019-04-01"),
    "two_new": _doc("防汛检查通报", "各地防汛检查情况良好。", "2024-06-01"),
    "two_old": _doc("堤坝防汛", "堤坝防汛责任落实到人。", "2018-06-01"),
    "one": _doc("检查工作", "开展安全检查。", "2023-01-01", genre="意见"),
    "none": _doc("植树造林", "春季植树。", "2022-03-01"),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bestmatch_home")
    add_documents(path, [(doc_id, doc, {"path": doc.path}) for doc_id, doc in DOCS.items()])
    return path


def _listed(result: dict) -> list[tuple[str, tuple[str, ...]]]:
    return [(hit["id"], tuple(hit.get("missing", ()))) for hit in result["hits"]]


def test_every_word_first_then_most_of_them_naming_what_they_lack(home: Path) -> None:
    result = search(home, "防汛 检查 堤坝")
    listed = _listed(result)
    assert {doc for doc, missing in listed[:2]} == {"all", "all2"} and listed[0][1] == ()
    assert {doc: missing for doc, missing in listed[2:]} == {
        "two_new": ("堤坝",), "two_old": ("检查",), "one": ("防汛", "堤坝")}
    assert [len(missing) for _, missing in listed] == sorted(len(m) for _, m in listed)
    assert result["all_words"] == 2 and result["total"] == 5  # 植树造林 holds none: not listed
    assert sum(result["facets"]["genre"].values()) == result["total"]  # facets count the listed
    assert result["facets"]["genre"] == {"通知": 4, "意见": 1}


def test_date_sort_orders_within_each_tier(home: Path) -> None:
    by_date = [doc for doc, _ in _listed(search(home, "防汛 检查 堤坝", sort="date"))]
    assert by_date == ["all", "all2", "two_new", "two_old", "one"]


def test_pages_continue_into_the_partial_matches(home: Path) -> None:
    whole = _listed(search(home, "防汛 检查 堤坝"))
    pages = [_listed(search(home, "防汛 检查 堤坝", limit=2, offset=n)) for n in (0, 2, 4)]
    assert [hit for page in pages for hit in page] == whole


def test_a_full_page_of_every_word_costs_nothing_more(home: Path) -> None:
    result = search(home, "防汛 检查 堤坝", limit=2)
    assert result["total"] == 2 and "all_words" not in result
    assert all("missing" not in hit for hit in result["hits"])


@pytest.mark.parametrize("query", [
    '"防汛检查" 堤坝', "防汛 AND 检查 AND 堤坝", "标题:防汛 检查", "防汛 检查 -堤坝", "防汛 检查 NOT 植树",
])
def test_phrases_operators_and_fields_stay_strict(home: Path, query: str) -> None:
    result = search(home, query)
    assert "all_words" not in result and all("missing" not in hit for hit in result["hits"])


def test_nothing_listed_only_when_no_word_matches(home: Path) -> None:
    assert search(home, "彩虹 独角兽")["total"] == 0
    assert search(home, "植树 独角兽")["hits"][0]["missing"] == ["独角兽"]


def test_a_genre_and_a_year_answer_from_the_catalogue(home: Path) -> None:
    # 意见 and 2023 are in no text of 检查工作: its 文种 and 成文日期 answer them
    for query in ("意见 安全检查", "2023年 安全检查"):
        result = search(home, query)
        assert _listed(result)[0] == ("one", ()) and result["total"] == 1, query


def test_the_homes_own_names_are_read_at_query_time(tmp_path: Path) -> None:
    add_documents(tmp_path, [("dam", DOCS["all"], {"path": "/a"})])
    assert search(tmp_path, "度汛工程")["total"] == 0
    names = tmp_path / USER_FILE
    names.write_text("# 本单位的叫法\n度汛工程 = 防汛+堤坝\n", encoding="utf-8")
    assert [hit["id"] for hit in search(tmp_path, "度汛工程")["hits"]] == ["dam"]
    names.write_text("度汛工程 = 植树\n", encoding="utf-8")  # an edit counts at once, no reindex
    later = time.time() + 5
    os.utime(names, (later, later))
    assert search(tmp_path, "度汛工程")["total"] == 0


def test_plain_groups_format() -> None:
    assert parse_groups("# 注释\n进博会 = 中国国际进口博览会＝进口博览会\n三农 = 农业+农村+农民\n单独一个\n") == [
        [("进博会",), ("中国国际进口博览会",), ("进口博览会",)], [("三农",), ("农业", "农村", "农民")]]


@pytest.mark.parametrize("text, span, forms", [
    ("第5次主任会议", "第5次", {"第5次", "第五次"}),
    ("十五届人大", "十五届", {"十五届", "15届"}),
    ("常委会第二十五次会议", "第二十五次", {"第二十五次", "第25次"}),
    ("十四五规划", "十四五", {"十四五", "第十四个五年"}),
    ("八五普法", "八五", {"八五", "第八个五年"}),
    ("海淀区人大", "海淀区", {"海淀区", "海淀"}),
    ("五峰土家族自治县", "五峰土家族自治县", {"五峰土家族自治县", "五峰"}),
])
def test_forms_of_a_name_come_from_rules(text: str, span: str, forms: set[str]) -> None:
    found = {s.text: {form[0] for form in s.forms} for s in name_forms.find(table(), text)}
    assert found[span] == forms


@pytest.mark.parametrize("text", ["一九八五年", "二十五", "两次会议", "开发区", "和平区"])
def test_no_forms_for_ordinary_numbers_and_words(text: str) -> None:
    assert name_forms.find(table(), text) == []  # 和平 is a word: 和平区 keeps its name
