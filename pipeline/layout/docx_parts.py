"""python-docx building blocks: runs with every script's font, paragraphs on the line grid,
indents in characters, borders, right tab stops."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from pipeline.layout.metrics import BODY_PT, FANGSONG, LINE_PITCH_PT, TEXT_WIDTH_MM


def set_fonts(rpr_owner, name: str) -> None:
    """Set every script's font; eastAsia is what Word uses for Chinese characters."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def add_run(paragraph: Paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT,
         bold: bool = False, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    set_fonts(run._r, font)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    return run


def add_paragraph(container, align: str | None = None, first_chars: float = 0, left_chars: float = 0,
          right_chars: float = 0, exact: bool = True) -> Paragraph:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(LINE_PITCH_PT)
    else:  # large organ marks would be clipped by an exact line height
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align:
        fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                         "left": WD_ALIGN_PARAGRAPH.LEFT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    if first_chars or left_chars or right_chars:
        indent_chars(paragraph, first_chars, left_chars, right_chars)
    return paragraph


def indent_chars(paragraph: Paragraph, first: float, left: float, right: float) -> None:
    """Indents in characters (w:*Chars, what Word's 字符 unit writes) plus the twip fallback."""
    ppr = paragraph._p.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    twips_per_char = BODY_PT * 20
    for chars, attr in ((first, "firstLine"), (left, "left"), (right, "right")):
        if chars:
            ind.set(qn(f"w:{attr}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{attr}"), str(round(chars * twips_per_char)))


def add_border(paragraph: Paragraph, side: str, color: str = "FF0000", size: int = 12, style: str = "single",
            space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # pBdr must precede spacing/ind/jc in CT_PPr; inserting after pStyle/keepNext is close enough
        ppr.insert(0, borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), style)
    edge.set(qn("w:sz"), str(size))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def add_right_tab(paragraph: Paragraph, chars_from_right: float = 1) -> None:
    position = Mm(TEXT_WIDTH_MM) - Pt(BODY_PT * chars_from_right)
    paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def no_grid_snap(paragraph: Paragraph) -> Paragraph:
    """LibreOffice gives 22 pt lines two grid lines when they snap; Word keeps them on one."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)
    return paragraph
