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

Where each job is done: ``metrics`` (the page in numbers), ``content`` (options, organ-mark lines,
dates as printed, heading markers), ``plain`` (``render_text``), ``docx_parts`` (runs, paragraphs,
indents, borders), ``page`` (page set-up, page numbers, styles), ``zones`` (版头 … 版记),
``convert`` (LibreOffice); this module writes the .docx and is the public API.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as new_docx

from pipeline.layout.content import ISO_DATE, LAYOUTS, format_date, heading_split, resolve_options
from pipeline.layout.convert import convert_many, docx_to
from pipeline.layout.metrics import FANGSONG, HEITI, KAITI, LINE_PITCH_PT, SONGTI, XIAOBIAOSONG
from pipeline.layout.page import letter_first_page, setup_page, setup_styles, start_record_page
from pipeline.layout.plain import render_text
from pipeline.layout.zones import (
    attachment_zone,
    header_zone,
    main_zone,
    meeting_zone,
    record_zone,
    signature_zone,
    title_zone,
)
from pipeline.model import Document

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


def write_docx(doc: Document, path: str | Path, *, organ_mark: list[str] | None = None,
               layout: str = "standard", doc_number_as_typed: str | None = None,
               date_style: str = "arabic", issue: str | None = None, subtitle: str | None = None,
               record_page: str = "flow") -> Path:
    """Render ``doc`` as a GB/T 9704-2012 .docx at ``path`` (see the module docstring).

    ``record_page="even"`` puts the 版记 at the foot of an even page of its own (the last page,
    GB/T 9704 7.4); ``"flow"`` writes it right after the text."""
    opts, paragraphs = resolve_options(doc, organ_mark, layout, doc_number_as_typed, date_style, issue, subtitle)
    document = new_docx()
    setup_styles(document)
    setup_page(document)
    body = document
    # python-docx's template starts with no paragraphs; everything is appended in reading order.
    header_zone(body, doc, opts)
    title_zone(body, doc, opts)
    if doc.meeting:
        meeting_zone(body, doc)
    main_zone(body, doc, paragraphs, speech=opts.is_speech)
    signature_zone(body, doc, opts)
    if opts.layout == "letter":  # 信函格式: the first page closes with a red double line
        letter_first_page(document)
    attachment_zone(body, doc)
    has_record = bool(doc.keywords or doc.cc or doc.issued_by or doc.issued_date)
    if has_record and record_page == "even":
        start_record_page(document)
    record_zone(body, doc, gap=record_page != "even", lines=opts.layout != "letter")
    core = document.core_properties
    core.title = doc.title or ""
    core.author = core.last_modified_by = "、".join(doc.issuer or doc.signature)
    core.comments = ""
    if doc.date and ISO_DATE.match(doc.date):  # python-docx's template would otherwise stamp 2013
        from datetime import datetime

        year, month, day = (int(part) for part in doc.date.split("-"))
        core.created = core.modified = datetime(year, month, day, 9, 0)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path
