"""版头: 份号, 密级/保密期限, 紧急程度, 内部资料, 发文机关标志, 发文字号, 签发人, and 令 headers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.classify.secrecy import secrecy_in_line
from pipeline.model import Secrecy
from pipeline.structure.lines import Line, organ_like
from pipeline.structure.normalise import close_up, digits, no_spaces, split_organs
from pipeline.text.dates import find_date, is_date_line

_OPEN = "〔［\\[（(【〈{<《﹝⟮"
_CLOSE = "〕］\\]）)】〉}>》﹞⟯"
# Organ code + year in (any) brackets + serial + 号. The brackets may be missing altogether.
DOC_NUMBER = re.compile(
    rf"([\u4e00-\u9fffA-Za-z]{{1,14}}?)\s*[{_OPEN}]?\s*((?:19|20)\d{{2}})\s*[{_CLOSE}]?\s*第?\s*(\d{{1,5}})\s*号"
)
# The line is the document number (maybe with 签发人 beside it) and nothing else.
DOC_NUMBER_LINE = re.compile(
    rf"^\s*(?:发文字号[：:]\s*)?{DOC_NUMBER.pattern}\s*(?:签\s*发\s*人[：:].*)?$"
)
SIGNER = re.compile(r"签\s*发\s*人\s*[：:]\s*(.+)$")
COPY_NUMBER = re.compile(r"^(?:份号[：:]?\s*)?(\d{6})$")
URGENCY = re.compile(r"(?:紧\s*急\s*程\s*度\s*[：:]\s*)?(特\s*急|加\s*急|特\s*提|平\s*急)")
RESTRICTED = re.compile(
    r"(内\s*部\s*资\s*料|内\s*部\s*文\s*件|内\s*部\s*明\s*电|内\s*部\s*参\s*阅)"
)
ORDER_TITLE = re.compile(r"^(?:中华人民共和国)?(.{2,24}?)令$")
ORDER_NUMBER = re.compile(r"^[（(]?第\s*(\d{1,5})\s*号[）)]?$")
MARK_END = re.compile(r"文件$")
MARK_SUFFIX = re.compile(r"(?:文件|会议纪要|纪要)$")  # stripped from the mark to leave the organ
ISSUE_NUMBER = re.compile(
    r"^[（(]?\s*(?:总\s*)?第\s*[\d一二三四五六七八九十百〇零]{1,6}\s*[期次号]\s*[）)]?(?:\s*[（(]\s*总\s*第\s*\d+\s*期\s*[）)])?$"
)
# A bulletin's masthead line: the compiling organ and the date (青岚区人大常委会办公室  2024年5月20日).
MASTHEAD = re.compile(r"^(\S.{1,40}?)\s+(\S.{5,20}?[日号])$")
# A template's 文号 with placeholders (XXX〔2023〕X号, 〔 〕号): part of the 版头, no number to keep.
PLACEHOLDER_NUMBER = re.compile(
    rf"^[\u4e00-\u9fffA-Za-z×]{{1,14}}\s*[{_OPEN}]\s*[\dXx×\s]{{0,4}}\s*[{_CLOSE}]\s*[\dXx×\s]{{0,5}}号$"
)


@dataclass
class Header:
    copy_number: str | None = None
    secrecy: Secrecy | None = None
    urgency: str | None = None
    restricted: str | None = None
    issuer_mark: list[str] = field(default_factory=list)
    doc_number: str | None = None
    signer: list[str] = field(default_factory=list)
    order_issuer: str | None = None  # 令: the organ that issues the order
    masthead_organ: str | None = None  # 简报/纪要 masthead: compiling organ
    masthead_date: str | None = None
    end: int = 0  # index of the first line after the 版头


def normalise_doc_number(text: str) -> str | None:
    """Any bracket style, full-width digits, spaces -> ``机关代字〔2023〕5号`` (no 第, no leading 0)."""
    match = DOC_NUMBER.search(digits(no_spaces(text)))
    if not match:
        return None
    code, year, serial = match.groups()
    code = re.sub(r"^(?:发文字号|文号)[：:]?", "", code)
    return f"{code}〔{year}〕{int(serial)}号"


def doc_number_line(line: Line) -> str | None:
    """The 发文字号 when ``line`` is a document-number line (not a sentence citing one)."""
    text = line.text
    if len(text) > 60 or "关于" in text:
        return None
    if DOC_NUMBER_LINE.match(text) or DOC_NUMBER_LINE.match(no_spaces(text)):
        return normalise_doc_number(SIGNER.sub("", text))
    # 签发人 printed first, number after it (upward documents).
    signer = SIGNER.search(text)
    if signer and DOC_NUMBER.search(text[: signer.start()] or ""):
        head = text[: signer.start()]
        if DOC_NUMBER_LINE.match(head.strip()):
            return normalise_doc_number(head)
    return None


def signers(text: str) -> list[str]:
    match = SIGNER.search(text)
    if not match:
        return []
    value = DOC_NUMBER.sub("", match.group(1))
    return split_organs(value, on_spaces=True)


def scan_marks(text: str, header: Header) -> bool:
    """Record 份号/密级/紧急/内部 marks when a short line holds nothing else; True if it did."""
    flat = no_spaces(text)
    if len(flat) > 24:
        return False
    copy = COPY_NUMBER.match(flat)
    if copy:
        header.copy_number = header.copy_number or copy.group(1)
        return True
    found: dict[str, object] = {}
    rest = flat
    secrecy = secrecy_in_line(rest)
    if secrecy:
        found["secrecy"], start, end = secrecy
        rest = rest[:start] + rest[end:]
    urgency = URGENCY.search(rest)
    if urgency:
        found["urgency"] = no_spaces(urgency.group(1))
        rest = rest[: urgency.start()] + rest[urgency.end() :]
    restricted = RESTRICTED.search(rest)
    if restricted:
        found["restricted"] = no_spaces(restricted.group(1))
        rest = rest[: restricted.start()] + rest[restricted.end() :]
    copy = re.match(r"^(?:份号[：:]?)?(\d{6})", rest)
    if copy and found:
        found["copy_number"] = copy.group(1)
        rest = rest[copy.end() :]
    if not found or len(re.sub(r"[★☆*＊※、，,;；|:：]", "", rest)) > 0:
        return False
    for key, value in found.items():
        if getattr(header, key) is None:
            setattr(header, key, value)
    return True


def _mark_line(line: Line, styled: bool) -> bool:
    """A line of the 发文机关标志: red or very large, or ending in 文件 in plain text."""
    flat = line.flat
    if len(flat) > 40 or "关于" in flat or "：" in flat or "。" in flat or flat.endswith("号"):
        return False  # 号: a 文号 with a placeholder serial (XXX〔2023〕X号) is no mark
    if styled and (line.block.is_red or (line.size or 0) >= 26) and not DOC_NUMBER.search(flat):
        return True
    return bool(MARK_END.search(flat)) and len(flat) <= 40


def _organs_of_mark(lines: list[str]) -> list[str]:
    organs: list[str] = []
    for text in lines:
        parts = text.split()
        if all(len(part) <= 2 for part in parts):  # spaced-out characters: 南 山 区 … 文 件
            text = close_up(text)
        text = MARK_SUFFIX.sub("", text.strip()).strip()
        organs.extend(split_organs(text, on_spaces=True))
    return [organ for organ in organs if organ and organ != "文件"]


_PUBLICATION = re.compile(r"(?:简报|简讯|信息|专报|快报|动态|通讯|情况反映|要情|会刊|纪要|工作)$")


def _publication_name(lines: list[Line], i: int) -> bool:
    """A masthead's publication name: short, and a 第X期 line right below it."""
    flat = lines[i].flat
    if len(flat) > 30 or "关于" in flat or not _PUBLICATION.search(flat):
        return False
    if i + 1 < len(lines) and flat.endswith("纪要") and lines[i + 1].flat.endswith("纪要"):
        return True  # 纪要格式: the mark (XX会议纪要) above the minutes' own title
    return any(ISSUE_NUMBER.match(lines[k].text) for k in range(i + 1, min(len(lines), i + 3)))


