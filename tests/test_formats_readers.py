"""Each reader on a small real file built in tmp_path (python-docx, hand-made OFD, encoded text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.text import detect_encoding, markdown_lines
from tests.fuzz.samples import BODY, TITLE, make_docx, make_html, make_ofd, make_text


# --- docx ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def docx_raw(tmp_path_factory: pytest.TempPathFactory):
    return formats.read(make_docx(tmp_path_factory.mktemp("docx") / "notice.docx"))


def test_docx_red_centred_large_organ_mark(docx_raw) -> None:
    mark = next(b for b in docx_raw.blocks if b.text == "南山区人大常委会文件")
    assert (mark.color, mark.align, mark.size, mark.bold) == ("FF0000", "center", 36.0, True)
    assert mark.is_red
    assert mark.font == "方正小标宋简体"  # east-asian font wins over the ascii one


def test_docx_sizes_fall_back_to_style_and_fonts_to_east_asian(docx_raw) -> None:
    body = next(b for b in docx_raw.blocks if b.text == BODY)
    assert body.size == 16.0 and body.font == "仿宋_GB2312" and not body.is_red
    title = next(b for b in docx_raw.blocks if b.text == TITLE)
    assert title.size == 22.0 and title.align == "center"


def test_docx_table_rows_stay_in_document_order(docx_raw) -> None:
    texts = [b.text for b in docx_raw.blocks if b.kind in ("para", "table")]
    body_at = texts.index(BODY)
    assert texts[body_at + 1 : body_at + 4] == [
        "序号\t事项\t责任单位",
        "1\t走访代表\t选联工委",
        "表格之后的段落。",
    ]
    assert [b.kind for b in docx_raw.blocks if "\t" in b.text] == ["table", "table"]


def test_docx_header_footer_and_page_breaks(docx_raw) -> None:
    assert [b.text for b in docx_raw.blocks if b.kind == "header"] == ["内部资料"]
    assert [b.text for b in docx_raw.blocks if b.kind == "footer"] == ["— 1 —"]
    second = next(b for b in docx_raw.blocks if b.text == "第二页的段落。")
    assert second.page == 2 and docx_raw.pages == 2
    assert next(b for b in docx_raw.blocks if b.text == BODY).page == 1


def test_dotx_template_is_read_as_docx(tmp_path: Path) -> None:
    import zipfile

    source = make_docx(tmp_path / "a.docx")
    template = tmp_path / "模板.dotx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(template, "w") as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            copy.writestr(info, data)
    raw = formats.read(template)
    assert raw.format == "docx" and TITLE in raw.text


# --- text ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "traditional", "expected"),
    [
        ("gb18030", False, "gb18030"),
        ("gbk", False, "gb18030"),
        ("utf-8", False, "utf-8"),
        ("utf-8-sig", False, "utf-8-sig"),
        ("utf-16", False, "utf-16"),  # with BOM
        ("utf-16-le", False, "utf-16-le"),  # without BOM
        ("big5", True, "big5"),
    ],
)
def test_text_encodings_detected_and_decoded(
    tmp_path: Path, encoding: str, traditional: bool, expected: str
) -> None:
    raw = formats.read(make_text(tmp_path / "notice.txt", encoding, traditional))
    assert raw.format == "txt" and raw.encoding == expected
    first = "南山區人大常委會關於加強代表建議辦理工作的通知" if traditional else TITLE
    assert raw.blocks[0].text == first  # traditional characters are kept as found
    assert all(b.text for b in raw.blocks) and len(raw.blocks) >= 3


def test_detect_encoding_big5_versus_gb18030_on_short_text() -> None:
    assert detect_encoding("關於召開常委會會議的通知".encode("big5")) == "big5"
    assert detect_encoding("关于召开常委会会议的通知".encode("gb18030")) == "gb18030"
    assert detect_encoding(bytes(range(256)) * 4) is None


def test_markdown_front_matter_headings_emphasis_removed(tmp_path: Path) -> None:
    path = tmp_path / "law.md"
    path.write_text("---\ntitle: x\ndate: 2024-01-01\n---\n# 南山区代表建议办理办法\n\n"
                    "## 第一章 总则\n\n**第一条** 为了规范[代表建议](http://x)办理，制定本办法。\n", encoding="utf-8")  # fmt: skip
    raw = formats.read(path)
    assert raw.format == "md"
    assert [b.text for b in raw.blocks] == [
        "南山区代表建议办理办法",
        "第一章 总则",
        "第一条 为了规范代表建议办理，制定本办法。",
    ]
    assert markdown_lines("Title\n=====\n正文") == ["Title", "正文"]


# --- html ------------------------------------------------------------------------------------
@pytest.mark.parametrize("encoding", ["utf-8", "gb2312"])
def test_html_main_text_without_navigation(tmp_path: Path, encoding: str) -> None:
    raw = formats.read(make_html(tmp_path / "page.html", encoding))
    text = raw.text
    assert raw.format == "html" and raw.blocks[0].text == TITLE
    assert BODY in text and "三、加强跟踪督办" in text
    for noise in ("首页", "当前位置", "版权所有", "备案号"):
        assert noise not in text
    number = next(b for b in raw.blocks if b.text == "南人常〔2024〕5号")
    assert number.align == "center" and number.color == "FF0000"


def test_html_short_page_uses_fallback(tmp_path: Path) -> None:
    path = tmp_path / "short.htm"
    path.write_text("<html><body><div id='menu'>网站首页</div><center>会议通知</center><p>定于明日开会。</p></body></html>",
                    encoding="utf-8")  # fmt: skip
    raw = formats.read(path)
    assert [b.text for b in raw.blocks] == ["会议通知", "定于明日开会。"]
    assert raw.blocks[0].align == "center"


# --- ofd -------------------------------------------------------------------------------------
def test_ofd_lines_grouped_into_paragraphs_with_sizes(tmp_path: Path) -> None:
    raw = formats.read(make_ofd(tmp_path / "notice.ofd"))
    assert raw.format == "ofd" and raw.pages == 1
    texts = [b.text for b in raw.blocks]
    assert texts[:4] == ["南山区人大常委会文件", "南人常〔2024〕5号", TITLE[:14], TITLE[14:]]
    mark = raw.blocks[0]
    assert mark.is_red and mark.align == "center" and mark.size == pytest.approx(36, abs=0.5)
    assert raw.blocks[4].text.startswith(BODY) and raw.blocks[4].text.endswith("事事有回音。")
    assert raw.blocks[4].size == pytest.approx(16, abs=0.5) and raw.blocks[4].page == 1
    assert texts[-1] == "特此通知。"


def test_ofd_private_use_glyphs_dropped_with_warning(tmp_path: Path) -> None:
    path = make_ofd(tmp_path / "pua.ofd", [("可信\ue11e\ue236浏览器", 30.0, 50.0, 5.6, None)])
    raw = formats.read(path)
    assert raw.text == "可信浏览器" and any("私有编码" in w for w in raw.warnings)


def test_mht_saved_as_doc_is_read_as_html(tmp_path: Path) -> None:
    """Word's single-file web page, the way old office PCs saved many ".doc" files."""
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    html = make_html(tmp_path / "page.html", "gb2312").read_bytes().decode("gb2312")
    message = MIMEMultipart("related")
    message.attach(MIMEText(html, "html", "gb2312"))
    path = tmp_path / "通知.doc"
    path.write_bytes(message.as_bytes())
    raw = formats.read(path)
    assert raw.format == "html" and raw.blocks[0].text == TITLE and BODY in raw.text


