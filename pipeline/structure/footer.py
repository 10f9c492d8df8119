"""版记: 抄送, 主送 (moved to the foot), 印发机关 and 印发日期, 主题词, print counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.structure.lines import ORGAN_END, Line
from pipeline.structure.normalise import close_up, split_list, split_organs
from pipeline.text.dates import CN_YEAR, DAY, DOT, MONTH, YEAR, find_date

CC = re.compile(r"^(?:抄\s*送|分\s*送|抄\s*报)\s*[：:]\s*(.*)$")
MAIN_TO = re.compile(r"^主\s*送\s*[：:]\s*(.*)$")
KEYWORDS = re.compile(r"^主\s*题\s*词\s*[：:]\s*(.*)$")
ISSUED = re.compile(
    rf"^(.*?)\s*({YEAR}\s*年.{{1,12}}?日|{YEAR}\s*{DOT}\s*{MONTH}\s*{DOT}\s*{DAY}|{CN_YEAR}年.{{1,10}}?日)"
    r"\s*(?:印\s*发|翻\s*印|印)\s*$"
)
PRINT_COUNT = re.compile(r"^[（(]?\s*共\s*印\s*\d+\s*份\s*[）)]?$")


@dataclass
class Footer:
    cc: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    issued_by: str | None = None
    issued_date: str | None = None


def _continues(text: str) -> bool:
    """A cc/主送 list wraps when it does not end with a full stop."""
    return not re.search(r"[。.]$", text)


def _issued(text: str) -> re.Match[str] | None:
    """``ISSUED.match``; the expression tries every split of a long line, and every match ends
    in 印 (印发, 翻印, 印)."""
    return ISSUED.match(text) if "印" in text else None


def footer_line(lines: list[Line], i: int, footer: Footer) -> int:
    """If ``lines[i]`` starts a 版记 item, record it and return how many lines it took; else 0."""
    text = lines[i].text
    for pattern, target in ((CC, footer.cc), (MAIN_TO, footer.recipients)):
        match = pattern.match(text)
        if match:
            value, used = match.group(1), 1
            while (
                _continues(value)
                and i + used < len(lines)
                and _list_continuation(lines[i + used].text)
            ):
                value += lines[i + used].text
                used += 1
            target.extend(
                split_list(value, ORGAN_END) if target is footer.cc else split_organs(value)
            )
            return used
    match = KEYWORDS.match(text)
    if match:
        footer.keywords.extend(split_organs(match.group(1), on_spaces=True))
        return 1
    match = _issued(text) if len(text) <= 60 else None
    if match and not re.search(r"[，。；,;：:]", match.group(1)):
        footer.issued_by = close_up(match.group(1).strip()) or None
        footer.issued_date = find_date(match.group(2))
        return 1
    if PRINT_COUNT.match(text):
        return 1
    return 0


def _list_continuation(text: str) -> bool:
    """A wrapped cc line: a short list of names, not a new labelled item or a sentence."""
    if CC.match(text) or MAIN_TO.match(text) or _issued(text) or PRINT_COUNT.match(text):
        return False
    return (
        len(text) <= 80
        and ("，" in text or "、" in text or text.endswith("。"))
        and "：" not in text
    )
