"""The .docx zip package: opened through python-docx (template and macro documents too), and the
header, footer and numbering parts found through its relationships."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from pipeline.formats import limits
from pipeline.model import ParseError

_CONTENT_TYPES = "[Content_Types].xml"
_MAIN_DOCUMENT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Templates and macro documents carry other main content types that python-docx refuses.
_OTHER_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def open_package(path: str) -> tuple[Any, int]:
    """A python-docx Document, with template/macro content types accepted; and its page marks."""
    import docx

    data = Path(path).read_bytes()
    with limits.open_zip(path, data) as archive:
        names = set(archive.namelist())
        if _CONTENT_TYPES not in names:
            raise ParseError(path, "文件已损坏：缺少 [Content_Types].xml，不是有效的 Word 文档")
        content_types = limits.read_member(path, archive, _CONTENT_TYPES)
        if any(kind in content_types for kind in _OTHER_MAIN_TYPES):
            data = _rewrite_content_types(path, archive, content_types)
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError as exc:
        raise ParseError(path, f"文件已损坏：缺少必要部件（{exc}）") from exc
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ParseError(path, f"文件已损坏或不完整（{exc}）") from exc
    except ValueError as exc:
        if "not a Word file" in str(exc):
            raise ParseError(path, "文件已损坏：主文档的内容类型不是 Word 文档") from exc
        raise ParseError(path, f"文件已损坏：文档包结构无效（{exc}）") from exc
    except (AttributeError, TypeError, IndexError) as exc:
        # python-docx assumes a well-formed package ([Content_Types].xml, relationships).
        raise ParseError(path, f"文件已损坏：文档包结构无效（{type(exc).__name__}）") from exc
    return document, 0


def _rewrite_content_types(path: str, archive: zipfile.ZipFile, content_types: bytes) -> bytes:
    for kind in _OTHER_MAIN_TYPES:
        content_types = content_types.replace(kind, _MAIN_DOCUMENT)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            payload = (
                content_types
                if info.filename == _CONTENT_TYPES
                else limits.read_member(path, archive, info.filename)
            )
            copy.writestr(info.filename, payload)
    return out.getvalue()


def header_footer_parts(document: Any) -> tuple[list[Any], list[Any]]:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    headers, footers = [], []
    for rel in document.part.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if not hasattr(part, "element"):
            continue  # a header/footer with a damaged content type: python-docx left it unparsed
        if rel.reltype == RT.HEADER:
            headers.append(part)
        elif rel.reltype == RT.FOOTER:
            footers.append(part)
    key = lambda part: str(part.partname)
    return sorted(headers, key=key), sorted(footers, key=key)


def numbering_root(document: Any) -> Any | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return getattr(rel.target_part, "element", None)
    return None
