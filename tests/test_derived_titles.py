"""A title for every document: files without a title line get one composed from their text
(自拟题名, ``title_derived``), and a report's cover page gives title, issuers and date."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.classify.api import classify_genre
from pipeline.classify.genre import rule_scores
from pipeline.model import Block, Document, RawDocument, shown_title
from pipeline.parse import parse_file
from pipeline.structure import recognise

NEWS = """本报讯（记者 王某 李某）3月14日上午，青岚区十八届人大常委会召开第二十二次主任会议。区人大常委会主任张某主持会议。
会议听取了区政府关于民生实事项目进展情况的汇报，研究了常委会第九次会议有关事项。
会议还决定任命李某为区人民法院审判员，免去赵某的区人民法院审判员职务。
区人大常委会副主任刘某、陈某、周某出席会议。"""

RESOLUTION = """（2024年1月14日青岚区第十七届人民代表大会第三次会议通过）
青岚区第十七届人民代表大会第三次会议听取并审议了区长所作的政府工作报告。会议充分肯定区人民政府过去一年的工作，同意报告提出的2024年工作安排，决定批准这个报告。
会议要求，区人民政府要坚持稳中求进工作总基调，切实抓好各项任务落实。"""

REPORT = """——2024年1月12日在青岚区第八届人民代表大会第七次会议上
区人大常委会主任 孙 某
各位代表：
我受区人大常委会委托，向大会报告工作，请予审议。
一、2023年主要工作
一年来，常委会坚持依法履职，听取审议专项工作报告20项，开展执法检查6项。
二、2024年工作安排
常委会将继续加强监督，为全区发展作出新的贡献。"""

SPEECH = """各位代表、同志们：
经过一天的紧张学习，县十八届人大代表培训班即将结束。大家认真听讲，深入思考，达到了预期效果。
我讲三点意见。一要加强学习，二要依法履职，三要密切联系群众。
希望大家把学到的知识运用到履职实践中。谢谢大家！"""

REPLY = """王某某代表：
您提出的《关于加强老旧小区改造的建议》收悉。现将办理情况答复如下：
今年我局已将三个小区纳入改造计划，下一步将会同街道推进实施。
感谢您对住房和城乡建设工作的关心和支持。
青岚区住房和城乡建设局
2023年6月1日"""


def _parsed(tmp_path: Path, text: str, name: str = "无题.txt") -> Document:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return parse_file(path)


def test_meeting_news_gets_the_organ_and_the_act_without_byline_or_dateline(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, NEWS)
    assert doc.title_derived is True
    assert doc.title == "青岚区十八届人大常委会召开第二十二次主任会议"
    assert doc.genre == "简报"  # appointments mentioned in the middle do not make it a 任免


def test_an_adoption_note_gives_the_meeting_the_subject_and_the_act(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, RESOLUTION)
    assert doc.title_derived
    assert doc.title == "青岚区第十七届人民代表大会第三次会议关于政府工作报告的决议"


def test_a_work_report_given_to_the_congress_is_named_by_its_organ(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, REPORT)
    assert classify_genre(doc)[0] == "报告"  # not a speech for its salutation
    assert (doc.title, doc.title_derived) == ("区人大常委会工作报告", True)
    assert doc.subtitle and doc.subtitle.startswith("——")


def test_a_speech_is_named_by_its_occasion(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, SPEECH)
    assert doc.genre == "讲话稿"
    assert doc.title == "在县十八届人大代表培训班上的讲话" and doc.title_derived


def test_a_reply_is_named_by_the_suggestion_it_answers(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, REPLY)
    assert doc.genre == "建议答复"
    assert doc.title == "青岚区住房和城乡建设局对《关于加强老旧小区改造的建议》的答复"
    assert doc.title_derived


def test_a_printed_title_is_kept_and_not_marked(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, "关于召开区人大常委会第九次会议的通知\n各街道：\n定于3月1日召开会议。\n特此通知。")
    assert doc.title == "关于召开区人大常委会第九次会议的通知"
    assert doc.title_derived is False


def test_the_parse_contract_carries_title_derived_beside_the_title(tmp_path: Path) -> None:
    data = _parsed(tmp_path, NEWS).to_json()
    keys = list(data)
    assert keys.index("title_derived") == keys.index("title") + 1
    assert isinstance(data["title"], str) and data["title_derived"] is True


def test_a_newspaper_byline_is_no_title(tmp_path: Path) -> None:
    doc = _parsed(tmp_path, "本报记者 康 宁\n" + NEWS.split("\n", 1)[1])
    assert "记者" not in (doc.title or "")
    assert doc.title_derived


def test_a_composed_title_is_no_genre_evidence() -> None:
    doc = Document(path="x.txt", format="txt", title="关于民生实事项目的通知", title_derived=True,
                   body=NEWS, paragraphs=NEWS.splitlines())
    result = rule_scores(doc)
    assert not result.by_title and result.genre == "简报"


def test_shown_title_brackets_a_composed_title() -> None:
    assert shown_title("某某会议召开", True) == "［某某会议召开］"
    assert shown_title("关于某事的通知", False) == "关于某事的通知"
    assert shown_title(None, False, "［无题名］") == "［无题名］"


def _cover_document(title_lines: list[str], size: float = 28.0) -> RawDocument:
    cover = [Block(text, page=1, size=size, bold=True, align="center") for text in title_lines]
    cover += [Block(text, page=1, size=16.0, align="center")
              for text in ("青岚区统计局", "青岚区妇女儿童工作委员会", "二〇二二年十二月")]
    body = [Block("一、人口特征", page=2, size=16.0, bold=True),
            Block("2021年，全区常住人口176万人，其中男性96万人，女性80万人。", page=2, size=16.0),
            Block("2021年，全区户籍人口63万人，性别比为97.6。", page=2, size=16.0)]
    return RawDocument(path="report.pdf", format="pdf", blocks=cover + body, pages=2)


@pytest.mark.parametrize("title_lines", [["2021 年青岚区社会性别统计报告"], ["2021年青岚区", "社会性别统计报告"]])
def test_a_cover_page_gives_title_issuers_and_date(title_lines: list[str]) -> None:
    doc = recognise(_cover_document(title_lines))
    assert doc.title == "2021年青岚区社会性别统计报告" and not doc.title_derived
    assert doc.issuer == ["青岚区统计局", "青岚区妇女儿童工作委员会"]
    assert doc.date == "2022-12"
    assert doc.paragraphs[0].startswith("一、人口特征")


def test_a_first_page_with_a_document_number_is_no_cover() -> None:
    raw = _cover_document(["青岚区人民政府文件"], size=36.0)
    raw.blocks.insert(1, Block("青政发〔2022〕5号", page=1, size=16.0, align="center"))
    doc = recognise(raw)
    assert doc.doc_number == "青政发〔2022〕5号"
    assert doc.title != "青岚区人民政府文件"
