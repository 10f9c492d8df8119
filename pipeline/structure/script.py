"""Traditional-character documents: recognised on a simplified shadow, reported as written.

The recogniser's patterns (号, 纪要, 关于, 时间：…) are written in simplified characters. A document
written in traditional characters (a Big5 file, a Hong Kong or Taiwan text) is recognised on a
copy converted character by character — every position stays where it was — and each recognised
text field is then mapped back to the characters the document itself used, so nothing is
silently rewritten. Canonical values (dates, 密级 levels, 文种, 紧急程度, meeting labels) stay simplified.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from typing import Any

from pipeline.model import Document, RawDocument
from pipeline.text.normalize import CJK_RANGE, has_traditional, simplified_chars

TRADITIONAL_SHARE = 0.05  # of the Chinese characters that convert; simplified text scores ~0
CANONICAL_FIELDS = frozenset({
    "path", "format", "date", "genre", "secrecy", "urgency", "issued_date", "restricted",
    "encoding", "warnings", "pages", "ocr",
})  # fmt: skip
_CHINESE_RE = re.compile(f"[{CJK_RANGE}]")


def simplified_shadow(raw: RawDocument) -> tuple[RawDocument, dict[str, str]] | None:
    """(a simplified copy of ``raw``, simplified → traditional character map) when ``raw`` is
    written in traditional characters, else None."""
    text = "".join(block.text for block in raw.blocks)
    if not has_traditional(text):  # nearly every document: no per-character pass
        return None
    table = simplified_chars()
    chinese = _CHINESE_RE.findall(text)
    converted = [ch for ch in chinese if ord(ch) in table]
    if not chinese or len(converted) < TRADITIONAL_SHARE * len(chinese):
        return None
    # Which traditional character stood for each simplified one in this document (发 ← 發, not 髮).
    counts = Counter((table[ord(ch)], ch) for ch in converted)
    back: dict[str, str] = {}
    for (simple, original), _ in counts.most_common():
        back.setdefault(simple, original)
    blocks = [dataclasses.replace(block, text=block.text.translate(table)) for block in raw.blocks]
    return dataclasses.replace(raw, blocks=blocks), back


def restore(doc: Document, back: dict[str, str]) -> Document:
    """Map the text fields of ``doc`` back to the document's own characters (in place)."""
    table = {ord(simple): original for simple, original in back.items()}
    for field in dataclasses.fields(doc):
        if field.name not in CANONICAL_FIELDS:
            setattr(doc, field.name, _translate(getattr(doc, field.name), table))
    return doc


def _translate(value: Any, table: dict[int, str]) -> Any:
    if isinstance(value, str):
        return value.translate(table)
    if isinstance(value, list):
        return [_translate(item, table) for item in value]
    if isinstance(value, dict):  # 纪要 header lines: canonical labels, values as written
        return {key: _translate(item, table) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _translate(getattr(value, f.name), table) for f in dataclasses.fields(value)
                   if f.name not in ("level", "label")}
        return dataclasses.replace(value, **changes)
    return value

