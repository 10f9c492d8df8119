"""A leading key-value block of web-exported texts (``标题：… 发文机关：… 发文字号：…``)."""

from __future__ import annotations

import re

from pipeline.structure.lines import Line

_KEYS = {
    "标题": "title", "题名": "title", "名称": "title", "发文机关": "issuer", "发布机关": "issuer",
    "发文单位": "issuer", "发文字号": "doc_number", "文号": "doc_number", "成文日期": "date",
    "发布日期": "published", "发文日期": "date", "主题分类": "topic", "索引号": "index", "来源": "source",
    "主题词": "keywords", "公文种类": "genre", "发布时间": "published", "生效日期": "effective",
    "时效性": "validity", "效力级别": "validity", "所属类别": "topic",
}  # fmt: skip
_LINE = re.compile(r"^([\u4e00-\u9fff]{2,5})\s*[：:]\s*(.*)$")


def read_metadata(lines: list[Line]) -> tuple[dict[str, str], int]:
    """(metadata, number of lines it used); nothing unless at least two known keys lead."""
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines):
        match = _LINE.match(lines[i].text)
        if not match or match.group(1) not in _KEYS:
            break
        meta[_KEYS[match.group(1)]] = match.group(2).strip()
        i += 1
    if len(meta) < 2 or not ({"title", "issuer", "doc_number"} & meta.keys()):
        return {}, 0
    return meta, i
