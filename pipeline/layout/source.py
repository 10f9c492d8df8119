"""Sample-corpus sources: front matter (the gold GB/T 9704 fields) plus body paragraphs.

``load_source(path) -> (Document, options)`` is the gold other tests compare parsers with;
``options`` holds what only the renderer needs (layout, formats, organ marks, as-typed 文号,
date style, masthead issue, speech subtitle). Format: see corpus/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.classify.secrecy import read_mark
from pipeline.layout.content import LAYOUTS, heading_split
from pipeline.model import Document, Heading, ParseError, Secrecy

__all__ = ["KNOWN_FORMATS", "REQUIRED_KEYS", "SourceOptions", "load_source", "parse_secrecy"]

REQUIRED_KEYS = ("genre", "layout", "formats", "title", "date")
KNOWN_FORMATS = ("docx", "pdf", "doc", "wps", "txt-utf8", "txt-gb18030", "txt-utf16", "txt-big5", "html",
                 "scan-pdf", "png")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COMMENT = re.compile(r"\s+#\s.*$")  # "key: value   # comment" as in the format description


@dataclass
class SourceOptions:
    layout: str = "standard"
    formats: list[str] = field(default_factory=lambda: ["docx"])
    organ_mark: list[str] = field(default_factory=list)
    doc_number_as_typed: str | None = None
    date_style: str = "arabic"
    issue: str | None = None  # 第×期 (minutes, bulletins)
    subtitle: str | None = None  # ——在……上的讲话
    extra: dict[str, str] = field(default_factory=dict)  # keys the renderer does not use

    def render_kwargs(self) -> dict:
        """Keyword arguments for ``write_docx`` / ``render_text``."""
        return {"organ_mark": self.organ_mark, "layout": self.layout,
                "doc_number_as_typed": self.doc_number_as_typed, "date_style": self.date_style,
                "issue": self.issue, "subtitle": self.subtitle}


def parse_secrecy(text: str | None) -> Secrecy | None:
    if not text:
        return None
    secrecy = read_mark(text.strip())
    if secrecy is None:
        raise ValueError(f"密级写法不对：{text}")
    return secrecy


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def _front_matter(path: Path, text: str) -> tuple[dict[str, str], list[str]]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ParseError(str(path), "样本源文件缺少开头的 --- 元数据块")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ParseError(str(path), "样本源文件的元数据块没有结束行 ---") from None
    fields: dict[str, str] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ParseError(str(path), f"第{number}行不是“键: 值”格式：{line.strip()}")
        fields[key.strip()] = _COMMENT.sub("", value).strip()
    paragraphs = [line.strip() for line in lines[end + 1 :] if line.strip()]
    return fields, paragraphs


def _headings(paragraphs: list[str]) -> list[Heading]:
    found = []
    for paragraph in paragraphs:
        split = heading_split(paragraph)
        if split:
            found.append(Heading(level=split[0], text=split[1].rstrip("。")))
    return found


def _meeting(value: str | None) -> dict[str, str]:
    meeting = {}
    for part in _split(value):
        key, _, text = part.partition("=")
        meeting[key.strip()] = text.strip()
    return meeting


_DATE_LINE = re.compile(r"^（[^（）]{6,16}日）$")


def _pop_speech_lines(paragraphs: list[str], options: SourceOptions, signature: list[str]) -> list[str]:
    """Leading ``——在……上的讲话`` / ``（日期）`` / speaker lines are rendered from the fields."""
    speaker = {re.sub(r"\s+", "", s) for s in signature}
    rest = list(paragraphs)
    while rest:
        line = rest[0]
        if line.startswith("——") and options.subtitle is None:
            options.subtitle = line
        elif not (_DATE_LINE.match(line) or re.sub(r"\s+", "", line) in speaker):
            break
        rest.pop(0)
    return rest


def load_source(path: str | Path) -> tuple[Document, SourceOptions]:
    """The gold ``Document`` of a source file and its rendering options."""
    path = Path(path)
    fields, paragraphs = _front_matter(path, path.read_text(encoding="utf-8"))
    missing = [key for key in REQUIRED_KEYS if not fields.get(key)]
    if missing:
        raise ParseError(str(path), f"缺少必填项：{'、'.join(missing)}")
    for key in ("date", "issued_date"):
        if fields.get(key) and not _ISO_DATE.match(fields[key]):
            raise ParseError(str(path), f"{key} 须为 YYYY-MM-DD：{fields[key]}")
    options = SourceOptions(
        layout=fields.pop("layout"),
        formats=[f.strip() for f in fields.pop("formats").split(",") if f.strip()],
        organ_mark=_split(fields.pop("organ_mark", None)),
        doc_number_as_typed=fields.pop("doc_number_as_typed", None) or None,
        date_style=fields.pop("date_style", None) or "arabic",
        issue=fields.pop("issue", None) or None,
        subtitle=fields.pop("subtitle", None) or None,
    )
    if options.layout not in LAYOUTS:
        raise ParseError(str(path), f"未知版式 {options.layout}")
    unknown = [f for f in options.formats if f not in KNOWN_FORMATS]
    if unknown:
        raise ParseError(str(path), f"未知输出格式：{'、'.join(unknown)}")
    signature = _split(fields.get("signature"))
    if options.layout == "plain":
        paragraphs = _pop_speech_lines(paragraphs, options, signature)
    # The 发文机关 is the organ mark (standard, letter, minutes); bulletins and speeches name it
    # in their masthead line or signature instead.
    uses_mark = options.layout in ("standard", "letter", "minutes") and options.organ_mark
    issuer = options.organ_mark if uses_mark else signature
    if options.subtitle is not None or fields["genre"] == "讲话稿":
        issuer = []  # a speaker is not an issuing organ
    try:
        secrecy = parse_secrecy(fields.get("secrecy"))
    except ValueError as exc:
        raise ParseError(str(path), str(exc)) from None
    doc = Document(
        path=str(path), format="source", title=fields["title"], doc_number=fields.get("doc_number") or None,
        issuer=list(issuer), date=fields["date"], genre=fields["genre"], secrecy=secrecy,
        urgency=fields.get("urgency") or None, signer=_split(fields.get("signer")),
        recipients=_split(fields.get("recipients")), cc=_split(fields.get("cc")),
        attachments=_split(fields.get("attachments")), issued_by=fields.get("issued_by") or None,
        issued_date=fields.get("issued_date") or None, headings=_headings(paragraphs),
        body="\n".join(paragraphs), copy_number=fields.get("copy_number") or None,
        restricted=fields.get("restricted") or None, signature=signature, note=fields.get("note") or None,
        adoption_note=fields.get("adoption_note") or None, meeting=_meeting(fields.get("meeting")),
        keywords=(fields.get("keywords") or "").split(), paragraphs=paragraphs,
    )
    used = {"genre", "title", "doc_number", "date", "secrecy", "urgency", "signer", "recipients", "cc",
            "attachments", "issued_by", "issued_date", "copy_number", "restricted", "signature", "note",
            "adoption_note", "meeting", "keywords"}
    options.extra = {k: v for k, v in fields.items() if k not in used}
    return doc, options
