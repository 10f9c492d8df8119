"""A minimal ``Document`` from plain text, for when the full parser is not at hand.

Classification needs a title and a body; benchmarks on txt corpora and ``classify`` of text files
use this. It finds the gov.cn style metadata block (``标题：`` …), a title of wrapped lines before the
发文字号 or 主送 line, and the 发文字号.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.model import Document, ParseError
from pipeline.structure.lines import web_noise

_META_LINE = re.compile(r"^(标题|发文机关|发文字号|主题分类|索引号|来源|成文日期|发布日期)[:：]")
DOC_NUMBER = re.compile(
    r"^[\u4e00-\u9fa5]{1,12}[〔\[［(（【]\s*(19|20)\d{2}\s*[〕\]］)）】]\s*[0-9０-９]+\s*号$|^第\s*\d+\s*号$"
)
_RECIPIENT = re.compile(r"^[^。，]{2,80}[:：]$")
_GENRE_END = re.compile(r"(通知|意见|批复|函|决定|通报|答复|报告|请示|纪要|决议|讲话|条例|办法|规定|公告|通告|令)$")


def split_metadata(text: str) -> tuple[dict[str, str], str]:
    """The leading ``key：value`` block (gov.cn exports) and the text after it."""
    lines = text.splitlines()
    meta: dict[str, str] = {}
    index = 0
    while index < len(lines) and _META_LINE.match(lines[index].strip()):
        key, _, value = lines[index].strip().replace(":", "：", 1).partition("：")
        meta[key] = value.strip()
        index += 1
    return meta, "\n".join(lines[index:]).strip("\n")


def split_title(text: str) -> tuple[str | None, str | None, str]:
    """(title, 发文字号, rest): title lines stop at the 文号 or the 主送 line, at most 4 lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for index, line in enumerate(lines[:6]):
        if DOC_NUMBER.match(line.replace(" ", "")):
            title = "".join(lines[:index]) or None
            return title, line.replace(" ", ""), "\n".join(lines[index + 1 :])
        if _RECIPIENT.match(line) and index > 0:
            title = "".join(lines[:index])
            if _GENRE_END.search(title.replace(" ", "")):
                return title, None, "\n".join(lines[index:])
            break
    return None, None, "\n".join(lines)


def document_from_text(text: str, path: str = "", with_title: bool = True) -> Document:
    """A ``Document`` with title, 文号 and body found in plain text.

    ``with_title=False`` drops the metadata block, title and 文号 lines: the body alone, as a draft
    or fragment would arrive.
    """
    meta, rest = split_metadata(text)
    title, number, body = split_title(rest)
    paragraphs = [line.strip() for line in body.splitlines() if line.strip()]
    paragraphs = [line for line in paragraphs if not web_noise(line)]  # page furniture
    doc = Document(path=path, format="txt", body="\n".join(paragraphs), paragraphs=paragraphs)
    if with_title:
        doc.title = title or meta.get("标题")
        doc.doc_number = number or meta.get("发文字号")
        if meta.get("发文机关"):
            doc.issuer = [o for o in re.split(r"[、，,]", meta["发文机关"]) if o]
    return doc


def read_text_file(path: Path) -> Document:
    """A text file (UTF-8 or GB18030) as a ``Document``; ``ParseError`` when unreadable."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ParseError(str(path), f"无法读取文件（{error.strerror or error}）") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ParseError(str(path), "无法识别文本编码")
    if "\x00" in text:
        raise ParseError(str(path), "不是文本文件")
    return document_from_text(text, str(path))
