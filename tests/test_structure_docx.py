"""A real GB/T 9704 .docx written with python-docx, read by the docx reader, and the same text as
a .txt file: both give the same fields."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from pipeline import formats
from pipeline.structure import recognise

LINES = [
    ("000123", 16, None, "left"),
    ("秘密★1年", 16, None, "left"),
    ("加急", 16, None, "left"),
    ("南山区人民代表大会常务委员会办公室文件", 36, "C00000", "center"),
    ("南人常办〔2023〕5号", 16, None, "center"),
    ("南山区人大常委会办公室关于开展", 22, None, "center"),
    ("代表集中视察活动的通知", 22, None, "center"),
    ("各街道人大工委，区人大常委会各工作机构：", 16, None, "justify"),
    ("经主任会议研究，决定开展代表集中视察活动。现将有关事项通知如下：", 16, None, "justify"),
    ("一、视察时间", 16, None, "justify"),
    ("2023年3月15日至16日。", 16, None, "justify"),
    ("二、视察内容。重点了解民生实事项目进度。", 16, None, "justify"),
    ("附件：1.视察日程安排", 16, None, "justify"),
    ("2.代表报名回执", 16, None, "justify"),
    ("南山区人大常委会办公室", 16, None, "right"),
    ("二〇二三年二月一日", 16, None, "right"),
    ("（此件公开发布）", 16, None, "justify"),
    ("附件1", 16, None, "left"),
    ("视察日程安排", 22, None, "center"),
    ("3月15日上午视察民生实事项目。", 16, None, "justify"),
    ("抄送：区委办公室，区政府办公室。", 14, None, "justify"),
    ("南山区人大常委会办公室  2023年2月1日印发", 14, None, "justify"),
]
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}  # fmt: skip
FIELDS = ("title", "doc_number", "issuer", "date", "secrecy", "urgency", "copy_number", "recipients",
          "attachments", "signature", "note", "cc", "issued_by", "issued_date", "headings", "body")  # fmt: skip


def _write_docx(path: Path) -> None:
    document = docx.Document()
    for text, size, color, align in LINES:
        paragraph = document.add_paragraph()
        paragraph.alignment = _ALIGN[align]
        run = paragraph.add_run(text)
        run.font.size = Pt(size)
        if color:
            run.font.color.rgb = RGBColor.from_string(color)
    document.save(str(path))


def test_docx_and_txt_give_the_same_fields(tmp_path: Path) -> None:
    docx_path, txt_path = tmp_path / "notice.docx", tmp_path / "notice.txt"
    _write_docx(docx_path)
    txt_path.write_text("\n".join(line[0] for line in LINES), encoding="gb18030")
    from_docx = recognise(formats.read(str(docx_path)))
    from_txt = recognise(formats.read(str(txt_path)))
    assert from_docx.title == "南山区人大常委会办公室关于开展代表集中视察活动的通知"
    assert from_docx.issuer == ["南山区人民代表大会常务委员会办公室"]
    assert from_docx.doc_number == "南人常办〔2023〕5号"
    assert from_docx.date == "2023-02-01"
    assert from_docx.secrecy is not None and from_docx.secrecy.level == "秘密"
    assert from_docx.attachments == ["视察日程安排", "代表报名回执"]
    assert [a.title for a in from_docx.attachment_docs] == ["视察日程安排"]
    assert from_docx.cc == ["区委办公室", "区政府办公室"]
    for field in FIELDS:
        assert getattr(from_docx, field) == getattr(from_txt, field), field
