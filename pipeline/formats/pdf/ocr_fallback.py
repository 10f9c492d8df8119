"""When a PDF page's text layer cannot be used, and OCR of such pages within a time budget.

A page goes to OCR when its text layer is garbled (a broken font encoding), when it has no text
layer but could still show text (an image, or text drawn as outlines), or when it is a scan with
only a few stamped words as real text. Pages are rendered with pypdfium2 and read by
``pipeline.formats.ocr``; OCR stops, and says which pages it skipped, before it would overrun its
share of the per-file time limit.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from pipeline.formats.limits import ReadTimeout
from pipeline.formats.ocr import OcrUnavailable, ocr_page
from pipeline.formats.pdf.paragraphs import PageLines
from pipeline.model import RawDocument

OCR_DPI = 200
# Share of the per-file time limit that OCR may spend before it stops and says so.
OCR_BUDGET_SHARE = 0.75


VECTOR_TEXT_SHAPES = 100  # text converted to outlines draws one path per glyph


def may_hold_text(page: object) -> bool:
    """Could a page without a text layer still show text? Only as an image or as outlines.

    A page of a few drawn shapes (a logo, a chart frame, a blank page) is not worth OCR time.
    """
    try:
        if page.images:  # type: ignore[attr-defined]
            return True
        shapes = len(page.curves) + len(page.rects) + len(page.lines)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — an odd page object: let OCR decide
        return True
    return shapes >= VECTOR_TEXT_SHAPES


SPARSE_TEXT_CHARS = 40  # fewer text-layer glyphs than this on a full-page image: a stamp


def is_scanned_page(page: object) -> bool:
    """An image covers most of the page (a scan), as opposed to a logo or a photo in the text."""
    try:
        area = float(page.width) * float(page.height)  # type: ignore[attr-defined]
        images = page.images  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — an odd page object: trust its text layer
        return False
    return any(
        (float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) > 0.5 * area
        for i in images
    )


_CID = re.compile(r"^\(cid:\d+\)$")
# Symbols that real Chinese prose almost never uses but broken CJK font encodings spill out.
_ODD_SYMBOLS = set("!\"#$&'*+<=>?@[\\]^_`{|}~")


def is_garbled(chars: Sequence[str]) -> bool:
    """True when a page's text layer cannot be what the page shows.

    Signals: unmapped glyphs (``(cid:N)``), private-use or replacement characters, runs of ASCII
    symbols where CJK should be, and Latin letters mapped into the rare 犀–狿 block (a known
    artefact of some Founder fonts: ``犌犅／犜`` for ``GB/T``).
    """
    if len(chars) < 8:
        return False
    unmapped = sum(
        1 for c in chars if _CID.match(c) or "\ue000" <= c[0] <= "\uf8ff" or c == "\ufffd"
    )
    if unmapped / len(chars) > 0.3:
        return True
    meaningful = [c for c in chars if not c.isdigit() and c not in "．.…·-—_ "]
    if len(meaningful) < 8:
        return False
    odd = sum(1 for c in meaningful if c in _ODD_SYMBOLS)
    shifted = sum(1 for c in meaningful if "\u7280" <= c <= "\u72ff")
    cids = sum(1 for c in meaningful if _CID.match(c))
    return (
        odd / len(meaningful) > 0.06
        or shifted / len(meaningful) > 0.15
        or cids / len(meaningful) > 0.1
    )


def _render(document: object, number: int) -> tuple[object, float]:
    """Page ``number`` as a PIL image; a second try at a lower resolution if memory runs short."""
    try:
        return document[number - 1].render(scale=OCR_DPI / 72).to_pil(), OCR_DPI  # type: ignore[index]
    except Exception:  # noqa: BLE001 — any library failure becomes a Chinese message
        fallback = OCR_DPI * 0.6
        return document[number - 1].render(scale=fallback / 72).to_pil(), fallback  # type: ignore[index]


def page_ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` → ``2–4、7`` for warnings that stay short on long documents."""
    parts: list[str] = []
    for number in sorted(numbers):
        if parts and parts[-1].split("–")[-1] == str(number - 1):
            parts[-1] = f"{parts[-1].split('–')[0]}–{number}"
        else:
            parts.append(str(number))
    return "、".join(parts)


def ocr_pages(path: str, pages: list[PageLines], raw: RawDocument, budget: float) -> None:
    import pypdfium2 as pdfium

    started = time.monotonic()
    try:
        document = pdfium.PdfDocument(path)
    except Exception:  # noqa: BLE001 — any library failure becomes a Chinese message
        raw.warnings.append("无文字层的页面无法渲染，未能 OCR")
        return
    slowest = 0.0
    try:
        for index, page in enumerate(pages):
            # Stop before a page that would likely overrun the budget, not after it did.
            if time.monotonic() - started + slowest > budget:
                skipped = page_ranges([p.number for p in pages[index:]])
                raw.warnings.append(f"OCR 超出时间预算，第{skipped}页未识别")
                return
            page_started = time.monotonic()
            try:
                image, dpi = _render(document, page.number)
                page.lines, page.width, page.height = ocr_page(image, dpi=dpi, page=page.number)
                slowest = max(slowest, time.monotonic() - page_started)
            except OcrUnavailable as exc:
                raw.warnings.append(f"第{page.number}页没有文字层，且无法 OCR：{exc}")
                return
            except ReadTimeout:
                raise
            except Exception as exc:  # noqa: BLE001 — any library failure becomes a Chinese message
                raw.warnings.append(f"第{page.number}页 OCR 失败：{type(exc).__name__}")
                continue
            if page.lines:
                raw.ocr = True
    finally:
        document.close()
