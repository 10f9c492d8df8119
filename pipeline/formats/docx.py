"""Word .docx (and .dotx/.docm) via python-docx: blocks in body order with style hints.

Style hints are resolved at the XML level: direct run formatting, then the run's character
style, then the paragraph style chain (``basedOn``), then the document defaults. That is
both faster and more complete than python-docx's proxies, which stop at direct formatting.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.formats import limits
from pipeline.formats.base import Backend, damaged_container
from pipeline.model import Block, ParseError, RawDocument

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_CONTENT_TYPES = "[Content_Types].xml"
_MAIN_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Templates and macro documents carry other main content types that python-docx refuses.
_OTHER_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
          "both": "justify", "distribute": "justify", "lowKashida": "justify",
          "mediumKashida": "justify", "highKashida": "justify", "thaiDistribute": "justify"}  # fmt: skip
_FALSE = {"0", "false", "off", "none"}
# GB/T 9704: 22 lines x 28 characters; a longer text without any page mark cannot be 1 page.
_ONE_PAGE_CHARS = 22 * 28 * 2


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(element: Any, tag: str) -> str | None:
    """The ``w:val`` of child ``tag`` (``""`` when present without a value), else None."""
    if element is None:
        return None
    child = element.find(w(tag))
    if child is None:
        return None
    return child.get(w("val"), "")


@dataclass
class RunProps:
    """The run properties this reader cares about; None means "not set here"."""

    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    color: str | None = None

    def over(self, base: RunProps) -> RunProps:
        """These properties on top of ``base``."""
        return RunProps(
            font=self.font if self.font is not None else base.font,
            size=self.size if self.size is not None else base.size,
            bold=self.bold if self.bold is not None else base.bold,
            color=self.color if self.color is not None else base.color,
        )


def run_props(rpr: Any) -> RunProps:
    if rpr is None:
        return RunProps()
    props = RunProps()
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        # East-asian font first: it is the one that renders Chinese characters.
        name = fonts.get(w("eastAsia")) or fonts.get(w("ascii")) or fonts.get(w("hAnsi"))
        # LibreOffice writes fallback lists such as "仿宋_GB2312;微软雅黑": the first one is meant.
        props.font = name.split(";")[0].strip() or None if name else None
    size = _val(rpr, "sz")
    if size is None:
        size = _val(rpr, "szCs")
    if size:
        try:
            props.size = float(size) / 2
        except ValueError:
            pass
    bold = _val(rpr, "b")
    if bold is not None:
        props.bold = bold.lower() not in _FALSE
    color = _val(rpr, "color")
    if color and color.lower() != "auto" and len(color) == 6:
        props.color = color.upper()
    return props


@dataclass
class Style:
    based_on: str | None
    run: RunProps
    align: str | None
    numbering: tuple[str | None, str | None] = (None, None)  # (numId, ilvl) from the style


@dataclass
class StyleSheet:
    """styles.xml resolved: per style id the inherited run props and alignment."""

    styles: dict[str, Style] = field(default_factory=dict)
    defaults: RunProps = field(default_factory=RunProps)
    default_align: str | None = None
    default_paragraph: str | None = None
    _resolved: dict[str, tuple[RunProps, str | None]] = field(default_factory=dict)

    @classmethod
    def from_element(cls, root: Any) -> StyleSheet:
        sheet = cls()
        if root is None:
            return sheet
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            sheet.defaults = run_props(defaults.find(f"{w('rPrDefault')}/{w('rPr')}"))
            sheet.default_align = _ALIGN.get(
                _val(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"), "jc") or ""
            )
        for style in root.findall(w("style")):
            style_id = style.get(w("styleId"))
            if not style_id:
                continue
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in (
                "1",
                "true",
                "on",
            ):
                sheet.default_paragraph = style_id
            sheet.styles[style_id] = Style(
                based_on=_val(style, "basedOn"),
                run=run_props(style.find(w("rPr"))),
                align=_ALIGN.get(_val(style.find(w("pPr")), "jc") or ""),
                numbering=numbering_reference(style.find(w("pPr"))),
            )
        return sheet

    def numbering_of(self, style_id: str | None) -> tuple[str | None, str | None]:
        """The numbering a paragraph style (or a style it is based on) applies."""
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            num_id, level = self.styles[style_id].numbering
            if num_id is not None:
                return num_id, level
            style_id = self.styles[style_id].based_on
        return None, None

    def resolve(self, style_id: str | None) -> tuple[RunProps, str | None]:
        """Run props and alignment of a style with everything it inherits."""
        if not style_id or style_id not in self.styles:
            return RunProps(), None
        if style_id in self._resolved:
            return self._resolved[style_id]
        chain: list[Style] = []
        seen: set[str] = set()
        current: str | None = style_id
        while current and current in self.styles and current not in seen and len(chain) < 50:
            seen.add(current)
            chain.append(self.styles[current])
            current = self.styles[current].based_on
        props, align = RunProps(), None
        for style in reversed(chain):  # base first, the style itself last
            props = style.run.over(props)
            align = style.align or align
        self._resolved[style_id] = (props, align)
        return props, align


def numbering_reference(ppr: Any) -> tuple[str | None, str | None]:
    """(numId, ilvl) of a ``w:pPr/w:numPr``; (None, None) when absent."""
    num_pr = ppr.find(w("numPr")) if ppr is not None else None
    if num_pr is None:
        return None, None
    return _val(num_pr, "numId"), _val(num_pr, "ilvl")


_CHINESE_DIGITS = "零一二三四五六七八九"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese_number(value: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 105 -> 一百零五 (as Word's chineseCounting)."""
    if value <= 0:
        return str(value)
    if value >= 1000:
        return str(value)
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    text = f"{_CHINESE_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _CHINESE_DIGITS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    if units:
        text += _CHINESE_DIGITS[units]
    return text


