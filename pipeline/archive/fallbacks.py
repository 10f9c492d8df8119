"""TEMPORARY stand-ins used only while other stages are unfinished.

- ``minimal_parse``: a plain .txt/.md/.docx reader for when ``pipeline.parse.parse_file`` still
  raises ``NotImplementedError`` (format readers H1, structure recogniser H2).
Remove once those land; nothing here is used when the real modules exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.model import Document, ParseError, Secrecy

_SECRECY = re.compile(r"(绝密|机密|秘密)\s*★\s*(\S*)")
_NUMBER = re.compile(r"\S+[〔\[［(（]\d{4}[〕\]］)）]\d+号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def minimal_parse(path: str) -> Document:
    suffix = Path(path).suffix.lower()
    if suffix in (".txt", ".md"):
        raw = Path(path).read_bytes()
        for encoding in ("utf-8", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ParseError(path, "无法识别文本编码")
        lines = [line.strip() for line in text.splitlines()]
        fmt = suffix.lstrip(".")
    elif suffix == ".docx":
        import docx

        try:
            lines = [p.text.strip() for p in docx.Document(path).paragraphs]
        except Exception as err:
            raise ParseError(path, f"不是有效的 Word 文档（{type(err).__name__}）") from err
        fmt = "docx"
    else:
        raise ParseError(path, f"不支持的文件格式：{suffix or '无扩展名'}")
    lines = [line for line in lines if line]
    if not lines:
        raise ParseError(path, "文件中没有文字内容")
    return _document(path, fmt, lines)


def _document(path: str, fmt: str, lines: list[str]) -> Document:
    doc = Document(path=path, format=fmt)
    head = lines[:6]
    for line in head:
        if match := _SECRECY.search(line):
            doc.secrecy = Secrecy(match.group(1), match.group(2) or None)
        if not doc.doc_number and (match := _NUMBER.search(line)):
            doc.doc_number = match.group(0)
    body_lines = [
        line for line in lines
        if not _SECRECY.search(line) and not (doc.doc_number and doc.doc_number in line)
    ]
    doc.title = body_lines[0] if body_lines else None
    doc.paragraphs = body_lines[1:]
    doc.body = "\n".join(doc.paragraphs)
    for line in reversed(lines):
        if match := _DATE.fullmatch(line):
            doc.date = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
            break
    return doc

