"""The page's zones in reading order: 版头, title, 纪要 lines, body with its headings, 署名 and
成文日期, attachments, 版记."""

from __future__ import annotations

from docx.text.paragraph import Paragraph

from pipeline.layout.content import Options, format_date, heading_split, mark_lines, secrecy_text
from pipeline.layout.docx_parts import (
    add_border,
    add_paragraph,
    add_right_tab,
    add_run,
    no_grid_snap,
)
from pipeline.layout.metrics import FANGSONG, FOOTER_PT, HEITI, KAITI, RED, TITLE_PT, XIAOBIAOSONG
from pipeline.model import Document

_HEADING_FONTS = {1: HEITI, 2: KAITI}


def header_zone(body, doc: Document, opts: Options) -> None:
    """版头: 份号, 密级, 紧急程度, red organ mark, 文号 (+ 签发人), red separator line."""
    for text in (doc.copy_number, secrecy_text(doc), doc.restricted, doc.urgency):
        if text:
            add_run(add_paragraph(body, "left"), text, HEITI)
    if opts.layout == "plain":
        return
    marks = mark_lines(opts)
    longest = max((len(m) for m in marks), default=1)
    mark_size = max(22.0, min(42.0, 430.0 / longest))
    last = None
    for mark in marks:
        last = add_paragraph(body, "center", exact=False)
        add_run(last, mark, XIAOBIAOSONG, mark_size, color=RED)
    if opts.layout == "letter":
        add_border(last or add_paragraph(body), "bottom", size=18, style="thickThinSmallGap", space=6)
        if opts.doc_number:
            last = add_paragraph(body, "right", right_chars=1)
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
        if doc.signer:  # upward documents: 文号 left, 签发人 right
            last = add_paragraph(body, "left", left_chars=1)
            add_right_tab(last)
            add_run(last, opts.doc_number + "\t")
            add_run(last, "签发人：")
            add_run(last, "、".join(doc.signer), KAITI)
        else:
            last = add_paragraph(body, "center")
            add_run(last, opts.doc_number)
    if last is not None:
        add_border(last, "bottom", size=12, space=8)
    add_paragraph(body)


def title_zone(body, doc: Document, opts: Options) -> None:
    if doc.title:
        add_run(no_grid_snap(add_paragraph(body, "center")), doc.title, XIAOBIAOSONG, TITLE_PT)
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


def _body_paragraph(body, text: str) -> None:
    paragraph = add_paragraph(body, "justify", first_chars=2)
    split = heading_split(text)
    if split is None or split[0] not in _HEADING_FONTS:
        add_run(paragraph, text)
        return
    level, heading, rest = split
    add_run(paragraph, heading, _HEADING_FONTS[level])
    if rest:
        add_run(paragraph, rest)


def main_zone(body, doc: Document, paragraphs: list[str]) -> None:
    if doc.recipients:
        add_run(add_paragraph(body, "left"), "、".join(doc.recipients) + "：")
    for text in paragraphs:
        _body_paragraph(body, text)
    if doc.attachments:
        add_paragraph(body)
        for index, item in enumerate(doc.attachments):
            paragraph = add_paragraph(body, "left", first_chars=2) if index == 0 else add_paragraph(body, "left", left_chars=5)
            add_run(paragraph, ("附件：" if index == 0 else "") + item)


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


def record_zone(body, doc: Document) -> None:
    """版记: 主题词, 抄送, 印发机关 and 印发日期, between thick and thin lines."""
    rows: list[Paragraph] = []
    if doc.keywords or doc.cc or doc.issued_by or doc.issued_date:
        add_paragraph(body)
        add_paragraph(body)
    if doc.keywords:
        row = add_paragraph(body, "left")
        add_run(row, "主题词：", HEITI)
        add_run(row, "　".join(doc.keywords))
        rows.append(row)
    if doc.cc:
        row = add_paragraph(body, "left", left_chars=1, right_chars=1)
        add_run(row, "抄送：" + "，".join(doc.cc) + "。", FANGSONG, FOOTER_PT)
        rows.append(row)
    if doc.issued_by or doc.issued_date:
        row = add_paragraph(body, "left", left_chars=1)
        add_right_tab(row)
        add_run(row, doc.issued_by or "", FANGSONG, FOOTER_PT)
        if doc.issued_date:
            add_run(row, "\t" + format_date(doc.issued_date) + "印发", FANGSONG, FOOTER_PT)
        rows.append(row)
    for index, row in enumerate(rows):
        add_border(row, "top", "000000", 8 if index == 0 else 4, space=1)
        if index == len(rows) - 1:
            add_border(row, "bottom", "000000", 8, space=1)
