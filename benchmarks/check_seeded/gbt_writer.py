"""Lay a ``Spec`` out as a GB/T 9704-2012 .docx with python-docx (independent of pipeline/layout).

Page: A4, margins top 37 / bottom 35 / left 28 / right 26 mm, text block 156 × 225 mm, a
``linesAndChars`` grid of 22 lines × 28 characters (line pitch 28.95 pt).  Every paragraph has an
exact line height of one grid line (the 发文机关标志 two), so the writer can count lines and put the
版记 at the foot of the last even page.  Fonts are declared on every run, East Asian slot included
(w:eastAsia), because the machine that builds the set has none of them installed.

``render(spec)`` returns the python-docx ``Document`` and, for every body paragraph in
``Document.paragraphs`` order, a reference naming the element it holds (``"title"``, ``"docnum"``,
``("body", 3)``…); seeders use these references to say where they planted an error.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import jieba
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from texts import Block, Spec, arabic_date

jieba.setLogLevel(60)

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"

LINE = 28.95                 # pt: 225 mm / 22 lines
LINES_PER_PAGE = 22
PAGE_TEXT_H = LINES_PER_PAGE * LINE
TEXT_W = 156 / 25.4 * 72     # pt
CHARS_PER_LINE = 28
CHAR_TWIPS = 316             # one grid character (15.79 pt) in twips
BODY_PT = 16
TITLE_PT = 22
BANJI_PT = 14
RED = "FF0000"

Ref = str | tuple


@dataclass
class Placed:
    ref: Ref
    text: str


@dataclass
class Layout:
    """Page set-up values a seeder may change (a correct document keeps the defaults)."""

    page_w_mm: float = 210
    page_h_mm: float = 297
    top_mm: float = 37
    bottom_mm: float = 35
    left_mm: float = 28
    right_mm: float = 26


@dataclass
class Writer:
    doc: DocxDocument
    template: bool = False
    placed: list[Placed] = field(default_factory=list)
    page: int = 1
    used: float = 0.0            # pt used on the current page (estimate)
    break_next: bool = False     # the next paragraph begins a new page

    # ------------------------------------------------------------------ low level

    def para(self, ref: Ref, runs: list[tuple[str, str, float]] | str = "", *, align: str = "both",
             first: float = 0, left: float = 0, right: float = 0, hanging: float = 0,
             line: float = LINE, snap: bool = True, before: float = 0, extra: float = 0,
             style: str | None = None, color: str | None = None, width_pt: float = BODY_PT,
             lines: int | None = None) -> Paragraph:
        """Append one paragraph. ``runs`` is text (body font) or (text, font, size) triples;
        indents are in grid characters; ``extra`` is height added by borders (pt)."""
        p = self.doc.add_paragraph(style=style)
        if isinstance(runs, str):
            runs = [(runs, FANGSONG, BODY_PT)] if runs else []
        for text, font, size in runs:
            parts = text.split("\n")
            run = p.add_run(parts[0])
            for more in parts[1:]:
                run.add_break()
                run.add_text(more)
            if not style or font != FANGSONG or size != BODY_PT:
                set_font(run, font, size, color)
        if not style:
            fmt_para(p, align=align, first=first, left=left, right=right, hanging=hanging,
                     line=line, snap=snap, before=before)
        self.take_break(p)
        text = "".join(t for t, _, _ in runs)
        self.placed.append(Placed(ref, text))
        if lines is None:
            lines = count_lines(text, first, left, right, hanging, width_pt, snap)
        self.advance(lines, line, before + extra)
        return p

    def advance(self, lines: int, line: float, extra: float = 0) -> None:
        self.used += extra
        for _ in range(lines):
            if self.used + line > PAGE_TEXT_H + 0.5:
                self.page += 1
                self.used = 0.0
            self.used += line

    def blank(self, ref: Ref = "blank") -> None:
        self.para(ref, "", lines=1)

    def new_page(self) -> None:
        """The next paragraph starts a page (it carries ``pageBreakBefore``: a separate break
        paragraph would take a line of its own and could itself spill onto the next page)."""
        self.page += 1
        self.used = 0.0
        self.break_next = True

    def take_break(self, p: Paragraph) -> None:
        if self.break_next:
            p.paragraph_format.page_break_before = True
            reorder_ppr(p._p.get_or_add_pPr())
            self.break_next = False

    # ------------------------------------------------------------------ 版头

    def mark(self, text: str) -> None:
        """发文机关标志: red 小标宋, horizontally compressed when long; its top 35 mm below the
        top of the text block (three grid lines of space plus half the two-line height)."""
        size = 36.0
        scale = min(100, int(TEXT_W * 0.96 / (len(text) * size) * 100))
        p = self.para("mark", [(text, XIAOBIAOSONG, size)], align="center", line=2 * LINE,
                      snap=False, before=3 * LINE, color=RED, lines=1)
        if scale < 100:
            for run in p.runs:
                w = OxmlElement("w:w")
                w.set(qn("w:val"), str(scale))
                run._r.get_or_add_rPr().append(w)

    def docnum_line(self, spec: Spec, upward: bool) -> None:
        """发文字号 (centred; on 上行文 one character in from the left with 签发人 one character in
        from the right) and, as its bottom border, the red separator line 4 mm below it."""
        if upward and spec.signer:
            runs = [(spec.doc_number + "\t签发人：", FANGSONG, BODY_PT), (spec.signer, KAITI, BODY_PT)]
            p = self.para("docnum", runs, align="left", left=1, right=1, extra=8)
            add_tab(p, TEXT_W - BODY_PT, "right")
        elif upward:
            p = self.para("docnum", spec.doc_number, align="left", left=1, extra=8)
        else:
            p = self.para("docnum", spec.doc_number, align="center", extra=8)
        add_border(p, "bottom", "single", 12, RED, space=6)

    def masthead(self, spec: Spec) -> None:
        self.mark(spec.organ_mark + spec.mark_suffix)
        self.blank()
        self.docnum_line(spec, spec.layout == "upward")
        self.blank()

    def letter_head(self, spec: Spec) -> None:
        """信函格式: the organ's name in red, a red double line under it, 文号 right-aligned."""
        self.mark(spec.organ_mark)
        p = self.doc.paragraphs[-1]
        add_border(p, "bottom", "thickThinSmallGap", 24, RED, space=4)
        self.used += 8
        self.para("docnum", spec.doc_number, align="right", right=1)
        self.blank()

    def minutes_head(self, spec: Spec) -> None:
        """纪要格式, modelled plainly: a red ``……会议纪要`` masthead, the issue number, the
        issuing office and date above a red line; no 文号."""
        kind = re.search(r"(主任会议|党组会议|会议)纪要$", spec.title)
        organ = spec.organ_mark.replace("中共", "")
        meeting = kind.group(1) if kind else "会议"
        if organ.endswith("党组") and meeting.startswith("党组"):   # not 党组党组会议纪要
            meeting = meeting[2:]
        self.mark(f"{organ}{meeting}纪要")
        serial = re.search(r"〔\d{4}〕(\d+)号", spec.doc_number)
        self.para("issue", f"第{serial.group(1)}期" if serial else "", align="center")
        date = self.date_text(spec)
        p = self.para("minutes_issuer", [(spec.issued_by or spec.signature[0], FANGSONG, BODY_PT),
                                          ("\t" + date, FANGSONG, BODY_PT)],
                      align="left", left=1, right=1, extra=8)
        add_tab(p, TEXT_W - BODY_PT, "right")
        add_border(p, "bottom", "single", 12, RED, space=6)
        self.blank()

    # ------------------------------------------------------------------ 主体

    def title(self, spec: Spec) -> None:
        lines = split_title(spec.title)
        if self.template:
            # the template's Title style: its own 小标宋 font, 35 pt lines, space after
            self.para("title", "\n".join(lines), style="Title", lines=len(lines), line=35,
                      extra=28.7)
        else:
            self.para("title", [("\n".join(lines), XIAOBIAOSONG, TITLE_PT)], align="center",
                      snap=False, lines=len(lines))
        if spec.subtitle:
            self.para("subtitle", [(spec.subtitle, KAITI, BODY_PT)], align="center",
                      style="Author" if self.template else None)
        if spec.layout == "speech":
            self.para("speech_date", [(f"（{self.date_text(spec)}）", KAITI, BODY_PT)],
                      align="center", style="Author" if self.template else None)
            self.para("speaker", [(spec.signature[0], KAITI, BODY_PT)], align="center",
                      style="Author" if self.template else None)
        if spec.adoption_note:
            self.para("adoption_note", [(spec.adoption_note, KAITI, BODY_PT)], align="center")
        if not self.template or spec.layout != "speech":
            self.blank()

    def recipients(self, spec: Spec) -> None:
        if spec.recipients:
            self.para("recipients", "、".join(spec.recipients) + spec.recipient_colon,
                      align="both")

    def body(self, blocks: list[Block]) -> None:
        for k, b in enumerate(blocks):
            self.block(("body", k), b)

    def block(self, ref: Ref, b: Block) -> None:
        if b.role == "salutation":
            self.para(ref, b.text, align="both")
            return
        if self.template and b.level and not b.runin:
            # the template numbers its heading styles itself: the text goes in without its number
            style = {1: "Heading 2", 2: "Heading 3", 3: "Heading 4", 4: "Heading 5"}[b.level]
            text = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)", "",
                          b.text)
            self.para(ref, [(text, FANGSONG, BODY_PT)], style=style, left=2)
            return
        font = {1: HEITI, 2: KAITI}.get(b.level, FANGSONG)
        if b.level and b.runin:
            head, tail = split_runin(b.text)
            runs = [(head, font, BODY_PT)] + ([(tail, FANGSONG, BODY_PT)] if tail else [])
        else:
            runs = [(b.text, font, BODY_PT)]
        style = "Normal" if self.template else None
        if style:
            runs = [(t, f, s) if f != FANGSONG else (t, FANGSONG, BODY_PT) for t, f, s in runs]
        self.para(ref, runs, align="both", first=2, style=style)

    def attachment_note(self, spec: Spec) -> None:
        """附件说明: one blank line under the body, two characters in; several attachments are
        numbered and their names aligned under the first."""
        if not spec.attachment_note:
            return
        self.blank()
        names = spec.attachment_note
        if len(names) == 1:
            self.para(("attach_note", 0), "附件：" + names[0], left=5, hanging=3)
            return
        for k, name in enumerate(names):
            label = "附件：" if k == 0 else ""
            numbered = name if re.match(r"^\d+\.", name) else f"{k + 1}.{name}"
            if k == 0:
                self.para(("attach_note", k), label + numbered, left=5, hanging=3)
            else:
                self.para(("attach_note", k), numbered, left=5)

    def signature_date(self, spec: Spec) -> None:
        """署名 centred over the 成文日期, which is four characters in from the right."""
        if spec.layout in ("speech", "minutes") or spec.date is None:
            return
        date = self.date_text(spec)
        if spec.signature:
            self.blank()
            self.blank()
            sig = spec.signature[0]
            right = 4 + (text_width(date) - text_width(sig)) / 2
            self.para("signature", sig, align="right", right=max(right, 2))
        self.para("date", date, align="right", right=4)
        if spec.note:
            self.para("note", spec.note, first=2)

    def date_text(self, spec: Spec) -> str:
        return spec.date_text or (arabic_date(spec.date) if spec.date else "")

    def attendance(self, spec: Spec) -> None:
        """纪要: 出席/请假/列席 lines under the body, label in 黑体, names aligned after the colon."""
        rows = [(k, spec.meeting[k]) for k in ("出席", "请假", "列席") if spec.meeting.get(k)]
        if not rows:
            return
        self.blank()
        for label, names in rows:
            self.para(("meeting", label), [(label + "：", HEITI, BODY_PT), (names, FANGSONG, BODY_PT)],
                      left=5, hanging=3)

    def attachments(self, spec: Spec) -> None:
        """附件: each on a new page, ``附件`` / ``附件N`` in 黑体 at the top left, then its title."""
        many = len(spec.attachments) > 1
        for k, att in enumerate(spec.attachments):
            self.new_page()
            label = f"附件{k + 1}" if many else "附件"
            self.para(("attach", k, "label"), [(label, HEITI, BODY_PT)], align="left")
            self.blank()
            self.para(("attach", k, "title"), [("\n".join(split_title(att.title)),
                                                 XIAOBIAOSONG, TITLE_PT)],
                      align="center", snap=False, lines=len(split_title(att.title)))
            self.blank()
            for j, b in enumerate(att.blocks):
                if b.role == "list":
                    self.para(("attach", k, j), b.text, first=2)
                else:
                    self.block(("attach", k, j), b)

    # ------------------------------------------------------------------ 版记

    def banji(self, spec: Spec) -> None:
        """版记 at the foot of the last even page: 抄送 (one character in on both sides,
        continuation under the text after the colon), then 印发机关 and 印发日期, between a thick
        first line, thin lines between rows and a thick last line."""
        rows: list[tuple[str, list]] = []
        if spec.cc:
            rows.append(("cc", [("抄送：" + "，".join(spec.cc) + "。", FANGSONG, BANJI_PT)]))
        if spec.issued_by:
            issued = spec.issued_text or (arabic_date(spec.issued_date) + "印发")
            rows.append(("issued", [(spec.issued_by + "\t" + issued, FANGSONG, BANJI_PT)]))
        if not rows:
            return
        if spec.banji_swapped:
            rows.reverse()
        heights = []
        for ref, runs in rows:
            text = runs[0][0]
            n = count_lines(text, 0, 1, 1, 3 if ref == "cc" else 0, BANJI_PT, True)
            heights.append(n * LINE + 4)
        need = sum(heights)
        if self.page % 2 == 1 or self.used + need > PAGE_TEXT_H + 0.5:
            # move to the next even page (through an empty odd page when needed)
            self.new_page()
            if self.page % 2 == 1:
                self.blank("banji_space")
                self.new_page()
        free = PAGE_TEXT_H - self.used - need
        # one line kept free: the count of lines is an estimate, and a 版记 pushed onto a page
        # of its own would be far worse than one a line above the foot
        for _ in range(max(0, int(free // LINE) - 1)):
            self.blank("banji_space")
        for k, (ref, runs) in enumerate(rows):
            if ref == "cc":
                p = self.para("cc", runs, left=4, right=1, hanging=3, width_pt=BANJI_PT, extra=4)
            else:
                p = self.para("issued", runs, align="left", left=1, right=1, width_pt=BANJI_PT,
                              extra=4)
                add_tab(p, TEXT_W - BODY_PT, "right")
            if k == 0:
                add_border(p, "top", "single", 8, "000000", space=1)
            add_border(p, "bottom", "single", 8 if k == len(rows) - 1 else 4, "000000", space=1)

    # ------------------------------------------------------------------ 页码

    def page_numbers(self) -> None:
        write_page_numbers(self.doc, "— ", " —")


# ---------------------------------------------------------------------------- render


def render(spec: Spec, template: Path | None = None) -> tuple[DocxDocument, list[Placed]]:
    doc = template_document(template) if spec.template and template else new_document()
    w = Writer(doc, template=spec.template)
    if spec.layout in ("standard", "upward") or spec.speech_header:
        w.masthead(spec)
    elif spec.layout == "letter":
        w.letter_head(spec)
    elif spec.layout == "minutes":
        w.minutes_head(spec)
    w.title(spec)
    w.recipients(spec)
    w.body(spec.blocks)
    w.attachment_note(spec)
    w.signature_date(spec)
    w.attendance(spec)
    w.attachments(spec)
    w.banji(spec)
    w.page_numbers()
    return doc, w.placed


def new_document() -> DocxDocument:
    doc = Document()
    setup_page(doc, Layout())
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = FANGSONG
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FANGSONG)
    ppr = normal.element.get_or_add_pPr()
    widow = OxmlElement("w:widowControl")
    widow.set(qn("w:val"), "0")
    ppr.insert(0, widow)
    normal.paragraph_format.line_spacing = Pt(LINE)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    return doc


def setup_page(doc: DocxDocument, lay: Layout) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(lay.page_w_mm), Mm(lay.page_h_mm)
    s.top_margin, s.bottom_margin = Mm(lay.top_mm), Mm(lay.bottom_mm)
    s.left_margin, s.right_margin = Mm(lay.left_mm), Mm(lay.right_mm)
    s.header_distance, s.footer_distance = Mm(15), Mm(21)
    set_grid(doc, 579, -849)


def set_grid(doc: DocxDocument, line_pitch: int, char_space: int | None) -> None:
    sect = doc.sections[0]._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars" if char_space is not None else "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))
    if char_space is not None:
        grid.set(qn("w:charSpace"), str(char_space))
    sect.append(grid)


TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def template_document(dotx: Path) -> DocxDocument:
    """The GB/T 9704 Word template as a document: .dotx → .docx by its content type, its sample
    text removed (the section properties and styles stay), its footers rewritten below."""
    buf = io.BytesIO()
    with zipfile.ZipFile(dotx) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(TEMPLATE_MAIN.encode(), DOCUMENT_MAIN.encode())
            dst.writestr(item, data)
    buf.seek(0)
    doc = Document(buf)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    # the template numbers pages "- 1 -" through a page-number format; ours are written out
    for pg in doc.sections[0]._sectPr.findall(qn("w:pgNumType")):
        pg.attrib.pop(qn("w:fmt"), None)
    return doc


# ---------------------------------------------------------------------------- helpers


def set_font(run, font: str, size: float, color: str | None = None) -> None:
    run.font.size = Pt(size)
    run.font.name = font
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)


def fmt_para(p: Paragraph, *, align: str = "both", first: float = 0, left: float = 0,
             right: float = 0, hanging: float = 0, line: float = LINE, snap: bool = True,
             before: float = 0) -> None:
    p.alignment = {"both": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    pf = p.paragraph_format
    if line:
        pf.line_spacing = Pt(line)
    pf.space_before = Pt(before)
    pf.space_after = Pt(0)
    ind = OxmlElement("w:ind")
    for name, chars in (("left", left), ("right", right), ("firstLine", first),
                        ("hanging", hanging)):
        if chars or (name == "firstLine" and not hanging):
            # an explicit zero first-line indent: a template's Normal style may indent it
            ind.set(qn(f"w:{name}Chars"), str(round(chars * 100)))
            ind.set(qn(f"w:{name}"), str(round(chars * CHAR_TWIPS)))
    ppr = p._p.get_or_add_pPr()
    ppr.append(ind)
    if not snap:
        el = OxmlElement("w:snapToGrid")
        el.set(qn("w:val"), "0")
        ppr.append(el)
    reorder_ppr(ppr)


PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
             "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
             "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
             "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
             "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
             "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def reorder_ppr(ppr) -> None:
    """Keep pPr children in schema order (Word rejects files where they are not)."""
    rank = {qn("w:" + n): i for i, n in enumerate(PPR_ORDER)}
    kids = sorted(ppr, key=lambda el: rank.get(el.tag, 99))
    for el in kids:
        ppr.remove(el)
        ppr.append(el)


def add_border(p: Paragraph, side: str, val: str, size: int, color: str, space: int = 0) -> None:
    ppr = p._p.get_or_add_pPr()
    bdr = ppr.find(qn("w:pBdr"))
    if bdr is None:
        bdr = OxmlElement("w:pBdr")
        ppr.append(bdr)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(size))
    el.set(qn("w:space"), str(space))
    el.set(qn("w:color"), color)
    if side == "top":
        bdr.insert(0, el)
    else:
        bdr.append(el)
    reorder_ppr(ppr)


