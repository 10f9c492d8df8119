"""A .docx read into the checker's model (``pipeline.check.docmodel``).

The document is opened once through the project's reader (``pipeline.formats.docx``): its style
sheet resolves every run's fonts script by script (``RunProps.east_asia``/``latin``) and its list
numbering gives the labels Word draws (一、 （一）). Paragraph properties Word inherits one by one
(indents, spacing, grid snapping) are resolved here: direct, then the style chain, then the
document defaults. Sections give the page set-up and grid; footers their text with ``{页}`` for a
PAGE field. Without Word's page marks, pages are estimated on the GB/T 9704 grid.
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.check.docmodel import (
    DocModel,
    FooterLine,
    Para,
    Run,
    Section,
    line_pitch,
    text_width,
)
from pipeline.formats.docx.blocks import BlockReader
from pipeline.formats.docx.numbering import Numbering
from pipeline.formats.docx.package import numbering_root, open_package
from pipeline.formats.docx.styles import StyleSheet
from pipeline.formats.docx.wordml import FALSE_VALUES, val, w
from pipeline.layout.metrics import BODY_PT, CHARS_PER_LINE, LINE_PITCH_PT, LINES_PER_PAGE
from pipeline.model import Block

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


class _Reader:
    def __init__(self, path: str, document: Any):
        self.document = document
        styles_root = _styles_root(document)
        self.sheet = StyleSheet.from_element(styles_root)
        self.defaults_ppr = _find(styles_root, "docDefaults", "pPrDefault", "pPr")
        body = document.element.body
        self.rendered = next(body.iter(w("lastRenderedPageBreak")), None) is not None
        self.blocks = BlockReader(path, self.sheet, self.rendered, Numbering(numbering_root(document)))
        self.theme = _theme_fonts(document)
        self.paras: list[Para] = []
        self.index = 0
        self.section = 0
        self.page = 1

    # paragraph properties, inherited attribute by attribute
    def p_attr(self, p: Any, tag: str, attr: str) -> str | None:
        ppr = p.find(w("pPr"))
        for holder in [ppr, *self._style_pprs(ppr), self.defaults_ppr]:
            node = holder.find(w(tag)) if holder is not None else None
            if node is not None and node.get(w(attr)) is not None:
                return node.get(w(attr))
        return None

    def _style_pprs(self, ppr: Any) -> list[Any]:
        style_id = val(ppr, "pStyle") or self.sheet.default_paragraph
        chain = self.sheet.chain(style_id)
        return [s.element.find(w("pPr")) for s in reversed(chain) if s.element is not None]

    def p_flag(self, p: Any, tag: str) -> bool | None:
        ppr = p.find(w("pPr"))
        for holder in [ppr, *self._style_pprs(ppr), self.defaults_ppr]:
            node = holder.find(w(tag)) if holder is not None else None
            if node is not None:
                return (node.get(w("val")) or "1").lower() not in FALSE_VALUES
        return None

    def container(self, element: Any, where: str) -> None:
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child, where, top=(where == "body"))
            elif child.tag == w("tbl"):
                for cell in child.iter(w("tc")):
                    for p in cell.findall(w("p")):
                        self.paragraph(p, "table", top=False)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self.container(content if content is not None else child, where)

    def paragraph(self, p: Any, where: str, top: bool) -> None:
        for box in self.blocks.text_boxes(p):
            for inner in box.iter(w("p")):
                self.paragraph(inner, "textbox", top=False)
        base, align = self.blocks.style_of(p)
        runs, breaks_after = self.runs(p, base)
        label = self.blocks.list_label(p)
        text = "".join(r.text for r in runs)
        if label and text.strip():
            text = label + text
        para = Para(order=len(self.paras), index=self.index if top else None, text=text,
                    runs=runs, label=label if text.strip() else "", align=align, where=where,
                    section=self.section)
        if top:
            self.index += 1
        self.layout_props(p, para, base.size or BODY_PT)
        if para.page_break_before and not self.rendered:
            self.page += 1
        if self.rendered and p.find(f".//{w('lastRenderedPageBreak')}") is not None:
            leading = _rendered_break_first(p)
            self.page += 1 if leading else 0
        para.page = self.page
        if self.rendered:
            self.page += max(0, _count(p, "lastRenderedPageBreak") - (1 if _rendered_break_first(p) else 0))
        self.page += breaks_after
        para.block = Block(text=text, page=para.page, kind="table" if where == "table" else "para",
                           font=para.font, size=para.size, bold=None, color=para.color, align=align)
        self.paras.append(para)
        ppr = p.find(w("pPr"))
        if ppr is not None and ppr.find(w("sectPr")) is not None:
            self.section += 1
            if not self.rendered and (val(ppr.find(w("sectPr")), "type") or "nextPage") != "continuous":
                self.page += 1

    def runs(self, p: Any, base: Any) -> tuple[list[Run], int]:
        runs: list[Run] = []
        page_breaks = 0
        for run in self.blocks.own_runs(p):
            props = self.blocks.run_style(run).over(base)
            parts = []
            for child in run:
                if child.tag == w("t"):
                    parts.append(child.text or "")
                elif child.tag == w("tab"):
                    parts.append("\t")
                elif child.tag in (w("br"), w("cr")):
                    if child.get(w("type")) == "page" and not self.rendered:
                        page_breaks += 1
                    else:
                        parts.append("\n")
                elif child.tag == w("noBreakHyphen"):
                    parts.append("-")
            if not parts:
                continue
            east_asia, declared = props.east_asia, props.east_asia is not None
            if east_asia is None and props.east_asia_theme:
                east_asia = self.theme.get(props.east_asia_theme)
            runs.append(Run(text="".join(parts), east_asia=east_asia, latin=props.latin,
                            size=props.size, bold=bool(props.bold), color=props.color,
                            declared=declared))
        return runs, page_breaks

    def layout_props(self, p: Any, para: Para, size: float) -> None:
        def chars(name: str) -> float:
            in_chars = self.p_attr(p, "ind", f"{name}Chars")
            if in_chars not in (None, ""):
                return _number(in_chars) / 100
            return _number(self.p_attr(p, "ind", name)) / 20 / size

        para.left_chars = chars("left") or chars("start")
        para.right_chars = chars("right") or chars("end")
        hanging = chars("hanging")
        para.first_chars = -hanging if hanging else chars("firstLine")
        rule = self.p_attr(p, "spacing", "lineRule")
        line = self.p_attr(p, "spacing", "line")
        if line not in (None, ""):
            para.line_rule = rule or "auto"
            para.line_value = _number(line) / (240 if para.line_rule == "auto" else 20)
        para.snap = self.p_flag(p, "snapToGrid") is not False
        para.page_break_before = bool(self.p_flag(p, "pageBreakBefore"))
        ppr = p.find(w("pPr"))
        borders = ppr.find(w("pBdr")) if ppr is not None else None
        for holder in [borders, *(s.find(w("pBdr")) for s in self._style_pprs(ppr) if s is not None)]:
            for edge in holder if holder is not None else []:
                side = edge.tag.rsplit("}", 1)[-1]
                if (edge.get(w("val")) or "none") not in ("none", "nil"):
                    para.borders.setdefault(side, (edge.get(w("color")) or "auto").upper())
        para.shape = p.find(f".//{w('drawing')}") is not None or p.find(f".//{w('pict')}") is not None


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "") else 0.0
    except ValueError:
        return 0.0


def _count(p: Any, tag: str) -> int:
    return sum(1 for _ in p.iter(w(tag)))


def _rendered_break_first(p: Any) -> bool:
    """Word's page mark stands before any text of the paragraph: the paragraph starts a page."""
    for node in p.iter(w("t"), w("lastRenderedPageBreak")):
        if node.tag == w("lastRenderedPageBreak"):
            return True
        if (node.text or "").strip():
            return False
    return False


