"""Template mining on the sample corpus sources and on small hand-made document sets."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from pipeline.layout.source import load_source
from pipeline.model import Document
from pipeline.templates.fixed_phrases import frequent_ngrams
from pipeline.templates.mine import mine_template
from pipeline.templates.slots import display, mask

SOURCES = Path(__file__).resolve().parents[1] / "corpus" / "sources"


def _genre_docs(genre: str) -> list[tuple[str, Document]]:
    items = []
    for path in sorted(SOURCES.glob("*.txt")):
        doc, _ = load_source(path)
        if doc.genre == genre:
            items.append((path.stem, doc))
    return items


@pytest.fixture(scope="module")
def templates() -> dict[str, dict]:
    return {g: mine_template(g, _genre_docs(g)) for g in ("审议意见", "纪要", "讲话稿")}


def test_mask_types_slot_values():
    masked = mask("2023年6月28日，区第十七届人大常委会第十二次会议听取和审议了《关于民生实事的报告》，共12项。")
    assert display(masked.text) == "〈日期〉，〈会议名称〉听取和审议了〈报告标题〉，共〈数字〉项。"
    assert [k for k, _ in masked.values] == ["date", "meeting", "title", "number"]
    assert mask("国务院总理温家宝所作的报告").values == [("person", "温家宝")]
    assert mask("碧川区人民代表大会常务委员会决定").values == [("organ", "碧川区人民代表大会常务委员会")]
    assert mask("听取和审议了区人民政府").values == []  # 区人民政府 is the house's wording, not a slot


def test_frequent_ngrams_counts_documents_not_occurrences():
    docs = [["甲乙丙丁戊甲乙丙丁"], ["甲乙丙丁己"], ["庚辛壬癸"]]
    found = frequent_ngrams(docs, 2)
    assert found["甲乙丙丁"] == {0, 1}
    assert "庚辛壬癸" not in found


def test_phrase_in_one_document_is_never_fixed():
    base = "经主任会议研究，现将审议意见梳理如下："
    items = [(f"d{i}", Document(path=f"d{i}", format="txt", title=f"标题{i}",
                                paragraphs=[f"第{i}段开头说明{i}。{base}", text]))
             for i, text in enumerate(["请认真研究办理这些事项。", "独有的一句很长的话只在这里出现。", "另外一些不同内容。"])]
    template = mine_template("审议意见", items)
    texts = [f["text"] for f in template["fixed"]]
    assert any("现将审议意见梳理如下" in t for t in texts)
    assert not any("独有的" in t for t in texts)


@pytest.mark.parametrize("genre,expected", [
    ("审议意见", ["充分肯定", "研究处理", "书面报告"]),
    ("纪要", ["会议听取了", "会议要求"]),
    ("讲话稿", ["各位代表、同志们：", "讲几点意见"]),
])
def test_fixed_text_holds_the_house_style(templates, genre, expected):
    template = templates[genre]
    fixed = " ".join(f["text"] for f in template["fixed"])
    for phrase in expected:
        assert phrase in fixed, (phrase, fixed)


@pytest.mark.parametrize("genre", ["审议意见", "纪要", "讲话稿"])
def test_fixed_phrases_have_majority_support_and_are_no_whole_document(templates, genre):
    template = templates[genre]
    n = template["documents"]
    bodies = [doc.body for _, doc in _genre_docs(genre)]
    assert template["fixed"]
    for phrase in template["fixed"]:
        assert phrase["support"] >= max(2, math.ceil(n / 2)), phrase
        assert all(phrase["text"] != body for body in bodies)
    positions = [f["position"] for f in template["fixed"]]
    assert positions == sorted(positions)  # document order


def test_minutes_outline_and_typed_slots(templates):
    template = templates["纪要"]
    parts = [o["part"] for o in template["outline"]]
    for part in ("时间", "地点", "主持人", "出席"):
        assert part in parts
    assert parts.index("时间") < parts.index("出席")
    kinds = {s["name"]: s["kind"] for s in template["slots"]}
    assert kinds["时间"] == "date" and kinds["主持人"] == "person" and kinds["出席"] == "person"
    examples = {s["name"]: s["examples"] for s in template["slots"]}
    assert any("月" in e for e in examples["日期"])  # the opening's meeting date, typed
    assert examples["姓名"] and all(2 <= len(e) <= 3 for e in examples["姓名"])  # who chaired
    assert template["layout"] == "minutes"


def test_speech_template_has_salutation_and_speaker(templates):
    template = templates["讲话稿"]
    assert template["skeleton"][0] == "各位代表、同志们："
    assert "讲话人" in {s["name"] for s in template["slots"]}
    assert template["layout"] == "plain"


def test_variants_cover_every_document(templates):
    for template in templates.values():
        assert sum(v["documents"] for v in template["variants"]) == template["documents"]