def add_tab(p: Paragraph, pos_pt: float, kind: str) -> None:
    ppr = p._p.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), kind)
    tab.set(qn("w:pos"), str(int(pos_pt * 20)))
    tabs.append(tab)
    ppr.append(tabs)
    reorder_ppr(ppr)


def clear(element) -> None:
    for child in list(element):
        element.remove(child)


def write_page_numbers(doc: DocxDocument, before: str, after: str) -> None:
    """Page numbers ``before``N``after`` in the footers: odd pages right, even pages left, one
    character in from the edge of the text block."""
    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        clear(footer._element)
        p = footer.add_paragraph()
        fmt_para(p, align=align, left=1 if align == "left" else 0,
                 right=1 if align == "right" else 0, line=0, snap=False)
        page_number_runs(p, before, after)


def page_number_runs(p: Paragraph, before: str, after: str) -> None:
    """``before`` PAGE ``after`` in 4号 (14 pt) 宋体, the number as a PAGE field."""
    def run(text: str = ""):
        r = p.add_run(text)
        set_font(r, SONGTI, 14)
        return r

    run(before)
    for kind in ("begin", None, "separate", "end"):
        r = run()
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            r._r.append(instr)
        else:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
            if kind == "separate":
                r2 = run("1")
                del r2
    run(after)


