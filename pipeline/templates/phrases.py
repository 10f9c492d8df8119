"""Phrase bank: a genre's recurring phrases by position (opening, transition, body, closing).

The template's fixed phrases (built in, or mined and cut to readable ones) come first, then the
other frequent n-grams the miner found in the archive (support ≥ 2 documents), each with its
count, its document support and the documents it comes from, then the rest of the template's own
wording (its skeleton's clauses, cut at words), so that an empty archive offers every position.
"""

from __future__ import annotations

from typing import Any

from pipeline.templates.assemble import zone_of
from pipeline.templates.boundaries import MIN_CHARS, trim_to_words
from pipeline.templates.phrase_forms import word_runs
from pipeline.templates.slots import normalise

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


def _entries(template: dict[str, Any]) -> list[dict[str, Any]]:
    items = [{"text": f["text"], "position": f["position"], "count": f.get("support", 0),
              "documents": f.get("support", 0), "source": f.get("source", "built-in"),
              "sources": [{"id": i} for i in f.get("documents", [])][:10]} for f in template["fixed"]]
    seen = {i["text"] for i in items}
    for p in template.get("phrases", []):
        if p["text"] not in seen:
            items.append({"text": p["text"], "position": p["zone"], "count": p["count"], "documents": p["support"],
                          "source": "mined", "sources": p["documents"][:10]})
            seen.add(p["text"])
    for entry in _wording(template):
        if not any(entry["text"] in text or text in entry["text"] for text in seen):
            items.append(entry)
            seen.add(entry["text"])
    return items


def _wording(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The skeleton's clauses (whole words, particles at the edges dropped) with their positions."""
    skeleton = template.get("skeleton", [])
    out = []
    for index, paragraph in enumerate(skeleton):
        for clause, edges in word_runs(normalise(paragraph)):
            if len(edges) < 2:
                continue
            text = trim_to_words(clause[edges[0]:edges[-1]], [clause])
            if len(text) >= MIN_CHARS:
                out.append({"text": text, "position": zone_of(index, skeleton), "count": 0, "documents": 0,
                            "source": "built-in", "sources": []})
    return out


def phrase_bank(template: dict[str, Any], position: str | None = None, limit: int = 50) -> dict[str, Any]:
    wanted = normalise_position(position)
    items = [p for p in _entries(template) if not wanted or p["position"] == wanted]
    fixed = {f["text"] for f in template["fixed"]}
    items.sort(key=lambda p: (POSITIONS.index(p["position"]), p["text"] not in fixed, -p["documents"], -p["count"]))
    if wanted is None:  # keep every position represented when the list is cut
        per = max(1, limit // len(POSITIONS))
        items = [p for pos in POSITIONS for p in [q for q in items if q["position"] == pos][:per]]
    return {"genre": template["genre"], "position": wanted, "phrases": items[:limit]}
