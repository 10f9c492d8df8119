"""What each part of a GB/T 9704 page is set in: font family and size per element, and the heading
levels (一、 黑体, （一） 楷体, 1. and （1） 仿宋) of a run-in or whole-paragraph heading."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pipeline.check.docmodel import Para
from pipeline.check.findings import ERROR, HINT
from pipeline.check.zones import Zones
from pipeline.layout.metrics import BODY_PT, FOOTER_PT, TITLE_PT
from pipeline.structure.body import heading_of
from pipeline.structure.footer import KEYWORDS
from pipeline.structure.normalise import clean_line

HEADING_FAMILY = {1: "黑体", 2: "楷体", 3: "仿宋", 4: "仿宋"}
LEVEL_NAMES = {1: "一级标题", 2: "二级标题", 3: "三级标题", 4: "四级标题"}
# the number a paragraph starts with, per level (group 1: the number as written)
HEADING_MARKERS = (
    (1, re.compile(r"^([一二三四五六七八九十百]{1,4})(?:、|[．.](?!\d))")),
    (2, re.compile(r"^[（(]([一二三四五六七八九十百]{1,4})[）)]")),
    (3, re.compile(r"^(\d{1,3})(?:[.．](?!\d)|、)")),
    (4, re.compile(r"^[（(](\d{1,3})[）)]")),
)


@dataclass
class Element:
    para: Para
    name: str  # 正文, 标题, 主送机关 … as a reviewer names it
    families: tuple[str, ...]  # accepted families (fonts.family labels)
    size: float | None  # points; None: not checked
    severity: str  # of a wrong font or size
    heading: tuple[int, int] | None = None  # (level, characters the heading covers)


def heading_span(text: str) -> tuple[int, int] | None:
    """(level, length) of the heading a paragraph starts with, and how far the level's face may
    reach: the whole paragraph. A run-in heading's face covers its first sentence, but offices
    (and the project's own writer) also set a numbered item in it throughout."""
    level = heading_level(text)
    return (level, len(text)) if level is not None else None


def heading_level(text: str) -> int | None:
    """The level of the heading number a paragraph starts with (一、 1, （一） 2, 1. 3, （1） 4)."""
    text = text.strip()
    heading = heading_of(text)
    if heading is not None:
        return heading.level if heading.level in HEADING_FAMILY else None
    for level, pattern in HEADING_MARKERS:
        if pattern.match(text):
            return level
    return None


def elements(zones: Zones) -> Iterator[Element]:
    """Every paragraph whose font and size the standard fixes, with what it fixes."""
    for para in zones.title:
        yield Element(para, "标题", ("小标宋",), TITLE_PT, ERROR)
    for para in zones.marks:
        yield Element(para, "发文机关标志", ("小标宋",), None, HINT)
    if zones.doc_number is not None and zones.doc_number is not zones.signer:
        yield Element(zones.doc_number, "发文字号", ("仿宋",), BODY_PT, HINT)
    for para in zones.under_title:
        yield Element(para, "标题下的说明", ("楷体", "仿宋"), BODY_PT, HINT)
    for para in (zones.recipient, zones.salutation):
        if para is not None:
            yield Element(para, "主送机关" if para is zones.recipient else "称呼", ("仿宋",), BODY_PT,
                          ERROR)
    for para in _text(zones):
        span = heading_span(para.text)
        yield Element(para, "正文", ("仿宋",), BODY_PT, ERROR, span)
    for para in zones.attach_note:
        yield Element(para, "附件说明", ("仿宋",), BODY_PT, ERROR)
    for para in zones.signature + ([zones.date] if zones.date else []):
        yield Element(para, "署名和成文日期", ("仿宋",), BODY_PT, ERROR)
    if zones.note is not None:
        yield Element(zones.note, "附注", ("仿宋",), BODY_PT, HINT)
    for attachment in zones.attachments:
        if attachment.label is not None:
            yield Element(attachment.label, "附件标识", ("黑体",), BODY_PT, HINT)
        for para in attachment.title:
            yield Element(para, "附件标题", ("小标宋",), TITLE_PT, HINT)
    for para in zones.banji:
        if not KEYWORDS.match(clean_line(para.text)):  # a pre-2012 主题词 line is 黑体 by its own rule
            yield Element(para, "版记", ("仿宋",), FOOTER_PT, HINT)


def _text(zones: Zones) -> list[Para]:
    """Body paragraphs set in 三号仿宋 (the 纪要 lines' labels are 黑体 and checked apart)."""
    paras = list(zones.body)
    for attachment in zones.attachments:
        paras += attachment.body
    return paras
