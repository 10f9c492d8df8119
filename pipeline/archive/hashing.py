"""Fixity hashes: SHA-256 and SM3 (the national algorithm, GB/T 32905) in one pass over the bytes."""

from __future__ import annotations

import hashlib
from typing import Any


class _GmsslSm3:
    """SM3 through gmssl (pure Python, slow) for OpenSSL builds without SM3."""

    def __init__(self) -> None:
        self._data = bytearray()

    def update(self, chunk: bytes) -> None:
        self._data.extend(chunk)

    def hexdigest(self) -> str:
        from gmssl import func, sm3

        return sm3.sm3_hash(func.bytes_to_list(bytes(self._data)))


def new_sm3() -> Any:
    """An SM3 hasher; OpenSSL's is ~1000× faster than gmssl's, which stays the fallback."""
    try:
        return hashlib.new("sm3")
    except ValueError:
        return _GmsslSm3()


class FixityHasher:
    """Feeds the same chunks to SHA-256 and SM3."""

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._sm3 = new_sm3()
        self.size = 0

    def update(self, chunk: bytes) -> None:
        self._sha256.update(chunk)
        self._sm3.update(chunk)
        self.size += len(chunk)

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @property
    def sm3(self) -> str:
        return self._sm3.hexdigest()


def fixity(data: bytes) -> tuple[str, str]:
    """(sha256, sm3) of ``data``."""
    hasher = FixityHasher()
    hasher.update(data)
    return hasher.sha256, hasher.sm3