def _roman(value: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    text = ""
    for amount, letters in numerals:
        while value >= amount:
            text += letters
            value -= amount
    return text


def format_number(value: int, number_format: str) -> str:
    if number_format in ("chineseCounting", "chineseCountingThousand", "japaneseCounting",
                         "chineseLegalSimplified", "ideographDigital"):  # fmt: skip
        return chinese_number(value)
    if number_format == "ideographTraditional":
        return _HEAVENLY_STEMS[(value - 1) % 10]
    if number_format == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x2460 + value - 1)
    if number_format == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if number_format in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if number_format == "upperLetter" else letter
    if number_format in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if number_format == "lowerRoman" else roman
    if number_format in ("none", "bullet"):
        return ""
    return str(value)


@dataclass
class Level:
    number_format: str = "decimal"
    text: str = "%1."
    start: int = 1


class Numbering:
    """numbering.xml: renders the automatic labels (一、 （一） 1. （1）) Word draws but does not store.

    Counters are kept per abstract numbering, as Word continues a list across the
    ``w:num`` instances that share one; a deeper level restarts when a shallower one counts.
    """

    def __init__(self, root: Any | None):
        self.levels: dict[str, dict[int, Level]] = {}
        self.abstract_of: dict[str, str] = {}
        self.start_overrides: dict[tuple[str, int], int] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for abstract in root.findall(w("abstractNum")):
            abstract_id = abstract.get(w("abstractNumId"))
            levels: dict[int, Level] = {}
            for level in abstract.findall(w("lvl")):
                try:
                    index = int(level.get(w("ilvl"), "0"))
                    start = int(_val(level, "start") or 1)
                except ValueError:
                    continue
                levels[index] = Level(
                    _val(level, "numFmt") or "decimal", _val(level, "lvlText") or "", start
                )
            if abstract_id is not None:
                self.levels[abstract_id] = levels
        for num in root.findall(w("num")):
            num_id, abstract_id = num.get(w("numId")), _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            self.abstract_of[num_id] = abstract_id
            for override in num.findall(w("lvlOverride")):
                start = _val(override, "startOverride")
                if start is not None and start.isdigit():
                    self.start_overrides[(num_id, int(override.get(w("ilvl"), "0") or 0))] = int(
                        start
                    )

    def label(self, num_id: str | None, level_text: str | None) -> str:
        """The next label of list ``num_id`` at level ``level_text``; "" for no numbering."""
        abstract_id = self.abstract_of.get(num_id or "")
        levels = self.levels.get(abstract_id or "")
        if not levels or num_id in (None, "0"):
            return ""
        try:
            level = int(level_text or 0)
        except ValueError:
            level = 0
        if level not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        start = self.start_overrides.pop((num_id, level), None)
        if start is not None:
            counters[level] = start
        else:
            counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]

        def value(match: re.Match[str]) -> str:
            index = int(match.group(1)) - 1
            spec = levels.get(index, Level())
            return format_number(counters.get(index, spec.start), spec.number_format)

        return re.sub(r"%([1-9])", value, levels[level].text)


