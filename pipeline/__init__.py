"""gongwen: a document-processing pipeline for Chinese official documents (公文)."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Archive", "parse_file"]


def __getattr__(name: str):  # lazy, so `import pipeline.model` stays cheap
    if name == "Archive":
        from pipeline.facade import Archive

        return Archive
    if name == "parse_file":
        from pipeline.parse import parse_file

        return parse_file
    raise AttributeError(name)