def text_width(text: str) -> float:
    """Width in grid characters: full-width 1, half-width (ASCII) ½."""
    return sum(0.5 if ord(c) < 0x2000 else 1 for c in text)


NO_LINE_START = set("，。、；：？！）》”’〕】…—")


def count_lines(text: str, first: float, left: float, right: float, hanging: float,
                size: float, snap: bool) -> int:
    """Lines a paragraph takes, breaking greedily as a word processor does: on the grid every
    Chinese character takes a cell (28 a line), off the grid (titles) as many characters as fit
    their size; a run of digits or Latin letters is not broken and is set off by a quarter of a
    character on each side; closing punctuation never starts a line (the character before it
    moves down with it)."""
    if not text:
        return 1
    per_line = CHARS_PER_LINE if snap else math.floor(TEXT_W / size)
    total = 0
    for part in text.split("\n"):
        tokens = re.findall(r"[A-Za-z0-9.%]+|.", part)
        limit = per_line - left - right - first + hanging
        lines, used, prev = 1, 0.0, 0.0
        for tok in tokens:
            w = 0.5 * len(tok) + 0.5 if len(tok) > 1 or tok.isascii() else text_width(tok)
            if used + w > limit + 1e-6:
                lines += 1
                limit = per_line - left - right
                used = prev if tok in NO_LINE_START else 0.0
            used += w
            prev = w
        total += lines
    return total


