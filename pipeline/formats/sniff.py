"""Recognise a file's format from its content; the extension is only a hint."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.model import ParseError

HEAD_BYTES = 8192
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

EXTENSION_FORMATS = {
    ".pdf": "pdf",
    ".docx": "docx", ".docm": "docx", ".dotx": "docx", ".dotm": "docx",
    ".doc": "doc", ".dot": "doc", ".rtf": "doc",
    ".wps": "wps", ".wpt": "wps",
    ".ofd": "ofd",
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".mht": "html", ".mhtml": "html",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    ".bmp": "image",
}  # fmt: skip

# Content that legitimately carries another format's extension without being an error.
_COMPATIBLE = {("txt", "md"), ("md", "txt"), ("doc", "wps"), ("wps", "doc")}

_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|center|font)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(rb"<html[\s>]|<body[\s>]|<!doctype\s+html", re.IGNORECASE)

# Word's "single file web page" (.mht, often saved as .doc): a MIME message holding HTML.
MHT_START = re.compile(
    rb"^\s*(?:[A-Za-z-]+:[^\n]*\n(?:[ \t][^\n]*\n)*)*?MIME-Version:", re.IGNORECASE
)
_MULTIPART = re.compile(rb"multipart/related", re.IGNORECASE)

MISMATCH_WARNING = "扩展名与内容不符"


@dataclass
class Detection:
    format: str
    warnings: list[str] = field(default_factory=list)


def _ole_stream_names(path: str) -> set[str]:
    """Names of well-known streams in an OLE2 compound file.

    Directory entries store names in UTF-16LE; searching the raw bytes for the few names
    we care about is enough to tell Word, WPS, Excel, PowerPoint and encrypted OOXML apart.
    """
    wanted = ("WordDocument", "EncryptedPackage", "EncryptionInfo", "Workbook", "Book",
              "PowerPoint Document", "WpsCustomData", "1Table", "0Table")  # fmt: skip
    encoded = {name: name.encode("utf-16-le") + b"\x00\x00" for name in wanted}
    found: set[str] = set()
    tail = b""
    with open(path, "rb") as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                break
            window = tail + chunk
            for name, needle in encoded.items():
                if name not in found and needle in window:
                    found.add(name)
            tail = window[-64:]
    return found


def _check_ole_header(path: str, head: bytes) -> None:
    """The fixed fields of a compound-file header; LibreOffice imports garbage as text otherwise."""
    byte_order, sector_shift, mini_shift = head[28:30], head[30:32], head[32:34]
    if (
        len(head) < 512
        or byte_order != b"\xfe\xff"
        or sector_shift not in (b"\x09\x00", b"\x0c\x00")
        or mini_shift != b"\x06\x00"
    ):
        raise ParseError(path, "文件已损坏（OLE2 文件头无效）")


def _sniff_ole(path: str, head: bytes, hint: str | None) -> str:
    _check_ole_header(path, head)
    names = _ole_stream_names(path)
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        raise ParseError(path, "文件已加密，无法读取")
    if "WordDocument" in names:
        return "wps" if hint == "wps" else "doc"
    if "Workbook" in names or "Book" in names:
        raise ParseError(path, "不支持的文件类型：Excel 表格（.xls）")
    if "PowerPoint Document" in names:
        raise ParseError(path, "不支持的文件类型：PowerPoint 演示文稿（.ppt）")
    if hint in ("wps", "doc"):
        return hint  # older WPS files: let LibreOffice try
    raise ParseError(path, "无法识别的 Office 文件（OLE2 容器中没有文字文档）")


def _sniff_zip(path: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ParseError(path, f"文件已损坏或不完整（ZIP 结构无法读取：{exc}）") from exc
    lowered = {name.replace("\\", "/").lstrip("/").lower() for name in names}
    if "word/document.xml" in lowered or any(
        n.startswith("word/document") and n.endswith(".xml") for n in lowered
    ):
        return "docx"
    if "ofd.xml" in lowered:
        return "ofd"
    if "xl/workbook.xml" in lowered:
        raise ParseError(path, "不支持的文件类型：Excel 表格（.xlsx）")
    if "ppt/presentation.xml" in lowered:
        raise ParseError(path, "不支持的文件类型：PowerPoint 演示文稿（.pptx）")
    if "content.xml" in lowered and "mimetype" in lowered:
        raise ParseError(path, "不支持的文件类型：OpenDocument 文档（.odt 等），请另存为 .docx")
    raise ParseError(path, "不支持的压缩包（其中没有 Word 或 OFD 文档）")


def _sniff_magic(path: str, head: bytes, hint: str | None) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"BM") and len(head) >= 26 and head[6:10] == b"\x00\x00\x00\x00":
        return "image"
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path, head, hint)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(path)
    if head.startswith(b"{\\rtf"):
        return "doc"  # RTF (often saved as .doc): LibreOffice reads it
    if head.startswith((b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf", b"BZh")):
        raise ParseError(path, "不支持的压缩包（gzip/rar/7z 等）")
    return None


def _sniff_text(path: str, head: bytes, hint: str | None) -> str:
    from pipeline.formats.text import control_ratio, detect_encoding

    if MHT_START.match(head) and _MULTIPART.search(head):
        return "html"
    encoding = detect_encoding(head, complete=False)
    if encoding is None:
        raise ParseError(path, "无法识别的文件格式")
    probe = head
    if encoding.startswith("utf-16"):
        # Look for tags in the decoded text rather than the raw bytes.
        codec = encoding if encoding != "utf-16" else "utf-16"
        usable = head[: len(head) - (len(head) % 2)]
        text = usable.decode(codec, errors="ignore")
        probe = text.encode("utf-8")
    else:
        text = head.decode(encoding, errors="ignore")
    if control_ratio(text) > 0.05:
        raise ParseError(path, "无法识别的文件格式")
    probe = probe.lstrip(b"\xef\xbb\xbf")
    if _HTML_START.match(probe) or (hint == "html" and _HTML_ANYWHERE.search(probe)):
        return "html"
    if _HTML_ANYWHERE.search(probe[:2048]) and hint not in ("txt", "md"):
        return "html"
    return "md" if hint == "md" else "txt"


def detect(path: str) -> Detection:
    """The format of ``path`` plus warnings (e.g. extension and content disagree)."""
    hint = EXTENSION_FORMATS.get(Path(path).suffix.lower())
    with open(path, "rb") as stream:
        head = stream.read(HEAD_BYTES)
    if not head:
        raise ParseError(path, "文件为空")
    found = _sniff_magic(path, head, hint) or _sniff_text(path, head, hint)
    warnings = []
    if hint is not None and hint != found and (hint, found) not in _COMPATIBLE:
        warnings.append(f"{MISMATCH_WARNING}：扩展名为 {Path(path).suffix}，实际内容为 {found}")
    return Detection(found, warnings)


def sniff(path: str) -> str:
    """The format name of the file at ``path`` (docx pdf ofd doc wps txt md html image)."""
    return detect(str(path)).format
