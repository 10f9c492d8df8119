"""Format readers: one backend module per format, all producing a ``RawDocument``.

Entry point: ``read(path) -> RawDocument``; it recognises the format from the content
(not only the extension), enforces the size / decompression / time limits, and raises
``ParseError`` with a Chinese reason for anything it cannot read.

Heavy libraries (python-docx, trafilatura, ofdkit, pdfplumber, OCR) are imported by the
backends only when a file of their format is read, so importing this package is cheap.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from pipeline.formats import (
    sniff as _sniff_module,
)  # cheap; imported first so the function below wins
from pipeline.formats.base import Backend
from pipeline.model import ParseError, RawDocument

__all__ = ["FORMATS", "ParseError", "RawDocument", "backend_for", "detect", "read", "sniff"]

# format name -> (module, class); a backend whose libraries are missing fails with a reason.
_BACKENDS: dict[str, tuple[str, str]] = {
    "docx": ("pipeline.formats.docx", "DocxBackend"),
    "doc": ("pipeline.formats.office", "DocBackend"),
    "wps": ("pipeline.formats.office", "WpsBackend"),
    "ofd": ("pipeline.formats.ofd", "OfdBackend"),
    "txt": ("pipeline.formats.text", "TextBackend"),
    "md": ("pipeline.formats.text", "MarkdownBackend"),
    "html": ("pipeline.formats.html", "HtmlBackend"),
    "pdf": ("pipeline.formats.pdf", "PdfBackend"),
    "image": ("pipeline.formats.image", "ImageBackend"),
}
FORMATS = tuple(_BACKENDS)
_REASON_LIMIT = 300


def sniff(path: str | os.PathLike[str]) -> str:
    """The format name of the file at ``path`` (docx pdf ofd doc wps txt md html image)."""
    return _sniff_module.sniff(str(path))


def detect(path: str | os.PathLike[str]):  # -> pipeline.formats.sniff.Detection
    return _sniff_module.detect(str(path))


def backend_for(fmt: str, path: str = "") -> Backend:
    """An instance of the backend reading ``fmt``; ParseError when it is not available."""
    if fmt not in _BACKENDS:
        raise ParseError(path, f"不支持的文件格式：{fmt}")
    module_name, class_name = _BACKENDS[fmt]
    try:
        module = importlib.import_module(module_name)
        backend_class = getattr(module, class_name)
    except (ImportError, AttributeError) as exc:
        raise ParseError(path, f"暂时无法读取 {fmt} 格式：读取模块不可用（{exc}）") from exc
    return backend_class()


def _check_file(path: str) -> int:
    file = Path(path)
    if not file.exists():
        raise ParseError(path, "文件不存在")
    if not file.is_file():
        raise ParseError(path, "不是普通文件（可能是目录）")
    size = file.stat().st_size
    if size == 0:
        raise ParseError(path, "文件为空")
    return size


def _describe(exc: BaseException) -> str:
    detail = str(exc).strip().replace("\n", " ")
    text = f"{type(exc).__name__}：{detail}" if detail else type(exc).__name__
    return text[:_REASON_LIMIT]


def read(path: str | os.PathLike[str]) -> RawDocument:
    """Read any supported file into ordered blocks with style hints.

    Raises ``ParseError`` (Chinese reason naming the cause) for every file it cannot read;
    no other exception escapes for bad input.

    Limits come from the environment on every call (see ``pipeline.formats.limits``):
    ``GONGWEN_MAX_FILE_MB`` (200), ``GONGWEN_MAX_UNZIPPED_MB`` (300), ``GONGWEN_MAX_ZIP_RATIO``
    (200), ``GONGWEN_READ_TIMEOUT`` (120 s) and ``GONGWEN_CONVERT_TIMEOUT`` (120 s). The read
    timeout uses SIGALRM and so applies on the main thread only (run parallel ingestion in
    processes, not threads); LibreOffice conversions always have their own timeout.
    """
    from pipeline.formats import limits

    path = str(path)
    active = limits.current()
    try:
        size = _check_file(path)
        limits.check_file_size(path, size, active)
        with limits.time_limit(active.read_timeout):
            detection = _sniff_module.detect(path)
            raw = backend_for(detection.format, path).read(path)
    except ParseError as error:
        if error.path != path:  # e.g. raised about a converted temporary copy
            raise ParseError(path, error.reason) from error
        raise
    except limits.ReadTimeout as exc:
        raise ParseError(path, f"读取超时（超过 {active.read_timeout:g} 秒），已跳过") from exc
    except MemoryError as exc:
        raise ParseError(path, "内存不足，文件过大或结构异常") from exc
    except RecursionError as exc:
        raise ParseError(path, "文件结构嵌套过深，无法读取") from exc
    except PermissionError as exc:
        raise ParseError(path, "没有读取权限") from exc
    except Exception as exc:  # any library failure becomes one clear message, never a crash
        raise ParseError(path, f"读取失败，文件可能已损坏（{_describe(exc)}）") from exc
    raw.warnings[:0] = detection.warnings
    if not raw.text.strip():
        if raw.ocr or raw.format == "image":
            raise ParseError(path, "未识别到任何文字（扫描件可能是空白页或过于模糊）")
        raise ParseError(path, "未提取到任何文字（可能是空白文档或纯图片）")
    return raw
