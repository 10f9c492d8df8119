"""The page's zones in reading order: 版头, title, 纪要 lines, body with its headings, 署名 and
成文日期, attachments, 版记."""

from __future__ import annotations

import math
import re

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from pipeline.layout.content import Options, format_date, heading_split, mark_lines, secrecy_text
from pipeline.layout.docx_parts import (
    add_border,
    add_paragraph,
    add_right_tab,
    add_run,
    no_grid_snap,
)
from pipeline.layout.metrics import (
    ATTACHMENT_NOTE_INDENT_CHARS,
    DOC_NUMBER_LINES_BELOW_MARK,
    FANGSONG,
    FOOTER_PT,
    HEITI,
    KAITI,
    LETTER_LINE_LENGTH_MM,
    LINE_PITCH_PT,
    LINES_PER_PAGE,
    ORGAN_MARK_MAX_PT,
    ORGAN_MARK_MIN_PT,
    ORGAN_MARK_TOP_MM,
    RECORD_INNER_LINE_MM,
    RECORD_OUTER_LINE_MM,
    RECORD_SIDE_INDENT_CHARS,
    RED,
    SEPARATOR_BELOW_NUMBER_MM,
    TEXT_WIDTH_MM,
    TITLE_CHARS_PER_LINE,
    TITLE_LINES_BELOW_SEPARATOR,
    TITLE_PT,
    UPWARD_INDENT_CHARS,
    XIAOBIAOSONG,
    eighths_of_point,
)
from pipeline.model import Document
from pipeline.text.segment import word_edges

_HEADING_FONTS = {1: HEITI, 2: KAITI}
_MM_PER_PT = 25.4 / 72


def _mark_size(marks: list[str]) -> float:
    """As large as the longest line allows within the 版心, between the title size and 42 pt."""
    longest = max((len(m) for m in marks), default=1)
    fits = TEXT_WIDTH_MM / _MM_PER_PT / longest * 0.95
    return max(ORGAN_MARK_MIN_PT, min(ORGAN_MARK_MAX_PT, round(fits, 1)))


def _letter_wide(paragraph: Paragraph) -> None:
    """The 信函格式's red lines are 170 mm long: wider than the 版心 by 7 mm on each side."""
    extra = Mm((LETTER_LINE_LENGTH_MM - TEXT_WIDTH_MM) / 2)
    paragraph.paragraph_format.left_indent = -extra
    paragraph.paragraph_format.right_indent = -extra


def header_zone(body, doc: Document, opts: Options) -> None:
    """版头: 份号, 密级, 紧急程度, red organ mark (35 mm below the top of the 版心), 文号 two lines
    below it (+ 签发人), red separator 4 mm below the 文号, two lines above the title."""
    above = 0
    for text in (doc.copy_number, secrecy_text(doc), doc.restricted, doc.urgency):
        if text:
            add_run(add_paragraph(body, "left"), text, HEITI)
            above += 1
    if opts.layout == "plain":
        return
    marks = mark_lines(opts)
    mark_size = _mark_size(marks)
    last = None
    for index, mark in enumerate(marks):
        last = add_paragraph(body, "center", exact=False)
        if index == 0 and opts.layout != "letter":
            last.paragraph_format.space_before = Mm(max(0.0, ORGAN_MARK_TOP_MM - above * LINE_PITCH_PT * _MM_PER_PT))
        add_run(last, mark, XIAOBIAOSONG, mark_size, color=RED)
    if opts.layout == "letter":
        rule = last or add_paragraph(body)
        _letter_wide(rule)
        add_border(rule, "bottom", size=18, style="thickThinSmallGap", space=6)
        if opts.doc_number:
            last = add_paragraph(body, "right")
            add_run(last, opts.doc_number)
        add_paragraph(body)
        return
    if opts.issue:
        last = add_paragraph(body, "center")
        add_run(last, opts.issue)
    if opts.layout == "bulletin":  # 简报 masthead: editing organ left, date right
        date = format_date(doc.date, opts.date_style)
        if doc.signature or date:
            last = add_paragraph(body, "left", left_chars=1)
            add_right_tab(last)
            add_run(last, "、".join(doc.signature))
            add_run(last, "\t" + date)
    if opts.doc_number:
        for _ in range(DOC_NUMBER_LINES_BELOW_MARK if marks else 0):
            add_paragraph(body)
        if doc.signer:  # upward documents: 文号 left, 签发人 right
            last = add_paragraph(body, "left", left_chars=UPWARD_INDENT_CHARS)
            add_right_tab(last, UPWARD_INDENT_CHARS)
            add_run(last, opts.doc_number + "\t")
            add_run(last, "签发人：")
            add_run(last, "、".join(doc.signer), KAITI)
        else:
            last = add_paragraph(body, "center")
            add_run(last, opts.doc_number)
    if last is None:
        return
    add_border(last, "bottom", size=12, space=round(SEPARATOR_BELOW_NUMBER_MM / _MM_PER_PT))
    for _ in range(TITLE_LINES_BELOW_SEPARATOR):
        add_paragraph(body)


