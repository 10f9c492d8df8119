"""Images of pages (.png .jpg .tif incl. multi-page TIFF, .bmp): straight to OCR."""

from __future__ import annotations

import time
import warnings

from PIL import Image, ImageSequence, UnidentifiedImageError

from pipeline.formats.base import Backend
from pipeline.formats.limits import ReadTimeout, current
from pipeline.formats.ocr import OcrUnavailable, ocr_page
from pipeline.formats.pdf.ocr_fallback import OCR_BUDGET_SHARE
from pipeline.formats.pdf.paragraphs import PageLines, lines_to_blocks
from pipeline.model import ParseError, RawDocument

MAX_PIXELS = 150_000_000  # beyond this PIL's decompression-bomb guard would fire anyway
MAX_FRAMES = 500


class ImageBackend(Backend):
    name = "image"
    extensions = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp")

    def read(self, path: str) -> RawDocument:
        return read_image(path)


def _dpi(frame: Image.Image) -> float | None:
    dpi = frame.info.get("dpi")
    try:
        value = float(dpi[0]) if isinstance(dpi, tuple) else float(dpi) if dpi else None
    except (TypeError, ValueError):
        return None
    # Many scanners write 72 or 96 whatever they scanned at; trust only plausible page sizes.
    if value and 6.0 <= frame.width / value <= 13.0:
        return value
    return None


def read_image(path: str, ocr_budget: float | None = None) -> RawDocument:
    """OCR every frame of an image file; one frame is one page."""
    raw = RawDocument(path=path, format="image", ocr=True)
    budget = ocr_budget if ocr_budget is not None else current().read_timeout * OCR_BUDGET_SHARE
    started = time.monotonic()
    slowest = 0.0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            if image.width * image.height > MAX_PIXELS:
                raise ParseError(path, f"图片过大（{image.width}×{image.height} 像素）")
            pages: list[PageLines] = []
            for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
                if number > MAX_FRAMES:
                    raw.warnings.append(f"图片帧数过多，仅识别前 {MAX_FRAMES} 帧")
                    break
                if time.monotonic() - started + slowest > budget:
                    raw.warnings.append(f"OCR 超出时间预算，第{number}页起未识别")
                    break
                frame_started = time.monotonic()
                pages.append(_ocr_frame(frame, number))
                slowest = max(slowest, time.monotonic() - frame_started)
            raw.pages = len(pages)
    except ParseError:
        raise
    except ReadTimeout:
        raise
    except OcrUnavailable as exc:
        raise ParseError(path, f"无法进行文字识别：{exc}") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ParseError(path, "图片像素过多，疑似解压炸弹，已拒绝读取") from exc
    except UnidentifiedImageError as exc:
        raise ParseError(path, "图片无法识别或已损坏：不是可读的图片格式") from exc
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or malformed image data
        raise ParseError(path, f"图片文件损坏：{str(exc)[:120] or type(exc).__name__}") from exc
    raw.blocks = lines_to_blocks(pages, ocr=True)
    if not raw.blocks:
        raw.warnings.append("图片中未识别到文字")
    return raw


def _ocr_frame(frame: Image.Image, number: int) -> PageLines:
    frame.load()
    dpi = _dpi(frame)
    rgb = frame.convert("RGB")
    lines, width, height = ocr_page(rgb, dpi=dpi, page=number)
    return PageLines(number, width, height, lines)
