"""The abstract reader every format backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from pipeline.model import RawDocument


class Backend(ABC):
    """Reads one format into a ``RawDocument``; raises ``ParseError`` with a Chinese reason."""

    name: str  # the format name that ``RawDocument.format`` carries
    extensions: tuple[str, ...] = ()

    @abstractmethod
    def read(self, path: str) -> RawDocument: ...
