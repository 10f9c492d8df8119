"""The 归档文件目录 (archive catalogue) as xlsx, csv or docx, with 档号 assigned on the way.

Columns after DA/T 22: 序号, 档号, 文号, 责任者, 题名, 日期 (YYYYMMDD), 密级, 页数, 备注. Classified
documents never appear (they are quarantined at ingest, and checked again here).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.archive.codes import ArchivalClass, assign, organ_code, year_of
from pipeline.home import Home
from pipeline.model import Document, shown_title
from pipeline.settings import load_config

COLUMNS = ("序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注")
FORMATS = ("xlsx", "csv", "docx")
SHEET_TITLE = "归档文件目录"


def _current_documents(home: Home) -> Iterator[tuple[str, Document, dict[str, Any]]]:
    """(id, Document, classify meta) of every current, active document, corrections applied."""
    from pipeline.archive.catalog import connect, current_rows, load_row

    conn = connect(home)
    try:
        for row in current_rows(conn):
            doc, meta = load_row(conn, row)
            yield row["id"], doc, meta
    finally:
        conn.close()


def _retention_code(doc: Document, meta: dict[str, Any], own_organs: list[str]) -> str:
    retention = meta.get("retention") or {}
    if isinstance(retention, dict) and retention.get("code") in ("Y", "D30", "D10"):
        return retention["code"]
    from pipeline.classify.retention import suggest

    return suggest(doc, meta.get("genre") or doc.genre, meta.get("topics") or [], own_organs)["code"]


def _remark(doc: Document, meta: dict[str, Any]) -> str:
    notes = []
    if meta.get("restricted") or doc.restricted:
        notes.append(meta.get("restricted") or doc.restricted)
    if year_of(doc) == "0000":
        notes.append("日期不详")
    if doc.attachments:
        notes.append(f"附件{len(doc.attachments)}件")
    return "；".join(notes)


def _compact_date(doc: Document) -> str:
    """YYYYMMDD; a date known to the month only (a report's cover) ends in 00."""
    compact = (doc.date or "").replace("-", "")
    return compact.ljust(8, "0") if compact else ""


def catalog_rows(home: Home) -> list[dict[str, Any]]:
    """Rows of the catalogue in 档号 order; assigns 档号 to documents that have none yet."""
    from pipeline.archive.catalog import connect
    from pipeline.classify.secrecy import is_classified

    config = load_config(home)
    entries, records = [], {}
    for doc_id, doc, meta in _current_documents(home):
        if is_classified(doc) is not None:  # belt and braces: ingest quarantines these already
            continue
        klass = ArchivalClass(
            year=year_of(doc),
            retention=_retention_code(doc, meta, config["own_organs"]),
            organ=organ_code(doc, meta.get("topics") or [], config),
        )
        entries.append((doc_id, klass, (doc.date or "", doc.doc_number or "", doc.title or "")))
        records[doc_id] = (doc, meta)
    conn = connect(home)
    try:
        codes = assign(conn, entries, config)
    finally:
        conn.close()
    ordered = sorted(records, key=lambda doc_id: codes[doc_id])
    rows = []
    for number, doc_id in enumerate(ordered, start=1):
        doc, meta = records[doc_id]
        rows.append({
            "序号": number, "档号": codes[doc_id], "文号": doc.doc_number or "",
            "责任者": "、".join(doc.issuer) or doc.issued_by or "",
            "题名": shown_title(doc.title, doc.title_derived),  # a composed title in ［］
            "日期": _compact_date(doc), "密级": "", "页数": doc.pages or "", "备注": _remark(doc, meta),
            "id": doc_id, "restricted": bool(meta.get("restricted")),
        })
    return rows


def _write_csv(rows: list[dict[str, Any]], out: Path) -> None:
    # UTF-8 with BOM: Excel and LibreOffice then open it as Chinese without an import dialogue.
    with open(out, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows([[row[c] for c in COLUMNS] for row in rows])


def _write_xlsx(rows: list[dict[str, Any]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
    widths = {"序号": 6, "档号": 28, "文号": 20, "责任者": 20, "题名": 60, "日期": 10, "密级": 6, "页数": 6, "备注": 16}
    for index, column in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = widths[column]
    sheet.freeze_panes = "A2"
    book.save(out)


def _write_docx(rows: list[dict[str, Any]], out: Path) -> None:
    from docx import Document as WordDocument
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    word = WordDocument()
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    heading = word.add_paragraph(SHEET_TITLE)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.runs[0].font.size = Pt(18)
    heading.runs[0].bold = True
    table = word.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, COLUMNS):
        cell.text = name
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, name in zip(cells, COLUMNS):
            cell.text = str(row[name])
    widths = {"序号": 12, "档号": 50, "文号": 35, "责任者": 35, "题名": 80, "日期": 20, "密级": 12, "页数": 12, "备注": 30}
    for index, name in enumerate(COLUMNS):
        for cell in table.columns[index].cells:
            cell.width = Mm(widths[name])
    word.save(out)


_WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "docx": _write_docx}


def write_catalog(home: Home, fmt: str, out: Path, include_restricted: bool = True) -> Path:
    """Write the 归档文件目录 of the archive at ``home`` to ``out`` in ``fmt`` (xlsx, csv or docx);
    without ``include_restricted`` the 内部 documents are left out (their 档号 stay assigned)."""
    fmt = fmt.lower()
    if fmt not in _WRITERS:
        raise ValueError(f"不支持的目录格式：{fmt}（可选：{'、'.join(FORMATS)}）")
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    rows = catalog_rows(home)
    if not include_restricted:
        rows = [{**row, "序号": number} for number, row in
                enumerate((r for r in rows if not r["restricted"]), start=1)]
    _WRITERS[fmt](rows, out)
    return out
