"""One call from a file to a structured ``Document``: read, recognise, label the genre."""

from __future__ import annotations

from pathlib import Path

from pipeline import formats, structure
from pipeline.classify.genre import rule_genre
from pipeline.model import Document


def parse_file(path: str | Path) -> Document:
    """Parse one file; raises ``ParseError`` (Chinese reason) when it cannot be read."""
    raw = formats.read(str(path))
    doc = structure.recognise(raw)
    if doc.genre is None:
        doc.genre = rule_genre(doc)
    return doc
