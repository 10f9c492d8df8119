"""PDF text layer → lines: pdfplumber's characters regrouped into lines with style hints.

Every line knows its dominant font, size, weight and colour. Along the way glyphs drawn twice
(fake bold, shadows) are dropped, pages set sideways are turned upright, slanted watermarks and
footnote markers are left out, spaces are restored from gaps, and vertical writing is rejoined.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import statistics
from collections import Counter

from pipeline.formats.ocr import TextLine

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
