"""The steps of template mining on small hand-made documents: units and outline, variants,
slot naming and header slots, the skeleton and the placing of missing fixed phrases."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.templates.fixed_phrases import Phrase
from pipeline.templates.outline import (
    consensus_outline,
    doc_parts,
    doc_units,
    follows,
    prepare,
    variants,
)
from pipeline.templates.skeleton import exemplar, place_missing, skeleton
from pipeline.templates.slot_book import SlotBook, header_slots


def _doc(paragraphs: list[str], **fields) -> Document:
    return Document(path="x.txt", format="txt", title=fields.pop("title", "关于某事的审议意见"),
                    paragraphs=paragraphs, **fields)


OPINION = _doc(["区人民政府：", "2023年6月28日，区第十七届人大常委会第十二次会议听取和审议了有关报告。",
                "一、基本情况", "工作取得成效。", "二、意见建议", "（一）加强领导。要提高认识。",
                "请认真研究处理。", "特此函告。"],
               date="2023-07-01", signature=["某区人大常委会"])


def test_units_are_masked_and_headings_lose_their_numbering() -> None:
    units = doc_units(OPINION)
    assert [u.kind for u in units] == ["称呼", "正文", "h1", "正文", "h1", "h2", "正文", "正文"]
    opening = units[1]
    assert [kind for kind, _ in opening.values] == ["date", "meeting"]
    assert "2023" not in opening.masked and opening.masked.endswith("听取和审议了有关报告。")
    assert [(u.numbering, u.masked) for u in units if u.kind.startswith("h")] == [
        ("一、", "基本情况"), ("二、", "意见建议"), ("（一）", "加强领导。要提高认识。")]


def test_outline_of_a_document_and_of_a_genre() -> None:
    parts = doc_parts(OPINION, doc_units(OPINION))
    assert parts == ["标题", "称呼", "开头", "一级标题", "二级标题", "结尾", "署名", "成文日期"]
    plain = _doc(["区人民政府：", "会议听取了报告。", "请研究处理。"])
    docs = prepare([("a", OPINION), ("b", OPINION), ("c", plain)])
    outline = consensus_outline(docs, 0.5)
    assert {"part": "一级标题", "documents": 2} in outline
    assert {"part": "称呼", "documents": 3} in outline
    assert [o["part"] for o in consensus_outline(docs, 1.0)] == ["标题", "称呼", "开头", "结尾"]
    assert follows(parts, ["标题", "开头", "结尾"])
    assert not follows(parts, ["结尾", "开头"])


def test_variants_group_by_outline_and_join_stragglers() -> None:
    headed = _doc(["区人民政府：", "会议听取了报告。", "一、基本情况", "工作取得成效。", "请研究处理。", "特此函告。"])
    plain = _doc(["会议听取了报告。", "请研究处理。"])
    lone = _doc(["区人民政府：", "会议听取了报告。", "请研究处理。", "特此函告。"], date="2023-07-01")
    docs = prepare([("h1", headed), ("p1", plain), ("h2", headed), ("p2", plain), ("l", lone)])
    groups = [[d.doc_id for d in group] for group in variants(docs)]
    # "l" alone: joined to the group whose parts it shares most (称呼 as well as 开头, 结尾)
    assert groups == [["h1", "h2", "l"], ["p1", "p2"]]
    assert [[d.doc_id for d in g] for g in variants(docs[:1])] == [["h1"]]  # no group big enough


def test_slot_book_names_slots_in_order_of_use() -> None:
    book = SlotBook()
    assert [book.typed("date"), book.typed("date"), book.free("正文"), book.free("正文")] == \
        ["日期", "日期2", "正文1", "正文2"]
    name = book.add("出席", "person", ["张三", "张三", "", "李四", "王五", "赵六", "钱七", "孙八"])
    assert book.slots[name]["examples"] == ["张三", "李四", "王五", "赵六", "钱七"]
    assert list(book.slots) == ["正文1", "正文2", "出席"]


def test_header_slots_need_a_share_of_the_documents() -> None:
    signed = _doc(["各位代表：", "今天开会。"], signature=["张三"], date="2023-07-01")
    unsigned = _doc(["各位代表：", "今天开会。"], title="另一篇讲话")
    docs = prepare([("a", signed), ("b", unsigned), ("c", unsigned)])
    names = {s["name"]: s for s in header_slots(docs, "讲话稿", 0.5)}
    assert set(names) == {"标题"}  # a title always; the rest only in one of three
    names = {s["name"]: s for s in header_slots(docs, "讲话稿", 0.3)}
    assert names["讲话人"]["kind"] == "person" and names["讲话人"]["examples"] == ["张三"]
    assert names["标题"]["examples"] == ["关于某事的审议意见", "另一篇讲话"]


def _replies() -> tuple[list, list[Phrase]]:
    a = _doc(["区人民政府：", "会议听取和审议了有关报告。", "工作取得成效。", "特此函告。"])
    b = _doc(["区人民政府：", "会议听取和审议了有关报告。", "请认真研究处理意见。", "特此函告。"])
    docs = prepare([("a", a), ("b", b), ("c", b)])
    fixed = [Phrase("听取和审议了有关报告", 3, ["a", "b", "c"], 0.2, "opening", 3),
             Phrase("请认真研究处理意见", 2, ["b", "c"], 0.6, "closing", 2)]
    return docs, fixed


def test_skeleton_keeps_fixed_text_and_slots_only() -> None:
    docs, fixed = _replies()
    assert exemplar(docs, fixed).doc_id in ("b", "c")  # it holds both fixed phrases
    paragraphs = skeleton(docs[0], fixed, docs, SlotBook())
    assert paragraphs == ["{{ 称呼1 }}：", "{{ 正文1 }}听取和审议了有关报告。", "{{ 正文2 }}。", "{{ 正文3 }}。"]
    assert not any("成效" in p or "函告" in p for p in paragraphs)  # no single document's wording


def test_missing_fixed_phrases_go_where_documents_put_them() -> None:
    docs, fixed = _replies()
    book = SlotBook()
    paragraphs = skeleton(docs[0], fixed, docs, book)  # "a" lacks the second fixed phrase
    placed = place_missing(paragraphs, fixed, docs, book)
    assert len(placed) == len(paragraphs)
    joined = "\n".join(placed)
    assert joined.index("听取和审议了有关报告") < joined.index("请认真研究处理意见")
    assert "请认真研究处理意见" in placed[2]  # the paragraph after the opening, as in b and c
