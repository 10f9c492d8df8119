"""Genre (文种) by rules. A first cut from the title ending; extended by the classify work."""

from __future__ import annotations

from pipeline.model import Document

_TITLE_ENDINGS = [
    ("审议意见", "审议意见"), ("讲话", "讲话稿"), ("纪要", "纪要"), ("决议", "决议"), ("决定", "决定"),
    ("批复", "批复"), ("请示", "请示"), ("复函", "函"), ("函", "函"), ("通知", "通知"), ("通报", "通报"),
    ("意见", "意见"), ("报告", "报告"), ("公告", "公告"), ("通告", "通告"), ("公报", "公报"), ("议案", "议案"),
]  # fmt: skip


def rule_genre(doc: Document) -> str | None:
    """The genre the title's ending names, or None when the rules cannot tell."""
    title = (doc.title or "").rstrip("（）() ")
    for ending, genre in _TITLE_ENDINGS:
        if title.endswith(ending):
            return genre
    return None
