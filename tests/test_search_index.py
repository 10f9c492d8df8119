"""Search over a real Whoosh index in tmp_path: recall, ranking, syntax, filters, facets, snippets."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from pipeline.index.search import search
from pipeline.index.writer import add_documents, delete_documents, indexed_ids, passages
from pipeline.model import Document, Heading


def _doc(title: str, body: str, **fields) -> Document:
    return Document(path=f"/archive/{title[:12]}.txt", format="txt", title=title, body=body,
                    paragraphs=body.split("\n"), **fields)


DOCS = {
    "visit": _doc("关于开展督导涉访单位专项工作的通知", "各街道：\n一、工作目标\n全面开展督导涉访单位工作，压实责任。\n二、工作要求\n各单位要按时报送情况。",
                  doc_number="南人常办〔2023〕5号", issuer=["南京市某区人大常委会办公室"], date="2023-02-01", genre="通知",
                  headings=[Heading(1, "一、工作目标"), Heading(1, "二、工作要求")]),
    "inspect": _doc("关于督导检查工作的意见", "督导检查是推动落实的重要手段。要加强督导，注重实效。",
                    doc_number="国发〔2019〕5号", issuer=["国务院"], date="2019-01-10", genre="意见"),
    "guide": _doc("关于加强监督导向作用的报告", "发挥监督导向作用，规范权力运行。",
                  issuer=["某区监察委员会"], date="2021-06-01", genre="报告"),
    "session": _doc("第十二届全国人民代表大会第三次会议关于政府工作报告的决议",
                    "第十二届全国人民代表大会第三次会议听取了国务院总理所作的政府工作报告。",
                    issuer=["全国人民代表大会"], date="2015-03-15", genre="决议"),
    "health": _doc("关于疫情防控物资保障的通知",
                   "国家卫生健康委员会（以下简称“国家卫健委”）会同有关部门开展检查。国家卫健委负责统筹。",
                   doc_number="国办发〔2020〕8号", issuer=["国务院办公厅", "国家卫生健康委员会"], date="2020-02-04", genre="通知"),
    "opinion": _doc("关于一府一委两院工作报告的审议意见",
                    "常务委员会听取了区政府、区监察委员会、区法院、区检察院的工作报告。",
                    issuer=["某区人大常委会"], date="2022-11-20", genre="审议意见"),
    "traditional": _doc("關於加強檔案管理工作的通知", "各單位要加強檔案管理，確保檔案安全。",
                        issuer=["某市檔案局"], date="2018-05-05", genre="通知"),
}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("search_home")
    add_documents(path, [(doc_id, doc, {"path": doc.path, "topics": ["测试"]}) for doc_id, doc in DOCS.items()])
    return path


def ids(result: dict) -> list[str]:
    return [hit["id"] for hit in result["hits"]]


def test_indexed_ids_are_documents_only(home: Path) -> None:
    assert indexed_ids(home) == set(DOCS)


def test_hit_carries_the_contract_fields(home: Path) -> None:
    hit = search(home, "督导涉访单位")["hits"][0]
    assert set(hit) >= {"id", "path", "title", "doc_number", "genre", "date", "issuer", "score", "snippets"}
    assert hit["id"] == "visit" and hit["doc_number"] == "南人常办〔2023〕5号" and hit["date"] == "2023-02-01"


def test_subword_is_found_inside_a_longer_word(home: Path) -> None:
    assert "visit" in ids(search(home, "督导"))  # 督导 inside the lexicon word 督导涉访单位
    assert "visit" in ids(search(home, "涉访"))


def test_whole_word_ranks_before_a_chance_bigram(home: Path) -> None:
    result = ids(search(home, "督导"))
    assert "guide" in result  # 监督导向 holds the bigram 督导 …
    assert result.index("inspect") < result.index("guide")  # … but whole words rank first


def test_doc_number_with_wrong_or_no_brackets_finds_the_document_first(home: Path) -> None:
    for query in ("国发[2019]5号", "国发（2019）5号", "国发2019 5号", "文号:国发〔2019〕5号"):
        assert ids(search(home, query))[0] == "inspect", query


def test_session_name_short_form_matches_full_form(home: Path) -> None:
    assert ids(search(home, "十二届人大三次会议"))[0] == "session"


def test_builtin_abbreviation_both_ways(home: Path) -> None:
    assert "opinion" in ids(search(home, "一府一委两院"))
    assert "opinion" in ids(search(home, "常委会 工作报告"))  # 常委会 = 常务委员会
    assert "session" in ids(search(home, "全国人大"))  # 全国人大 = 全国人民代表大会


def test_abbreviation_defined_in_a_document_both_ways(home: Path) -> None:
    synonyms = (home / "synonyms.json").read_text(encoding="utf-8")
    assert "国家卫健委" in synonyms
    assert ids(search(home, "国家卫健委"))[0] == "health"
    assert ids(search(home, "国家卫生健康委员会"))[0] == "health"


def test_phrase_query_requires_the_sequence(home: Path) -> None:
    assert ids(search(home, '"督导检查"')) == ["inspect"]
    assert ids(search(home, "“压实责任”")) == ["visit"]


def test_field_syntax(home: Path) -> None:
    titled = ids(search(home, "标题:督导"))
    assert set(titled) == {"visit", "inspect", "guide"}  # guide: 监督导向 in its title
    assert "session" not in ids(search(home, "标题:国务院"))  # only in the session body
    assert ids(search(home, "文种:决议")) == ["session"]
    assert ids(search(home, "机关:国务院 督导")) == ["inspect"]


def test_boolean_operators(home: Path) -> None:
    assert set(ids(search(home, "督导 AND 涉访"))) == {"visit"}
    assert set(ids(search(home, "涉访 OR 决议"))) == {"visit", "session"}
    assert "visit" not in ids(search(home, "督导 NOT 涉访"))
    assert "visit" not in ids(search(home, "督导 -涉访"))


def test_filters_and_date_range(home: Path) -> None:
    assert set(ids(search(home, "通知", genre="通知"))) <= {"visit", "health", "traditional"}
    assert ids(search(home, "督导", year=2019)) == ["inspect"]
    assert ids(search(home, "通知", issuer="国务院办公厅")) == ["health"]
    ranged = ids(search(home, "工作", date_from="2019-01-01", date_to="2021-12-31"))
    assert ranged and all(DOCS[i].date[:4] in {"2019", "2020", "2021"} for i in ranged)


def test_facets_count_every_match(home: Path) -> None:
    result = search(home, "通知", limit=1)
    assert result["total"] == 3 and len(result["hits"]) == 1
    assert result["facets"]["genre"] == {"通知": 3}
    assert result["facets"]["year"] == {"2018": 1, "2020": 1, "2023": 1}
    assert result["facets"]["issuer"]["国家卫生健康委员会"] == 1  # joint issuers counted each


def test_sort_by_date_newest_first(home: Path) -> None:
    dates = [hit["date"] for hit in search(home, "工作", sort="date", limit=20)["hits"]]
    assert dates == sorted(dates, reverse=True) and len(dates) >= 3


def test_paging(home: Path) -> None:
    everything = ids(search(home, "工作", limit=20))
    assert len(everything) >= 4
    assert ids(search(home, "工作", limit=2, offset=0)) == everything[:2]
    assert ids(search(home, "工作", limit=2, offset=2)) == everything[2:4]


def test_snippets_are_highlighted(home: Path) -> None:
    snippets = search(home, "压实责任")["hits"][0]["snippets"]
    assert any("【压实责任】" in s or "【压实】" in s for s in snippets)


def test_traditional_document_found_by_simplified_query(home: Path) -> None:
    assert ids(search(home, "档案管理"))[0] == "traditional"


def test_question_words_are_soft(home: Path) -> None:
    assert ids(search(home, "国家卫健委负责什么？"))[0] == "health"


def test_suggestion_when_nothing_matches(home: Path) -> None:
    result = search(home, "督倒")
    assert result["total"] == 0 and result.get("suggestion") == "督导"
    assert "suggestion" not in search(home, "督导")


def test_a_word_nowhere_leaves_the_documents_holding_the_others(home: Path) -> None:
    result = search(home, "督倒检查")  # 督倒 is in no document: no "did you mean" then
    assert result["all_words"] == 0 and result["total"] == len(result["hits"]) > 0
    assert "suggestion" not in result
    assert {tuple(h["missing"]) for h in result["hits"]} == {("督倒",)}


def test_passages_follow_headings() -> None:
    parts = passages(DOCS["visit"])
    assert [section for section, _ in parts] == [None, "一、工作目标", "二、工作要求"]


def test_replace_and_delete(tmp_path: Path) -> None:
    doc = _doc("关于甲的通知", "甲乙丙丁")
    add_documents(tmp_path, [("x", doc, {"path": "/a"})])
    add_documents(tmp_path, [("x", _doc("关于戊的通知", "戊己庚"), {"path": "/a"})])
    assert ids(search(tmp_path, "甲乙")) == [] and ids(search(tmp_path, "戊己")) == ["x"]
    delete_documents(tmp_path, ["x"])
    assert indexed_ids(tmp_path) == set() and search(tmp_path, "戊己")["total"] == 0


def test_search_runs_while_a_writer_commits(tmp_path: Path) -> None:
    add_documents(tmp_path, [("base", _doc("关于基础的通知", "基础材料"), {"path": "/b"})])
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                assert search(tmp_path, "基础")["total"] >= 1
            except BaseException as err:  # noqa: BLE001 - reported below
                errors.append(err)
                return

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for n in range(5):
            add_documents(tmp_path, [(f"new{n}", _doc(f"关于新增{n}的通知", "新增基础材料"), {"path": f"/n{n}"})])
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert search(tmp_path, "新增基础", limit=5)["total"] == 5  # a full page: every word held


def test_order_number_without_year_finds_the_document(tmp_path: Path) -> None:
    order = _doc("中华人民共和国个人所得税法实施条例", "第一条 根据《中华人民共和国个人所得税法》，制定本条例。",
                 doc_number="国令第707号", genre="法规")
    other = _doc("关于个人所得税的通知", "执行国令第706号的规定。", genre="通知")
    add_documents(tmp_path, [("order", order, {"path": "/o"}), ("other", other, {"path": "/p"})])
    assert ids(search(tmp_path, "国令第707号"))[0] == "order"
    assert ids(search(tmp_path, "国令707号"))[0] == "order"


def test_bare_home_with_an_older_index_format_is_dropped(tmp_path: Path) -> None:
    add_documents(tmp_path, [("x", _doc("关于甲的通知", "甲乙丙丁"), {"path": "/a"})])
    assert ids(search(tmp_path, "甲乙")) == ["x"]
    (tmp_path / "index" / "VERSION").write_text("1", encoding="ascii")
    assert search(tmp_path, "甲乙")["total"] == 0  # nothing to rebuild from: no odd results
    add_documents(tmp_path, [("y", _doc("关于戊的通知", "戊己庚"), {"path": "/b"})])
    assert indexed_ids(tmp_path) == {"y"}
