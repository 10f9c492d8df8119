"""Format recognition from content; the extension is only a hint."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.sniff import MISMATCH_WARNING, detect
from pipeline.model import ParseError
from tests.fuzz.samples import TITLE, make_docx, make_html, make_ofd, make_text


def _png(path: Path) -> Path:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    pixels = zlib.compress(b"\x00\xff\xff\xff" * 1)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("builder", "name", "expected"),
    [
        (make_docx, "a.docx", "docx"),
        (make_ofd, "a.ofd", "ofd"),
        (make_html, "a.html", "html"),
        (make_text, "a.txt", "txt"),
        (make_text, "a.md", "md"),
        (_png, "a.png", "image"),
    ],
)
def test_sniff_by_content(tmp_path: Path, builder, name: str, expected: str) -> None:
    path = builder(tmp_path / name)
    assert formats.sniff(path) == expected
    assert detect(str(path)).warnings == []


def test_png_named_pdf_is_an_image_with_warning(tmp_path: Path) -> None:
    detection = detect(str(_png(tmp_path / "scan.pdf")))
    assert detection.format == "image"
    assert detection.warnings and detection.warnings[0].startswith(MISMATCH_WARNING)


def test_docx_named_txt_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    shutil.copyfile(make_docx(tmp_path / "a.docx"), path)
    raw = formats.read(path)
    assert raw.format == "docx" and TITLE in raw.text
    assert any(MISMATCH_WARNING in w for w in raw.warnings)


def test_html_saved_as_doc_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "通知.doc"  # government sites often serve web pages as .doc
    shutil.copyfile(make_html(tmp_path / "a.html"), path)
    raw = formats.read(path)
    assert raw.format == "html" and raw.blocks[0].text == TITLE


def test_text_without_extension(tmp_path: Path) -> None:
    path = make_text(tmp_path / "README")
    assert formats.sniff(path) == "txt"
    assert detect(str(path)).warnings == []


@pytest.mark.parametrize(
    ("members", "reason"),
    [
        ({"xl/workbook.xml": "<x/>"}, "Excel"),
        ({"ppt/presentation.xml": "<x/>"}, "PowerPoint"),
        (
            {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"},
            "OpenDocument",
        ),
        ({"a/b.txt": "x"}, "不支持的压缩包"),
    ],
)
def test_zip_kinds_refused_with_reason(
    tmp_path: Path, members: dict[str, str], reason: str
) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    with pytest.raises(ParseError, match=reason):
        formats.sniff(path)


def test_other_archives_refused(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "a.txt.gz"
    path.write_bytes(gzip.compress("公文".encode()))
    with pytest.raises(ParseError, match="不支持的压缩包"):
        formats.read(path)


def test_backend_missing_gives_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="不支持的文件格式"):
        formats.backend_for("xls", str(tmp_path / "a.xls"))


def test_importing_formats_is_cheap() -> None:
    import subprocess
    import sys

    code = "import sys, pipeline.formats; print(sorted(m for m in ('docx','trafilatura','ofdkit','pdfplumber','lxml.html') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    assert result.stdout.strip() == "[]"
