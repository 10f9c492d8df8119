"""The original-file store: content-addressed copies under ``<home>/originals``.

Copies are written to a temporary name and renamed into place, so a killed process
never leaves a truncated file under a final name.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from pipeline.archive.hashing import FixityHasher
from pipeline.home import ORIGINALS, Home

CHUNK = 1 << 20


def stored_relpath(sha256: str, ext: str) -> str:
    """``originals/<sha256[:2]>/<sha256>.<ext>`` (relative to the home)."""
    ext = (ext or "bin").lower().lstrip(".") or "bin"
    return f"{ORIGINALS}/{sha256[:2]}/{sha256}.{ext}"


def extension_of(name: str) -> str:
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix and suffix.isalnum() and len(suffix) <= 8 else "bin"


class StoreLimitError(Exception):
    """The stream was larger than allowed (a lying zip header, a runaway file)."""


def store_stream(home: Home, stream: BinaryIO, name: str,
                 max_bytes: int | None = None) -> tuple[str, str, int, str]:
    """Copy ``stream`` into the store while hashing it.

    Returns ``(sha256, sm3, size, relpath)``. Raises ``StoreLimitError`` beyond ``max_bytes``.
    """
    tmp_dir = home.originals_tmp
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / f"{os.getpid()}-{uuid.uuid4().hex}"
    hasher = FixityHasher()
    try:
        with open(tmp, "wb") as out:
            while chunk := stream.read(CHUNK):
                hasher.update(chunk)
                if max_bytes is not None and hasher.size > max_bytes:
                    raise StoreLimitError(name)
                out.write(chunk)
        relpath = stored_relpath(hasher.sha256, extension_of(name))
        final = home.stored(relpath)
        if final.exists() and final.stat().st_size == hasher.size:
            tmp.unlink()
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return hasher.sha256, hasher.sm3, hasher.size, relpath


def store_file(home: Home, path: Path) -> tuple[str, str, int, str]:
    """Copy the file at ``path`` into the store; see ``store_stream``."""
    with open(path, "rb") as stream:
        return store_stream(home, stream, path.name)


def remove_if_unreferenced(home: Home, relpath: str, referenced: bool) -> None:
    """Drop a stored copy nobody points to (e.g. the copy of a file that failed to parse)."""
    if not referenced:
        home.stored(relpath).unlink(missing_ok=True)


def clean_tmp(home: Home) -> None:
    """Remove temporary copies a killed run left behind."""
    tmp_dir = home.originals_tmp
    if tmp_dir.is_dir():
        for leftover in tmp_dir.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
