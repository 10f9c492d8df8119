"""Documents the checker's tests are made of: written in the test with the project's GB/T 9704
writer (``pipeline.layout.write_docx``), then changed with python-docx to plant one error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from docx.shared import Pt

from pipeline.check.run import check_file
from pipeline.home import Home
from pipeline.layout import write_docx
from pipeline.model import Attachment, Document

BODY = [
    "为做好今年代表建议办理工作，现将有关事项通知如下：",
    "一、提高认识。各承办单位要把建议办理作为接受人大监督的重要工作，主要负责同志亲自研究部署。",
    "（一）明确责任。对每件建议都要确定承办人员和办理时限。",
    "（二）加强沟通。办理过程中要与代表面对面沟通不少于1次。",
    "二、严格时限。建议应当自交办之日起3个月内办结并答复代表。",
    "三、注重实效。对条件具备的要抓紧解决，对暂时不能解决的要说明原因。",
    "请各承办单位于2024年9月30日前报送办理工作总结。",
]


def notice(**changes: Any) -> Document:
    """A 通知 with every GB/T 9704 element: 版头, 主送, headings, 附件, 署名, 日期, 版记."""
    fields: dict[str, Any] = {
        "path": "", "format": "docx", "genre": "通知", "title": "青岚区人大常委会办公室关于做好代表建议办理工作的通知",
        "doc_number": "青人常办〔2024〕11号", "issuer": ["青岚区人大常委会办公室"], "date": "2024-02-26",
        "recipients": ["区人民政府各部门", "各街道办事处"], "cc": ["区委办公室", "区政协办公室"],
        "issued_by": "青岚区人大常委会办公室", "issued_date": "2024-02-27", "attachments": ["建议交办清单"],
        "signature": ["青岚区人大常委会办公室"], "paragraphs": list(BODY),
        "attachment_docs": [Attachment(label="附件", title="建议交办清单", text="一、交办建议158件。")],
    }
    fields.update(changes)
    return Document(**fields)


def request(**changes: Any) -> Document:
    """A 请示: upward layout with 签发人, one 主送, ending with its request."""
    fields: dict[str, Any] = {
        "path": "", "format": "docx", "genre": "请示", "title": "青岚区人大常委会办公室关于追加代表联络站建设经费的请示",
        "doc_number": "青人常办〔2023〕8号", "issuer": ["青岚区人大常委会办公室"], "signer": ["李红英"],
        "date": "2023-03-15", "recipients": ["区人民政府"], "signature": ["青岚区人大常委会办公室"],
        "paragraphs": ["今年我区计划新建代表联络站12个，按每个8万元测算共需经费96万元，尚有缺口56万元。",
                    "为确保建设任务按期完成，特申请追加代表联络站建设经费56万元。",
                    "妥否，请批示。"],
    }
    fields.update(changes)
    return Document(**fields)


def speech(**changes: Any) -> Document:
    fields: dict[str, Any] = {
        "path": "", "format": "docx", "genre": "讲话稿", "title": "在区第十七届人民代表大会第四次会议闭幕会上的讲话",
        "date": "2024-01-11", "signature": ["区人大常委会主任 陈立新"],
        "paragraphs": ["各位代表、同志们：", "今天，大会圆满完成了各项议程。", "一、凝心聚力，完成任务。大会通过的决议要认真落实。",
                    "二、依法履职，提升实效。常委会要综合运用各种监督方式。"],
    }
    fields.update(changes)
    return Document(**fields)


def write(tmp_path: Path, doc: Document, name: str = "doc.docx", **options: Any) -> Path:
    return write_docx(doc, tmp_path / name, **options)


def edit(path: Path, change: Callable[[Any], None]) -> Path:
    """Open ``path`` with python-docx, apply ``change`` to the document, save it in place."""
    document = docx.Document(str(path))
    change(document)
    document.save(str(path))
    return path


def paragraph(document: Any, starts: str) -> Any:
    return next(p for p in document.paragraphs if p.text.startswith(starts))


def position(path: Path, starts: str) -> int:
    """The paragraph number (from 1, empty paragraphs counted, as findings give it) of the first
    paragraph of ``path`` that starts with ``starts``: tests do not depend on the writer's spacing."""
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    return next(number for number, text in enumerate(texts, start=1) if text.startswith(starts))


def replace_text(document: Any, old: str, new: str) -> None:
    """Replace ``old`` inside one run of the first paragraph holding it."""
    for para in document.paragraphs:
        for run in para.runs:
            if old in run.text:
                run.text = run.text.replace(old, new, 1)
                return
    raise AssertionError(f"{old!r} not found")


def set_size(para: Any, points: float) -> None:
    for run in para.runs:
        run.font.size = Pt(points)


def findings(path: Path, home: Path | None = None) -> list[dict]:
    return check_file(path, home=Home(home) if home else None)["findings"]


def rules(path: Path, severity: str | None = None, home: Path | None = None) -> set[str]:
    return {f["rule"] for f in findings(path, home) if severity is None or f["severity"] == severity}


def errors(path: Path, home: Path | None = None) -> list[dict]:
    return [f for f in findings(path, home) if f["severity"] == "错误"]
