"""A built-in spec as the template every command uses (``show``, ``draft``, the web form).

The template holds the GB/T 9704 element slots of the genre's layout, then the content slots in
the order a drafter meets them, the fixed phrases in document order (each with its zone: opening,
transition, body or closing), the outline, the skeleton and the variants. ``SCHEMA`` marks this
shape; templates stored by older versions (free slots ``正文1`` …) are not drafted from.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.templates.builtin import Spec, Variant, spec_for
from pipeline.templates.builtin.spec import ORGAN_SHORT, items, line, para
from pipeline.templates.elements import ELEMENTS, MEETING_LINES, element_slot, layout_slots

SCHEMA = 2
SLOT_REF = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_TAIL_ELEMENTS = ("附件", "署名", "成文日期", "附注", "抄送机关", "印发机关", "印发日期")
_OUTLINE_NAMES = {"发文机关": "发文机关标志", "文号": "发文字号", "附件": "附件说明", "印发机关": "印发机关和印发日期",
                  "紧急程度": "紧急程度", "签发人": "签发人"}


def refs(text: str | None) -> list[str]:
    """Slot names referred to in ``text``, in order."""
    return SLOT_REF.findall(text or "")


def _pick(spec: Spec, variant: str | None) -> Variant | None:
    if not variant or variant == spec.name:
        return None
    for candidate in spec.variants:
        if candidate.name == variant:
            return candidate
    names = "、".join([spec.name or "默认"] + [v.name for v in spec.variants])
    raise KeyError(f"“{spec.genre}”没有“{variant}”这种样式（可选：{names}）")


def _effective(spec: Spec, chosen: Variant | None) -> dict[str, Any]:
    """The spec's own parts, or the variant's where it gives them."""
    def over(name: str) -> Any:
        value = getattr(chosen, name, None) if chosen else None
        return value if value not in (None, ()) else getattr(spec, name)

    parts = {name: over(name) for name in ("title", "skeleton", "fixed", "slots", "parts", "adoption_note",
                                           "mark")}
    parts["drop"] = chosen.drop if chosen is not None and chosen.drop is not None else spec.drop
    return parts


def zone_of(index: int, paragraphs: list[str]) -> str:
    """Where a paragraph of the skeleton stands: opening, transition, body or closing."""
    text = paragraphs[index]
    if text.endswith("：") and len(paragraphs) > 1 and index < len(paragraphs) - 1:
        return "opening" if index == 0 else "transition"
    if index == 0:
        return "opening"
    if index == len(paragraphs) - 1:
        return "closing"
    return "body"


def _fixed(parts: dict[str, Any], slots: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Each fixed phrase with its zone, in the order it first appears on the page."""
    paragraphs = list(parts["skeleton"])

    def example(match: re.Match[str]) -> str:  # a slot shown by its first example (and prompts)
        found = slots.get(match.group(1), {})
        prompts = (found.get("item") or {}).get("prompts") or []
        return "".join(prompts) + "".join(found.get("examples", [])[:1])

    texts = [parts["mark"] or "", parts["title"], parts["adoption_note"] or "", *paragraphs]
    places = [(index - 3, SLOT_REF.sub(example, text)) for index, text in enumerate(texts)]
    found = []
    for phrase in parts["fixed"]:
        spot = next(((i, text.find(phrase)) for i, text in places if phrase in text), None)
        index = spot[0] if spot else len(paragraphs) - 1
        zone = "opening" if index < 0 else zone_of(index, paragraphs)
        if index >= 0 and _is_list(paragraphs[index], slots):
            zone = "body"  # the repeated items are the body of the text
        found.append(((index, spot[1] if spot else 0), {"text": phrase, "support": 0, "position": zone,
                                                        "source": "built-in"}))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def _is_list(paragraph: str, slots: dict[str, dict[str, Any]]) -> bool:
    found = SLOT_REF.fullmatch(paragraph.strip())
    return bool(found) and slots.get(found.group(1), {}).get("kind") == "list"


