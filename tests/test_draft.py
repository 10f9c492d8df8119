"""Drafting end to end on an empty archive: built-in templates, rendered, parsed back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Mm

from pipeline.cli.main import main
from pipeline.parse import parse_file
from pipeline.templates.assemble import builtin_template
from pipeline.templates.draft import build_document, render, to_iso_date
from pipeline.templates.values import as_items

FOUR = {"发文机关": "青岚区人民代表大会常务委员会", "文号": "青人常〔2025〕3号",
        "标题": "青岚区人大常委会关于区人民政府养老服务工作情况报告的审议意见", "主送机关": "区人民政府"}


def _text(path: Path | str) -> str:
    return "\n".join(p.text for p in open_docx(str(path)).paragraphs)


def test_deliberation_round_trip_of_the_four_fields_on_an_empty_archive(home: Path, tmp_path: Path, capsys):
    out = tmp_path / "审议意见.docx"
    args = ["draft", "审议意见", "--home", str(home), "-o", str(out), "--json"]
    for key, value in FOUR.items():
        args += ["--set", f"{key}={value}"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert not any("没有这些栏目" in w for w in result["warnings"])
    parsed = parse_file(out)
    assert parsed.issuer == [FOUR["发文机关"]]
    assert parsed.doc_number == FOUR["文号"]
    assert parsed.title == FOUR["标题"]
    assert parsed.recipients == [FOUR["主送机关"]]


def test_elements_are_keys_of_every_genre(tmp_path: Path):
    """The GB/T 9704 elements are accepted whatever the genre (a plain layout prints no 版头)."""
    for genre in ("审议意见", "纪要", "决议", "建议答复", "请示"):
        template = builtin_template(genre)
        values = {"发文机关": "青岚区人大常委会", "文号": "青人常〔2025〕3号", "签发人": "王明", "抄送": "区委办公室",
                  "印发机关": "青岚区人大常委会办公室", "印发日期": "2025-04-03", "附注": "联系人：李华"}
        _, _, warnings, _, _ = build_document(template, values)
        assert not any("没有这些栏目" in w for w in warnings), (genre, warnings)
    _, _, warnings, _, _ = build_document(builtin_template("讲话稿"), {"文号": "青人常〔2025〕3号"})
    assert any("不用版头" in w and "文号" in w for w in warnings)
    _, _, warnings, _, _ = build_document(builtin_template("审议意见"), {"随便": "x"})
    assert any("没有这些栏目" in w and "随便" in w for w in warnings)


def test_list_slot_items_are_numbered_at_their_level(tmp_path: Path):
    template = builtin_template("审议意见")
    doc, *_ = build_document(template, {"意见": ["加强统筹协调。要健全机制。", "二、强化考核。要定期通报。"]})
    assert "一、加强统筹协调。要健全机制。" in doc.paragraphs
    assert "二、强化考核。要定期通报。" in doc.paragraphs  # the typed numbering is not doubled
    summary = builtin_template("工作总结")
    doc, *_ = build_document(summary, {"主要工作": "依法监督。……\n\n代表工作。……"})
    assert "（一）依法监督。……" in doc.paragraphs and "（二）代表工作。……" in doc.paragraphs
    assert as_items("甲。\n\n乙。") == ["甲。", "乙。"]


def test_unfilled_slots_stay_visible_and_optional_ones_go(tmp_path: Path):
    template = builtin_template("纪要")
    result = render(template, {"会议名称": "区第十八届人大常委会第三十一次主任会议"}, tmp_path / "m.docx")
    text = _text(result["path"])
    assert "【待填：时间】" in text and "时间" in result["unfilled"]
    assert "会议听取了【待填：议定事项】" in text  # the prompts of an empty list slot
    resolution = builtin_template("决议")
    doc, _, _, unfilled, _ = build_document(resolution, {})
    assert "号召" not in unfilled and not any("号召" in p for p in doc.paragraphs)


def test_values_derived_from_what_the_document_says_elsewhere():
    template = builtin_template("审议意见")
    doc, _, _, unfilled, derived = build_document(template, {
        "署名": "青岚区人民代表大会常务委员会", "报告机关": "区人民政府", "报告名称": "养老服务工作情况"})
    assert derived["发文机关"] == "青岚区人民代表大会常务委员会" and doc.issuer == [derived["发文机关"]]
    assert derived["主送机关"] == "区人民政府" and doc.recipients == ["区人民政府"]
    assert derived["发文机关简称"] == "青岚区人大常委会"
    assert doc.title == "青岚区人大常委会关于区人民政府养老服务工作情况报告的审议意见"
    assert "标题" not in unfilled
    reply = builtin_template("建议答复")
    doc, *_ = build_document(reply, {"代表姓名": "王明"})
    assert doc.recipients == ["王明代表"]


def test_speech_has_no_header_and_prints_date_and_speaker(tmp_path: Path):
    template = builtin_template("讲话稿")
    path = render(template, {"会议名称": "区人大代表培训班", "讲话人": "王明", "讲话日期": "2025-01-12",
                             "要点": ["提高认识。……", "突出重点。……"]}, tmp_path / "s.docx")["path"]
    texts = [p.text.replace("\n", "") for p in open_docx(path).paragraphs if p.text]
    assert texts[:4] == ["在区人大代表培训班上的讲话", "（2025年1月12日）", "王明", "各位代表、同志们："]
    assert not any(p.runs and p.runs[0].font.color.rgb is not None for p in open_docx(path).paragraphs)


def test_minutes_mark_and_variant(tmp_path: Path):
    template = builtin_template("纪要")
    path = render(template, {"发文机关": "青岚区人大常委会"}, tmp_path / "m.docx")["path"]
    assert "青岚区人大常委会主任会议纪要" in _text(path)
    party = builtin_template("纪要", "党组会议纪要")
    doc, *_ = build_document(party, {"出席": "王明、李华"})
    assert doc.meeting["出席"] == "王明、李华" and "时间" in doc.meeting  # header lines in this variant
    with pytest.raises(KeyError, match="没有“不存在”这种样式"):
        builtin_template("纪要", "不存在")


def test_draft_has_gbt9704_page_setup(tmp_path: Path):
    path = render(builtin_template("审议意见"), FOUR, tmp_path / "p.docx")["path"]
    section = open_docx(path).sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)
    for value, millimetres in zip(measured, (210, 297, 37, 35, 28, 26)):
        assert abs(value - Mm(millimetres)) < Mm(0.1)


def test_date_values_in_three_spellings():
    assert to_iso_date("2024-6-8") == "2024-06-08"
    assert to_iso_date("2024年6月28日") == "2024-06-28"
    assert to_iso_date("二〇一〇年十二月二十二日") == "2010-12-22"
    assert to_iso_date("下周") is None
    doc, _, warnings, _, _ = build_document(builtin_template("审议意见"), {"成文日期": "下周", "会议日期": "2025-3-1"})
    assert any("不是日期" in w for w in warnings)
    assert doc.paragraphs[0].startswith("2025年3月1日，")


def test_cli_show_list_draft_phrases(home: Path, tmp_path: Path, capsys):
    assert main(["templates", "show", "审议意见", "--home", str(home), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) >= {"genre", "documents", "outline", "fixed", "slots"}
    assert shown["documents"] == 0 and shown["source"] == "built-in"
    assert all(set(f) >= {"text", "support", "position", "source"} for f in shown["fixed"])
    assert all(set(s) >= {"name", "kind", "examples", "hint", "type", "source"} for s in shown["slots"])
    assert {"发文机关", "文号", "标题", "主送机关", "署名", "成文日期", "抄送机关", "印发机关", "印发日期", "附件"} <= {
        s["name"] for s in shown["slots"]}
    assert main(["templates", "list", "--home", str(home), "--json"]) == 0
    listed = {g["genre"] for g in json.loads(capsys.readouterr().out)["genres"]}
    assert {"审议意见", "决议", "决定", "纪要", "讲话稿", "工作总结", "工作要点", "请示", "报告", "函", "通知",
            "建议答复"} <= listed
    out = tmp_path / "speech.docx"
    assert main(["draft", "讲话稿", "--set", "会议名称=测试会议", "--set", "要点=甲。", "--set", "要点=乙。",
                 "-o", str(out), "--home", str(home), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "讲话人" in result["unfilled"] and "一、甲。" in _text(out) and "二、乙。" in _text(out)
    assert main(["phrases", "审议意见", "--position", "closing", "--home", str(home), "--json"]) == 0
    bank = json.loads(capsys.readouterr().out)
    assert bank["phrases"] and all(p["position"] == "closing" for p in bank["phrases"])
    assert main(["draft", "讲话稿", "--set", "无等号", "-o", str(out), "--home", str(home)]) == 2
    assert main(["templates", "show", "没有的文种", "--home", str(home), "--json"]) == 1
    assert "没有内置模板" in capsys.readouterr().err


@pytest.mark.slow
def test_drafted_page_holds_22_lines_in_libreoffice(tmp_path: Path):
    import pdfplumber

    from pipeline.layout.gbt9704 import docx_to

    sentence = "区人民政府要坚持问题导向，细化工作举措，明确责任单位和完成时限，确保各项任务落到实处。"
    values = dict(FOUR, 总体评价=sentence * 6, 存在问题=sentence * 6, 意见=[sentence * 4] * 4)
    docx = Path(render(builtin_template("审议意见"), values, tmp_path / "long.docx")["path"])
    pdf = docx_to(docx, "pdf", tmp_path / "pdf")
    with pdfplumber.open(pdf) as handle:
        assert len(handle.pages) >= 3
        page = handle.pages[1]  # body text only: no 版头, no 版记
        lines: dict[int, list[str]] = {}
        for char in page.chars:
            if char["text"].strip():
                lines.setdefault(round(char["top"]), []).append(char["text"])
    footer = max(lines)
    assert "".join(lines[footer]).replace(" ", "") == "—2—"
    assert len([top for top in lines if top != footer]) == 22