def _find(root: Any, *path: str) -> Any:
    node = root
    for tag in path:
        node = node.find(w(tag)) if node is not None else None
    return node


def _styles_root(document: Any) -> Any:
    try:
        return document.styles.element
    except (KeyError, ValueError, AttributeError):
        return None


def _theme_fonts(document: Any) -> dict[str, str]:
    """``minorEastAsia``/``majorEastAsia`` → typeface, from the theme (script ``Hans`` when the
    theme leaves the East Asian face empty)."""
    from lxml import etree

    found: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.is_external or not rel.reltype.endswith("/theme"):
            continue
        try:
            root = etree.fromstring(rel.target_part.blob)
        except (etree.XMLSyntaxError, AttributeError, ValueError):
            continue
        for kind in ("minor", "major"):
            fonts = root.find(f".//{{{_A}}}{kind}Font")
            if fonts is None:
                continue
            face = (fonts.find(f"{{{_A}}}ea").get("typeface") if fonts.find(f"{{{_A}}}ea") is not None
                    else "")
            if not face:
                hans = fonts.find(f"{{{_A}}}font[@script='Hans']")
                face = hans.get("typeface") if hans is not None else ""
            if face:
                found[f"{kind}EastAsia"] = face
    return found


def _mm(length: Any) -> float | None:
    return None if length is None else length.mm


def _sections(document: Any) -> list[Section]:
    sections = []
    for section in document.sections:
        grid = section._sectPr.find(w("docGrid"))
        pitch = grid.get(w("linePitch")) if grid is not None else None
        sections.append(Section(
            width_mm=_mm(section.page_width), height_mm=_mm(section.page_height),
            top_mm=_mm(section.top_margin), bottom_mm=_mm(section.bottom_margin),
            left_mm=_mm(section.left_margin), right_mm=_mm(section.right_margin),
            gutter_mm=_mm(section.gutter) or 0.0,
            grid_type=grid.get(w("type")) if grid is not None else None,
            grid_pitch_pt=_number(pitch) / 20 if pitch else None,
            char_space=int(_number(grid.get(w("charSpace")))) if grid is not None else 0,
            page_format=_page_format(section._sectPr)))
    return sections


