"""Drafting: a template plus the user's values, rendered as a GB/T 9704 .docx.

Every ``{{ 名称 }}`` of the template is replaced by its value. A required slot without a value
stays visible as ``【待填：名称】`` and is reported as unfilled; an optional one is left out (a
paragraph that held only it goes). A list slot (``意见``) takes several items, each numbered at
its heading level (一、 （一） 1. （1）). Values a drafter leaves empty are derived where the
document says them elsewhere (the template's ``defaults``, 发文机关 ↔ 署名, the 标题 from the
title pattern); ``defaulted`` reports them. The page itself is made by
``pipeline.layout.gbt9704.write_docx``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.layout.gbt9704 import write_docx
from pipeline.model import Attachment, Document
from pipeline.templates.assemble import SLOT_REF, refs
from pipeline.templates.elements import MEETING_LINES, URGENCY, canonical, is_element
from pipeline.templates.values import (
    Values,
    as_items,
    date_text,
    normalise_values,
    short_organ,
    split_names,
)
from pipeline.text.dates import read_date
from pipeline.text.numerals import to_chinese

_HEAD_ELEMENTS = ("紧急程度", "发文机关", "文号", "签发人")
_PUNCT_ONLY = re.compile(r"^[\s，。、；：！？,.;:]*$")


def unfilled_mark(name: str) -> str:
    return f"【待填：{name}】"


def to_iso_date(value: str) -> str | None:
    """The date a user typed (``2024-06-28``, ``2024年6月28日``, ``二〇二四年六月二十八日``, …) as ISO;
    None when the value is not one valid date."""
    return read_date(value)


def numbering(style: str, index: int) -> str:
    """The ``index``-th (1-based) label of a heading level: 一、 （一） 1. （1） or none."""
    if style == "一、":
        return f"{to_chinese(index)}、"
    if style == "（一）":
        return f"（{to_chinese(index)}）"
    if style == "1.":
        return f"{index}."
    if style == "（1）":
        return f"（{index}）"
    return ""


@dataclass
class Filler:
    """Fills placeholders from ``values``, remembering which required slots had no value."""

    values: Values
    slots: dict[str, dict[str, Any]]
    unfilled: list[str] = field(default_factory=list)

    def value(self, name: str) -> str:
        found = self.values.get(name)
        if isinstance(found, list):
            return "；".join(found)
        if found and self.slots.get(name, {}).get("kind") == "date":
            return date_text(found)
        return found or ""

    def missing(self, name: str) -> str:
        if not self.slots.get(name, {}).get("required", True):
            return ""
        if name not in self.unfilled:
            self.unfilled.append(name)
        return unfilled_mark(name)

    def fill(self, text: str | None) -> str:
        return SLOT_REF.sub(lambda m: self.value(m.group(1)) or self.missing(m.group(1)), text or "")

    def paragraphs(self, skeleton: list[str]) -> list[str]:
        out: list[str] = []
        for paragraph in skeleton:
            whole = SLOT_REF.fullmatch(paragraph.strip())
            slot = self.slots.get(whole.group(1), {}) if whole else {}
            if slot.get("kind") == "list":
                out += self.items(slot)
                continue
            text = self.fill(paragraph)
            if refs(paragraph) and _PUNCT_ONLY.match(text):
                continue  # only optional slots, all empty
            out.append(text)
        return out

    def items(self, slot: dict[str, Any]) -> list[str]:
        """A list slot's paragraphs: the items given, or the prompts an empty draft shows."""
        style = (slot.get("item") or {}).get("numbering", "一、")
        given = as_items(self.values.get(slot["name"]))
        if not given:
            if not slot.get("required", True):
                return []
            mark = self.missing(slot["name"])
            prompts = (slot.get("item") or {}).get("prompts") or [""]
            given = [prompt + mark for prompt in prompts]
        out = []
        for index, item in enumerate(given, 1):
            first, *more = item.split("\n")
            out.append(numbering(style, index) + first.strip())
            out += [line.strip() for line in more if line.strip()]
        return out


