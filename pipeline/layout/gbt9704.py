"""GB/T 9704-2012 renderer: a ``Document`` written as a properly laid-out .docx (and as text).

Public API (kept stable; the drafting stage calls ``write_docx``):

``write_docx(doc, path, *, organ_mark=None, layout="standard", doc_number_as_typed=None,
date_style="arabic", issue=None, subtitle=None) -> Path``
    Render ``doc`` into ``path`` with python-docx. ``organ_mark`` is the list of 发文机关标志
    (joint documents: several; default ``doc.issuer``), ``layout`` one of ``standard`` (红头文件,
    adds 文件), ``letter`` (信函格式: red organ name, red double line, 文号 right), ``minutes``
    (纪要格式: red ``…会议纪要`` mark, then the title and the ``doc.meeting`` lines 时间/地点/主持人/
    出席/请假/列席 with 黑体 labels), ``plain`` (no 版头: speeches, summaries; a speech shows
    ``subtitle``, ``（date）`` and the speaker from ``doc.signature`` under its title) or
    ``bulletin`` (简报: red masthead, ``issue`` such as ``第12期``, editing organ and date). ``doc_number_as_typed`` prints a differently written 发文字号 (e.g. wrong
    brackets) while ``doc.doc_number`` stays the gold. ``date_style`` is ``arabic``
    (2024年6月28日) or ``chinese`` (二〇二四年六月二十八日). Text is written as given, so unfilled
    placeholders such as ``【待填：……】`` stay visible.

``render_text(doc, ...) -> str``
    The same document as plain text lines in reading order (same keyword arguments).

``docx_to(path_docx, fmt, out_dir, timeout=120) -> Path`` and ``convert_many(paths, fmt, out_dir)``
    LibreOffice conversions (pdf, doc, wps) with a private profile per call.

Page set-up: A4; margins 37/35/28/26 mm (top/bottom/left/right); body 三号仿宋 (16 pt); exact
line pitch 28.95 pt and a ``linesAndChars`` document grid giving 22 lines of 28 characters;
title 二号小标宋 (22 pt); level-1 headings 黑体, level-2 楷体; page numbers ``— 1 —`` in 4号宋体,
right on odd pages and left on even pages.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document as new_docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from pipeline.model import Document
from pipeline.text.numerals import to_chinese

__all__ = [
    "FANGSONG",
    "HEITI",
    "KAITI",
    "LAYOUTS",
    "LINE_PITCH_PT",
    "SONGTI",
    "XIAOBIAOSONG",
    "convert_many",
    "docx_to",
    "format_date",
    "heading_split",
    "render_text",
    "write_docx",
]

FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = 16.0
TITLE_PT = 22.0
FOOTER_PT = 14.0  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 210 - 28 - 26  # 156
TEXT_HEIGHT_MM = 297 - 37 - 35  # 225
LINE_PITCH_TWIPS = 579  # 28.95 pt: 22 lines fill the 225 mm text block
LINE_PITCH_PT = LINE_PITCH_TWIPS / 20
CHAR_PITCH_PT = TEXT_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # ≈ 15.79 pt
# Word's own GB/T 9704 templates squeeze 16 pt characters into the 15.79 pt grid with a
# negative w:charSpace (-848). LibreOffice, which makes every PDF here, then gives each character
# two grid cells (14 characters a line). Condensing the characters by 0.25 pt (w:spacing -5)
# over a zero charSpace gives 28 characters a line in LibreOffice, as the layout test proves.
CHAR_SPACE = 0
CHAR_CONDENSE_TWENTIETHS = -5  # 16 - 0.25 = 15.75 pt advance <= CHAR_PITCH_PT
LAYOUTS = ("standard", "letter", "minutes", "plain", "bulletin")

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_LEVEL_PATTERNS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十百]+）")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^（\d+）")),
)
_HEADING_FONTS = {1: HEITI, 2: KAITI}


# ---------------------------------------------------------------- text helpers
def format_date(iso: str | None, style: str = "arabic") -> str:
    """``2024-06-28`` as ``2024年6月28日`` or ``二〇二四年六月二十八日``; '' for None."""
    if not iso:
        return ""
    if not _ISO.match(iso):  # e.g. a draft's 【待填：成文日期】: print it as it is
        return iso
    year, month, day = (int(part) for part in iso.split("-"))
    if style == "chinese":
        return f"{to_chinese(year, 'digits')}年{to_chinese(month)}月{to_chinese(day)}日"
    return f"{year}年{month}月{day}日"


def heading_split(paragraph: str) -> tuple[int, str, str] | None:
    """``(level, heading, rest)`` when the paragraph starts with a heading marker, else None.

    A run-in heading ends at the first full stop (``一、加强监督。正文……``); a paragraph
    without a full stop inside it is a whole-paragraph heading (``rest`` is empty).
    """
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.match(paragraph):
            stop = paragraph.find("。")
            if 0 <= stop < len(paragraph) - 1:
                return level, paragraph[: stop + 1], paragraph[stop + 1 :]
            return level, paragraph, ""
    return None


def _organ_lines(doc: Document, organ_mark: list[str] | None) -> list[str]:
    return [m for m in (organ_mark if organ_mark is not None else doc.issuer) if m]


def _secrecy_text(doc: Document) -> str | None:
    if not doc.secrecy:
        return None
    return doc.secrecy.level + (f"★{doc.secrecy.term}" if doc.secrecy.term else "")


@dataclass
class _Options:
    organ_mark: list[str]
    layout: str
    doc_number: str | None
    date_style: str
    issue: str | None  # 第×期 for minutes and bulletins
    subtitle: str | None  # ——在……上的讲话 (speeches)

    @property
    def is_speech(self) -> bool:
        return self.layout == "plain" and self.subtitle is not None


def _options(doc: Document, organ_mark: list[str] | None, layout: str, doc_number_as_typed: str | None,
             date_style: str, issue: str | None, subtitle: str | None) -> tuple[_Options, list[str]]:
    """Resolved options and the body paragraphs that remain after pulling out a subtitle line."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    paragraphs = list(doc.paragraphs) or [p for p in doc.body.split("\n") if p.strip()]
    if subtitle is None and layout == "plain" and paragraphs and paragraphs[0].startswith("——"):
        subtitle, paragraphs = paragraphs[0], paragraphs[1:]
    if subtitle is None and layout == "plain" and doc.genre == "讲话稿":
        subtitle = ""
    return _Options(_organ_lines(doc, organ_mark), layout, doc_number_as_typed or doc.doc_number,
                    date_style, issue, subtitle), paragraphs


