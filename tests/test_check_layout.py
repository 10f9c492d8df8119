"""The checker's layout rules on documents the project's writer lays out to GB/T 9704, each
changed in one place."""

from __future__ import annotations

from pathlib import Path

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt

from pipeline.check.docx_reader import read_docx_model
from pipeline.check.zones import find_zones
from tests.check_docs import (
    edit,
    errors,
    findings,
    notice,
    paragraph,
    request,
    rules,
    set_size,
    speech,
    write,
)


def test_the_writers_documents_have_no_finding_at_all(tmp_path: Path) -> None:
    for name, doc, options in (("notice", notice(), {}), ("request", request(), {}),
                               ("speech", speech(), {"layout": "plain"})):
        path = write(tmp_path, doc, f"{name}.docx", **options)
        assert findings(path) == [], name


def test_zones_of_a_notice(tmp_path: Path) -> None:
    zones = find_zones(read_docx_model(str(write(tmp_path, notice()))))
    assert zones.genre == "通知"
    assert [p.text for p in zones.marks] == ["青岚区人大常委会办公室文件"]
    assert zones.doc_number.text == "青人常办〔2024〕11号"
    assert zones.title_text.startswith("青岚区人大常委会办公室关于")
    assert zones.recipient.text == "区人民政府各部门、各街道办事处："
    assert zones.date.text == "2024年2月26日" and [p.text for p in zones.signature] == ["青岚区人大常委会办公室"]
    assert zones.attach_note[0].text == "附件：建议交办清单"
    assert zones.attachments[0].label.text == "附件" and zones.attachments[0].title[0].text == "建议交办清单"
    assert [p.text.split("：")[0] for p in zones.banji] == ["抄送", "青岚区人大常委会办公室\t2024年2月27日印发"]


def test_letter_paper_and_word_margins(tmp_path: Path) -> None:
    path = edit(write(tmp_path, notice()), lambda d: (
        setattr(d.sections[0], "page_width", Inches(8.5)), setattr(d.sections[0], "page_height", Inches(11))))
    assert rules(path, "错误") >= {"page_size"}
    path = edit(write(tmp_path, notice(), "m.docx"), lambda d: [
        setattr(d.sections[0], side, Mm(25.4)) for side in ("top_margin", "bottom_margin")])
    found = [f for f in errors(path) if f["rule"] == "page_margins"]
    assert len(found) == 1 and "上25.4" in found[0]["message"] and found[0]["location"]["part"] == "页面设置"


def test_a_landscape_a4_section_is_a4(tmp_path: Path) -> None:
    def landscape(document) -> None:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)

    assert "page_size" not in rules(edit(write(tmp_path, notice()), landscape))


def test_line_pitch_one_and_a_half_lines_and_exact_32pt(tmp_path: Path) -> None:
    def spacing(document, rule, value) -> None:
        for para in document.paragraphs[6:]:
            para.paragraph_format.line_spacing_rule = rule
            if value:
                para.paragraph_format.line_spacing = value

    path = edit(write(tmp_path, notice()), lambda d: spacing(d, WD_LINE_SPACING.ONE_POINT_FIVE, None))
    found = [f for f in errors(path) if f["rule"] == "line_pitch"]
    assert found and "1.5倍行距" in found[0]["message"] and "22行" in found[0]["message"]
    path = edit(write(tmp_path, notice(), "b.docx"), lambda d: spacing(d, WD_LINE_SPACING.EXACTLY, Pt(32)))
    assert any("固定值32磅" in f["message"] for f in errors(path) if f["rule"] == "line_pitch")


def test_single_spacing_on_the_22_line_grid_passes_but_not_without_it(tmp_path: Path) -> None:
    def single(document, grid: str | None) -> None:
        for para in document.paragraphs:
            para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if grid is None:
            sect = document.sections[0]._sectPr
            sect.remove(sect.find(qn("w:docGrid")))

    assert "line_pitch" not in rules(edit(write(tmp_path, notice()), lambda d: single(d, "keep")))
    assert "line_pitch" in rules(edit(write(tmp_path, notice(), "b.docx"), lambda d: single(d, None)))


def test_title_size_font_and_alignment(tmp_path: Path) -> None:
    def title(document) -> None:
        para = paragraph(document, "青岚区人大常委会办公室关于")
        set_size(para, 18)
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT

    found = {f["rule"]: f for f in errors(edit(write(tmp_path, notice()), title))}
    assert "小二（18磅），应为二号（22磅）" in found["font_size"]["message"]
    assert "左对齐" in found["title_align"]["message"]
    path = edit(write(tmp_path, notice(), "b.docx"),
                lambda d: paragraph(d, "青岚区人大常委会办公室关于").paragraph_format.__setattr__(
                    "first_line_indent", Pt(32)))
    assert "title_align" in rules(path, "错误")


