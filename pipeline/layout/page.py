"""Page set-up: A4 margins, the document grid, page numbers (— 1 —, right on odd pages, left on
even pages), docDefaults and styles at 三号仿宋."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from pipeline.layout.docx_parts import add_border, add_run, indent_chars, set_fonts
from pipeline.layout.metrics import (
    BODY_PT,
    BOTTOM_MARGIN_MM,
    CHAR_CONDENSE_TWENTIETHS,
    CHAR_SPACE,
    FANGSONG,
    FOOTER_DISTANCE_MM,
    FOOTER_PT,
    LEFT_MARGIN_MM,
    LETTER_LINE_LENGTH_MM,
    LINE_PITCH_PT,
    LINE_PITCH_TWIPS,
    PAGE_HEIGHT_MM,
    PAGE_NUMBER_SIDE_INDENT_CHARS,
    PAGE_WIDTH_MM,
    RED_HEX,
    RIGHT_MARGIN_MM,
    SONGTI,
    TEXT_WIDTH_MM,
    TOP_MARGIN_MM,
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


def _section_child(section, tag: str):
    """The section's ``tag`` element (w:docGrid, w:vAlign …), made when it has none."""
    sect_pr = section._sectPr
    found = sect_pr.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        sect_pr.append(found)
    return found


def setup_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MARGIN_MM), Mm(BOTTOM_MARGIN_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MARGIN_MM), Mm(RIGHT_MARGIN_MM)
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_DISTANCE_MM)
    grid = _section_child(section, "w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    # Odd pages: number on the right (one character in); even pages: on the left.
    document.settings.odd_and_even_pages_header_footer = True
    section.footer.is_linked_to_previous = False
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    indent_chars(odd, 0, 0, PAGE_NUMBER_SIDE_INDENT_CHARS)
    add_page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    indent_chars(even, 0, PAGE_NUMBER_SIDE_INDENT_CHARS, 0)
    add_page_field(even)


def letter_first_page(document) -> None:
    """信函格式: the first page shows no page number and closes with a red double line (thin over
    thick, 170 mm long) near the foot of the page."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    rule = section.first_page_footer.paragraphs[0]
    extra = Mm((LETTER_LINE_LENGTH_MM - TEXT_WIDTH_MM) / 2)
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = -extra
    add_border(rule, "bottom", color=RED_HEX, size=18, style="thinThickSmallGap", space=1)


def start_record_page(document) -> None:
    """版记 on the last page, an even one, at its foot: a new section that starts on an even page
    with its text aligned to the bottom of the page (GB/T 9704 7.4). The page carries no number,
    nor does the blank page Writer puts before it when the text ends on an even page (7.5)."""
    section = document.add_section(WD_SECTION.EVEN_PAGE)
    section.different_first_page_header_footer = False  # (a letter's first page has its own footer)
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for paragraph in footer.paragraphs:
            for run in list(paragraph.runs):
                run._r.getparent().remove(run._r)
    _section_child(section, "w:vAlign").set(qn("w:val"), "bottom")


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
