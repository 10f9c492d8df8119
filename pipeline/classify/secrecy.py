"""Secrecy (密级) and restriction (内部资料) marks. Classified documents are never indexed.

A 密级 mark is written in many ways in real files: ``机密★10年``, ``秘 密``, ``绝密☆``, ``秘密*1年``,
``密级：机密``, traditional ``機密``, on its own line in the header or at the top of the body, sometimes
after the 份号. The same words inside ordinary sentences (``保守国家秘密``, ``商业秘密``) are not marks,
so a mark must stand where a mark stands: a short line of its own, a star after the level, or a
``密级`` label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.model import Document, Secrecy

_SPACE = r"[ \t\u3000\u00a0]*"
_STAR = r"[★☆*＊※✩✪✫✬✭✮✯]"
_LEVEL_CHARS = {"绝": "绝密", "絕": "绝密", "机": "机密", "機": "机密", "秘": "秘密", "祕": "秘密"}
_LEVEL = rf"(?P<level>[绝絕机機秘祕]){_SPACE}密"
_NUMBER = r"[0-9０-９一二三四五六七八九十两〇零]+"
_TERM = rf"(?P<term>{_NUMBER}{_SPACE}(?:年|个月|個月|月|天)|长期|長期|永久|[^\s，。；,;]{{1,16}}?解密)"
_COPY = r"(?:[0-9０-９]{6}|份号[:：]?[0-9０-９]+)?"
_OPEN = r"[【\[〔（(「『]?"
_CLOSE = r"[】\]〕）)」』]?"

# A line that *is* a secrecy mark (optionally after a 份号, label, brackets; optionally with a term).
_MARK_LINE = re.compile(
    rf"^{_SPACE}{_COPY}{_SPACE}(?:密{_SPACE}级{_SPACE}[:：]?{_SPACE})?{_OPEN}{_SPACE}{_LEVEL}"
    rf"{_SPACE}(?:{_STAR}+{_SPACE})?{_TERM}?{_SPACE}{_CLOSE}{_SPACE}"
    rf"(?:[ \t\u3000]+.{{0,12}})?$"
)
# A level followed by a star anywhere at the start of a line ("机密★1年 特急 南人常发…").
_STARRED = re.compile(rf"^{_SPACE}{_COPY}{_SPACE}{_OPEN}{_SPACE}{_LEVEL}{_SPACE}{_STAR}+{_SPACE}{_TERM}?")
# A level in square brackets at the start of a line, even when text is glued after it: "【秘密】南山区…".
_BRACKETED = re.compile(
    rf"^{_SPACE}{_COPY}{_SPACE}[【\[〔［]{_SPACE}{_LEVEL}{_SPACE}(?:{_STAR}+{_SPACE})?{_TERM}?{_SPACE}[】\]〕］]"
)
# An explicit label anywhere in a short line: "密级：机密", "密级: 秘密 保密期限：5年".
_LABELLED = re.compile(rf"密{_SPACE}级{_SPACE}[:：]{_SPACE}{_LEVEL}(?:.*?保密期限{_SPACE}[:：]?{_SPACE}{_TERM})?")

# A level with its optional star or 保密期限 and term, anywhere in a line (the 版头 reader's view:
# "机密★1年 特急", "秘密，保密期限：5年").
_IN_LINE = re.compile(
    rf"(?:密{_SPACE}级{_SPACE}[:：]{_SPACE})?{_LEVEL}{_SPACE}"
    rf"(?:(?:{_STAR}+|[，,]?{_SPACE}保{_SPACE}密{_SPACE}期{_SPACE}限{_SPACE}[:：]?){_SPACE}{_TERM}?)?"
)

# A value that is one mark and nothing else (a sample source's ``secrecy: 机密★5年`` field).
_WHOLE_MARK = re.compile(rf"{_SPACE}{_LEVEL}{_SPACE}(?:{_STAR}+{_SPACE}{_TERM}?{_SPACE})?")

_RESTRICTED = re.compile(rf"内{_SPACE}部{_SPACE}(资{_SPACE}料|文{_SPACE}件|参{_SPACE}阅|刊{_SPACE}物)")

HEAD_LINES = 12  # where a mark may stand as a bare line: the 版头 and the top of the body
MARK_LINE_MAX = 40  # longer lines are sentences, not marks


def _level(match: re.Match[str]) -> str:
    return _LEVEL_CHARS[match.group("level")]


def _term(match: re.Match[str]) -> str | None:
    term = match.groupdict().get("term")
    return re.sub(_SPACE, "", term) if term else None


def find_mark(lines: Iterable[str]) -> Secrecy | None:
    """The first secrecy mark in ``lines`` (which should be the top of a document or attachment)."""
    for number, line in enumerate(lines):
        line = line.strip()
        if not line or len(line) > MARK_LINE_MAX:
            continue
        for pattern, anywhere in ((_LABELLED, True), (_STARRED, True), (_BRACKETED, True), (_MARK_LINE, False)):
            if not anywhere and number >= HEAD_LINES:
                continue
            match = pattern.search(line) if pattern is _LABELLED else pattern.match(line)
            if match:
                return Secrecy(level=_level(match), term=_term(match))
    return None


def read_mark(text: str) -> Secrecy | None:
    """``text`` as a 密级 when it is one mark and nothing else (``机密★5年``, ``秘密``), else None."""
    match = _WHOLE_MARK.fullmatch(text)
    return Secrecy(level=_level(match), term=_term(match)) if match else None


def secrecy_in_line(line: str) -> tuple[Secrecy, int, int] | None:
    """The first level word in ``line`` with its star/term, and where it stands (start, end).
    The caller decides whether the line is a mark line (the 版头 reader requires nothing else on it)."""
    match = _IN_LINE.search(line)
    if match is None:
        return None
    return Secrecy(level=_level(match), term=_term(match)), match.start(), match.end()


def _top_lines(text: str, count: int = HEAD_LINES * 2) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()][:count]


def _candidate_texts(doc: Document) -> list[list[str]]:
    """Line lists where marks stand: title area, body, each attachment's top, the 附注."""
    texts: list[list[str]] = []
    if doc.copy_number:
        texts.append([doc.copy_number])
    # All body lines: a bare level counts only in the first HEAD_LINES, a starred or labelled mark
    # anywhere (an attachment's header inside the body, a page header in OCR text).
    body = doc.paragraphs if doc.paragraphs else [ln for ln in (doc.body or "").splitlines() if ln.strip()]
    texts.append(list(body))
    if doc.title:
        texts.append(doc.title.splitlines())
    for attachment in doc.attachment_docs:
        texts.append(_top_lines(f"{attachment.title or ''}\n{attachment.text}"))
    if doc.note:
        texts.append([doc.note])
    return texts


def is_classified(doc: Document) -> Secrecy | None:
    """The 密级 of ``doc`` if it carries one anywhere a mark can stand, else None."""
    if doc.secrecy is not None:
        return doc.secrecy
    for lines in _candidate_texts(doc):
        found = find_mark(lines)
        if found:
            return found
    return None


def classified_text(text: str) -> Secrecy | None:
    """``is_classified`` for raw text (a file's text before structure recognition)."""
    return find_mark(_top_lines(text, HEAD_LINES * 3))


def restricted_mark(doc: Document) -> str | None:
    """``内部资料`` / ``内部文件`` / ``内部参阅`` when the document is marked so, else None."""
    if doc.restricted:
        return doc.restricted
    lines = [doc.title or "", doc.note or ""]
    lines += doc.paragraphs[:HEAD_LINES] if doc.paragraphs else _top_lines(doc.body, HEAD_LINES)
    for line in lines:
        line = line.strip()
        # Short lines only: "内部资料，注意保存" is a mark, "加强内部文件管理" in a sentence is not.
        if not line or len(line) > 16:
            continue
        match = _RESTRICTED.search(line)
        if match and match.start() <= 2:
            return re.sub(_SPACE, "", match.group(0))
    return None
