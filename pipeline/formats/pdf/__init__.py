"""PDF reader: text layer through pdfplumber, OCR for pages without a usable one.

This module is the backend's entry point: it opens the file (a Chinese reason for encrypted or
damaged ones), walks the pages, decides per page between the text layer
(``pipeline.formats.pdf.text_layer``) and OCR (``pipeline.formats.pdf.ocr_fallback``), and hands
the lines to the paragraph builder (``pipeline.formats.pdf.paragraphs``).
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.formats.base import Backend
from pipeline.formats.limits import ReadTimeout, current
from pipeline.formats.pdf.ocr_fallback import (
    OCR_BUDGET_SHARE,
    SPARSE_TEXT_CHARS,
    is_garbled,
    is_scanned_page,
    may_hold_text,
    ocr_pages,
)
from pipeline.formats.pdf.paragraphs import PageLines, lines_to_blocks
from pipeline.formats.pdf.text_layer import text_layer_lines
from pipeline.model import ParseError, RawDocument


class PdfBackend(Backend):
    name = "pdf"
    extensions = (".pdf",)

    def read(self, path: str) -> RawDocument:
        return read_pdf(path)


# ---------------------------------------------------------------- opening and page loop


def read_pdf(path: str, ocr: bool = True, ocr_budget: float | None = None) -> RawDocument:
    """Read a PDF into paragraph blocks; pages without a usable text layer are OCR'd."""
    import pdfplumber

    raw = RawDocument(path=path, format="pdf")
    budget = ocr_budget if ocr_budget is not None else current().read_timeout * OCR_BUDGET_SHARE
    try:
        pdf = pdfplumber.open(path, password="")
    except ReadTimeout:
        raise
    except Exception as exc:  # any library failure becomes a Chinese message
        raise _open_error(path, exc) from exc
    with pdf:
        try:
            page_objects = pdf.pages
        except ReadTimeout:
            raise
        except Exception as exc:  # any library failure becomes a Chinese message
            raise _open_error(path, exc) from exc
        if not page_objects:
            raise ParseError(path, "PDF 文件损坏：没有可读的页面")
        raw.pages = len(page_objects)
        pages = _read_pages(path, page_objects, raw, ocr, budget)
    raw.blocks = lines_to_blocks(pages)
    return raw


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (pdfplumber wraps pdfminer's errors in PdfminerException)."""
    seen: list[BaseException] = []
    pending: list[BaseException] = [exc]
    while pending and len(seen) < 10:
        current_exc = pending.pop()
        if any(current_exc is s for s in seen):
            continue
        seen.append(current_exc)
        pending += [a for a in current_exc.args if isinstance(a, BaseException)]
        pending += [c for c in (current_exc.__cause__, current_exc.__context__) if c is not None]
    return seen


def _open_error(path: str, exc: Exception) -> ParseError:
    for cause in _causes(exc):
        name = type(cause).__name__
        if "Password" in name or "Encrypt" in name or "encrypt" in str(cause).lower():
            return ParseError(path, "PDF 已加密，无法读取")
    inner = _causes(exc)[-1]
    if inner is not exc and str(inner).strip():
        exc = inner  # type: ignore[assignment]
    name = type(exc).__name__
    detail = str(exc).strip() or name
    return ParseError(path, f"PDF 文件损坏：{detail[:120]}")


def _read_pages(
    path: str, page_objects: Sequence, raw: RawDocument, ocr: bool, budget: float
) -> list[PageLines]:
    pages: list[PageLines] = []
    failed = 0
    to_ocr: list[PageLines] = []
    for number, page in enumerate(page_objects, start=1):
        result = PageLines(number, float(page.width), float(page.height))
        pages.append(result)
        try:
            lines, chars, (result.width, result.height) = text_layer_lines(page, number)
        except ReadTimeout:
            raise
        except Exception:  # noqa: BLE001 — any library failure becomes a Chinese message
            failed += 1
            raw.warnings.append(f"第{number}页无法解析，已跳过")
            continue
        if chars and is_garbled(chars):
            raw.warnings.append(f"第{number}页文字层无法识别（字体编码异常），已改用 OCR")
            lines = []
            to_ocr.append(result)
        elif not lines and may_hold_text(page):
            to_ocr.append(result)
        elif len(chars) < SPARSE_TEXT_CHARS and is_scanned_page(page):
            # A scan with a few stamped words (page number, archive stamp) as real text: the
            # body is only in the image. OCR reads the stamp too; its lines replace these.
            raw.warnings.append(f"第{number}页为扫描图像，仅有少量文字层，已改用 OCR")
            lines = []
            to_ocr.append(result)
        result.lines = lines
        page.flush_cache()  # pdfplumber keeps every page's objects otherwise
    if failed == len(pages):
        raise ParseError(path, "PDF 文件损坏：所有页面均无法解析")
    if to_ocr and ocr:
        ocr_pages(path, to_ocr, raw, budget)
    return pages
