"""What the page holds, before any .docx: the layouts, the resolved rendering options, the
发文机关标志 lines, dates as printed and heading markers (一、 （一） 1. （1）)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Document
from pipeline.text.numerals import to_chinese

LAYOUTS = ("standard", "letter", "minutes", "plain", "bulletin")

ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_LEVEL_PATTERNS = (
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十百]+）")),
    (3, re.compile(r"^\d+[.．](?!\d)")),
    (4, re.compile(r"^（\d+）")),
)


def format_date(iso: str | None, style: str = "arabic") -> str:
    """``2024-06-28`` as ``2024年6月28日`` or ``二〇二四年六月二十八日``; '' for None."""
    if not iso:
        return ""
    if not ISO_DATE.match(iso):  # e.g. a draft's 【待填：成文日期】: print it as it is
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


def secrecy_text(doc: Document) -> str | None:
    if not doc.secrecy:
        return None
    return doc.secrecy.printed()


@dataclass
class Options:
    organ_mark: list[str]
    layout: str
    doc_number: str | None
    date_style: str
    issue: str | None  # 第×期 for minutes and bulletins
    subtitle: str | None  # ——在……上的讲话 (speeches)

    @property
    def is_speech(self) -> bool:
        return self.layout == "plain" and self.subtitle is not None


def resolve_options(doc: Document, organ_mark: list[str] | None, layout: str, doc_number_as_typed: str | None,
             date_style: str, issue: str | None, subtitle: str | None) -> tuple[Options, list[str]]:
    """Resolved options and the body paragraphs that remain after pulling out a subtitle line."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; expected one of {LAYOUTS}")
    paragraphs = list(doc.paragraphs) or [p for p in doc.body.split("\n") if p.strip()]
    if subtitle is None and layout == "plain" and paragraphs and paragraphs[0].startswith("——"):
        subtitle, paragraphs = paragraphs[0], paragraphs[1:]
    if subtitle is None and layout == "plain" and doc.genre == "讲话稿":
        subtitle = ""
    return Options(_organ_lines(doc, organ_mark), layout, doc_number_as_typed or doc.doc_number,
                    date_style, issue, subtitle), paragraphs


def mark_lines(opts: Options) -> list[str]:
    """The red 发文机关标志 lines: ``…文件`` (standard), ``…会议纪要`` (minutes), else as given."""
    if opts.layout == "standard":
        return [m if m.endswith("文件") else m + "文件" for m in opts.organ_mark]
    if opts.layout == "minutes":
        return [m if m.endswith("纪要") else m + "会议纪要" for m in opts.organ_mark]
    return list(opts.organ_mark)
