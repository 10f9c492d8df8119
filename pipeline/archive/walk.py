"""Find the files an ingest should read: folders recursively, .zip members, nothing hidden.

Zip members are read in place (never extracted to arbitrary paths), so names like
``../../etc/passwd`` cannot escape; caps on member size, total size, member count and
compression ratio stop zip bombs.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MAX_MEMBER_BYTES = 200 * 1024 * 1024
MAX_ZIP_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_ZIP_MEMBERS = 20000
MAX_RATIO = 200  # uncompressed / compressed, for members above 1 MB
ZIP_SEPARATOR = "!"  # display path of a member: "<zip path>!<member name>"

_SKIP_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}


@dataclass
class Candidate:
    """One file to consider: a real file or a member of a zip."""

    path: str  # the path shown to users and kept in the catalog
    size: int
    mtime: float
    source: Path | None = None  # the real file
    zip_path: Path | None = None  # the zip holding the member
    member: str | None = None  # the member's raw name inside the zip
    error: str | None = None  # Chinese reason when the member must not be read

    @property
    def name(self) -> str:
        return PurePosixPath(self.path.replace("\\", "/")).name


def is_skipped(name: str) -> bool:
    """Hidden files, Office lock files (``~$x.docx``), editor temp files, OS litter."""
    lower = name.lower()
    return (lower in _SKIP_NAMES or name.startswith((".", "~$", "~"))
            or lower.endswith((".tmp", ".temp", "~", ".swp", ".part", ".crdownload")))


def walk(paths: list[Path], within: Sequence[Path] | None = None) -> Iterator[Candidate]:
    """Every candidate under ``paths`` in a stable order; missing paths come back with an error.
    ``within`` (resolved folders): a file whose real path lies outside them all, through a
    symbolic link, comes back with an error instead of being read (the web app's typed paths)."""
    for root in paths:
        if root.is_dir():
            yield from _walk_dir(root, within)
        elif root.is_file():
            yield from _file_or_zip(root, within)
        else:
            yield Candidate(str(root), 0, 0.0, error="文件或目录不存在")


def _walk_dir(root: Path, within: Sequence[Path] | None) -> Iterator[Candidate]:
    """Folders are walked through symbolic links too (a linked folder the user put there is part
    of what they gave), each real folder once, so that a link back up cannot loop."""
    walked: set[tuple[int, int]] = set()
    for folder, dirs, files in os.walk(root, followlinks=True):
        try:
            stat = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (stat.st_dev, stat.st_ino) in walked:
            dirs[:] = []  # reached again through a link: its files are already listed
            continue
        walked.add((stat.st_dev, stat.st_ino))
        outside = [d for d in dirs if within is not None and not is_skipped(d)
                   and not inside(Path(folder) / d, within)]
        for name in sorted(outside):
            yield Candidate(str(Path(folder) / name), 0, 0.0, error=OUTSIDE_ERROR)
        dirs[:] = sorted(d for d in dirs if not is_skipped(d) and d not in outside)
        for name in sorted(files):
            if not is_skipped(name):
                yield from _file_or_zip(Path(folder) / name, within)


OUTSIDE_ERROR = "该路径链接到允许入库的目录之外，已拒绝读取"


def inside(path: Path, within: Sequence[Path]) -> bool:
    """Whether ``path``'s real location (links and ``..`` resolved) lies in one of ``within``."""
    real = path.resolve()
    return any(real.is_relative_to(root) for root in within)


def _file_or_zip(path: Path, within: Sequence[Path] | None = None) -> Iterator[Candidate]:
    if within is not None and not inside(path, within):
        yield Candidate(str(path), 0, 0.0, error=OUTSIDE_ERROR)
        return
    try:
        stat = path.stat()
    except OSError as err:
        yield Candidate(str(path), 0, 0.0, error=f"无法读取文件：{err.strerror or err}")
        return
    if path.suffix.lower() == ".zip":
        yield from _zip_members(path)
    else:
        yield Candidate(str(path), stat.st_size, stat.st_mtime, source=path)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name, decoding GBK names that Windows tools write without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    decoded = []
    for encoding in ("utf-8", "gb18030"):
        try:
            decoded.append(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    # Short GBK names are often valid UTF-8 too (as nonsense): prefer the reading made of
    # ordinary characters (ASCII, CJK ideographs and punctuation, full-width forms).
    plausible = [name for name in decoded if all(_ordinary(ch) for ch in name)]
    return (plausible or decoded or [info.filename])[0]


def _ordinary(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x80 or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F
            or 0xFF00 <= code <= 0xFFEF or 0x2010 <= code <= 0x206F or 0x3400 <= code <= 0x4DBF)


def _unsafe(name: str) -> bool:
    posix = PurePosixPath(name.replace("\\", "/"))
    return posix.is_absolute() or ".." in posix.parts or ":" in (posix.parts[0] if posix.parts else "")


def _zip_members(path: Path) -> Iterator[Candidate]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Candidate(str(path), 0, 0.0, error="不是有效的 zip 压缩包或已损坏")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_ZIP_MEMBERS:
            yield Candidate(str(path), 0, 0.0,
                            error=f"压缩包成员过多（{len(infos)} 个，上限 {MAX_ZIP_MEMBERS}）")
            return
        total = 0
        for info in infos:
            name = member_name(info)
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if not _unsafe(name) and any(is_skipped(part) for part in parts):
                continue
            mtime = _zip_mtime(info)
            shown = f"{path}{ZIP_SEPARATOR}{name}"
            error = _member_problem(info, name)
            total += info.file_size
            if error is None and total > MAX_ZIP_TOTAL_BYTES:
                error = "压缩包解压后总大小超过上限，其余成员不予读取"
            yield Candidate(shown, info.file_size, mtime, zip_path=path, member=info.filename,
                            error=error)


def _member_problem(info: zipfile.ZipInfo, name: str) -> str | None:
    if _unsafe(name):
        return "压缩包成员路径不安全（绝对路径或包含“..”），已拒绝"
    if info.flag_bits & 0x1:
        return "压缩包成员已加密，无法读取"
    if info.file_size > MAX_MEMBER_BYTES:
        return f"压缩包成员过大（{info.file_size // (1024 * 1024)} MB）"
    if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return "压缩比异常，疑似压缩炸弹，已拒绝"
    if name.lower().endswith(".zip"):
        return "压缩包内嵌套的压缩包不予展开，请先解压"
    return None


def _zip_mtime(info: zipfile.ZipInfo) -> float:
    import time

    try:
        return time.mktime(info.date_time + (0, 0, -1))
    except (OverflowError, ValueError):
        return 0.0