def resolve(template: dict[str, Any], values: Values) -> dict[str, str]:
    """Values derived for empty slots: the template's defaults, 发文机关 ↔ 署名, the short organ name
    and the title from its pattern (only from values the drafter or a default gave)."""
    slot_names = {s["name"] for s in template["slots"]}
    derived: dict[str, str] = {}

    def empty(name: str) -> bool:
        return not values.get(name) and not derived.get(name)

    def given(name: str) -> str:
        found = values.get(name) or derived.get(name) or ""
        return "；".join(found) if isinstance(found, list) else found

    for _ in range(3):  # defaults may lean on one another
        for key, pattern in (template.get("defaults") or {}).items():
            names = refs(pattern)
            if empty(key) and all(given(n) for n in names):  # (a default without slots: as it is)
                derived[key] = SLOT_REF.sub(lambda m: given(m.group(1)), pattern)
        if empty("发文机关") and given("署名"):
            derived["发文机关"] = given("署名")
        if empty("署名") and given("发文机关") and "署名" in slot_names:
            derived["署名"] = given("发文机关")
        if empty("发文机关简称") and (given("发文机关") or given("署名")):
            derived["发文机关简称"] = short_organ(split_names(given("发文机关") or given("署名"))[0])
    pattern = template.get("title_pattern")
    if empty("标题") and pattern and all(given(n) for n in refs(pattern)):
        derived["标题"] = SLOT_REF.sub(lambda m: given(m.group(1)), pattern)
    return derived


def build_document(template: dict[str, Any], values: dict[str, Any], path: str = "") -> tuple[
        Document, dict[str, Any], list[str], list[str], dict[str, str]]:
    """The draft ``Document``, ``write_docx`` options, warnings, unfilled slots and derived values."""
    given = normalise_values(values)
    slots = {s["name"]: s for s in template["slots"]}
    warnings: list[str] = []
    unknown = [k for k in given if k not in slots and not is_element(k)]
    if unknown:
        warnings.append(f"模板“{template['genre']}”没有这些栏目，已忽略：{'、'.join(unknown)}")
    derived = resolve(template, given)
    filled: Values = {**derived, **{k: v for k, v in given.items() if v}}
    filler = Filler(filled, slots)
    doc = Document(path=path, format="docx", genre=template["genre"])
    layout = template.get("layout", "standard")
    doc.title = filler.value("标题") or filler.missing("标题")
    doc.adoption_note = filler.fill(template.get("adoption_note")) or None
    doc.paragraphs = filler.paragraphs(template["skeleton"])
    doc.body = "\n".join(doc.paragraphs)
    _header(doc, filler, layout, warnings, given)
    _closing(doc, filler, template, warnings)
    doc.meeting = {k: filler.value(k) or filler.missing(k) for k in MEETING_LINES
                   if k in slots and slots[k].get("group") == "主体"
                   and (filler.value(k) or slots[k].get("required", True))}
    options = {"layout": layout, "organ_mark": _organ_mark(doc, template, layout),
               "subtitle": "" if template.get("speech") else None, "record_page": "even"}
    if filler.unfilled:
        warnings.append("以下栏目未填写，已在文中标为【待填】：" + "、".join(filler.unfilled))
    return doc, options, warnings, filler.unfilled, derived


def _element(filler: Filler, name: str) -> str:
    """An element's value, its 【待填】 mark when the template requires it, else ''."""
    if name in filler.slots:
        return filler.value(name) or filler.missing(name)
    return filler.value(name)


def _header(doc: Document, filler: Filler, layout: str, warnings: list[str], given: Values) -> None:
    """版头 and 主送: 紧急程度, 发文机关, 文号, 签发人 (not printed by the plain layout)."""
    if layout == "plain":
        ignored = [n for n in (*_HEAD_ELEMENTS, "主送机关") if given.get(n) and n not in filler.slots]
        if ignored:
            warnings.append(f"“{doc.genre}”不用版头，已忽略：{'、'.join(ignored)}")
        return
    urgency = filler.value("紧急程度")
    if urgency and urgency not in URGENCY:
        warnings.append(f"紧急程度只能是“特急”或“加急”：{urgency}")
    doc.urgency = urgency if urgency in URGENCY else None
    doc.issuer = split_names(_element(filler, "发文机关"))
    doc.doc_number = _element(filler, "文号") or None
    doc.signer = split_names(_element(filler, "签发人"))
    doc.recipients = split_names(_element(filler, "主送机关"))


