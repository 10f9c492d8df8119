"""GB/T 9704 structure recogniser: ``RawDocument`` -> ``Document``."""

from __future__ import annotations

from pipeline.model import Document, RawDocument

__all__ = ["recognise"]


def recognise(raw: RawDocument) -> Document:
    """Find 版头, 标题, 主送, headings, 署名, 成文日期, 附件, 版记 … in the blocks."""
    raise NotImplementedError
