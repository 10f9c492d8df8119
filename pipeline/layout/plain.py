"""The document as plain text lines in reading order (what a .txt export of the .docx holds)."""

from __future__ import annotations

from pipeline.layout.content import format_date, mark_lines, resolve_options, secrecy_text
from pipeline.model import Document


def render_text(doc: Document, *, organ_mark: list[str] | None = None, layout: str = "standard",
                doc_number_as_typed: str | None = None, date_style: str = "arabic",
                issue: str | None = None, subtitle: str | None = None) -> str:
    """The document as text lines in reading order (what a .txt export of the .docx holds)."""
    opts, paragraphs = resolve_options(doc, organ_mark, layout, doc_number_as_typed, date_style, issue, subtitle)
    date = format_date(doc.date, date_style)
    lines: list[str] = []
    lines += [x for x in (doc.copy_number, secrecy_text(doc), doc.restricted, doc.urgency) if x]
    if opts.layout in ("standard", "letter", "minutes", "bulletin"):
        lines += mark_lines(opts)
        if opts.issue:
            lines.append(opts.issue)
        if opts.layout == "bulletin" and (doc.signature or date):
            lines.append("　　".join(x for x in ("、".join(doc.signature), date) if x))
        if opts.doc_number:
            signer = f"　　签发人：{'、'.join(doc.signer)}" if doc.signer else ""
            lines.append(opts.doc_number + signer)
        lines.append("")
    if doc.title:
        lines.append(doc.title)
    if opts.subtitle:
        lines.append(opts.subtitle)
    if doc.adoption_note:
        lines.append(doc.adoption_note)
    if opts.is_speech:
        lines += [x for x in (f"（{date}）" if date else "", "　".join(doc.signature)) if x]
    lines.append("")
    lines += [f"{key}：{value}" for key, value in doc.meeting.items()]
    if doc.recipients:
        lines.append("、".join(doc.recipients) + "：")
    lines += ["　　" + p for p in paragraphs]
    if doc.attachments:
        lines.append("")
        lines += [("　　附件：" if i == 0 else "　　　　　") + a for i, a in enumerate(doc.attachments)]
    if not opts.is_speech and opts.layout != "bulletin":
        lines.append("")
        lines += list(doc.signature)
        if date:
            lines.append(date)
    if doc.note:
        lines.append("　　" + doc.note)
    for attachment in doc.attachment_docs:
        lines += ["", attachment.label] + ([attachment.title] if attachment.title else [])
        lines += ["　　" + t.strip() for t in attachment.text.split("\n") if t.strip()]
    lines += record_lines(doc)
    return "\n".join(lines).rstrip("\n") + "\n"


def record_lines(doc: Document) -> list[str]:
    """版记 as text: 主题词, 抄送, 印发机关 + 印发日期."""
    lines: list[str] = []
    if doc.keywords:
        lines.append("主题词：" + "　".join(doc.keywords))
    if doc.cc:
        lines.append("抄送：" + "，".join(doc.cc) + "。")
    if doc.issued_by or doc.issued_date:
        lines.append("　　".join(x for x in (doc.issued_by, format_date(doc.issued_date) + "印发"
                                             if doc.issued_date else "") if x))
    return ([""] + lines) if lines else []
