"""The forms an office work summary prints its counts in, on sentences written for these tests:
the number before the thing counted, spaces inside, one verb over a list, people before a noun
phrase, Chinese numerals, 万/亿, ranges, changes, 其中 sub-facts, the year a fact is about, and
what is not a statistic. Also tables printed one cell a line and a page's publication line."""

from __future__ import annotations

import pytest

from pipeline.excerpts.facts import parse_facts
from pipeline.excerpts.stats import amount_text, document_facts
from pipeline.excerpts.tables import table_facts
from pipeline.model import Block, Document, Heading, RawDocument
from pipeline.structure.published import publication_date


def facts(sentence: str) -> list[tuple]:
    return [(f["metric"], f["value"], f["unit"]) for f in parse_facts(sentence)]


# --- the forms of issue 16 ----------------------------------------------------------------------
def test_the_number_before_the_thing_counted() -> None:
    assert facts("今年常委会共开展4次执法检查、9次专题询问，听取报告15项。") == [
        ("执法检查", 4, "次"), ("专题询问", 9, "次"), ("听取报告", 15, "项")]


def test_spaces_between_digits_and_unit() -> None:
    assert facts("全年召开主任会议 11 次，审议各类议题 37 件，督办代表建议 64 件。") == [
        ("召开主任会议", 11, "次"), ("审议各类议题", 37, "件"), ("督办代表建议", 64, "件")]
    assert facts("组织代表培训 240 人次。") == [("组织代表培训", 240, "人次")]


def test_one_verb_over_a_list_of_counts() -> None:
    assert facts("一年来，常委会组织专题调研、视察活动，以及3次执法检查、2次专题询问和8次专题调研。") == [
        ("执法检查", 3, "次"), ("专题询问", 2, "次"), ("专题调研", 8, "次")]


def test_people_before_a_noun_phrase_and_items_after_a_verb() -> None:
    assert facts("本届共有3名全国人大代表，7名省人大代表，26名市人大代表在我区履职。") == [
        ("全国人大代表", 3, "名"), ("省人大代表", 7, "名"), ("市人大代表", 26, "名")]
    assert facts("区人大常委会修订完善18项工作制度。") == [("工作制度", 18, "项")]
    assert facts("常委会组成人员共39人出席会议。") == [("常委会组成人员", 39, "人")]


def test_chinese_numerals_and_magnitudes() -> None:
    assert facts("全年办理群众来信来访十二件，召开座谈会三次，接待代表二十五人次。") == [
        ("办理群众来信来访", 12, "件"), ("召开座谈会", 3, "次"), ("接待代表", 25, "人次")]
    assert facts("全区完成固定资产投资2.6万亿元，实现税收收入3.4亿元。") == [
        ("固定资产投资", 2.6, "万亿元"), ("税收收入", 3.4, "亿元")]
    assert facts("三四个街道参加。") == []  # three or four: no count
    assert facts("全年开展普法活动近千次。") == [("开展普法活动", 1000, "次")]


def test_a_range_is_one_fact_with_its_upper_end() -> None:
    found = parse_facts("各联络站开展活动5至8次。")
    assert [(f["value"], f.get("upper"), f["unit"]) for f in found] == [(5, 8, "次")]
    assert amount_text({**found[0], "delta": None}) == "5至8次"


def test_changes_against_last_year_and_in_points() -> None:
    found = parse_facts("地区生产总值同比增长6.1%，社会消费品零售总额比上年增长4.3%，"
                        "城镇居民人均可支配收入较去年增长5.2%。")
    assert [(f["metric"], f["value"], f["change"]["percent"]) for f in found] == [
        ("地区生产总值", None, 6.1), ("社会消费品零售总额", None, 4.3), ("城镇居民人均可支配收入", None, 5.2)]
    assert parse_facts("城镇调查失业率4.8%，比上年下降0.3个百分点。")[0]["change"] == {
        "direction": "down", "percent": None, "points": 0.3}
    assert [f["change"] for f in parse_facts("进口额翻了一番。")] == [{"direction": "up", "percent": 100}]


def test_one_value_or_change_for_each_name_of_a_list() -> None:
    assert facts("代表建议见面率、满意率均为100%。") == [("代表建议见面率", 100, "%"), ("满意率", 100, "%")]
    found = parse_facts("信访件数、重复访件数分别下降12.5%、30.1%。")
    assert [(f["metric"], f["change"]["percent"]) for f in found] == [("信访件数", 12.5), ("重复访件数", 30.1)]


