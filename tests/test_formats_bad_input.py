"""Bad input (issue 2, Build 6): each case gives exactly one ParseError with a Chinese reason.

Every file here is real: built with python-docx, zipfile, msoffcrypto-tool, or written byte
by byte where the point is a broken structure.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline import formats
from pipeline.model import ParseError
from tests.fuzz.samples import make_docx, make_ofd, make_text

GB = 1024 * 1024 * 1024


def _reason(path: Path) -> str:
    with pytest.raises(ParseError) as caught:
        formats.read(path)
    assert caught.value.path == str(path)
    assert str(path) in str(caught.value)  # the message names the file
    return caught.value.reason


def write_zero_bomb(
    path: Path, member: str, size: int = GB, extra: dict[str, bytes] | None = None
) -> Path:
    """A valid ZIP holding ``member`` = ``size`` zero bytes, written without compressing 1 GB.

    After a full flush deflate forgets its history, so every further 1 MiB block of zeros
    compresses to the same bytes: compress one block, repeat its output.
    """
    chunk = 1024 * 1024
    assert size % chunk == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(bytes(chunk)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = compressor.flush(zlib.Z_FINISH)
    blocks = size // chunk
    crc = 0
    zero_block = bytes(chunk)
    for _ in range(blocks):
        crc = zlib.crc32(zero_block, crc)
    compressed_size = len(first) + len(repeated) * (blocks - 1) + len(final)
    name = member.encode()
    with open(path, "wb") as out:
        entries = []
        for extra_name, data in (extra or {}).items():
            offset = out.tell()
            packed = zlib.compress(data)[2:-4]
            header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, zlib.crc32(data), len(packed), len(data),
                                 len(extra_name.encode()), 0)  # fmt: skip
            out.write(header + extra_name.encode() + packed)
            entries.append((extra_name.encode(), zlib.crc32(data), len(packed), len(data), offset))
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, compressed_size, size, len(name), 0
            )
        )
        out.write(name + first)
        for _ in range(blocks - 1):
            out.write(repeated)
        out.write(final)
        entries.append((name, crc, compressed_size, size, offset))
        directory_at = out.tell()
        out.writelines(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, entry_crc, packed_size,
                                  plain_size, len(entry_name), 0, 0, 0, 0, 0, entry_offset) + entry_name for entry_name, entry_crc, packed_size, plain_size, entry_offset in entries)  # fmt: skip
        directory_size = out.tell() - directory_at
        out.write(
            struct.pack(
                "<IHHHHIIH",
                0x06054B50,
                0,
                0,
                len(entries),
                len(entries),
                directory_size,
                directory_at,
                0,
            )
        )
    return path


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "无此文件.docx") == "文件不存在"


@pytest.mark.parametrize("name", ["empty.docx", "empty.txt", "empty.pdf", "empty"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert _reason(path) == "文件为空"


def test_whitespace_only_text_has_no_content(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text(" \n\u3000\n\n", encoding="utf-8")
    assert "未提取到任何文字" in _reason(path)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9])
def test_truncated_docx(tmp_path: Path, keep: float) -> None:
    data = make_docx(tmp_path / "full.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: int(len(data) * keep)])
    reason = _reason(path)
    assert "损坏" in reason or "不完整" in reason


def test_truncated_ofd(tmp_path: Path) -> None:
    data = make_ofd(tmp_path / "full.ofd").read_bytes()
    path = tmp_path / "cut.ofd"
    path.write_bytes(data[: len(data) // 2])
    assert "损坏" in _reason(path)


def test_zip_that_is_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "photos.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert "不支持的压缩包" in _reason(path)


def test_encrypted_docx(tmp_path: Path) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = make_docx(tmp_path / "plain.docx")
    path = tmp_path / "加密.docx"
    with open(plain, "rb") as source, open(path, "wb") as out:
        ooxml.OOXMLFile(source).encrypt("secret", out)
    assert _reason(path) == "文件已加密，无法读取"


def test_zip_bomb_docx_refused_from_central_directory(tmp_path: Path) -> None:
    content_types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
                     b'.wordprocessingml.document.main+xml"/></Types>')  # fmt: skip
    path = write_zero_bomb(
        tmp_path / "bomb.docx", "word/document.xml", extra={"[Content_Types].xml": content_types}
    )
    assert path.stat().st_size < 2 * 1024 * 1024  # 1 GB inside, about 1 MB on disk
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").file_size == GB
    reason = _reason(path)
    assert "压缩炸弹" in reason and "解压后体积过大" in reason


def test_zip_bomb_ofd(tmp_path: Path) -> None:
    path = write_zero_bomb(
        tmp_path / "bomb.ofd", "Doc_0/Pages/Page_0/Content.xml", extra={"OFD.xml": b"<ofd:OFD/>"}
    )
    assert "压缩炸弹" in _reason(path)


def test_compression_ratio_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_zero_bomb(tmp_path / "ratio.docx", "word/document.xml", size=64 * 1024 * 1024)
    monkeypatch.setenv("GONGWEN_MAX_UNZIPPED_MB", "1000")
    assert "压缩比异常" in _reason(path)


def test_enormous_sparse_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as out:
        out.write("关于".encode())
        out.truncate(201 * 1024 * 1024)  # sparse: no real disk use
    reason = _reason(path)
    assert reason.startswith("文件过大（201.0 MB）") and "上限 200.0 MB" in reason


def test_size_cap_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_text(tmp_path / "notice.txt")
    monkeypatch.setenv("GONGWEN_MAX_FILE_MB", "0.0001")
    assert "文件过大" in _reason(path)


def test_unknown_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 64)
    assert _reason(path) == "无法识别的文件格式"


def test_mislabelled_binary_as_txt(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00" * 500)
    assert "无法识别的文件格式" in _reason(path) or "不是" in _reason(path)


def test_python_reader_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document big enough to take a while, read under a tiny limit: SIGALRM stops it."""
    import docx

    document = docx.Document()
    for index in range(3000):
        document.add_paragraph(
            f"第{index}段：区人大常委会听取和审议了区人民政府关于代表建议办理情况的报告。"
        )
    path = tmp_path / "long.docx"
    document.save(path)
    monkeypatch.setenv("GONGWEN_READ_TIMEOUT", "0.01")
    assert _reason(path).startswith("读取超时（超过 0.01 秒）")
    monkeypatch.delenv("GONGWEN_READ_TIMEOUT")
    assert len(formats.read(path).blocks) == 3000  # no timer left armed afterwards


