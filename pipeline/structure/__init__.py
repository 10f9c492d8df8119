"""GB/T 9704 structure recogniser: ``RawDocument`` -> ``Document``.

One linear pass over the blocks, zone by zone:

1. a leading key-value block of web exports (``标题：… 发文字号：…``) -> metadata (``metadata``);
2. 版头: 份号, 密级, 紧急程度, 内部资料, 发文机关标志, 发文字号, 签发人, 令 headers (``header``);
3. 标题 (styled: large centred lines; plain text: title-looking lines), then what may stand
   under it: 发文字号 (gov.cn layout), 签发人, the adoption note of 决议/决定, a speech's date, and
   the 主送 line (``body``);
4. 纪要 header lines (``minutes``);
5. the first 署名 + 成文日期 block ends the main text; 附件说明 above it, 附注 below it (``body``);
6. 版记 lines wherever they stand (``footer``); what follows the date is attachments, each with
   its own title; for 令 the promulgated regulation gives the title and continues the body.

Headings: ``一、`` 1, ``（一）`` 2, ``1.`` 3, ``（1）`` 4, ``第X章`` 1 and ``第X节`` 2. In regulations
(three or more ``第X条`` articles) only 章/节 count as headings; articles stay body paragraphs.
"""

from __future__ import annotations

from pipeline.model import Document, RawDocument
from pipeline.structure.body import (
    ATTACH_LABEL,
    adoption_note,
    attachment_notes_in,
    bracketed_date,
    find_closing,
    headings_of,
    issuer_from_signature,
    issuer_from_title,
    recipients_of,
    speaker_line,
    split_attachments,
    subtitle_line,
    take_title,
)
from pipeline.structure.cover import read_cover
from pipeline.structure.footer import Footer, footer_line
from pipeline.structure.header import (
    SIGNER,
    Header,
    doc_number_line,
    normalise_doc_number,
    read_header,
    scan_marks,
    signers,
)
from pipeline.structure.lines import Line, has_style, organ_like, to_lines
from pipeline.structure.metadata import read_metadata
from pipeline.structure.minutes import read_meeting
from pipeline.structure.normalise import split_organs
from pipeline.structure.published import publication_date
from pipeline.structure.script import restore, simplified_shadow
from pipeline.text.dates import find_date

__all__ = ["recognise"]


def recognise(raw: RawDocument) -> Document:
    """Find 版头, 标题, 主送, headings, 署名, 成文日期, 附件, 版记 … in the blocks (a document in
    traditional characters is read through a simplified copy and reported as written)."""
    shadow = simplified_shadow(raw)
    if shadow is None:
        return _recognise(raw)
    simplified, back = shadow
    return restore(_recognise(simplified), back)


def _recognise(raw: RawDocument) -> Document:
    doc = Document(path=raw.path, format=raw.format, pages=raw.pages, ocr=raw.ocr,
                   encoding=raw.encoding, warnings=list(raw.warnings))  # fmt: skip
    lines, page_headers = to_lines(raw)
    meta, used = read_metadata(lines)
    lines = lines[used:]
    styled = has_style(lines)
    cover = read_cover(lines) if styled else None  # a report's cover page instead of a 版头
    if cover:
        lines = lines[cover.end :]
    header = Header() if cover else read_header(lines, styled)
    for line in page_headers[:8]:
        scan_marks(line.text, header)
    order = header.order_issuer is not None
    one_line = raw.format in ("md", "html")
    if cover:
        title, pos = cover.title, 0
    else:
        title, pos = (None, header.end) if order else take_title(lines, header.end, styled, one_line)
    pos, extra_dates = _under_title(lines, pos, header, doc, title)
    doc.meeting, meeting_lines = read_meeting(lines, pos)
    closing = find_closing(lines, pos, meeting_lines)
    body_end = closing.start if closing else len(lines)
    footer = Footer()
    body = _without_footer(lines, pos, body_end, footer, meeting_lines)
    tail = _without_footer(lines, closing.end, len(lines), footer, set()) if closing else []
    if closing is None:
        body, tail = _cut_at_attachment_label(body)
    if order and tail:
        title, rest = take_title(tail, 0, styled, one_line)
        body, tail = body + tail[rest:], []
    doc.title = meta.get("title") or title
    _fill_header(doc, header, meta)
    _fill_body(doc, body, closing)
    doc.attachment_docs = split_attachments(tail)
    doc.cc, doc.keywords = footer.cc, footer.keywords
    doc.recipients = doc.recipients or footer.recipients
    doc.issued_by, doc.issued_date = footer.issued_by, footer.issued_date
    doc.date = (
        (cover.date if cover else None)
        or (closing.date if closing else None)
        or find_date(meta.get("date", ""))
        or (find_date(doc.adoption_note) if doc.adoption_note else None)
        or (extra_dates[0] if extra_dates else None)
        or header.masthead_date
    )
    doc.issuer = cover.issuers if cover and cover.issuers else _issuer(doc, header, meta, closing)
    doc.published = find_date(meta.get("published", "")) or publication_date(raw)
    if not doc.signature and header.masthead_organ:
        doc.signature = [header.masthead_organ]  # a bulletin is signed by its masthead
    return doc


