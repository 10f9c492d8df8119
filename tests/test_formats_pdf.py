"""PDF reader: a GB/T 9704-like .docx converted by LibreOffice, then read back; bad PDFs; helpers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from pipeline.formats.ocr import TextLine
from pipeline.formats.pdf import PdfBackend, read_pdf
from pipeline.formats.pdf.ocr_fallback import is_garbled
from pipeline.formats.pdf.paragraphs import PageLines, is_page_number, lines_to_blocks
from pipeline.formats.pdf.text_layer import colour_hex
from pipeline.model import ParseError

ORGAN = "南山区人大常委会办公室文件"
DOC_NUMBER = "南人常办〔2024〕12号"
TITLE = "关于开展2024年度人大代表履职培训工作的通知"
RUNNING_HEADER = "南山区人大常委会办公室内部资料汇编"
BODY = [
    (
        "为进一步提升人大代表依法履职能力，根据常委会年度工作要点和代表工作计划，经主任会议研究同意，"
        "决定于2024年5月至6月在全区范围内分批开展人大代表履职培训工作。现将有关事项通知如下。"
    ),
    (
        "培训对象为区人大代表、街道人大工委工作人员以及各代表联络站负责同志。各街道人大工委要认真组织，"
        "确保参训人员按时到位，不得无故缺席，确需请假的应当提前向常委会代表工作委员会书面报告。"
    ),
    (
        "培训内容包括宪法和代表法、预算审查监督、议案建议的提出与办理、代表联络站建设以及全过程人民民主"
        "的基层实践等专题，采取集中授课、案例研讨、现场教学和交流发言相结合的方式进行。"
    ),
    (
        "各街道人大工委要结合本地实际制定具体实施方案，于2024年4月30日前将参训人员名单报送常委会代表"
        "工作委员会。培训结束后，请于2024年7月15日前报送培训工作总结，总结应当包括参训人数、课程安排、"
        "学员反馈和下一步改进措施等内容，并附相关图片资料。"
    ),
] * 3  # enough text for three pages, so paragraphs cross page breaks


def _add_page_number_footer(section) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer.add_run(" —")


def _paragraph(doc, text: str, size: float, align=None, colour=None, indent: bool = False):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(29)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.name = "Noto Serif CJK SC"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    if colour:
        run.font.color.rgb = colour
    return paragraph


def write_gbt_docx(path: Path) -> None:
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header.paragraphs[0].text = RUNNING_HEADER
    _add_page_number_footer(section)
    _paragraph(doc, ORGAN, 22, WD_ALIGN_PARAGRAPH.CENTER, RGBColor(0xFF, 0, 0))
    _paragraph(doc, DOC_NUMBER, 16, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "", 16)
    _paragraph(doc, TITLE, 22, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, "", 16)
    _paragraph(doc, "各街道人大工委：", 16, WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text in BODY:
        _paragraph(doc, text, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    doc.save(str(path))


def soffice_to_pdf(source: Path, out_dir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = out_dir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / (source.stem + ".pdf")


@pytest.fixture(scope="module")
def gbt_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gbt")
    source = folder / "notice.docx"
    write_gbt_docx(source)
    return soffice_to_pdf(source, folder)


def _compact(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------- the converted document


@pytest.mark.slow
def test_gbt_pdf_paragraphs_styles_and_furniture(gbt_pdf: Path) -> None:
    raw = PdfBackend().read(str(gbt_pdf))
    assert raw.format == "pdf" and not raw.ocr
    assert raw.pages is not None and raw.pages >= 3
    texts = [_compact(b.text) for b in raw.blocks]

    organ = raw.blocks[0]
    assert _compact(organ.text) == ORGAN
    assert organ.is_red and organ.align == "center" and organ.size == pytest.approx(22, abs=0.6)

    title = next(b for b in raw.blocks if _compact(b.text) == TITLE)
    body_sizes = {b.size for b in raw.blocks if _compact(b.text) in BODY}
    assert body_sizes == {16.0}
    assert title.size > 20 and title.align == "center" and not title.is_red
    assert _compact(DOC_NUMBER) in texts

    # Every body paragraph comes back whole: wrapped lines joined, page breaks bridged.
    for paragraph in BODY:
        assert paragraph in texts
    assert len(texts) == len(BODY) + 4

    # Page numbers and the running header are gone.
    assert not any(is_page_number(t) for t in texts)
    assert not any(RUNNING_HEADER in t for t in texts)
    assert all(b.page is not None for b in raw.blocks)
    assert raw.blocks[-1].page == raw.pages


# ---------------------------------------------------------------- bad input


def _small_pdf(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (200, 100), "white")
    ImageDraw.Draw(image).text((10, 40), "hello", fill="black")
    image.save(path, "PDF")
    return path


def test_truncated_pdf_is_a_clear_error(tmp_path: Path) -> None:
    whole = _small_pdf(tmp_path / "whole.pdf").read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(whole[: len(whole) // 3])
    with pytest.raises(ParseError) as caught:
        read_pdf(str(broken), ocr=False)
    assert caught.value.path == str(broken)
    assert caught.value.reason.startswith("PDF 文件损坏")


def test_garbage_named_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    with pytest.raises(ParseError) as caught:
        read_pdf(str(path), ocr=False)
    assert "PDF 文件损坏" in caught.value.reason


def test_encrypted_pdf_with_password_is_refused(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    plain = _small_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter()
    for page in PdfReader(str(plain)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as stream:
        writer.write(stream)
    with pytest.raises(ParseError) as caught:
        read_pdf(str(locked), ocr=False)
    assert caught.value.reason == "PDF 已加密，无法读取"


def test_owner_password_only_pdf_opens_with_empty_password(tmp_path: Path, gbt_pdf: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(str(gbt_pdf)).pages:
        writer.add_page(page)
    writer.encrypt(user_password="", owner_password="owner-only")
    locked = tmp_path / "owner.pdf"
    with locked.open("wb") as stream:
        writer.write(stream)
    raw = read_pdf(str(locked), ocr=False)
    assert _compact(raw.blocks[0].text) == ORGAN


# ---------------------------------------------------------------- helpers on synthetic input


@pytest.mark.parametrize(
    ("colour", "expected"),
    [
        ((1, 0, 0), "FF0000"),
        ((0,), "000000"),
        (0.5, "808080"),
        ((0, 1, 1, 0), "FF0000"),  # CMYK red
        ((0, 0, 0, 1), "000000"),
        ((255, 0, 0), "FF0000"),  # some producers write 0–255
        (None, None),
        ("P0", None),  # a pattern colour space name
    ],
)
def test_colour_hex(colour: object, expected: str | None) -> None:
    assert colour_hex(colour) == expected


@pytest.mark.parametrize(
    "text", ["— 3 —", "- 3 -", "–– 12 ––", "第3页", "第 3 页 共 12 页", "3/12", "7", "- ii -"]
)
def test_page_numbers_recognised(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["000123", "2024年3月", "一、总体要求", "第三条", "（3）"])
def test_not_page_numbers(text: str) -> None:
    assert not is_page_number(text)


def test_garbled_text_layers_detected() -> None:
    assert is_garbled(
        list('犐犆犛３５．０４０犔８０!"#：４４６３２—２０１４$%&’()*+,-./0犌犕／犜００３１')
    )
    assert is_garbled(["(cid:12)"] * 30 + list("第一条"))
    assert is_garbled(
        list("KLMNOＧＢ／Ｔ１．１—２００９PQ6%RST。UVWK)*6XYZ[\\]^_‘a。K)*6bc<defghijY‘a6kl。")
    )
    assert not is_garbled(
        list("2021年，深圳市常住人口1761.48万人，其中男性969.57万人，占全市人口的55.0%；")
    )
    assert not is_garbled(
        list("Secure electronic seal cryptography technical specification (GM/T 0031-2014)")
    )


def _line(
    text: str, x0: float, top: float, size: float = 16.0, page: int = 1, **style: object
) -> TextLine:
    width = size * len(text)
    return TextLine(
        text, x0, x0 + width, top, top + size, size=size, page=page, font="FangSong", **style
    )


def test_paragraph_rules_on_synthetic_lines() -> None:
    left, full = 80.0, 28  # 28 characters of 16 pt make a full line
    lines = [
        _line(
            "关于召开常务委员会第十二次会议的通知", left + (full * 16 - 18 * 22) / 2, 100, size=22
        ),
        _line("甲" * (full - 2), left + 32, 160),
        _line("乙" * full, left, 189),
        _line("丙" * 10, left, 218),  # ends short: paragraph ends
        _line("丁" * (full - 2), left + 32, 247),  # indented: a new paragraph
        _line("戊" * 12, left, 276),
        _line("己" * full, left, 340),  # after a wide gap: new paragraph
        _line("庚" * full, left, 369),
    ]
    page = PageLines(1, 595.0, 842.0, lines)
    blocks = lines_to_blocks([page])
    assert [b.text for b in blocks] == [
        "关于召开常务委员会第十二次会议的通知",
        "甲" * (full - 2) + "乙" * full + "丙" * 10,
        "丁" * (full - 2) + "戊" * 12,
        "己" * full + "庚" * full,
    ]
    assert blocks[0].align == "center" and blocks[0].size == 22
    assert blocks[1].align == "justify"


def test_running_header_and_page_numbers_dropped_across_pages() -> None:
    pages = []
    for number in (1, 2, 3):
        pages.append(
            PageLines(number, 595.0, 842.0, [
                _line("某某区人大常委会会刊", 200, 30, size=10.5, page=number),
                _line(f"正文第{number}页的内容，" + "文" * 19, 80, 300, page=number),
                _line("结束。", 80, 329, page=number),
                _line(f"— {number} —", 270, 800, size=14, page=number),
            ])
        )  # fmt: skip
    texts = [b.text for b in lines_to_blocks(pages)]
    assert not any("会刊" in t or "—" in t for t in texts)
    assert len(texts) == 3 and texts[0].startswith("正文第1页")


def _watermark_pdf(path: Path, width: float, height: float, level: bool = False) -> Path:
    """A one-page PDF holding only a Helvetica text: a 45° grey watermark, or (``level``) an
    archive stamp ``ARCHIVE 0001`` at the top."""
    content = (
        b"BT /F1 10 Tf 1 0 0 1 40 %d Tm (ARCHIVE 0001) Tj ET" % int(height - 30)
        if level
        else b"BT /F1 60 Tf 0.7071 0.7071 -0.7071 0.7071 180 250 Tm 0.8 g (INTERNAL DRAFT COPY) Tj ET"
    )
    return hand_written_pdf(path, content, width, height)


def hand_written_pdf(path: Path, content: bytes, width: float = 595, height: float = 842) -> Path:
    """A one-page PDF written by hand (no extra library): ``content`` is its content stream, and
    ``/F1`` names Helvetica."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
        f"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(body)
    return path


