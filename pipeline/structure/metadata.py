"""A leading key-value block of web-exported texts (``标题：… 发文机关：… 发文字号：…``)."""

from __future__ import annotations

import re

from pipeline.structure.lines import Line

_KEYS = {
    "标题": "title", "题名": "title", "名称": "title", "发文机关": "issuer", "发布机关": "issuer",
    "发文单位": "issuer", "发文字号": "doc_number", "文号": "doc_number", "成文日期": "date",
    "发布日期": "published", "发文日期": "date", "主题分类": "topic", "索引号": "index", "来源": "source",
    "主题词": "keywords", "公文种类": "genre", "发布时间": "published", "生效日期": "effective",
    "时效性": "validity", "效力级别": "validity", "所属类别": "topic", "成文时间": "date",
    "发文时间": "published", "发布机构": "issuer", "效力状态": "validity", "信息来源": "source",
}  # fmt: skip
_LINE = re.compile(r"^[-•·*]?\s*([\u4e00-\u9fff][\u4e00-\u9fff ]{1,8}?)\s*[：:]\s*(.*)$")


def read_metadata(lines: list[Line]) -> tuple[dict[str, str], int]:
    """(metadata, number of lines it used); nothing unless at least two known keys lead."""
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines):
        match = _LINE.match(lines[i].text)
        key = match.group(1).replace(" ", "") if match else None
        if key not in _KEYS:
            break
        value = match.group(2).strip()
        if value and value not in ("无", "-", "—", "暂无"):
            meta.setdefault(_KEYS[key], value)
        i += 1
    if len(meta) < 2 or not ({"title", "issuer", "doc_number"} & meta.keys()):
        return {}, 0
    return meta, i
