"""Phrase bank: a genre's recurring phrases by position (opening, transition, body, closing).

The phrases are the maximal frequent n-grams the miner found (support ≥ 2 documents), each with
its count, its document support and the documents it comes from.
"""

from __future__ import annotations

from typing import Any

POSITIONS = ("opening", "transition", "body", "closing")
_CHINESE = {"开头": "opening", "开篇": "opening", "过渡": "transition", "承转": "transition",
            "正文": "body", "主体": "body", "结尾": "closing", "结束": "closing"}


def normalise_position(position: str | None) -> str | None:
    """``opening`` … or its Chinese name; ``ValueError`` (Chinese) for anything else."""
    if position is None:
        return None
    position = _CHINESE.get(position, position)
    if position not in POSITIONS:
        raise ValueError(f"位置须为 opening、transition、body、closing（开头、过渡、正文、结尾）之一：{position}")
    return position


def phrase_bank(template: dict[str, Any], position: str | None = None, limit: int = 50) -> dict[str, Any]:
    wanted = normalise_position(position)
    items = []
    for p in template.get("phrases", []):
        if wanted and p["zone"] != wanted:
            continue
        items.append({"text": p["text"], "position": p["zone"], "count": p["count"], "documents": p["support"],
                      "sources": p["documents"][:10]})
    items.sort(key=lambda p: (POSITIONS.index(p["position"]), -p["documents"], -p["count"]))
    if wanted is None:  # keep every position represented when the list is cut
        per = max(1, limit // len(POSITIONS))
        items = [p for pos in POSITIONS for p in [q for q in items if q["position"] == pos][:per]]
    return {"genre": template["genre"], "position": wanted, "phrases": items[:limit]}
