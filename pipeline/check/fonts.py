"""Font families as GB/T 9704 names them, whatever a document calls the face.

``仿宋_GB2312``, ``仿宋``, ``FangSong``, ``方正仿宋_GBK`` are all 仿宋; a document is judged by the
fonts it declares (this machine has neither 方正小标宋 nor 仿宋_GB2312 to render with).
"""

from __future__ import annotations

# family -> substrings of face names (lower case) that belong to it; the first match wins, so
# 小标宋 is tested before 宋体 and 仿宋 before 宋.
_FAMILIES = (
    ("小标宋", ("小标宋", "xiaobiaosong", "fzxbs")),
    ("仿宋", ("仿宋", "fangsong", "fang song")),
    ("楷体", ("楷体", "楷书", "kaiti", "kai ti", "stkaiti")),
    ("黑体", ("黑体", "simhei", "heiti", "stheiti")),
    ("宋体", ("宋体", "simsun", "songti", "stsong", "书宋", "中宋")),
)
# the families GB/T 9704 uses for a 公文's text (a heading in the wrong one of these is a slip of
# level; anything else is a foreign font)
GBT_FAMILIES = ("小标宋", "仿宋", "楷体", "黑体")
# digits and Latin letters may be set in Times New Roman beside any Chinese face
LATIN_NEUTRAL = ("times new roman", "times")


def family(face: str | None) -> str | None:
    """The GB/T 9704 family of a face name, or None for any other face (微软雅黑, 等线, Arial)."""
    if not face:
        return None
    name = face.lower()
    for label, needles in _FAMILIES:
        if any(needle in name for needle in needles):
            return label
    return None


def describe(face: str | None) -> str:
    return face or "未指定字体"
