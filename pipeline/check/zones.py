"""Which paragraph is what: 版头 (标志, 文号, 签发人), 标题, 主送, 正文, 附件说明, 署名, 成文日期,
附注, 附件, 版记 — found with the structure recogniser's own line tests (``pipeline.structure``),
loosened where a checker must still find a part that is written wrongly (a 主送 without its colon,
a title ending in 。, a 文号 in the wrong brackets).

The GB/T 9704 fields themselves (genre, 成文日期, 文号 …) come from the recogniser run over the same
paragraphs (``DocModel.raw``), so a document is read once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.check.docmodel import DocModel, Para
from pipeline.classify.genre import rule_genre, title_genre
from pipeline.model import Block, Document
from pipeline.structure import recognise
from pipeline.structure.body import (
    ATTACH_ITEM,
    ATTACH_LABEL,
    ATTACH_LABEL_TITLE,
    ATTACH_NOTE,
    BRACKETED,
    adoption_note,
    bracketed_date,
    find_closing,
    recipients_of,
    speaker_line,
    subtitle_line,
)
from pipeline.structure.footer import Footer, footer_line
from pipeline.structure.header import (
    COPY_NUMBER,
    DOC_NUMBER,
    ISSUE_NUMBER,
    MASTHEAD,
    SIGNER,
    Header,
    doc_number_line,
    read_header,
    scan_marks,
)
from pipeline.structure.lines import HAS_SENTENCE_PUNCT, ORGAN_END, Line
from pipeline.structure.minutes import meeting_key, read_meeting
from pipeline.structure.normalise import clean_line, close_up
from pipeline.text.dates import find_date, is_date_line

UPWARD = ("请示", "报告")
# what a 主送 list names besides organs: 各部门, 各有关单位, 各直属机构
_RECIPIENT_END = re.compile(r"(?:部门|单位|机构|企业|学校|乡镇|街道|委员|代表|同志)$")
_DIVISION = re.compile(r"各?(?:省|自治区|直辖市|市|地|州|盟|县|区|旗|乡|镇|街道)")
SALUTATION = re.compile(r"^(各位|尊敬的|同志们|女士们|亲爱的|大家).{0,40}[：:]$")


@dataclass
class Attachment:
    label: Para | None
    title: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)


@dataclass
class Zones:
    doc: Document  # the recogniser's fields
    genre: str | None
    header: list[Para] = field(default_factory=list)  # every 版头 paragraph
    marks: list[Para] = field(default_factory=list)  # 发文机关标志
    top_marks: list[Para] = field(default_factory=list)  # 份号, 密级, 紧急程度 lines
    doc_number: Para | None = None
    signer: Para | None = None
    issue: Para | None = None  # 第N期 (纪要, 简报)
    title: list[Para] = field(default_factory=list)
    under_title: list[Para] = field(default_factory=list)  # adoption note, subtitle, date, speaker
    recipient: Para | None = None
    salutation: Para | None = None
    meeting: list[Para] = field(default_factory=list)
    body: list[Para] = field(default_factory=list)
    attach_note: list[Para] = field(default_factory=list)
    signature: list[Para] = field(default_factory=list)
    date: Para | None = None
    note: Para | None = None
    attachments: list[Attachment] = field(default_factory=list)
    banji: list[Para] = field(default_factory=list)
    tables: list[Para] = field(default_factory=list)

    @property
    def has_header(self) -> bool:
        return bool(self.marks or self.doc_number)

    @property
    def minutes(self) -> bool:
        return self.genre == "纪要" or any(close_up(p.text).endswith("纪要") for p in self.marks)

    @property
    def bulletin(self) -> bool:
        """简报: a masthead with an issue number (第N期), news-style titles."""
        return self.issue is not None and not self.minutes

    @property
    def upward(self) -> bool:
        return self.genre in UPWARD or self.signer is not None

    @property
    def title_text(self) -> str:
        return "".join(close_up(clean_line(p.text.replace("\n", ""))) for p in self.title)

    def main_text(self) -> list[Para]:
        """Paragraphs of running text: 主送 to 附注 and the attachments' bodies."""
        parts = [p for p in (self.recipient, self.salutation) if p] + self.body
        for attachment in self.attachments:
            parts += attachment.body
        return parts


def _line(para: Para) -> Line:
    text = clean_line(para.text)
    block = para.block or Block(text=text)
    return Line(text=text, flat=close_up(text), block=block, raw=para.text.strip())


