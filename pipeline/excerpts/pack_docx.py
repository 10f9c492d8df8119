"""The 年鉴资料 pack as a Word document, in the usual Chinese yearbook style.

A4, 25 mm margins; the title and section headings 黑体, lines 宋体, sources 仿宋 under each line;
统计数据 a table of fixed column widths with its header row repeated on every page. Only features
WPS reads as Word does: plain paragraphs, one table style, a PAGE field in the footer — no content
controls, macros or text boxes. Each section ends with 供稿单位 and 撰稿人 lines to fill.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from pipeline.excerpts.pack import Pack, StatRow, chinese_date
from pipeline.layout.docx_parts import set_fonts
from pipeline.layout.page import add_page_field
from pipeline.text.numerals import to_chinese

HEITI, SONGTI, FANGSONG, KAITI = "黑体", "宋体", "仿宋", "楷体"
TITLE_PT, HEADING_PT, SUBHEADING_PT, BODY_PT, SOURCE_PT, TABLE_PT, CITATION_PT = 22, 16, 14, 12, 10.5, 10, 9
MARGIN_MM = 25
TEXT_WIDTH_MM = 210 - 2 * MARGIN_MM
# 指标, 数值, 单位, 增减, 出处: widths in mm, summing to the text width
STAT_COLUMNS = (("指标", 34), ("数值", 19), ("单位", 16), ("增减", 25), ("出处", 66))
SECTION_NUMBERS = ("一", "二", "三", "四")
TABLE_ROWS = 60
BLANK = "＿" * 12


def write_docx(pack: Pack, out: Path) -> Path:
    word = WordDocument()
    _page(word)
    _paragraph(word, pack.title, HEITI, TITLE_PT, align="center", after=6)
    _paragraph(word, "（据档案库中的公文整理，每条注明出处：标题、文号、日期）", FANGSONG, SOURCE_PT,
               align="center", after=12)
    sections = (("大事记", _chronicle), ("统计数据", _statistics), ("重要文件", _documents),
                ("摘编", _excerpts))
    for number, (name, fill) in zip(SECTION_NUMBERS, sections):
        _heading(word, f"{number}、{name}")
        fill(word, pack)
        _contributors(word)
    word.save(out)
    return out


def _page(word) -> None:
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_field(footer)


def _paragraph(container, text: str, font: str, size: float, align: str = "justify",
               bold: bool = False, after: float = 0, first_chars: float = 0, keep: bool = False):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(after)
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                     "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if first_chars:
        fmt.first_line_indent = Pt(size * first_chars)
    fmt.keep_with_next = keep
    if text:
        _run(paragraph, text, font, size, bold)
    return paragraph


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    set_fonts(run._r, font)
    run.font.size = Pt(size)
    run.font.bold = bold or None
    return run


def _heading(word, text: str) -> None:
    paragraph = _paragraph(word, text, HEITI, HEADING_PT, align="left", after=6, keep=True)
    paragraph.paragraph_format.space_before = Pt(12)


def _subheading(word, text: str) -> None:
    paragraph = _paragraph(word, text, KAITI, SUBHEADING_PT, align="left", after=3, keep=True)
    paragraph.paragraph_format.space_before = Pt(6)


def _source(word, text: str) -> None:
    _paragraph(word, f"出处：{text}", FANGSONG, SOURCE_PT, align="left", after=4, first_chars=2)


def _empty(word, what: str) -> None:
    _paragraph(word, f"（本年度没有可收录的{what}。）", FANGSONG, BODY_PT, align="left", after=4)


def _chronicle(word, pack: Pack) -> None:
    if not pack.events:
        _empty(word, "大事")
    for event, sources in pack.events:
        label, _space, text = event["text"].partition(" ")
        paragraph = _paragraph(word, "", SONGTI, BODY_PT, keep=True, first_chars=2)
        _run(paragraph, label, HEITI, BODY_PT)
        _run(paragraph, f"　{text}", SONGTI, BODY_PT)
        _source(word, "；".join(source.citation() for source in sources))


def _statistics(word, pack: Pack) -> None:
    """One table per source document, at most ``TABLE_ROWS`` rows each: LibreOffice lays out one
    table of thousands of rows in quadratic time, and a compiler reads a document's facts together."""
    if not pack.stats:
        _empty(word, "统计数据")
        return
    for rows in _chunks(pack.stats):
        table = _stat_table(word)
        for row in rows:
            cells = table.add_row().cells
            texts = _stat_cells(row)
            for cell, text in zip(cells[:-1], texts[:-1]):
                _cell_text(cell, text, SONGTI)
            _cell_text(cells[-1], texts[-1], FANGSONG, size=CITATION_PT)
        for index, (_name, width) in enumerate(STAT_COLUMNS):
            for cell in table.columns[index].cells:
                cell.width = Mm(width)
        _paragraph(word, "", SONGTI, SOURCE_PT, after=2)


def _chunks(rows: list[StatRow]) -> list[list[StatRow]]:
    chunks: list[list[StatRow]] = []
    for row in rows:
        if not chunks or chunks[-1][-1].source != row.source or len(chunks[-1]) >= TABLE_ROWS:
            chunks.append([])
        chunks[-1].append(row)
    return chunks


def _stat_table(word):
    table = word.add_table(rows=1, cols=len(STAT_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _fixed_layout(table)
    header = table.rows[0]
    _repeat_header(header)
    for cell, (name, _width) in zip(header.cells, STAT_COLUMNS):
        _cell_text(cell, name, HEITI, align="center")
    return table


def _stat_cells(row: StatRow) -> tuple[str, ...]:
    metric = f"其中：{row.metric}" if row.parent else row.metric
    return metric, row.amount, row.unit, row.change, row.source.citation()


def _fixed_layout(table) -> None:
    """Fixed column widths: a long 出处 wraps inside its cell instead of widening the table."""
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(round(TEXT_WIDTH_MM / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(width)
    grid = table._tbl.tblGrid
    for column, (_name, mm) in zip(grid.findall(qn("w:gridCol")), STAT_COLUMNS):
        column.set(qn("w:w"), str(round(mm / 25.4 * 1440)))


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell_text(cell, text: str, font: str, align: str = "left", size: float = TABLE_PT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
    _run(paragraph, text, font, size)


def _documents(word, pack: Pack) -> None:
    if not pack.documents:
        _empty(word, "重要文件")
    genre = None
    for source in pack.documents:
        if source.genre != genre:
            genre = source.genre
            _subheading(word, f"{genre}")
        parts = "，".join(x for x in (source.doc_number or "", chinese_date(source.date)) if x)
        paragraph = _paragraph(word, f"《{source.title or '无题'}》", SONGTI, BODY_PT, first_chars=2,
                               after=2)
        _run(paragraph, f"（{parts}）" if parts else "", FANGSONG, SOURCE_PT)


def _excerpts(word, pack: Pack) -> None:
    if not pack.topics:
        _empty(word, "摘编（可用 --topic 指定主题）")
    for number, (topic, passages) in enumerate(pack.topics, start=1):
        _subheading(word, f"（{to_chinese(number)}）{topic}")
        if not passages:
            _empty(word, f"“{topic}”段落")
        for passage, source in passages:
            _paragraph(word, passage["text"], SONGTI, BODY_PT, first_chars=2, keep=True)
            _source(word, f"{source.citation()}，{passage['section']}")


def _contributors(word) -> None:
    _paragraph(word, f"供稿单位：{BLANK}", FANGSONG, BODY_PT, align="right")
    _paragraph(word, f"撰稿人：{BLANK}", FANGSONG, BODY_PT, align="right", after=6)
