"""Drafting end to end: templates mined from the sample corpus, rendered, parsed back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.shared import Mm

from pipeline.cli.main import main
from pipeline.layout.source import load_source
from pipeline.parse import parse_file
from pipeline.templates import store
from pipeline.templates.api import build_from_documents
from pipeline.templates.draft import render, to_iso_date

SOURCES = Path(__file__).resolve().parents[1] / "corpus" / "sources"


def _genre_docs(genre: str):
    items = []
    for path in sorted(SOURCES.glob("*.txt")):
        doc, _ = load_source(path)
        if doc.genre == genre:
            items.append((path.stem, doc))
    return items


def _values(template: dict) -> dict[str, str]:
    """A value for every slot: archive examples for typed slots, distinct text for free ones."""
    values = {}
    for slot in template["slots"]:
        if slot["kind"] == "text" and slot["name"] != "标题":
            values[slot["name"]] = f"填写{slot['name']}的内容"
        elif slot["examples"]:
            values[slot["name"]] = slot["examples"][0]
        else:
            values[slot["name"]] = f"示例{slot['name']}"
    values["标题"] = f"测试{template['genre']}标题"
    return values


def _literal_pieces(fixed_text: str) -> list[str]:
    return [p for p in re.split(r"〈[^〉]*〉", fixed_text) if len(p) >= 2]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("home")
    for genre in ("审议意见", "纪要", "讲话稿"):
        build_from_documents(path, genre, _genre_docs(genre))
    return path


@pytest.mark.parametrize("genre", ["审议意见", "纪要", "讲话稿"])
def test_draft_end_to_end_parses_back(home, tmp_path, genre):
    template = store.load(home, genre)
    values = _values(template)
    result = render(template, values, tmp_path / f"{genre}.docx")
    assert result["unfilled"] == [] and result["warnings"] == []
    path = Path(result["path"])
    assert path.exists() and path.stat().st_size > 0
    parsed = parse_file(path)
    assert parsed.title == values["标题"]
    body = parsed.body
    assert "【待填" not in body
    for index, fixed in enumerate(template["fixed"]):
        if index == 0 and template.get("adoption_note"):  # the adoption note sits above the body
            continue
        for piece in _literal_pieces(fixed["text"]):
            assert piece in body, (piece, body)
    assert "填写正文1的内容" in body
    if "成文日期" in values and genre != "讲话稿":
        assert parsed.date == to_iso_date(values["成文日期"])
    if "文号" in values:
        assert parsed.doc_number == values["文号"]
    if "主送机关" in values:
        assert parsed.recipients == values["主送机关"].split("、")


def test_minutes_draft_keeps_the_meeting_lines(home, tmp_path):
    template = store.load(home, "纪要")
    values = _values(template)
    values["出席"] = "张三、李四、王五"
    path = Path(render(template, values, tmp_path / "m.docx")["path"])
    parsed = parse_file(path)
    text = "\n".join(p.text for p in open_docx(str(path)).paragraphs)
    assert "出席：张三、李四、王五" in text
    assert parsed.meeting.get("出席", "张三、李四、王五") == "张三、李四、王五"


def test_unfilled_slots_stay_visible_and_are_listed(home, tmp_path):
    template = store.load(home, "审议意见")
    values = _values(template)
    del values["标题"], values["正文1"]
    result = render(template, values, tmp_path / "u.docx")
    assert result["unfilled"] == ["标题", "正文1"]
    assert any("未填写" in w and "标题" in w for w in result["warnings"])
    text = "\n".join(p.text for p in open_docx(result["path"]).paragraphs)
    assert "【待填：标题】" in text and "【待填：正文1】" in text


def test_draft_has_gbt9704_page_setup(home, tmp_path):
    template = store.load(home, "审议意见")
    path = render(template, _values(template), tmp_path / "p.docx")["path"]
    section = open_docx(path).sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)
    wanted = (210, 297, 37, 35, 28, 26)
    for value, millimetres in zip(measured, wanted):
        assert abs(value - Mm(millimetres)) < Mm(0.1)


def test_template_docx_has_placeholders_and_user_edits_are_used(home, tmp_path):
    path = store.docx_path(home, "审议意见")
    text = "\n".join(p.text for p in open_docx(str(path)).paragraphs)
    assert "{{ 标题 }}" in text and "{{ 正文1 }}" in text
    edited_home = tmp_path / "edited"
    build_from_documents(edited_home, "审议意见", _genre_docs("审议意见"))
    docx_file = store.docx_path(edited_home, "审议意见")
    document = open_docx(str(docx_file))
    document.add_paragraph("附言：{{ 标题 }}已定稿")
    document.save(str(docx_file))
    code = main(["draft", "审议意见", "--set", "标题=关于测试的审议意见", "-o", str(tmp_path / "e.docx"),
                 "--home", str(edited_home), "--json"])
    assert code == 0
    out = "\n".join(p.text for p in open_docx(str(tmp_path / "e.docx")).paragraphs)
    assert "附言：关于测试的审议意见已定稿" in out
    assert "【待填：正文1】" in out


def test_date_values_in_three_spellings():
    assert to_iso_date("2024-6-8") == "2024-06-08"
    assert to_iso_date("2024年6月28日") == "2024-06-28"
    assert to_iso_date("二〇一〇年十二月二十二日") == "2010-12-22"
    assert to_iso_date("下周") is None


def test_cli_show_draft_phrases(home, tmp_path, capsys):
    assert main(["templates", "show", "讲话稿", "--home", str(home), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) >= {"genre", "documents", "outline", "fixed", "slots"}
    assert shown["genre"] == "讲话稿" and shown["documents"] == len(_genre_docs("讲话稿"))
    assert all(set(s) >= {"name", "kind", "examples"} for s in shown["slots"])

    out = tmp_path / "speech.docx"
    assert main(["draft", "讲话稿", "--set", "标题=在测试会议上的讲话", "-o", str(out),
                 "--home", str(home), "--json"]) == 0
    captured = capsys.readouterr()
    result = json.loads(captured.out)
    assert result["path"] == str(out) and "讲话人" in result["unfilled"]
    assert "未填写" in captured.err

    assert main(["phrases", "讲话稿", "--position", "closing", "--home", str(home), "--json"]) == 0
    bank = json.loads(capsys.readouterr().out)
    assert bank["phrases"] and all(p["position"] == "closing" for p in bank["phrases"])
    assert all(p["documents"] >= 2 and p["sources"] for p in bank["phrases"])

    assert main(["draft", "讲话稿", "--set", "无等号", "-o", str(out), "--home", str(home)]) == 2
    assert main(["templates", "show", "函", "--home", str(home), "--json"]) == 1
    assert "templates build" in capsys.readouterr().err


def test_organ_mark_defaults_to_the_signature(home, tmp_path):
    template = store.load(home, "纪要")
    values = {"标题": "区第十八届人大常委会第五次主任会议纪要", "署名": "青岚区人大常委会办公室",
              "文号": "青人常纪〔2025〕5号"}
    result = render(template, values, tmp_path / "mark.docx")
    assert "发文机关" not in result["unfilled"]
    text = "\n".join(p.text for p in open_docx(result["path"]).paragraphs)
    assert "青岚区人大常委会办公室会议纪要" in text
    assert parse_file(result["path"]).title == values["标题"]


@pytest.mark.slow
def test_drafted_page_holds_22_lines_in_libreoffice(home, tmp_path):
    import pdfplumber

    from pipeline.layout.gbt9704 import docx_to

    template = store.load(home, "审议意见")
    values = _values(template)
    sentence = "区人民政府要坚持问题导向，细化工作举措，明确责任单位和完成时限，确保各项任务落到实处。"
    for slot in template["slots"]:
        if slot["name"].startswith("正文"):
            values[slot["name"]] = sentence * 4
    docx = Path(render(template, values, tmp_path / "long.docx")["path"])
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
