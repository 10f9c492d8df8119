"""One call from a file to a structured ``Document`` (read, recognise, label the genre), and the
``gongwen classify`` objects of a list of files."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pipeline import formats, structure
from pipeline.classify.genre import rule_genre
from pipeline.classify.secrecy import classified_text
from pipeline.home import Home
from pipeline.model import Document, ParseError
from pipeline.structure.derived import give_title

log = logging.getLogger(__name__)


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
    give_title(doc, doc.genre)  # a file without a title line gets one composed from its text
    return doc


def classify_files(home: Home, paths: Iterable[Path]) -> list[dict[str, Any]]:
    """The ``gongwen classify`` objects, with the archive's models when it has trained them; a
    file that cannot be read gets ``"error"`` instead and the others go on."""
    from pipeline.classify.api import annotate  # the models' code: only for classify, not parse

    results: list[dict[str, Any]] = []
    for path in map(Path, paths):
        try:
            if not path.is_file():
                raise ParseError(str(path), "文件不存在")
            doc = parse_file(path)
        except ParseError as error:
            results.append({"path": str(path), "error": error.reason})
            continue
        except Exception as error:  # a reader bug must not end the batch (logged with its trace)
            log.exception("classify: %s", path)
            results.append({"path": str(path), "error": f"解析时发生内部错误（{type(error).__name__}: {error}）"})
            continue
        info = annotate(doc, home.root)
        results.append({"path": str(path), **{key: info[key] for key in CLASSIFY_FIELDS}})
    return results


CLASSIFY_FIELDS = ("genre", "genre_scores", "topics", "secrecy", "retention")