def _under_title(
    lines: list[Line], pos: int, header: Header, doc: Document, title: str | None
) -> tuple[int, list[str]]:
    """文号, 签发人, adoption note, speech date and 主送 standing right under the title
    (and the title printed twice, as web pages do)."""
    dates: list[str] = []
    limit = min(len(lines), pos + 5)
    while pos < limit:
        line = lines[pos]
        number = doc_number_line(line)
        repeated = _repeated_title(lines, pos, title)
        if repeated:
            pos += repeated
            limit = min(len(lines), limit + repeated)
            continue
        if number:
            header.doc_number = header.doc_number or number
            header.signer = header.signer or signers(line.text)
        elif SIGNER.search(line.text) and len(line.text) <= 40:
            header.signer = header.signer or signers(line.text)
        elif bracketed_date(line):
            dates.append(bracketed_date(line) or "")
            if subtitle_line(line.text):
                doc.subtitle = doc.subtitle or line.text
        elif subtitle_line(line.text):
            doc.subtitle = doc.subtitle or line.text  # kept out of the body: the title names the speech
        elif dates and not doc.signature and speaker_line(line.text):
            doc.signature = [line.text]  # the speaker of a speech
        elif adoption_note(line):
            note = adoption_note(line)
            doc.adoption_note = f"{doc.adoption_note}\n{note}" if doc.adoption_note else note
            limit = min(len(lines), limit + 1)  # law histories list several adoption lines
        else:
            recipients = recipients_of(line) or _wrapped_recipients(lines, pos)
            if recipients:
                doc.recipients = recipients
                pos += 2 if recipients_of(line) is None else 1
            break
        pos += 1
    return pos, dates


def _wrapped_recipients(lines: list[Line], pos: int) -> list[str] | None:
    """A 主送 line wrapped onto a second line: ``各乡镇人民政府，区政府各部门，`` / ``区直各单位：``."""
    if pos + 1 >= len(lines) or not lines[pos].text.endswith(("，", "、", ",")):
        return None
    joined = lines[pos].text + lines[pos + 1].text
    return recipients_of(Line(text=joined, flat=joined, block=lines[pos].block, raw=joined))


def _repeated_title(lines: list[Line], pos: int, title: str | None) -> int:
    """How many lines from ``pos`` print the title again (web pages, re-typeset law texts)."""
    if not title:
        return 0
    joined = ""
    for count in range(1, 5):
        if pos + count - 1 >= len(lines):
            return 0
        joined += lines[pos + count - 1].flat
        if joined.replace(" ", "") == title.replace(" ", ""):
            return count
        if not title.replace(" ", "").startswith(joined.replace(" ", "")):
            return 0
    return 0


def _without_footer(
    lines: list[Line], start: int, end: int, footer: Footer, skip: set[int]
) -> list[Line]:
    """Lines start..end minus 版记 items (recorded in ``footer``) and the ``skip`` indexes."""
    kept: list[Line] = []
    i = start
    while i < end:
        if i in skip:
            i += 1
            continue
        had_issuer = footer.issued_date is not None
        used = footer_line(lines, i, footer)
        if used:
            if (
                footer.issued_date
                and not had_issuer
                and not footer.issued_by
                and kept
                and organ_like(kept[-1].text)
            ):
                footer.issued_by = kept.pop().flat  # organ and date printed in two cells
            i += used
            continue
        kept.append(lines[i])
        i += 1
    return kept


def _cut_at_attachment_label(body: list[Line]) -> tuple[list[Line], list[Line]]:
    """Without a closing date, an ``附件1`` label line still starts the attachments."""
    for i, line in enumerate(body):
        if i > 0 and ATTACH_LABEL.match(line.flat) and line.flat.startswith("附件"):
            return body[:i], body[i:]
    return body, []


def _fill_header(doc: Document, header: Header, meta: dict[str, str]) -> None:
    doc.copy_number, doc.secrecy, doc.urgency = header.copy_number, header.secrecy, header.urgency
    doc.restricted, doc.signer = header.restricted, header.signer
    meta_number = (
        normalise_doc_number(meta.get("doc_number", "")) if meta.get("doc_number") else None
    )
    doc.doc_number = meta_number or meta.get("doc_number") or header.doc_number
    if meta.get("keywords"):
        doc.keywords = split_organs(meta["keywords"], on_spaces=True)


def _fill_body(doc: Document, body: list[Line], closing) -> None:
    paragraphs = [line.text for line in body]
    if closing is not None:
        doc.signature = closing.signature or doc.signature
        doc.note, doc.attachments = closing.note, closing.attachments
    if not doc.attachments:
        items, used = attachment_notes_in(paragraphs)
        if items:
            doc.attachments = items
            paragraphs = [p for i, p in enumerate(paragraphs) if i not in used]
    doc.paragraphs = paragraphs
    doc.body = "\n".join(paragraphs)
    doc.headings = headings_of(paragraphs)


def _issuer(doc: Document, header: Header, meta: dict[str, str], closing) -> list[str]:
    if header.masthead_organ:  # a bulletin: the mark is the publication's name
        return [header.masthead_organ]
    if header.issuer_mark:
        return header.issuer_mark
    if meta.get("issuer"):
        return split_organs(meta["issuer"], on_spaces=True)
    if header.order_issuer:
        return [header.order_issuer]
    # The 署名 carries the organ's full name; the title often a short form (区人大常委会).
    from_signature = issuer_from_signature(closing.signature) if closing else []
    return from_signature or issuer_from_title(doc.title)
