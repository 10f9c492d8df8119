"""Secrecy (密级) and restriction (内部资料) marks. Classified documents are never indexed."""

from __future__ import annotations

from pipeline.model import Document, Secrecy


def is_classified(doc: Document) -> Secrecy | None:
    """The 密级 of ``doc`` if it carries one anywhere, else None."""
    return doc.secrecy
