"""OCR for scanned pages and images: RapidOCR (ONNX models inside the wheel), tesseract as fallback.

The engine is created once per process (lazily, on the first page that needs it) because loading
the three ONNX models costs about half a second. Results come back as :class:`TextLine` objects in
page coordinates (points, origin top-left), the same shape the PDF text layer produces, so one
paragraph builder (``pipeline.formats.pdf.paragraphs.lines_to_blocks``) serves both.
"""

from __future__ import annotations

import csv
import io
import itertools
import logging
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from pipeline.formats.limits import ReadTimeout

log = logging.getLogger(__name__)

MAX_SIDE_PX = 3000  # larger scans are downscaled: detection works at ≤ 2000 px anyway
A4_WIDTH_INCH = 8.27  # images without a dpi tag are taken to be an A4 page width
TESSERACT_TIMEOUT = 60.0


@dataclass
class TextLine:
    """One line of text with its box in points and the style hints its source offers."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float | None = None
    font: str | None = None
    bold: bool | None = None
    color: str | None = None
    page: int = 1
    weight: int = 0  # characters that voted for the style hints (0: use len(text))

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre_y(self) -> float:
        return (self.top + self.bottom) / 2


class OcrUnavailable(RuntimeError):
    """Neither RapidOCR nor the tesseract CLI can run here."""


_engine_lock = threading.Lock()
_rapid_engine: object | None = None
_rapid_failed = False


def _threads() -> int:
    # The machine is shared: stay within the cores we were given, at most 4.
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(4, available))


def rapid_engine() -> object | None:
    """The process-wide RapidOCR engine, or ``None`` when it cannot be loaded."""
    global _rapid_engine, _rapid_failed
    if _rapid_engine is not None or _rapid_failed:
        return _rapid_engine
    with _engine_lock:
        if _rapid_engine is None and not _rapid_failed:
            try:
                from rapidocr_onnxruntime import RapidOCR

                # No angle classifier: it only flips upside-down lines, and costs a third of the time.
                _rapid_engine = RapidOCR(
                    intra_op_num_threads=_threads(), inter_op_num_threads=1, use_cls=False
                )
            except Exception as exc:  # noqa: BLE001 — ImportError, missing model, onnxruntime failure
                log.warning("RapidOCR unavailable, falling back to tesseract: %s", exc)
                _rapid_failed = True
    return _rapid_engine


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def prepare_image(image: Image.Image, dpi: float | None) -> tuple[Image.Image, float]:
    """RGB image no larger than ``MAX_SIDE_PX`` and its effective dpi (pixels per inch)."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    if not dpi or dpi < 30:
        dpi = image.width / A4_WIDTH_INCH
    longest = max(image.size)
    if longest > MAX_SIDE_PX:
        factor = MAX_SIDE_PX / longest
        image = image.resize(
            (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        )
        dpi *= factor
    return image, dpi


def ocr_image(image: Image.Image, dpi: float | None = None, page: int = 1) -> list[TextLine]:
    """Recognise the text of one page image; lines in points, top to bottom.

    Raises :class:`OcrUnavailable` when no engine can run.
    """
    return ocr_page(image, dpi, page)[0]


def ocr_page(
    image: Image.Image, dpi: float | None = None, page: int = 1
) -> tuple[list[TextLine], float, float]:
    """Like :func:`ocr_image`, plus the page's width and height in points as read.

    A page scanned sideways is turned upright first, so its size may come back swapped.
    """
    image, dpi = prepare_image(image, dpi)
    boxes = _recognise(image, page)
    if len(boxes) < 3:
        # Sideways or upside-down text often yields nothing at all: ask tesseract's OSD which
        # way is up, and read the turned page if it says so.
        turn = osd_rotation(image)
        if turn:
            turned = image.rotate(-turn, expand=True)  # OSD says "rotate N° clockwise"
            turned_boxes = _recognise(turned, page)
            if _confidence(turned_boxes) > _confidence(boxes):
                image, boxes = turned, turned_boxes
    elif _looks_sideways(boxes):
        # Try both quarter turns and keep the reading the engine is more confident about.
        candidates = [(image, boxes)]
        for angle in (270, 90):
            turned = image.rotate(angle, expand=True)
            candidates.append((turned, _recognise(turned, page)))
        image, boxes = max(candidates, key=lambda c: _confidence(c[1]))
    scale = 72.0 / dpi
    pixels = np.asarray(image)
    lines = [_to_text_line(box, pixels, scale, page) for box in _merge_into_lines(boxes)]
    return lines, image.width * scale, image.height * scale


Box = tuple[float, float, float, float, str]


def _recognise(image: Image.Image, page: int) -> list[Box]:
    engine = rapid_engine()
    if engine is not None:
        try:
            return _rapid_boxes(engine, np.asarray(image))
        except ReadTimeout:
            raise  # the per-file time limit is not an engine failure
        except Exception as exc:  # noqa: BLE001 — a model failure on one image must not lose the page
            log.warning("RapidOCR failed on page %s, trying tesseract: %s", page, exc)
    if not tesseract_available():
        raise OcrUnavailable("RapidOCR 与 tesseract 均不可用")
    return _tesseract_boxes(image)


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def osd_rotation(image: Image.Image) -> int:
    """Clockwise degrees (0, 90, 180, 270) that turn the page upright, per tesseract OSD; 0 if unsure."""
    if not tesseract_available():
        return 0
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        completed = subprocess.run(
            ["tesseract", "stdin", "stdout", "--psm", "0"],
            input=buffer.getvalue(), capture_output=True, timeout=TESSERACT_TIMEOUT, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return 0
    output = completed.stdout.decode("utf-8", "replace")
    rotate, confidence = _OSD_ROTATE.search(output), _OSD_CONFIDENCE.search(output)
    if not rotate or not confidence or float(confidence.group(1)) < 2.0:
        return 0
    turn = int(rotate.group(1)) % 360
    return turn if turn in (90, 180, 270) else 0


def _looks_sideways(boxes: list[Box]) -> bool:
    """Most text boxes standing upright (taller than wide): lines run down the page."""
    sized = [b for b in boxes if len(b[4]) >= 3]
    tall = sum(1 for b in sized if (b[3] - b[1]) > 1.5 * (b[2] - b[0]))
    return len(sized) >= 3 and tall > 0.6 * len(sized)


def _confidence(boxes: list[Box]) -> float:
    """Recognised characters weighted by the engine's score (tesseract boxes count 1 each)."""
    return sum(len(b[4]) * (b[5] if len(b) > 5 else 1.0) for b in boxes)  # type: ignore[misc]


def _rapid_boxes(engine: object, pixels: np.ndarray) -> list[Box]:
    # RapidOCR expects BGR like OpenCV; the colour order matters little for text, but be exact.
    result, _elapsed = engine(pixels[:, :, ::-1].copy())  # type: ignore[operator]
    boxes = []
    for points, text, _score in result or []:
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        text = text.strip()
        if text:
            boxes.append((min(xs), min(ys), max(xs), max(ys), text, float(_score)))
    return boxes  # type: ignore[return-value]  # the score rides along for _confidence


def _tesseract_boxes(image: Image.Image) -> list[tuple[float, float, float, float, str]]:
    """Word boxes from ``tesseract … tsv`` grouped into its own lines."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        completed = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "3", "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=TESSERACT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OcrUnavailable(f"tesseract 运行失败：{exc}") from exc
    if completed.returncode != 0:
        raise OcrUnavailable(
            f"tesseract 运行失败：{completed.stderr.decode('utf-8', 'replace')[:200]}"
        )
    rows = csv.DictReader(
        io.StringIO(completed.stdout.decode("utf-8", "replace")),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    grouped: dict[tuple[str, str, str, str], list[dict[str, str]]] = {}
    for row in rows:
        if row.get("level") == "5" and (row.get("text") or "").strip():
            key = (row["page_num"], row["block_num"], row["par_num"], row["line_num"])
            grouped.setdefault(key, []).append(row)
    boxes = []
    for words in grouped.values():
        x0 = min(int(w["left"]) for w in words)
        y0 = min(int(w["top"]) for w in words)
        x1 = max(int(w["left"]) + int(w["width"]) for w in words)
        y1 = max(int(w["top"]) + int(w["height"]) for w in words)
        boxes.append((x0, y0, x1, y1, _join_words([w["text"].strip() for w in words])))
    return boxes


def _join_words(words: list[str]) -> str:
    """Join OCR words: a space only between two Latin/digit words (tesseract splits CJK per char)."""
    text = ""
    for word in words:
        if (
            text
            and text[-1].isascii()
            and text[-1].isalnum()
            and word[0].isascii()
            and word[0].isalnum()
        ):
            text += " "
        text += word
    return text


def _merge_into_lines(
    boxes: list[tuple[float, float, float, float, str]],
) -> list[tuple[float, float, float, float, str]]:
    """Detection splits a line at wide gaps (``电  话：``); put boxes that share a line back together."""
    lines: list[list[tuple[float, float, float, float, str]]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        if lines:
            current = lines[-1]
            top = min(b[1] for b in current)
            bottom = max(b[3] for b in current)
            overlap = min(bottom, box[3]) - max(top, box[1])
            if overlap > 0.6 * min(bottom - top, box[3] - box[1]):
                current.append(box)
                continue
        lines.append([box])
    merged = []
    for parts in lines:
        parts.sort(key=lambda b: b[0])
        height = max(b[3] - b[1] for b in parts)
        text = parts[0][4]
        for previous, part in itertools.pairwise(parts):
            gap = part[0] - previous[2]
            latin = text[-1].isascii() and part[4][0].isascii()
            text += (" " if gap > 0.8 * height or (latin and gap > 0.2 * height) else "") + part[4]
        merged.append(
            (parts[0][0], min(b[1] for b in parts), parts[-1][2], max(b[3] for b in parts), text)
        )
    return merged


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def estimate_size(text: str, width_pt: float, height_pt: float) -> float:
    """Font size from an OCR box: CJK glyphs are one em wide, which beats the padded box height."""
    compact = text.replace(" ", "")
    cjk = sum(
        1 for c in compact if _is_cjk(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
    )
    if compact and cjk >= 2 and cjk >= 0.5 * len(compact) and " " not in text:
        ems = cjk + 0.55 * (len(compact) - cjk)  # digits and Latin are about half an em
        return round(min(width_pt / ems, height_pt) * 2) / 2
    # Detection boxes hug the glyphs: their height is close to the em (measured on 16–22 pt text).
    return round(height_pt * 2) / 2


def _ink_colour(pixels: np.ndarray, box: tuple[float, float, float, float, str]) -> str | None:
    """The colour of the text strokes inside a box, "RRGGBB" (red titles survive scanning)."""
    x0, y0, x1, y1 = (max(0, int(v)) for v in box[:4])
    crop = pixels[y0 : y1 + 1, x0 : x1 + 1].reshape(-1, 3).astype(np.int16)
    if crop.size == 0:
        return None
    # Ink is whatever is far from the (light) background: dark or strongly saturated pixels.
    saturation = crop.max(axis=1) - crop.min(axis=1)
    ink = crop[(crop.min(axis=1) < 110) | (saturation > 90)]
    if len(ink) < 5:
        return None
    r, g, b = (int(v) for v in np.median(ink, axis=0))
    if max(r, g, b) - min(r, g, b) < 40 and max(r, g, b) < 120:
        return "000000"  # grey-black print noise: call it black
    return f"{r:02X}{g:02X}{b:02X}"


def _to_text_line(
    box: tuple[float, float, float, float, str], pixels: np.ndarray, scale: float, page: int
) -> TextLine:
    x0, y0, x1, y1, text = box
    size = estimate_size(text, (x1 - x0) * scale, (y1 - y0) * scale)
    return TextLine(
        text=text, x0=x0 * scale, x1=x1 * scale, top=y0 * scale, bottom=y1 * scale,
        size=size, color=_ink_colour(pixels, box), page=page,
    )  # fmt: skip
