"""PDF reader: text layer through pdfplumber, OCR for pages without a usable one.

Lines are rebuilt from characters (so every line knows its font, size and colour), then joined
into paragraphs the way a reader sees them: a paragraph ends at a wider vertical gap, before an
indented line (GB/T 9704 bodies indent the first line by two characters), where alignment, size or
colour changes, and after a line that stops short of the right margin. Page numbers and running
headers/footers are dropped.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.formats.base import Backend
from pipeline.formats.limits import ReadTimeout, current
from pipeline.formats.ocr import OcrUnavailable, TextLine, ocr_page
from pipeline.model import Block, ParseError, RawDocument

OCR_DPI = 200
# Share of the per-file time limit that OCR may spend before it stops and says so.
OCR_BUDGET_SHARE = 0.75


@dataclass
class PageLines:
    """The lines of one page, in points, with the page's size."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)


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
        _ocr_pages(path, to_ocr, raw, budget)
    return pages


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


def _ocr_pages(path: str, pages: list[PageLines], raw: RawDocument, budget: float) -> None:
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


# ---------------------------------------------------------------- text layer → lines


_SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
_BOLD_FONT = re.compile(
    r"bold|heavy|black|semibold|demibold|黑体|simhei|(?<!ya)hei(?!ti)|heiti|fzht|hanyiheiti",
    re.IGNORECASE,
)


def clean_font_name(name: str | None) -> str | None:
    if not name:
        return None
    return _SUBSET_PREFIX.sub("", str(name))


def is_bold_font(name: str | None) -> bool:
    return bool(name and _BOLD_FONT.search(name))


def colour_hex(colour: object) -> str | None:
    """pdfminer's non-stroking colour (gray, RGB or CMYK tuple, 0–1 or 0–255) as "RRGGBB"."""
    try:
        return _colour_hex_cached(tuple(colour) if isinstance(colour, list) else colour)  # type: ignore[arg-type]
    except TypeError:  # unhashable colour value
        return _colour_hex(colour)


@functools.lru_cache(maxsize=256)
def _colour_hex_cached(colour: object) -> str | None:
    return _colour_hex(colour)


def _colour_hex(colour: object) -> str | None:
    if colour is None or isinstance(colour, str):
        return None
    if isinstance(colour, (int, float)):
        values = [float(colour)]
    else:
        try:
            values = [float(v) for v in colour]  # type: ignore[union-attr]
        except (TypeError, ValueError):
            return None  # pattern colour spaces carry names, not numbers
    if any(v > 1 for v in values):
        values = [v / 255 for v in values]
    values = [min(max(v, 0.0), 1.0) for v in values]
    if len(values) == 1:
        rgb = values * 3
    elif len(values) == 3:
        rgb = values
    elif len(values) == 4:
        c, m, y, k = values
        rgb = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    else:
        return None
    return "".join(f"{round(v * 255):02X}" for v in rgb)


def text_layer_lines(
    page: object, number: int
) -> tuple[list[TextLine], list[str], tuple[float, float]]:
    """Lines rebuilt from the page's characters, the raw character texts (for checks), and the
    page size the lines' coordinates refer to."""
    chars = dedupe_chars(_mark_spaces(page.chars))  # type: ignore[attr-defined]
    chars, size = _unrotate(page, chars)
    chars = _drop_rotated_minority(chars)
    texts = [c["text"] for c in chars]
    # Private-use glyphs are symbol-font bullets and boxes: they count for the garble check only.
    chars = [c for c in chars if not _is_private_use(c["text"])]
    lines = [_line_from_chars(group, number) for group in _group_lines(chars)]
    return _join_vertical_runs([line for line in lines if line.text.strip()]), texts, size


def _mark_spaces(chars: list[dict]) -> list[dict]:
    """The visible glyphs, each flagged ``space_before`` when the content stream put an explicit
    space glyph before it on the same line: a narrow space between two CJK words (joint organ
    names in a title) is smaller than any gap threshold, but the author typed it."""
    visible: list[dict] = []
    pending_space: dict | None = None
    for char in chars:
        text = char.get("text")
        if not text:
            continue
        if text.isspace():
            pending_space = char
            continue
        if pending_space is not None and visible and abs(pending_space["top"] - char["top"]) < 2:
            char["space_before"] = True
        pending_space = None
        visible.append(char)
    return visible


