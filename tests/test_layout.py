"""GB/T 9704 .docx writer: checked from the .docx XML itself and, slowly, through LibreOffice."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm

from pipeline.layout.gbt9704 import (
    FANGSONG,
    HEITI,
    KAITI,
    LINE_PITCH_PT,
    XIAOBIAOSONG,
    docx_to,
    format_date,
    heading_split,
    render_text,
    write_docx,
)
from pipeline.model import Document, Secrecy

PLACEHOLDER = "【待填：会议名称】"


def sample(paragraphs: list[str] | None = None, **changes) -> Document:
    fields = {
        "path": "x", "format": "docx", "title": "星湖区人大常委会关于区人民政府民生实事项目实施情况报告的审议意见",
        "doc_number": "星人常〔2024〕12号", "issuer": ["星湖区人民代表大会常务委员会"], "date": "2024-06-28",
        "recipients": ["区人民政府"], "signature": ["星湖区人民代表大会常务委员会"], "cc": ["区委办公室", "区纪委监委"],
        "issued_by": "星湖区人大常委会办公室", "issued_date": "2024-06-29", "attachments": ["1.项目清单", "2.资金表"],
        "secrecy": Secrecy("秘密", "1年"), "copy_number": "000123", "urgency": "加急",
        "paragraphs": paragraphs or ["区第十七届人大常委会第八次会议听取了报告。" + PLACEHOLDER, "一、总体评价",
                                  "（二）加强监督。区人民政府要定期报告进展。", "请区人民政府研究处理。"],
    }
    fields.update(changes)
    return Document(**fields)


def eastasia(run) -> str | None:
    fonts = run._r.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def para_with(document, text: str):
    return next(p for p in document.paragraphs if p.text.startswith(text))


@pytest.fixture
def written(tmp_path: Path):
    path = write_docx(sample(), tmp_path / "a.docx")
    return path, open_docx(str(path))


def test_page_setup_is_a4_with_standard_margins(written):
    _, document = written
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.2) and abs(section.page_height - Mm(297)) < Mm(0.2)
    for value, mm in ((section.top_margin, 37), (section.bottom_margin, 35), (section.left_margin, 28),
                      (section.right_margin, 26)):
        assert abs(value - Mm(mm)) < Mm(0.2)


def test_document_grid_and_exact_line_pitch(written):
    _, document = written
    grid = document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == 579
    assert grid.get(qn("w:charSpace")) is not None
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(normal.line_spacing.pt - 28.95) < 0.01 and LINE_PITCH_PT == normal.line_spacing.pt
    body = para_with(document, "区第十七届")
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.first_line_indent is not None
    assert body._p.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"


def test_fonts_and_sizes(written):
    _, document = written
    title = para_with(document, "星湖区人大常委会关于")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert eastasia(title.runs[0]) == XIAOBIAOSONG and title.runs[0].font.size.pt == 22
    body = para_with(document, "区第十七届")
    assert eastasia(body.runs[0]) == FANGSONG and body.runs[0].font.size.pt == 16
    level1 = para_with(document, "一、总体评价")
    assert [eastasia(r) for r in level1.runs] == [HEITI]
    run_in = para_with(document, "（二）加强监督")
    assert [(r.text, eastasia(r)) for r in run_in.runs] == [
        ("（二）加强监督。", KAITI), ("区人民政府要定期报告进展。", FANGSONG)]
    styles = document.styles.element
    assert styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}") \
        .get(qn("w:eastAsia")) == FANGSONG


def test_header_zone(written):
    _, document = written
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:5] == ["000123", "秘密★1年", "加急", "星湖区人民代表大会常务委员会文件", "星人常〔2024〕12号"]
    mark = para_with(document, "星湖区人民代表大会常务委员会文件")
    assert str(mark.runs[0].font.color.rgb) == "FF0000" and eastasia(mark.runs[0]) == XIAOBIAOSONG
    assert mark.runs[0].font.size.pt > 22
    assert eastasia(para_with(document, "秘密★1年").runs[0]) == HEITI
    number = para_with(document, "星人常〔2024〕12号")
    bottom = number._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None and bottom.get(qn("w:color")) == "FF0000"


def test_signature_date_and_record(written):
    _, document = written
    date = para_with(document, "2024年6月28日")
    assert date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date._p.pPr.find(qn("w:ind")).get(qn("w:rightChars")) == "400"
    assert para_with(document, "附件：1.项目清单")
    assert para_with(document, "2.资金表")
    cc = para_with(document, "抄送：")
    assert cc.text == "抄送：区委办公室，区纪委监委。" and cc.runs[0].font.size.pt == 14
    issued = para_with(document, "星湖区人大常委会办公室")
    assert issued.text == "星湖区人大常委会办公室\t2024年6月29日印发"
    # the separators are full-width rules of their own around the indented rows: 0.35 mm outside,
    # 0.25 mm between (GB/T 9704 7.4.1)
    rule_sizes = [int(b.get(qn("w:sz"))) for b in document.element.body.iter(qn("w:top"))
                  if b.getparent().tag == qn("w:pBdr") and b.get(qn("w:color")) == "000000"]
    assert rule_sizes == [8, 6, 8]
    assert cc._p.getprevious().find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None
    assert issued._p.getnext().find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None


def test_odd_and_even_page_number_footers(written):
    _, document = written
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer,
                                                                      WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        instructions = [n.text for n in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == [" PAGE "]
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")


def test_placeholder_kept_and_upward_signer(tmp_path: Path):
    doc = sample(signer=["李红英"], secrecy=None, copy_number=None, urgency=None, date="【待填：成文日期】")
    document = open_docx(str(write_docx(doc, tmp_path / "b.docx", doc_number_as_typed="星人常[2024]12号")))
    assert any(PLACEHOLDER in p.text for p in document.paragraphs)
    assert para_with(document, "【待填：成文日期】").alignment == WD_ALIGN_PARAGRAPH.RIGHT
    line = para_with(document, "星人常[2024]12号")
    assert line.text == "星人常[2024]12号\t签发人：李红英"
    assert eastasia(line.runs[-1]) == KAITI


def test_minutes_letter_and_plain_layouts(tmp_path: Path):
    minutes = sample(meeting={"时间": "2024年3月5日上午", "出席": "李明、王芳"}, recipients=[], attachments=[])
    document = open_docx(str(write_docx(minutes, tmp_path / "m.docx", organ_mark=["星湖区人大常委会"],
                                        layout="minutes")))
    mark = para_with(document, "星湖区人大常委会会议纪要")
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    attend = para_with(document, "出席：")
    assert [(r.text, eastasia(r)) for r in attend.runs] == [("出席：", HEITI), ("李明、王芳", FANGSONG)]
    letter = open_docx(str(write_docx(sample(), tmp_path / "l.docx", layout="letter")))
    assert para_with(letter, "星湖区人民代表大会常务委员会").text == "星湖区人民代表大会常务委员会"  # no 文件
    assert para_with(letter, "星人常〔2024〕12号").alignment == WD_ALIGN_PARAGRAPH.RIGHT
    speech = sample(genre="讲话稿", signature=["区人大常委会主任 张某某"], recipients=[], attachments=[],
                    secrecy=None, copy_number=None, urgency=None, cc=[], issued_by=None, issued_date=None,
                    paragraphs=["——在区人大代表培训班上的讲话", "各位代表、同志们：", "我讲几点意见。"])
    plain = open_docx(str(write_docx(speech, tmp_path / "p.docx", layout="plain")))
    texts = [p.text.replace("\n", "") for p in plain.paragraphs if p.text]
    assert texts[:4] == [speech.title, "——在区人大代表培训班上的讲话", "（2024年6月28日）", "区人大常委会主任 张某某"]
    assert not any(p.runs and p.runs[0].font.color.rgb is not None for p in plain.paragraphs)


def test_render_text_reading_order():
    text = render_text(sample(), date_style="chinese")
    lines = [line.strip("　") for line in text.splitlines() if line.strip()]
    order = ["000123", "星湖区人民代表大会常务委员会文件", "星人常〔2024〕12号", sample().title, "区人民政府：",
             "一、总体评价", "附件：1.项目清单", "星湖区人民代表大会常务委员会", "二〇二四年六月二十八日",
             "抄送：区委办公室，区纪委监委。"]
    assert [lines.index(x) for x in order] == sorted(lines.index(x) for x in order)
    assert PLACEHOLDER in text


@pytest.mark.parametrize("iso, style, expected", [
    ("2010-12-22", "chinese", "二〇一〇年十二月二十二日"), ("2024-01-10", "chinese", "二〇二四年一月十日"),
    ("2009-10-31", "chinese", "二〇〇九年十月三十一日"), ("2024-06-08", "arabic", "2024年6月8日"), (None, "arabic", ""),
    ("【待填：成文日期】", "arabic", "【待填：成文日期】"),
])
def test_format_date(iso, style, expected):
    assert format_date(iso, style) == expected


def test_heading_split():
    assert heading_split("一、总体评价") == (1, "一、总体评价", "")
    assert heading_split("（三）强化保障。落实经费。") == (2, "（三）强化保障。", "落实经费。")
    assert heading_split("2.加强监督。") == (3, "2.加强监督。", "")
    assert heading_split("（4）其他") == (4, "（4）其他", "")
    assert heading_split("2024年6月，区人大常委会") is None


@pytest.mark.slow
def test_libreoffice_page_holds_22_lines_of_28_characters(tmp_path: Path):
    import pdfplumber

    filler = "区人大常委会听取和审议了区人民政府关于民生实事项目实施情况的报告，提出了意见和建议。"
    doc = sample(paragraphs=[filler * 3 for _ in range(40)], secrecy=None, copy_number=None, urgency=None)
    pdf = docx_to(write_docx(doc, tmp_path / "full.docx"), "pdf", tmp_path / "out")
    with pdfplumber.open(pdf) as handle:
        assert len(handle.pages) >= 4
        page = handle.pages[2]  # a page of body text only
        lines: dict[int, list[str]] = {}
        for char in page.chars:
            if char["text"].strip():
                lines.setdefault(round(char["top"]), []).append(char["text"])
        footer_top = max(lines)
        body = {top: chars for top, chars in lines.items() if top != footer_top}
    assert "".join(lines[footer_top]).replace(" ", "") == "—3—"
    assert len(body) == 22
    assert max(len(chars) for chars in body.values()) == 28


def test_attachments_follow_on_new_pages_before_the_record(tmp_path: Path):
    from pipeline.model import Attachment

    doc = sample(attachment_docs=[Attachment("附件1", "项目清单", "一、城东学校\n二、城西医院")])
    document = open_docx(str(write_docx(doc, tmp_path / "att.docx")))
    label = para_with(document, "附件1")
    assert label.paragraph_format.page_break_before and eastasia(label.runs[0]) == HEITI
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts.index("附件1") < texts.index("项目清单") < texts.index("一、城东学校") < texts.index(
        "抄送：区委办公室，区纪委监委。")
    text = render_text(doc)
    assert text.index("附件1") < text.index("二、城西医院") < text.index("抄送：")


def test_header_distances_follow_the_standard(written):
    """7.2: the mark 35 mm below the top of the 版心 (less the lines above it), the 文号 two
    lines below the mark, the red line 4 mm below the 文号, the title two lines below the line."""
    _, document = written
    paragraphs = document.paragraphs
    mark = para_with(document, "星湖区人民代表大会常务委员会文件")
    above = 3  # 份号, 密级, 紧急程度
    assert abs(mark.paragraph_format.space_before.mm - (35 - above * LINE_PITCH_PT * 25.4 / 72)) < 0.5
    index = [p._p for p in paragraphs].index(mark._p)
    assert [p.text for p in paragraphs[index + 1:index + 4]] == ["", "", "星人常〔2024〕12号"]
    number = paragraphs[index + 3]
    assert int(number._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}").get(qn("w:space"))) == 11  # 4 mm
    assert [p.text for p in paragraphs[index + 4:index + 6]] == ["", ""]
    assert paragraphs[index + 6].text.replace("\n", "") == sample().title


def test_long_titles_break_at_word_boundaries():
    from pipeline.layout.zones import title_lines

    lines = title_lines("区人大常委会关于区人民政府2023年度环境状况和环境保护目标完成情况报告的审议意见")
    assert "".join(lines) == "区人大常委会关于区人民政府2023年度环境状况和环境保护目标完成情况报告的审议意见"
    assert len(lines) == 3 and all(len(line) <= 20 for line in lines)
    assert lines[0].endswith("区人民政府") and not lines[-1].startswith(("的", "意见"))
    assert title_lines("在区第十八届人大常委会第十二次会议上的讲话") == ["在区第十八届人大常委会", "第十二次会议上的讲话"]
    assert title_lines("关于增加经费的请示") == ["关于增加经费的请示"]


def test_record_on_an_even_page_of_its_own(tmp_path: Path):
    """版记 at the foot of the last, even page: a section that starts on an even page."""
    document = open_docx(str(write_docx(sample(), tmp_path / "even.docx", record_page="even")))
    sections = document.sections
    assert len(sections) == 2 and sections[1].start_type == WD_SECTION.EVEN_PAGE
    texts = [p.text for p in document.paragraphs]
    cc = texts.index("抄送：区委办公室，区纪委监委。")
    assert texts[cc - 20:cc - 1] == [""] * 19  # blank lines fill the page above the 版记


def test_letter_layout_lines_and_first_page(tmp_path: Path):
    document = open_docx(str(write_docx(sample(), tmp_path / "letter.docx", layout="letter")))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    rule = section.first_page_footer.paragraphs[0]
    assert rule._p.pPr.find(f"{qn('w:pBdr')}/{qn('w:bottom')}").get(qn("w:val")) == "thinThickSmallGap"
    assert abs(rule.paragraph_format.left_indent.mm + 7) < 0.2  # 170 mm long: 7 mm beyond each side
    assert not any(qn("w:instrText") in [n.tag for n in rule._p.iter()] for _ in [0])  # no page number


@pytest.mark.slow
def test_draft_pages_in_libreoffice_record_on_even_page_and_page_numbers(tmp_path: Path):
    """Through LibreOffice: the 版记 on the last page, an even one, near its foot (a blank page
    before it when the text ends on an even page, both without numbers); page numbers — 1 — right
    on odd pages, left on even pages."""
    import pdfplumber

    pdf = docx_to(write_docx(sample(), tmp_path / "r.docx", record_page="even"), "pdf", tmp_path / "out")
    with pdfplumber.open(pdf) as handle:
        pages = handle.pages
        assert len(pages) % 2 == 0
        last = pages[-1]
        words = last.extract_words()
        cc = next(w for w in words if w["text"].startswith("抄送"))
        assert cc["top"] > last.height * 0.6  # at the foot of the page
        assert not any("抄送" in (p.extract_text() or "") for p in pages[:-1])
        numbered = [page for page in pages if (page.extract_text() or "").strip() and "抄送" not in page.extract_text()]
        for number, page in enumerate(numbered, 1):
            mark = [w for w in page.extract_words() if w["text"] == str(number)]
            assert mark, number
            left = mark[-1]["x0"] < page.width / 2
            assert left == (number % 2 == 0), number
        assert "— " not in (last.extract_text() or "").splitlines()[-1]