def _closing(doc: Document, filler: Filler, template: dict[str, Any], warnings: list[str]) -> None:
    """附件说明, 署名, 成文日期, 附注, 版记 (and a speech's speaker and date)."""
    doc.attachments = [a.strip() for a in filler.value("附件").split("|") if a.strip()]
    doc.attachment_docs = [Attachment(f"附件{i}" if len(doc.attachments) > 1 else "附件", title)
                           for i, title in enumerate(doc.attachments, 1)]
    speech = bool(template.get("speech"))
    doc.signature = split_names(_element(filler, "讲话人" if speech else "署名"))
    for key, attribute in (("讲话日期" if speech else "成文日期", "date"), ("印发日期", "issued_date")):
        text = _element(filler, key)
        iso = to_iso_date(text) if text else None
        if text and iso is None:
            if text != unfilled_mark(key):
                warnings.append(f"“{key}”不是日期（应为 2024-06-28 或 2024年6月28日）：{text}")
            if attribute == "date":  # keep the mark (or the odd text) visible where the date goes
                doc.signature = doc.signature + [text]
            continue
        setattr(doc, attribute, iso)
    note = filler.value("附注")
    doc.note = (note if note.startswith("（") else f"（{note}）") if note else None
    doc.cc = split_names(filler.value("抄送机关"))
    doc.issued_by = filler.value("印发机关") or None


def _organ_mark(doc: Document, template: dict[str, Any], layout: str) -> list[str]:
    """The red 发文机关标志: a 纪要's organ plus its mark (…主任会议纪要)."""
    ending = template.get("mark")
    if layout != "minutes" or not ending:
        return list(doc.issuer)
    return [m if m.endswith("纪要") else m + ending for m in doc.issuer]


def render(template: dict[str, Any], values: dict[str, Any], out: Path) -> dict[str, Any]:
    """Write the draft .docx; ``{"path","warnings","unfilled","defaulted"}``."""
    doc, options, warnings, unfilled, derived = build_document(template, values, str(out))
    write_docx(doc, out, **options)
    return {"path": str(out), "warnings": warnings, "unfilled": unfilled, "defaulted": derived}


def write_template_docx(template: dict[str, Any], out: Path) -> Path:
    """The editable template: the same layout with ``{{ 名称 }}`` placeholders for docxtpl."""
    placeholders = {s["name"]: "{{ " + s["name"] + " }}" for s in template["slots"]}
    doc, options, _, _, _ = build_document(template, placeholders, str(out))
    return write_docx(doc, out, **options)


def render_edited(template: dict[str, Any], values: dict[str, Any], source: Path, out: Path) -> dict[str, Any]:
    """Render the user's edited template .docx with docxtpl (values, else 【待填】 marks)."""
    from docxtpl import DocxTemplate, Listing

    tpl = DocxTemplate(str(source))
    given = normalise_values(values)
    context: dict[str, Any] = {}
    unfilled = []
    for name in tpl.get_undeclared_template_variables():
        value = given.get(canonical(name))
        if isinstance(value, list):
            value = Listing("\n".join(value))
        elif value and name in ("成文日期", "印发日期"):
            value = date_text(value)
        if not value:
            unfilled.append(name)
            value = unfilled_mark(name)
        context[name] = value
    tpl.render(context)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(str(out))
    warnings = ["使用了用户修改过的模板文件"]
    if unfilled:
        warnings.append("以下栏目未填写，已在文中标为【待填】：" + "、".join(sorted(unfilled)))
    return {"path": str(out), "warnings": warnings, "unfilled": sorted(unfilled), "defaulted": {}}
