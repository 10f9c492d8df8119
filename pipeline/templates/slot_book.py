"""The template's slots: their names, kinds and example values, header fields, adoption note.

``SlotBook`` names the slots in order of first use (typed slots after their kind's label, free
text ``正文1``, ``正文2`` …) with examples from the archive. Header slots are the fields most
documents fill (title, 文号, 主送, 署名, date …; a 纪要's header lines; a speech's speaker); the
adoption note of 决议/决定 becomes a pattern of slots when documents share it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pipeline.templates.fixed_phrases import Phrase
from pipeline.templates.outline import MinedDoc
from pipeline.templates.slots import KINDS, MARKER_KIND, MARKERS

MEETING_KEYS = ("时间", "地点", "主持人", "出席", "请假", "缺席", "列席", "记录")


@dataclass
class SlotBook:
    """Slot names in order of first use, with kind and archive examples."""

    slots: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_kind: Counter[str] = field(default_factory=Counter)
    examples_of: dict[str, list[str]] = field(default_factory=dict)  # kind -> archive values

    def learn(self, docs: list[MinedDoc]) -> None:
        """Values of each slot kind in the documents (examples for slots outside fixed phrases)."""
        for d in docs:
            for unit in d.text_units:
                for kind, value in unit.values:
                    bucket = self.examples_of.setdefault(kind, [])
                    if value not in bucket and len(bucket) < 5:
                        bucket.append(value)

    def add(self, name: str, kind: str, examples: list[str] | None = None) -> str:
        if name not in self.slots:
            self.slots[name] = {"name": name, "kind": kind, "examples": []}
        for example in examples or []:
            ex = self.slots[name]["examples"]
            if example and example not in ex and len(ex) < 5:
                ex.append(example)
        return name

    def typed(self, kind: str) -> str:
        self.per_kind[kind] += 1
        label = KINDS[kind][1]
        return label if self.per_kind[kind] == 1 else f"{label}{self.per_kind[kind]}"

    def free(self, base: str) -> str:
        self.per_kind[base] += 1
        return self.add(f"{base}{self.per_kind[base]}", "text")


_FIELD_SLOTS = (  # (slot name, kind, getter)
    ("发文机关", "organ", lambda d: "、".join(d.issuer)),
    ("文号", "doc_number", lambda d: d.doc_number or ""),
    ("签发人", "person", lambda d: "、".join(d.signer)),
    ("标题", "text", lambda d: d.title or ""),
    ("主送机关", "organ", lambda d: "、".join(d.recipients)),
    ("附件", "text", lambda d: "|".join(d.attachments)),
    ("署名", "organ", lambda d: "、".join(d.signature)),
    ("成文日期", "date", lambda d: d.date or ""),
    ("抄送", "organ", lambda d: "、".join(d.cc)),
    ("印发机关", "organ", lambda d: d.issued_by or ""),
    ("印发日期", "date", lambda d: d.issued_date or ""),
)
_MEETING_KIND = {"时间": "date", "地点": "text", "主持人": "person", "出席": "person", "请假": "person",
                 "缺席": "person", "列席": "person", "记录": "person"}


def header_slots(docs: list[MinedDoc], genre: str, min_share: float) -> list[dict[str, Any]]:
    """Fields most documents fill (title, 文号, 主送, 署名, date…; 纪要 header lines; speaker)."""
    needed = max(1, math.ceil(min_share * len(docs)))
    slots = []
    for name, kind, getter in _FIELD_SLOTS:
        values = [getter(d.doc) for d in docs if getter(d.doc)]
        if name == "署名" and genre == "讲话稿":
            name, kind = "讲话人", "person"
        if len(values) >= needed or name == "标题":
            slots.append({"name": name, "kind": kind, "examples": list(dict.fromkeys(values))[:5]})
    meeting_keys: Counter[str] = Counter(k for d in docs for k in d.doc.meeting)
    for key in sorted(meeting_keys, key=lambda k: MEETING_KEYS.index(k) if k in MEETING_KEYS else 99):
        if meeting_keys[key] >= needed:
            values = [d.doc.meeting[key] for d in docs if d.doc.meeting.get(key)]
            slots.append({"name": key, "kind": _MEETING_KIND.get(key, "text"),
                          "examples": list(dict.fromkeys(values))[:5]})
    return slots


def _bare_note(masked: str) -> str:
    return re.sub(r"^（|）$", "", masked)


def adoption_pattern(docs: list[MinedDoc], book: SlotBook) -> tuple[str, Phrase] | None:
    """``（{{ 通过日期 }}{{ 会议名称 }}通过）`` and its phrase, when documents share an adoption note.

    The adoption note is a header line of 决议/决定 that only some sources keep (web texts and
    the NPC files often drop it): its form counts when ≥ 2 documents and most notes share it.
    """
    holders = [(d, u) for d in docs for u in d.units if u.kind == "通过说明"]
    if len(holders) < 2:
        return None
    forms = Counter(_bare_note(u.masked) for _, u in holders)
    bare, support = forms.most_common(1)[0]
    if support < 2 or support * 2 < len(holders):
        return None
    common = "（" + bare + "）"
    sharing = [(d, u) for d, u in holders if _bare_note(u.masked) == bare]
    notes = [u for _, u in sharing]
    phrase = Phrase(bare, support, [d.doc_id for d, _ in sharing], 0.0, "opening", support)
    values = [[v for k, v in u.values if k == "date"] for u in notes]
    out = []
    for c in common:
        if c in MARKERS:
            kind = MARKER_KIND[c]
            if kind == "date":
                out.append("{{ " + book.add("通过日期", "date", [v[0] for v in values if v]) + " }}")
            else:
                name = book.add(KINDS[kind][1], kind, [val for u in notes for k, val in u.values if k == kind])
                out.append("{{ " + name + " }}")
        else:
            out.append(c)
    return "".join(out), phrase