def _title_styled(para: Para) -> bool:
    size = para.size if para.size is not None else (para.block.size if para.block else None)
    font = para.font or ""
    return (size or 0) >= 18 or para.align == "center" or "小标宋" in font


def _title_stop(line: Line) -> bool:
    text = line.text
    return bool(
        is_date_line(text) or adoption_note(line) or BRACKETED.match(text) or subtitle_line(text)
        or doc_number_line(line) or SIGNER.search(text) or text.endswith(("：", ":"))
        or re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", text)
    )


def _title_span(items: list[Para], lines: list[Line], start: int) -> int:
    """End (exclusive) of the title lines from ``start``: title-styled, consecutive, one size."""
    if start >= len(items) or not _title_styled(items[start]) or _title_stop(lines[start]):
        return start
    end = start + 1
    while (end < len(items) and end - start < 4 and items[end].order == items[end - 1].order + 1
           and items[end].size == items[start].size and items[end].align == items[start].align
           and not _title_stop(lines[end])):
        end += 1
    return end


def _loose_recipient(para: Para, line: Line) -> bool:
    """A 主送 line written without its colon (or with a half-width one): flush left, short, made
    of organ names."""
    text = line.flat.rstrip(":：")
    if (not text or len(text) > 80 or HAS_SENTENCE_PUNCT.search(text) or para.first_chars > 0.5
            or "：" in text or ":" in text):  # 来源：…, 联系人：… are labels, not a 主送
        return False
    parts = [part for part in re.split(r"[、，,]", text) if part]
    organs = [bool(ORGAN_END.search(part) or _RECIPIENT_END.search(part)) for part in parts]
    # 各省、自治区、直辖市人民政府: divisions named before the organ they share
    divisions = [bool(_DIVISION.fullmatch(part)) for part in parts]
    return any(organs) and all(o or d for o, d in zip(organs, divisions, strict=True))


def _leading_marks(lines: list[Line]) -> int:
    """Lines at the very top that are 份号, 密级 or 紧急程度 marks, however written."""
    count = 0
    while count < min(3, len(lines)) and (
            re.fullmatch(r"(?:份号[：:]?)?\d{1,8}", lines[count].flat) or scan_marks(lines[count].text, Header())):
        count += 1
    return count


def _header_roles(zones: Zones, items: list[Para], lines: list[Line], end: int) -> None:
    for para, line in zip(items[:end], lines[:end], strict=True):
        zones.header.append(para)
        if doc_number_line(line) or (DOC_NUMBER.search(line.flat) and len(line.flat) <= 60):
            zones.doc_number = zones.doc_number or para
            if SIGNER.search(line.text):
                zones.signer = para
        elif SIGNER.search(line.text):
            zones.signer = para
        elif ISSUE_NUMBER.match(line.text):
            zones.issue = para
        elif COPY_NUMBER.match(line.flat) or re.fullmatch(r"\d{1,8}", line.flat) \
                or scan_marks(line.text, Header()) or MASTHEAD.match(line.text) and find_date(line.text):
            zones.top_marks.append(para)
        else:
            zones.marks.append(para)


def _under_title(zones: Zones, items: list[Para], lines: list[Line], start: int) -> int:
    i = start
    while i < len(items) and i < start + 5:
        line = lines[i]
        if doc_number_line(line) and zones.doc_number is None:
            zones.doc_number = items[i]
            if SIGNER.search(line.text):
                zones.signer = items[i]
        elif SIGNER.search(line.text) and len(line.text) <= 40:
            zones.signer = items[i]
        elif (adoption_note(line) or bracketed_date(line) or subtitle_line(line.text)
              or (zones.under_title and speaker_line(line.text)) or _byline(items[i], line)):
            zones.under_title.append(items[i])
        else:
            break
        i += 1
    return i


def _byline(para: Para, line: Line) -> bool:
    """A short centred line under the title: the author or speaker, a subtitle."""
    text = line.flat
    return (para.align == "center" and len(text) <= 30 and not HAS_SENTENCE_PUNCT.search(text)
            and not text.endswith(("：", ":")))


def _recipient(zones: Zones, items: list[Para], lines: list[Line], i: int) -> int:
    if i >= len(items):
        return i
    line = lines[i]
    if SALUTATION.match(line.flat):
        zones.salutation = items[i]
        return i + 1
    if meeting_key(line.text):
        return i
    if recipients_of(line) or _loose_recipient(items[i], line):
        zones.recipient = items[i]
        return i + 1
    return i


