"""PDF text layer → lines (pipeline.formats.pdf.text_layer) on small hand-written PDFs."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from pipeline.formats.pdf.text_layer import (
    clean_font_name,
    dedupe_chars,
    is_bold_font,
    text_layer_lines,
)
from tests.test_formats_pdf import hand_written_pdf


def _lines(path: Path, content: bytes) -> list:
    hand_written_pdf(path, content)
    with pdfplumber.open(path) as pdf:
        lines, _, size = text_layer_lines(pdf.pages[0], 1)
    assert size == (595.0, 842.0)
    return lines


def test_lines_carry_font_size_and_colour_without_overprint_or_watermark(tmp_path: Path) -> None:
    lines = _lines(
        tmp_path / "styled.pdf",
        b"BT /F1 12 Tf 72 770 Td (Hello World) Tj ET "
        b"BT /F1 12 Tf 72.3 770 Td (Hello World) Tj ET "  # drawn again 0.3 pt right: fake bold
        b"1 0 0 rg BT /F1 12 Tf 72 750 Td (Second line) Tj ET "
        b"0 g BT /F1 40 Tf 0.7071 0.7071 -0.7071 0.7071 200 300 Tm (DRAFT) Tj ET",  # 45 degrees
    )
    assert [(line.text, line.font, line.size, line.color) for line in lines] == [
        ("Hello World", "Helvetica", 12.0, "000000"),
        ("Second line", "Helvetica", 12.0, "FF0000"),
    ]
    assert lines[0].weight == 10  # the doubled glyphs counted once, the space not at all
    assert lines[0].top < lines[1].top  # top-down page coordinates


@pytest.mark.parametrize(
    ("text_objects", "expected"),
    [
        (  # a raised footnote marker is dropped, the gap before the next word kept
            [
                b"BT /F1 12 Tf 72 770 Td (ratio) Tj ET",
                b"BT /F1 6 Tf 99.5 776 Td (2) Tj ET",
                b"BT /F1 12 Tf 103.5 770 Td (is high) Tj ET",
            ],
            "ratio is high",
        ),
        (  # vertical writing, one glyph under the other, becomes one line
            [
                b"BT /F1 12 Tf 300 %d Td (%s) Tj ET" % (y, c)
                for y, c in [(500, b"V"), (486, b"E"), (472, b"R")]
            ],
            "VER",
        ),
    ],
)
def test_glyphs_regrouped_into_one_line(
    tmp_path: Path, text_objects: list[bytes], expected: str
) -> None:
    lines = _lines(tmp_path / "line.pdf", b" ".join(text_objects))
    assert [line.text for line in lines] == [expected]


def test_dedupe_chars_drops_only_the_same_glyph_at_the_same_spot() -> None:
    def char(text: str, x0: float, top: float) -> dict:
        return {"text": text, "x0": x0, "top": top}

    chars = [char("文", 100, 50), char("文", 100.6, 50.4), char("件", 100, 50), char("文", 112, 50)]
    assert [(c["text"], c["x0"]) for c in dedupe_chars(chars)] == [
        ("文", 100),
        ("件", 100),
        ("文", 112),
    ]


@pytest.mark.parametrize(
    ("name", "cleaned", "bold"),
    [
        ("ABCDEF+FangSong_GB2312", "FangSong_GB2312", False),
        ("SimHei", "SimHei", True),
        ("KLMNOP+黑体", "黑体", True),
        ("Arial-BoldMT", "Arial-BoldMT", True),
        ("MicrosoftYaHei", "MicrosoftYaHei", False),
        ("abcdef+SimSun", "abcdef+SimSun", False),  # a subset tag is six capitals
        (None, None, False),
    ],
)
def test_font_names(name: str | None, cleaned: str | None, bold: bool) -> None:
    assert clean_font_name(name) == cleaned
    assert is_bold_font(clean_font_name(name)) is bold
