"""One call from a file to a structured ``Document``: read, recognise, label the genre."""

from __future__ import annotations

from pathlib import Path

from pipeline import formats, structure
from pipeline.classify.genre import rule_genre
from pipeline.classify.secrecy import classified_text
from pipeline.model import Document


def parse_file(path: str | Path) -> Document:
    """Parse one file; raises ``ParseError`` (Chinese reason) when it cannot be read."""
    raw = formats.read(str(path))
    doc = structure.recognise(raw)
    if doc.secrecy is None:
        # Safety net: a 密级 mark the recogniser did not place (odd header position, glued to
        # another line) must still keep the document out of the index.
        doc.secrecy = classified_text(raw.text)
    if doc.genre is None:
        doc.genre = rule_genre(doc)
    return doc