def _font(para, face: str) -> None:
    for run in para.runs:
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def test_body_fonts_and_heading_fonts(tmp_path: Path) -> None:
    path = edit(write(tmp_path, notice()), lambda d: _font(paragraph(d, "请各承办单位"), "黑体"))
    found = [f for f in errors(path) if f["rule"] == "font_family"]
    assert len(found) == 1 and "正文字体为黑体" in found[0]["message"]
    assert found[0]["location"]["text"].startswith("请各承办单位")
    # a numbered item may be set in its level's face throughout
    assert not errors(edit(write(tmp_path, notice(), "a.docx"), lambda d: _font(paragraph(d, "三、注重实效"), "黑体")))
    # the level-1 heading in 宋体: wrong face for a heading; in 楷体: a level slip, only a hint
    path = edit(write(tmp_path, notice(), "b.docx"), lambda d: _font_run(paragraph(d, "二、严格时限").runs[0], "宋体"))
    assert any("一级标题字体为宋体" in f["message"] for f in errors(path))
    path = edit(write(tmp_path, notice(), "c.docx"), lambda d: _font_run(paragraph(d, "二、严格时限").runs[0], "楷体_GB2312"))
    assert not errors(path) and "font_family" in rules(path, "提示")


def _font_run(run, face: str) -> None:
    run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)


def test_body_size(tmp_path: Path) -> None:
    path = edit(write(tmp_path, notice()), lambda d: set_size(paragraph(d, "请各承办单位"), 15))
    found = [f for f in errors(path) if f["rule"] == "font_size"]
    assert len(found) == 1 and "小三（15磅）" in found[0]["message"]


def test_a_font_left_to_the_theme_is_reported(tmp_path: Path) -> None:
    def theme(document) -> None:
        for run in paragraph(document, "请各承办单位").runs:
            fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
            del fonts.attrib[qn("w:eastAsia")]
            fonts.set(qn("w:eastAsiaTheme"), "minorEastAsia")

    found = findings(edit(write(tmp_path, notice()), theme))
    assert any(f["rule"] == "font_undeclared" for f in found)


def test_digits_and_punctuation_in_another_face(tmp_path: Path) -> None:
    def odd(document) -> None:
        para = paragraph(document, "请各承办单位")
        run = para.add_run("，")
        _font_run(run, "微软雅黑")
        run.font.size = Pt(16)

    found = [f for f in findings(edit(write(tmp_path, notice()), odd)) if f["rule"] == "digit_font"]
    assert found and "微软雅黑" in found[0]["message"] and found[0]["severity"] == "提示"


def _footer_text(document, text: str) -> None:
    for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
        para = footer.paragraphs[0]
        for child in list(para._p):
            if child.tag == qn("w:r"):
                para._p.remove(child)
        para.add_run(text)


def test_page_number_forms(tmp_path: Path) -> None:
    for number, form in enumerate(("第1页", "- 1 -", "1")):
        path = edit(write(tmp_path, notice(), f"{number}.docx"), lambda d, form=form: _footer_text(d, form))
        found = [f for f in errors(path) if f["rule"] == "page_number"]
        # a typed number is no PAGE field: the footer has no page number at all
        assert found and found[0]["location"]["part"] == "页脚", form


def test_page_number_with_a_field_in_the_wrong_form(tmp_path: Path) -> None:
    def hyphens(document) -> None:
        for footer in (document.sections[0].footer, document.sections[0].even_page_footer):
            runs = footer.paragraphs[0].runs
            runs[0].text, runs[-1].text = "- ", " -"

    found = [f for f in errors(edit(write(tmp_path, notice()), hyphens)) if f["rule"] == "page_number"]
    assert found and "“- 1 -”" in found[0]["message"]


def test_pages_are_estimated_on_the_grid(tmp_path: Path) -> None:
    long = notice(paragraphs=[BODY_LINE] * 30)
    model = read_docx_model(str(write(tmp_path, long)))
    pages = [p.page for p in model.paras if p.text.startswith("为")]
    assert pages[0] == 1 and pages[-1] >= 3
    assert max(p.page for p in model.paras) > pages[-1]  # the attachment starts a new page


BODY_LINE = "为" + "加强代表建议办理工作" * 8 + "。"
