"""Where a piece of a document stands, and its whole sentences: shared by the three yearbook tools.

A yearbook compiler checks every line against its source, so each paragraph carries a citable
location: the level-1/level-2 heading it falls under and its paragraph number in the body
(``正文第3段``) or in an attachment (``附件1第2段``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Document

# 一、 （一） 第一章 第一节: the headings a section is named after (levels 1 and 2).
HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|第[一二三四五六七八九十百零]+[章节])")
SENTENCE_END = "。！？!?"
_SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}\n]*(?:[{SENTENCE_END}]+[”’」』）)]*|$)")
HEADING_CHARS = 40  # a run-in heading is cut at its first full stop, and kept short


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document with its citation inside the document."""

    text: str
    part: str  # "正文" or an attachment label such as "附件1"
    number: int  # 1-based paragraph number within ``part``
    heading: str | None  # the level-1/2 heading the paragraph falls under (None: none yet)

    @property
    def section(self) -> str:
        """``正文第3段（一、服务常委会依法履职）`` or ``附件1第2段``."""
        where = f"{self.part}第{self.number}段"
        return f"{where}（{self.heading}）" if self.heading else where


def sentences(text: str) -> list[str]:
    """Whole sentences, each with its closing punctuation (and closing quote or bracket)."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def heading_of(paragraph: str) -> str:
    """The heading a paragraph starts (a run-in heading ends at its first full stop)."""
    head = re.split(r"[。：:]", paragraph, maxsplit=1)[0].strip()
    return head[:HEADING_CHARS]


def paragraphs(doc: Document) -> list[Paragraph]:
    """Every non-empty paragraph of the body and the attachments, located."""
    headings = {h.text.strip() for h in doc.headings if h.level <= 2}
    body = doc.paragraphs or doc.body.split("\n")
    located = _located(body, "正文", headings)
    for index, attachment in enumerate(doc.attachment_docs, start=1):
        label = attachment.label or f"附件{index}"
        texts = [t for t in (attachment.title, *attachment.text.split("\n")) if t]
        located.extend(_located(texts, label, headings))
    return located


def _located(texts: list[str], part: str, headings: set[str]) -> list[Paragraph]:
    result: list[Paragraph] = []
    heading: str | None = None
    for text in (t.strip() for t in texts):
        if not text:
            continue
        if text in headings or HEADING_RE.match(text):
            heading = heading_of(text)
        result.append(Paragraph(text=text, part=part, number=len(result) + 1, heading=heading))
    return result
