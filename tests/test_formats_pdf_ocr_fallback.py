"""Which PDF pages go to OCR, and the OCR budget (pipeline.formats.pdf.ocr_fallback)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from PIL import Image

from pipeline.formats.pdf.ocr_fallback import (
    is_scanned_page,
    may_hold_text,
    ocr_pages,
    page_ranges,
)
from pipeline.formats.pdf.paragraphs import PageLines
from pipeline.model import RawDocument
from tests.test_formats_pdf import hand_written_pdf


def _verdicts(path: Path) -> tuple[bool, bool]:
    """(may hold text, is a scan) for the first page of ``path``."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return may_hold_text(page), is_scanned_page(page)


def test_blank_page_and_a_few_shapes_are_not_worth_ocr(tmp_path: Path) -> None:
    assert _verdicts(hand_written_pdf(tmp_path / "blank.pdf", b"")) == (False, False)
    frame = b"0 0 100 20 re f 50 50 m 100 100 l S"
    assert _verdicts(hand_written_pdf(tmp_path / "frame.pdf", frame)) == (False, False)


def test_text_drawn_as_outlines_may_hold_text(tmp_path: Path) -> None:
    glyphs = b" ".join(
        b"%d %d 4 4 re f" % (20 + (i % 20) * 10, 20 + (i // 20) * 10) for i in range(120)
    )
    assert _verdicts(hand_written_pdf(tmp_path / "outlines.pdf", glyphs)) == (True, False)


def test_full_page_image_is_a_scan_and_a_logo_is_not(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(scan, "PDF", resolution=72)
    assert _verdicts(scan) == (True, True)
    logo = b"q 60 0 0 40 100 700 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \xff EI Q"
    assert _verdicts(hand_written_pdf(tmp_path / "logo.pdf", logo)) == (True, False)


def test_page_ranges_shorten_runs() -> None:
    assert page_ranges([7, 2, 3, 4]) == "2–4、7"
    assert page_ranges([1, 3, 5]) == "1、3、5"
    assert page_ranges([9]) == "9"


def test_ocr_over_budget_names_the_pages_it_skipped(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    Image.new("RGB", (600, 800), "white").save(path, "PDF", resolution=72)
    raw = RawDocument(path=str(path), format="pdf")
    pages = [PageLines(2, 600, 800), PageLines(3, 600, 800), PageLines(5, 600, 800)]
    ocr_pages(str(path), pages, raw, budget=-1.0)  # spent before the first page
    assert raw.warnings == ["OCR 超出时间预算，第2–3、5页未识别"]
    assert not raw.ocr and all(not page.lines for page in pages)


def test_unrenderable_file_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    raw = RawDocument(path=str(path), format="pdf")
    ocr_pages(str(path), [PageLines(1, 595, 842)], raw, budget=60.0)
    assert raw.warnings == ["无文字层的页面无法渲染，未能 OCR"]
