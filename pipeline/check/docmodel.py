"""The checker's model of a document: paragraphs with their style-resolved fonts, sizes,
alignment, indents and line spacing; sections with page set-up and grid; footers.

``pipeline.check.docx_reader`` fills it from a .docx; ``model_from_raw`` from what the PDF, OFD and
text readers give (text only, ``styled`` False: the layout rules leave those alone).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.layout.metrics import BODY_PT
from pipeline.model import Block, RawDocument

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass
class Run:
    text: str
    east_asia: str | None  # the font Chinese characters are drawn in (theme resolved)
    latin: str | None  # the font of digits and ASCII
    size: float | None
    bold: bool
    color: str | None
    declared: bool = True  # False: the East Asian font comes from the theme or nowhere


@dataclass
class Para:
    order: int  # position among all paragraphs read, in reading order
    index: int | None  # python-docx ``Document.paragraphs`` index; None in tables and text boxes
    text: str
    runs: list[Run] = field(default_factory=list)
    label: str = ""  # the list number Word draws before the text
    align: str | None = None
    first_chars: float = 0.0  # first-line indent in characters (negative: hanging)
    left_chars: float = 0.0
    right_chars: float = 0.0
    line_rule: str | None = None  # exact | atLeast | auto
    line_value: float | None = None  # points (exact, atLeast) or a multiple (auto)
    snap: bool = True
    page_break_before: bool = False
    page: int | None = None
    where: str = "body"  # body | table | textbox
    section: int = 0
    borders: dict[str, str] = field(default_factory=dict)  # side -> colour ("auto" when unset)
    shape: bool = False  # holds a drawing (a line drawn as a shape, a picture)
    block: Block | None = None  # as the structure recogniser sees it

    @property
    def size(self) -> float | None:
        return _dominant([(r, r.size) for r in self.runs])

    @property
    def font(self) -> str | None:
        return _dominant([(r, r.east_asia) for r in self.runs])

    @property
    def color(self) -> str | None:
        return _dominant([(r, r.color) for r in self.runs])

    @property
    def red(self) -> bool:
        return self.block is not None and self.block.is_red


@dataclass
class Section:
    width_mm: float | None
    height_mm: float | None
    top_mm: float | None
    bottom_mm: float | None
    left_mm: float | None
    right_mm: float | None
    gutter_mm: float = 0.0
    grid_type: str | None = None  # lines | linesAndChars | snapToChars | None
    grid_pitch_pt: float | None = None
    char_space: int = 0
    page_format: str | None = None  # w:pgNumType/@w:fmt: decimal, numberInDash (- 1 -), chineseCounting …


@dataclass
class FooterLine:
    """A paragraph of a footer, ``{页}`` where a PAGE field stands."""

    kind: str  # odd | even | first | all
    section: int
    text: str
    align: str | None
    runs: list[Run]
    left_chars: float = 0.0
    right_chars: float = 0.0

    @property
    def has_page(self) -> bool:
        return "{页}" in self.text


@dataclass
class DocModel:
    path: str
    format: str
    styled: bool  # fonts, sizes and page set-up known (.docx and what converts to it)
    paras: list[Para] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footers: list[FooterLine] = field(default_factory=list)
    even_odd: bool = False
    pages_known: bool = False  # page numbers from Word's own page marks or the reader

    def raw(self) -> RawDocument:
        """The same text as the structure recogniser reads it (one block per paragraph)."""
        blocks = [p.block for p in self.paras if p.block is not None and p.text.strip()]
        return RawDocument(path=self.path, format=self.format, blocks=blocks,
                           pages=max((p.page or 0 for p in self.paras), default=0) or None)


def _dominant(values: list[tuple[Run, Any]]) -> Any:
    weights: dict[Any, int] = {}
    for run, value in values:
        weight = len(run.text.strip())
        if weight:
            weights[value] = weights.get(value, 0) + weight
    return max(weights, key=weights.__getitem__) if weights else None


def is_cjk(ch: str) -> bool:
    return bool(_CJK.match(ch))


# --- lines ---------------------------------------------------------------------------------------


def text_width(text: str) -> float:
    """Width in full characters: Chinese and full-width forms 1, everything else ½."""
    return sum(1.0 if is_cjk(ch) else 0.5 for ch in text if ch not in "\n\r")


def line_pitch(para: Para, section: Section | None) -> float:
    """The height one line of ``para`` takes, in points, as Word lays it out."""
    size = para.size or BODY_PT
    natural = size * 1.3
    gridded = (section is not None and section.grid_type in ("lines", "linesAndChars", "snapToChars")
               and section.grid_pitch_pt and para.snap)
    if para.line_rule == "exact" and para.line_value:
        return para.line_value
    if para.line_rule == "atLeast" and para.line_value:
        return max(para.line_value, natural)
    multiple = para.line_value if para.line_rule == "auto" and para.line_value else 1.0
    if gridded:
        cells = max(1, math.ceil(natural / section.grid_pitch_pt - 0.05))
        return cells * section.grid_pitch_pt * multiple
    return natural * multiple


# --- text formats ----------------------------------------------------------------------------


def model_from_raw(raw: RawDocument) -> DocModel:
    """A text-only model of what a PDF, OFD or text reader gave (one paragraph a block)."""
    paras = []
    for block in raw.blocks:
        if block.kind in ("header", "footer"):
            continue
        paras.append(Para(order=len(paras), index=len(paras), text=block.text,
                          align=block.align, page=block.page, block=block,
                          where="table" if block.kind == "table" else "body"))
    return DocModel(path=raw.path, format=raw.format, styled=False, paras=paras,
                    pages_known=raw.pages is not None)