def _mark_lines(opts: _Options) -> list[str]:
    """The red 发文机关标志 lines: ``…文件`` (standard), ``…会议纪要`` (minutes), else as given."""
    if opts.layout == "standard":
        return [m if m.endswith("文件") else m + "文件" for m in opts.organ_mark]
    if opts.layout == "minutes":
        return [m if m.endswith("纪要") else m + "会议纪要" for m in opts.organ_mark]
    return list(opts.organ_mark)


# ---------------------------------------------------------------- plain text
def render_text(doc: Document, *, organ_mark: list[str] | None = None, layout: str = "standard",
                doc_number_as_typed: str | None = None, date_style: str = "arabic",
                issue: str | None = None, subtitle: str | None = None) -> str:
    """The document as text lines in reading order (what a .txt export of the .docx holds)."""
    opts, paragraphs = _options(doc, organ_mark, layout, doc_number_as_typed, date_style, issue, subtitle)
    date = format_date(doc.date, date_style)
    lines: list[str] = []
    lines += [x for x in (doc.copy_number, _secrecy_text(doc), doc.restricted, doc.urgency) if x]
    if opts.layout in ("standard", "letter", "minutes", "bulletin"):
        lines += _mark_lines(opts)
        if opts.issue:
            lines.append(opts.issue)
        if opts.layout == "bulletin" and (doc.signature or date):
            lines.append("　　".join(x for x in ("、".join(doc.signature), date) if x))
        if opts.doc_number:
            signer = f"　　签发人：{'、'.join(doc.signer)}" if doc.signer else ""
            lines.append(opts.doc_number + signer)
        lines.append("")
    if doc.title:
        lines.append(doc.title)
    if opts.subtitle:
        lines.append(opts.subtitle)
    if doc.adoption_note:
        lines.append(doc.adoption_note)
    if opts.is_speech:
        lines += [x for x in (f"（{date}）" if date else "", "　".join(doc.signature)) if x]
    lines.append("")
    lines += [f"{key}：{value}" for key, value in doc.meeting.items()]
    if doc.recipients:
        lines.append("、".join(doc.recipients) + "：")
    lines += ["　　" + p for p in paragraphs]
    if doc.attachments:
        lines.append("")
        lines += [("　　附件：" if i == 0 else "　　　　　") + a for i, a in enumerate(doc.attachments)]
    if not opts.is_speech and opts.layout != "bulletin":
        lines.append("")
        lines += list(doc.signature)
        if date:
            lines.append(date)
    if doc.note:
        lines.append("　　" + doc.note)
    for attachment in doc.attachment_docs:
        lines += ["", attachment.label] + ([attachment.title] if attachment.title else [])
        lines += ["　　" + t.strip() for t in attachment.text.split("\n") if t.strip()]
    lines += _record_lines(doc)
    return "\n".join(lines).rstrip("\n") + "\n"