def title_lines(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """The title broken into lines of about equal length at word boundaries (7.3.1: 回行时要做到
    词意完整，排列对称); one line when it fits."""
    if len(title) <= per_line or re.search(r"\s", title):  # a title with its own spaces keeps them
        return [title]
    count = math.ceil(len(title) / per_line)
    edges = sorted(word_edges(title))
    lines, start = [], 0
    for index in range(1, count):
        goal = round(len(title) * index / count)
        fitting = [e for e in edges if start < e <= start + per_line and len(title) - e <= per_line * (count - index)]
        cut = min(fitting or [min(start + per_line, len(title))], key=lambda e: (abs(e - goal), -e))
        lines.append(title[start:cut])
        start = cut
    lines.append(title[start:])
    return [line for line in lines if line]


def title_zone(body, doc: Document, opts: Options) -> None:
    if doc.title:
        paragraph = no_grid_snap(add_paragraph(body, "center"))
        for index, line in enumerate(title_lines(doc.title)):
            run = add_run(paragraph, line, XIAOBIAOSONG, TITLE_PT)
            if index:
                run._r.insert(0, OxmlElement("w:br"))  # a line break inside the one title paragraph
    if opts.subtitle:
        add_run(add_paragraph(body, "center"), opts.subtitle, KAITI)
    if doc.adoption_note:
        add_run(add_paragraph(body, "center"), doc.adoption_note, KAITI)
    if opts.is_speech:
        date = format_date(doc.date, opts.date_style)
        if date:
            add_run(add_paragraph(body, "center"), f"（{date}）", KAITI)
        if doc.signature:
            add_run(add_paragraph(body, "center"), "　".join(doc.signature), KAITI)
    add_paragraph(body)


def meeting_zone(body, doc: Document) -> None:
    """纪要 header lines: a 黑体 label, then the value."""
    for key, value in doc.meeting.items():
        paragraph = add_paragraph(body, "justify", first_chars=2)
        add_run(paragraph, f"{key}：", HEITI)
        add_run(paragraph, value)


def _body_paragraph(body, text: str, salutation: bool = False) -> None:
    """A paragraph of the text; a speech's salutation (各位代表、同志们：) stands flush left."""
    paragraph = add_paragraph(body, "justify", first_chars=0 if salutation else 2)
    split = heading_split(text)
    if split is None or split[0] not in _HEADING_FONTS:
        add_run(paragraph, text)
        return
    level, heading, rest = split
    add_run(paragraph, heading, _HEADING_FONTS[level])
    if rest:
        add_run(paragraph, rest)


def is_salutation(text: str) -> bool:
    return text.endswith(("：", ":")) and len(text) <= 30 and "。" not in text


def main_zone(body, doc: Document, paragraphs: list[str], speech: bool = False) -> None:
    if doc.recipients:
        add_run(add_paragraph(body, "left"), "、".join(doc.recipients) + "：")
    for index, text in enumerate(paragraphs):
        _body_paragraph(body, text, salutation=speech and index == 0 and is_salutation(text))
    if doc.attachments:  # 附件说明: one line below the text, two characters in, numbered when several
        add_paragraph(body)
        several = len(doc.attachments) > 1
        for index, item in enumerate(doc.attachments):
            label = f"{index + 1}." if several and not re.match(r"^\d+[.．]", item) else ""
            paragraph = (add_paragraph(body, "left", first_chars=ATTACHMENT_NOTE_INDENT_CHARS) if index == 0
                         else add_paragraph(body, "left", left_chars=ATTACHMENT_NOTE_INDENT_CHARS + 3))
            add_run(paragraph, ("附件：" if index == 0 else "") + label + item)


def signature_zone(body, doc: Document, opts: Options) -> None:
    """署名 centred over 成文日期; the date right-aligned four characters in."""
    date = format_date(doc.date, opts.date_style)
    if not opts.is_speech and opts.layout != "bulletin" and (doc.signature or date):
        add_paragraph(body)
        add_paragraph(body)
        for name in doc.signature:
            indent = max(2.0, 4 + (len(date) - len(name)) / 2) if date else 2.0
            add_run(add_paragraph(body, "right", right_chars=indent), name)
        if date:
            add_run(add_paragraph(body, "right", right_chars=4), date)
    if doc.note:
        add_run(add_paragraph(body, "justify", first_chars=2), doc.note)


def attachment_zone(body, doc: Document) -> None:
    """Each attachment on a new page: ``附件1`` (黑体) top left, its title, then its text."""
    for attachment in doc.attachment_docs:
        label = add_paragraph(body, "left")
        label.paragraph_format.page_break_before = True
        add_run(label, attachment.label, HEITI)
        add_paragraph(body)
        if attachment.title:
            add_run(no_grid_snap(add_paragraph(body, "center")), attachment.title, XIAOBIAOSONG, TITLE_PT)
            add_paragraph(body)
        for text in (t for t in attachment.text.split("\n") if t.strip()):
            _body_paragraph(body, text.strip())


def record_rows(doc: Document) -> int:
    """Lines the 版记 takes (抄送 may wrap): what a 版记 page leaves above it."""
    usable = TEXT_WIDTH_MM / (FOOTER_PT * _MM_PER_PT) - 2 * RECORD_SIDE_INDENT_CHARS
    rows = 1 if doc.keywords else 0
    if doc.cc:
        rows += math.ceil(len("抄送：" + "，".join(doc.cc) + "。") / int(usable))
    return rows + (1 if doc.issued_by or doc.issued_date else 0)


def record_zone(body, doc: Document, gap: bool = True, lines: bool = True) -> None:
    """版记: 主题词, 抄送, 印发机关 and 印发日期, between thick and thin lines (``lines``: not in a
    letter). After two blank lines when ``gap``; else it has a page of its own and stands at the
    page's foot (blank lines fill the page above it: the grid is exact)."""
    rows: list[Paragraph] = []
    if not (doc.keywords or doc.cc or doc.issued_by or doc.issued_date):
        return
    for _ in range(2 if gap else LINES_PER_PAGE - record_rows(doc) - 1):
        add_paragraph(body)
    if doc.keywords:
        row = add_paragraph(body, "left")
        add_run(row, "主题词：", HEITI)
        add_run(row, "　".join(doc.keywords))
        rows.append(row)
    if doc.cc:
        row = add_paragraph(body, "left", left_chars=RECORD_SIDE_INDENT_CHARS, right_chars=RECORD_SIDE_INDENT_CHARS)
        add_run(row, "抄送：" + "，".join(doc.cc) + "。", FANGSONG, FOOTER_PT)
        rows.append(row)
    if doc.issued_by or doc.issued_date:
        row = add_paragraph(body, "left", left_chars=RECORD_SIDE_INDENT_CHARS)
        add_right_tab(row, RECORD_SIDE_INDENT_CHARS)
        add_run(row, doc.issued_by or "", FANGSONG, FOOTER_PT)
        if doc.issued_date:
            add_run(row, "\t" + format_date(doc.issued_date) + "印发", FANGSONG, FOOTER_PT)
        rows.append(row)
    if not lines:
        return
    outer, inner = eighths_of_point(RECORD_OUTER_LINE_MM), eighths_of_point(RECORD_INNER_LINE_MM)
    for index, row in enumerate(rows):
        # The lines run the full width of the 版心 while the rows are indented: each line is the
        # border of a paragraph of its own, one point high.
        _rule_before(row, outer if index == 0 else inner)
    _rule_after(rows[-1], outer)


def _rule(size: int) -> OxmlElement:
    rule = OxmlElement("w:p")
    ppr = OxmlElement("w:pPr")
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    spacing = OxmlElement("w:spacing")
    for attr, value in (("w:before", "0"), ("w:after", "0"), ("w:line", "20"), ("w:lineRule", "exact")):
        spacing.set(qn(attr), value)
    borders = OxmlElement("w:pBdr")
    edge = OxmlElement("w:top")
    for attr, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "0"), ("w:color", "000000")):
        edge.set(qn(attr), value)
    borders.append(edge)
    ppr.extend([snap, borders, spacing])
    rule.append(ppr)
    return rule


def _rule_before(row: Paragraph, size: int) -> None:
    row._p.addprevious(_rule(size))


def _rule_after(row: Paragraph, size: int) -> None:
    row._p.addnext(_rule(size))
