"""Real PDFs and page images from ../shared/corpus/formats: text layers, garbled layers, scans."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.pdf import read_pdf

# OCR is slow on a shared machine: a tiny budget means the first page only (it always runs).
OCR_BUDGET = 1.0


def _compact(text: str) -> str:
    return "".join(text.split())


def _contains_roughly(text: str, wanted: str, ratio: float = 0.8) -> bool:
    """``wanted`` occurs in ``text`` allowing a few OCR errors (best window similarity)."""
    text, wanted = _compact(text), _compact(wanted)
    if wanted in text:
        return True
    size = len(wanted)
    return any(
        difflib.SequenceMatcher(None, text[i : i + size], wanted).ratio() >= ratio
        for i in range(max(1, len(text) - size + 1))
    )


def test_text_layer_report_with_tables(shared_corpus: Path) -> None:
    raw = formats.read(shared_corpus / "formats/pdf/深圳市2021年社会性别统计报告.pdf")
    assert raw.format == "pdf" and not raw.ocr and raw.pages == 13
    text = _compact(raw.text)
    assert "2021年深圳市社会性别统计报告" in text
    assert "深圳市常住人口1761.48万人" in text  # footnote markers do not glue onto numbers
    assert "福田区124.8860.4864.4093.91" in text  # table rows stay in reading order
    assert not any(b.text.strip().isdigit() for b in raw.blocks)  # page numbers dropped


def test_font_test_pdf_with_vertical_title(shared_corpus: Path) -> None:
    raw = read_pdf(
        str(shared_corpus / "formats/pdf/ofdrw_Test_竞争性磋商文件_fonttest.pdf"), ocr_budget=0
    )
    assert raw.pages == 5
    texts = [_compact(b.text) for b in raw.blocks]
    assert texts[0] == "竞争性磋商文件"  # one character per line, read as one line
    assert any(t.startswith("第一章") for t in texts)


def test_format_parity_pdf(shared_corpus: Path) -> None:
    raw = formats.read(shared_corpus / "formats/format_parity_set/test.pdf")
    texts = [_compact(b.text) for b in raw.blocks]
    assert "国防部关于放假的通知" in texts and "国防部发〔2012〕21号" in texts
    assert not any("––" in t for t in texts)
    title = raw.blocks[texts.index("国防部关于放假的通知")]
    assert title.align == "center" and title.size == 22
    assert raw.blocks[0].is_red


def test_master_template_pdf(shared_corpus: Path) -> None:
    raw = formats.read(shared_corpus / "formats/format_parity_set/master_template.pdf")
    texts = [_compact(b.text) for b in raw.blocks]
    assert "机密★5年" in texts and "XXX〔2023〕X号" in texts


@pytest.mark.slow
def test_garbled_text_layer_falls_back_to_ocr(shared_corpus: Path) -> None:
    raw = read_pdf(
        str(shared_corpus / "formats/pdf/GMT_0031-2014_安全电子签章密码技术规范.pdf"),
        ocr_budget=OCR_BUDGET,
    )
    assert raw.ocr
    assert any("字体编码异常" in w for w in raw.warnings)
    assert _contains_roughly(raw.text, "安全电子签章密码技术规范")
    assert _contains_roughly(raw.text, "中华人民共和国密码行业标准")
    # Nothing of the broken layer leaks through: no 犐犆犛 (shifted Latin), no !"#$ for CJK.
    assert not any("\u7280" <= c <= "\u72ff" or c in '!"#$&' for c in raw.text)
    assert any("未识别" in w for w in raw.warnings)  # the budget stopped it, and it says so


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("DERIVED_scanned_GMT_0031-2014_p1-3.pdf", "安全电子签章密码技术规范"),
        ("DERIVED_scanned_深圳市2021年社会性别统计报告_p1-4.pdf", "深圳市社会性别统计报告"),
    ],
)
def test_scanned_pdfs_are_ocrd(shared_corpus: Path, name: str, expected: str) -> None:
    raw = read_pdf(str(shared_corpus / "formats/pdf_scanned_derived" / name), ocr_budget=OCR_BUDGET)
    assert raw.ocr and raw.text.strip()
    assert _contains_roughly(raw.text, expected)


@pytest.mark.slow
def test_page_image(shared_corpus: Path) -> None:
    raw = formats.read(shared_corpus / "formats/format_parity_set/test.png")
    assert raw.format == "image" and raw.ocr
    organ = next(b for b in raw.blocks if _contains_roughly(b.text, "XX省数据安全厅文件"))
    assert organ.is_red
    assert _contains_roughly(raw.text, "关于生成特定格式测试文件的通知")
