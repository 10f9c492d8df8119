"""The dataclasses every stage shares.

The flow is ``files -> formats/ -> RawDocument -> structure/ -> Document``; later stages
(classify, archive, index, templates) read and annotate the same ``Document``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Block:
    """One paragraph-like unit a reader found, in reading order, with its style hints.

    Style hints are ``None`` when the format does not carry them (plain text, OCR, html).
    """

    text: str
    page: int | None = None  # 1-based page number where the format knows it
    kind: str = "para"  # para | table | header | footer
    font: str | None = None
    size: float | None = None  # font size in points
    bold: bool | None = None
    color: str | None = None  # "RRGGBB", upper case
    align: str | None = None  # left | center | right | justify

    @property
    def is_red(self) -> bool:
        """True for the reddish colours used by the 发文机关标志 and the separator line."""
        if not self.color or len(self.color) != 6:
            return False
        r, g, b = (int(self.color[i : i + 2], 16) for i in (0, 2, 4))
        return r >= 0xB0 and g <= 0x60 and b <= 0x60


@dataclass
class RawDocument:
    """What a format reader produces: ordered blocks plus facts about the file."""

    path: str
    format: str  # docx pdf ofd doc wps txt md html image
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False  # text came from OCR (some or all pages)
    encoding: str | None = None  # for text formats: the detected encoding
    warnings: list[str] = field(default_factory=list)  # Chinese, shown to users

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass
class Secrecy:
    level: str  # 绝密 | 机密 | 秘密
    term: str | None = None  # 保密期限 as written, e.g. "1年", "长期"

    def printed(self) -> str:
        """The mark as GB/T 9704 prints it: ``机密★1年``, or the level alone."""
        return self.level + (f"★{self.term}" if self.term else "")


@dataclass
class Heading:
    level: int  # 1: 一、  2: （一）  3: 1.  4: （1）
    text: str


@dataclass
class Attachment:
    """An attachment that follows the main text (附件1 + its own title and text)."""

    label: str  # "附件1" / "附件"
    title: str | None = None
    text: str = ""


@dataclass
class Document:
    """A GB/T 9704 document: header fields, title, body, 版记 — the model every stage shares."""

    path: str
    format: str
    title: str | None = None
    # True when the file printed no title and ``title`` was composed from the text (an adoption
    # note and the act, a first heading or sentence): shown as archivists mark 自拟题名, ［……］
    title_derived: bool = False
    doc_number: str | None = None  # 发文字号, normalised to 〔〕
    issuer: list[str] = field(default_factory=list)  # 发文机关 (joint documents: several)
    date: str | None = None  # 成文日期, ISO YYYY-MM-DD
    genre: str | None = None  # 文种, Chinese label from DESIGN.md §3
    secrecy: Secrecy | None = None
    urgency: str | None = None  # 特急 | 加急 | 特提 | 平急
    signer: list[str] = field(default_factory=list)  # 签发人
    recipients: list[str] = field(default_factory=list)  # 主送机关
    cc: list[str] = field(default_factory=list)  # 抄送
    attachments: list[str] = field(default_factory=list)  # 附件说明 titles
    issued_by: str | None = None  # 印发机关
    issued_date: str | None = None  # 印发日期, ISO
    headings: list[Heading] = field(default_factory=list)
    body: str = ""  # clean body text: paragraphs joined by "\n"
    pages: int | None = None
    # Beyond the parse contract: more of GB/T 9704 and the archive's needs.
    copy_number: str | None = None  # 份号
    restricted: str | None = None  # 内部资料 / 内部文件 (weaker than 密级)
    signature: list[str] = field(default_factory=list)  # 发文机关署名 as printed
    note: str | None = None  # 附注 (in round brackets)
    published: str | None = None  # a web page's publication line (发布时间：…), ISO; not the 成文日期
    adoption_note: str | None = None  # （2023年1月10日……会议通过）
    subtitle: str | None = None  # a speech's subtitle: ——在……上的讲话 / ——2021年1月12日在……上
    meeting: dict[str, str] = field(default_factory=dict)  # 纪要: 时间 地点 出席 请假 列席 主持人
    keywords: list[str] = field(default_factory=list)  # pre-2012 主题词
    paragraphs: list[str] = field(default_factory=list)  # body paragraphs, in order
    attachment_docs: list[Attachment] = field(default_factory=list)
    ocr: bool = False
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    CONTRACT_FIELDS = (
        "path", "format", "title", "title_derived", "doc_number", "issuer", "date", "genre",
        "secrecy", "urgency", "signer", "recipients", "cc", "attachments", "issued_by", "issued_date",
        "headings", "body", "pages",
    )  # fmt: skip

    def to_json(self, full: bool = False) -> dict[str, Any]:
        """The ``gongwen parse --json`` object; ``full`` adds the extra fields."""
        data = asdict(self)
        if full:
            return data
        return {key: data[key] for key in self.CONTRACT_FIELDS}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        if data.get("secrecy"):
            data["secrecy"] = Secrecy(**data["secrecy"])
        data["headings"] = [Heading(**h) for h in data.get("headings", [])]
        data["attachment_docs"] = [Attachment(**a) for a in data.get("attachment_docs", [])]
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


UNTITLED = "［无题名］"  # shown for a record with no text to compose a title from


def shown_title(title: str | None, derived: bool | None, untitled: str = "") -> str:
    """A title as users read it: a composed one in the square brackets of 自拟题名 (``［……］``)."""
    if not title:
        return untitled
    return f"［{title}］" if derived else title


class ParseError(Exception):
    """A file that cannot be read. ``reason`` is Chinese and shown to users as is."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}：{reason}")
        self.path = path
        self.reason = reason
