"""``--annotate OUT.docx``: the findings written as Word comments in a copy of the document
(python-docx ``Document.add_comment``), each anchored on its paragraph; findings about the page
set-up, the footer or a table are anchored on the first paragraph."""

from __future__ import annotations

from pathlib import Path

from pipeline.check.findings import Finding
from pipeline.formats.docx.package import open_package

AUTHOR = "公文校核"
INITIALS = "校"


def comment_text(finding: Finding) -> str:
    where = f"（{finding.part}）" if finding.part and finding.paragraph is None else ""
    return f"【{finding.severity}】{finding.message}{where}\n修改：{finding.fix}"


def write_comments(source: str, findings: list[Finding], out: str | Path) -> Path:
    """Copy ``source`` to ``out`` with one comment per finding; returns ``out``."""
    document, _ = open_package(source)
    paragraphs = document.paragraphs
    first = next((p for p in paragraphs if p.text.strip()), paragraphs[0] if paragraphs else None)
    if first is None:
        first = document.add_paragraph()
    for finding in findings:
        index = finding.paragraph
        target = paragraphs[index] if index is not None and 0 <= index < len(paragraphs) else first
        runs = [run for run in target.runs if run.text]
        if not runs:
            runs = [target.add_run("")]
        document.add_comment(runs, text=comment_text(finding), author=AUTHOR, initials=INITIALS)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out