@dataclass
class PageCounter:
    """Counts pages from page breaks; prefers Word's own rendered-page marks when present."""

    use_rendered: bool
    page: int = 1


def _nearest(element: Any, tag: str) -> Any:
    for ancestor in element.iterancestors():
        if ancestor.tag == tag:
            return ancestor
    return None


class _Reader:
    def __init__(
        self,
        path: str,
        styles: StyleSheet,
        use_rendered_breaks: bool,
        numbering: Numbering | None = None,
    ):
        self.path = path
        self.styles = styles
        self.numbering = numbering or Numbering(None)
        self.pages = PageCounter(use_rendered_breaks)
        self.blocks: list[Block] = []

    # --- containers ---------------------------------------------------------------------
    def container(self, element: Any, kind: str) -> None:
        """Paragraphs and tables of a body, header, footer, cell or text box, in order."""
        for child in element:
            if child.tag == w("p"):
                self.paragraph(child, kind)
            elif child.tag == w("tbl"):
                self.table(child, kind)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent"))
                self.container(content if content is not None else child, kind)
            elif child.tag == w("sectPr"):
                continue

    def table(self, table: Any, kind: str) -> None:
        table_kind = "table" if kind == "para" else kind
        for row in table.iter(w("tr")):
            if _nearest(row, w("tbl")) is not table:
                continue  # a nested table's rows are read through their cell
            cells = []
            for cell in row.findall(w("tc")):
                text = " ".join(
                    part for part in (self.plain_text(p) for p in cell.iter(w("p"))) if part.strip()
                )
                cells.append(text.strip())
            self.break_pages_in(row)
            if any(cells):
                style = self.style_of(next(row.iter(w("p")), None))
                self.blocks.append(Block(text="\t".join(cells), page=self.pages.page, kind=table_kind,
                                         font=style[0].font, size=style[0].size, bold=style[0].bold,
                                         color=style[0].color, align=None))  # fmt: skip

    # --- paragraphs ----------------------------------------------------------------------
    def paragraph(self, p: Any, kind: str) -> None:
        for box in self.text_boxes(p):
            self.container(box, kind)
        if self.breaks_before(p):
            self.pages.page += 1
        runs = self.own_runs(p)
        pieces: list[list[tuple[str, RunProps]]] = [[]]
        pending_pages = 0
        base, align = self.style_of(p)
        label = self.list_label(p)
        for run in runs:
            props = self.run_style(run).over(base)
            for child in run:
                tag = child.tag
                if tag == w("t"):
                    pieces[-1].append((child.text or "", props))
                elif tag == w("tab"):
                    pieces[-1].append(("\t", props))
                elif tag in (w("br"), w("cr")):
                    if child.get(w("type")) == "page" and not self.pages.use_rendered:
                        self.emit(pieces, kind, align)
                        pieces = [[]]
                        self.pages.page += 1
                    else:
                        pieces.append([])  # a manual line break: a new block, same style
                elif tag == w("noBreakHyphen"):
                    pieces[-1].append(("-", props))
                elif tag == w("lastRenderedPageBreak") and self.pages.use_rendered:
                    # A paragraph running onto the next page stays one block on its first page.
                    if any(text.strip() for line in pieces for text, _ in line):
                        pending_pages += 1
                    else:
                        self.pages.page += 1
        if label and any(text.strip() for line in pieces for text, _ in line):
            pieces[0].insert(0, (label, base))
        self.emit(pieces, kind, align)
        self.pages.page += pending_pages
        if self.section_break_after(p):
            self.pages.page += 1

    def emit(self, lines: list[list[tuple[str, RunProps]]], kind: str, align: str | None) -> None:
        for line in lines:
            text = "".join(t for t, _ in line).strip()
            if not text:
                continue
            props = dominant(line)
            self.blocks.append(Block(text=text, page=self.pages.page, kind=kind, font=props.font,
                                     size=props.size, bold=props.bold, color=props.color, align=align))  # fmt: skip

    def list_label(self, p: Any) -> str:
        """The automatic number Word draws before this paragraph (一、 （一） 1.), if any."""
        ppr = p.find(w("pPr"))
        num_id, level = numbering_reference(ppr)
        if num_id is None:
            num_id, style_level = self.styles.numbering_of(_val(ppr, "pStyle"))
            level = level or style_level
        return self.numbering.label(num_id, level) if num_id else ""

    def style_of(self, p: Any) -> tuple[RunProps, str | None]:
        """Paragraph-level run props (style chain over defaults) and alignment."""
        ppr = p.find(w("pPr")) if p is not None else None
        style_id = _val(ppr, "pStyle") or self.styles.default_paragraph
        props, style_align = self.styles.resolve(style_id)
        props = props.over(self.styles.defaults)
        direct_align = _ALIGN.get(_val(ppr, "jc") or "")
        return props, direct_align or style_align or self.styles.default_align

    def run_style(self, run: Any) -> RunProps:
        rpr = run.find(w("rPr"))
        props = run_props(rpr)
        character_style = _val(rpr, "rStyle")
        if character_style:
            props = props.over(self.styles.resolve(character_style)[0])
        return props

    def own_runs(self, p: Any) -> Iterator[Any]:
        """Runs of this paragraph (through hyperlinks, insertions, fields), not of text boxes."""
        for run in p.iter(w("r")):
            if _nearest(run, w("p")) is p and not self._in_fallback(run, p):
                yield run

    @staticmethod
    def _in_fallback(element: Any, stop: Any) -> bool:
        for ancestor in element.iterancestors():
            if ancestor is stop:
                return False
            # The VML copy of a text box, and text a tracked change moved elsewhere
            # (it appears again, as it now reads, inside w:moveTo).
            if ancestor.tag in (f"{{{MC}}}Fallback", w("moveFrom")):
                return True
        return False

    def text_boxes(self, p: Any) -> Iterator[Any]:
        """Text boxes anchored in this paragraph; the VML fallback copy is skipped."""
        for box in p.iter(w("txbxContent")):
            if _nearest(box, w("p")) is p and not self._in_fallback(box, p):
                yield box

    def plain_text(self, p: Any) -> str:
        parts = []
        for run in self.own_runs(p):
            for child in run:
                if child.tag == w("t"):
                    parts.append(child.text or "")
                elif child.tag == w("tab"):
                    parts.append(" ")
        return "".join(parts)

    # --- pages ---------------------------------------------------------------------------
    def breaks_before(self, p: Any) -> bool:
        if self.pages.use_rendered:
            return False
        value = _val(p.find(w("pPr")), "pageBreakBefore")
        return value is not None and value.lower() not in _FALSE

    def section_break_after(self, p: Any) -> bool:
        if self.pages.use_rendered:
            return False
        ppr = p.find(w("pPr"))
        sect = ppr.find(w("sectPr")) if ppr is not None else None
        return sect is not None and (_val(sect, "type") or "nextPage") != "continuous"

    def break_pages_in(self, element: Any) -> None:
        if self.pages.use_rendered:
            self.pages.page += sum(1 for _ in element.iter(w("lastRenderedPageBreak")))