def _direction(char: dict) -> int | None:
    """Which way a glyph's baseline runs on the displayed page: 0, 90, 180 or 270 degrees
    (counter-clockwise, PDF y-up), or None when slanted (a 45° watermark)."""
    matrix = char.get("matrix")
    if not matrix or len(matrix) < 2:
        return 0 if char.get("upright", True) else None
    angle = math.degrees(math.atan2(float(matrix[1]), float(matrix[0]))) % 360
    for quadrant in (0, 90, 180, 270, 360):
        if abs(angle - quadrant) <= 6:
            return quadrant % 360
    return None


def _unrotate(page: object, chars: list[dict]) -> tuple[list[dict], tuple[float, float]]:
    """Turn the page so that most of its text runs left to right, and report the new size.

    pdfplumber gives positions as displayed: a portrait page shown sideways (/Rotate) or a page
    whose text was set sideways would otherwise come out one glyph per line.
    """
    width, height = float(page.width), float(page.height)  # type: ignore[attr-defined]
    directions = Counter(_direction(c) for c in chars)
    dominant = directions.most_common(1)[0][0] if chars else 0
    if dominant in (0, None) or directions[dominant] * 2 <= len(chars):
        return chars, (width, height)
    turned = []
    for char in chars:
        x0, x1, top, bottom = char["x0"], char["x1"], char["top"], char["bottom"]
        if dominant == 270:  # baselines run down the page
            box = (top, bottom, width - x1, width - x0)
        elif dominant == 180:
            box = (width - x1, width - x0, height - bottom, height - top)
        else:  # 90: baselines run up the page
            box = (height - bottom, height - top, x0, x1)
        turned.append(
            {
                **char,
                "x0": box[0],
                "x1": box[1],
                "top": box[2],
                "bottom": box[3],
                "direction": (_direction(char) - dominant) % 360
                if _direction(char) is not None
                else None,
            }
        )
    return turned, ((height, width) if dominant in (90, 270) else (width, height))


def _drop_rotated_minority(chars: list[dict]) -> list[dict]:
    """Drop slanted or sideways glyphs when most of the page is upright: watermarks, stamps.

    (A page set entirely sideways is left alone; its lines come out one glyph each.)
    """
    level = [c for c in chars if _is_level(c)]
    return level if len(level) >= 0.7 * len(chars) else chars


def _is_level(char: dict) -> bool:
    """Glyph set left to right (pdfminer's ``upright`` still says yes at 45°; the matrix does not).

    Only the baseline's direction counts: synthetic italics skew the glyph but stay level.
    """
    if "direction" in char:  # already turned by _unrotate
        return char["direction"] == 0
    return _direction(char) == 0


def dedupe_chars(chars: list[dict], tolerance: float = 1.0) -> list[dict]:
    """Drop glyphs drawn twice at (almost) the same spot: fake bold, shadows, overprint.

    pdfplumber's own ``dedupe_chars`` sorts and groups every attribute and costs seconds on a
    dense page; a grid of ``tolerance``-sized cells finds the same duplicates in linear time.
    """
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for char in chars:
        gx, gy = round(char["x0"] / tolerance), round(char["top"] / tolerance)
        text = char["text"]
        if any((text, gx + dx, gy + dy) in seen for dx in (-1, 0, 1) for dy in (-1, 0, 1)):
            continue
        seen.add((text, gx, gy))
        kept.append(char)
    return kept


def _group_lines(chars: list[dict]) -> list[list[dict]]:
    """Cluster characters into lines by their vertical centre, then order each line left to right.

    Small raised or lowered characters (footnote markers, exponents) fall outside their line's
    band; they are folded back into the line they overlap, and footnote markers are dropped so
    ``性别比²为122.44`` does not become ``性别比2为122.44``.
    """
    ordered = sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"]))
    groups: list[list[dict]] = []
    band_top = band_bottom = 0.0
    for char in ordered:
        centre = (char["top"] + char["bottom"]) / 2
        if groups and band_top <= centre <= band_bottom:
            groups[-1].append(char)
            continue
        groups.append([char])
        height = max(char["bottom"] - char["top"], 1.0)
        band_top, band_bottom = centre - 0.35 * height, centre + 0.35 * height
    groups = _fold_small_groups(groups)
    for group in groups:
        group.sort(key=lambda c: c["x0"])
    return groups