def test_diagonal_watermark_is_not_text(tmp_path: Path, gbt_pdf: Path) -> None:
    """A rotated watermark stamped over every page does not leak into the paragraphs."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(gbt_pdf))
    first = reader.pages[0]
    stamp = PdfReader(
        str(
            _watermark_pdf(
                tmp_path / "stamp.pdf", float(first.mediabox.width), float(first.mediabox.height)
            )
        )
    ).pages[0]
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        page.merge_page(stamp)
    stamped = tmp_path / "stamped.pdf"
    with stamped.open("wb") as stream:
        writer.write(stream)
    plain = [b.text for b in read_pdf(str(gbt_pdf), ocr=False).blocks]
    marked = [b.text for b in read_pdf(str(stamped), ocr=False).blocks]
    assert marked == plain


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_rotated_pages_read_as_written(tmp_path: Path, gbt_pdf: Path, turn: int) -> None:
    """A page shown sideways or upside down (/Rotate) still gives the same paragraphs."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(gbt_pdf)))
    for page in writer.pages:
        page.rotate(turn)
    turned = tmp_path / f"turned{turn}.pdf"
    with turned.open("wb") as stream:
        writer.write(stream)
    plain = read_pdf(str(gbt_pdf), ocr=False).blocks
    assert read_pdf(str(turned), ocr=False).blocks == plain


def test_explicit_space_between_cjk_words_is_kept(tmp_path):
    """A typed space between two organ names survives even though it is narrower than any gap
    threshold (it separates joint issuers in a title)."""
    from docx import Document as Docx

    from pipeline.formats.pdf import read_pdf
    from pipeline.layout import docx_to

    source = tmp_path / "joint.docx"
    word = Docx()
    word.add_paragraph("青岚区人大常委会办公室 青岚区人民政府办公室关于做好工作的通知")
    word.save(str(source))
    pdf = docx_to(source, "pdf", tmp_path)
    texts = [block.text for block in read_pdf(str(pdf)).blocks]
    assert "青岚区人大常委会办公室 青岚区人民政府办公室关于做好工作的通知" in texts
