"""Run and paragraph style hints of a .docx, resolved at the XML level.

Direct run formatting, then the run's character style, then the paragraph style chain
(``basedOn``), then the document defaults (styles.xml). That is both faster and more complete
than python-docx's proxies, which stop at direct formatting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.formats.docx.numbering import numbering_reference
from pipeline.formats.docx.wordml import ALIGN, FALSE_VALUES, val, w


@dataclass
class RunProps:
    """The run properties this reader cares about; None means "not set here".

    ``font`` is the one name a block reports (East Asian first). The checker needs the scripts
    apart, each inherited on its own as Word does: ``east_asia`` (Chinese characters and
    full-width punctuation), ``latin`` (digits and ASCII, ``w:ascii``) and ``east_asia_theme``
    (a theme font named instead of a font, e.g. ``minorEastAsia``). They take no part in equality.
    """

    font: str | None = None
    size: float | None = None
    bold: bool | None = None
    color: str | None = None
    east_asia: str | None = field(default=None, compare=False)
    latin: str | None = field(default=None, compare=False)
    east_asia_theme: str | None = field(default=None, compare=False)

    def over(self, base: RunProps) -> RunProps:
        """These properties on top of ``base``."""
        mine = self.east_asia is not None or self.east_asia_theme is not None
        return RunProps(
            font=self.font if self.font is not None else base.font,
            size=self.size if self.size is not None else base.size,
            bold=self.bold if self.bold is not None else base.bold,
            color=self.color if self.color is not None else base.color,
            east_asia=self.east_asia if mine else base.east_asia,
            latin=self.latin if self.latin is not None else base.latin,
            east_asia_theme=self.east_asia_theme if mine else base.east_asia_theme,
        )


def _first_name(name: str | None) -> str | None:
    """LibreOffice writes fallback lists such as "仿宋_GB2312;微软雅黑": the first one is meant."""
    return (name.split(";")[0].strip() or None) if name else None


def run_props(rpr: Any) -> RunProps:
    if rpr is None:
        return RunProps()
    props = RunProps()
    fonts = rpr.find(w("rFonts"))
    if fonts is not None:
        # East-asian font first: it is the one that renders Chinese characters.
        name = fonts.get(w("eastAsia")) or fonts.get(w("ascii")) or fonts.get(w("hAnsi"))
        props.font = _first_name(name)
        # A theme font, where one is named, wins over the font named beside it (ECMA-376 17.3.2.26).
        props.east_asia_theme = fonts.get(w("eastAsiaTheme")) or None
        props.east_asia = None if props.east_asia_theme else _first_name(fonts.get(w("eastAsia")))
        props.latin = _first_name(fonts.get(w("ascii")) or fonts.get(w("hAnsi")))
    size = val(rpr, "sz")
    if size is None:
        size = val(rpr, "szCs")
    if size:
        try:
            props.size = float(size) / 2
        except ValueError:
            pass
    bold = val(rpr, "b")
    if bold is not None:
        props.bold = bold.lower() not in FALSE_VALUES
    color = val(rpr, "color")
    if color and color.lower() != "auto" and len(color) == 6:
        props.color = color.upper()
    return props


@dataclass
class Style:
    based_on: str | None
    run: RunProps
    align: str | None
    numbering: tuple[str | None, str | None] = (None, None)  # (numId, ilvl) from the style
    element: Any = field(default=None, repr=False, compare=False)  # the w:style (paragraph props)


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
            sheet.default_align = ALIGN.get(
                val(defaults.find(f"{w('pPrDefault')}/{w('pPr')}"), "jc") or ""
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
                based_on=val(style, "basedOn"),
                run=run_props(style.find(w("rPr"))),
                align=ALIGN.get(val(style.find(w("pPr")), "jc") or ""),
                numbering=numbering_reference(style.find(w("pPr"))),
                element=style,
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

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and those it is based on, base first (the style itself last)."""
        chain: list[Style] = []
        seen: set[str] = set()
        current = style_id
        while current and current in self.styles and current not in seen and len(chain) < 50:
            seen.add(current)
            chain.append(self.styles[current])
            current = self.styles[current].based_on
        return chain[::-1]

    def resolve(self, style_id: str | None) -> tuple[RunProps, str | None]:
        """Run props and alignment of a style with everything it inherits."""
        if not style_id or style_id not in self.styles:
            return RunProps(), None
        if style_id in self._resolved:
            return self._resolved[style_id]
        props, align = RunProps(), None
        for style in self.chain(style_id):
            props = style.run.over(props)
            align = style.align or align
        self._resolved[style_id] = (props, align)
        return props, align
