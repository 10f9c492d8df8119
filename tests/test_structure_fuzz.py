"""Property test: any sequence of 公文-like fragments, noise and odd characters gives a Document,
never an exception, and the body never repeats the 版记 lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Block, RawDocument
from pipeline.structure import recognise

FRAGMENTS = [
    "南山区人民政府文件", "南府〔2023〕5号", "签发人：张三", "机密★1年", "特急", "000123", "关于某事的通知",
    "各单位：", "正文。", "一、总体要求。", "（一）加强领导", "1.完善机制", "（1）细化", "附件：1.清单", "2.回执",
    "南山区人民政府", "2023年2月1日", "二〇二三年二月一日", "（此件公开发布）", "附件1", "抄送：区委，区政府。",
    "南山区人民政府办公室  2023年2月2日印发", "主题词：人事 通知", "时间：2023年1月1日", "地点：会议室",
    "（2023年1月10日某会议通过）", "中华人民共和国国务院令", "第1号", "标题：某某", "发文机关：某某", "— 1 —",
    "（", "）", "：", "附件", "第一章 总则", "第一条 本办法。", "——在会议上的讲话", "", " ", "\u3000",
]  # fmt: skip
line = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30))
block = st.builds(
    Block,
    text=line,
    size=st.one_of(st.none(), st.sampled_from([14.0, 16.0, 22.0, 36.0])),
    color=st.one_of(st.none(), st.sampled_from(["FF0000", "000000"])),
    align=st.one_of(st.none(), st.sampled_from(["center", "right", "justify"])),
    kind=st.sampled_from(["para", "para", "para", "header", "footer", "table"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(block, max_size=40))
def test_recognise_never_raises(blocks: list[Block]) -> None:
    doc = recognise(RawDocument(path="fuzz.txt", format="txt", blocks=blocks))
    assert isinstance(doc.body, str)
    assert doc.body == "\n".join(doc.paragraphs)
    assert all(not p.startswith("抄送：") for p in doc.paragraphs)
    assert doc.date is None or len(doc.date) == 10
