"""Lines of PDF or OCR pages → paragraph blocks, the way a reader sees them.

Page numbers and running headers/footers are dropped first. Then a paragraph ends at a wider
vertical gap, before an indented line (GB/T 9704 bodies indent the first line by two characters),
where alignment, size or colour changes, and after a line that stops short of the right margin.
The image backend's OCR lines go through the same builder.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.formats.ocr import TextLine
from pipeline.model import Block


@dataclass
class PageLines:
    """The lines of one page, in points, with the page's size."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)


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
