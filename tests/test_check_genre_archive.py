"""文种 rules (请示: closing, one 主送, one matter; 报告 without a request) and the rules against an
archive (a 文号 used before, another organ's 机关代字, a citation with another 文号, an organ name
the archive writes otherwise, a meeting the chronicle dates otherwise)."""

from __future__ import annotations

from pathlib import Path

from pipeline import Archive
from tests.check_docs import errors, findings, notice, request, rules, write


def test_request_closing_recipients_and_matter(tmp_path: Path) -> None:
    body = request().paragraphs
    path = write(tmp_path, request(paragraphs=body[:-1]))
    assert "qingshi_closing" in rules(path, "错误")
    path = write(tmp_path, request(recipients=["区人民政府", "区财政局"]), "b.docx")
    assert "qingshi_one_recipient" in rules(path, "错误")
    second = [*body[:-1], "同时，恳请区政府批准增加机关车辆编制2个。", body[-1]]
    assert "qingshi_one_matter" in rules(write(tmp_path, request(paragraphs=second), "c.docx"), "错误")
    unrelated = [*body[:-1], "我办拟请区政府批准举办机关篮球比赛。", body[-1]]
    turned = [*body[:-1], "另外，机关办公楼外墙年久失修，申请安排维修经费20万元。", body[-1]]
    assert "qingshi_one_matter" in rules(write(tmp_path, request(paragraphs=turned), "t.docx"), "错误")
    assert "qingshi_one_matter" in rules(write(tmp_path, request(paragraphs=unrelated), "d.docx"), "错误")
    bundled = [*body[:-1], "机关食堂改造经费30万元也请一并安排。", body[-1]]
    assert "qingshi_one_matter" in rules(write(tmp_path, request(paragraphs=bundled), "e.docx"), "错误")
    assert not errors(write(tmp_path, request(), "ok.docx"))


def test_minutes_date_in_the_masthead(tmp_path: Path) -> None:
    minutes = notice(genre="纪要", title="区第十七届人大常委会第二十一次主任会议纪要", doc_number=None,
                     issuer=["青岚区人大常委会"], recipients=[], cc=[], issued_by=None, issued_date=None,
                     attachments=[], attachment_docs=[], signature=["青岚区人大常委会办公室"],
                     paragraphs=["会议议定事项如下：", "一、会议听取了代表工作委员会的汇报。"])
    path = write(tmp_path, minutes, layout="bulletin", issue="第12期", organ_mark=["青岚区人大常委会会议纪要"],
                 date_style="chinese")
    assert "date_chinese_numerals" in rules(path, "错误")


def test_report_carries_no_request(tmp_path: Path) -> None:
    report = request(genre="报告", title="青岚区人大常委会办公室关于代表联络站建设情况的报告",
                     paragraphs=["今年新建代表联络站12个。", "以上报告，请予批准。"])
    assert "report_no_request" in rules(write(tmp_path, report), "错误")


def _archive(tmp_path: Path, home: Path) -> None:
    folder = tmp_path / "archived"
    folder.mkdir()
    earlier = notice(title="青岚区人大常委会办公室关于开展代表接待日活动的通知", doc_number="青人常办〔2024〕11号",
                     date="2024-01-10", issued_date="2024-01-10", recipients=["青岚区人民政府办公室"],
                     paragraphs=["区第十七届人大常委会第十二次会议于2024年1月9日召开。", "请做好代表接待工作。"])
    write(folder, earlier, "earlier.docx")
    summary = Archive(home).ingest([folder], workers=1, progress=False)
    assert summary["added"] == 1, summary


def test_archive_rules(tmp_path: Path, home: Path) -> None:
    _archive(tmp_path, home)
    body = ["根据《青岚区人大常委会办公室关于开展代表接待日活动的通知》（青人常办〔2024〕12号）要求，现通知如下：",
            "一、区第十七届人大常委会第十二次会议于2024年1月12日召开。", "二、请做好办理工作。"]
    doc = notice(paragraphs=body, recipients=["青兰区人民政府办公室"])
    found = {f["rule"]: f for f in findings(write(tmp_path, doc), home)}
    assert "《青岚区人大常委会办公室关于开展代表接待日活动的通知》" in found["archive_docnum_used"]["message"]
    assert "青人常办〔2024〕11号" in found["archive_citation"]["message"]
    assert "青岚区人民政府办公室" in found["archive_organ_name"]["message"]
    assert "2024-01-09" in found["archive_meeting"]["message"]
    other = notice(issuer=["青岚区教育局"], doc_number="青人常办〔2024〕30号")
    code = [f for f in findings(write(tmp_path, other, "code.docx"), home) if f["rule"] == "archive_organ_code"]
    assert code and "青岚区人大常委会办公室的代字" in code[0]["message"]


def test_without_an_archive_the_archive_rules_stay_silent(tmp_path: Path) -> None:
    assert not {r for r in rules(write(tmp_path, notice())) if r.startswith("archive_")}
