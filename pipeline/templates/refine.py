"""The archive refines a built-in template: support, phrases, variants and examples, each marked.

``refinement(genre, items)`` reads the archive's documents of a genre once: how many hold each
built-in phrase (of every variant, in any of its forms: ``phrase_forms``), the phrases of the
template's own wording half of them share (``phrase_forms.choose_for``: with enough documents they
replace the default arrangement's written list), the phrases the miner finds
(``mine.mine_template``) cut to readable ones (``boundaries``) that most documents share, the archive's values of each slot kind
(examples), the mined outline and house styles. ``apply`` lays that over any variant of the
built-in template, so ``show`` and ``draft`` say which parts come from where (``source``:
``built-in`` or ``mined``). Without a built-in, a generic arrangement takes the mined phrases.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pipeline.model import Document
from pipeline.templates import phrase_forms
from pipeline.templates.assemble import SLOT_REF, builtin_template, zone_of
from pipeline.templates.boundaries import readable_pieces
from pipeline.templates.builtin import spec_for
from pipeline.templates.mine import guess_layout, mine_template
from pipeline.templates.outline import prepare
from pipeline.templates.slots import normalise

MIN_DOCUMENTS = 3  # a genre without a built-in template needs this many documents
MINED_SUPPORT = 5  # a mined phrase joins the fixed text when at least this many documents …
MINED_SHARE = 0.7  # … and this share of them hold it (house wording, not a topic)
EXAMPLES = 5
_ZONES = ("opening", "transition", "body", "closing")
ELEMENT_VALUES = {  # element slot -> how a Document holds it
    "发文机关": lambda d: "、".join(d.issuer), "文号": lambda d: d.doc_number or "",
    "签发人": lambda d: "、".join(d.signer), "标题": lambda d: d.title or "",
    "主送机关": lambda d: "、".join(d.recipients), "署名": lambda d: "、".join(d.signature),
    "抄送机关": lambda d: "、".join(d.cc), "印发机关": lambda d: d.issued_by or "",
}


_NATIONAL = ("全国人民代表大会", "全国人大", "国务院", "中共中央", "中华人民共和国主席")
_ORGAN_ENDING = re.compile(r"(?:会|委|院|局|府|部|厅|室|办|组|处|科|所|站|中心|代表|政府|街道|镇|乡)$")


def is_national(doc: Document) -> bool:
    """A document of the national organs (its title, issuer, signature or adoption note says so)."""
    head = " ".join([doc.title or "", *doc.issuer, *doc.signature, doc.adoption_note or ""])
    return any(word in head for word in _NATIONAL)


def same_level(items: list[tuple[str, Document]], national: bool | None = None) -> list[tuple[str, Document]]:
    """The documents of the archive's own level: national documents do not word a local office's
    template, nor local ones a national office's. ``national``: the archive's level (default: the
    level most of ``items`` have)."""
    if national is None:
        national = sum(1 for _, d in items if is_national(d)) * 2 > len(items)
    return [(i, d) for i, d in items if is_national(d) == national]


def _plausible(name: str, value: str, genre: str) -> bool:
    """Archive values good enough to show as examples (web pages give odd 抄送 and 标题)."""
    if not value or len(value) > 80:
        return False
    if name == "标题":
        return value.endswith((genre, "纪要", "答复", "意见", "决议", "决定")) and ".doc" not in value
    if name in ("发文机关", "主送机关", "署名", "抄送机关", "印发机关"):
        return all(_ORGAN_ENDING.search(part) for part in value.split("、"))
    return True


def document_text(doc: Document) -> str:
    """What a reader sees of a document, normalised as the miner reads it (title, note, body)."""
    parts = [doc.title or "", doc.adoption_note or "", *doc.meeting.values(),
             *(doc.paragraphs or doc.body.split("\n"))]
    return normalise("\n".join(p for p in parts if p))


def _all_phrases(genre: str) -> list[str]:
    spec = spec_for(genre)
    if spec is None:
        return []
    return list(dict.fromkeys([*spec.fixed, *(p for v in spec.variants for p in v.fixed)]))


def _mined_fixed(genre: str, items: list[tuple[str, Document]], texts: list[str]) -> tuple[
        list[dict[str, Any]], dict[str, Any] | None]:
    """Readable phrases most documents share, cut from what the miner found, and the mined template."""
    if len(items) < MIN_DOCUMENTS:
        return [], None
    mined = mine_template(genre, items)
    needed = max(MINED_SUPPORT, math.ceil(MINED_SHARE * len(items)))
    found: dict[str, dict[str, Any]] = {}
    for phrase in mined["fixed"]:
        for piece in readable_pieces(phrase["masked"], texts):
            holders = [doc_id for (doc_id, _), text in zip(items, texts) if piece in text]
            if len(holders) >= needed and piece not in found:
                found[piece] = {"text": piece, "support": len(holders), "position": phrase["zone"],
                                "source": "mined", "documents": holders[:10]}
    kept = [p for p in found.values() if not any(p["text"] in q["text"] for q in found.values() if q is not p)]
    return kept, mined


def _examples(genre: str, items: list[tuple[str, Document]]) -> dict[str, list[str]]:
    """Archive values per element slot name and per slot kind (``kind:meeting`` …)."""
    found: dict[str, list[str]] = {}

    def add(key: str, value: str) -> None:
        bucket = found.setdefault(key, [])
        if value and value not in bucket and len(bucket) < EXAMPLES:
            bucket.append(value)

    for _, doc in reversed(items):  # the latest documents first
        for name, getter in ELEMENT_VALUES.items():
            if _plausible(name, getter(doc), genre):
                add(name, getter(doc))
        for key, value in doc.meeting.items():
            add(key, value)
    for doc_unit in prepare(items[-20:]):
        for unit in doc_unit.text_units:
            for kind, value in unit.values:
                add(f"kind:{kind}", value)
    return found


def refinement(genre: str, items: list[tuple[str, Document]], national: bool | None = None) -> dict[str, Any]:
    """What the archive's documents of ``genre`` add to its template (see the module docstring);
    only documents of the archive's level (``same_level``) are read."""
    items = same_level(items, national)
    texts = [document_text(doc) for _, doc in items]
    support = {p: phrase_forms.support(p, texts) for p in _all_phrases(genre)}
    mined_fixed, mined = _mined_fixed(genre, items, texts)
    enough = spec_for(genre) is not None and len(items) >= MIN_DOCUMENTS
    return {
        "documents": len(items),
        "support": support,
        "chosen": phrase_forms.choose_for(builtin_template(genre), texts) if enough else [],
        "fixed": mined_fixed,
        "examples": _examples(genre, items),
        "layout": guess_layout(genre, prepare(items)) if items else None,
        "outline": mined["outline"] if mined else [],
        "variants": [{**v, "name": f"档案{v['name']}", "source": "mined"} for v in mined["variants"]] if mined else [],
        "phrases": mined["phrases"] if mined else [],
    }


