"""A finding of the checker: rule, severity, message, where it is and how to fix it.

The JSON form is the contract of ``gongwen check --json`` (DESIGN §3):
``{"rule", "severity": "错误"|"提示", "message", "location", "fix"}`` with ``location``
``{"page", "paragraph", "text"}`` (``paragraph`` counts the document's paragraphs from 1, empty ones
too, as Word does; ``page`` from Word's page marks or, without them, estimated on the 22 × 28 grid)
and, for what belongs to no paragraph, ``part`` (页面设置, 页脚, 表格).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR = "错误"
HINT = "提示"
EXCERPT = 40  # characters of a paragraph a location quotes


@dataclass
class Finding:
    rule: str
    severity: str  # ERROR | HINT
    message: str
    fix: str
    paragraph: int | None = None  # 0-based python-docx index (block index for PDF/OFD)
    page: int | None = None
    text: str | None = None  # the paragraph's text or the offending part of it
    part: str | None = None  # 页面设置, 页脚, 表格 … for what is not in a body paragraph

    def to_json(self) -> dict[str, Any]:
        location: dict[str, Any] = {}
        if self.page is not None:
            location["page"] = self.page
        if self.paragraph is not None:
            location["paragraph"] = self.paragraph + 1
        if self.text:
            location["text"] = excerpt(self.text)
        if self.part:
            location["part"] = self.part
        return {"rule": self.rule, "severity": self.severity, "message": self.message,
                "location": location, "fix": self.fix}

    def where(self) -> str:
        """The location in words, for the text report and Word comments."""
        parts = []
        if self.page is not None:
            parts.append(f"第{self.page}页")
        if self.paragraph is not None:
            parts.append(f"第{self.paragraph + 1}段")
        if self.part:
            parts.append(self.part)
        return "，".join(parts) or "全文"


def excerpt(text: str, around: int | None = None, width: int = EXCERPT) -> str:
    """``text`` cut to ``width`` characters, centred on position ``around`` when given."""
    text = text.replace("\n", " ")
    if len(text) <= width:
        return text
    if around is None:
        return text[:width] + "…"
    start = max(0, min(around - width // 2, len(text) - width))
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")