def _group_extent(group: list[dict]) -> tuple[float, float, float]:
    sizes = sorted(float(c.get("size") or 0) for c in group)
    return min(c["top"] for c in group), max(c["bottom"] for c in group), sizes[len(sizes) // 2]


def _fold_small_groups(groups: list[list[dict]]) -> list[list[dict]]:
    extents = [_group_extent(g) for g in groups]
    absorbed: set[int] = set()
    for index, group in enumerate(groups):
        top, bottom, size = extents[index]
        best, best_overlap = None, 0.0
        for other in (index - 1, index + 1):
            if 0 <= other < len(groups) and other not in absorbed:
                o_top, o_bottom, o_size = extents[other]
                overlap = min(bottom, o_bottom) - max(top, o_top)
                if (
                    size < 0.75 * o_size
                    and overlap > 0.3 * (bottom - top)
                    and overlap > best_overlap
                ):
                    best, best_overlap = other, overlap
        if best is None:
            continue
        absorbed.add(index)
        o_top, o_bottom, o_size = extents[best]
        kept = [c for c in group if not _is_footnote_marker(c, o_bottom, o_size)]
        target = groups[best]
        target.extend(kept)
    return [group for index, group in enumerate(groups) if index not in absorbed and group]


def _is_footnote_marker(char: dict, line_bottom: float, line_size: float) -> bool:
    raised = char["bottom"] < line_bottom - 0.25 * line_size
    return raised and (char["text"].isdigit() or char["text"] in "*†‡§①②③④⑤⑥⑦⑧⑨⑩[]")


def _is_private_use(text: str) -> bool:
    return len(text) == 1 and ("\ue000" <= text <= "\uf8ff" or text >= "\U000f0000")


def _is_latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in ".,;:%)/-'\"")


def _line_from_chars(chars: list[dict], number: int) -> TextLine:
    sizes = Counter(round(float(c.get("size") or 0) * 2) / 2 for c in chars)
    size = sizes.most_common(1)[0][0] or None
    em = size or 10.0
    text = chars[0]["text"]
    gaps = [char["x0"] - previous["x1"] for previous, char in itertools.pairwise(chars)]
    # Justified lines spread their slack evenly, so a space is a gap well above the line's usual one.
    usual = statistics.median(gaps) if gaps else 0.0
    for (previous, char), gap in zip(itertools.pairwise(chars), gaps):
        latin = _is_latin(previous["text"][-1]) and _is_latin(char["text"][0])
        wide = gap > (0.15 if latin else 0.6) * em
        cjk_space = not latin and gap > 0.25 * em and gap > usual + 0.2 * em
        if wide or cjk_space or (char.get("space_before") and gap > 0):
            text += " "
        text += char["text"]
    fonts = Counter(clean_font_name(c.get("fontname")) for c in chars)
    colours = Counter(colour_hex(c.get("non_stroking_color")) for c in chars)
    font = fonts.most_common(1)[0][0]
    bold_chars = sum(1 for c in chars if is_bold_font(c.get("fontname")))
    return TextLine(
        text=text,
        x0=min(c["x0"] for c in chars), x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in chars), bottom=max(c["bottom"] for c in chars),
        size=size, font=font, bold=bold_chars * 2 > len(chars),
        color=colours.most_common(1)[0][0], page=number, weight=len(chars),
    )  # fmt: skip


def _join_vertical_runs(lines: list[TextLine]) -> list[TextLine]:
    """Vertical writing (one character per 'line', same x) becomes one line: 竞/争/性 → 竞争性."""
    result: list[TextLine] = []
    for line in lines:
        previous = result[-1] if result else None
        size = line.size or line.height
        if (
            previous is not None
            and len(line.text) == 1
            and len(previous.text.replace(" ", "")) >= 1
            and abs(previous.x0 - line.x0) < 0.3 * size
            and abs((previous.x1 - previous.x0) - (line.x1 - line.x0)) < 0.3 * size
            and 0 <= line.top - previous.bottom < 1.5 * size
            and previous.size == line.size
        ):
            previous.text += line.text
            previous.bottom = line.bottom
            previous.weight += line.weight
            continue
        result.append(line)
    return result


# ---------------------------------------------------------------- garbled text layers

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


# ---------------------------------------------------------------- page furniture

_PAGE_NUMBER = re.compile(
    r"^(?:[—–\-－~～_ ]*\d{1,4}[—–\-－~～_ ]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[，,]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?"
    r"|[—–\-－ ]*[ivxlcIVXLC]{1,6}[—–\-－ ]*)$",
    re.IGNORECASE,
)
PAGE_NUMBER_ZONE = 0.15  # top/bottom share of the page where a number is a page number
RUNNING_ZONE = 0.10  # top/bottom share where repeated text is a running header/footer


def is_page_number(text: str) -> bool:
    return bool(_PAGE_NUMBER.match(text.strip()))


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _in_zone(line: TextLine, page: PageLines, share: float) -> bool:
    return line.bottom < page.height * share or line.top > page.height * (1 - share)


