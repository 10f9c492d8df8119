"""What the three yearbook tools share: where a paragraph stands, and whole sentences.

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
CHAPTER_RE = re.compile(r"^第[一二三四五六七八九十百零]+[编章节]")
# 第十五条: in a law the article is where a paragraph stands, and （一） starts an item, not a section.
ARTICLE_RE = re.compile(r"^(第[一二三四五六七八九十百零〇\d]+条)(?:之[一二三四五六七八九十]+)?")
SENTENCE_END = "。！？!?"
_SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}\n]*(?:[{SENTENCE_END}]+[”’」』）)]*|$)")
HEADING_CHARS = 30  # a heading ends at its first full stop or colon within this many characters


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document with its citation inside the document."""

    text: str
    part: str  # "正文" or an attachment label such as "附件1"
    number: int  # 1-based paragraph number within ``part``
    heading: str | None  # the level-1/2 heading the paragraph falls under (None: none yet)
    article: str | None = None  # a law's article (第十五条) the paragraph belongs to

    @property
    def section(self) -> str:
        """``正文第3段（一、服务常委会依法履职）``, ``正文第50段（第五章 附则，第二十二条）`` or
        ``附件1第2段``."""
        where = f"{self.part}第{self.number}段"
        inside = "，".join(x for x in (self.heading, self.article) if x)
        return f"{where}（{inside}）" if inside else where


def sentences(text: str) -> list[str]:
    """Whole sentences, each with its closing punctuation (and closing quote or bracket)."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]


def heading_of(paragraph: str) -> str:
    """The heading a paragraph starts (a run-in heading ends at its first full stop)."""
    return re.split(r"[。：:]", paragraph, maxsplit=1)[0].strip()


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


def _looks_like_heading(text: str, articles: bool) -> bool:
    """``一、服务常委会依法履职`` or a run-in ``（二）加强监督。正文……``; not an enumerated item
    (``（四）所提事项暂时无法解决，而……``, any ``（一）`` of a law) that merely starts like one."""
    if not (CHAPTER_RE if articles else HEADING_RE).match(text):
        return False
    head = heading_of(text)
    return len(head) <= HEADING_CHARS and (len(text) == len(head) or text[len(head)] in "。：:")


def _located(texts: list[str], part: str, headings: set[str]) -> list[Paragraph]:
    result: list[Paragraph] = []
    heading: str | None = None
    article: str | None = None
    texts = [t.strip() for t in texts if t.strip()]
    articles = any(ARTICLE_RE.match(t) for t in texts)
    for text in texts:
        if text in headings or _looks_like_heading(text, articles):
            heading, article = heading_of(text), None
        cited = ARTICLE_RE.match(text)
        if cited:
            article = cited.group(1)
        result.append(Paragraph(text=text, part=part, number=len(result) + 1, heading=heading,
                                article=article))
    return result