def dominant(line: list[tuple[str, RunProps]]) -> RunProps:
    """Per property, the value carried by most visible characters in the line."""
    weights: dict[str, Counter] = {
        "font": Counter(),
        "size": Counter(),
        "bold": Counter(),
        "color": Counter(),
    }
    for text, props in line:
        weight = len(text.strip())
        if not weight:
            continue
        for name, counter in weights.items():
            counter[getattr(props, name)] += weight
    chosen = {
        name: (counter.most_common(1)[0][0] if counter else None)
        for name, counter in weights.items()
    }
    return RunProps(**chosen)


def _open_package(path: str) -> tuple[Any, int]:
    """A python-docx Document, with template/macro content types accepted; and its page marks."""
    import docx

    data = Path(path).read_bytes()
    with limits.open_zip(path, data) as archive:
        names = set(archive.namelist())
        if _CONTENT_TYPES not in names:
            raise ParseError(path, "文件已损坏：缺少 [Content_Types].xml，不是有效的 Word 文档")
        content_types = limits.read_member(path, archive, _CONTENT_TYPES)
        if any(kind in content_types for kind in _OTHER_MAIN_TYPES):
            data = _rewrite_content_types(path, archive, content_types)
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError as exc:
        raise ParseError(path, f"文件已损坏：缺少必要部件（{exc}）") from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ParseError(path, f"文件已损坏或不完整（{exc}）") from exc
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise ParseError(path, "文件已损坏：主文档的内容类型不是 Word 文档") from exc
        raise ParseError(path, f"文件已损坏：文档包结构无效（{exc}）") from exc
    except (AttributeError, TypeError, IndexError) as exc:
        # python-docx assumes a well-formed package ([Content_Types].xml, relationships).
        raise ParseError(path, f"文件已损坏：文档包结构无效（{type(exc).__name__}）") from exc
    return document, 0


