"""The 年鉴资料 pack as a workbook (one sheet a section) or as Markdown.

Every row carries its source (标题, 文号, 日期) and the ``id`` that ``--exclude`` takes, so a compiler
can strike lines in the sheet and hand the ids back; each sheet and each Markdown section ends with
供稿单位 and 撰稿人 lines to fill.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from pipeline.excerpts.pack import Pack, chinese_date

CONTRIBUTORS = ("供稿单位：", "撰稿人：")
BLANK = "＿" * 12


def _sheets(pack: Pack) -> list[tuple[str, list[str], list[list[Any]], list[int]]]:
    """(sheet name, header, rows, column widths) of each section."""
    events = [[event["date"], event["text"], "；".join(s.citation() for s in sources), event["id"]]
              for event, sources in pack.events]
    stats = [[row.year or "", row.metric, row.amount, row.unit, row.change, row.parent or "",
              row.sentence, row.source.citation(), "、".join(row.ids)] for row in pack.stats]
    documents = [[s.genre or "", s.title or "", s.doc_number or "", chinese_date(s.date), s.doc_id]
                 for s in pack.documents]
    passages = [[topic, passage["text"], f"{source.citation()}，{passage['section']}"]
                for topic, found in pack.topics for passage, source in found]
    return [
        ("大事记", ["日期", "事件", "出处", "编号"], events, [12, 60, 50, 14]),
        ("统计数据", ["年份", "指标", "数值", "单位", "增减", "上级指标", "原句", "出处", "编号"], stats,
         [8, 28, 12, 10, 22, 16, 60, 50, 14]),
        ("重要文件", ["文种", "标题", "文号", "日期", "编号"], documents, [10, 60, 24, 16, 18]),
        ("摘编", ["主题", "摘文", "出处"], passages, [16, 80, 60]),
    ]


def write_xlsx(pack: Pack, out: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, header, rows, widths in _sheets(pack):
        sheet = book.create_sheet(name)
        sheet.append([f"{pack.title}·{name}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for row in rows:
            sheet.append(row)
        sheet.append([])
        for label in CONTRIBUTORS:
            sheet.append([label])
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
        for row in sheet.iter_rows(min_row=3):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A3"
    book.save(out)
    return out


def write_md(pack: Pack, out: Path) -> Path:
    out.write_text(markdown(pack), encoding="utf-8")
    return out


def markdown(pack: Pack) -> str:
    lines = [f"# {pack.title}", "", "（据档案库中的公文整理，每条注明出处：标题、文号、日期）", ""]
    lines += ["## 一、大事记", ""]
    for event, sources in pack.events:
        lines.append(f"- {event['text']}　——{'；'.join(s.citation() for s in sources)}")
    lines += _ending(not pack.events, "大事")
    lines += ["## 二、统计数据", ""]
    if pack.stats:
        lines += ["| 指标 | 数值 | 单位 | 增减 | 出处 |", "|---|--:|---|---|---|"]
        for row in pack.stats:
            metric = f"其中：{row.metric}" if row.parent else row.metric
            cells = (metric, row.amount, row.unit, row.change, row.source.citation())
            lines.append("| " + " | ".join(_cell(text) for text in cells) + " |")
    lines += _ending(not pack.stats, "统计数据")
    lines += ["## 三、重要文件", ""]
    for source in pack.documents:
        parts = "，".join(x for x in (source.genre or "", source.doc_number or "", chinese_date(source.date)) if x)
        lines.append(f"- 《{source.title or '无题'}》（{parts}）")
    lines += _ending(not pack.documents, "重要文件")
    lines += ["## 四、摘编", ""]
    for topic, passages in pack.topics:
        lines += [f"### {topic}", ""]
        for passage, source in passages:
            lines += [passage["text"], "", f"——{source.citation()}，{passage['section']}", ""]
    lines += _ending(not pack.topics, "摘编")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "｜").replace("\n", " ")


def _ending(empty: bool, what: str) -> list[str]:
    lines = [f"（本年度没有可收录的{what}。）", ""] if empty else [""]
    return lines + [f"{label}{BLANK}" for label in CONTRIBUTORS] + [""]
