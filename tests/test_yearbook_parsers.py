"""The yearbook tools' sentence parsers, on hand-written sentences."""

from __future__ import annotations

import pytest

from pipeline.excerpts.chronicle import _same_event, held_on, parse_event
from pipeline.excerpts.sections import Paragraph, paragraphs, sentences
from pipeline.excerpts.stats import parse_facts


def facts(sentence: str) -> list[tuple]:
    return [(f["metric"], f["value"], f["qualifier"], f["unit"], f["change"]) for f in parse_facts(sentence)]


# --- stats ---------------------------------------------------------------------------------------
def test_a_list_of_counts_gives_one_fact_each() -> None:
    assert facts("全年共保障召开常委会会议7次、主任会议17次、党组会议28次。") == [
        ("保障召开常委会会议", 7, None, "次", None),
        ("主任会议", 17, None, "次", None),
        ("党组会议", 28, None, "次", None),
    ]


def test_qualifier_and_change_belong_to_their_level() -> None:
    assert facts("全年共处理公文4000多份，同比增长104%。") == [
        ("处理公文", 4000, "多", "份", {"direction": "up", "percent": 104})]
    assert facts("接待来访群众近300人次，收到来信约1.2万件以上。") == [
        ("接待来访群众", 300, "近", "人次", None), ("收到来信", 1.2, "约", "万件", None)]


def test_chinese_numerals_are_read() -> None:
    assert facts("全年召开常委会会议十七次，听取审议专项工作报告一百二十项。") == [
        ("召开常委会会议", 17, None, "次", None), ("听取审议专项工作报告", 120, None, "项", None)]


@pytest.mark.parametrize("sentence, change", [
    ("地区生产总值225.3亿元，比上年增长4.5%。", {"direction": "up", "percent": 4.5}),
    ("城镇登记失业率4.1%，下降3.2个百分点。", {"direction": "down", "percent": None, "points": 3.2}),
    ("进出口总额3.6亿元，增长1.5倍。", {"direction": "up", "percent": 150.0}),
    ("粮食产量73.71万吨，比上年减产2.26%。", {"direction": "down", "percent": 2.26}),
])
def test_changes_in_percent_points_and_times(sentence: str, change: dict) -> None:
    assert [f["change"] for f in parse_facts(sentence)] == [change]


def test_a_change_printed_alone_is_a_fact_without_a_level() -> None:
    assert facts("规模以上工业增加值增长5.2%。") == [
        ("规模以上工业增加值", None, None, None, {"direction": "up", "percent": 5.2})]


def test_changes_listed_after_fenbie_go_to_the_levels_in_order() -> None:
    found = parse_facts("城镇居民人均可支配收入17175元，农村居民人均纯收入5153元，实际增长9.8%和8.5%。")
    assert [(f["metric"], f["change"]["percent"]) for f in found] == [
        ("城镇居民人均可支配收入", 9.8), ("农村居民人均纯收入", 8.5)]


def test_an_absolute_change_is_a_fact_of_its_own_and_does_not_take_the_percent() -> None:
    found = parse_facts("粮食播种面积921.58万亩，比上年增加0.99万亩，增长0.1%。")
    assert [(f["metric"], f["value"], f["change"], f.get("delta")) for f in found] == [
        ("粮食播种面积", 921.58, {"direction": "up", "percent": 0.1}, None),
        ("粮食播种面积", 0.99, None, "up")]
    found = parse_facts("年末固定电话用户29074户，比上年减少 439户，下降1.5%。")
    assert [(f["value"], f["change"], f.get("delta")) for f in found] == [
        (29074, {"direction": "down", "percent": 1.5}, None), (439, None, "down")]


def test_a_counter_names_the_noun_after_it() -> None:
    assert facts("完成区十八届人大二次会议137件代表建议的交办和督办工作。") == [
        ("代表建议", 137, None, "件", None)]


@pytest.mark.parametrize("sentence", [
    "区人大常委会第十二次会议于6月28日召开。",  # dates, an ordinal session
    "依照《中华人民共和国监督法》第十二条的规定。",  # article numbers
    "联系电话：0791-12345678。",  # phone numbers
    "文号为云人常办〔2023〕19号。",  # 文号
    "完成区十八届人大二次会议的各项筹备工作。",  # a session, not a count
    "1.做好常委会会议的组织服务工作。",  # a list ordinal
    "坚持两个确立，做到一个中心。",  # words made with numerals
    "每个站配备专职工作人员1至2名。",  # a range is no single value
])
def test_what_is_not_a_statistic(sentence: str) -> None:
    assert parse_facts(sentence) == []


