"""Automatic list labels of a .docx from numbering.xml (pipeline.formats.docx.numbering)."""

from __future__ import annotations

from lxml import etree

from pipeline.formats.docx.numbering import Numbering, format_number, numbering_reference

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# GB/T 9704 headings: 一、 then （一） then 1. then （1）.
NUMBERING = f"""<w:numbering {NS}>
  <w:abstractNum w:abstractNumId="0">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
      <w:lvlText w:val="%1.%3."/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="0"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>
</w:numbering>"""


def _numbering() -> Numbering:
    return Numbering(etree.fromstring(NUMBERING.encode()))


def test_levels_count_and_deeper_levels_restart() -> None:
    numbering = _numbering()
    levels = ["0", "1", "1", "2", "0", "1"]
    labels = [numbering.label("1", level) for level in levels]
    assert labels == ["一、", "（一）", "（二）", "一.1.", "二、", "（一）"]


def test_instances_of_one_list_continue_its_count() -> None:
    numbering = _numbering()
    assert [numbering.label("1", "0"), numbering.label("2", "0")] == ["一、", "二、"]


def test_start_override_applies_once() -> None:
    numbering = _numbering()
    assert [numbering.label("4", "0"), numbering.label("4", "0")] == ["九、", "十、"]


def test_no_numbering_gives_no_label() -> None:
    numbering = _numbering()
    assert numbering.label("0", "0") == ""  # numId 0 switches numbering off
    assert numbering.label("7", "0") == ""  # unknown list
    assert numbering.label("1", "5") == ""  # undefined level
    assert Numbering(None).label("1", "0") == ""


def test_numbering_reference_of_a_paragraph() -> None:
    ppr = etree.fromstring(
        f'<w:pPr {NS}><w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr></w:pPr>'.encode()
    )
    assert numbering_reference(ppr) == ("2", "1")
    assert numbering_reference(None) == (None, None)


def test_chinese_counting_labels() -> None:
    values = [1, 10, 12, 20, 99, 100, 105, 110, 999, 0, 1000]
    assert [format_number(v, "chineseCounting") for v in values] == [
        "一", "十", "十二", "二十", "九十九", "一百", "一百零五", "一百一十", "九百九十九", "0", "1000",
    ]  # fmt: skip
