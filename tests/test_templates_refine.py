"""Readable phrases (word and clause boundaries, no other organ) and the archive's refinement."""

from __future__ import annotations

from pipeline.model import Document
from pipeline.templates.api import refined_template
from pipeline.templates.assemble import builtin_template
from pipeline.templates.boundaries import (
    cut_from_longer,
    names_other_organ,
    readable_pieces,
    trim_to_words,
)
from pipeline.templates.refine import apply, is_national, refinement, same_level

TEXTS = [("区第十八届人大常委会第十二次会议听取和审议了区人民政府关于养老服务的报告。会议充分肯定区人民法院过去一年的"
          "工作，坚持以习近平新时代中国特色社会主义思想为指导。"),
         "会议充分肯定了市人民政府一年来的工作。会议听取和审议了区人民政府的报告，决定批准这个报告。"]


def test_phrases_are_cut_at_word_boundaries():
    assert trim_to_words("会议充分", TEXTS) == "会议"  # 充分肯定 is one word
    assert trim_to_words("听取和审议了区人民", TEXTS) == "听取和审议了"  # no half organ, no dangling 区
    assert readable_pieces("以习近平", TEXTS) == []  # a dangling 以 and then a name: nothing left
    assert readable_pieces("工作，同意报告提出的", TEXTS) == ["同意报告提出的"]  # clauses, then words
    assert readable_pieces("决定批准这个报告。", TEXTS) == ["决定批准这个报告"]


def test_no_phrase_names_another_organ():
    for phrase in ("国务院总理", "会议号召，全国各族人民", "区人民政府要", "人大常委会主任"):
        assert names_other_organ(phrase), phrase
    for phrase in ("听取和审议了", "审议意见", "各位代表", "主任会议"):
        assert not names_other_organ(phrase), phrase


def test_a_tail_of_a_longer_expression_is_not_a_phrase():
    texts = ["以习近平新时代中国特色社会主义思想为指导"] * 3
    assert cut_from_longer("思想为指导", texts)
    assert not cut_from_longer("习近平新时代中国特色社会主义思想", texts)


def _resolution(i: int, national: bool) -> tuple[str, Document]:
    if national:
        title = f"第十{i}届全国人民代表大会第一次会议关于政府工作报告的决议"
        body = ["会议听取和审议了国务院总理所作的政府工作报告。会议充分肯定国务院过去一年的工作，决定批准这个报告。",
                "会议号召，全国各族人民高举中国特色社会主义伟大旗帜，为全面建设社会主义现代化国家而团结奋斗。"]
    else:
        title = f"青岚区第十八届人民代表大会第{i}次会议关于区人民法院工作报告的决议"
        body = ["会议听取和审议了区人民法院院长所作的工作报告。会议充分肯定区人民法院过去一年的工作，决定批准这个报告。",
                "会议要求，区人民法院要坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神。"]
    return f"d{i}{national}", Document(path="x", format="txt", title=title, genre="决议", paragraphs=body,
                                        body="\n".join(body))


def test_national_documents_do_not_word_a_local_template():
    items = [_resolution(i, True) for i in range(8)] + [_resolution(i, False) for i in range(6)]
    assert is_national(items[0][1]) and not is_national(items[-1][1])
    assert len(same_level(items, national=False)) == 6
    ref = refinement("决议", items, national=False)
    assert ref["documents"] == 6
    template = apply(builtin_template("决议"), ref)
    texts = [f["text"] for f in template["fixed"]]
    assert not any("国务院" in t or "全国" in t or "旗帜" in t for t in texts)
    assert {f["source"] for f in template["fixed"]} <= {"built-in", "mined"}
    support = {f["text"]: f["support"] for f in template["fixed"]}
    assert support["会议充分肯定"] == 6 and support["决定批准这个报告"] == 6
    assert template["source"] == "built-in+mined" and template["documents"] == 6


def test_a_genre_without_a_built_in_template_gets_a_generic_arrangement():
    docs = []
    for i in range(4):
        body = [f"第{i + 1}期", "区人大常委会召开主任会议，听取了有关工作情况的汇报。会议强调，要认真做好闭会期间代表工作。"]
        docs.append((f"b{i}", Document(path="x", format="txt", title=f"人大简报第{i + 1}期", genre="简讯",
                                        paragraphs=body, body="\n".join(body))))
    template = refined_template("简讯", refinement("简讯", docs))
    assert template["source"] == "mined" and template["documents"] == 4
    assert {"开头", "主要内容", "结尾"} <= {s["name"] for s in template["slots"]}
    assert all(f["source"] == "mined" for f in template["fixed"])
    assert not any(s["name"].startswith("正文") for s in template["slots"])