@pytest.mark.parametrize("sentence", [
    "区第十八届人大常委会第五次会议于2023年3月8日召开。",  # an ordinal meeting, a date
    "依照代表法第三十条的规定。",  # an article number
    "文号为青人常〔2023〕5号。",  # a 文号
    "年满18周岁的公民，60岁以上老人免费乘车。",  # ages
    "收到代表10人以上联名提出的议案。",  # a threshold inside a definition
    "落实“12条”措施，严格执行八项规定。",  # a name in quotes, a fixed phrase
    "每个街道配备联络员2至3名。",  # a per-unit norm
    "坚持百家争鸣，深入千家万户，联系48万人民群众。",  # idioms; a unit that begins a word
])
def test_what_stays_out(sentence: str) -> None:
    assert parse_facts(sentence) == []


# --- documents: parent and year -----------------------------------------------------------------
def _doc(paragraphs: list[str], **fields) -> Document:
    return Document(path="x.txt", format="txt", paragraphs=paragraphs, body="\n".join(paragraphs), **fields)


def test_qizhong_and_bracketed_sub_facts_carry_their_total() -> None:
    doc = _doc([("全年收到代表建议120件（重点建议15件），其中教育方面40件，卫生方面22件；"
                 "召开座谈会6次。")], title="2023年工作总结")
    found = {(f["metric"], f["value"]): f["parent"] for f in document_facts("d", doc)}
    assert found == {("收到代表建议", 120): None, ("重点建议", 15): "收到代表建议",
                     ("教育方面", 40): "收到代表建议", ("卫生方面", 22): "收到代表建议", ("召开座谈会", 6): None}


def test_parallel_items_after_a_semicolon_stay_in_the_list() -> None:
    doc = _doc(["全年审议议案9件。其中，城建方面4件，占44.4%；教育方面3件，占33.3%；其他方面2件，占22.2%。"])
    parents = [f["parent"] for f in document_facts("d", doc)]
    assert parents == [None] + ["审议议案"] * 6


def test_the_year_a_fact_is_about() -> None:
    report = _doc(["一、2022年工作回顾", "全年召开常委会会议8次。", "二、2023年工作安排",
                   "计划开展执法检查4次。"], title="区人大常委会工作报告", date="2023-01-12",
                  headings=[Heading(1, "一、2022年工作回顾"), Heading(1, "二、2023年工作安排")])
    assert [(f["metric"], f["year"]) for f in document_facts("d", report)] == [
        ("召开常委会会议", 2022), ("计划开展执法检查", 2023)]
    summary = _doc(["全年召开常委会会议8次，比2021年多2次。"], title="区人大常委会办公室工作总结",
                   genre="工作总结", date="2023-01-10")
    assert {f["year"] for f in document_facts("d", summary)} == {2022}  # signed in January
    page = _doc(["全年召开常委会会议8次。"], published="2024-02-01")
    assert [f["year"] for f in document_facts("d", page)] == [2024]
    opening = _doc(["常委会依法履职。2025年，共审议议题12件。"])
    assert [f["year"] for f in document_facts("d", opening)] == [2025]


def test_facts_carry_an_id_and_the_restricted_flag() -> None:
    doc = _doc(["全年召开常委会会议8次。"], restricted="内部资料", date="2023-05-01")
    fact = next(document_facts("d", doc))
    assert fact["restricted"] is True and fact["id"].startswith("f")
    assert fact["id"] == next(document_facts("d", doc))["id"]  # stable


# --- tables and publication lines ---------------------------------------------------------------
def test_a_table_printed_one_cell_a_line() -> None:
    texts = ["主要产品产量", "产品名称", "计量单位", "产量", "比上年增长%", "水泥", "万吨", "36.5", "4.2",
             "钢材", "万吨", "12", "-3.1", "全年工业运行平稳。"]
    found, used = table_facts(texts)
    assert [(f["metric"], f["value"], f["unit"], f["change"]) for _row, f in found[1]] == [
        ("水泥", 36.5, "万吨", {"direction": "up", "percent": 4.2}),
        ("钢材", 12, "万吨", {"direction": "down", "percent": 3.1})]
    assert used == set(range(1, 13))


@pytest.mark.parametrize("line, iso", [
    ("来源：区人大常委会 发布时间：2023-02-08 浏览次数：120", "2023-02-08"),
    ("【发布日期：2019年4月7日】", "2019-04-07"),
    ("更新时间:2021/6/21", "2021-06-21"),
    ("日期：2022-12-26 作者：区人大", "2022-12-26"),
    ("时间：2023年6月1日上午9时", None),  # a 纪要's meeting time, not the page's
])
def test_a_page_publication_line(line: str, iso: str | None) -> None:
    raw = RawDocument(path="x.html", format="html", blocks=[Block("标题"), Block(line), Block("正文。")])
    assert publication_date(raw) == iso
