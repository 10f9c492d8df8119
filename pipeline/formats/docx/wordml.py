"""WordprocessingML names and the small element helpers every part of the .docx reader shares."""

from __future__ import annotations

from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
# ``w:jc`` values → ``Block.align``.
ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
         "both": "justify", "distribute": "justify", "lowKashida": "justify",
         "mediumKashida": "justify", "highKashida": "justify", "thaiDistribute": "justify"}  # fmt: skip
# On/off attribute values that mean off (``w:b w:val="0"``).
FALSE_VALUES = {"0", "false", "off", "none"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def val(element: Any, tag: str) -> str | None:
    """The ``w:val`` of child ``tag`` (``""`` when present without a value), else None."""
    if element is None:
        return None
    child = element.find(w(tag))
    if child is None:
        return None
    return child.get(w("val"), "")