def read_header(lines: list[Line], styled: bool) -> Header:
    """Consume the 版头 lines at the top of ``lines``; ``Header.end`` is where the rest begins."""
    header = Header()
    mark_texts: list[str] = []
    pending_organs: list[str] = []  # organ lines in plain text, a mark only if a 文号 follows
    i = 0
    limit = min(len(lines), 16)
    while i < limit:
        line = lines[i]
        number = doc_number_line(line)
        if number:
            header.doc_number = number
            header.signer = header.signer or signers(line.text)
            mark_texts.extend(pending_organs)
            pending_organs = []
            i += 1
            continue
        if SIGNER.search(line.text) and len(line.text) <= 40:
            header.signer = header.signer or signers(line.text)
            i += 1
            continue
        if PLACEHOLDER_NUMBER.match(line.text):
            mark_texts.extend(pending_organs)
            pending_organs = []
            i += 1
            continue
        if scan_marks(line.text, header):
            i += 1
            continue
        if header.doc_number is None and _mark_line(line, styled):  # the mark stands above the 文号
            mark_texts.append(line.text)
            i += 1
            continue
        order = ORDER_TITLE.match(line.flat)
        if order and i + 1 < len(lines) and ORDER_NUMBER.match(no_spaces(lines[i + 1].text)):
            organ = order.group(1)
            serial = int(ORDER_NUMBER.match(no_spaces(lines[i + 1].text)).group(1))
            header.order_issuer = organ
            code = "国令" if organ == "国务院" else f"{organ}令"
            header.doc_number = header.doc_number or f"{code}第{serial}号"
            i += 2
            continue
        if ISSUE_NUMBER.match(line.text):
            i += 1
            continue
        masthead = MASTHEAD.match(line.text)
        if (
            masthead
            and (mark_texts or header.doc_number)
            and is_date_line(masthead.group(2))
            and organ_like(masthead.group(1), 40)
        ):
            header.masthead_organ = close_up(masthead.group(1))
            header.masthead_date = find_date(masthead.group(2))
            i += 1
            continue
        if header.doc_number is None and _publication_name(lines, i):
            mark_texts.append(line.text)  # 简报/纪要 masthead name above 第X期
            i += 1
            continue
        if (
            (organ_like(line.flat) or line.flat.endswith("纪要"))
            and not mark_texts
            and header.doc_number is None
            and len(line.flat) <= 40
            and "关于" not in line.flat
        ):
            pending_organs.append(line.flat)
            i += 1
            continue
        break
    if pending_organs:  # organ lines without a 文号 below them: they were not a mark
        i -= len(pending_organs)
    header.issuer_mark = _organs_of_mark(mark_texts)
    header.end = i
    return header
