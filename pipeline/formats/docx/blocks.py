"""A .docx body, header or footer walked into blocks in reading order.

Paragraphs (split at manual line breaks, with their list label and dominant style), tables (one
block per row, cells joined by tabs), content controls and text boxes anchored in paragraphs; the
page each block starts on is counted from Word's rendered-page marks or, without them, from page
and section breaks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline.formats.docx.numbering import Numbering, numbering_reference
from pipeline.formats.docx.styles import RunProps, StyleSheet, run_props
from pipeline.formats.docx.wordml import ALIGN, FALSE_VALUES, MC, val, w
from pipeline.model import Block


@dataclass
class PageCounter:
    """Counts pages from page breaks; prefers Word's own rendered-page marks when present."""

    use_rendered: bool
    page: int = 1


def _nearest(element: Any, tag: str) -> Any:
    for ancestor in element.iterancestors():
        if ancestor.tag == tag:
            return ancestor
    return None


class BlockReader:
    def __init__(
        self,
        path: str,
        styles: StyleSheet,
        use_rendered_breaks: bool,
        numbering: Numbering | None = None,
    ):
        self.path = path
        self.styles = styles
        self.numbering = numbering or Numbering(None)
        self.pages = PageCounter(use_rendered_breaks)
        self.blocks: list[Block] = []

    # --- containers ---------------------------------------------------------------------
    def container(self, element: Any, kind: str) -> None:
        """Paragraphs and tables of a body, header, footer, cell or text box, in order."""
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child, kind)
            elif child.tag == w("tbl"):
                self.table(child, kind)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self.container(content if content is not None else child, kind)
            elif child.tag == w("sectPr"):
                continue

    def table(self, table: Any, kind: str) -> None:
        table_kind = "table" if kind == "para" else kind
        for row in table.iter(w("tr")):
            if _nearest(row, w("tbl")) is not table:
                continue  # a nested table's rows are read through their cell
            cells = []
            for cell in row.findall(w("tc")):
                text = " ".join(
                    part for part in (self.plain_text(p) for p in cell.iter(w("p"))) if part.strip()
                )
                cells.append(text.strip())
            self.break_pages_in(row)
            if any(cells):
                style = self.style_of(next(row.iter(w("p")), None))
                self.blocks.append(Block(text="\t".join(cells), page=self.pages.page, kind=table_kind,
                                         font=style[0].font, size=style[0].size, bold=style[0].bold,
                                         color=style[0].color, align=None))  # fmt: skip

    # --- paragraphs ----------------------------------------------------------------------
    def paragraph(self, p: Any, kind: str) -> None:
        for box in self.text_boxes(p):
            self.container(box, kind)
        if self.breaks_before(p):
            self.pages.page += 1
        runs = self.own_runs(p)
        pieces: list[list[tuple[str, RunProps]]] = [[]]
        pending_pages = 0
        base, align = self.style_of(p)
        label = self.list_label(p)
        for run in runs:
            props = self.run_style(run).over(base)
            for child in run:
                tag = child.tag
                if tag == w("t"):
                    pieces[-1].append((child.text or "", props))
                elif tag == w("tab"):
                    pieces[-1].append(("\t", props))
                elif tag in (w("br"), w("cr")):
                    if child.get(w("type")) == "page" and not self.pages.use_rendered:
                        self.emit(pieces, kind, align)
                        pieces = [[]]
                        self.pages.page += 1
                    else:
                        pieces.append([])  # a manual line break: a new block, same style
                elif tag == w("noBreakHyphen"):
                    pieces[-1].append(("-", props))
                elif tag == w("lastRenderedPageBreak") and self.pages.use_rendered:
                    # A paragraph running onto the next page stays one block on its first page.
                    if any(text.strip() for line in pieces for text, _ in line):
                        pending_pages += 1
                    else:
                        self.pages.page += 1
        if label and any(text.strip() for line in pieces for text, _ in line):
            pieces[0].insert(0, (label, base))
        self.emit(pieces, kind, align)
        self.pages.page += pending_pages
        if self.section_break_after(p):
            self.pages.page += 1

    def emit(self, lines: list[list[tuple[str, RunProps]]], kind: str, align: str | None) -> None:
        for line in lines:
            text = "".join(t for t, _ in line).strip()
            if not text:
                continue
            props = dominant(line)
            self.blocks.append(Block(text=text, page=self.pages.page, kind=kind, font=props.font,
                                     size=props.size, bold=props.bold, color=props.color, align=align))  # fmt: skip

    def list_label(self, p: Any) -> str:
        """The automatic number Word draws before this paragraph (一、 （一） 1.), if any."""
        ppr = p.find(w("pPr"))
        num_id, level = numbering_reference(ppr)
        if num_id is None:
            num_id, style_level = self.styles.numbering_of(val(ppr, "pStyle"))
            level = level or style_level
        return self.numbering.label(num_id, level) if num_id else ""

    def style_of(self, p: Any) -> tuple[RunProps, str | None]:
        """Paragraph-level run props (style chain over defaults) and alignment."""
        ppr = p.find(w("pPr")) if p is not None else None
        style_id = val(ppr, "pStyle") or self.styles.default_paragraph
        props, style_align = self.styles.resolve(style_id)
        props = props.over(self.styles.defaults)
        direct_align = ALIGN.get(val(ppr, "jc") or "")
        return props, direct_align or style_align or self.styles.default_align

    def run_style(self, run: Any) -> RunProps:
        rpr = run.find(w("rPr"))
        props = run_props(rpr)
        character_style = val(rpr, "rStyle")
        if character_style:
            props = props.over(self.styles.resolve(character_style)[0])
        return props

    def own_runs(self, p: Any) -> Iterator[Any]:
        """Runs of this paragraph (through hyperlinks, insertions, fields), not of text boxes."""
        for run in p.iter(w("r")):
            if _nearest(run, w("p")) is p and not self._in_fallback(run, p):
                yield run

    @staticmethod
    def _in_fallback(element: Any, stop: Any) -> bool:
        for ancestor in element.iterancestors():
            if ancestor is stop:
                return False
            # The VML copy of a text box, and text a tracked change moved elsewhere
            # (it appears again, as it now reads, inside w:moveTo).
            if ancestor.tag in (f"{{{MC}}}Fallback", w("moveFrom")):
                return True
        return False

    def text_boxes(self, p: Any) -> Iterator[Any]:
        """Text boxes anchored in this paragraph; the VML fallback copy is skipped."""
        for box in p.iter(w("txbxContent")):
            if _nearest(box, w("p")) is p and not self._in_fallback(box, p):
                yield box

    def plain_text(self, p: Any) -> str:
        parts = []
        for run in self.own_runs(p):
            for child in run:
                if child.tag == w("t"):
                    parts.append(child.text or "")
                elif child.tag == w("tab"):
                    parts.append(" ")
        return "".join(parts)

    # --- pages ---------------------------------------------------------------------------
    def breaks_before(self, p: Any) -> bool:
        if self.pages.use_rendered:
            return False
        value = val(p.find(w("pPr")), "pageBreakBefore")
        return value is not None and value.lower() not in FALSE_VALUES

    def section_break_after(self, p: Any) -> bool:
        if self.pages.use_rendered:
            return False
        ppr = p.find(w("pPr"))
        sect = ppr.find(w("sectPr")) if ppr is not None else None
        return sect is not None and (val(sect, "type") or "nextPage") != "continuous"

    def break_pages_in(self, element: Any) -> None:
        if self.pages.use_rendered:
            self.pages.page += sum(1 for _ in element.iter(w("lastRenderedPageBreak")))


def dominant(line: list[tuple[str, RunProps]]) -> RunProps:
    """Per property, the value carried by most visible characters in the line."""
    weights: dict[str, Counter] = {
        "font": Counter(),
        "size": Counter(),
        "bold": Counter(),
        "color": Counter(),
    }
    for text, props in line:
        weight = len(text.strip())
        if not weight:
            continue
        for name, counter in weights.items():
            counter[getattr(props, name)] += weight
    chosen = {
        name: (counter.most_common(1)[0][0] if counter else None)
        for name, counter in weights.items()
    }
    return RunProps(**chosen)