def _slot_examples(slot: dict[str, Any], examples: dict[str, list[str]]) -> list[str]:
    """Archive values first: an element's own values, a content slot's values of its kind."""
    if slot["group"] == "正文":  # kinds the masking reads reliably (an organ or a name less so)
        reliable = slot["kind"] in ("meeting", "title", "doc_number", "date", "year")
        archive = examples.get(slot["name"]) or (examples.get(f"kind:{slot['kind']}") if reliable else None) or []
    else:
        archive = examples.get(slot["name"]) or []
    merged = list(dict.fromkeys([*archive, *slot["examples"]]))
    return merged[:EXAMPLES]


def apply(template: dict[str, Any], ref: dict[str, Any] | None) -> dict[str, Any]:
    """``template`` with the archive's refinement laid over it (a new dict)."""
    if not ref or not ref.get("documents"):
        return template
    out = dict(template)
    out["documents"] = ref["documents"]
    out["source"] = "built-in+mined" if template.get("source") == "built-in" else template.get("source", "mined")
    fixed = [f | {"support": ref["support"].get(f["text"], 0)} for f in template["fixed"]]
    if ref.get("chosen") and template["variant"] == template["variants"][0]["name"]:
        fixed = _chosen(template, ref["chosen"])
    for extra in ref["fixed"]:
        if not any(phrase_forms.overlaps(extra["text"], f["text"]) for f in fixed):
            fixed.append(extra)
    out["fixed"] = _in_zone_order(fixed)
    out["slots"] = [s | {"examples": _slot_examples(s, ref["examples"])} for s in template["slots"]]
    out["variants"] = template["variants"] + ref["variants"]
    out["archive_outline"] = ref["outline"]
    out["phrases"] = ref["phrases"]
    return out


def _chosen(template: dict[str, Any], chosen: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The default arrangement's fixed phrases as the archive chose them from its wording, in page order."""
    paragraphs = [normalise(SLOT_REF.sub("", p)) for p in template["skeleton"]]

    def place(phrase: str) -> tuple[int, int]:
        return next(((i, p.find(phrase)) for i, p in enumerate(paragraphs) if phrase in p), (-1, 0))

    entries = []
    for found in chosen:
        index = place(found["text"])
        zone = "opening" if index[0] < 0 else zone_of(index[0], template["skeleton"])
        entries.append((index, {"text": found["text"], "forms": found["forms"], "support": found["support"],
                                "position": zone, "source": "built-in"}))
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def _in_zone_order(fixed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Built-in phrases keep their document order; mined ones join after the last of their zone."""
    ordered = [f for f in fixed if f.get("source") != "mined"]
    for extra in (f for f in fixed if f.get("source") == "mined"):
        rank = _ZONES.index(extra["position"]) if extra["position"] in _ZONES else 2
        at = max((i + 1 for i, f in enumerate(ordered) if _ZONES.index(f["position"]) <= rank), default=0)
        ordered.insert(at, extra)
    return ordered