def test_broken_xml_inside_docx(tmp_path: Path) -> None:
    """A docx whose document part is not XML: lxml's error becomes a stated reason."""
    path = tmp_path / "garbage.docx"
    with (
        zipfile.ZipFile(make_docx(tmp_path / "ok.docx")) as source,
        zipfile.ZipFile(path, "w") as copy,
    ):
        for info in source.infolist():
            data = (
                b"<w:document><unclosed"
                if info.filename == "word/document.xml"
                else source.read(info)
            )
            copy.writestr(info, data)
    reason = _reason(path)
    assert reason.startswith("Word 文档已损坏（内部 XML 无效") and "XMLSyntaxError" in reason


class ExplodingBackend:
    """A backend failing the way an unanticipated library bug would."""

    name = "txt"

    def read(self, path: str):
        raise TypeError("unsupported operand type(s) for +: 'int' and 'NoneType'")


def test_unanticipated_library_error_is_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(formats._BACKENDS, "txt", (__name__, "ExplodingBackend"))
    reason = _reason(make_text(tmp_path / "a.txt"))
    assert reason.startswith("读取失败，文件可能已损坏（TypeError：unsupported operand")


def test_batch_continues_after_bad_files(tmp_path: Path) -> None:
    good = make_text(tmp_path / "good.txt")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    outcomes = []
    for path in (empty, good, tmp_path / "missing.ofd"):
        try:
            outcomes.append(formats.read(path).format)
        except ParseError as error:
            outcomes.append(error.reason)
    assert outcomes == ["文件为空", "txt", "文件不存在"]
