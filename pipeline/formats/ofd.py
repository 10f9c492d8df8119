"""OFD (GB/T 33190) via ofdkit: positioned text runs rebuilt into lines and paragraphs.

ofdkit gives each text run with its position (mm, origin top left, ``y`` = baseline) and
size. Lines are runs sharing a baseline; a paragraph break comes with a change of size,
a wide vertical gap, an indented first line, a short previous line, or a centred line.
Colour, weight and font name are looked up from the page XML by text-object ID.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.formats import limits
from pipeline.formats.base import Backend, damaged_container
from pipeline.model import Block, ParseError, RawDocument

MM_TO_PT = 72 / 25.4


def points(size_mm: float) -> float:
    """Millimetres to points, to the half point: 5.6268 mm is 三号 16 pt, not 15.9."""
    return round(size_mm * MM_TO_PT * 2) / 2


_PUA_WARNING = "部分文字使用私有编码字体，无法还原，已略去"


@dataclass
class ObjectStyle:
    color: str | None = None
    bold: bool | None = None
    font: str | None = None


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    y: float
    size: float  # mm
    style: ObjectStyle
    gapped: bool  # holds a wide gap: table cells or spread-out labels
    template: bool = False  # drawn by a template page: a running header or footer


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _rgb(value: str | None) -> str | None:
    if not value:
        return None
    parts = value.replace(",", " ").split()
    if len(parts) < 3:
        return None
    try:
        channels = [max(0, min(255, int(float(p)))) for p in parts[:3]]
    except ValueError:
        return None
    return "".join(f"{c:02X}" for c in channels)


def _safe_xml(path: str, archive: zipfile.ZipFile, name: str) -> ET.Element | None:
    try:
        data = limits.read_member(path, archive, name)
        if b"<!DOCTYPE" in data[:2048] or b"<!ENTITY" in data[:4096]:
            return None  # never expand entities
        return ET.fromstring(data)
    except (
        KeyError,
        ET.ParseError,
        zipfile.BadZipFile,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
    ):
        return None


def _font_names(path: str, archive: zipfile.ZipFile) -> dict[str, str]:
    fonts: dict[str, str] = {}
    for name in archive.namelist():
        lowered = name.lower()
        if lowered.endswith(("publicres.xml", "documentres.xml")):
            root = _safe_xml(path, archive, name)
            if root is None:
                continue
            for element in root.iter():
                if _local(element.tag) == "Font" and element.get("ID"):
                    fonts.setdefault(
                        element.get("ID").strip(),
                        element.get("FontName") or element.get("FamilyName") or "",
                    )
    return fonts


def _object_styles(
    path: str, archive: zipfile.ZipFile, location: str | None, fonts: dict[str, str]
) -> dict[str, ObjectStyle]:
    styles: dict[str, ObjectStyle] = {}
    if not location:
        return styles
    root = _safe_xml(path, archive, location)
    if root is None:
        return styles
    for element in root.iter():
        if _local(element.tag) != "TextObject" or not element.get("ID"):
            continue
        fill = next((c for c in element if _local(c.tag) == "FillColor"), None)
        weight = element.get("Weight")
        bold = element.get("Bold", "").lower() == "true" or (
            weight is not None and weight.isdigit() and int(weight) >= 600
        )
        styles[element.get("ID").strip()] = ObjectStyle(
            color=_rgb(fill.get("Value")) if fill is not None else None,
            bold=bold,
            font=fonts.get((element.get("Font") or "").strip()) or None,
        )
    return styles


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _join(left: str, right: str, gap: float, size: float) -> str:
    if not left:
        return right
    if gap > 1.5 * size:
        return f"{left}   {right}"
    if gap > 0.25 * size and not (_is_wide(left[-1]) or _is_wide(right[0])):
        return f"{left} {right}"
    return left + right


def _lines(runs: list[Any], styles: dict[str, ObjectStyle]) -> list[Line]:
    seen: set[tuple[str, int, int]] = set()
    unique = []
    for run in runs:
        key = (run.text, round(run.x * 4), round(run.y * 4))
        if key not in seen and run.text.strip():  # runs drawn twice fake bold
            seen.add(key)
            unique.append(run)
    unique.sort(key=lambda r: (r.y, r.x))
    groups: list[list[Any]] = []
    for run in unique:
        tolerance = max(run.size, 1.0) * 0.5
        if groups and abs(run.y - groups[-1][0].y) <= tolerance:
            groups[-1].append(run)
        else:
            groups.append([run])
    lines = []
    for group in groups:
        group.sort(key=lambda r: r.x)
        text, end, gapped = "", None, False
        size = Counter(round(r.size, 2) for r in group for _ in r.text).most_common(1)[0][0]
        for run in group:
            gap = run.x - end if end is not None else 0.0
            gapped = gapped or gap > 1.5 * size
            text = _join(text, run.text, gap, size)
            end = run.x + run.width
        weights = Counter()
        for run in group:
            weights[run.object_id] += len(run.text)
        main = styles.get(weights.most_common(1)[0][0] or "", ObjectStyle())
        lines.append(
            Line(
                text.strip(),
                group[0].x,
                max(r.x + r.width for r in group),
                group[0].y,
                size,
                main,
                gapped,
                all(getattr(r, "from_template", False) for r in group),
            )
        )
    return lines


_PAGE_NUMBER = re.compile(
    r"^[—–－\-]{1,3}\s*\d{1,4}\s*[—–－\-]{1,3}$|^第\s*\d+\s*页(?:\s*/?\s*共\s*\d+\s*页)?$"
)


def _kind(line: Line, page_height: float) -> str:
    """header/footer for template text and for page numbers in the bottom margin."""
    if line.template:
        return "header" if line.y < page_height / 2 else "footer"
    if line.y > page_height * 0.85 and _PAGE_NUMBER.match(line.text.replace(" ", "")):
        return "footer"
    return "para"


def _paragraphs(
    lines: list[Line], page_width: float, page: int, page_height: float = 297.0
) -> list[Block]:
    if not lines:
        return []
    # The text block's margins: 10th/90th percentiles, so a stray page number or a wide
    # table does not move them, while short documents simply use min/max.
    starts, ends = sorted(line.x0 for line in lines), sorted(line.x1 for line in lines)
    left = starts[len(starts) // 10]
    right = ends[-1 - len(ends) // 10]
    blocks: list[Block] = []
    current: list[Line] = []

    def centred(line: Line) -> bool:
        """Clear of both margins and centred on the text block (or on the page)."""
        if line.x1 > right - 1.5 or line.x0 < left + 1.5:  # justified lines touch a margin
            return False
        middle = (line.x0 + line.x1) / 2
        tolerance = max(line.size, 3.0)
        return (
            abs(middle - (left + right) / 2) < tolerance or abs(middle - page_width / 2) < tolerance
        )

    def flush() -> None:
        if not current:
            return
        text = ""
        for line in current:
            text = (
                text
                + (" " if text and not _is_wide(text[-1]) and not _is_wide(line.text[0]) else "")
                + line.text
            )
        first = current[0]
        align = (
            "center"
            if len(current) == 1 and centred(first)
            else (
                "right"
                if first.x0 - left > 4 * first.size and abs(right - first.x1) < first.size
                else None
            )
        )
        blocks.append(Block(text=text, page=page, kind=_kind(first, page_height), font=first.style.font,
                            size=points(first.size), bold=first.style.bold, color=first.style.color,
                            align=align))  # fmt: skip
        current.clear()

    previous: Line | None = None
    for line in lines:
        if previous is not None:
            pitch = line.y - previous.y
            new = (
                abs(line.size - previous.size) > 0.15 * previous.size
                or pitch > 2.2 * max(line.size, previous.size)
                or line.x0 - left > 1.2 * line.size  # indented first line, or centred
                or right - previous.x1 > 2 * previous.size  # previous line stopped short
                or line.gapped
                or previous.gapped
                or centred(previous)
                or line.style.color != previous.style.color
                or _kind(line, page_height) != _kind(previous, page_height)
            )
            if new:
                flush()
        current.append(line)
        previous = line
    flush()
    return blocks


def _strip_private_use(blocks: list[Block]) -> bool:
    """Remove characters from private-use areas (custom font encodings); True if any were."""
    found = False
    for block in blocks:
        kept = "".join(ch for ch in block.text if unicodedata.category(ch) != "Co")
        if kept != block.text:
            found = True
            block.text = (
                " ".join(kept.split()) if not any(_is_wide(c) for c in kept) else kept.strip()
            )
    return found


def read_ofd(path: str) -> RawDocument:
    import ofdkit

    data = Path(path).read_bytes()
    with limits.open_zip(path, data, "OFD 文件") as archive:
        fonts = _font_names(path, archive)
        try:
            document = ofdkit.open(data)
        except ofdkit.OFDLimitError as exc:
            raise ParseError(path, f"OFD 文件超出安全限制（{exc}）") from exc
        except ofdkit.OFDError as exc:
            raise ParseError(path, f"OFD 文件结构无效（{exc}）") from exc
        warnings: list[str] = []
        blocks: list[Block] = []
        with document:
            for page in document.pages:
                try:
                    x0, y0, width, height = page.box
                    runs = [
                        r
                        for r in page.runs
                        if x0 - 2 <= r.x <= x0 + width + 2 and y0 - 2 <= r.y <= y0 + height + 2
                    ]
                except ofdkit.OFDError as exc:
                    warnings.append(f"第 {page.index + 1} 页无法读取（{exc}）")
                    continue
                styles = _object_styles(path, archive, page.location, fonts)
                blocks.extend(_paragraphs(_lines(runs, styles), width, page.index + 1, height))
            pages = len(document.pages)
            if document.warnings:
                warnings.append(f"OFD 结构有 {len(document.warnings)} 处不规范（已尽量读取）")
        if _strip_private_use(blocks):
            warnings.append(_PUA_WARNING)
        blocks = [b for b in blocks if b.text.strip()]
        ocr = False
        if not blocks:
            # A scanned OFD: pages are images without a text layer.
            blocks, ocr = _ocr_page_images(path, archive, [p.location for p in document.pages])
            if ocr:
                warnings.append("OFD 没有文字层，已对页面图像进行文字识别")
    return RawDocument(
        path=path, format="ofd", blocks=blocks, pages=pages, ocr=ocr, warnings=warnings
    )


def _media_files(path: str, archive: zipfile.ZipFile) -> dict[str, str]:
    """Resource ID -> archive member of each image in the resource files."""
    members = {name.rsplit("/", 1)[-1].lower(): name for name in archive.namelist()}
    media: dict[str, str] = {}
    for name in archive.namelist():
        if not name.lower().endswith(("publicres.xml", "documentres.xml", "res.xml")):
            continue
        root = _safe_xml(path, archive, name)
        if root is None:
            continue
        for element in root.iter():
            if _local(element.tag) != "MultiMedia" or not element.get("ID"):
                continue
            file = next((c for c in element if _local(c.tag) == "MediaFile"), None)
            if file is not None and file.text:
                member = members.get(
                    file.text.strip().replace("\\", "/").rsplit("/", 1)[-1].lower()
                )
                if member:
                    media[element.get("ID").strip()] = member
    return media


def _largest_image(
    path: str, archive: zipfile.ZipFile, location: str | None, media: dict[str, str]
) -> str | None:
    """The member holding the largest image drawn on a page (the scan itself)."""
    root = _safe_xml(path, archive, location) if location else None
    best: tuple[float, str] | None = None
    for element in root.iter() if root is not None else ():
        if _local(element.tag) != "ImageObject":
            continue
        member = media.get((element.get("ResourceID") or "").strip())
        box = (element.get("Boundary") or "").split()
        try:
            area = float(box[2]) * float(box[3]) if len(box) == 4 else 0.0
        except ValueError:
            area = 0.0
        if member and (best is None or area > best[0]):
            best = (area, member)
    return best[1] if best else None


def _ocr_page_images(
    path: str, archive: zipfile.ZipFile, locations: list[str | None]
) -> tuple[list[Block], bool]:
    """OCR each page's scan with the image backend; ([], False) when there is nothing to read."""
    media = _media_files(path, archive)
    scans = [_largest_image(path, archive, location, media) for location in locations]
    if not any(scans):
        return [], False
    try:
        from pipeline.formats.image import read_image
    except ImportError:
        return [], False  # no OCR backend: read() reports that no text was found
    import tempfile

    blocks: list[Block] = []
    with tempfile.TemporaryDirectory(prefix="gongwen-ofd-") as folder:
        for number, member in enumerate(scans, start=1):
            if not member:
                continue
            image_path = Path(folder) / f"page{number}{Path(member).suffix or '.png'}"
            image_path.write_bytes(limits.read_member(path, archive, member))
            try:
                page = read_image(str(image_path))
            except ParseError:
                continue  # an unreadable scan: the other pages still count
            for block in page.blocks:
                block.page = number
            blocks.extend(page.blocks)
    return blocks, True


class OfdBackend(Backend):
    name = "ofd"
    extensions = (".ofd",)

    def read(self, path: str) -> RawDocument:
        with damaged_container(path, "OFD 文件"):
            return read_ofd(path)
