"""What one ingest worker process does with one file: parse, check 密级, annotate.

Runs in a process-pool worker, so everything it returns must pickle. Errors never escape:
the result carries a Chinese reason instead.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.archive.linking import text_key
from pipeline.model import Document, ParseError, Secrecy
from pipeline.structure.derived import give_title


@dataclass
class Job:
    key: int  # the parent's handle for this job
    parse_path: str  # the file to read (the original, or a temporary copy of a zip member)
    shown_path: str  # the path users see (zip members: "a.zip!dir/x.docx")
    home: str


@dataclass
class Result:
    key: int
    doc: Document | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    text_key: str | None = None
    secrecy: Secrecy | None = None
    error: str | None = None
    seconds: float = 0.0
    analysis: dict[str, Any] | None = None  # the index's analysis of the text, done here
    nearsig: bytes | None = None  # pipeline.index.nearcopy signature, kept in the catalog


def process(job: Job) -> Result:
    """Parse ``job``'s file into a Document with its classify annotations."""
    started = time.monotonic()
    result = Result(job.key)
    try:
        doc = parse(job.parse_path)
        doc.path = job.shown_path
        secrecy = _classified(doc)
        if secrecy is not None:
            result.secrecy = secrecy  # nothing of a classified document's content leaves here
        else:
            result.meta = _annotate(doc, Path(job.home))
            if result.meta.get("genre"):
                if doc.title_derived and result.meta["genre"] != doc.genre:
                    give_title(doc, result.meta["genre"])  # the composed title names the act
                doc.genre = result.meta["genre"]
            result.doc = doc
            result.text_key = text_key(doc)
            result.analysis = _analyse(doc, Path(job.home))
            result.nearsig = _near_signature(doc)
    except ParseError as err:
        result.error = err.reason
    except MemoryError:
        result.error = "文件过大，内存不足，无法解析"
    except Exception as err:  # noqa: BLE001 - a reader bug must not end the batch; keep the trace for logs
        result.error = f"解析时发生内部错误（{type(err).__name__}: {err}）"
        traceback.print_exc()
    result.seconds = time.monotonic() - started
    return result


def warm_up(home: Path) -> None:
    """Load the readers' and classifiers' dictionaries and models once, in the parent.

    Workers are forked, so they inherit what is loaded here instead of each paying seconds
    for it (and again after every pool restart).
    """
    sample = Document(path="warm-up.txt", format="txt", title="关于开展安全生产检查工作的通知",
                      body="各单位：\n现将有关事项通知如下。\n一、提高认识。")
    try:
        from pipeline import parse as _parse_module  # noqa: F401  (imports every reader)

        _classified(sample)
        _annotate(sample, home)
        text_key(sample)  # builds the NFKC shortcut's character classes
    except Exception:  # noqa: BLE001 - warming is an optimisation; workers report real errors
        traceback.print_exc()


def parse(path: str) -> Document:
    from pipeline.parse import parse_file

    return parse_file(path)


def _classified(doc: Document) -> Secrecy | None:
    from pipeline.classify.secrecy import is_classified

    return is_classified(doc)


def _analyse(doc: Document, home: Path) -> dict[str, Any] | None:
    """The index's analysis of ``doc`` (jieba words, bigrams), done here on a spare core instead
    of in the parent's index writer; only an optimisation, so a failure costs nothing."""
    try:
        from pipeline.index.writer import analyse

        return analyse(doc, home)
    except Exception:  # noqa: BLE001 - the parent analyses the text again and reports errors
        traceback.print_exc()
        return None


def _near_signature(doc: Document) -> bytes:
    from pipeline.index.writer import near_signature

    return near_signature(doc)


def _annotate(doc: Document, home: Path) -> dict[str, Any]:
    from pipeline.classify.api import annotate

    return annotate(doc, home)
