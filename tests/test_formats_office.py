"""Legacy .doc/.wps through real LibreOffice: conversion, format names, timeouts, no leftovers."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.formats.office import find_soffice
from pipeline.model import ParseError
from tests.fuzz.samples import BODY, TITLE, make_docx

pytestmark = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed"
)


@pytest.fixture(scope="module")
def legacy_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real Word 97 .doc: our sample .docx saved by LibreOffice in the legacy format."""
    folder = tmp_path_factory.mktemp("doc")
    source = make_docx(folder / "notice.docx")
    profile = (folder / "profile").as_uri()
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "doc:MS Word 97", "--outdir", str(folder / "out"), str(source)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    produced = folder / "out" / "notice.doc"
    assert produced.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return produced


def test_doc_converted_and_read_with_style(legacy_doc: Path) -> None:
    raw = formats.read(legacy_doc)
    assert raw.format == "doc" and raw.path == str(legacy_doc)
    mark = next(b for b in raw.blocks if b.text == "南山区人大常委会文件")
    assert mark.is_red and mark.align == "center" and mark.size == 36.0
    texts = [b.text for b in raw.blocks]
    assert TITLE in texts and BODY in texts and "1\t走访代表\t选联工委" in texts


def test_wps_is_dispatched_to_libreoffice(legacy_doc: Path, tmp_path: Path) -> None:
    path = tmp_path / "通知.wps"  # WPS files are OLE2 Word-compatible documents
    shutil.copyfile(legacy_doc, path)
    raw = formats.read(path)
    assert raw.format == "wps" and TITLE in raw.text


def _processes_mentioning(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (
                    (entry / "cmdline")
                    .read_bytes()
                    .replace(b"\x00", b" ")
                    .decode("utf-8", "replace")
                )
            except OSError:
                continue
            if marker in command:
                found.append(command)
    return found


def test_conversion_timeout_kills_soffice(
    legacy_doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("GONGWEN_CONVERT_TIMEOUT", "0.05")
    with pytest.raises(ParseError) as caught:
        formats.read(legacy_doc)
    assert caught.value.reason.startswith("转换超时")
    assert _processes_mentioning(str(private)) == []  # the whole process group is gone
    assert list(private.iterdir()) == []  # and its temporary directory


def test_read_time_limit_interrupts_conversion(
    legacy_doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setenv("GONGWEN_READ_TIMEOUT", "0.2")
    with pytest.raises(ParseError) as caught:
        formats.read(legacy_doc)
    assert caught.value.reason.startswith("读取超时")
    assert _processes_mentioning(str(private)) == []


def test_corrupt_ole_header_refused_before_conversion(tmp_path: Path) -> None:
    path = tmp_path / "broken.doc"
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + "WordDocument".encode("utf-16-le")
        + b"\x00\x00"
        + os.urandom(3000)
    )
    with pytest.raises(ParseError, match="OLE2 文件头无效"):
        formats.read(path)


def test_valid_header_garbage_body_fails_with_reason(legacy_doc: Path, tmp_path: Path) -> None:
    """LibreOffice imports such a file as text; the garbled result is refused, not indexed."""
    data = legacy_doc.read_bytes()
    path = tmp_path / "garbage.doc"
    path.write_bytes(
        data[:512] + "WordDocument".encode("utf-16-le") + b"\x00\x00" + os.urandom(20000)
    )
    with pytest.raises(ParseError) as caught:
        formats.read(path)
    assert any(
        word in caught.value.reason for word in ("乱码", "LibreOffice 转换失败", "未提取到任何文字")
    )


def test_missing_libreoffice(
    tmp_path: Path, legacy_doc: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("GONGWEN_SOFFICE", raising=False)
    with pytest.raises(ParseError, match="未安装 LibreOffice，无法读取 .doc/.wps"):
        formats.read(legacy_doc)


def test_truncated_doc_fails_or_keeps_readable_text(legacy_doc: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.doc"
    path.write_bytes(legacy_doc.read_bytes()[:4096])
    try:
        raw = formats.read(path)
    except ParseError as error:
        assert error.reason  # a stated reason
    else:
        assert raw.text.strip() and raw.format == "doc"


def test_rtf_is_read_through_libreoffice(tmp_path: Path) -> None:
    path = tmp_path / "通知.doc"  # RTF saved with a .doc name, as Word and WPS both allow
    path.write_bytes(rb"{\rtf1\ansi\ansicpg936{\fonttbl{\f0 SimSun;}}\f0\fs32 "
                     rb"\'c4\'cf\'c9\'bd\'c7\'f8\'c8\'cb\'b4\'f3\par }")  # fmt: skip
    raw = formats.read(path)
    assert raw.format == "doc" and "南山区人大" in raw.text