def test_long_docx_without_page_marks_has_unknown_pages(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for _ in range(60):
        document.add_paragraph("区人大常委会听取和审议了区人民政府关于代表建议办理情况的报告。")
    path = tmp_path / "long.docx"
    document.save(path)
    raw = formats.read(path)
    assert raw.pages is None and {b.page for b in raw.blocks} == {None}


@pytest.mark.slow
def test_scanned_ofd_is_read_by_ocr(tmp_path: Path) -> None:
    pytest.importorskip("pipeline.formats.image", reason="the OCR backend is another module")
    font = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not font.exists():
        pytest.skip("a CJK font is needed to draw the scan")
    from tests.fuzz.samples import make_scanned_ofd

    raw = formats.read(make_scanned_ofd(tmp_path / "scan.ofd", str(font)))
    assert raw.format == "ofd" and raw.ocr and raw.pages == 1
    assert "人大常委会" in raw.text.replace(" ", "")
    assert any("文字识别" in w for w in raw.warnings)
    assert {b.page for b in raw.blocks} == {1}


def test_docx_automatic_list_numbers_are_rendered(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("提高认识", style="List Number")
    document.add_paragraph("明确要求", style="List Number")
    document.add_paragraph("一段正文")
    document.add_paragraph("", style="List Number")  # an empty item: no orphan label block
    path = tmp_path / "list.docx"
    document.save(path)
    assert [b.text for b in formats.read(path).blocks] == ["1.提高认识", "2.明确要求", "一段正文"]


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (11, "chineseCountingThousand", "十一"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircle", "②"),
        (4, "upperRoman", "IV"),
        (12, "decimalFullWidth", "１２"),
        (5, "bullet", ""),
    ],
)
def test_number_formats(value: int, number_format: str, expected: str) -> None:
    from pipeline.formats.docx.numbering import format_number

    assert format_number(value, number_format) == expected


def test_docx_tracked_changes_read_as_the_document_now_reads(tmp_path: Path) -> None:
    """Deleted and moved-away text is not read; inserted and moved-to text is."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph()
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for fragment in (
        f"<w:r {ns}><w:t>会议</w:t></w:r>",
        f'<w:del {ns} w:id="1" w:author="a"><w:r><w:delText>原定</w:delText></w:r></w:del>',
        f'<w:ins {ns} w:id="2" w:author="a"><w:r><w:t>改于</w:t></w:r></w:ins>',
        f'<w:moveFrom {ns} w:id="3" w:author="a"><w:r><w:t>明日</w:t></w:r></w:moveFrom>',
        f"<w:r {ns}><w:t>召开</w:t></w:r>",
        f'<w:moveTo {ns} w:id="4" w:author="a"><w:r><w:t>明日</w:t></w:r></w:moveTo>',
    ):
        paragraph._p.append(parse_xml(fragment))
    path = tmp_path / "tracked.docx"
    document.save(path)
    assert formats.read(path).blocks[0].text == "会议改于召开明日"


def test_ofd_page_number_in_bottom_margin_is_a_footer(tmp_path: Path) -> None:
    lines = [
        ("各街道人大工委：", 26.0, 60.0, 5.6, None),
        ("现将有关事项通知如下。", 37.2, 70.0, 5.6, None),
        ("— 1 —", 95.0, 280.0, 4.9, None),
    ]
    raw = formats.read(make_ofd(tmp_path / "numbered.ofd", lines))
    assert [(b.text, b.kind) for b in raw.blocks] == [
        ("各街道人大工委：", "para"),
        ("现将有关事项通知如下。", "para"),
        ("— 1 —", "footer"),
    ]