def drop_page_furniture(pages: list[PageLines]) -> None:
    """Remove page numbers and running headers/footers in place."""
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {
            _furniture_key(line.text) for line in page.lines if _in_zone(line, page, RUNNING_ZONE)
        }
        seen.update(keys)
    with_text = sum(1 for page in pages if page.lines)
    repeated = {
        key for key, count in seen.items() if with_text >= 2 and count >= max(2, 0.5 * with_text)
    }
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (
                (_in_zone(line, page, PAGE_NUMBER_ZONE) and is_page_number(line.text))
                or (_in_zone(line, page, RUNNING_ZONE) and _furniture_key(line.text) in repeated)
            )
        ]


# ---------------------------------------------------------------- lines → paragraphs


@dataclass
class TextBox:
    """Where body text runs on the page: left and right margins in points."""

    left: float
    right: float

    @property
    def width(self) -> float:
        return max(self.right - self.left, 1.0)


def _densest(values: list[float], tolerance: float) -> tuple[float | None, int]:
    """The value with most neighbours within ``tolerance`` (the common margin) and that count."""
    if not values:
        return None, 0
    ordered = sorted(values)
    best, best_count, start = ordered[0], 0, 0
    for end, value in enumerate(ordered):
        while ordered[start] < value - tolerance:
            start += 1
        count = end - start + 1
        if count > best_count:
            best, best_count = statistics.median(ordered[start : end + 1]), count
    return best, best_count


def _leftmost_frequent(values: list[float], tolerance: float) -> float:
    """The leftmost edge many lines share: the margin, even where indented lines outnumber it.

    (A list of one-line items, each indented two characters, votes for the indent; the few
    wrapped continuation lines still mark the real margin further left.)
    """
    _, top_votes = _densest(values, tolerance)
    needed = max(2, min(3, top_votes), int(0.15 * top_votes))
    ordered = sorted(values)
    for index, value in enumerate(ordered):
        end = bisect.bisect_right(ordered, value + 2 * tolerance, lo=index)
        if end - index >= needed:
            return statistics.median(ordered[index:end])
    return ordered[0]


def text_box(pages: Sequence[PageLines]) -> TextBox | None:
    """The body's left and right edges: the most common line starts and (full) line ends.

    Short documents have too few lines to vote; their margins are taken as symmetric, which is
    what GB/T 9704 (28 mm left, 26 mm right) and most office templates come close to.
    """
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return None
    page_width = statistics.median(page.width for page in pages if page.lines)
    left = _leftmost_frequent([line.x0 for line in lines], 3.0)
    left = min(left, max(min(line.x0 for line in lines), 0.0) + 0.25 * page_width)
    widest = max(line.x1 for line in lines)
    right, right_votes = _densest(
        [line.x1 for line in lines if line.x1 - left > 0.6 * (widest - left)], 3.0
    )
    symmetric = page_width - left
    if right is None or right_votes < 3:
        right = max(widest, symmetric) if symmetric > left else widest
    return TextBox(left, max(right, left + 1.0))


def _em(line: TextLine) -> float:
    return line.size or max(line.height, 1.0)


def alignment(line: TextLine, box: TextBox) -> str:
    em = _em(line)
    left_margin = line.x0 - box.left
    right_margin = box.right - line.x1
    balanced = abs(left_margin - right_margin) < max(1.0 * em, 0.03 * box.width)
    # Body-size text needs more than a two-character indent on both sides (an indented short
    # line is not centred); display sizes are never indented, a little air on both sides will do.
    needed = 2.5 * em if em <= 18 else 0.5 * em
    if left_margin > needed and right_margin > needed and balanced:
        return "center"
    if right_margin < 0.8 * em and left_margin > 0.35 * box.width:
        return "right"
    return "left"


def _sizes_differ(a: float | None, b: float | None, ocr: bool) -> bool:
    if a is None or b is None:
        return False
    tolerance = max(1.5, 0.18 * max(a, b)) if ocr else 0.8
    return abs(a - b) > tolerance


def usual_pitch(pages: list[PageLines]) -> float:
    """Median distance between consecutive line tops, in ems (about 1.5–1.9 in GB/T bodies)."""
    ratios = []
    for page in pages:
        for previous, line in itertools.pairwise(page.lines):
            step = line.top - previous.top
            if step > 0 and not _sizes_differ(previous.size, line.size, False):
                ratios.append(step / _em(line))
    ratios = [r for r in ratios if r < 4]
    return statistics.median(ratios) if ratios else 1.6


def _is_full(line: TextLine, box: TextBox) -> bool:
    em = _em(line)
    return line.x0 - box.left < 0.5 * em and box.right - line.x1 < 1.5 * em