def split_runin(text: str) -> tuple[str, str]:
    """A run-in heading's own sentence (set in the heading's font) and the text after it."""
    m = re.match(r"^(.{2,40}?[。：])(.*)$", text)
    if not m:
        return text, ""
    return m.group(1), m.group(2)


TITLE_CHARS = math.floor(TEXT_W / TITLE_PT)


def split_title(title: str) -> list[str]:
    """Title lines of at most 20 characters, broken between words (never inside brackets,
    quotes or a number), as even in length as the words allow, the longer lines first."""
    if text_width(title) <= TITLE_CHARS:
        return [title]
    cuts = allowed_cuts(title)
    for n in range(math.ceil(text_width(title) / TITLE_CHARS), 5):
        best: tuple[float, list[int]] | None = None
        for combo in combos(cuts, n - 1):
            bounds = [0, *combo, len(title)]
            widths = [text_width(title[a:b]) for a, b in itertools.pairwise(bounds)]
            if max(widths) > TITLE_CHARS:
                continue
            # even lines, then a gentle top-heavy (trapezoid) shape
            score = max(widths) - min(widths) + sum(0.01 for a, b in itertools.pairwise(widths)
                                                    if b > a)
            if best is None or score < best[0]:
                best = (score, list(combo))
        if best is not None:
            bounds = [0, *best[1], len(title)]
            return [title[a:b] for a, b in itertools.pairwise(bounds)]
    return [title[i:i + TITLE_CHARS] for i in range(0, len(title), TITLE_CHARS)]