def _page_format(sect_pr: Any) -> str | None:
    node = sect_pr.find(w("pgNumType"))
    return node.get(w("fmt")) if node is not None else None


def _footer_lines(reader: _Reader, document: Any, even_odd: bool) -> list[FooterLine]:
    lines: list[FooterLine] = []
    for number, section in enumerate(document.sections):
        parts = [("odd" if even_odd else "all", section.footer)]
        if even_odd:
            parts.append(("even", section.even_page_footer))
        if section.different_first_page_header_footer:
            parts.append(("first", section.first_page_footer))
        for kind, footer in parts:
            if footer.is_linked_to_previous and number > 0:
                continue
            element = footer._element
            for p in element.iter(w("p")):
                if BlockReader._in_fallback(p, element):
                    continue  # the VML copy of a text box
                line = _footer_line(reader, p, kind, number)
                if _page_format(section._sectPr) == "numberInDash":  # Word draws the number as "- 1 -"
                    line.text = line.text.replace("{页}", "- {页} -")
                lines.append(line)
    return [line for line in lines if line.text.strip()]


def _footer_line(reader: _Reader, p: Any, kind: str, section: int) -> FooterLine:
    """A footer paragraph's text with ``{页}`` for the result of a PAGE field."""
    base, align = reader.blocks.style_of(p)
    text, runs, depth, in_page = [], [], 0, False
    instruction = ""
    for node in p.iter(w("r"), w("fldSimple")):
        if node.tag == w("fldSimple"):
            if "PAGE" in (node.get(w("instr")) or "").upper().split():
                text.append("{页}")
            continue
        if _inside_simple_field(node, p) or _owner(node) is not p or BlockReader._in_fallback(node, p):
            continue  # a text box's runs are read with its own paragraphs
        for child in node:
            if child.tag == w("fldChar"):
                kind_ = child.get(w("fldCharType"))
                depth += {"begin": 1, "end": -1}.get(kind_, 0)
                if kind_ == "begin":
                    instruction = ""
                elif kind_ == "separate":
                    in_page = "PAGE" in instruction.upper().split()
                    if in_page:
                        text.append("{页}")
                elif kind_ == "end":
                    in_page = False
            elif child.tag == w("instrText"):
                instruction += child.text or ""
            elif child.tag == w("t") and not in_page:
                text.append(child.text or "")
                props = reader.blocks.run_style(node).over(base)
                runs.append(Run(child.text or "", props.east_asia, props.latin, props.size,
                                bool(props.bold), props.color))
    para = Para(order=0, index=None, text="")
    reader.layout_props(p, para, base.size or BODY_PT)
    return FooterLine(kind=kind, section=section, text="".join(text), align=align, runs=runs,
                      left_chars=para.left_chars, right_chars=para.right_chars)


def _owner(node: Any) -> Any:
    return next((a for a in node.iterancestors() if a.tag == w("p")), None)


def _inside_simple_field(run: Any, stop: Any) -> bool:
    for ancestor in run.iterancestors():
        if ancestor is stop:
            return False
        if ancestor.tag == w("fldSimple"):
            return True
    return False


def read_docx_model(path: str, fmt: str = "docx") -> DocModel:
    """The model of a .docx (a ``ParseError`` with the reason when it cannot be opened)."""
    document, _ = open_package(path)
    reader = _Reader(path, document)
    reader.container(document.element.body, "body")
    even_odd = bool(document.settings.odd_and_even_pages_header_footer)
    model = DocModel(path=path, format=fmt, styled=True, paras=reader.paras,
                     sections=_sections(document), even_odd=even_odd,
                     footers=_footer_lines(reader, document, even_odd),
                     pages_known=reader.rendered)
    if not reader.rendered:
        estimate_pages(model)
    return model



def estimate_pages(model: DocModel) -> None:
    """Page of each paragraph on the GB/T 9704 grid (22 lines of 28 characters) and the breaks
    the document sets; a long document without Word's page marks gets no other."""
    capacity = LINES_PER_PAGE * LINE_PITCH_PT + 1
    page, used = 1, 0.0
    breaks_seen = 0
    for para in model.paras:
        if para.where == "textbox":
            para.page = page
            continue
        if para.page is not None and para.page - 1 > breaks_seen:  # explicit breaks the reader counted
            page += para.page - 1 - breaks_seen
            breaks_seen = para.page - 1
            used = 0.0
        section = model.sections[min(para.section, len(model.sections) - 1)] if model.sections else None
        size = para.size or BODY_PT
        room = max(4.0, CHARS_PER_LINE * BODY_PT / size - para.left_chars - para.right_chars)
        lines = max(1, math.ceil((text_width(para.text) + max(para.first_chars, 0)) / room))
        height = lines * line_pitch(para, section)
        if used and used + line_pitch(para, section) > capacity:
            page, used = page + 1, 0.0
        para.page = page
        used += height
        while used > capacity:
            page, used = page + 1, used - capacity + 1
