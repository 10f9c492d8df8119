"""The abstract reader every format backend implements, and shared failure translation."""

from __future__ import annotations

import contextlib
import struct
import zipfile
import zlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from xml.etree.ElementTree import ParseError as ElementTreeParseError

from pipeline.model import ParseError, RawDocument


class Backend(ABC):
    """Reads one format into a ``RawDocument``; raises ``ParseError`` with a Chinese reason."""

    name: str  # the format name that ``RawDocument.format`` carries
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def read(self, path: str) -> RawDocument: ...


def _detail(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}：{text[:160]}" if text else type(exc).__name__


@contextlib.contextmanager
def damaged_container(path: str, label: str) -> Iterator[None]:
    """Turn the ways a broken ZIP/XML package fails into one Chinese reason.

    ``label`` names the kind of file in the message, e.g. "Word 文档" or "OFD 文件".
    """
    from lxml.etree import XMLSyntaxError

    try:
        yield
    except ParseError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, struct.error) as exc:
        raise ParseError(
            path, f"{label}已损坏或不完整（压缩数据无法解开：{_detail(exc)}）"
        ) from exc
    except NotImplementedError as exc:  # zipfile: unknown compression method or version
        raise ParseError(path, f"{label}使用了不支持的压缩方式或已损坏（{_detail(exc)}）") from exc
    except RuntimeError as exc:
        if "encrypted" in str(exc) or "password" in str(exc):
            raise ParseError(path, "文件已加密，无法读取") from exc
        raise
    except (XMLSyntaxError, ElementTreeParseError) as exc:
        raise ParseError(path, f"{label}已损坏（内部 XML 无效：{_detail(exc)}）") from exc
    except ValueError as exc:
        if "seek" in str(exc) or "zip" in str(exc).lower():
            raise ParseError(path, f"{label}已损坏或不完整（ZIP 目录指向无效位置）") from exc
        raise