PROTECTED = re.compile(r"《[^》]*》|“[^”]*”|（[^）]*）|〔[^〕]*〕|第[一二三四五六七八九十百零〇\d]+[届次期批个号条款项]"
                       r"|[\d.]+[年月日个项号%]|\d+|[一二三四五六七八九十]+[届次个项]")


def allowed_cuts(title: str) -> list[int]:
    """Word boundaries (jieba) that are not inside a bracket, a quotation, a number or an
    ordinal such as 第十八届, and that do not leave the genre word alone on the last line."""
    inside = set()
    for m in PROTECTED.finditer(title):
        if m.group().startswith("《") and len(m.group()) > 12:
            continue          # a long book title may break between its words
        inside.update(range(m.start() + 1, m.end()))
    words = jieba.lcut(title)
    pos, cuts = 0, []
    for word, after in itertools.pairwise(words):
        pos += len(word)
        # a one-character word (区, 届, 的) stays with the word before it
        if (pos not in inside and len(after) > 1 and len(title) - pos > 3
                and title[pos - 1] not in "《“（〔" and title[pos] not in "》”）〕、，"):
            cuts.append(pos)
    return cuts


def combos(items: list[int], k: int):
    if k == 0:
        yield ()
        return
    for i, x in enumerate(items):
        for rest in combos(items[i + 1:], k - 1):
            yield (x, *rest)


def save(doc: DocxDocument, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


__all__ = [
    "Layout",
    "Placed",
    "clear",
    "fmt_para",
    "page_number_runs",
    "render",
    "save",
    "set_font",
    "set_grid",
    "setup_page",
    "split_title",
    "text_width",
    "write_page_numbers",
]