# --- chronicle -----------------------------------------------------------------------------------
def test_a_sentence_opening_with_its_date_is_an_event() -> None:
    assert parse_event("6月21日，区人大常委会召开第五次主任会议，研究有关事项。") == (
        None, 6, 21, "6月21日", "区人大常委会召开第五次主任会议，研究有关事项。")
    assert parse_event("2023年6月28日上午，区第十七届人大常委会第十二次会议表决通过有关决议。")[:4] == (
        2023, 6, 28, "6月28日")
    assert parse_event("7月28上午，区人大常委会召开第十三次会议。")[:4] == (None, 7, 28, "7月28日")
    assert held_on("区第十七届人大常委会第十三次会议于7月28上午召开")[:3] == (None, 7, 28)
    assert parse_event("7月28人，区人大常委会召开会议。") is None  # a day needs 日 or a time of day


def test_bylines_ranges_and_partial_dates() -> None:
    assert parse_event("本报讯(记者 林瑶)9月26日,区第十六届人大常委会召开第二十二次会议。")[:4] == (
        None, 9, 26, "9月26日")
    assert parse_event("5月14日至17日，副主任刘晓梅带领执法检查组开展检查。")[3] == "5月14日至17日"
    assert parse_event("3月，区人大常委会组织代表开展集中视察活动。")[:4] == (None, 3, None, "是月")
    assert parse_event("2022年，区人大常委会举行区镇两级人大换届选举工作会议。")[:4] == (2022, 0, None, "是年")


@pytest.mark.parametrize("sentence", [
    "2019年，区人大常委会全年共召开常委会会议8次，较好地完成了各项任务。",  # a summary of the year
    "2024年，办公室将进一步提升服务保障水平，召开专题会议。",  # a plan
    "6月19日下午。",  # a date and nothing that happened
    "13月40日，区人大常委会召开会议。",  # no such date
])
def test_what_is_not_an_event(sentence: str) -> None:
    assert parse_event(sentence) is None


def test_held_on_inside_a_sentence_but_not_a_planned_one() -> None:
    assert held_on("区七届人大常委会第二十四次主任会议于2015年4月21日召开，主任孙强出席。") == (
        2015, 4, 21, "4月21日", "区七届人大常委会第二十四次主任会议召开。")
    assert held_on("会议决定，常委会第十二次会议于6月28日召开。") is None


def test_same_event_in_other_words() -> None:
    assert _same_event("区人大常委会召开第五次主任会议。", "区人大常委会召开第五次主任会议，研究有关事项。")
    assert not _same_event("区人大常委会召开第五次主任会议。", "区人民法院举行人民陪审员任命仪式。")


# --- sections ------------------------------------------------------------------------------------
def test_sentences_keep_their_closing_marks() -> None:
    assert sentences("他说：“好。”然后走了！还有吗？最后一句") == ["他说：“好。”", "然后走了！", "还有吗？", "最后一句"]


def test_a_section_names_the_heading_and_the_paragraph() -> None:
    assert Paragraph("x", "正文", 3, "一、服务常委会依法履职").section == "正文第3段（一、服务常委会依法履职）"
    assert Paragraph("x", "附件1", 2, None).section == "附件1第2段"


def test_a_law_is_located_by_chapter_and_article_and_its_items_are_not_headings() -> None:
    from pipeline.model import Document

    doc = Document(path="x.md", format="md", paragraphs=[
        "第一章 总则", "第一条 为了规范代表建议办理工作，制定本规定。", "第二条 承办单位应当：",
        "（一）所提事项已经解决的，答复代表。", "（二）暂时无法解决的，说明理由。", "第二章 办理",
        "第三条 承办单位应当在三个月内答复。"])
    sections = [p.section for p in paragraphs(doc)]
    assert sections[3:5] == ["正文第4段（第一章 总则，第二条）", "正文第5段（第一章 总则，第二条）"]
    assert sections[5:] == ["正文第6段（第二章 办理）", "正文第7段（第二章 办理，第三条）"]


def test_from_one_level_to_another_gives_the_level_reached() -> None:
    assert facts("国内生产总值从54万亿元增加到82.7万亿元，年均增长7.1%。") == [
        ("国内生产总值", 82.7, None, "万亿元", {"direction": "up", "percent": 7.1})]
    assert facts("服务业比重由45.3%上升到51.6%。") == [("服务业比重", 51.6, None, "%", None)]


def test_units_of_farm_statistics() -> None:
    assert facts("年末生猪存栏39.8万头，家禽存笼188.7万羽，粮食生产能力达到1.2万亿斤。") == [
        ("生猪存栏", 39.8, None, "万头", None), ("家禽存笼", 188.7, None, "万羽", None),
        ("粮食生产能力", 1.2, None, "万亿斤", None)]
