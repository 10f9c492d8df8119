"""Template mining: align the documents of one genre to find outline, fixed text, slots, variants.

The documents are cut into *units* (header lines, salutation, paragraphs, headings), each masked
(``slots.mask``) so that varying values become one marker character. Then:

- outline: each document's sequence of parts (开头, 一级标题…, 结尾, header lines …); the template's
  outline holds the parts most documents have, in their usual order, with how many have each;
- fixed text: maximal character n-grams of the masked units found in at least ``min_share`` of the
  documents (and at least two), grown level by level (a-priori: an n-gram can only be frequent if
  both its (n-1)-grams are); each with its support and usual position;
- slots: header fields, the markers inside fixed phrases (typed, with the archive's values as
  examples) and free text between fixed phrases;
- skeleton: the paragraphs a draft starts from — the arrangement of one exemplar document, keeping
  only fixed text (support ≥ min_share) and slots, so no single document's wording is copied;
- variants: documents grouped by their outline (house styles), small groups joined to the nearest.

The steps live in their own modules: units, outline and variants in ``outline``, fixed text in
``fixed_phrases``, slot names and header slots in ``slot_book``, the skeleton in ``skeleton``;
this module assembles the template.
"""

from __future__ import annotations

import math
from typing import Any

from pipeline.model import Document
from pipeline.templates.fixed_phrases import ENTITY, Phrase, mine_phrases, select_fixed
from pipeline.templates.outline import MinedDoc, consensus_outline, follows, prepare, variants
from pipeline.templates.skeleton import exemplar, place_missing, skeleton
from pipeline.templates.slot_book import SlotBook, adoption_pattern, header_slots
from pipeline.templates.slots import KINDS, MARKER_KIND, MARKERS, display

DEFAULT_SHARE = 0.5  # a fixed phrase is in at least this share of the documents (and in two)


# ---------------------------------------------------------------- layout guess
def guess_layout(genre: str, docs: list[MinedDoc]) -> str:
    if genre == "讲话稿":
        return "plain"
    if sum(1 for d in docs if d.doc.meeting) * 2 > len(docs):
        return "minutes"
    if genre in ("建议答复", "函"):
        return "letter"
    if genre in ("工作总结", "工作计划", "调研报告") or sum(1 for d in docs if d.doc.issuer) * 2 < len(docs):
        return "plain"
    return "standard"


# ---------------------------------------------------------------- the whole template
def mine_template(genre: str, items: list[tuple[str, Document]], min_share: float = DEFAULT_SHARE) -> dict[str, Any]:
    """The template of ``genre`` mined from ``items`` (document id, Document)."""
    docs = prepare(items)
    n = len(docs)
    needed = max(2, math.ceil(min_share * n))
    candidates = mine_phrases(docs, 2)
    fixed = select_fixed(candidates, docs, needed)
    outline = consensus_outline(docs, min_share)
    outline_parts = [o["part"] for o in outline]
    groups = variants(docs)
    model = exemplar(groups[0], fixed)
    titles = {d.doc_id: d.doc.title for d in docs}
    book = SlotBook()
    book.learn(docs)
    for slot in header_slots(docs, genre, min_share):
        book.add(slot["name"], slot["kind"], slot["examples"])
    adoption_found = adoption_pattern(docs, book)
    adoption = adoption_found[0] if adoption_found else None
    fixed_json = [_phrase_json(p, titles) for p in fixed]
    if adoption_found:  # above the body: first in document order
        fixed_json.insert(0, _phrase_json(adoption_found[1], titles) | {"template": adoption})
    paragraphs = skeleton(model, fixed, docs, book)
    paragraphs = place_missing(paragraphs, fixed, docs, book)
    return {
        "genre": genre,
        "documents": n,
        "min_share": min_share,
        "layout": guess_layout(genre, docs),
        "outline": outline,
        "outline_documents": sum(1 for d in docs if follows(d.parts, outline_parts)),
        "fixed": fixed_json,
        "adoption_note": adoption,
        "slots": list(book.slots.values()),
        "skeleton": paragraphs,
        "exemplar": {"id": model.doc_id, "title": model.doc.title},
        "variants": [_variant_json(i, g, needed_share=min_share) for i, g in enumerate(groups, 1)],
        "phrases": [_phrase_json(p, titles) for p in sorted(candidates, key=lambda p: (-p.support, p.position))
                    if not ENTITY.fullmatch(p.masked)],
    }


def _phrase_json(p: Phrase, titles: dict[str, str | None]) -> dict[str, Any]:
    template = "".join("{{ " + KINDS[MARKER_KIND[c]][1] + " }}" if c in MARKERS else c for c in p.masked)
    return {"text": display(p.masked), "template": template, "support": p.support, "count": p.count,
            "position": round(p.position, 3), "zone": p.zone, "masked": p.masked,
            "documents": [{"id": i, "title": titles.get(i)} for i in p.docs]}


def _variant_json(index: int, group: list[MinedDoc], needed_share: float) -> dict[str, Any]:
    outline = consensus_outline(group, needed_share)
    return {"name": f"样式{index}", "documents": len(group), "outline": [o["part"] for o in outline],
            "examples": [d.doc.title for d in group[:3]], "ids": [d.doc_id for d in group]}