def _closing(zones: Zones, items: list[Para], lines: list[Line], start: int, skip: set[int]) -> int:
    """署名, 成文日期, 附注 and the 附件说明 above them; the index where the main text ends."""
    closing = find_closing(lines, start, skip)
    if closing is None:
        return len(items)
    date_index = next((k for k in range(closing.end - 1, closing.start - 1, -1)
                       if find_date(lines[k].text) and not BRACKETED.match(lines[k].text)), None)
    if date_index is None:
        return len(items)
    zones.date = items[date_index]
    if closing.note:
        zones.note = items[closing.end - 1]
    signature_count = len(closing.signature) if not SIGNER.search(lines[date_index].text) else 0
    first_signature = max(closing.start, date_index - signature_count)
    zones.signature = items[first_signature:date_index]
    zones.attach_note = items[closing.start:first_signature]
    return closing.start


def _split_tail(zones: Zones, items: list[Para], lines: list[Line], start: int) -> None:
    """After the 成文日期: attachments (label, title, text) and 版记."""
    current: Attachment | None = None
    footer = Footer()
    i = start
    while i < len(items):
        used = footer_line(lines, i, footer)
        if used:
            zones.banji += items[i:i + used]
            i += used
            continue
        para, line = items[i], lines[i]
        labelled = ATTACH_LABEL.match(line.flat) or (
            ATTACH_LABEL_TITLE.match(line.flat) and not ATTACH_ITEM.match(
                ATTACH_LABEL_TITLE.match(line.flat).group(2)))
        if labelled and (para.page_break_before or current is None or len(line.flat) <= 6):
            current = Attachment(label=para)
            zones.attachments.append(current)
        elif current is None:
            current = Attachment(label=None, body=[para])
            zones.attachments.append(current)
        elif not current.title and not current.body and _title_styled(para) or current.title and not current.body and _title_styled(para) and \
                para.order == current.title[-1].order + 1 and para.size == current.title[-1].size:
            current.title.append(para)
        else:
            current.body.append(para)
        i += 1


def _body(zones: Zones, items: list[Para], lines: list[Line], start: int, end: int,
          meeting: set[int]) -> None:
    footer = Footer()
    i = start
    while i < end:
        if i in meeting:
            zones.meeting.append(items[i])
            i += 1
            continue
        used = footer_line(lines, i, footer)
        if used:
            zones.banji += items[i:min(end, i + used)]
            i += used
            continue
        if ATTACH_NOTE.match(lines[i].text) and not zones.attach_note:
            zones.attach_note.append(items[i])
            i += 1
            while i < end and ATTACH_ITEM.match(lines[i].text) and len(lines[i].text) <= 80:
                zones.attach_note.append(items[i])
                i += 1
            continue
        zones.body.append(items[i])
        i += 1
    # 纪要: 出席/请假/列席 lines after the body
    while zones.body and meeting_key(clean_line(zones.body[-1].text)):
        zones.meeting.insert(0, zones.body.pop())


def _genre(doc: Document, zones: Zones) -> str | None:
    if any(close_up(p.text).endswith("纪要") for p in zones.marks):
        return "纪要"
    if zones.bulletin:
        return "简报"
    return title_genre(zones.title_text) or doc.genre or rule_genre(doc)


def find_zones(model: DocModel) -> Zones:
    doc = recognise(model.raw())
    items = [p for p in model.paras if p.text.strip() and p.where != "table"]
    lines = [_line(p) for p in items]
    zones = Zones(doc=doc, genre=None)
    lead = _leading_marks(lines)  # a 份号 of the wrong length would stop the recogniser's 版头
    header_end = lead + read_header(lines[lead:], styled=True).end
    _header_roles(zones, items, lines, header_end)
    title_end = _title_span(items, lines, header_end)
    zones.title = items[header_end:title_end]
    i = _under_title(zones, items, lines, title_end)
    i = _recipient(zones, items, lines, i)
    _, meeting = read_meeting(lines, i)
    body_end = _closing(zones, items, lines, i, meeting)
    _body(zones, items, lines, i, body_end, meeting)
    if zones.date is not None:
        _split_tail(zones, items, lines, items.index(zones.note or zones.date) + 1)
    tables = [p for p in model.paras if p.where == "table" and p.text.strip()]
    table_lines = [_line(p) for p in tables]
    footer, k = Footer(), 0
    while k < len(tables):
        used = footer_line(table_lines, k, footer)
        (zones.banji if used else zones.tables).extend(tables[k:k + max(used, 1)])
        k += max(used, 1)
    zones.genre = _genre(doc, zones)
    return zones
