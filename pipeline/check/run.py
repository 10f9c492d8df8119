"""Checking one file: read it into the model, find its zones, run every rule that applies.

``check_file(path, home=None, annotate=None)`` → ``{"path", "format", "genre", "findings",
"errors", "hints"}``; raises ``ParseError`` (a Chinese reason) for a file that cannot be read or
is classified (密级 documents are not processed here). .docx is read as it is; .doc and .wps go
through LibreOffice to .docx first (``pipeline.formats.office``); PDF, OFD and text formats get
the text rules only.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from pipeline.check import (  # noqa: F401  (the rule families register themselves on import)
    archive_rules,
    frame,
    genre_rules,
    layout,
    punct,
    text,
    words,
)
from pipeline.check.docmodel import DocModel, model_from_raw
from pipeline.check.docx_reader import read_docx_model
from pipeline.check.findings import ERROR, HINT, Finding
from pipeline.check.registry import RULES, Context
from pipeline.check.zones import find_zones
from pipeline.classify.secrecy import classified_text
from pipeline.formats import limits, sniff
from pipeline.formats.base import damaged_container
from pipeline.formats.office import convert_to_docx
from pipeline.home import Home
from pipeline.model import ParseError

WORD_FORMATS = ("docx",)
CONVERTED_FORMATS = ("doc", "wps")


def _read(path: str, workdir: Path) -> tuple[DocModel, str | None]:
    """The model and, for Word formats, the .docx it was read from."""
    fmt = sniff(path)
    if fmt in WORD_FORMATS:
        with damaged_container(path, "Word 文档"):
            return read_docx_model(path, fmt), path
    if fmt in CONVERTED_FORMATS:
        produced = convert_to_docx(path, workdir, limits.current().convert_timeout)
        with damaged_container(path, "转换后的文档"):
            model = read_docx_model(str(produced), fmt)
        model.path = path
        return model, str(produced)
    from pipeline import formats

    return model_from_raw(formats.read(path)), None


def _refuse_classified(model: DocModel) -> None:
    secrecy = classified_text("\n".join(p.text for p in model.paras[:40]))
    if secrecy is not None:
        raise ParseError(model.path, f"文件标有密级（{secrecy.level}），本系统不处理涉密文件，未校核")


def run_rules(ctx: Context) -> list[Finding]:
    findings: list[Finding] = []
    for item in RULES:
        if (item.styled and not ctx.model.styled) or (item.archive and ctx.home is None):
            continue
        for finding in item.function(ctx):
            finding.rule = finding.rule or item.id
            findings.append(finding)
    order = {p.index: p.order for p in ctx.model.paras if p.index is not None}
    return sorted(findings, key=lambda f: (f.paragraph is not None, order.get(f.paragraph, 0)))


def check_model(model: DocModel, home: Home | None = None) -> tuple[Context, list[Finding]]:
    _refuse_classified(model)
    ctx = Context(model=model, zones=find_zones(model), home=home)
    return ctx, run_rules(ctx)


def page_view(model: DocModel) -> list[dict[str, Any]]:
    """The paragraphs as the page shows them (for the web page): number, text, alignment, size,
    red, page, first-line indent in characters."""
    return [{"paragraph": p.index + 1 if p.index is not None else None, "text": p.text,
             "align": p.align, "size": p.size, "red": p.red, "page": p.page,
             "indent": round(p.first_chars, 1), "where": p.where}
            for p in model.paras if p.where != "textbox"]


def check_file(path: str | Path, home: Home | None = None, annotate: str | Path | None = None,
               view: bool = False) -> dict[str, Any]:
    """Check one file; with ``annotate``, also write the findings as comments in a .docx copy;
    with ``view``, add the paragraphs as the page shows them (``page_view``)."""
    path = str(path)
    workdir = Path(tempfile.mkdtemp(prefix="gongwen-check-"))
    try:
        model, docx_path = _read(path, workdir)
        ctx, findings = check_model(model, home)
        result = {
            "path": path, "format": model.format, "genre": ctx.genre,
            "findings": [f.to_json() for f in findings],
            "errors": sum(f.severity == ERROR for f in findings),
            "hints": sum(f.severity == HINT for f in findings),
        }
        if view:
            result["view"] = page_view(model)
        if annotate is not None and docx_path is None:
            result["warning"] = "只能为 Word 文档（.docx、.doc、.wps）写批注，此文件未写批注"
        elif annotate is not None:
            from pipeline.check.annotate import write_comments

            write_comments(docx_path, findings, annotate)
            result["annotated"] = str(annotate)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def rule_list() -> list[dict[str, Any]]:
    return [{"id": r.id, "family": r.family, "summary": r.summary, "needs": ("格式" if r.styled else "")
             + ("档案" if r.archive else "")} for r in RULES]