def _normal_step(previous: TextLine, line: TextLine, pitch: float) -> bool:
    em = _em(line)
    step = line.top - previous.top
    return line.page == previous.page and 0 <= step <= pitch * em * 1.3 + 0.15 * em


def _is_red_display(line: TextLine) -> bool:
    return Block(line.text, color=line.color).is_red and (line.size or 0) > 18


def _separate_marks(previous: TextLine, line: TextLine) -> bool:
    """Two lines of a joint 发文机关标志 (red, large, each ending in 文件) stay apart."""
    return (
        _is_red_display(previous)
        or _is_red_display(line)
        or previous.text.rstrip().endswith("文件")
    )


def _wrapped_title(block: list[TextLine], line: TextLine, box: TextBox, pitch: float) -> bool:
    """A centred line finishing a block of full-width, unindented lines: a long title wrapped.

    Titles are often set with extra leading, so the allowed step is wider than the body's.
    """
    previous = block[-1]
    step = line.top - previous.top
    return (
        alignment(line, box) == "center"
        and all(_is_full(earlier, box) for earlier in block)
        and line.page == previous.page
        and 0 <= step <= max(pitch * 1.3, 3.2) * _em(line)
    )


def _breaks(block: list[TextLine], line: TextLine, box: TextBox, pitch: float, ocr: bool) -> bool:
    """Does ``line`` start a new paragraph after the lines of ``block``?"""
    previous = block[-1]
    em = _em(line)
    previous_align, line_align = alignment(previous, box), alignment(line, box)
    if _sizes_differ(previous.size, line.size, ocr):
        return True
    if previous.color and line.color and previous.color != line.color and not ocr:
        return True
    if _separate_marks(previous, line):
        return True
    if _wrapped_title(block, line, box, pitch):
        return False
    if previous_align != line_align or line_align == "right":
        return True
    if line.page != previous.page:
        # A paragraph runs on over a page break when the last line was full and the next is not indented.
        return box.right - previous.x1 > 1.5 * em or line.x0 - box.left > 1.0 * em
    if not _normal_step(previous, line, pitch):
        return True
    if line_align == "center":
        # A title wrapped over two or three lines: the line before it ran (nearly) full width.
        return previous.x1 - previous.x0 < 0.6 * box.width
    if line.x0 - box.left > 1.2 * em:
        return True  # first-line indent (or a signature block further right)
    return box.right - previous.x1 > 1.5 * em  # previous line stopped short: its paragraph ended


def _join(text: str, more: str) -> str:
    if (
        text
        and more
        and text[-1].isascii()
        and text[-1].isalnum()
        and more[0].isascii()
        and more[0].isalnum()
    ):
        return f"{text} {more}"
    return text + more


def _dominant(values: list[tuple[object, int]]) -> object:
    tally: Counter[object] = Counter()
    for value, weight in values:
        tally[value] += weight
    return tally.most_common(1)[0][0] if tally else None


def _block(lines: list[TextLine], box: TextBox) -> Block:
    text = ""
    for line in lines:
        text = _join(text, line.text.strip())
    weights = [line.weight or len(line.text) for line in lines]
    align = alignment(lines[0], box)
    if len(lines) > 1 and align == "left":
        align = "center" if alignment(lines[-1], box) == "center" else "justify"
    return Block(
        text=text,
        page=lines[0].page,
        font=_dominant([(line.font, w) for line, w in zip(lines, weights)]),  # type: ignore[arg-type]
        size=_dominant([(line.size, w) for line, w in zip(lines, weights)]),  # type: ignore[arg-type]
        bold=_dominant([(line.bold, w) for line, w in zip(lines, weights)]),  # type: ignore[arg-type]
        color=_dominant([(line.color, w) for line, w in zip(lines, weights)]),  # type: ignore[arg-type]
        align=align,
    )


def lines_to_blocks(pages: list[PageLines], ocr: bool | None = None) -> list[Block]:
    """Paragraph blocks from the lines of every page, in reading order."""
    drop_page_furniture(pages)
    box = text_box(pages)
    if box is None:
        return []
    pitch = usual_pitch(pages)
    blocks: list[Block] = []
    current: list[TextLine] = []
    for page in pages:
        is_ocr = ocr if ocr is not None else all(line.font is None for line in page.lines)
        for line in page.lines:
            if current and _breaks(current, line, box, pitch, is_ocr):
                blocks.append(_block(current, box))
                current = []
            current.append(line)
    if current:
        blocks.append(_block(current, box))
    return [block for block in blocks if block.text.strip()]
