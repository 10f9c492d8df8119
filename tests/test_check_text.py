"""Text rules: title, 主送, heading numbers, 附件说明, dates, punctuation, doubled characters,
brackets, placeholders, relative dates, weekdays, numerals, the word lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.check.docmodel import Para
from pipeline.check.text import Numbered, heading_findings
from tests.check_docs import (
    BODY,
    edit,
    errors,
    findings,
    notice,
    position,
    replace_text,
    request,
    rules,
    speech,
    write,
)


def _with_body(tmp_path: Path, line: str, name: str = "doc.docx", **changes) -> Path:
    return write(tmp_path, notice(paragraphs=[*BODY[:-1], line], **changes), name)


def _one(path: Path, rule: str, severity: str = "错误") -> dict:
    found = [f for f in findings(path) if f["rule"] == rule and f["severity"] == severity]
    assert len(found) == 1, [(f["rule"], f["message"]) for f in findings(path)]
    return found[0]


def test_title_ending_and_form(tmp_path: Path) -> None:
    path = write(tmp_path, notice(title="青岚区人大常委会办公室关于做好代表建议办理工作的通知。"))
    assert _one(path, "title_end_punct")["location"]["paragraph"] == position(path, "青岚区人大常委会办公室关于")
    path = write(tmp_path, notice(title="青岚区人大常委会办公室关于做好代表建议办理工作"), "b.docx")
    assert "文种" in _one(path, "title_form")["message"]
    path = write(tmp_path, request(title="青岚区人大常委会办公室关于追加建设经费的请示报告"), "c.docx")
    assert "请示报告" in _one(path, "title_form")["message"]
    path = write(tmp_path, notice(title="关于印发代表建议办理办法"), "d.docx")
    assert "title_form" in rules(path, "错误")
    # a 函 may issue a document too (国办函 …关于印发……的函); 印发 with another genre may not
    path = write(tmp_path, notice(genre="函", title="青岚区人大常委会办公室关于印发代表建议办理办法的函"), "e.docx")
    assert "title_form" not in rules(path, "错误")
    path = write(tmp_path, notice(title="青岚区人大常委会办公室关于印发代表建议办理办法的意见"), "f.docx")
    assert "title_form" in rules(path, "错误")


def test_recipient_colon(tmp_path: Path) -> None:
    half = edit(write(tmp_path, notice()), lambda d: replace_text(d, "办事处：", "办事处:"))
    assert "半角冒号" in _one(half, "recipient_colon")["message"]
    bare = edit(write(tmp_path, notice(), "b.docx"), lambda d: replace_text(d, "办事处：", "办事处"))
    assert _one(bare, "recipient_colon")["location"]["paragraph"] == position(bare, "区人民政府各部门")


def _heading_rules(paragraphs: list[tuple[int, int]]) -> list[tuple[str, int]]:
    items = [Numbered(Para(order=i, index=i, text=str(item)), item[0], item[1], str(item))
             for i, item in enumerate(paragraphs)]
    return [(f.rule, f.paragraph) for f in heading_findings(items)]


def test_heading_numbers_skipped_swapped_and_mixed() -> None:
    assert _heading_rules([(1, 1), (1, 3), (1, 4)]) == [("heading_sequence", 1)]
    assert _heading_rules([(1, 1), (1, 3), (1, 2)])[0] == ("heading_sequence", 1)
    assert _heading_rules([(1, 1), (2, 1), (2, 2), (3, 3), (2, 4)]) == [("heading_level_mix", 3)]
    # valid: level-2 numbers running on across level-1 parts, 1. right under 一、, restarts
    assert _heading_rules([(1, 1), (2, 1), (2, 2), (1, 2), (2, 3), (2, 4), (1, 3)]) == []
    assert _heading_rules([(1, 1), (3, 1), (3, 2), (1, 2), (3, 1)]) == []


def test_heading_numbers_in_a_document(tmp_path: Path) -> None:
    path = edit(write(tmp_path, notice()), lambda d: replace_text(d, "三、注重实效", "四、注重实效"))
    found = _one(path, "heading_sequence")
    assert found["location"]["paragraph"] == position(path, "四、注重实效") and "缺少“三、”" in found["message"]
    path = edit(write(tmp_path, notice(), "b.docx"), lambda d: replace_text(d, "（二）加强沟通", "2.加强沟通"))
    assert "（二）" in _one(path, "heading_level_mix")["message"]


def test_attachment_note_and_pages(tmp_path: Path) -> None:
    gone = write(tmp_path, notice(attachment_docs=[]))
    assert "没有附件" in _one(gone, "attachment_match")["message"]
    other = write(tmp_path, notice(attachments=["代表名单"]), "b.docx")
    assert "不一致" in _one(other, "attachment_match")["message"]
    colon = edit(write(tmp_path, notice(), "c.docx"), lambda d: replace_text(d, "附件：", "附件:"))
    assert "attachment_note_form" in rules(colon, "错误")


def test_date_forms(tmp_path: Path) -> None:
    chinese = write(tmp_path, notice(), date_style="chinese")
    assert _one(chinese, "date_chinese_numerals")["location"]["text"] == "二〇二四年二月二十六日"
    zero = edit(write(tmp_path, notice(), "b.docx"), lambda d: replace_text(d, "2024年2月26日", "2024年02月26日"))
    assert "date_leading_zero" in rules(zero, "错误")


def test_half_width_punctuation(tmp_path: Path) -> None:
    path = _with_body(tmp_path, "请各承办单位于2024年9月30日前报送办理工作总结,并抄送代表工作委员会。")
    found = _one(path, "halfwidth_punct")
    assert "“,”" in found["message"]
    ok = _with_body(tmp_path, "会议于9:30开始，增长1.5个百分点，详见www.example.gov.cn。", "b.docx")
    assert "halfwidth_punct" not in rules(ok)


@pytest.mark.parametrize(("line", "bad"), [
    ("请各承办单位认真做好的的办理工作。", True),
    ("问题得到了了解决。", True),
    ("请各承办单位按期完成。。", True),
    ("请提请常委会会议审议，为了了解情况要认认真真调研，不能不了了之，推动改革纵向向市县延伸。", False),
])
def test_doubled_characters(tmp_path: Path, line: str, bad: bool) -> None:
    assert bool({"doubled_char", "doubled_punct"} & rules(_with_body(tmp_path, line), "错误")) is bad


@pytest.mark.parametrize(("line", "bad"), [
    ("请认真学习《代表法（修正）。", True),
    ("请报送（联系人：张磊）材料）。", True),
    ("请按“三个一”要求报送（一式两份）材料。", False),
    ("二）鉴于目前准备工作已经就绪，请按期完成。", True),   # a （二） that lost its （
    ("1）按期报送材料。", False),                             # an Arabic list mark stands alone
])
def test_brackets_and_quotes_in_pairs(tmp_path: Path, line: str, bad: bool) -> None:
    assert ("unpaired_bracket" in rules(_with_body(tmp_path, line), "错误")) is bad


def test_placeholders_relative_dates_weekdays(tmp_path: Path) -> None:
    assert "placeholder" in rules(_with_body(tmp_path, "请于XX月XX日前报送。"), "错误")
    assert "placeholder" in rules(_with_body(tmp_path, "共有【待填：数量】件建议。", "b.docx"), "错误")
    assert "placeholder" in rules(_with_body(tmp_path, "联系人：xxxxx，电话：0000-12345678。", "x.docx"), "错误")
    assert "relative_date" in rules(_with_body(tmp_path, "请于明天上午9时报送。", "c.docx"), "错误")
    assert "relative_date" not in rules(_with_body(tmp_path, "共创更加美好的明天。", "d.docx"))
    wrong = _with_body(tmp_path, "会议定于2024年3月5日（星期一）召开。", "e.docx")
    assert "星期二" in _one(wrong, "weekday_wrong")["message"]
    right = _with_body(tmp_path, "会议定于3月5日（星期二）召开。", "f.docx")
    assert "weekday_wrong" not in rules(right)


def test_a_weekday_of_next_year_in_a_december_notice(tmp_path: Path) -> None:
    doc = notice(date="2024-12-20", issued_date="2024-12-20",
                 paragraphs=["元旦：1月1日（星期三）放假，共1天。", "2025年春节：1月28日（星期二）至2月4日（星期二）放假。"])
    assert "weekday_wrong" not in rules(write(tmp_path, doc))
    wrong = notice(date="2024-12-20", issued_date="2024-12-20", paragraphs=["元旦：1月1日（星期五）放假。"])
    assert "weekday_wrong" in rules(write(tmp_path, wrong, "b.docx"), "错误")


def test_a_recipient_list_of_divisions_without_its_colon(tmp_path: Path) -> None:
    doc = notice(recipients=["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"])
    path = edit(write(tmp_path, doc), lambda d: replace_text(d, "各直属机构：", "各直属机构"))
    assert "缺少冒号" in _one(path, "recipient_colon")["message"]


def test_a_speech_says_today(tmp_path: Path) -> None:
    path = write(tmp_path, speech(), layout="plain")
    assert "relative_date" not in rules(path)


def test_numerals(tmp_path: Path) -> None:
    path = _with_body(tmp_path, "共梳理出四十七个问题，召开两次会议，第十七届常委会。")
    found = _one(path, "number_usage", "提示")
    assert "47" in found["fix"]


def test_misused_words_and_the_office_list(tmp_path: Path, home: Path) -> None:
    path = _with_body(tmp_path, "截止2023年底，共布署任务12项，必需加强督办，并及时反应问题。")
    messages = " ".join(f["message"] for f in errors(path) if f["rule"] == "misused_word")
    for word in ("截至", "部署", "必须", "反映"):
        assert word in messages
    more = _with_body(tmp_path, "我们必需扎根基层，认真研究群众反应的各类突出问题。", "m.docx")
    messages = " ".join(f["message"] for f in errors(more) if f["rule"] == "misused_word")
    assert "必须" in messages and "反映" in messages
    faults = _with_body(tmp_path, "参会人员约200人左右，目的是为了总结经验。", "f.docx")
    assert sum(f["rule"] == "misused_word" and "语病" in f["message"] for f in findings(faults)) == 2
    clean = _with_body(tmp_path, "报名截止日期为3月1日，全部份额已分配，办公必需品和所必需的经费已落实，反应迅速。",
                       "b.docx")
    assert "misused_word" not in rules(clean)
    (home / "check_words.txt").write_text("建议办理\t建议答复\t错误\t本办统一用语\n", encoding="utf-8")
    (home / "check_avoid.txt").write_text("抓手\t\t提示\t\n", encoding="utf-8")
    office = _with_body(tmp_path, "以建议办理为抓手推进工作。", "c.docx")
    found = {f["rule"]: f for f in findings(office, home)}
    assert "建议答复" in found["misused_word"]["fix"] and found["avoid_word"]["severity"] == "提示"
