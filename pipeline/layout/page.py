"""Page set-up: A4 margins, the document grid, page numbers (— 1 —, right on odd pages, left on
even pages), docDefaults and styles at 三号仿宋."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from pipeline.layout.docx_parts import add_run, indent_chars, set_fonts
from pipeline.layout.metrics import (
    BODY_PT,
    CHAR_CONDENSE_TWENTIETHS,
    CHAR_SPACE,
    FANGSONG,
    FOOTER_PT,
    LINE_PITCH_PT,
    LINE_PITCH_TWIPS,
    SONGTI,
)


def add_page_field(paragraph: Paragraph) -> None:
    """``— PAGE —`` with a real PAGE field (4号宋体 digits)."""
    add_run(paragraph, "— ", SONGTI, FOOTER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = add_run(paragraph, "", SONGTI, FOOTER_PT)
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
            run._r.append(node)
        elif text == " PAGE ":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
            run._r.append(node)
        else:
            run.text = text
    add_run(paragraph, " —", SONGTI, FOOTER_PT)


def setup_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(28)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    # Odd pages: number on the right (one character in); even pages: on the left.
    document.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    indent_chars(odd, 0, 0, 1)
    add_page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    indent_chars(even, 0, 1, 0)
    add_page_field(even)


def _setup_defaults(document) -> None:
    """docDefaults at 三号仿宋: LibreOffice sizes the character grid from them, not from Normal."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in list(rpr):
        rpr.remove(child)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FANGSONG)
    rpr.append(fonts)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), str(int(BODY_PT * 2)))
        rpr.append(size)
    condense = OxmlElement("w:spacing")
    condense.set(qn("w:val"), str(CHAR_CONDENSE_TWENTIETHS))
    rpr.insert(1, condense)  # CT_RPr order: rFonts ... spacing ... sz
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    if spacing is not None:
        for attr, value in (("w:after", "0"), ("w:line", str(LINE_PITCH_TWIPS)), ("w:lineRule", "exact")):
            spacing.set(qn(attr), value)


def setup_styles(document) -> None:
    _setup_defaults(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # widow control would leave pages one line short
    for name in ("Footer", "Header"):
        if name in [s.name for s in document.styles]:
            style = document.styles[name]
            style.font.size = Pt(FOOTER_PT)
            set_fonts(style.element, SONGTI)
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
