"""Format readers: one backend module per format, all producing a ``RawDocument``.

Entry point: ``read(path) -> RawDocument``; it recognises the format from the content
(not only the extension), enforces the size / decompression / time limits, and raises
``ParseError`` with a Chinese reason for anything it cannot read.
"""

from __future__ import annotations

from pipeline.model import ParseError, RawDocument

__all__ = ["read", "sniff", "ParseError", "RawDocument"]


def sniff(path: str) -> str:
    """The format name of the file at ``path`` (docx pdf ofd doc wps txt md html image)."""
    raise NotImplementedError


def read(path: str) -> RawDocument:
    """Read any supported file into ordered blocks with style hints."""
    raise NotImplementedError