def _record_lines(doc: Document) -> list[str]:
    """版记 as text: 主题词, 抄送, 印发机关 + 印发日期."""
    lines: list[str] = []
    if doc.keywords:
        lines.append("主题词：" + "　".join(doc.keywords))
    if doc.cc:
        lines.append("抄送：" + "，".join(doc.cc) + "。")
    if doc.issued_by or doc.issued_date:
        lines.append("　　".join(x for x in (doc.issued_by, format_date(doc.issued_date) + "印发"
                                             if doc.issued_date else "") if x))
    return ([""] + lines) if lines else []


# ---------------------------------------------------------------- docx primitives
def _set_fonts(rpr_owner, name: str) -> None:
    """Set every script's font; eastAsia is what Word uses for Chinese characters."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _run(paragraph: Paragraph, text: str, font: str = FANGSONG, size: float = BODY_PT,
         bold: bool = False, color: RGBColor | None = None):
    run = paragraph.add_run(text)
    _set_fonts(run._r, font)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color is not None:
        run.font.color.rgb = color
    return run


def _para(container, align: str | None = None, first_chars: float = 0, left_chars: float = 0,
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
        _indent_chars(paragraph, first_chars, left_chars, right_chars)
    return paragraph


def _indent_chars(paragraph: Paragraph, first: float, left: float, right: float) -> None:
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


def _border(paragraph: Paragraph, side: str, color: str = "FF0000", size: int = 12, style: str = "single",
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


def _right_tab(paragraph: Paragraph, chars_from_right: float = 1) -> None:
    position = Mm(TEXT_WIDTH_MM) - Pt(BODY_PT * chars_from_right)
    paragraph.paragraph_format.tab_stops.add_tab_stop(position, WD_TAB_ALIGNMENT.RIGHT)


def _page_field(paragraph: Paragraph) -> None:
    """``— PAGE —`` with a real PAGE field (4号宋体 digits)."""
    _run(paragraph, "— ", SONGTI, FOOTER_PT)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _run(paragraph, "", SONGTI, FOOTER_PT)
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
    _run(paragraph, " —", SONGTI, FOOTER_PT)


# ---------------------------------------------------------------- page set-up
def _setup_page(document) -> None:
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
    _indent_chars(odd, 0, 0, 1)
    _page_field(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    _indent_chars(even, 0, 1, 0)
    _page_field(even)


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


def _setup_styles(document) -> None:
    _setup_defaults(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, FANGSONG)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.widow_control = False  # widow control would leave pages one line short
    for name in ("Footer", "Header"):
        if name in [s.name for s in document.styles]:
            style = document.styles[name]
            style.font.size = Pt(FOOTER_PT)
            _set_fonts(style.element, SONGTI)
            style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


# ---------------------------------------------------------------- zones
def _header_zone(body, doc: Document, opts: _Options) -> None:
    """版头: 份号, 密级, 紧急程度, red organ mark, 文号 (+ 签发人), red separator line."""
    for text in (doc.copy_number, _secrecy_text(doc), doc.restricted, doc.urgency):
        if text:
            _run(_para(body, "left"), text, HEITI)
    if opts.layout == "plain":
        return
    marks = _mark_lines(opts)
    longest = max((len(m) for m in marks), default=1)
    mark_size = max(22.0, min(42.0, 430.0 / longest))
    last = None
    for mark in marks:
        last = _para(body, "center", exact=False)
        _run(last, mark, XIAOBIAOSONG, mark_size, color=RED)
    if opts.layout == "letter":
        _border(last or _para(body), "bottom", size=18, style="thickThinSmallGap", space=6)
        if opts.doc_number:
            last = _para(body, "right", right_chars=1)
            _run(last, opts.doc_number)
        _para(body)
        return
    if opts.issue:
        last = _para(body, "center")
        _run(last, opts.issue)
    if opts.layout == "bulletin":  # 简报 masthead: editing organ left, date right
        date = format_date(doc.date, opts.date_style)
        if doc.signature or date:
            last = _para(body, "left", left_chars=1)
            _right_tab(last)
            _run(last, "、".join(doc.signature))
            _run(last, "\t" + date)
    if opts.doc_number:
        if doc.signer:  # upward documents: 文号 left, 签发人 right
            last = _para(body, "left", left_chars=1)
            _right_tab(last)
            _run(last, opts.doc_number + "\t")
            _run(last, "签发人：")
            _run(last, "、".join(doc.signer), KAITI)
        else:
            last = _para(body, "center")
            _run(last, opts.doc_number)
    if last is not None:
        _border(last, "bottom", size=12, space=8)
    _para(body)


def _no_grid_snap(paragraph: Paragraph) -> Paragraph:
    """LibreOffice gives 22 pt lines two grid lines when they snap; Word keeps them on one."""
    ppr = paragraph._p.get_or_add_pPr()
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert(0, snap)
    return paragraph


def _title_zone(body, doc: Document, opts: _Options) -> None:
    if doc.title:
        _run(_no_grid_snap(_para(body, "center")), doc.title, XIAOBIAOSONG, TITLE_PT)
    if opts.subtitle:
        _run(_para(body, "center"), opts.subtitle, KAITI)
    if doc.adoption_note:
        _run(_para(body, "center"), doc.adoption_note, KAITI)
    if opts.is_speech:
        date = format_date(doc.date, opts.date_style)
        if date:
            _run(_para(body, "center"), f"（{date}）", KAITI)
        if doc.signature:
            _run(_para(body, "center"), "　".join(doc.signature), KAITI)
    _para(body)


def _meeting_zone(body, doc: Document) -> None:
    """纪要 header lines: a 黑体 label, then the value."""
    for key, value in doc.meeting.items():
        paragraph = _para(body, "justify", first_chars=2)
        _run(paragraph, f"{key}：", HEITI)
        _run(paragraph, value)


def _body_paragraph(body, text: str) -> None:
    paragraph = _para(body, "justify", first_chars=2)
    split = heading_split(text)
    if split is None or split[0] not in _HEADING_FONTS:
        _run(paragraph, text)
        return
    level, heading, rest = split
    _run(paragraph, heading, _HEADING_FONTS[level])
    if rest:
        _run(paragraph, rest)


def _main_zone(body, doc: Document, paragraphs: list[str]) -> None:
    if doc.recipients:
        _run(_para(body, "left"), "、".join(doc.recipients) + "：")
    for text in paragraphs:
        _body_paragraph(body, text)
    if doc.attachments:
        _para(body)
        for index, item in enumerate(doc.attachments):
            paragraph = _para(body, "left", first_chars=2) if index == 0 else _para(body, "left", left_chars=5)
            _run(paragraph, ("附件：" if index == 0 else "") + item)


def _signature_zone(body, doc: Document, opts: _Options) -> None:
    """署名 centred over 成文日期; the date right-aligned four characters in."""
    date = format_date(doc.date, opts.date_style)
    if not opts.is_speech and opts.layout != "bulletin" and (doc.signature or date):
        _para(body)
        _para(body)
        for name in doc.signature:
            indent = max(2.0, 4 + (len(date) - len(name)) / 2) if date else 2.0
            _run(_para(body, "right", right_chars=indent), name)
        if date:
            _run(_para(body, "right", right_chars=4), date)
    if doc.note:
        _run(_para(body, "justify", first_chars=2), doc.note)


def _attachment_zone(body, doc: Document) -> None:
    """Each attachment on a new page: ``附件1`` (黑体) top left, its title, then its text."""
    for attachment in doc.attachment_docs:
        label = _para(body, "left")
        label.paragraph_format.page_break_before = True
        _run(label, attachment.label, HEITI)
        _para(body)
        if attachment.title:
            _run(_no_grid_snap(_para(body, "center")), attachment.title, XIAOBIAOSONG, TITLE_PT)
            _para(body)
        for text in (t for t in attachment.text.split("\n") if t.strip()):
            _body_paragraph(body, text.strip())


def _record_zone(body, doc: Document) -> None:
    """版记: 主题词, 抄送, 印发机关 and 印发日期, between thick and thin lines."""
    rows: list[Paragraph] = []
    if doc.keywords or doc.cc or doc.issued_by or doc.issued_date:
        _para(body)
        _para(body)
    if doc.keywords:
        row = _para(body, "left")
        _run(row, "主题词：", HEITI)
        _run(row, "　".join(doc.keywords))
        rows.append(row)
    if doc.cc:
        row = _para(body, "left", left_chars=1, right_chars=1)
        _run(row, "抄送：" + "，".join(doc.cc) + "。", FANGSONG, FOOTER_PT)
        rows.append(row)
    if doc.issued_by or doc.issued_date:
        row = _para(body, "left", left_chars=1)
        _right_tab(row)
        _run(row, doc.issued_by or "", FANGSONG, FOOTER_PT)
        if doc.issued_date:
            _run(row, "\t" + format_date(doc.issued_date) + "印发", FANGSONG, FOOTER_PT)
        rows.append(row)
    for index, row in enumerate(rows):
        _border(row, "top", "000000", 8 if index == 0 else 4, space=1)
        if index == len(rows) - 1:
            _border(row, "bottom", "000000", 8, space=1)


def write_docx(doc: Document, path: str | Path, *, organ_mark: list[str] | None = None,
               layout: str = "standard", doc_number_as_typed: str | None = None,
               date_style: str = "arabic", issue: str | None = None, subtitle: str | None = None) -> Path:
    """Render ``doc`` as a GB/T 9704-2012 .docx at ``path`` (see the module docstring)."""
    opts, paragraphs = _options(doc, organ_mark, layout, doc_number_as_typed, date_style, issue, subtitle)
    document = new_docx()
    _setup_styles(document)
    _setup_page(document)
    body = document
    # python-docx's template starts with no paragraphs; everything is appended in reading order.
    _header_zone(body, doc, opts)
    _title_zone(body, doc, opts)
    if doc.meeting:
        _meeting_zone(body, doc)
    _main_zone(body, doc, paragraphs)
    _signature_zone(body, doc, opts)
    if opts.layout == "letter":  # 信函格式 closes with a red double line (thin over thick)
        _para(body)
        _border(_para(body), "bottom", size=18, style="thinThickSmallGap", space=1)
    _attachment_zone(body, doc)
    _record_zone(body, doc)
    core = document.core_properties
    core.title = doc.title or ""
    core.author = core.last_modified_by = "、".join(doc.issuer or doc.signature)
    core.comments = ""
    if doc.date and _ISO.match(doc.date):  # python-docx's template would otherwise stamp 2013
        from datetime import datetime

        year, month, day = (int(part) for part in doc.date.split("-"))
        core.created = core.modified = datetime(year, month, day, 9, 0)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


# ---------------------------------------------------------------- LibreOffice
_FILTERS = {"pdf": "pdf:writer_pdf_Export", "doc": "doc:MS Word 97", "wps": "wps:MS Word 97",
            "docx": "docx:MS Word 2007 XML", "odt": "odt"}


def _soffice() -> str:
    found = os.environ.get("GONGWEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise RuntimeError("未安装 LibreOffice（soffice），无法转换格式")
    return found


def convert_many(paths: Iterable[str | Path], fmt: str, out_dir: str | Path, timeout: float = 600) -> list[Path]:
    """Convert many .docx files with one soffice call (start-up dominates the cost).

    .wps uses LibreOffice's Word 97 filter under the .wps name: WPS Office reads and writes
    such OLE2 Word files, and many real .wps files are exactly that.
    """
    sources = [Path(p).resolve() for p in paths]
    if not sources:
        return []
    if fmt not in _FILTERS:
        raise ValueError(f"unsupported target format {fmt!r}")
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongwen-lo-") as work:
        command = [_soffice(), f"-env:UserInstallation={Path(work, 'profile').as_uri()}", "--headless",
                   "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   "--convert-to", _FILTERS[fmt], "--outdir", str(out), *map(str, sources)]
        env = dict(os.environ, HOME=work, SAL_USE_VCLPLUGIN="svp")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work,
                                   env=env, start_new_session=True)
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError(f"LibreOffice 转换超时（超过 {timeout:g} 秒）") from exc
    results = [out / f"{src.stem}.{fmt}" for src in sources]
    missing = [r.name for r in results if not r.exists() or r.stat().st_size == 0]
    if missing:
        detail = stderr.decode("utf-8", "replace").strip()[-300:]
        raise RuntimeError(f"LibreOffice 未能生成：{'、'.join(missing)}（{detail}）")
    return results


def docx_to(path_docx: str | Path, fmt: str, out_dir: str | Path, timeout: float = 120) -> Path:
    """Convert one .docx to ``fmt`` (pdf, doc, wps) in ``out_dir``; the path written."""
    return convert_many([path_docx], fmt, out_dir, timeout=timeout)[0]