def _slots(spec: Spec, parts: dict[str, Any]) -> list[dict[str, Any]]:
    """Element slots of the layout, with the content slots after the 主送机关 (page order)."""
    content = {s["name"]: dict(s) for s in parts["slots"]}
    elements = [s for s in layout_slots(spec.layout, upward=spec.upward, drop=parts["drop"],
                                        optional=spec.optional) if s["name"] not in content]
    printed = {s["name"] for s in elements}
    used = refs(parts["title"]) + refs(parts["adoption_note"]) + [n for p in parts["skeleton"] for n in refs(p)]
    for name in dict.fromkeys(used):  # an element the layout does not print, used in the text
        if name not in content and name not in printed and (name in ELEMENTS or name in MEETING_LINES):
            content[name] = element_slot(name, True) | {"group": "正文"}
    order = {name: i for i, name in enumerate(dict.fromkeys(used))}
    body = sorted(content.values(), key=lambda s: order.get(s["name"], len(order)))
    head = [s for s in elements if s["name"] not in _TAIL_ELEMENTS]
    tail = [s for s in elements if s["name"] in _TAIL_ELEMENTS]
    return head + body + tail


def _outline(spec: Spec, parts: dict[str, Any], slots: list[dict[str, Any]]) -> list[str]:
    names = [s["name"] for s in slots if s["group"] != "正文"]
    outline = [_OUTLINE_NAMES.get(n, n) for n in names if n not in _TAIL_ELEMENTS and n != "标题"]
    outline.insert(outline.index("发文字号") + 1 if "发文字号" in outline else len(outline), "标题")
    if parts["adoption_note"] and "通过说明" not in parts["parts"]:
        outline.insert(outline.index("标题") + 1, "通过说明")
    outline += list(parts["parts"])
    outline += list(dict.fromkeys(_OUTLINE_NAMES.get(n, n) for n in names if n in _TAIL_ELEMENTS and n != "印发日期"))
    return outline


def generic_spec(genre: str, layout: str) -> Spec:
    """The arrangement of a genre without a built-in template (the archive's phrases refine it)."""
    return Spec(
        genre=genre, layout=layout, basis="GB/T 9704-2012 的通用结构（该文种没有内置模板，用语取自档案）",
        title="{{ 发文机关简称 }}关于{{ 事由 }}的" + genre,
        skeleton=("{{ 开头 }}", "{{ 主要内容 }}", "{{ 结尾 }}"),
        fixed=(),
        slots=(ORGAN_SHORT, line("事由", "公文的事由", "……"),
               para("开头", "开头：缘由、目的或依据", "为……，"),
               items("主要内容", "每条一段：先写小标题，以句号结束，再写内容", "……"),
               para("结尾", "可选：结尾用语", "特此……。") | {"required": False}),
        parts=("开头", "主要内容", "结尾"),
    )


def builtin_template(genre: str, variant: str | None = None, layout: str | None = None) -> dict[str, Any] | None:
    """The built-in template of ``genre`` (its ``variant``); with ``layout``, a genre without one
    gets the generic arrangement, else None.

    ``KeyError`` (Chinese message) for a variant the genre does not have."""
    spec = spec_for(genre)
    if spec is None and layout is None:
        return None
    spec = spec or generic_spec(genre, layout or "standard")
    chosen = _pick(spec, variant)
    parts = _effective(spec, chosen)
    slots = _slots(spec, parts)
    by_name = {s["name"]: s for s in slots}
    if "标题" in by_name:  # the title pattern filled with the slots' examples
        first = {name: (s["examples"] or [""])[0] for name, s in by_name.items()}
        by_name["标题"]["examples"] = [SLOT_REF.sub(lambda m: first.get(m.group(1), ""), parts["title"])]
    outline = _outline(spec, parts, slots)
    variants = [{"name": spec.name or "默认", "documents": 0, "outline": list(spec.parts), "examples": [],
                 "source": "built-in"}]
    variants += [{"name": v.name, "documents": 0, "outline": list(v.parts or spec.parts), "examples": [],
                  "source": "built-in"} for v in spec.variants]
    return {
        "schema": SCHEMA,
        "genre": spec.genre,
        "source": "built-in" if spec_for(genre) else "mined",
        "basis": spec.basis,
        "documents": 0,
        "variant": chosen.name if chosen else (spec.name or "默认"),
        "layout": spec.layout,
        "upward": spec.upward,
        "title_pattern": parts["title"],
        "adoption_note": parts["adoption_note"],
        "mark": parts["mark"],
        "speech": spec.subtitle == "speech",
        "defaults": dict(spec.defaults),
        "outline": [{"part": p, "documents": 0} for p in outline],
        "outline_documents": 0,
        "fixed": _fixed(parts, by_name),
        "slots": slots,
        "skeleton": list(parts["skeleton"]),
        "variants": variants,
        "phrases": [],
    }