def _rewrite_content_types(path: str, archive: zipfile.ZipFile, content_types: bytes) -> bytes:
    for kind in _OTHER_MAIN_TYPES:
        content_types = content_types.replace(kind, _MAIN_DOCUMENT)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            payload = (
                content_types
                if info.filename == _CONTENT_TYPES
                else limits.read_member(path, archive, info.filename)
            )
            copy.writestr(info.filename, payload)
    return out.getvalue()


def _header_footer_parts(document: Any) -> tuple[list[Any], list[Any]]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    headers, footers = [], []
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if not hasattr(part, "element"):
            continue  # a header/footer with a damaged content type: python-docx left it unparsed
        if rel.reltype == RT.HEADER:
            headers.append(part)
        elif rel.reltype == RT.FOOTER:
            footers.append(part)
    key = lambda part: str(part.partname)
    return sorted(headers, key=key), sorted(footers, key=key)


def _numbering_root(document: Any) -> Any | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None


def read_docx(path: str, fmt: str = "docx") -> RawDocument:
    document, _ = _open_package(path)
    if getattr(getattr(document, "element", None), "body", None) is None:
        raise ParseError(path, "文件已损坏：主文档没有正文部分")
    body = document.element.body
    try:
        styles_root = document.styles.element
    except (KeyError, ValueError, AttributeError):
        styles_root = None
    sheet = StyleSheet.from_element(styles_root)
    use_rendered = next(body.iter(w("lastRenderedPageBreak")), None) is not None
    numbering = Numbering(_numbering_root(document))
    reader = _Reader(path, sheet, use_rendered, numbering)
    headers, footers = _header_footer_parts(document)
    body_reader = reader
    body_reader.container(body, "para")
    pages = reader.pages.page if reader.blocks else None
    if (
        not use_rendered
        and pages == 1
        and sum(len(b.text) for b in reader.blocks) > _ONE_PAGE_CHARS
    ):
        # No page marks at all in a text longer than a page: the page count is unknown.
        pages = None
        for block in reader.blocks:
            block.page = None
    frame = _Reader(path, sheet, use_rendered)
    for part in headers:
        frame.container(part.element, "header")
    header_blocks = _unique(frame.blocks)
    frame.blocks = []
    for part in footers:
        frame.container(part.element, "footer")
    footer_blocks = _unique(frame.blocks)
    for block in header_blocks + footer_blocks:
        block.page = None  # repeated on every page
    blocks = header_blocks + reader.blocks + footer_blocks
    return RawDocument(path=path, format=fmt, blocks=blocks, pages=pages)


def _unique(blocks: list[Block]) -> list[Block]:
    seen: set[str] = set()
    kept = []
    for block in blocks:
        if block.text not in seen:
            seen.add(block.text)
            kept.append(block)
    return kept


class DocxBackend(Backend):
    name = "docx"
    extensions = (".docx", ".docm", ".dotx", ".dotm")

    def read(self, path: str) -> RawDocument:
        with damaged_container(path, "Word 文档"):
            return read_docx(path, self.name)
