"""纪要 header lines: 时间, 地点, 出席, 请假, 列席, 主持人, 记录 -> ``Document.meeting``."""

from __future__ import annotations

import re

from pipeline.structure.lines import Line

_KEYS = {
    "时间": "时间", "会议时间": "时间", "地点": "地点", "会议地点": "地点",
    "出席": "出席", "出席人员": "出席", "参加": "出席", "参加人员": "出席", "参会人员": "出席",
    "与会人员": "出席", "请假": "请假", "缺席": "请假", "列席": "列席", "列席人员": "列席",
    "主持": "主持人", "主持人": "主持人", "记录": "记录", "记录人": "记录",
}  # fmt: skip
MEETING_LINE = re.compile(r"^([\u4e00-\u9fff ]{2,9}?)\s*[：:]\s*(.*)$")
_WINDOW = 14


def meeting_key(text: str) -> tuple[str, str] | None:
    match = MEETING_LINE.match(text)
    if not match:
        return None
    key = _KEYS.get(re.sub(r"\s", "", match.group(1)))
    return (key, match.group(2).strip()) if key else None


def read_meeting(lines: list[Line], start: int) -> tuple[dict[str, str], set[int]]:
    """The meeting header found in the lines after ``start`` and the indexes it used.

    Lines between two header lines that carry no label continue the previous one (a long
    出席 list wrapped onto a second line).
    """
    keyed = [
        i for i in range(start, min(len(lines), start + _WINDOW)) if meeting_key(lines[i].text)
    ]
    if len(keyed) < 2:  # one "时间：" line in a body is not a minutes header
        return {}, set()
    meeting: dict[str, str] = {}
    used: set[int] = set()
    last_key = None
    for i in range(keyed[0], keyed[-1] + 1):
        found = meeting_key(lines[i].text)
        if found:
            last_key, value = found
            meeting[last_key] = f"{meeting[last_key]}、{value}" if last_key in meeting else value
        elif last_key and not re.search(r"[。；]$", lines[i].text):
            meeting[last_key] += lines[i].text
        else:
            continue
        used.add(i)
    return meeting, used
