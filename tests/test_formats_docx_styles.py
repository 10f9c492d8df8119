"""Style hints of a .docx resolved from styles.xml (pipeline.formats.docx.styles)."""

from __future__ import annotations

from lxml import etree

from pipeline.formats.docx.styles import RunProps, StyleSheet, run_props

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

STYLES = f"""<w:styles {NS}>
  <w:docDefaults>
    <w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="仿宋_GB2312"/>
      <w:sz w:val="32"/></w:rPr></w:rPrDefault>
    <w:pPrDefault><w:pPr><w:jc w:val="both"/></w:pPr></w:pPrDefault>
  </w:docDefaults>
  <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
  <w:style w:type="paragraph" w:styleId="Heading1">
    <w:basedOn w:val="Normal"/>
    <w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>
    <w:rPr><w:rFonts w:eastAsia="黑体"/><w:b/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="Title">
    <w:basedOn w:val="Heading1"/>
    <w:pPr><w:jc w:val="center"/></w:pPr>
    <w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:b w:val="0"/><w:sz w:val="44"/>
      <w:color w:val="ff0000"/></w:rPr>
  </w:style>
  <w:style w:type="paragraph" w:styleId="LoopA"><w:basedOn w:val="LoopB"/></w:style>
  <w:style w:type="paragraph" w:styleId="LoopB"><w:basedOn w:val="LoopA"/></w:style>
</w:styles>"""


def _sheet() -> StyleSheet:
    return StyleSheet.from_element(etree.fromstring(STYLES.encode()))


def test_defaults_and_default_paragraph_style() -> None:
    sheet = _sheet()
    assert sheet.defaults == RunProps(font="仿宋_GB2312", size=16.0)
    assert sheet.default_align == "justify"
    assert sheet.default_paragraph == "Normal"


def test_style_chain_is_inherited_base_first() -> None:
    sheet = _sheet()
    assert sheet.resolve("Heading1") == (RunProps(font="黑体", bold=True), None)
    # Title overrides the font, switches bold off again and sets its own size, colour, alignment.
    assert sheet.resolve("Title") == (
        RunProps(font="方正小标宋简体", size=22.0, bold=False, color="FF0000"),
        "center",
    )
    assert sheet.resolve("Missing") == (RunProps(), None)


def test_numbering_comes_through_the_style_chain() -> None:
    sheet = _sheet()
    assert sheet.numbering_of("Title") == ("3", "0")
    assert sheet.numbering_of("Normal") == (None, None)


def test_a_based_on_loop_ends() -> None:
    sheet = _sheet()
    assert sheet.resolve("LoopA") == (RunProps(), None)
    assert sheet.numbering_of("LoopA") == (None, None)


def test_run_props_read_what_word_and_libreoffice_write() -> None:
    rpr = etree.fromstring(
        f'<w:rPr {NS}><w:rFonts w:ascii="Arial" w:eastAsia="仿宋_GB2312;微软雅黑"/>'
        '<w:szCs w:val="21"/><w:b w:val="false"/><w:color w:val="auto"/></w:rPr>'.encode()
    )
    assert run_props(rpr) == RunProps(font="仿宋_GB2312", size=10.5, bold=False, color=None)
    assert run_props(None) == RunProps()
    assert RunProps(size=12.0).over(RunProps(font="黑体", size=16.0)) == RunProps("黑体", 12.0)
