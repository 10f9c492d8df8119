"""The checker on real documents: the GB/T 9704 Word template and the provincial 2025 work reports
(web copies saved as .docx, not laid out to the standard)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pipeline.check.run import check_file


def test_the_word_template(shared_corpus: Path) -> None:
    template = shared_corpus / "formats" / "docx_templates" / "GongWen-Tamplate-Lite_template.dotx"
    if not template.is_file():
        pytest.skip("the GB/T 9704 Word template is not in the shared corpus")
    result = check_file(template)
    rules = Counter(f["rule"] for f in result["findings"] if f["severity"] == "错误")
    # its page set-up is the standard's; its page number is Word's "- 1 -", not "— 1 —"
    assert not {"page_size", "page_margins", "line_pitch", "heading_sequence"} & set(rules)
    assert any("- 1 -" in f["message"] for f in result["findings"] if f["rule"] == "page_number")


def test_provincial_work_reports(shared_corpus: Path) -> None:
    folder = shared_corpus / "work_reports" / "provincial_2025" / "docx"
    files = sorted(folder.glob("*.docx"))
    if not files:
        pytest.skip("the provincial work reports are not in the shared corpus")
    for path in files:
        result = check_file(path)
        rules = {f["rule"] for f in result["findings"]}
        # web copies in Word's default page: the layout rules see it, the text rules run through
        assert "page_margins" in rules, path.name
        assert result["genre"] == "报告", path.name
        for finding in result["findings"]:
            assert finding["severity"] in ("错误", "提示") and finding["message"] and finding["fix"]
