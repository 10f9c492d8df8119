"""Drafting: a mined template plus the user's values, rendered as a GB/T 9704 .docx.

Every ``{{ 名称 }}`` of the template is replaced by its value; a slot without a value stays visible
as ``【待填：名称】`` and is reported as unfilled. The page itself is made by
``pipeline.layout.gbt9704.write_docx`` (page set-up, fonts, 版头, 署名, 版记, 纪要 header lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.layout.gbt9704 import write_docx
from pipeline.model import Document
from pipeline.text.dates import read_date

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
_LIST_SPLIT = re.compile(r"[、，,|]")


def unfilled_mark(name: str) -> str:
    return f"【待填：{name}】"


def to_iso_date(value: str) -> str | None:
    """The date a user typed (``2024-06-28``, ``2024年6月28日``, ``二〇二四年六月二十八日``, …) as ISO;
    None when the value is not one valid date."""
    return read_date(value)


@dataclass
class Filler:
    """Fills placeholders from ``values``, remembering which slots had no value."""

    values: dict[str, str]
    unfilled: list[str] = field(default_factory=list)

    def fill(self, text: str | None) -> str:
        if not text:
            return ""

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            value = self.values.get(name)
            if value is None or value == "":
                if name not in self.unfilled:
                    self.unfilled.append(name)
                return unfilled_mark(name)
            return value

        return PLACEHOLDER.sub(one, text)

    def field(self, name: str, slots: set[str]) -> str | None:
        """A header field: its value, its 【待填】 mark, or None when the template has no such slot."""
        if name not in slots:
            return None
        return self.fill("{{ " + name + " }}")


def _split_list(value: str | None) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(value or "") if part.strip()]


def build_document(template: dict[str, Any], values: dict[str, str], path: str = "") -> tuple[
        Document, dict[str, Any], list[str], list[str]]:
    """The draft ``Document``, ``write_docx`` options, warnings and the unfilled slot names."""
    filler = Filler(dict(values))
    slots = {s["name"] for s in template["slots"]}
    warnings: list[str] = []
    unknown = [k for k in values if k not in slots]
    if unknown:
        warnings.append(f"模板“{template['genre']}”没有这些栏目，已忽略：{'、'.join(unknown)}")
    doc = Document(path=path, format="docx", genre=template["genre"])
    doc.title = filler.field("标题", slots | {"标题"})
    doc.doc_number = filler.field("文号", slots)
    doc.signer = _split_list(filler.field("签发人", slots))
    doc.recipients = _split_list(filler.field("主送机关", slots))
    doc.attachments = [a.strip() for a in (filler.field("附件", slots) or "").split("|") if a.strip()]
    speaker = filler.field("讲话人", slots)
    signature = filler.field("署名", slots)
    doc.signature = [speaker] if speaker else _split_list(signature)
    # The 发文机关标志 defaults to the 署名 the user gave (the same organ in most documents).
    if not values.get("发文机关") and values.get("署名") and "发文机关" in slots:
        filler.values["发文机关"] = values["署名"]
    organ = filler.field("发文机关", slots)
    doc.issuer = _split_list(organ) if organ else ([] if speaker else list(doc.signature))
    doc.cc = _split_list(filler.field("抄送", slots))
    doc.issued_by = filler.field("印发机关", slots)
    for key in ("成文日期", "印发日期"):
        text = filler.field(key, slots)
        if text is None:
            continue
        iso = to_iso_date(text)
        if iso is None:
            if text != unfilled_mark(key):
                warnings.append(f"“{key}”不是日期（应为 2024-06-28 或 2024年6月28日）：{text}")
            if key == "成文日期":  # keep the mark (or the odd text) visible where the date goes
                doc.signature = doc.signature + [text]
            continue
        if key == "成文日期":
            doc.date = iso
        else:
            doc.issued_date = iso
    meeting_keys = [s["name"] for s in template["slots"] if s["name"] in _MEETING_KEYS]
    doc.meeting = {key: filler.fill("{{ " + key + " }}") for key in meeting_keys}
    doc.adoption_note = filler.fill(template.get("adoption_note")) or None
    doc.paragraphs = [filler.fill(p) for p in template["skeleton"]]
    doc.body = "\n".join(doc.paragraphs)
    options = {"layout": template.get("layout", "standard"), "organ_mark": doc.issuer}
    if filler.unfilled:
        warnings.append("以下栏目未填写，已在文中标为【待填】：" + "、".join(filler.unfilled))
    return doc, options, warnings, filler.unfilled


_MEETING_KEYS = ("时间", "地点", "主持人", "出席", "请假", "缺席", "列席", "记录")


def render(template: dict[str, Any], values: dict[str, str], out: Path) -> dict[str, Any]:
    """Write the draft .docx; ``{"path","warnings","unfilled"}``."""
    doc, options, warnings, unfilled = build_document(template, values, str(out))
    write_docx(doc, out, **options)
    return {"path": str(out), "warnings": warnings, "unfilled": unfilled}


def write_template_docx(template: dict[str, Any], out: Path) -> Path:
    """The editable template: the same layout with ``{{ 名称 }}`` placeholders for docxtpl."""
    placeholders = {s["name"]: "{{ " + s["name"] + " }}" for s in template["slots"]}
    doc, options, _, _ = build_document(template, placeholders, str(out))
    return write_docx(doc, out, **options)


def render_edited(template: dict[str, Any], values: dict[str, str], source: Path, out: Path) -> dict[str, Any]:
    """Render the user's edited template .docx with docxtpl (values, else 【待填】 marks)."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(source))
    wanted = tpl.get_undeclared_template_variables()
    context = {}
    unfilled = []
    for name in wanted:
        value = values.get(name)
        if name in ("成文日期", "印发日期") and value and to_iso_date(value):
            y, m, d = (int(x) for x in to_iso_date(value).split("-"))
            value = f"{y}年{m}月{d}日"
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
    return {"path": str(out), "warnings": warnings, "unfilled": sorted(unfilled)}
